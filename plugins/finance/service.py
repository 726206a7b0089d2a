"""The rules of a community's books, enforced.

Every write function takes ``who`` (a ``Principal`` or a request context),
checks the permission at the community and then the posts the person holds
(``plugins.finance.duties``), and raises ``UserInputError`` with a Chinese
message when a rule is broken. Rows that two people may act on at once (an
expense request, a community's accounts) are locked with ``SELECT … FOR
UPDATE`` before their state is checked, so that two approvers or two
payments racing each other are serialized on PostgreSQL (SQLite serializes
writers anyway) and the second sees the first's result.

The life of an expense: ``create_request`` (the approval chain and the
signatures required are computed from policy and stored with the request)
→ ``approve_step`` / ``record_resolution`` for each step in order (or
``reject``) → ``sign`` by the handler, the chair and the secretary (or a
vice-chair under 一肩挑) → ``pay`` by the cashier (or ``refuse_payment``)
→ ``book_expense`` by the accountant; the handler may ``cancel_request``
before payment. Income is booked with
``post_income``; nothing is booked without a supporting document (no 白条).
A closed month (``close_month``) and every month before it are immutable;
nothing is dated before the books were opened, a payment not before its
request's approval, a booking not before its payment; ``reverse_entry``
corrects in an open month. ``record_cash_count`` is the daily clearing (日清);
audits, the half-yearly disclosure, funding standards, reports, the
street overview and each person's to-do list follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.api.errors import (
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    UserInputError,
)
from core.auth.permissions import (
    PermissionRegistry,
    Principal,
    can,
    require,
    require_different_people,
    require_signed_in,
    scope_condition,
)
from core.board import service as board
from core.board.categories import NoticeCategoryRegistry
from core.board.models import WITHDRAWN, Notice
from core.db import get_row, utcnow
from core.meetings.builtin import REPRESENTATIVES_ASSEMBLY
from core.meetings.models import Meeting, MeetingResolution
from core.meetings.service import check_decision, link_subject
from core.org.models import OrgUnit
from core.org.service import get_unit, in_subtree
from core.people.models import Household, Resident
from core.policy.service import CHINA_STANDARD_TIME, local_today, resolve
from core.policy.thresholds import AT_LEAST, AT_MOST
from core.posts import service as posts
from core.posts.kinds import VILLAGERS_COMMITTEE
from core.posts.models import Body, PostAssignment
from core.reporting.models import DONE_STATUSES, ObligationInstance
from core.reporting.policy_keys import LOCK_AFTER_DAYS
from core.settings import ROLE_GRASSROOTS, settings_of
from plugins.finance import declarations as d
from plugins.finance import duties
from plugins.finance.documents import scan_count
from plugins.finance.models import (
    APPROVED,
    AUDIT_COMPLETED,
    AUDIT_DEPARTURE,
    AUDIT_KINDS,
    AUDIT_OPEN,
    AUDIT_QUARTERLY,
    BOOKED,
    CANCELLED,
    CASH,
    DIRECTIONS,
    EXPENSE,
    INCOME,
    MEETING_STEPS,
    PAID,
    PENDING,
    REFUSED,
    REJECTED,
    REQUEST_STATUSES,
    SIGN_CHAIR,
    SIGN_HANDLER,
    SIGN_SECOND_VICE_CHAIR,
    SIGN_SECRETARY,
    SIGN_VICE_CHAIR,
    SIGNATURE_NAMES,
    STEP_APPROVED,
    STEP_ASSEMBLY,
    STEP_CHAIR,
    STEP_FILING,
    STEP_JOINT_MEETING,
    STEP_NAMES,
    STEP_PENDING,
    STEP_REJECTED,
    STEP_STREET,
    STEP_VILLAGERS_MEETING,
    SUMMARY_LENGTH,
    VICE_CHAIR_SIGNATURES,
    ApprovalStep,
    CashCount,
    Disclosure,
    ExpenseRequest,
    FinanceAccount,
    FinanceAudit,
    FinanceCategory,
    LedgerEntry,
    MonthClose,
    Signature,
)

PLUGIN = "finance"
FEN_PER_YUAN = 100
# Largest amount one request or entry may carry: 100 million yuan.
MAX_AMOUNT_FEN = 100_000_000 * FEN_PER_YUAN

TIER_CHAIR = "chair"
TIER_STREET = "street"
TIER_ASSEMBLY = "assembly"
# The bands of DOMAIN 3.2 (100元以内 / 100元至500元 / 500元以上).
BAND_NAMES = {TIER_CHAIR: "小额", TIER_STREET: "中额", TIER_ASSEMBLY: "大额"}
TIER_STEP_KEYS = {
    TIER_CHAIR: (d.CHAIR_STEPS, d.VILLAGE_CHAIR_STEPS),
    TIER_STREET: (d.STREET_STEPS, d.VILLAGE_STREET_STEPS),
    TIER_ASSEMBLY: (d.ASSEMBLY_STEPS, d.VILLAGE_ASSEMBLY_STEPS),
}
PROCEDURE_COMMUNITY = "community"
PROCEDURE_VILLAGE = "village"


def tier_name(tier: str, steps: list[str]) -> str:
    """The band and what it takes, e.g. “中额：居（村）委会主任审批→街道办事处分管主任同意”."""
    return f"{BAND_NAMES.get(tier, tier)}：{'→'.join(STEP_NAMES.get(s, s) for s in steps) or '无须审批'}"


# The post whose holder signs in each countersigning capacity.
SIGNING_POSTS = {
    SIGN_CHAIR: duties.CHAIR,
    SIGN_SECRETARY: duties.SECRETARY,
    SIGN_VICE_CHAIR: duties.VICE_CHAIR,
    SIGN_SECOND_VICE_CHAIR: duties.VICE_CHAIR,
}

DEFAULT_ACCOUNTS = (("1001", "库存现金", CASH), ("1002", "银行存款", "bank"))
DEFAULT_CATEGORIES = (
    (INCOME, "401", "上级拨付工作经费"),
    (INCOME, "402", "服务群众专项经费"),
    (INCOME, "403", "社会捐赠"),
    (INCOME, "409", "其他收入"),
    (EXPENSE, "501", "办公费"),
    (EXPENSE, "502", "水电费"),
    (EXPENSE, "503", "文体活动"),
    (EXPENSE, "504", "环境整治"),
    (EXPENSE, "505", "人员补贴"),
    (EXPENSE, "506", "困难救助"),
    (EXPENSE, "509", "其他支出"),
)
DOCUMENT_KINDS = {
    "invoice": "发票",
    "receipt": "收据",
    "contract": "合同",
    "payroll": "工资（补贴）表",
    "other": "其他",
}


# --- money ------------------------------------------------------------------------------------


def to_fen(amount: Decimal | int | str, *, field: str = "amount", allow_zero: bool = False) -> int:
    """Yuan (at most two decimals) to integer fen; refuses floats' inexactness by never taking one."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise UserInputError("INVALID_AMOUNT", "金额格式不正确。", field) from exc
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise UserInputError("INVALID_AMOUNT", "金额最多保留两位小数（分）。", field)
    fen = int(value * FEN_PER_YUAN)
    if fen < 0 or (fen == 0 and not allow_zero):
        raise UserInputError("INVALID_AMOUNT", "金额须大于零。", field)
    if fen > MAX_AMOUNT_FEN:
        raise UserInputError("INVALID_AMOUNT", "金额超出范围。", field)
    return fen


