"""Excel export of a community's books:
``GET /finance/export/report.xlsx?unit=<OrgUnit id>&from=YYYY-MM-DD&to=YYYY-MM-DD``
(default: the year so far).

A ``core.api.downloads`` route: a signed-in user (``Authorization: Bearer
<token>``) holding ``finance.export`` at the community, where the plugin is
active; every download is audited. One workbook, four sheets with
Chinese headers: 日记账 (ledger), 科目余额表 (trial balance), 收支分类汇总
(by category) and 开支审批 (the expense requests of the period with
their approval steps). Amounts are written as numbers with two decimals (from
exact fen, never computed in floating point).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.downloads import Download, download_route
from core.org.models import OrgUnit
from core.policy.service import local_today
from core.spreadsheets.layout import Column, new_workbook, period_text, table_sheet
from plugins.finance import declarations as d
from plugins.finance import service
from plugins.finance.models import (
    DIRECTIONS,
    REQUEST_STATUSES,
    STEP_NAMES,
    STEP_STATUSES,
    ExpenseRequest,
)

LEDGER_HEADERS = ("日期", "凭证号", "账户", "科目", "摘要", "收入（元）", "支出（元）", "余额（元）")
TRIAL_HEADERS = ("账户代码", "账户名称", "期初余额（元）", "本期收入（元）", "本期支出（元）", "期末余额（元）")
CATEGORY_HEADERS = ("收支方向", "科目代码", "科目名称", "金额（元）", "笔数")
REQUEST_HEADERS = ("申请日期", "开支事由", "金额（元）", "审批档次", "审批经过", "状态", "支付日期")


def _money(fen: int) -> Decimal:
    return service.yuan(fen)


def _columns(headers: tuple[str, ...], money: tuple[int, ...], totals: tuple[int, ...] = ()) -> list[Column]:
    """Columns by 1-based position: ``money`` as amounts, ``totals`` summed in 合计."""
    return [Column(h, money=i in money, total=i in totals) for i, h in enumerate(headers, start=1)]


def build_workbook(session: Session, unit: OrgUnit, start: date, end: date) -> Workbook:
    workbook = new_workbook()
    period = period_text(start, end)

    def sheet(name: str, cols: list[Column], rows: Sequence[tuple[object, ...]], *, totals: bool = False) -> None:
        table_sheet(
            workbook,
            name,
            f"{unit.name}{name}",
            cols,
            rows,
            org_unit=unit.name,
            period=period,
            measure="元",
            totals=totals,
        )

    accounts = {a.id: a for a in service._accounts(session, unit)}
    categories = {c.category.id: c.category for c in service.by_category(session, unit, start, end)}
    result = service.ledger(session, unit, start, end)
    ledger_rows: list[tuple[object, ...]] = [
        (None, None, None, None, "期初余额", None, None, _money(result.opening_fen))
    ]
    for line in result.lines:
        entry = line.entry
        ledger_rows.append(
            (
                entry.entry_date,
                entry.voucher_number,
                accounts[entry.account_id].name,
                categories[entry.category_id].name,
                entry.summary,
                _money(line.income_fen) if line.income_fen else None,
                _money(line.expense_fen) if line.expense_fen else None,
                _money(line.balance_fen),
            )
        )
    ledger_rows.append((None, None, None, None, "期末余额", None, None, _money(result.closing_fen)))
    sheet("日记账", _columns(LEDGER_HEADERS, (6, 7, 8), (6, 7)), ledger_rows, totals=True)
    trial = [
        (
            r.account.code,
            r.account.name,
            _money(r.opening_fen),
            _money(r.income_fen),
            _money(r.expense_fen),
            _money(r.closing_fen),
        )
        for r in service.trial_balance(session, unit, start, end)
    ]
    sheet("科目余额表", _columns(TRIAL_HEADERS, (3, 4, 5, 6), (3, 4, 5, 6)), trial, totals=True)
    totals = [
        (DIRECTIONS[t.category.direction], t.category.code, t.category.name, _money(t.amount_fen), t.entries)
        for t in service.by_category(session, unit, start, end)
    ]
    sheet("收支分类汇总", _columns(CATEGORY_HEADERS, (4,)), totals)
    requests = session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.org_unit_id == unit.id,
            ExpenseRequest.requested_on >= start,
            ExpenseRequest.requested_on <= end,
        )
        .order_by(ExpenseRequest.requested_on, ExpenseRequest.id)
    )
    request_rows = [
        (
            r.requested_on,
            r.title,
            _money(r.amount_fen),
            service.tier_name(r.tier, r.chain.get("steps", [])),
            "；".join(f"{STEP_NAMES[s.kind]}：{STEP_STATUSES[s.status]}" for s in service.steps_of(session, r)),
            REQUEST_STATUSES[r.status],
            r.paid_on,
        )
        for r in requests
    ]
    sheet("开支审批", _columns(REQUEST_HEADERS, (3,)), request_rows)
    return workbook


def _report(download: Download) -> tuple[Workbook, str]:
    unit = service.community(download.session, download.unit, field="unit")
    today = local_today()
    start, end = download.date_range(date(today.year, 1, 1), today)
    return build_workbook(download.session, unit, start, end), f"{unit.name}财务报表_{start}_{end}.xlsx"


ROUTES = [
    download_route(
        "/finance/export/report.xlsx", _report, permission=d.EXPORT.code, plugin=service.PLUGIN, action="finance.report"
    )
]
