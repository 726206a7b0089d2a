"""Demo books of the demo community: the committee's posts (secretary, chair,
vice-chair, accountant, cashier, linked to the demo accounts of those roles),
books opened at the start of the last finished half-year, monthly income,
expenses of all three approval tiers taken through approval, signatures,
payment and booking, closed months, one correction by reversal, a pending
request at each tier, a refused item reported to the street office, the
chair's term marked as managing the funds, a quarterly audit and the
half-year disclosure sent to the party organization.

Everything goes through ``plugins.finance.service`` with the demo users'
principals, so the demo obeys the same rules as real use; only the dates of
past requests are set back, since a request is created "today".
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.models import User
from core.auth.permissions import Principal
from core.auth.service import principal_for_user
from core.board.service import CORE_CATEGORY_REGISTRY
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.documents.samples import pdf_with_text
from core.documents.service import IncomingFile, attach
from core.documents.storage import storage_for
from core.meetings.demo import hold_assembly
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.plugin_host import host_for_plugins
from core.policy.service import CHINA_STANDARD_TIME, local_today
from core.posts import service as posts
from core.posts.models import Body
from core.settings import ROLE_GRASSROOTS, Settings
from plugins.finance import service
from plugins.finance.documents import DOCUMENT_CLASSES as VOUCHER_CLASSES
from plugins.finance.models import (
    AUDIT_QUARTERLY,
    EXPENSE,
    INCOME,
    SIGN_CHAIR,
    SIGN_HANDLER,
    FinanceAccount,
    FinanceCategory,
)


def _body(session: Session, unit: OrgUnit, kind: str, name: str) -> Body:
    found = session.scalars(
        select(Body).where(Body.org_unit_id == unit.id, Body.kind == kind).order_by(Body.id)
    ).first()
    return found or posts.create_body(session, org_unit_id=unit.id, kind=kind, name=name)


def _staff_posts(session: Session, unit: OrgUnit, users: dict[str, User], start: date) -> None:
    """Give the committee's posts to residents of the community, linked to the demo
    accounts; posts someone else (another plugin's demo) already filled are kept."""
    party = _body(session, unit, "party_organization", f"{unit.name}党委")
    committee = _body(session, unit, "residents_committee", f"{unit.name}居民委员会")
    supervision = _body(session, unit, "supervision_committee", f"{unit.name}居务监督委员会")
    wanted = (
        (party, "secretary", "party_secretary"),
        (committee, "chair", "committee_chair"),
        (committee, "vice_chair", "community_worker"),
        (committee, "member", None),
        (committee, "accountant", "accountant"),
        (committee, "cashier", "cashier"),
        (supervision, "supervisor", "supervisor"),
    )
    taken = {a.resident_id for a in posts.holders(session, unit, on=start)}
    people = iter(
        session.scalars(
            select(Resident)
            .where(
                in_subtree(Resident.org_path, unit.path),
                Resident.moved_out_on.is_(None),
                Resident.id.not_in(taken or {0}),
            )
            .order_by(Resident.id)
            .limit(40)
        )
    )
    for body, post, username in wanted:
        if posts.holders(session, unit, post, on=start) and post != "member":
            continue
        resident = next(people, None)
        if resident is None:
            return
        user = users.get(username) if username else None
        posts.assign(
            session,
            body_id=body.id,
            post_code=post,
            resident_id=resident.id,
            term_start=start,
            user_id=user.id if user is not None else None,
            note="演示数据",
        )


def _post_user(session: Session, unit: OrgUnit, post: str) -> Principal | None:
    for assignment in posts.holders(session, unit, post):
        user_id = assignment.user_id or session.scalar(
            select(User.id).where(User.resident_id == assignment.resident_id)
        )
        if user_id is not None:
            return principal_for_user(session, user_id)
    return None


def load_demo_finance(session: Session, settings: Settings, progress: Progress, *, today: date | None = None) -> int:
    """Returns the number of ledger entries booked; none without the demo accounts."""
    names = (
        "accountant",
        "cashier",
        "committee_chair",
        "party_secretary",
        "community_worker",
        "street_leader",
        "street_staff",
        "supervisor",
    )
    found = {name: demo_account(session, name) for name in names}
    accounts = {name: value for name, value in found.items() if value is not None}
    if len(accounts) < len(found):
        return 0
    unit = accounts["accountant"][1]
    if settings.role_of(unit.level) != ROLE_GRASSROOTS:
        return 0
    users = {name: value[0] for name, value in accounts.items()}
    who: dict[str, Principal] = {}
    for name, u in users.items():
        principal = principal_for_user(session, u.id)
        if principal is None:
            return 0
        who[name] = principal
    today = today or local_today()
    current_half, _ = service.half_year_of(today)
    opened = service.half_year_of(current_half - timedelta(days=1))[0]
    _staff_posts(session, unit, users, opened - timedelta(days=400))
    # Whoever holds each signing post signs; another module's demo may have filled one.
    for post, name in (("chair", "committee_chair"), ("secretary", "party_secretary")):
        holder = _post_user(session, unit, post)
        if holder is None:
            return 0
        who[name] = holder
    service.open_books(
        session, who["accountant"], unit, opened_on=opened, cash_opening_fen=320_000, bank_opening_fen=12_650_000
    )
    cash, bank = session.scalars(
        select(FinanceAccount).where(FinanceAccount.org_unit_id == unit.id).order_by(FinanceAccount.code)
    ).all()
    cat = {
        (c.direction, c.code): c
        for c in session.scalars(select(FinanceCategory).where(FinanceCategory.org_unit_id == unit.id))
    }
    booked = 0

    def doc(kind: str, number: str, issuer: str, day: date, fen: int) -> service.Document:
        return service.Document(kind, number, issuer, day, fen)

    def income(day: date, code: str, fen: int, summary: str, issuer: str) -> Any:
        nonlocal booked
        booked += 1
        return service.post_income(
            session,
            who["accountant"],
            unit,
            account_id=bank.id,
            category_id=cat[(INCOME, code)].id,
            amount_fen=fen,
            entry_date=day,
            summary=summary,
            documents=[doc("receipt", f"SR{day:%Y%m%d}{booked:02d}", issuer, day, fen)],
        )

    def expense(
        day: date, code: str, fen: int, title: str, issuer: str, *, account: FinanceAccount = cash, finish: bool = True
    ) -> Any:
        nonlocal booked
        request = service.create_request(
            session,
            who["community_worker"],
            unit,
            title=title,
            amount_fen=fen,
            category_id=cat[(EXPENSE, code)].id,
            account_id=account.id,
            documents=[doc("invoice", f"FP{day:%Y%m%d}{fen % 997:03d}", issuer, day, fen)],
        )
        request.requested_on = day
        if not finish:
            return request
        for step in request.chain["steps"]:
            if step == "chair":
                service.approve_step(session, who["committee_chair"], request.id, note="同意")
            elif step == "assembly":
                # The assembly meets on the day and decides the expense: a core meeting of the representatives.
                _, [decided] = hold_assembly(
                    session,
                    unit,
                    held_on=day,
                    title=f"社区成员代表大会（{title}）",
                    present=24,
                    decisions=[(f"同意{title}，经费{fen / 100:.2f}元", 22, 1)],
                    minutes=f"代表审议{title}的预算和必要性，表决通过。",
                    close=True,
                    host=host_for_plugins(settings.plugins),
                    today=today,
                )
                service.record_resolution(
                    session,
                    who["committee_chair"],
                    request.id,
                    number=f"代表大会〔{day.year}〕{day.month}号",
                    resolution_id=decided.id,
                )
            elif step == "street":
                service.approve_step(session, who["street_leader"], request.id, note="同意，按规定使用")
            else:
                service.approve_step(session, who["street_staff"], request.id, note="已备案")
        # Approved on the day it was asked for, like the request itself.
        request.decided_at = datetime.combine(day, time(10), CHINA_STANDARD_TIME)
        for role in request.chain["signatures"]:
            signer = {SIGN_HANDLER: "community_worker", SIGN_CHAIR: "committee_chair"}.get(role, "party_secretary")
            service.sign(session, who[signer], request.id, role=role)
        service.pay(session, who["cashier"], request.id, paid_on=day)
        booked += 1
        return service.book_expense(session, who["accountant"], request.id, entry_date=day)

    month = opened
    month_index = 0
    while month < service.month_start(today):
        income(month + timedelta(days=4), "401", 500_000, "上级拨付本月办公经费", "区财政局")
        expense(month + timedelta(days=9), "501", 8_650, "购买打印纸、墨盒", "青岛文具商行")
        expense(month + timedelta(days=14), "502", 46_200, "社区服务站水电费", "青岛供电公司", account=bank)
        if month_index % 3 == 0:
            income(month + timedelta(days=6), "402", 2_500_000, "服务群众专项经费拨付", "市南区民政局")
            expense(
                month + timedelta(days=19),
                "504",
                286_000,
                "背街小巷环境整治（清运、补绿）",
                "青岛绿城环境工程有限公司",
                account=bank,
            )
        if month_index % 2 == 1:
            expense(month + timedelta(days=17), "503", 38_000, "重阳节敬老活动用品", "青岛百货大楼")
        month = service.month_end(month) + timedelta(days=1)
        month_index += 1
    # A wrong booking corrected by a reversing entry in the same (open) month.
    wrong = income(opened + timedelta(days=24), "409", 60_000, "废旧物品变卖收入（误记）", "再生资源回收站")
    service.reverse_entry(
        session, who["accountant"], wrong.id, entry_date=opened + timedelta(days=25), reason="重复入账"
    )
    booked += 1
    close = opened
    while service.month_end(close) < today and close < service.month_start(today):
        service.close_month(session, who["accountant"], unit, close)
        close = service.month_end(close) + timedelta(days=1)
    # The chair keeps the community's funds (掌管社区经费): audited on leaving.
    for assignment in posts.holders(session, unit, "chair"):
        posts.set_manages_funds(session, assignment, True)
    # A non-compliant item the accountant refused and reported to the street office.
    refused = expense(today, "509", 68_000, "工作人员聚餐（无预算）", "青岛海鲜酒楼", finish=False)
    service.refuse_payment(
        session, who["accountant"], refused.id, reason="招待聚餐不属于社区工作经费开支范围", report_to_street=True
    )
    # Pending requests, one per tier, waiting for their approvers.
    pending = expense(today, "501", 9_000, "购买社区活动室饮水机滤芯", "青岛家电城", finish=False)
    # The scan of its invoice, attached as the handler would upload it.
    attach(
        session,
        who["community_worker"],
        storage_for(settings),
        VOUCHER_CLASSES[0],
        pending,
        IncomingFile("invoice-scan.pdf", pdf_with_text(f"Invoice FP{today:%Y%m%d} Qingdao appliance store 90.00 CNY")),
    )
    expense(today, "503", 42_000, "社区广场舞比赛奖品", "青岛百货大楼", finish=False)
    expense(today, "504", 1_280_000, "3 号楼雨污管道疏通改造", "青岛市政维修公司", account=bank, finish=False)
    audit = service.start_audit(
        session,
        who["supervisor"],
        unit,
        kind=AUDIT_QUARTERLY,
        period_start=opened,
        period_end=opened + timedelta(days=89),
    )
    service.complete_audit(
        session,
        who["supervisor"],
        audit.id,
        findings="账账、账款、账实相符；凭证齐全，审批手续完备。",
        conclusion="未发现问题，财务管理规范。",
    )
    service.generate_disclosure(
        session, who["committee_chair"], unit, period_start=opened, categories=CORE_CATEGORY_REGISTRY
    )
    progress.note(f"财务演示数据：{unit.name}记账凭证 {booked} 张，待审批开支 3 笔，半年财务公开待党组织审核")
    return booked