def policy_fen(value: Decimal | int) -> int:
    """A policy amount in yuan as fen (rounded to the fen)."""
    return int((Decimal(value) * FEN_PER_YUAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def local_date(moment: datetime) -> date:
    """The calendar day in China of a stored timestamp (naive ones are UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_STANDARD_TIME).date()


def yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(Decimal("0.01"))


def yuan_text(fen: int) -> str:
    return f"{yuan(fen):,.2f}"


# --- loading ----------------------------------------------------------------------------------


def _principal(who: Any) -> Principal:
    return require_signed_in(who)


def community(session: Session, unit: OrgUnit | int, field: str = "orgUnitId") -> OrgUnit:
    found = unit if isinstance(unit, OrgUnit) else get_unit(session, unit, field=field)
    if settings_of(session).role_of(found.level) != ROLE_GRASSROOTS:
        raise UserInputError(
            "NOT_A_COMMUNITY", f"“{found.name}”不是社区（村），居委会账簿只建在社区（村）一级。", field
        )
    return found


def get_account(session: Session, account_id: int, *, field: str = "accountId", lock: bool = False) -> FinanceAccount:
    return get_row(session, FinanceAccount, account_id, what="账户", field=field, lock=lock)


def get_category(session: Session, category_id: int, *, field: str = "categoryId") -> FinanceCategory:
    return get_row(session, FinanceCategory, category_id, what="收支科目", field=field)


def get_request(session: Session, request_id: int, *, field: str = "requestId", lock: bool = False) -> ExpenseRequest:
    return get_row(session, ExpenseRequest, request_id, what="开支申请", field=field, lock=lock)


def get_entry(session: Session, entry_id: int, *, field: str = "entryId") -> LedgerEntry:
    return get_row(session, LedgerEntry, entry_id, what="记账凭证", field=field)


def get_audit(session: Session, audit_id: int, *, field: str = "auditId", lock: bool = False) -> FinanceAudit:
    return get_row(session, FinanceAudit, audit_id, what="审计", field=field, lock=lock)


def unit_of(session: Session, row: Any) -> OrgUnit:
    unit = session.get(OrgUnit, row.org_unit_id)
    assert unit is not None
    return unit


def _lock_books(session: Session, unit: OrgUnit) -> list[FinanceAccount]:
    """Lock every account of the community, in id order: posting, closing and
    counting cash on one community's books happen one after the other."""
    return list(
        session.scalars(
            select(FinanceAccount)
            .where(FinanceAccount.org_unit_id == unit.id)
            .order_by(FinanceAccount.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def _clean_text(value: str | None, field: str, label: str, *, required: bool, limit: int | None = None) -> str | None:
    clean = (value or "").strip() or None
    if clean is None and required:
        raise UserInputError("REQUIRED", f"请填写{label}。", field)
    if clean is not None and limit is not None and len(clean) > limit:
        raise UserInputError("TOO_LONG", f"{label}不能超过 {limit} 个字。", field)
    return clean


# --- setting up the books -------------------------------------------------------------------


def open_books(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    opened_on: date,
    cash_opening_fen: int = 0,
    bank_opening_fen: int = 0,
    registry: PermissionRegistry | None = None,
) -> list[FinanceAccount]:
    """建账: the default accounts (库存现金, 银行存款) and categories of a community."""
    require(who, d.MANAGE_BOOKS.code, unit, registry=registry)
    community(session, unit)
    if session.scalar(select(FinanceAccount.id).where(FinanceAccount.org_unit_id == unit.id).limit(1)) is not None:
        raise UserInputError("ALREADY_OPEN", f"“{unit.name}”已经建账。", "orgUnitId")
    openings = {CASH: cash_opening_fen, "bank": bank_opening_fen}
    accounts = [
        FinanceAccount(
            org_unit_id=unit.id,
            org_path=unit.path,
            code=code,
            name=name,
            kind=kind,
            opening_balance_fen=openings[kind],
            opened_on=opened_on,
        )
        for code, name, kind in DEFAULT_ACCOUNTS
    ]
    session.add_all(accounts)
    session.add_all(
        FinanceCategory(org_unit_id=unit.id, org_path=unit.path, direction=direction, code=code, name=name)
        for direction, code, name in DEFAULT_CATEGORIES
    )
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("CONCURRENT_CHANGE", "账簿刚被他人建立，请刷新。", "orgUnitId") from exc
    return accounts


def add_category(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    direction: str,
    code: str,
    name: str,
    registry: PermissionRegistry | None = None,
) -> FinanceCategory:
    require(who, d.MANAGE_BOOKS.code, unit, registry=registry)
    community(session, unit)
    if direction not in DIRECTIONS:
        raise UserInputError("INVALID_DIRECTION", "收支方向只能是收入或支出。", "direction")
    clean_code = _clean_text(code, "code", "科目代码", required=True, limit=32)
    clean_name = _clean_text(name, "name", "科目名称", required=True, limit=100)
    exists = session.scalar(
        select(FinanceCategory.id).where(
            FinanceCategory.org_unit_id == unit.id,
            FinanceCategory.direction == direction,
            FinanceCategory.code == clean_code,
        )
    )
    if exists is not None:
        raise UserInputError("DUPLICATE_CODE", f"科目代码“{clean_code}”已存在。", "code")
    category = FinanceCategory(
        org_unit_id=unit.id, org_path=unit.path, direction=direction, code=clean_code, name=clean_name
    )
    session.add(category)
    session.flush()
    return category


# --- documents (凭证) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """Metadata of a supporting document: what it is, its number, who issued it, when, for how much."""

    kind: str
    number: str
    issuer: str
    issued_on: date
    amount_fen: int

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "issuer": self.issuer,
            "issuedOn": self.issued_on.isoformat(),
            "amountFen": self.amount_fen,
        }


def check_documents(
    documents: list[Document], *, field: str = "documents", required: bool = True
) -> list[dict[str, Any]]:
    """Every income and expense needs a document (收有凭，支有据); an entry
    without one is an informal IOU (白条) and refused."""
    if not documents:
        if required:
            raise UserInputError("INFORMAL_IOU", "没有发票或收据等原始凭证，不得入账或报销（禁止白条下账）。", field)
        return []
    problems: list[ErrorDetail] = []
    for index, doc in enumerate(documents):
        where = f"{field}.{index}"
        if doc.kind not in DOCUMENT_KINDS:
            problems.append(ErrorDetail("INVALID_DOCUMENT", f"未知的凭证类型“{doc.kind}”。", where))
        if not doc.number.strip() or not doc.issuer.strip():
            problems.append(ErrorDetail("INVALID_DOCUMENT", "凭证须写明编号和开具单位。", where))
        if doc.amount_fen <= 0:
            problems.append(ErrorDetail("INVALID_DOCUMENT", "凭证金额须大于零。", where))
        if doc.issued_on > local_today():
            problems.append(ErrorDetail("INVALID_DOCUMENT", "凭证开具日期不能晚于今天。", where))
    if problems:
        raise UserInputError(errors=problems)
    return [doc.as_json() for doc in documents]


# --- approval chain -------------------------------------------------------------------------


def compute_chain(
    session: Session, unit: OrgUnit, amount_fen: int, on: date, requester_posts: set[str] | frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The approval chain and the signatures a request of ``amount_fen`` needs,
    from the policy in force for ``unit`` on ``on``: stored with the request.

    Nobody approves or countersigns their own expense: when the handler is
    the chair, the chair's step goes up to the street office (主任本人经办的
    开支由街道办事处分管主任审批), and a vice-chair countersigns in place of
    whichever of chair and secretary the handler is."""
    chair_max = policy_fen(resolve(session, unit, d.CHAIR_MAX, on))
    street_max = policy_fen(resolve(session, unit, d.STREET_MAX, on))
    chair_inclusive = resolve(session, unit, d.CHAIR_COMPARATOR, on) == AT_MOST
    assembly_inclusive = resolve(session, unit, d.ASSEMBLY_COMPARATOR, on) == AT_LEAST
    if amount_fen < chair_max or (chair_inclusive and amount_fen == chair_max):
        tier = TIER_CHAIR
    elif amount_fen > street_max or (assembly_inclusive and amount_fen == street_max):
        tier = TIER_ASSEMBLY
    else:
        tier = TIER_STREET
    village = is_village(session, unit)
    community_key, village_key = TIER_STEP_KEYS[tier]
    steps = list(resolve(session, unit, village_key if village else community_key, on))
    if duties.CHAIR in requester_posts and STEP_CHAIR in steps:
        # The chair's own expense goes to the body above the chair: the
        # street office, or in a village the joint meeting of the 两委.
        above = STEP_JOINT_MEETING if village else STEP_STREET
        steps = (
            [s for s in steps if s != STEP_CHAIR]
            if above in steps
            else [above if s == STEP_CHAIR else s for s in steps]
        )
    same = posts.is_same_person_holding(session, unit, duties.CHAIR, duties.SECRETARY, on=on)
    signatures = required_signatures(requester_posts, chair_is_secretary=same)
    return {
        "tier": tier,
        "steps": steps,
        "signatures": signatures,
        "requesterPosts": sorted(requester_posts & {duties.CHAIR, duties.SECRETARY, duties.VICE_CHAIR}),
        "chairMaxFen": chair_max,
        "streetMaxFen": street_max,
        "chairComparator": "<=" if chair_inclusive else "<",
        "assemblyComparator": ">=" if assembly_inclusive else ">",
        "procedure": PROCEDURE_VILLAGE if village else PROCEDURE_COMMUNITY,
        "chairIsSecretary": same,
        "policyOn": on.isoformat(),
    }


def is_village(session: Session, unit: OrgUnit) -> bool:
    """A village follows the village procedure (DOMAIN 2.9): it is the unit
    whose self-governing body is a villagers' committee (村民委员会), whatever
    its level is called."""
    found = session.scalar(
        select(Body.id).where(Body.org_unit_id == unit.id, Body.kind == VILLAGERS_COMMITTEE).limit(1)
    )
    return found is not None


def required_signatures(requester_posts: set[str] | frozenset[str], *, chair_is_secretary: bool) -> list[str]:
    """发票和收据须由经办人、主任、书记三人以上签字; when chair and secretary
    are one person (一肩挑) a vice-chair signs besides the handler and the
    chair (seed 000). Nobody countersigns their own expense: a capacity the
    handler holds is signed by a vice-chair instead — by a second vice-chair
    when a vice-chair already signs, so that three people still sign (the
    chair-secretary handling their own expense needs two vice-chairs)."""
    countersign = [SIGN_CHAIR, SIGN_VICE_CHAIR if chair_is_secretary else SIGN_SECRETARY]
    signatures = [SIGN_HANDLER]
    for role in countersign:
        # The signing capacities share their codes with the posts.
        if role != SIGN_VICE_CHAIR and role in requester_posts:
            role = next(r for r in VICE_CHAIR_SIGNATURES if r not in signatures and r not in countersign)
        signatures.append(role)
    vice = iter(VICE_CHAIR_SIGNATURES)
    return [next(vice) if role in VICE_CHAIR_SIGNATURES else role for role in signatures]


def _check_signers_available(
    session: Session, unit: OrgUnit, chain: dict[str, Any], requester_id: int, on: date
) -> None:
    """Refuse at filing a request whose vice-chair signatures cannot be
    collected: approved, it could never be signed or paid."""
    needed = sum(1 for role in chain["signatures"] if role in VICE_CHAIR_SIGNATURES)
    if not needed:
        return
    vice_chairs = [
        a
        for a in posts.holders(session, unit, duties.VICE_CHAIR, on=on)
        if not duties.is_person_of(session, a, requester_id)
    ]
    available = len({a.resident_id for a in vice_chairs})
    if available < needed:
        raise UserInputError(
            "NO_SUBSTITUTE_SIGNER",
            f"发票和收据须经办人、主任、书记三人以上签字，主任书记一人兼任或本人经办时由副主任签字：本申请须有 {needed} 名副主任签字，"
            f"而“{unit.name}”除经办人外在任的副主任只有 {available} 名，签字无法凑齐。请改由其他工作人员经办。",
            "orgUnitId",
        )


def _require_own_books(unit: OrgUnit, category: FinanceCategory, account: FinanceAccount) -> None:
    """The category and the account belong to ``unit``'s books; each one that does not is named."""
    problems = [
        ErrorDetail("OTHER_UNIT", f"{what}须属于本社区账簿。", field)
        for row, what, field in ((category, "收支科目", "categoryId"), (account, "账户", "accountId"))
        if row.org_unit_id != unit.id
    ]
    if problems:
        raise UserInputError(errors=problems)


def create_request(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    title: str,
    amount_fen: int,
    category_id: int,
    account_id: int,
    purpose: str | None = None,
    documents: list[Document] | None = None,
    registry: PermissionRegistry | None = None,
) -> ExpenseRequest:
    principal = require(who, d.REQUEST.code, unit, registry=registry)
    community(session, unit)
    clean_title = _clean_text(title, "title", "开支事由", required=True, limit=SUMMARY_LENGTH)
    category = get_category(session, category_id)
    account = get_account(session, account_id)
    _require_own_books(unit, category, account)
    if category.direction != EXPENSE:
        raise UserInputError("WRONG_DIRECTION", f"“{category.name}”是收入科目，开支须用支出科目。", "categoryId")
    today = local_today()
    chain = compute_chain(session, unit, amount_fen, today, duties.held_posts(session, unit, principal.id, today))
    _check_signers_available(session, unit, chain, principal.id, today)
    request = ExpenseRequest(
        org_unit_id=unit.id,
        org_path=unit.path,
        title=clean_title,
        purpose=(purpose or "").strip() or None,
        amount_fen=amount_fen,
        category_id=category.id,
        account_id=account.id,
        requested_by_id=principal.id,
        requested_on=today,
        status=PENDING,
        tier=chain["tier"],
        chain=chain,
        documents=check_documents(documents or [], required=False),
    )
    session.add(request)
    session.flush()
    session.add_all(
        ApprovalStep(request_id=request.id, position=index, kind=kind, status=STEP_PENDING)
        for index, kind in enumerate(chain["steps"])
    )
    session.flush()
    return request


def steps_of(session: Session, request: ExpenseRequest) -> list[ApprovalStep]:
    return list(
        session.scalars(
            select(ApprovalStep).where(ApprovalStep.request_id == request.id).order_by(ApprovalStep.position)
        )
    )


def signatures_of(session: Session, request: ExpenseRequest) -> list[Signature]:
    return list(session.scalars(select(Signature).where(Signature.request_id == request.id).order_by(Signature.id)))


def current_step(session: Session, request: ExpenseRequest) -> ApprovalStep | None:
    return next((s for s in steps_of(session, request) if s.status == STEP_PENDING), None)


def _expect_pending(request: ExpenseRequest) -> None:
    if request.status != PENDING:
        raise UserInputError(
            "INVALID_STATUS", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，不在审批中。", "requestId"
        )


def _check_step_actor(
    session: Session, principal: Principal, unit: OrgUnit, step: ApprovalStep, registry: PermissionRegistry | None
) -> None:
    if step.kind == STEP_CHAIR:
        require(principal, d.APPROVE_CHAIR.code, unit, registry=registry)
        duties.require_post(session, unit, principal, duties.CHAIR, "居（村）委会主任", "requestId")
    elif step.kind == STEP_STREET:
        require(principal, d.APPROVE_STREET.code, unit, registry=registry)
        duties.require_grant_above(principal, d.APPROVE_STREET.code, unit, "街道办事处分管主任", "requestId")
    elif step.kind == STEP_FILING:
        require(principal, d.FILE.code, unit, registry=registry)
        duties.require_grant_above(principal, d.FILE.code, unit, "街道办事处", "requestId")
    elif step.kind in MEETING_STEPS:
        require(principal, d.RECORD_RESOLUTION.code, unit, registry=registry)


def _advance(request: ExpenseRequest, steps: list[ApprovalStep]) -> None:
    if all(s.status == STEP_APPROVED for s in steps):
        request.status = APPROVED
        request.decided_at = utcnow()


def approve_step(
    session: Session, who: Any, request_id: int, *, note: str | None = None, registry: PermissionRegistry | None = None
) -> ExpenseRequest:
    """Approve the request's current step, as the person that step names."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    _expect_pending(request)
    step = current_step(session, request)
    assert step is not None  # a pending request has a pending step
    if step.kind in MEETING_STEPS:
        raise UserInputError(
            "ASSEMBLY_RESOLUTION_REQUIRED",
            f"此步骤须登记“{STEP_NAMES[step.kind]}”的决定（会议日期、文号、出席与表决人数）。",
            "requestId",
        )
    _check_step_actor(session, principal, unit, step, registry)
    require_different_people(request.requested_by_id, principal.id, field="requestId")
    step.status = STEP_APPROVED
    step.acted_by_id = principal.id
    step.acted_at = utcnow()
    step.note = (note or "").strip() or None
    _advance(request, steps_of(session, request))
    session.flush()
    return request


def quorum_problems(
    representatives: int, attendance: int, votes_for: int, minimum: int, *, who: str = "代表"
) -> list[ErrorDetail]:
    """The meeting's rule: more than half of its members present (过半数), and
    more than half of those present in favour. ``minimum``: the fewest
    members the meeting may have (the assembly's policy; 1 elsewhere)."""
    problems: list[ErrorDetail] = []
    if representatives < minimum:
        problems.append(ErrorDetail("TOO_FEW_REPRESENTATIVES", f"{who}不少于 {minimum} 人。", "representatives"))
    if attendance < 0 or attendance > representatives:
        problems.append(ErrorDetail("INVALID_VALUE", f"出席人数须在 0 与{who}总数之间。", "attendance"))
    elif attendance * 2 <= representatives:
        problems.append(
            ErrorDetail(
                "NO_QUORUM",
                f"出席 {attendance} 人，未超过{who}总数 {representatives} 人的半数，会议不能作出决定。",
                "attendance",
            )
        )
    if votes_for < 0 or votes_for > attendance:
        problems.append(ErrorDetail("INVALID_VALUE", "赞成票数须在 0 与出席人数之间。", "votesFor"))
    elif attendance * 2 > representatives and votes_for * 2 <= attendance:
        problems.append(
            ErrorDetail(
                "NOT_PASSED", f"赞成 {votes_for} 票，未超过出席{who} {attendance} 人的半数，决定未通过。", "votesFor"
            )
        )
    return problems


# Whom a meeting step's head count counts.
MEETING_MEMBERS = {STEP_ASSEMBLY: "代表", STEP_JOINT_MEETING: "两委成员", STEP_VILLAGERS_MEETING: "应到会人员"}


def record_resolution(
    session: Session,
    who: Any,
    request_id: int,
    *,
    number: str,
    meeting_date: date | None = None,
    representatives: int | None = None,
    attendance: int | None = None,
    votes_for: int | None = None,
    resolution_id: int | None = None,
    registry: PermissionRegistry | None = None,
) -> ExpenseRequest:
    """Record the resolution of the current meeting step and check it
    against the majority rule.

    The representatives' assembly step names a resolution of a real
    meeting (``resolution_id``: a core meeting of kind
    ``representatives_assembly`` at the request's unit, its roster the
    holders of the representatives' post): quorate, adopted, with at least
    the policy number of representatives; the date and counts come from the
    meeting, never typed in. In a village, the joint meeting of the 两委 and
    the villagers' (representatives') meeting are recorded with their counts
    (``representatives``: the members the meeting has)."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    _expect_pending(request)
    step = current_step(session, request)
    assert step is not None
    if step.kind not in MEETING_STEPS:
        raise UserInputError(
            "NOT_ASSEMBLY_STEP", f"当前步骤是“{STEP_NAMES[step.kind]}”，不需要登记会议决定。", "requestId"
        )
    require(principal, d.RECORD_RESOLUTION.code, unit, registry=registry)
    require_different_people(request.requested_by_id, principal.id, field="requestId")
    clean_number = _clean_text(number, "number", "会议决定文号", required=True, limit=32)
    members = MEETING_MEMBERS[step.kind]
    if step.kind == STEP_ASSEMBLY:
        meeting, resolution = _assembly_resolution(session, unit, resolution_id, representatives, attendance, votes_for)
        meeting_date, representatives, attendance, votes_for = (
            meeting.held_on,
            meeting.expected_count,
            meeting.present_count,
            resolution.votes_for,
        )
        request.assembly_resolution_id = resolution.id
        request.assembly_date = meeting_date
        request.assembly_number = clean_number
        request.assembly_representatives = representatives
        request.assembly_attendance = attendance
        request.assembly_votes_for = votes_for
        link_subject(session, resolution, "ExpenseRequest", request.id)
    else:
        if resolution_id is not None:
            raise UserInputError(
                "NOT_AN_ASSEMBLY",
                f"“{STEP_NAMES[step.kind]}”按出席与表决人数登记，不引用代表大会决议。",
                "resolutionId",
            )
        missing = [
            f
            for f, v in (
                ("meetingDate", meeting_date),
                ("representatives", representatives),
                ("attendance", attendance),
                ("votesFor", votes_for),
            )
            if v is None
        ]
        if missing:
            raise UserInputError(
                errors=[ErrorDetail("REQUIRED", "请填写会议日期、应到人数、出席人数和赞成票数。", f) for f in missing]
            )
        assert (
            meeting_date is not None
            and representatives is not None
            and attendance is not None
            and votes_for is not None
        )
        problems = quorum_problems(representatives, attendance, votes_for, 1, who=members)
        if meeting_date > local_today():
            problems.append(ErrorDetail("INVALID_DATE", "会议日期不能晚于今天。", "meetingDate"))
        if problems:
            raise UserInputError(errors=problems)
    step.resolution = {
        "meetingDate": meeting_date.isoformat(),
        "number": clean_number,
        "members": representatives,
        "attendance": attendance,
        "votesFor": votes_for,
    }
    if step.kind == STEP_ASSEMBLY:
        step.resolution["resolutionId"] = request.assembly_resolution_id
    step.status = STEP_APPROVED
    step.acted_by_id = principal.id
    step.acted_at = utcnow()
    step.note = f"{STEP_NAMES[step.kind]} {clean_number}：{members} {representatives} 人，出席 {attendance} 人，赞成 {votes_for} 票"
    _advance(request, steps_of(session, request))
    session.flush()
    return request


def _assembly_resolution(
    session: Session, unit: OrgUnit, resolution_id: int | None, *typed: int | None
) -> tuple[Meeting, MeetingResolution]:
    """The assembly meeting and resolution a large expense cites: of this
    community's representatives' assembly, quorate, adopted, the assembly no
    smaller than policy allows."""
    if resolution_id is None:
        raise UserInputError(
            "ASSEMBLY_MEETING_REQUIRED",
            "须选择社区成员代表大会的会议决议（应到、出席和表决人数取自会议签到和表决）。",
            "resolutionId",
        )
    if any(v is not None for v in typed):
        raise UserInputError(
            "ATTENDANCE_FROM_MEETING", "代表大会的应到、出席和赞成人数取自会议记录，不能另行填写。", "attendance"
        )
    meeting, resolution = check_decision(
        session,
        session.get(MeetingResolution, resolution_id),
        kind_codes=(REPRESENTATIVES_ASSEMBLY,),
        unit_path=unit.path,
        field="resolutionId",
        what="社区成员代表大会",
    )
    if meeting.org_unit_id != unit.id:
        raise UserInputError("NOT_FOUND", "找不到该会议决议：须为本社区成员代表大会的决议。", "resolutionId")
    minimum = int(resolve(session, unit, d.ASSEMBLY_MIN_REPRESENTATIVES, meeting.held_on))
    if meeting.expected_count < minimum:
        raise UserInputError(
            "TOO_FEW_REPRESENTATIVES",
            f"社区成员代表大会代表不少于 {minimum} 人，该次会议应到 {meeting.expected_count} 人。",
            "resolutionId",
        )
    return meeting, resolution


def reject(
    session: Session, who: Any, request_id: int, *, reason: str, registry: PermissionRegistry | None = None
) -> ExpenseRequest:
    """Turn the request down at its current step, as that step's approver."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    _expect_pending(request)
    step = current_step(session, request)
    assert step is not None
    _check_step_actor(session, principal, unit, step, registry)
    require_different_people(request.requested_by_id, principal.id, field="requestId")
    clean = _clean_text(reason, "reason", "驳回理由", required=True)
    step.status = STEP_REJECTED
    step.acted_by_id = principal.id
    step.acted_at = utcnow()
    step.note = clean
    request.status = REJECTED
    request.rejection_reason = clean
    request.decided_at = utcnow()
    session.flush()
    return request


def add_documents(
    session: Session,
    who: Any,
    request_id: int,
    documents: list[Document],
    *,
    registry: PermissionRegistry | None = None,
) -> ExpenseRequest:
    """Attach invoices or receipts to a request before it is paid (the handler)."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    require(principal, d.REQUEST.code, unit, registry=registry)
    if principal.id != request.requested_by_id:
        raise UserInputError("NOT_HANDLER", "只有经办人本人可以补交凭证。", "requestId")
    if request.status not in (PENDING, APPROVED):
        raise UserInputError(
            "INVALID_STATUS", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，不能再补交凭证。", "requestId"
        )
    request.documents = [*request.documents, *check_documents(documents)]
    session.flush()
    return request


def sign(
    session: Session, who: Any, request_id: int, *, role: str, registry: PermissionRegistry | None = None
) -> Signature:
    """Sign the reimbursement in one capacity: the handler (the requester), the
    chair, the party secretary, or a vice-chair when chair and secretary are
    one person (一肩挑, as the chain recorded it). Each capacity is signed by
    a different person."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    if request.status not in (PENDING, APPROVED):
        raise UserInputError(
            "INVALID_STATUS", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，不能再签字。", "requestId"
        )
    required = request.chain.get("signatures", [])
    if role not in required:
        names = "、".join(SIGNATURE_NAMES[r] for r in required)
        raise UserInputError("SIGNATURE_NOT_REQUIRED", f"本申请的报销签字为：{names}。", "role")
    if role == SIGN_HANDLER:
        require(principal, d.REQUEST.code, unit, registry=registry)
        if principal.id != request.requested_by_id:
            raise UserInputError("NOT_HANDLER", "经办人签字须由提出申请的经办人本人签。", "role")
    else:
        require(principal, d.SIGN.code, unit, registry=registry)
        post = SIGNING_POSTS[role]
        duties.require_post(session, unit, principal, post, SIGNATURE_NAMES[role], "role")
    existing = signatures_of(session, request)
    if any(s.role == role for s in existing):
        raise UserInputError("ALREADY_SIGNED", f"“{SIGNATURE_NAMES[role]}”已经签字。", "role")
    if any(s.signed_by_id == principal.id for s in existing):
        raise UserInputError("SIGNER_ALREADY_SIGNED", "同一人只能以一种身份签字，报销须由不同的人分别签字。", "role")
    signature = Signature(request_id=request.id, role=role, signed_by_id=principal.id)
    session.add(signature)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("CONCURRENT_CHANGE", "签字刚被他人办理，请刷新后重试。", "role") from exc
    return signature


def missing_signatures(session: Session, request: ExpenseRequest) -> list[str]:
    signed = {s.role for s in signatures_of(session, request)}
    return [r for r in request.chain.get("signatures", []) if r not in signed]


def pay(
    session: Session,
    who: Any,
    request_id: int,
    *,
    paid_on: date | None = None,
    registry: PermissionRegistry | None = None,
) -> ExpenseRequest:
    """The cashier pays an approved, fully signed, documented request. The row
    lock makes a second concurrent payment see ``paid`` and be refused."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    require(principal, d.PAY.code, unit, registry=registry)
    duties.require_cashier(session, unit, principal, "requestId")
    # Paying into a month and closing it happen one after the other.
    _lock_books(session, unit)
    if request.status in (PAID, BOOKED):
        raise UserInputError("ALREADY_PAID", "这笔开支已经支付，不能重复支付。", "requestId")
    if request.status != APPROVED:
        pending = current_step(session, request)
        detail = (
            f"尚待“{STEP_NAMES[pending.kind]}”"
            if pending is not None and request.status == PENDING
            else REQUEST_STATUSES[request.status]
        )
        raise UserInputError("NOT_APPROVED", f"开支未按审批权限审批完毕（{detail}），出纳不得支付。", "requestId")
    missing = missing_signatures(session, request)
    if missing:
        names = "、".join(SIGNATURE_NAMES[r] for r in missing)
        raise UserInputError("SIGNATURES_MISSING", f"报销单据尚缺{names}签字。", "requestId")
    if not request.documents:
        raise UserInputError("INFORMAL_IOU", "没有发票或收据等原始凭证，不得报销（禁止白条下账）。", "requestId")
    if resolve(session, unit, d.SCANS_REQUIRED) and scan_count(session, request.id) == 0:
        raise UserInputError(
            "SCANS_MISSING", "本地规定支付前须上传发票或收据的扫描件，本申请尚未上传，出纳不得支付。", "requestId"
        )
    covered = sum(int(doc["amountFen"]) for doc in request.documents)
    if covered < request.amount_fen:
        raise UserInputError(
            "DOCUMENTS_SHORT",
            f"凭证金额合计 {yuan_text(covered)} 元，不足报销金额 {yuan_text(request.amount_fen)} 元；差额部分不得以白条报销。",
            "requestId",
        )
    day = paid_on or local_today()
    if day > local_today():
        raise UserInputError("INVALID_DATE", "支付日期不能晚于今天。", "paidOn")
    if day < request.requested_on:
        raise UserInputError("PAID_BEFORE_REQUEST", f"支付日期不能早于申请日 {request.requested_on}。", "paidOn")
    approved_on = local_date(request.decided_at) if request.decided_at is not None else None
    if approved_on is not None and day < approved_on:
        raise UserInputError("PAID_BEFORE_APPROVAL", f"支付日期不能早于审批完毕之日 {approved_on}。", "paidOn")
    _check_open_month(session, unit, day, "paidOn")
    request.status = PAID
    request.paid_by_id = principal.id
    request.paid_at = utcnow()
    request.paid_on = day
    session.flush()
    return request


def cancel_request(
    session: Session, who: Any, request_id: int, *, reason: str, registry: PermissionRegistry | None = None
) -> ExpenseRequest:
    """The handler withdraws a request not yet paid; the record stays."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    require(principal, d.REQUEST.code, unit, registry=registry)
    if principal.id != request.requested_by_id:
        raise UserInputError("NOT_HANDLER", "只有经办人本人可以撤回申请。", "requestId")
    if request.status not in (PENDING, APPROVED):
        raise UserInputError(
            "INVALID_STATUS", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，不能撤回。", "requestId"
        )
    request.rejection_reason = _clean_text(reason, "reason", "撤回原因", required=True)
    request.status = CANCELLED
    session.flush()
    return request


def refuse_payment(
    session: Session,
    who: Any,
    request_id: int,
    *,
    reason: str,
    report_to_street: bool = False,
    registry: PermissionRegistry | None = None,
) -> ExpenseRequest:
    """对不符合规定的支出项目，财会人员（会计、出纳）有权拒绝支付或报销; the
    refusal and its reason stay on record, and with ``report_to_street`` it is
    reported to the street office (必要时可向街道办事处反映), which sees it in
    its to-do list until it answers (``review_refusal``)."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    require(principal, d.REFUSE.code, unit, registry=registry)
    duties.require_financial_staff(session, unit, principal, "requestId")
    if request.status not in (PENDING, APPROVED):
        raise UserInputError(
            "INVALID_STATUS", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，不能拒付。", "requestId"
        )
    request.refusal_reason = _clean_text(reason, "reason", "拒付理由", required=True)
    request.refused_by_id = principal.id
    request.status = REFUSED
    if report_to_street:
        request.refusal_reported_at = utcnow()
    session.flush()
    return request


def report_refusal(
    session: Session, who: Any, request_id: int, *, registry: PermissionRegistry | None = None
) -> ExpenseRequest:
    """Report an earlier refusal to the street office (会计或出纳)."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    require(principal, d.REFUSE.code, unit, registry=registry)
    duties.require_financial_staff(session, unit, principal, "requestId")
    if request.status != REFUSED:
        raise UserInputError(
            "NOT_REFUSED", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，没有拒付可反映。", "requestId"
        )
    if request.refusal_reported_at is not None:
        raise UserInputError("ALREADY_REPORTED", "这次拒付已经向街道办事处反映。", "requestId")
    request.refusal_reported_at = utcnow()
    session.flush()
    return request


def _check_refusal_reviewer(principal: Principal, unit: OrgUnit, registry: PermissionRegistry | None) -> None:
    require(principal, d.REVIEW_REFUSAL.code, unit, registry=registry)
    duties.require_grant_above(principal, d.REVIEW_REFUSAL.code, unit, "街道办事处或区有关部门", "requestId")


def review_refusal(
    session: Session, who: Any, request_id: int, *, note: str, registry: PermissionRegistry | None = None
) -> ExpenseRequest:
    """The street office (or a district department) answers a reported refusal."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    _check_refusal_reviewer(principal, unit, registry)
    if request.status != REFUSED or request.refusal_reported_at is None:
        raise UserInputError("NOT_REPORTED", "这笔开支没有被拒付并向街道反映。", "requestId")
    if request.refusal_reviewed_at is not None:
        raise UserInputError("ALREADY_REVIEWED", "这次拒付反映已经处理。", "requestId")
    request.refusal_review_note = _clean_text(note, "note", "处理意见", required=True)
    request.refusal_reviewed_by_id = principal.id
    request.refusal_reviewed_at = utcnow()
    session.flush()
    return request


# --- booking --------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    first_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_next - timedelta(days=1)


def is_month_closed(session: Session, unit: OrgUnit, day: date) -> bool:
    return (
        session.scalar(
            select(MonthClose.id).where(MonthClose.org_unit_id == unit.id, MonthClose.month == month_start(day))
        )
        is not None
    )


def books_opened_on(session: Session, unit: OrgUnit) -> date | None:
    """The day the community's books were opened (建账), or None before that."""
    return session.scalar(select(func.min(FinanceAccount.opened_on)).where(FinanceAccount.org_unit_id == unit.id))


def last_closed_month(session: Session, unit: OrgUnit) -> date | None:
    return session.scalar(select(func.max(MonthClose.month)).where(MonthClose.org_unit_id == unit.id))


def _check_open_month(session: Session, unit: OrgUnit, day: date, field: str) -> None:
    """Nothing is dated before the books were opened, nor in a month a
    closing covers: a closed month and every month before it (an earlier
    month left unclosed because it was empty stays empty)."""
    opened = books_opened_on(session, unit)
    if opened is not None and day < opened:
        raise UserInputError(
            "BEFORE_BOOKS_OPENED", f"{unit.name}的账簿于 {opened} 建账，不能记载建账日之前的收支。", field
        )
    latest = last_closed_month(session, unit)
    if latest is None or month_start(day) > latest:
        return
    if month_start(day) == latest or is_month_closed(session, unit, day):
        raise UserInputError(
            "MONTH_CLOSED",
            f"{day.year} 年 {day.month} 月已月结，账目不能再改动；更正请在未结账的月份做冲销凭证。",
            field,
        )
    raise UserInputError(
        "LATER_MONTH_CLOSED",
        f"{latest.year} 年 {latest.month} 月已月结，此前各月（含 {day.year} 年 {day.month} 月）的账目不能再改动；"
        "更正请在未结账的月份做冲销凭证。",
        field,
    )


def _next_voucher(session: Session, unit: OrgUnit, day: date) -> str:
    # Entries are never deleted and the books are locked while posting, so
    # the count of the year's entries plus one is free.
    count = session.scalar(
        select(func.count())
        .select_from(LedgerEntry)
        .where(
            LedgerEntry.org_unit_id == unit.id,
            LedgerEntry.entry_date >= date(day.year, 1, 1),
            LedgerEntry.entry_date <= date(day.year, 12, 31),
        )
    )
    return f"记{day.year}-{int(count or 0) + 1:04d}"


def _check_entry_date(session: Session, unit: OrgUnit, day: date) -> None:
    if day > local_today():
        raise UserInputError("INVALID_DATE", "记账日期不能晚于今天。", "entryDate")
    _check_open_month(session, unit, day, "entryDate")


def _new_entry(session: Session, unit: OrgUnit, principal: Principal, **values: Any) -> LedgerEntry:
    entry = LedgerEntry(
        org_unit_id=unit.id,
        org_path=unit.path,
        voucher_number=_next_voucher(session, unit, values["entry_date"]),
        booked_by_id=principal.id,
        **values,
    )
    session.add(entry)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("CONCURRENT_CHANGE", "账簿刚被他人改动，请刷新后重试。", "entryDate") from exc
    return entry


def post_income(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    account_id: int,
    category_id: int,
    amount_fen: int,
    entry_date: date,
    summary: str,
    documents: list[Document],
    registry: PermissionRegistry | None = None,
) -> LedgerEntry:
    """Book an income with its receipt (收有凭)."""
    principal = require(who, d.BOOK.code, unit, registry=registry)
    community(session, unit)
    duties.require_bookkeeper(session, unit, principal, "orgUnitId")
    _lock_books(session, unit)
    account = get_account(session, account_id)
    category = get_category(session, category_id)
    _require_own_books(unit, category, account)
    if category.direction != INCOME:
        raise UserInputError(
            "WRONG_DIRECTION", f"“{category.name}”是支出科目；支出须经开支申请审批、支付后记账。", "categoryId"
        )
    clean = _clean_text(summary, "summary", "摘要", required=True, limit=SUMMARY_LENGTH)
    docs = check_documents(documents)
    _check_entry_date(session, unit, entry_date)
    return _new_entry(
        session,
        unit,
        principal,
        entry_date=entry_date,
        direction=INCOME,
        amount_fen=amount_fen,
        account_id=account.id,
        category_id=category.id,
        summary=clean,
        documents=docs,
    )


def book_expense(
    session: Session,
    who: Any,
    request_id: int,
    *,
    entry_date: date | None = None,
    registry: PermissionRegistry | None = None,
) -> LedgerEntry:
    """The accountant books a paid request; the person who paid never books it."""
    principal = _principal(who)
    request = get_request(session, request_id, lock=True)
    unit = unit_of(session, request)
    require(principal, d.BOOK.code, unit, registry=registry)
    duties.require_bookkeeper(session, unit, principal, "requestId")
    _lock_books(session, unit)
    if request.status == BOOKED:
        raise UserInputError("ALREADY_BOOKED", "这笔开支已经记账。", "requestId")
    if request.status != PAID:
        raise UserInputError(
            "NOT_PAID", f"开支申请当前为“{REQUEST_STATUSES[request.status]}”，支付后才能记账。", "requestId"
        )
    if request.paid_by_id == principal.id:
        raise UserInputError("PAYER_CANNOT_BOOK", "付款人不能为自己付出的款项记账（钱账分离）。", "requestId")
    if not request.documents:
        raise UserInputError("INFORMAL_IOU", "没有原始凭证，不得入账（禁止白条下账）。", "requestId")
    day = entry_date or request.paid_on or local_today()
    if request.paid_on is not None and day < request.paid_on:
        raise UserInputError(
            "BOOKED_BEFORE_PAYMENT", f"支出的记账日期不能早于支付日期 {request.paid_on}。", "entryDate"
        )
    _check_entry_date(session, unit, day)
    entry = _new_entry(
        session,
        unit,
        principal,
        entry_date=day,
        direction=EXPENSE,
        amount_fen=request.amount_fen,
        account_id=request.account_id,
        category_id=request.category_id,
        summary=request.title[:SUMMARY_LENGTH],
        documents=list(request.documents),
        request_id=request.id,
    )
    request.status = BOOKED
    session.flush()
    return entry


def reverse_entry(
    session: Session,
    who: Any,
    entry_id: int,
    *,
    entry_date: date,
    reason: str,
    registry: PermissionRegistry | None = None,
) -> LedgerEntry:
    """A reversing entry (红字冲销) in an open month; the original, even in a
    closed month, stays as it was."""
    principal = _principal(who)
    original = get_entry(session, entry_id)
    unit = unit_of(session, original)
    require(principal, d.BOOK.code, unit, registry=registry)
    duties.require_bookkeeper(session, unit, principal, "entryId")
    _lock_books(session, unit)
    if original.reverses_id is not None:
        raise UserInputError("IS_REVERSAL", "冲销凭证不能再被冲销；如需更正请重新记账。", "entryId")
    if session.scalar(select(LedgerEntry.id).where(LedgerEntry.reverses_id == original.id)) is not None:
        raise UserInputError("ALREADY_REVERSED", "这张凭证已经冲销过。", "entryId")
    if entry_date < original.entry_date:
        raise UserInputError("INVALID_DATE", "冲销日期不能早于原凭证日期。", "entryDate")
    clean = _clean_text(reason, "reason", "冲销原因", required=True, limit=150)
    _check_entry_date(session, unit, entry_date)
    return _new_entry(
        session,
        unit,
        principal,
        entry_date=entry_date,
        direction=original.direction,
        amount_fen=-original.amount_fen,
        account_id=original.account_id,
        category_id=original.category_id,
        summary=f"冲销{original.voucher_number}：{clean}"[:SUMMARY_LENGTH],
        documents=[],
        reverses_id=original.id,
    )


# --- balances, cash and closing ---------------------------------------------------------------


def signed_sum(session: Session, *conditions: Any) -> int:
    """Income minus expense of the entries matching ``conditions``, in fen."""
    rows = session.execute(
        select(LedgerEntry.direction, func.coalesce(func.sum(LedgerEntry.amount_fen), 0))
        .where(*conditions)
        .group_by(LedgerEntry.direction)
    ).all()
    total = 0
    for direction, amount in rows:
        total += int(amount) if direction == INCOME else -int(amount)
    return total


def account_balance(session: Session, account: FinanceAccount, on: date) -> int:
    """Book balance of ``account`` at the end of ``on``."""
    return account.opening_balance_fen + signed_sum(
        session, LedgerEntry.account_id == account.id, LedgerEntry.entry_date <= on
    )


def record_cash_count(
    session: Session,
    who: Any,
    account_id: int,
    *,
    count_date: date,
    counted_fen: int,
    note: str | None = None,
    registry: PermissionRegistry | None = None,
) -> CashCount:
    """日清: the cashier counts the cash (or checks the bank statement) against
    the books; a difference needs an explanation."""
    principal = _principal(who)
    account = get_account(session, account_id)
    unit = unit_of(session, account)
    require(principal, d.PAY.code, unit, registry=registry)
    duties.require_cashier(session, unit, principal, "accountId")
    _lock_books(session, unit)
    if count_date > local_today():
        raise UserInputError("INVALID_DATE", "盘点日期不能晚于今天。", "countDate")
    _check_open_month(session, unit, count_date, "countDate")
    book = account_balance(session, account, count_date)
    difference = counted_fen - book
    clean = (note or "").strip() or None
    if difference != 0 and clean is None:
        raise UserInputError(
            "DIFFERENCE_UNEXPLAINED", f"账实不符（差额 {yuan_text(difference)} 元），须写明原因并报告。", "note"
        )
    if (
        session.scalar(
            select(CashCount.id).where(CashCount.account_id == account.id, CashCount.count_date == count_date)
        )
        is not None
    ):
        raise UserInputError("ALREADY_COUNTED", f"{count_date} 已经日清盘点过。", "countDate")
    count = CashCount(
        org_unit_id=unit.id,
        org_path=unit.path,
        account_id=account.id,
        count_date=count_date,
        counted_fen=counted_fen,
        book_fen=book,
        difference_fen=difference,
        note=clean,
        counted_by_id=principal.id,
    )
    session.add(count)
    session.flush()
    return count


def close_month(
    session: Session, who: Any, unit: OrgUnit, month: date, *, registry: PermissionRegistry | None = None
) -> MonthClose:
    """月结: after the month is over and every payment of it is booked. A
    closing covers every earlier month since the books were opened: each is
    closed already or has nothing booked in it, and from then on nothing
    dated in the month or before it can be booked."""
    principal = require(who, d.BOOK.code, unit, registry=registry)
    community(session, unit)
    duties.require_bookkeeper(session, unit, principal, "orgUnitId")
    accounts = _lock_books(session, unit)
    if not accounts:
        raise UserInputError("NO_BOOKS", f"“{unit.name}”尚未建账。", "orgUnitId")
    first, last = month_start(month), month_end(month)
    if last >= local_today():
        raise UserInputError("MONTH_NOT_OVER", f"{first.year} 年 {first.month} 月尚未结束，不能月结。", "month")
    opened = min(a.opened_on for a in accounts)
    if first < month_start(opened):
        raise UserInputError(
            "BEFORE_BOOKS_OPENED", f"{unit.name}的账簿于 {opened} 建账，此前的月份没有账目可结。", "month"
        )
    latest = last_closed_month(session, unit)
    if latest is not None and first <= latest:
        raise UserInputError(
            "ALREADY_CLOSED",
            f"{first.year} 年 {first.month} 月已经月结。"
            if first == latest
            else f"{latest.year} 年 {latest.month} 月的月结已包含此前各月，{first.year} 年 {first.month} 月无须再结。",
            "month",
        )
    # A closing covers every earlier month since the books were opened: each
    # is closed already or has nothing booked in it.
    closed = set(
        session.scalars(select(MonthClose.month).where(MonthClose.org_unit_id == unit.id, MonthClose.month < first))
    )
    booked_months = {
        month_start(day)
        for day in session.scalars(
            select(LedgerEntry.entry_date)
            .where(LedgerEntry.org_unit_id == unit.id, LedgerEntry.entry_date < first)
            .distinct()
        )
    }
    unclosed = sorted(booked_months - closed)
    if unclosed:
        raise UserInputError("EARLIER_MONTH_OPEN", f"请先月结 {unclosed[0].year} 年 {unclosed[0].month} 月。", "month")
    unbooked = session.scalar(
        select(func.count())
        .select_from(ExpenseRequest)
        .where(ExpenseRequest.org_unit_id == unit.id, ExpenseRequest.status == PAID, ExpenseRequest.paid_on <= last)
    )
    if unbooked:
        raise UserInputError("UNBOOKED_PAYMENTS", f"尚有 {unbooked} 笔已支付的开支未记账，记账后才能月结。", "month")
    in_month = (LedgerEntry.org_unit_id == unit.id, LedgerEntry.entry_date >= first, LedgerEntry.entry_date <= last)
    income = int(
        session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(*in_month, LedgerEntry.direction == INCOME)
        )
        or 0
    )
    expense = int(
        session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
                *in_month, LedgerEntry.direction == EXPENSE
            )
        )
        or 0
    )
    balance = sum(account_balance(session, a, last) for a in accounts)
    closing = MonthClose(
        org_unit_id=unit.id,
        org_path=unit.path,
        month=first,
        income_fen=income,
        expense_fen=expense,
        closing_balance_fen=balance,
        closed_by_id=principal.id,
    )
    session.add(closing)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("ALREADY_CLOSED", f"{first.year} 年 {first.month} 月刚被他人月结。", "month") from exc
    return closing


def uncounted_days(session: Session, unit: OrgUnit, start: date, end: date) -> list[tuple[FinanceAccount, date]]:
    """日清 not done: days on which a cash account moved without a cash count."""
    missing: list[tuple[FinanceAccount, date]] = []
    for account in _accounts(session, unit):
        if account.kind != CASH:
            continue
        moved = set(
            session.scalars(
                select(LedgerEntry.entry_date).where(
                    LedgerEntry.account_id == account.id, LedgerEntry.entry_date >= start, LedgerEntry.entry_date <= end
                )
            )
        )
        counted = set(
            session.scalars(
                select(CashCount.count_date).where(
                    CashCount.account_id == account.id, CashCount.count_date >= start, CashCount.count_date <= end
                )
            )
        )
        missing += [(account, day) for day in sorted(moved - counted)]
    return missing


@dataclass
class CommunityOverview:
    unit: OrgUnit
    balance_fen: int
    pending_requests: int
    paid_unbooked: int
    refused_payments: int
    unreviewed_refusals: int
    last_closed_month: date | None
    last_disclosure_end: date | None
    open_audits: int


def overview(session: Session, who: Any, under: OrgUnit, *, limit: int = 200) -> list[CommunityOverview]:
    """For a street or district: each community with books under ``under``
    that the caller may view, with its balance, what is pending and how
    current its closing and disclosure are."""
    units = list(
        session.scalars(
            select(OrgUnit)
            .where(
                in_subtree(OrgUnit.path, under.path),
                OrgUnit.id.in_(select(FinanceAccount.org_unit_id)),
                scope_condition(who, d.VIEW.code, OrgUnit.path),
            )
            .order_by(OrgUnit.path)
            .limit(limit)
        )
    )
    today = local_today()
    rows: list[CommunityOverview] = []
    for unit in units:

        def count(*conditions: Any, unit: OrgUnit = unit) -> int:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(ExpenseRequest)
                    .where(ExpenseRequest.org_unit_id == unit.id, *conditions)
                )
                or 0
            )

        rows.append(
            CommunityOverview(
                unit=unit,
                balance_fen=sum(account_balance(session, a, today) for a in _accounts(session, unit)),
                pending_requests=count(ExpenseRequest.status.in_((PENDING, APPROVED))),
                paid_unbooked=count(ExpenseRequest.status == PAID),
                refused_payments=count(ExpenseRequest.status == REFUSED),
                unreviewed_refusals=count(
                    ExpenseRequest.status == REFUSED,
                    ExpenseRequest.refusal_reported_at.is_not(None),
                    ExpenseRequest.refusal_reviewed_at.is_(None),
                ),
                last_closed_month=session.scalar(
                    select(func.max(MonthClose.month)).where(MonthClose.org_unit_id == unit.id)
                ),
                last_disclosure_end=session.scalar(
                    select(func.max(Disclosure.period_end)).where(Disclosure.org_unit_id == unit.id)
                ),
                open_audits=int(
                    session.scalar(
                        select(func.count())
                        .select_from(FinanceAudit)
                        .where(FinanceAudit.org_unit_id == unit.id, FinanceAudit.status == AUDIT_OPEN)
                    )
                    or 0
                ),
            )
        )
    return rows


