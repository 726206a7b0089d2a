"""Excel export of a community's books: ``GET /finance/{unit_id}/report.xlsx``.

Query parameters ``from`` and ``to`` (YYYY-MM-DD; default: the year so far).
Needs a signed-in user (``Authorization: Bearer <token>``) holding
``finance.export`` at the community. One workbook, four sheets with
Chinese headers: 日记账 (ledger), 科目余额表 (trial balance), 收支分类汇总
(by category) and 开支审批 (the expense requests of the period with
their approval steps). Amounts are written as numbers with two decimals (from
exact fen, never computed in floating point).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

from openpyxl import Workbook
from sqlalchemy import select
from openpyxl.styles import Font
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.api.relay import MAX_INTEGER_PK
from core.auth.permissions import can
from core.auth.service import principal_from_authorization
from core.org.models import OrgUnit
from core.policy.service import is_plugin_active, local_today
from plugins.finance import declarations as d
from plugins.finance import service
from plugins.finance.models import DIRECTIONS, REQUEST_STATUSES, STEP_NAMES, STEP_STATUSES, ExpenseRequest

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"

LEDGER_HEADERS = ("日期", "凭证号", "账户", "科目", "摘要", "收入（元）", "支出（元）", "余额（元）")
TRIAL_HEADERS = ("账户代码", "账户名称", "期初余额（元）", "本期收入（元）", "本期支出（元）", "期末余额（元）")
CATEGORY_HEADERS = ("收支方向", "科目代码", "科目名称", "金额（元）", "笔数")
REQUEST_HEADERS = ("申请日期", "开支事由", "金额（元）", "审批档次", "审批经过", "状态", "支付日期")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _money(fen: int) -> Decimal:
    return service.yuan(fen)


def _sheet(workbook: Workbook, title: str, headers: tuple[str, ...], rows: list[tuple[object, ...]], money_columns: tuple[int, ...]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, len(header) * 2 + 4)


def build_workbook(session, unit: OrgUnit, start: date, end: date) -> bytes:  # type: ignore[no-untyped-def]
    workbook = Workbook()
    workbook.remove(workbook.active)
    accounts = {a.id: a for a in service._accounts(session, unit)}
    categories = {c.category.id: c.category for c in service.by_category(session, unit, start, end)}
    result = service.ledger(session, unit, start, end)
    ledger_rows: list[tuple[object, ...]] = [("", "", "", "", "期初余额", None, None, _money(result.opening_fen))]
    for line in result.lines:
        entry = line.entry
        ledger_rows.append(
            (
                entry.entry_date, entry.voucher_number, accounts[entry.account_id].name, categories[entry.category_id].name,
                entry.summary, _money(line.income_fen) if line.income_fen else None,
                _money(line.expense_fen) if line.expense_fen else None, _money(line.balance_fen),
            )
        )
    ledger_rows.append(("", "", "", "", "期末余额", None, None, _money(result.closing_fen)))
    _sheet(workbook, "日记账", LEDGER_HEADERS, ledger_rows, (6, 7, 8))
    trial = [
        (r.account.code, r.account.name, _money(r.opening_fen), _money(r.income_fen), _money(r.expense_fen), _money(r.closing_fen))
        for r in service.trial_balance(session, unit, start, end)
    ]
    _sheet(workbook, "科目余额表", TRIAL_HEADERS, trial, (3, 4, 5, 6))
    totals = [
        (DIRECTIONS[t.category.direction], t.category.code, t.category.name, _money(t.amount_fen), t.entries)
        for t in service.by_category(session, unit, start, end)
    ]
    _sheet(workbook, "收支分类汇总", CATEGORY_HEADERS, totals, (4,))
    requests = session.scalars(
        select(ExpenseRequest)
        .where(ExpenseRequest.org_unit_id == unit.id, ExpenseRequest.requested_on >= start, ExpenseRequest.requested_on <= end)
        .order_by(ExpenseRequest.requested_on, ExpenseRequest.id)
    )
    request_rows = [
        (
            r.requested_on, r.title, _money(r.amount_fen), service.TIER_NAMES[r.tier],
            "；".join(f"{STEP_NAMES[s.kind]}：{STEP_STATUSES[s.status]}" for s in service.steps_of(session, r)),
            REQUEST_STATUSES[r.status], r.paid_on,
        )
        for r in requests
    ]
    _sheet(workbook, "开支审批", REQUEST_HEADERS, request_rows, (3,))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_report(request: Request) -> Response:
    deployment = request.app.state.deployment
    ref = request.path_params["unit_id"]
    try:
        today = local_today()
        start = date.fromisoformat(request.query_params["from"]) if "from" in request.query_params else date(today.year, 1, 1)
        end = date.fromisoformat(request.query_params["to"]) if "to" in request.query_params else today
    except ValueError:
        return _error(400, "日期格式应为 YYYY-MM-DD。")
    if end < start:
        return _error(400, "结束日期不能早于开始日期。")
    with deployment.session_factory() as session:
        principal = principal_from_authorization(session, request.headers.get("authorization"))
        if principal is None:
            return _error(401, "请先登录。")
        unit = session.get(OrgUnit, int(ref)) if ref.isascii() and ref.isdigit() and 0 < int(ref) <= MAX_INTEGER_PK else None
        if unit is None:
            return _error(404, "没有找到这个单位。")
        if not can(principal, d.EXPORT.code, unit):
            return _error(403, "没有导出此单位财务报表的权限（finance.export）。")
        if not is_plugin_active(session, unit, service.PLUGIN):
            return _error(403, f"财务模块在“{unit.name}”未启用。")
        content = build_workbook(session, unit, start, end)
    filename = quote(f"{unit.name}财务报表_{start}_{end}.xlsx")
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{filename}"},
    )


ROUTES = [Route("/finance/{unit_id}/report.xlsx", export_report, methods=["GET"])]