# --- what is waiting for whom -------------------------------------------------------------------

ACTION_NAMES = {
    "approve": "待我审批",
    "sign_handler": "待我以经办人签字",
    "sign_chair": "待我以主任签字",
    "sign_secretary": "待我以书记签字",
    "sign_vice_chair": "待我以副主任签字",
    "sign_second_vice_chair": "待我以另一名副主任签字",
    "pay": "待我支付",
    "book": "待我记账",
    "review_refusal": "待我处理财会人员反映的拒付",
    "await": "我经办的开支，待他人办理",
}
TODO_CANDIDATES = 200


def _passes(check: Any, *args: Any) -> bool:
    try:
        check(*args)
    except (UserInputError, PermissionDeniedError):
        return False
    return True


def todo(session: Session, who: Any, *, registry: PermissionRegistry | None = None) -> list[tuple[ExpenseRequest, str]]:
    """The requests in the caller's scope on which the caller can act now, with
    the action: approve the current step, sign in a missing capacity, pay,
    book, answer a refusal reported to the street — and the caller's own open
    requests waiting for others (``await``), whose ``waitingFor`` says who.
    Looks at the most recent ``TODO_CANDIDATES`` open requests."""
    principal = _principal(who)
    reported = (
        (ExpenseRequest.status == REFUSED)
        & ExpenseRequest.refusal_reported_at.is_not(None)
        & ExpenseRequest.refusal_reviewed_at.is_(None)
    )
    rows = session.scalars(
        select(ExpenseRequest)
        .where(
            ExpenseRequest.status.in_((PENDING, APPROVED, PAID)) | reported,
            scope_condition(principal, d.VIEW.code, ExpenseRequest.org_path),
        )
        .order_by(ExpenseRequest.id.desc())
        .limit(TODO_CANDIDATES)
    )
    found: list[tuple[ExpenseRequest, str]] = []
    for request in rows:
        unit = unit_of(session, request)
        before = len(found)
        _actions_on(session, principal, request, unit, found, registry)
        # The handler's own request, waiting for others: listed so that the
        # handler sees who must act (``waitingFor``).
        if len(found) == before and request.requested_by_id == principal.id and request.status != REFUSED:
            found.append((request, "await"))
    return found


def _actions_on(
    session: Session,
    principal: Principal,
    request: ExpenseRequest,
    unit: OrgUnit,
    found: list[tuple[ExpenseRequest, str]],
    registry: PermissionRegistry | None,
) -> None:
    """Append to ``found`` what ``principal`` can do now on ``request``."""
    if request.status == REFUSED:
        if _passes(_check_refusal_reviewer, principal, unit, registry):
            found.append((request, "review_refusal"))
        return
    if request.status == PENDING and request.requested_by_id != principal.id:
        step = current_step(session, request)
        if step is not None and _passes(_check_step_actor, session, principal, unit, step, registry):
            found.append((request, "approve"))
    if request.status in (PENDING, APPROVED):
        signers = {s.signed_by_id for s in signatures_of(session, request)}
        for role in missing_signatures(session, request) if principal.id not in signers else []:
            if role == SIGN_HANDLER:
                eligible = principal.id == request.requested_by_id
            elif principal.id == request.requested_by_id:
                eligible = False  # nobody countersigns their own expense
            else:
                post = SIGNING_POSTS[role]
                eligible = can(principal, d.SIGN.code, unit) and post in duties.held_posts(session, unit, principal.id)
            if eligible:
                found.append((request, f"sign_{role}"))
    if (
        request.status == APPROVED
        and request.documents
        and not missing_signatures(session, request)
        and can(principal, d.PAY.code, unit)
        and _passes(duties.require_cashier, session, unit, principal)
    ):
        found.append((request, "pay"))
    if (
        request.status == PAID
        and can(principal, d.BOOK.code, unit)
        and request.paid_by_id != principal.id
        and _passes(duties.require_bookkeeper, session, unit, principal)
    ):
        found.append((request, "book"))


# --- reports --------------------------------------------------------------------------------


@dataclass
class LedgerLine:
    entry: LedgerEntry
    income_fen: int
    expense_fen: int
    balance_fen: int


@dataclass
class Ledger:
    opening_fen: int
    lines: list[LedgerLine]
    closing_fen: int


def _accounts(session: Session, unit: OrgUnit, account_id: int | None = None) -> list[FinanceAccount]:
    statement = select(FinanceAccount).where(FinanceAccount.org_unit_id == unit.id).order_by(FinanceAccount.code)
    if account_id is not None:
        statement = statement.where(FinanceAccount.id == account_id)
    return list(session.scalars(statement))


def ledger(session: Session, unit: OrgUnit, start: date, end: date, account_id: int | None = None) -> Ledger:
    """日记账: entries of the period in date order with the running balance."""
    accounts = _accounts(session, unit, account_id)
    ids = [a.id for a in accounts]
    opening = sum(a.opening_balance_fen for a in accounts) + signed_sum(
        session, LedgerEntry.account_id.in_(ids), LedgerEntry.entry_date < start
    )
    entries = session.scalars(
        select(LedgerEntry)
        .where(LedgerEntry.account_id.in_(ids), LedgerEntry.entry_date >= start, LedgerEntry.entry_date <= end)
        .order_by(LedgerEntry.entry_date, LedgerEntry.id)
    )
    balance = opening
    lines: list[LedgerLine] = []
    for entry in entries:
        income = entry.amount_fen if entry.direction == INCOME else 0
        expense = entry.amount_fen if entry.direction == EXPENSE else 0
        balance += income - expense
        lines.append(LedgerLine(entry, income, expense, balance))
    return Ledger(opening, lines, balance)


@dataclass
class TrialBalanceRow:
    account: FinanceAccount
    opening_fen: int
    income_fen: int
    expense_fen: int
    closing_fen: int


def trial_balance(session: Session, unit: OrgUnit, start: date, end: date) -> list[TrialBalanceRow]:
    """科目余额表: per account, opening, income, expense and closing of the period."""
    rows: list[TrialBalanceRow] = []
    for account in _accounts(session, unit):
        opening = account.opening_balance_fen + signed_sum(
            session, LedgerEntry.account_id == account.id, LedgerEntry.entry_date < start
        )
        period = (LedgerEntry.account_id == account.id, LedgerEntry.entry_date >= start, LedgerEntry.entry_date <= end)
        income = int(
            session.scalar(
                select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
                    *period, LedgerEntry.direction == INCOME
                )
            )
            or 0
        )
        expense = int(
            session.scalar(
                select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
                    *period, LedgerEntry.direction == EXPENSE
                )
            )
            or 0
        )
        rows.append(TrialBalanceRow(account, opening, income, expense, opening + income - expense))
    return rows


@dataclass
class CategoryTotal:
    category: FinanceCategory
    amount_fen: int
    entries: int


def by_category(session: Session, unit: OrgUnit, start: date, end: date) -> list[CategoryTotal]:
    """收支分类汇总: net amounts (reversals included) per category, income first."""
    totals = {
        row[0]: (int(row[1]), int(row[2]))
        for row in session.execute(
            select(LedgerEntry.category_id, func.sum(LedgerEntry.amount_fen), func.count())
            .where(LedgerEntry.org_unit_id == unit.id, LedgerEntry.entry_date >= start, LedgerEntry.entry_date <= end)
            .group_by(LedgerEntry.category_id)
        )
    }
    categories = session.scalars(
        select(FinanceCategory)
        .where(FinanceCategory.org_unit_id == unit.id)
        .order_by(FinanceCategory.direction.desc(), FinanceCategory.code)
    )
    return [CategoryTotal(c, *totals.get(c.id, (0, 0))) for c in categories]


# --- audits -----------------------------------------------------------------------------------


def _require_independent_auditor(
    session: Session, unit: OrgUnit, principal: Principal, field: str = "orgUnitId"
) -> None:
    """Nobody audits the books or money they handle: the accountant, the
    cashier, and a chair or vice-chair who manages the funds."""
    if any(duties.is_person_of(session, a, principal.id) for a in posts.who_holds_funds(session, unit)):
        raise UserInputError(
            "AUDITOR_HANDLES_FUNDS", "会计、出纳和掌管经费的主任、副主任不得审计本人经手的账目和资金。", field
        )


def start_audit(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    kind: str,
    period_start: date | None = None,
    period_end: date | None = None,
    assignment_id: int | None = None,
    registry: PermissionRegistry | None = None,
) -> FinanceAudit:
    """A quarterly audit of a period, or the departure audit of a funds holder
    whose term ended (core's post assignments say who holds funds)."""
    principal = require(who, d.AUDIT.code, unit, registry=registry)
    community(session, unit)
    _require_independent_auditor(session, unit, principal)
    assignment: PostAssignment | None = None
    if kind == AUDIT_QUARTERLY:
        if period_start is None or period_end is None:
            raise UserInputError(
                "REQUIRED", "请填写审计期间的开始日和结束日。", "periodStart" if period_start is None else "periodEnd"
            )
        if period_end < period_start:
            raise UserInputError("INVALID_DATE_RANGE", "审计期间的结束日不能早于开始日。", "periodEnd")
    elif kind == AUDIT_DEPARTURE:
        if assignment_id is None:
            raise UserInputError("REQUIRED", "离任审计须指明离任人的任职记录。", "assignmentId")
        assignment = posts.get_assignment(session, assignment_id, field="assignmentId")
        body = session.get(Body, assignment.body_id)
        kinds = posts.kinds_of(session)
        if (
            body is None
            or body.org_unit_id != unit.id
            or not kinds.is_funds_holder(assignment.post_code, assignment.manages_funds)
        ):
            raise UserInputError(
                "NOT_FUNDS_HOLDER",
                "该任职不是本社区掌管经费的职务（会计、出纳，或标明掌管经费的主任、副主任）。",
                "assignmentId",
            )
        if assignment.ended_on is None:
            raise UserInputError("NOT_DEPARTED", "此人尚未离任；请先在职务任期中办理离任。", "assignmentId")
        if duties.is_person_of(session, assignment, principal.id):
            raise UserInputError("AUDITOR_IS_SUBJECT", "离任人不能审计自己。", "assignmentId")
        if session.scalar(select(FinanceAudit.id).where(FinanceAudit.post_assignment_id == assignment.id)) is not None:
            raise UserInputError("ALREADY_AUDITED", "此次离任已经立项审计。", "assignmentId")
        period_start, period_end = assignment.term_start, assignment.ended_on
    else:
        raise UserInputError("INVALID_KIND", "审计类型只能是季度审计或离任审计。", "kind")
    assert period_start is not None and period_end is not None
    audit = FinanceAudit(
        org_unit_id=unit.id,
        org_path=unit.path,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        post_assignment_id=assignment.id if assignment else None,
        status=AUDIT_OPEN,
        auditor_id=principal.id,
    )
    session.add(audit)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("ALREADY_AUDITED", "此次离任刚被他人立项审计。", "assignmentId") from exc
    return audit


def complete_audit(
    session: Session,
    who: Any,
    audit_id: int,
    *,
    findings: str,
    conclusion: str,
    handover_to_resident_id: int | None = None,
    handover_note: str | None = None,
    cash_handed_over_fen: int | None = None,
    registry: PermissionRegistry | None = None,
) -> FinanceAudit:
    principal = _principal(who)
    audit = get_audit(session, audit_id, lock=True)
    unit = unit_of(session, audit)
    require(principal, d.AUDIT.code, unit, registry=registry)
    _require_independent_auditor(session, unit, principal, "auditId")
    if audit.status != AUDIT_OPEN:
        raise UserInputError("INVALID_STATUS", "审计已经完成。", "auditId")
    audit.findings = _clean_text(findings, "findings", "审计发现", required=True)
    audit.conclusion = _clean_text(conclusion, "conclusion", "审计结论", required=True)
    if audit.kind == AUDIT_DEPARTURE:
        missing = [
            ErrorDetail("HANDOVER_REQUIRED", f"离任审计须办理财务交接：写明{what}。", field)
            for value, what, field in (
                (handover_to_resident_id, "接交人", "handoverToResidentId"),
                (cash_handed_over_fen, "移交的现金", "cashHandedOver"),
            )
            if value is None
        ]
        if missing:
            raise UserInputError(errors=missing)
        if session.get(Resident, handover_to_resident_id) is None:
            raise NotFoundError("接交人", "handoverToResidentId")
        assignment = session.get(PostAssignment, audit.post_assignment_id)
        if assignment is not None and assignment.resident_id == handover_to_resident_id:
            raise UserInputError("SAME_PERSON", "接交人不能是离任人本人。", "handoverToResidentId")
        audit.handover_to_resident_id = handover_to_resident_id
        audit.handover_note = (handover_note or "").strip() or None
        audit.cash_handed_over_fen = cash_handed_over_fen
    audit.status = AUDIT_COMPLETED
    audit.completed_at = utcnow()
    session.flush()
    return audit


def departures_due(session: Session, unit: OrgUnit, since: date) -> list[PostAssignment]:
    """Funds holders who left their post since ``since`` and have no departure audit yet."""
    audited = set(
        session.scalars(
            select(FinanceAudit.post_assignment_id).where(
                FinanceAudit.org_unit_id == unit.id, FinanceAudit.post_assignment_id.is_not(None)
            )
        )
    )
    return [a for a in posts.funds_departures(session, unit, since) if a.id not in audited]


def publish_audit(
    session: Session,
    who: Any,
    audit_id: int,
    *,
    categories: NoticeCategoryRegistry,
    registry: PermissionRegistry | None = None,
) -> FinanceAudit:
    """Put a completed audit's result on the community's board (drafted and
    sent to the party organization; core's board flow publishes it)."""
    principal = _principal(who)
    audit = get_audit(session, audit_id, lock=True)
    unit = unit_of(session, audit)
    require(principal, d.AUDIT.code, unit, registry=registry)
    if audit.status != AUDIT_COMPLETED:
        raise UserInputError("NOT_COMPLETED", "审计完成后才能公布结果。", "auditId")
    if audit.notice_id is not None:
        raise UserInputError("ALREADY_PUBLISHED", "审计结果已经送公开栏。", "auditId")
    instance = None
    if audit.kind == AUDIT_QUARTERLY and quarter_of(audit.period_start) == (audit.period_start, audit.period_end):
        instance = obligation_to_fulfil(session, unit, d.AUDIT_OBLIGATION.code, audit.period_start)
    body = (
        f"审计期间：{audit.period_start} 至 {audit.period_end}\n"
        f"审计发现：{audit.findings}\n审计结论：{audit.conclusion}\n"
        "如有疑问，请于公开期内向社区居务监督委员会反映。"
    )
    notice = board.draft_notice(
        session,
        principal,
        org_unit=unit,
        title=f"{unit.name}财务{AUDIT_KINDS[audit.kind]}结果公布",
        body=body,
        category="finance",
        publisher_label=f"{unit.name}居务监督委员会",
        period_start=audit.period_start,
        period_end=audit.period_end,
        source_plugin=PLUGIN,
        source_key=f"audit:{audit.id}",
        obligation_instance_id=instance.id if instance is not None else None,
        categories=categories,
        registry=registry,
    )
    board.submit_for_approval(session, principal, notice, registry=registry)
    audit.notice_id = notice.id
    session.flush()
    return audit


def quarter_of(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = month_end(date(first.year, first.month + 2, 1))
    return first, last


def obligation_to_fulfil(
    session: Session, unit: OrgUnit, type_code: str, period_start: date
) -> ObligationInstance | None:
    """The reporting-calendar instance a publication about ``period_start``
    fulfils, when it can still be submitted."""
    instance = session.scalars(
        select(ObligationInstance).where(
            ObligationInstance.type_code == type_code,
            ObligationInstance.org_unit_id == unit.id,
            ObligationInstance.period_start == period_start,
        )
    ).first()
    return instance if instance is not None and _can_fulfil(session, unit, instance) else None


# --- disclosure -------------------------------------------------------------------------------


def half_year_of(day: date) -> tuple[date, date]:
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


@dataclass
class DisclosureFigures:
    income_fen: int
    expense_fen: int
    by_category: list[dict[str, Any]] = field(default_factory=list)
    major_items: list[dict[str, Any]] = field(default_factory=list)


def disclosure_figures(session: Session, unit: OrgUnit, start: date, end: date) -> DisclosureFigures:
    major_min = policy_fen(resolve(session, unit, d.MAJOR_ITEM_MIN, end))
    figures = DisclosureFigures(0, 0)
    for total in by_category(session, unit, start, end):
        # A category whose entries were all reversed has nothing to disclose.
        if total.entries == 0 or total.amount_fen == 0:
            continue
        if total.category.direction == INCOME:
            figures.income_fen += total.amount_fen
        else:
            figures.expense_fen += total.amount_fen
        figures.by_category.append(
            {
                "direction": total.category.direction,
                "code": total.category.code,
                "name": total.category.name,
                "amountFen": total.amount_fen,
            }
        )
    reversed_ids = set(
        session.scalars(
            select(LedgerEntry.reverses_id).where(
                LedgerEntry.org_unit_id == unit.id, LedgerEntry.reverses_id.is_not(None)
            )
        )
    )
    major = session.scalars(
        select(LedgerEntry)
        .where(
            LedgerEntry.org_unit_id == unit.id,
            LedgerEntry.direction == EXPENSE,
            LedgerEntry.entry_date >= start,
            LedgerEntry.entry_date <= end,
            LedgerEntry.amount_fen >= major_min,
            LedgerEntry.reverses_id.is_(None),
        )
        .order_by(LedgerEntry.entry_date, LedgerEntry.id)
    )
    figures.major_items = [
        {"date": e.entry_date.isoformat(), "voucher": e.voucher_number, "summary": e.summary, "amountFen": e.amount_fen}
        for e in major
        if e.id not in reversed_ids
    ]
    return figures


def disclosure_text(unit: OrgUnit, start: date, end: date, figures: DisclosureFigures) -> str:
    lines = [f"{unit.name}居民委员会 {start} 至 {end} 财务收支情况公开如下："]
    lines.append(f"一、收入合计 {yuan_text(figures.income_fen)} 元：")
    lines += [
        f"    {c['name']} {yuan_text(c['amountFen'])} 元" for c in figures.by_category if c["direction"] == INCOME
    ] or ["    无"]
    lines.append(f"二、支出合计 {yuan_text(figures.expense_fen)} 元：")
    lines += [
        f"    {c['name']} {yuan_text(c['amountFen'])} 元" for c in figures.by_category if c["direction"] == EXPENSE
    ] or ["    无"]
    lines.append("三、大额支出明细：")
    lines += [
        f"    {m['date']} {m['summary']} {yuan_text(m['amountFen'])} 元（凭证 {m['voucher']}）"
        for m in figures.major_items
    ] or ["    无"]
    lines.append(f"四、本期收支结余 {yuan_text(figures.income_fen - figures.expense_fen)} 元。")
    lines.append("如有疑问，请于公开期内向社区居务监督委员会反映。")
    return "\n".join(lines)


def _can_fulfil(session: Session, unit: OrgUnit, instance: ObligationInstance) -> bool:
    """Whether publishing can still submit ``instance``: not done and not
    locked (a locked period is reopened by the superior first; until then the
    disclosure is published without fulfilling it, and the calendar shows it missing)."""
    if instance.status in DONE_STATUSES and instance.reopened_at is None:
        return False
    if instance.locked:
        return False
    if instance.reopened_at is not None:
        return True
    days = int(resolve(session, unit, LOCK_AFTER_DAYS, instance.due_on))
    return local_today() <= instance.due_on + timedelta(days=days)


def generate_disclosure(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    period_start: date,
    categories: NoticeCategoryRegistry,
    registry: PermissionRegistry | None = None,
) -> Disclosure:
    """The disclosure of the half-year (or, where the locality's
    ``finance.disclosure.months`` is 3, the quarter) starting ``period_start``,
    computed from the books, drafted to the community's board (linked to the
    disclosure obligation instance of that period, so that
    publishing it fulfils the obligation) and sent to the party organization
    for approval (先党内后党外)."""
    principal = require(who, d.DISCLOSE.code, unit, registry=registry)
    community(session, unit)
    months = int(resolve(session, unit, d.DISCLOSURE_MONTHS, period_start))
    quarterly = months == 3
    start, end = quarter_of(period_start) if quarterly else half_year_of(period_start)
    if start != period_start:
        raise UserInputError(
            "INVALID_PERIOD",
            "财务公开按季度进行，期间须从 1 月、4 月、7 月或 10 月 1 日开始。"
            if quarterly
            else "财务公开按半年进行，期间须从 1 月 1 日或 7 月 1 日开始。",
            "periodStart",
        )
    if end >= local_today():
        raise UserInputError(
            "PERIOD_NOT_OVER", f"这{'个季度' if quarterly else '半年'}尚未结束，期满后再公开。", "periodStart"
        )
    earlier = session.scalars(
        select(Disclosure)
        .where(Disclosure.org_unit_id == unit.id, Disclosure.period_start == start)
        .order_by(Disclosure.id)
    ).all()
    for previous in earlier:
        notice = session.get(Notice, previous.notice_id) if previous.notice_id else None
        if notice is not None and notice.status != WITHDRAWN:
            raise UserInputError(
                "ALREADY_DISCLOSED", "这一期的财务公开已经生成（如需重做，请先撤回原公告）。", "periodStart"
            )
    figures = disclosure_figures(session, unit, start, end)
    instance = obligation_to_fulfil(session, unit, d.DISCLOSURE_OBLIGATIONS[months].code, start)
    instance_id = instance.id if instance is not None else None
    disclosure = Disclosure(
        org_unit_id=unit.id,
        org_path=unit.path,
        period_start=start,
        period_end=end,
        income_fen=figures.income_fen,
        expense_fen=figures.expense_fen,
        content={"byCategory": figures.by_category, "majorItems": figures.major_items},
        obligation_instance_id=instance_id,
        created_by_id=principal.id,
    )
    session.add(disclosure)
    session.flush()
    if quarterly:
        period_name = f"第{'一二三四'[(start.month - 1) // 3]}季度"
    else:
        period_name = "上半年" if start.month == 1 else "下半年"
    notice = board.draft_notice(
        session,
        principal,
        org_unit=unit,
        title=f"{unit.name}{start.year}年{period_name}财务收支公开",
        body=disclosure_text(unit, start, end, figures),
        category="finance",
        publisher_label=f"{unit.name}居民委员会",
        period_start=start,
        period_end=end,
        source_plugin=PLUGIN,
        source_key=f"disclosure:{disclosure.id}",
        obligation_instance_id=instance_id,
        categories=categories,
        registry=registry,
    )
    board.submit_for_approval(session, principal, notice, registry=registry)
    disclosure.notice_id = notice.id
    session.flush()
    return disclosure


# --- funding standards ----------------------------------------------------------------------


@dataclass
class FundingStandard:
    households: int
    per_100_households_fen: int
    annual_funding_fen: int
    chairs: int
    members: int
    chair_monthly_fen: int
    member_monthly_fen: int
    annual_allowance_fen: int
    # Added for the year's assessment grades (DOMAIN 3.7: results tied to funds), read
    # through the indicator ``assessment.award_yuan`` where a plugin declares it.
    assessment_award_fen: int = 0


ASSESSMENT_AWARD_INDICATOR = "assessment.award_yuan"


def funding_standard(
    session: Session, unit: OrgUnit, on: date | None = None, *, indicators: Any = None
) -> FundingStandard:
    """Annual working funds from the household count (每百户 N 元) and the
    committee's allowances from who holds its seats, both by policy; with
    ``indicators`` (``core.indicators.registry``), the awards of the year's
    published assessment results on top."""
    on = on or local_today()
    award = indicators.get(ASSESSMENT_AWARD_INDICATOR) if indicators is not None else None
    award_fen = int(award.value(session, unit, date(on.year, 1, 1), date(on.year, 12, 31)) * 100) if award else 0
    households = int(
        session.scalar(select(func.count()).select_from(Household).where(in_subtree(Household.org_path, unit.path)))
        or 0
    )
    per_100 = policy_fen(resolve(session, unit, d.FUNDING_PER_100, on))
    # Rounded to the fen, half up: 1,234 households at 1,500 yuan per 100 is 18,510 yuan.
    annual = int((Decimal(households) * per_100 / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    committee_posts = session.execute(
        select(PostAssignment.post_code, func.count(func.distinct(PostAssignment.resident_id)))
        .join(Body, Body.id == PostAssignment.body_id)
        .where(
            Body.org_unit_id == unit.id,
            Body.kind.in_(("residents_committee", "villagers_committee")),
            posts.holds_on(on),
        )
        .group_by(PostAssignment.post_code)
    ).all()
    counts = {code: int(n) for code, n in committee_posts}
    chairs = counts.get("chair", 0)
    members = counts.get("vice_chair", 0) + counts.get("member", 0)
    chair_monthly = policy_fen(resolve(session, unit, d.CHAIR_ALLOWANCE, on))
    member_monthly = policy_fen(resolve(session, unit, d.MEMBER_ALLOWANCE, on))
    return FundingStandard(
        households=households,
        per_100_households_fen=per_100,
        annual_funding_fen=annual,
        chairs=chairs,
        members=members,
        chair_monthly_fen=chair_monthly,
        member_monthly_fen=member_monthly,
        annual_allowance_fen=12 * (chairs * chair_monthly + members * member_monthly),
        assessment_award_fen=award_fen,
    )
