"""GraphQL for a community's books.

Reading needs ``finance.view`` at the community (lists are filtered in SQL
by the unit's path); every mutation refuses on a unit where the plugin is
not active and lets ``plugins.finance.service`` check the permission and
the posts the caller holds. Amounts are ``Decimal`` yuan with two decimals
(stored as integer fen).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import select

from core.api.choices import optional_code, required_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for, object_in_scope, resident_pk_for
from core.api.loaders import related, rows_of
from core.api.mutations import atomic
from core.api.relay import (
    MAX_INTEGER_PK,
    Connection,
    Node,
    NodeLoader,
    NodeType,
    decode_pk,
    encode_global_id,
    model_type,
    paginate,
)
from core.auth.permissions import (
    PermissionRegistry,
    registry_for_context,
    require,
    require_somewhere,
    scope_condition,
)
from core.board.categories import categories_for_context
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.policy.service import local_today, require_plugin_active
from core.posts.kinds import CORE_KINDS
from core.posts.models import PostAssignment
from plugins.finance import declarations as d
from plugins.finance import service, waiting
from plugins.finance.enums import (
    FinanceAccountKind,
    FinanceApprovalProcedure,
    FinanceApprovalStepKind,
    FinanceApprovalStepStatus,
    FinanceApprovalTier,
    FinanceAuditKind,
    FinanceAuditStatus,
    FinanceDirection,
    FinanceDocumentKind,
    FinanceExpenseRequestStatus,
    FinanceSignatureRole,
)
from plugins.finance.models import (
    ACCOUNT_KINDS,
    AUDIT_KINDS,
    AUDIT_STATUSES,
    DIRECTIONS,
    REQUEST_STATUSES,
    SIGNATURE_NAMES,
    STEP_NAMES,
    STEP_STATUSES,
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


def _gid(type_name: str, pk: int | None) -> strawberry.ID | None:
    return strawberry.ID(encode_global_id(type_name, pk)) if pk is not None else None


def _permissions(context: RequestContext) -> PermissionRegistry:
    return registry_for_context(context)


def _community(info: strawberry.Info, global_id: str, field: str = "orgUnitId") -> OrgUnit:
    """The community a query or mutation names, refused where the plugin is off."""
    unit = require_plugin_active(info, decode_pk(global_id, "OrgUnit", field=field), service.PLUGIN, field=field)
    return service.community(info.context.session, unit, field)


def _viewable(info: strawberry.Info, global_id: str) -> OrgUnit:
    unit = _community(info, global_id)
    require(info.context, d.VIEW.code, unit, registry=_permissions(info.context))
    return unit


def _active(info: strawberry.Info, row: Any, type_name: str, field: str) -> OrgUnit:
    """The community of ``row``, noted for the audit trail; refused where the
    plugin is off, naming ``field``, the input that identified ``row``."""
    unit = service.unit_of(info.context.session, row)
    info.context.audit_subject(type_name, row.id, unit.id)
    return require_plugin_active(info, unit, service.PLUGIN, field=field)


def _default_period(start: date | None, end: date | None) -> tuple[date, date]:
    today = local_today()
    start = start or date(today.year, 1, 1)
    end = end or today
    if end < start:
        raise UserInputError("INVALID_DATE_RANGE", "结束日期不能早于开始日期。", "to")
    return start, end


# --- types ----------------------------------------------------------------------------------


@strawberry.type(name="FinanceDocument", description="原始凭证（发票、收据等）的登记信息。")
class DocumentType:
    kind: str = strawberry.field(
        description="凭证类型：invoice 发票、receipt 收据、contract 合同、payroll 补贴表、other 其他。",
        deprecation_reason="改用 documentKind（枚举）。",
    )

    @strawberry.field(description="凭证类型。")
    def document_kind(self) -> FinanceDocumentKind:
        return FinanceDocumentKind(self.kind)

    kind_name: str = strawberry.field(description="凭证类型的中文名称。")
    number: str = strawberry.field(description="凭证编号。")
    issuer: str = strawberry.field(description="开具单位。")
    issued_on: date = strawberry.field(description="开具日期。")
    amount: Decimal = strawberry.field(description="凭证金额（元）。")


def _documents(raw: list[dict[str, Any]]) -> list[DocumentType]:
    return [
        DocumentType(
            kind=item["kind"],
            kind_name=service.DOCUMENT_KINDS.get(item["kind"], item["kind"]),
            number=item["number"],
            issuer=item["issuer"],
            issued_on=date.fromisoformat(item["issuedOn"]),
            amount=service.yuan(item["amountFen"]),
        )
        for item in raw
    ]


@strawberry.input(name="FinanceDocumentInput", description="一张原始凭证。")
class DocumentInput:
    kind: str | None = strawberry.field(
        default=None,
        description="invoice、receipt、contract、payroll 或 other。",
        deprecation_reason="改用 documentKind（枚举）。",
    )
    document_kind: FinanceDocumentKind | None = strawberry.field(default=None, description="凭证类型。")
    number: str = strawberry.field(description="凭证编号。")
    issuer: str = strawberry.field(description="开具单位。")
    issued_on: date = strawberry.field(description="开具日期。")
    amount: Decimal = strawberry.field(description="凭证金额（元，最多两位小数）。")


def _to_documents(items: list[DocumentInput] | None, field: str = "documents") -> list[service.Document]:
    return [
        service.Document(
            kind=required_code(
                i.kind, i.document_kind, legacy_field=f"{field}.{n}.kind", field=f"{field}.{n}.documentKind"
            ),
            number=i.number.strip(),
            issuer=i.issuer.strip(),
            issued_on=i.issued_on,
            amount_fen=service.to_fen(i.amount, field=f"{field}.{n}.amount"),
        )
        for n, i in enumerate(items or [])
    ]


@model_type(FinanceAccount, name="FinanceAccount", description="社区账户：库存现金或银行存款。")
class FinanceAccountType(Node):
    code: str = strawberry.field(description="账户代码，如 1001。")
    name: str = strawberry.field(description="账户名称。")
    kind: str = strawberry.field(
        description="cash（库存现金）或 bank（银行存款）。", deprecation_reason="改用 accountKind（枚举）。"
    )

    @strawberry.field(description="账户类型。")
    def account_kind(self) -> FinanceAccountKind:
        return FinanceAccountKind(self.kind)

    opened_on: date = strawberry.field(description="建账日期。")

    @strawberry.field(description="账户类型的中文名称。")
    def kind_name(self) -> str:
        return ACCOUNT_KINDS.get(self.kind, self.kind)

    @strawberry.field(description="建账时的期初余额（元）。")
    def opening_balance(self, root: FinanceAccount) -> Decimal:
        return service.yuan(root.opening_balance_fen)

    @strawberry.field(description="某日终了时的账面余额（元）；默认今天。")
    def balance(self, root: FinanceAccount, info: strawberry.Info, on: date | None = None) -> Decimal:
        return service.yuan(service.account_balance(info.context.session, root, on or local_today()))


@model_type(FinanceCategory, name="FinanceCategory", description="收支科目。")
class FinanceCategoryType(Node):
    direction: str = strawberry.field(
        description="income（收入）或 expense（支出）。", deprecation_reason="改用 flowDirection（枚举）。"
    )

    @strawberry.field(description="收支方向。")
    def flow_direction(self) -> FinanceDirection:
        return FinanceDirection(self.direction)

    code: str = strawberry.field(description="科目代码。")
    name: str = strawberry.field(description="科目名称。")

    @strawberry.field(description="收支方向的中文名称。")
    def direction_name(self) -> str:
        return DIRECTIONS[self.direction]


@strawberry.type(
    name="FinanceAssemblyResolution",
    description="会议（社区成员代表大会、村“两委”联席会议、村民会议）关于这笔开支的决定；代表大会的决定引用核心会议的决议。",
)
class AssemblyResolutionType:
    meeting_date: date = strawberry.field(description="会议日期。")
    number: str = strawberry.field(description="决定文号。")
    representatives: int = strawberry.field(description="代表总数（应到）。")
    attendance: int = strawberry.field(description="出席人数。")
    votes_for: int = strawberry.field(description="赞成票数。")
    resolution_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="社区成员代表大会的会议决议（MeetingResolution）的全局 ID；2026 年 12 月以前登记的为空。",
    )


@model_type(ApprovalStep, name="FinanceApprovalStep", description="审批链中的一步。")
class ApprovalStepType:
    position: int = strawberry.field(description="顺序，从 0 开始。")
    kind: str = strawberry.field(
        description="chair（主任审批）、street（街道分管主任同意）、assembly（代表大会决定）、filing（街道备案）、"
        "joint_meeting（村“两委”联席会议）或 villagers_meeting（村民会议或村民代表会议）。",
        deprecation_reason="改用 stepKind（枚举）。",
    )

    @strawberry.field(description="审批步骤。")
    def step_kind(self) -> FinanceApprovalStepKind:
        return FinanceApprovalStepKind(self.kind)

    status: str = strawberry.field(
        description="pending、approved 或 rejected。", deprecation_reason="改用 stepStatus（枚举）。"
    )

    @strawberry.field(description="步骤状态。")
    def step_status(self) -> FinanceApprovalStepStatus:
        return FinanceApprovalStepStatus(self.status)

    acted_at: datetime | None = strawberry.field(description="办理时间。")
    note: str | None = strawberry.field(description="意见或代表大会决定摘要。")

    @strawberry.field(description="步骤的中文名称。")
    def kind_name(self) -> str:
        return STEP_NAMES[self.kind]

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return STEP_STATUSES[self.status]

    @strawberry.field(description="办理人的用户 ID。")
    def acted_by(self, root: ApprovalStep) -> strawberry.ID | None:
        return _gid("User", root.acted_by_id)

    @strawberry.field(description="会议步骤登记的决定（会议日期、文号、应到、出席与赞成人数）。")
    def resolution(self, root: ApprovalStep) -> AssemblyResolutionType | None:
        found = root.resolution
        if not found:
            return None
        return AssemblyResolutionType(
            meeting_date=date.fromisoformat(found["meetingDate"]),
            number=found["number"],
            representatives=found["members"],
            attendance=found["attendance"],
            votes_for=found["votesFor"],
            resolution_id=_gid("MeetingResolution", found.get("resolutionId")),
        )


@model_type(Signature, name="FinanceSignature", description="报销签字。")
class SignatureType:
    role: str = strawberry.field(
        description="handler（经办人）、chair（主任）、secretary（书记）、vice_chair（副主任）或 second_vice_chair（另一名副主任）。",
        deprecation_reason="改用 signatureRole（枚举）。",
    )

    @strawberry.field(description="签字身份。")
    def signature_role(self) -> FinanceSignatureRole:
        return FinanceSignatureRole(self.role)

    signed_at: datetime = strawberry.field(description="签字时间。")

    @strawberry.field(description="签字身份的中文名称。")
    def role_name(self) -> str:
        return SIGNATURE_NAMES[self.role]

    @strawberry.field(description="签字人的用户 ID。")
    def signed_by(self, root: Signature) -> strawberry.ID | None:
        return _gid("User", root.signed_by_id)


@strawberry.type(name="FinancePendingAct", description="开支申请尚待办理的一件事及可办理的人。")
class PendingActType:
    action: str = strawberry.field(
        description="approve（审批）、record_resolution（登记会议决定）、sign（签字）、add_documents（补交凭证）、pay（支付）、book（记账）或 review_refusal（处理拒付反映）。"
    )
    action_name: str = strawberry.field(description="办理事项的中文名称，如“副主任签字”。")
    capacity: str | None = strawberry.field(description="审批步骤代码或签字身份代码。")
    people: list[str] = strawberry.field(
        description="可以办理的人（按核心职务任期，在任者的姓名）；街道办理的步骤为空。"
    )
    note: str | None = strawberry.field(description="说明，例如无人能签时的原因。")


def _pending(session: Any, request: ExpenseRequest) -> list[PendingActType]:
    return [
        PendingActType(action=a.action, action_name=a.name, capacity=a.capacity, people=a.people, note=a.note)
        for a in waiting.pending_acts(session, request)
    ]


@model_type(ExpenseRequest, name="FinanceExpenseRequest", description="经费开支申请及其审批、签字、支付记录。")
class ExpenseRequestType(Node):
    title: str = strawberry.field(description="开支事由。")
    purpose: str | None = strawberry.field(description="用途说明。")
    requested_on: date = strawberry.field(description="申请日期。")
    status: str = strawberry.field(
        description="pending、approved、rejected、paid、booked、refused 或 cancelled。",
        deprecation_reason="改用 requestStatus（枚举）。",
    )

    @strawberry.field(description="申请状态。")
    def request_status(self) -> FinanceExpenseRequestStatus:
        return FinanceExpenseRequestStatus(self.status)

    tier: str = strawberry.field(
        description="审批档次：chair（小额）、street（中额）或 assembly（大额），按申请时的策略确定，之后不变。",
        deprecation_reason="改用 approvalTier（枚举）。",
    )

    @strawberry.field(description="审批档次，按申请时的策略确定，之后不变。")
    def approval_tier(self) -> FinanceApprovalTier:
        return FinanceApprovalTier(self.tier)

    rejection_reason: str | None = strawberry.field(description="驳回理由（经办人撤回时为撤回原因）。")
    refusal_reason: str | None = strawberry.field(description="财会人员（会计或出纳）拒付理由。")
    refusal_reported_at: datetime | None = strawberry.field(description="拒付向街道办事处反映的时间；未反映时为空。")
    refusal_reviewed_at: datetime | None = strawberry.field(description="街道办事处处理拒付反映的时间。")
    refusal_review_note: str | None = strawberry.field(description="街道办事处对拒付反映的处理意见。")
    paid_on: date | None = strawberry.field(description="支付日期。")

    @strawberry.field(description="金额（元）。")
    def amount(self, root: ExpenseRequest) -> Decimal:
        return service.yuan(root.amount_fen)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return REQUEST_STATUSES[self.status]

    @strawberry.field(
        description="审批程序：community（社区居委会财务制度）或 village（村级组织：两委联席会议、村民会议）。",
        deprecation_reason="改用 approvalProcedure（枚举）。",
    )
    def procedure(self, root: ExpenseRequest) -> str:
        return str(root.chain.get("procedure", service.PROCEDURE_COMMUNITY))

    @strawberry.field(description="审批程序。")
    def approval_procedure(self, root: ExpenseRequest) -> FinanceApprovalProcedure:
        return FinanceApprovalProcedure(str(root.chain.get("procedure", service.PROCEDURE_COMMUNITY)))

    @strawberry.field(description="审批档次的中文说明。")
    def tier_name(self, root: ExpenseRequest) -> str:
        return service.tier_name(root.tier, root.chain.get("steps", []))

    @strawberry.field(description="申请时主任与书记是否为同一人（一肩挑）：是则由副主任代替书记签字。")
    def chair_is_secretary(self, root: ExpenseRequest) -> bool:
        return bool(root.chain.get("chairIsSecretary"))

    @strawberry.field(description="审批链（申请时按策略计算并保存）。", graphql_type=list[ApprovalStepType])
    def steps(self, root: ExpenseRequest, info: strawberry.Info) -> list[ApprovalStep]:
        return rows_of(info.context, root, ApprovalStep.request_id, ApprovalStep.position)

    @strawberry.field(description="须有的报销签字身份。")
    def signatures_required(self, root: ExpenseRequest) -> list[str]:
        return list(root.chain.get("signatures", []))

    @strawberry.field(description="已有的报销签字。", graphql_type=list[SignatureType])
    def signatures(self, root: ExpenseRequest, info: strawberry.Info) -> list[Signature]:
        return service.signatures_of(info.context.session, root)

    @strawberry.field(description="尚缺的报销签字身份。")
    def missing_signatures(self, root: ExpenseRequest, info: strawberry.Info) -> list[str]:
        return service.missing_signatures(info.context.session, root)

    @strawberry.field(description="原始凭证。")
    def documents(self, root: ExpenseRequest) -> list[DocumentType]:
        return _documents(root.documents)

    @strawberry.field(description="尚待办理的事项和可以办理的人（审批、签字、支付、记账）。")
    def waiting_for(self, root: ExpenseRequest, info: strawberry.Info) -> list[PendingActType]:
        return _pending(info.context.session, root)

    @strawberry.field(description="代表大会决定（仅大额开支）。")
    def assembly_resolution(self, root: ExpenseRequest) -> AssemblyResolutionType | None:
        if root.assembly_date is None:
            return None
        number, representatives = root.assembly_number, root.assembly_representatives
        attendance, votes_for = root.assembly_attendance, root.assembly_votes_for
        # service.record_resolution records the date, number and counts together.
        assert number is not None and representatives is not None
        assert attendance is not None and votes_for is not None
        return AssemblyResolutionType(
            meeting_date=root.assembly_date,
            number=number,
            representatives=representatives,
            attendance=attendance,
            votes_for=votes_for,
            resolution_id=_gid("MeetingResolution", root.assembly_resolution_id),
        )

    @strawberry.field(description="支出科目。", graphql_type=FinanceCategoryType)
    def category(self, root: ExpenseRequest, info: strawberry.Info) -> FinanceCategory | None:
        return related(info.context, root, "category_id", FinanceCategory)

    @strawberry.field(description="付款账户。", graphql_type=FinanceAccountType)
    def account(self, root: ExpenseRequest, info: strawberry.Info) -> FinanceAccount | None:
        return related(info.context, root, "account_id", FinanceAccount)

    @strawberry.field(description="经办人（申请人）的用户 ID。")
    def requested_by(self, root: ExpenseRequest) -> strawberry.ID | None:
        return _gid("User", root.requested_by_id)

    @strawberry.field(description="拒付的财会人员的用户 ID。")
    def refused_by(self, root: ExpenseRequest) -> strawberry.ID | None:
        return _gid("User", root.refused_by_id)

    @strawberry.field(description="付款出纳的用户 ID。")
    def paid_by(self, root: ExpenseRequest) -> strawberry.ID | None:
        return _gid("User", root.paid_by_id)

    @strawberry.field(description="所属社区。", graphql_type=OrgUnitType)
    def org_unit(self, root: ExpenseRequest, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@model_type(LedgerEntry, name="FinanceLedgerEntry", description="记账凭证：一笔收入或支出，或对它的冲销。")
class LedgerEntryType(Node):
    voucher_number: str = strawberry.field(description="凭证号，如 记2026-0001。")
    entry_date: date = strawberry.field(description="记账日期。")
    direction: str = strawberry.field(
        description="income 或 expense。", deprecation_reason="改用 flowDirection（枚举）。"
    )

    @strawberry.field(description="收支方向。")
    def flow_direction(self) -> FinanceDirection:
        return FinanceDirection(self.direction)

    summary: str = strawberry.field(description="摘要。")
    created_at: datetime = strawberry.field(description="录入时间。")

    @strawberry.field(description="金额（元）；冲销凭证为负数（红字）。")
    def amount(self, root: LedgerEntry) -> Decimal:
        return service.yuan(root.amount_fen)

    @strawberry.field(description="原始凭证。")
    def documents(self, root: LedgerEntry) -> list[DocumentType]:
        return _documents(root.documents)

    @strawberry.field(description="账户。", graphql_type=FinanceAccountType)
    def account(self, root: LedgerEntry, info: strawberry.Info) -> FinanceAccount | None:
        return related(info.context, root, "account_id", FinanceAccount)

    @strawberry.field(description="收支科目。", graphql_type=FinanceCategoryType)
    def category(self, root: LedgerEntry, info: strawberry.Info) -> FinanceCategory | None:
        return related(info.context, root, "category_id", FinanceCategory)

    @strawberry.field(description="所冲销的凭证 ID。")
    def reverses(self, root: LedgerEntry) -> strawberry.ID | None:
        return _gid("FinanceLedgerEntry", root.reverses_id)

    @strawberry.field(description="对应的开支申请 ID。")
    def request(self, root: LedgerEntry) -> strawberry.ID | None:
        return _gid("FinanceExpenseRequest", root.request_id)

    @strawberry.field(description="记账会计的用户 ID。")
    def booked_by(self, root: LedgerEntry) -> strawberry.ID | None:
        return _gid("User", root.booked_by_id)


@model_type(CashCount, name="FinanceCashCount", description="日清：现金（或银行对账单）与账面核对。")
class CashCountType:
    count_date: date = strawberry.field(description="盘点日期。")
    note: str | None = strawberry.field(description="差异说明。")

    @strawberry.field(description="实点金额（元）。")
    def counted(self, root: CashCount) -> Decimal:
        return service.yuan(root.counted_fen)

    @strawberry.field(description="账面金额（元）。")
    def book(self, root: CashCount) -> Decimal:
        return service.yuan(root.book_fen)

    @strawberry.field(description="差额（元），实点减账面。")
    def difference(self, root: CashCount) -> Decimal:
        return service.yuan(root.difference_fen)


@model_type(MonthClose, name="FinanceMonthClose", description="月结：结账后该月账目不可更改。")
class MonthCloseType:
    month: date = strawberry.field(description="结账月份的第一天。")
    closed_at: datetime = strawberry.field(description="结账时间。")

    @strawberry.field(description="本月收入（元）。")
    def income(self, root: MonthClose) -> Decimal:
        return service.yuan(root.income_fen)

    @strawberry.field(description="本月支出（元）。")
    def expense(self, root: MonthClose) -> Decimal:
        return service.yuan(root.expense_fen)

    @strawberry.field(description="月末各账户余额合计（元）。")
    def closing_balance(self, root: MonthClose) -> Decimal:
        return service.yuan(root.closing_balance_fen)


@model_type(FinanceAudit, name="FinanceAudit", description="财务审计：居务监督小组季度审计或离任审计（含交接）。")
class FinanceAuditType(Node):
    kind: str = strawberry.field(
        description="quarterly（季度审计）或 departure（离任审计）。", deprecation_reason="改用 auditKind（枚举）。"
    )

    @strawberry.field(description="审计种类。")
    def audit_kind(self) -> FinanceAuditKind:
        return FinanceAuditKind(self.kind)

    period_start: date = strawberry.field(description="审计期间开始。")
    period_end: date = strawberry.field(description="审计期间结束。")
    status: str = strawberry.field(description="open 或 completed。", deprecation_reason="改用 auditStatus（枚举）。")

    @strawberry.field(description="审计状态。")
    def audit_status(self) -> FinanceAuditStatus:
        return FinanceAuditStatus(self.status)

    findings: str | None = strawberry.field(description="审计发现。")
    conclusion: str | None = strawberry.field(description="审计结论。")
    handover_note: str | None = strawberry.field(description="交接说明。")
    completed_at: datetime | None = strawberry.field(description="完成时间。")

    @strawberry.field(description="审计类型的中文名称。")
    def kind_name(self) -> str:
        return AUDIT_KINDS[self.kind]

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return AUDIT_STATUSES[self.status]

    @strawberry.field(description="移交的现金（元）。")
    def cash_handed_over(self, root: FinanceAudit) -> Decimal | None:
        fen = root.cash_handed_over_fen
        return service.yuan(fen) if fen is not None else None

    @strawberry.field(description="离任人的任职记录 ID。")
    def post_assignment(self, root: FinanceAudit) -> strawberry.ID | None:
        return _gid("PostAssignment", root.post_assignment_id)

    @strawberry.field(description="接交人（居民）ID。")
    def handover_to(self, root: FinanceAudit) -> strawberry.ID | None:
        return _gid("Resident", root.handover_to_resident_id)

    @strawberry.field(description="公布审计结果的公开栏公告 ID。")
    def notice(self, root: FinanceAudit) -> strawberry.ID | None:
        return _gid("Notice", root.notice_id)


@strawberry.type(name="FinanceCategoryAmount", description="一个科目的金额。")
class CategoryAmountType:
    direction: str = strawberry.field(
        description="income 或 expense。", deprecation_reason="改用 flowDirection（枚举）。"
    )

    @strawberry.field(description="收支方向。")
    def flow_direction(self) -> FinanceDirection:
        return FinanceDirection(self.direction)

    code: str = strawberry.field(description="科目代码。")
    name: str = strawberry.field(description="科目名称。")
    amount: Decimal = strawberry.field(description="金额（元），冲销已抵减。")


@strawberry.type(name="FinanceMajorItem", description="逐笔公开的大额支出。")
class MajorItemType:
    date: date = strawberry.field(description="记账日期。")
    voucher: str = strawberry.field(description="凭证号。")
    summary: str = strawberry.field(description="摘要。")
    amount: Decimal = strawberry.field(description="金额（元）。")


@model_type(
    Disclosure,
    name="FinanceDisclosure",
    description="财务公开（默认每半年，地方可定为每季度）：由账簿生成，经党组织审核后在公开栏公开。",
)
class DisclosureType(Node):
    period_start: date = strawberry.field(description="期间开始。")
    period_end: date = strawberry.field(description="期间结束。")
    created_at: datetime = strawberry.field(description="生成时间。")

    @strawberry.field(description="收入合计（元）。")
    def income(self, root: Disclosure) -> Decimal:
        return service.yuan(root.income_fen)

    @strawberry.field(description="支出合计（元）。")
    def expense(self, root: Disclosure) -> Decimal:
        return service.yuan(root.expense_fen)

    @strawberry.field(description="分科目收支。")
    def by_category(self, root: Disclosure) -> list[CategoryAmountType]:
        return [
            CategoryAmountType(
                direction=c["direction"], code=c["code"], name=c["name"], amount=service.yuan(c["amountFen"])
            )
            for c in root.content.get("byCategory", [])
        ]

    @strawberry.field(description="大额支出明细。")
    def major_items(self, root: Disclosure) -> list[MajorItemType]:
        return [
            MajorItemType(
                date=date.fromisoformat(m["date"]),
                voucher=m["voucher"],
                summary=m["summary"],
                amount=service.yuan(m["amountFen"]),
            )
            for m in root.content.get("majorItems", [])
        ]

    @strawberry.field(description="公开栏公告 ID（经 approveNotice、publishNotice 公开）。")
    def notice(self, root: Disclosure) -> strawberry.ID | None:
        return _gid("Notice", root.notice_id)

    @strawberry.field(description="公开后即履行的报送事项 ID。")
    def obligation_instance(self, root: Disclosure) -> strawberry.ID | None:
        return _gid("ObligationInstance", root.obligation_instance_id)


@strawberry.type(name="FinanceLedgerLine", description="日记账的一行。")
class LedgerLineType:
    entry: LedgerEntry = strawberry.field(description="记账凭证。", graphql_type=LedgerEntryType)
    income: Decimal = strawberry.field(description="收入（元）。")
    expense: Decimal = strawberry.field(description="支出（元）。")
    balance: Decimal = strawberry.field(description="本笔后的余额（元）。")


@strawberry.type(name="FinanceLedger", description="日记账：期初余额、逐笔收支与余额、期末余额。")
class LedgerType:
    opening_balance: Decimal = strawberry.field(description="期初余额（元）。")
    lines: list[LedgerLineType] = strawberry.field(description="逐笔收支，按日期。")
    closing_balance: Decimal = strawberry.field(description="期末余额（元）。")


@strawberry.type(name="FinanceTrialBalanceRow", description="科目余额表的一行（按账户）。")
class TrialBalanceRowType:
    account: FinanceAccount = strawberry.field(description="账户。", graphql_type=FinanceAccountType)
    opening_balance: Decimal = strawberry.field(description="期初余额（元）。")
    income: Decimal = strawberry.field(description="本期收入（元）。")
    expense: Decimal = strawberry.field(description="本期支出（元）。")
    closing_balance: Decimal = strawberry.field(description="期末余额（元）。")


@strawberry.type(name="FinanceCategoryTotal", description="收支分类汇总的一行。")
class CategoryTotalType:
    category: FinanceCategory = strawberry.field(description="收支科目。", graphql_type=FinanceCategoryType)
    amount: Decimal = strawberry.field(description="金额（元），冲销已抵减。")
    entries: int = strawberry.field(description="凭证张数（含冲销凭证）。")


@strawberry.type(name="FinanceFundingStandard", description="按策略与核心数据测算的经费标准。")
class FundingStandardType:
    households: int = strawberry.field(description="社区（含下级）登记的户数。")
    per_100_households: Decimal = strawberry.field(description="每百户年工作经费标准（元）。")
    annual_funding: Decimal = strawberry.field(description="年工作经费（元）。")
    chairs: int = strawberry.field(description="在任居委会主任人数。")
    members: int = strawberry.field(description="在任其他成员（副主任、委员）人数。")
    chair_monthly: Decimal = strawberry.field(description="主任月补贴标准（元）。")
    member_monthly: Decimal = strawberry.field(description="其他成员月补贴标准（元）。")
    annual_allowance: Decimal = strawberry.field(description="全年补贴合计（元）。")
    assessment_award: Decimal = strawberry.field(
        description="本年公布的考核结果按等次增加的工作经费（元，经指标 assessment.award_yuan 读取；未启用考核时为 0）。"
    )


@strawberry.type(name="FinanceChainPreview", description="按当前策略，某金额的开支须走的审批链与签字。")
class ChainPreviewType:
    tier: str = strawberry.field(
        description="审批档次：chair、street 或 assembly。", deprecation_reason="改用 approvalTier（枚举）。"
    )

    @strawberry.field(description="审批档次。")
    def approval_tier(self) -> FinanceApprovalTier:
        return FinanceApprovalTier(self.tier)

    tier_name: str = strawberry.field(description="审批档次的中文说明。")
    steps: list[str] = strawberry.field(description="审批步骤代码，按顺序。")
    step_names: list[str] = strawberry.field(description="审批步骤的中文名称。")
    signatures: list[str] = strawberry.field(description="须有的报销签字身份。")
    chair_is_secretary: bool = strawberry.field(description="主任与书记是否一人兼任（一肩挑）。")
    procedure: str = strawberry.field(
        description="审批程序：community（社区）或 village（村）。",
        deprecation_reason="改用 approvalProcedure（枚举）。",
    )

    @strawberry.field(description="审批程序。")
    def approval_procedure(self) -> FinanceApprovalProcedure:
        return FinanceApprovalProcedure(self.procedure)


@strawberry.type(name="FinanceDepartureDue", description="离任未审计的经费掌管人。")
class DepartureDueType:
    assignment: strawberry.ID = strawberry.field(description="任职记录 ID（startFinanceAudit 的 assignmentId）。")
    post_code: str = strawberry.field(description="职务代码（见 postKinds：accountant、cashier 等）。")
    post_name: str = strawberry.field(description="职务名称。")
    resident_name: str = strawberry.field(description="离任人姓名。")
    term_start: date = strawberry.field(description="任职开始日期。")
    ended_on: date = strawberry.field(description="离任日期。")


@strawberry.type(name="FinanceTodoItem", description="一件等待当前用户办理的开支事项。")
class TodoItemType:
    request: ExpenseRequest = strawberry.field(description="开支申请。", graphql_type=ExpenseRequestType)
    action: str = strawberry.field(
        description="approve、sign_handler、sign_chair、sign_secretary、sign_vice_chair、sign_second_vice_chair、pay、book、"
        "review_refusal，或 await（我经办的开支正待他人办理，见 waitingFor）。"
    )
    action_name: str = strawberry.field(description="中文说明，如“待我审批”。")
    waiting_for: list[PendingActType] = strawberry.field(
        description="这笔申请尚待办理的全部事项和可以办理的人（含我这一项）。"
    )


@strawberry.type(name="FinanceUncountedDay", description="库存现金有收付而未日清盘点的日子。")
class UncountedDayType:
    account: FinanceAccount = strawberry.field(description="库存现金账户。", graphql_type=FinanceAccountType)
    day: date = strawberry.field(description="有收付而未盘点的日期。")


@strawberry.type(name="FinanceCommunityOverview", description="街道（区）查看辖区各社区账簿的概况。")
class CommunityOverviewType:
    org_unit: OrgUnit = strawberry.field(description="社区（村）。", graphql_type=OrgUnitType)
    balance: Decimal = strawberry.field(description="今天各账户余额合计（元）。")
    pending_requests: int = strawberry.field(description="审批中或待支付的开支申请数。")
    paid_unbooked: int = strawberry.field(description="已支付未记账的开支数。")
    refused_payments: int = strawberry.field(description="财会人员拒付（不合规）的开支数：拒付理由见各申请。")
    unreviewed_refusals: int = strawberry.field(
        description="财会人员向街道反映、街道尚未处理的拒付数（见 financeReportedRefusals）。"
    )
    last_closed_month: date | None = strawberry.field(description="最近已月结的月份（第一天）。")
    last_disclosure_end: date | None = strawberry.field(description="最近一次财务公开的期末日期。")
    open_audits: int = strawberry.field(description="尚未完成的审计数。")


# --- node loaders ---------------------------------------------------------------------------


# The node types' models: each has an ``id`` and an ``org_path``.
_Row = TypeVar("_Row", FinanceAccount, FinanceCategory, ExpenseRequest, LedgerEntry, FinanceAudit, Disclosure)


def _loader(model: type[_Row]) -> NodeLoader:
    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
        if not wanted:
            return {}
        rows = context.session.scalars(
            select(model).where(model.id.in_(wanted), scope_condition(context, d.VIEW.code, model.org_path))
        )
        return {row.id: row for row in rows}

    return load


NODE_TYPES = (
    NodeType("FinanceAccount", _loader(FinanceAccount)),
    NodeType("FinanceCategory", _loader(FinanceCategory)),
    NodeType("FinanceExpenseRequest", _loader(ExpenseRequest)),
    NodeType("FinanceLedgerEntry", _loader(LedgerEntry)),
    NodeType("FinanceAudit", _loader(FinanceAudit)),
    NodeType("FinanceDisclosure", _loader(Disclosure)),
)


# --- queries ----------------------------------------------------------------------------------


@strawberry.type
class FinanceQuery:
    @strawberry.field(description="社区账户（finance.view）。", graphql_type=list[FinanceAccountType])
    def finance_accounts(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[FinanceAccount]:
        unit = _viewable(info, org_unit_id)
        return list(
            info.context.session.scalars(
                select(FinanceAccount).where(FinanceAccount.org_unit_id == unit.id).order_by(FinanceAccount.code)
            )
        )

    @strawberry.field(description="社区收支科目（finance.view）。", graphql_type=list[FinanceCategoryType])
    def finance_categories(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        direction: Annotated[str | None, strawberry.argument(deprecation_reason="改用 flowDirection（枚举）。")] = None,
        flow_direction: Annotated[
            FinanceDirection | None, strawberry.argument(description="只列此收支方向的科目。")
        ] = None,
    ) -> list[FinanceCategory]:
        direction = optional_code(direction, flow_direction, legacy_field="direction", field="flowDirection")
        unit = _viewable(info, org_unit_id)
        statement = select(FinanceCategory).where(FinanceCategory.org_unit_id == unit.id)
        if direction is not None:
            statement = statement.where(FinanceCategory.direction == direction)
        return list(
            info.context.session.scalars(statement.order_by(FinanceCategory.direction.desc(), FinanceCategory.code))
        )

    @strawberry.field(description="开支申请，最新的在前；不给 orgUnitId 时列出权限范围内全部社区的（finance.view）。")
    def finance_expense_requests(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID | None = None,
        status: Annotated[str | None, strawberry.argument(deprecation_reason="改用 requestStatus（枚举）。")] = None,
        request_status: Annotated[
            FinanceExpenseRequestStatus | None, strawberry.argument(description="只列此状态的申请。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ExpenseRequestType]:
        status = optional_code(status, request_status, legacy_field="status", field="requestStatus")
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code, registry=_permissions(context))
        statement = select(ExpenseRequest).where(scope_condition(context, d.VIEW.code, ExpenseRequest.org_path))
        if org_unit_id is not None:
            statement = statement.where(
                ExpenseRequest.org_unit_id == decode_pk(org_unit_id, "OrgUnit", field="orgUnitId")
            )
        if status is not None:
            statement = statement.where(ExpenseRequest.status == status)
        return paginate(context, statement, (ExpenseRequest.id,), first=first, after=after, descending=True)

    @strawberry.field(description="记账凭证，按日期倒序（finance.view）。")
    def finance_entries(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[LedgerEntryType]:
        unit = _viewable(info, org_unit_id)
        statement = select(LedgerEntry).where(LedgerEntry.org_unit_id == unit.id)
        return paginate(
            info.context, statement, (LedgerEntry.entry_date, LedgerEntry.id), first=first, after=after, descending=True
        )

    @strawberry.field(description="日记账：期间内逐笔收支与余额；可限定一个账户（finance.view）。默认本年初至今天。")
    def finance_ledger(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
        account_id: strawberry.ID | None = None,
    ) -> LedgerType:
        unit = _viewable(info, org_unit_id)
        start, end = _default_period(from_, to)
        account = decode_pk(account_id, "FinanceAccount", field="accountId") if account_id else None
        result = service.ledger(info.context.session, unit, start, end, account)
        return LedgerType(
            opening_balance=service.yuan(result.opening_fen),
            lines=[
                LedgerLineType(
                    entry=line.entry,
                    income=service.yuan(line.income_fen),
                    expense=service.yuan(line.expense_fen),
                    balance=service.yuan(line.balance_fen),
                )
                for line in result.lines
            ],
            closing_balance=service.yuan(result.closing_fen),
        )

    @strawberry.field(description="科目余额表（按账户）：期初、本期收入、本期支出、期末（finance.view）。")
    def finance_trial_balance(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> list[TrialBalanceRowType]:
        unit = _viewable(info, org_unit_id)
        start, end = _default_period(from_, to)
        return [
            TrialBalanceRowType(
                account=row.account,
                opening_balance=service.yuan(row.opening_fen),
                income=service.yuan(row.income_fen),
                expense=service.yuan(row.expense_fen),
                closing_balance=service.yuan(row.closing_fen),
            )
            for row in service.trial_balance(info.context.session, unit, start, end)
        ]

    @strawberry.field(description="收支分类汇总（冲销已抵减）（finance.view）。")
    def finance_category_totals(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> list[CategoryTotalType]:
        unit = _viewable(info, org_unit_id)
        start, end = _default_period(from_, to)
        return [
            CategoryTotalType(category=t.category, amount=service.yuan(t.amount_fen), entries=t.entries)
            for t in service.by_category(info.context.session, unit, start, end)
        ]

    @strawberry.field(description="日清记录（finance.view）。", graphql_type=list[CashCountType])
    def finance_cash_counts(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[CashCount]:
        unit = _viewable(info, org_unit_id)
        return list(
            info.context.session.scalars(
                select(CashCount)
                .where(CashCount.org_unit_id == unit.id)
                .order_by(CashCount.count_date.desc(), CashCount.id)
            )
        )

    @strawberry.field(description="已月结的月份（finance.view）。", graphql_type=list[MonthCloseType])
    def finance_month_closes(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[MonthClose]:
        unit = _viewable(info, org_unit_id)
        return list(
            info.context.session.scalars(
                select(MonthClose).where(MonthClose.org_unit_id == unit.id).order_by(MonthClose.month.desc())
            )
        )

    @strawberry.field(description="审计记录（finance.view）。", graphql_type=list[FinanceAuditType])
    def finance_audits(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[FinanceAudit]:
        unit = _viewable(info, org_unit_id)
        return list(
            info.context.session.scalars(
                select(FinanceAudit).where(FinanceAudit.org_unit_id == unit.id).order_by(FinanceAudit.id.desc())
            )
        )

    @strawberry.field(description="自某日以来离任、尚未做离任审计的经费掌管人（来自核心的职务任期）（finance.view）。")
    def finance_departures_due(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, since: date
    ) -> list[DepartureDueType]:
        unit = _viewable(info, org_unit_id)
        session = info.context.session
        result = []
        for a in service.departures_due(session, unit, since):
            assert a.ended_on is not None  # a departure is a term that ended
            resident = session.get(Resident, a.resident_id)
            result.append(
                DepartureDueType(
                    assignment=strawberry.ID(encode_global_id("PostAssignment", a.id)),
                    post_code=a.post_code,
                    post_name=CORE_KINDS.post_kind(a.post_code).name,
                    resident_name=resident.name if resident else "",
                    term_start=a.term_start,
                    ended_on=a.ended_on,
                )
            )
        return result

    @strawberry.field(description="财务公开记录（finance.view）。", graphql_type=list[DisclosureType])
    def finance_disclosures(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[Disclosure]:
        unit = _viewable(info, org_unit_id)
        return list(
            info.context.session.scalars(
                select(Disclosure)
                .where(Disclosure.org_unit_id == unit.id)
                .order_by(Disclosure.period_start.desc(), Disclosure.id.desc())
            )
        )

    @strawberry.field(description="经费标准：按户数测算的年工作经费与居委会成员补贴（finance.view）。")
    def finance_funding_standard(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> FundingStandardType:
        unit = _viewable(info, org_unit_id)
        from core.indicators.registry import registry_for_context as indicators_of

        s = service.funding_standard(info.context.session, unit, indicators=indicators_of(info.context))
        return FundingStandardType(
            households=s.households,
            per_100_households=service.yuan(s.per_100_households_fen),
            annual_funding=service.yuan(s.annual_funding_fen),
            chairs=s.chairs,
            members=s.members,
            chair_monthly=service.yuan(s.chair_monthly_fen),
            member_monthly=service.yuan(s.member_monthly_fen),
            annual_allowance=service.yuan(s.annual_allowance_fen),
            assessment_award=service.yuan(s.assessment_award_fen),
        )

    @strawberry.field(
        description="辖区各社区账簿概况：余额、待办开支、月结与财务公开进度（finance.view，只列权限范围内的社区）。"
    )
    def finance_overview(self, info: strawberry.Info, under: strawberry.ID) -> list[CommunityOverviewType]:
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code, registry=_permissions(context))
        unit = org_service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
        return [
            CommunityOverviewType(
                org_unit=row.unit,
                balance=service.yuan(row.balance_fen),
                pending_requests=row.pending_requests,
                paid_unbooked=row.paid_unbooked,
                refused_payments=row.refused_payments,
                unreviewed_refusals=row.unreviewed_refusals,
                last_closed_month=row.last_closed_month,
                last_disclosure_end=row.last_disclosure_end,
                open_audits=row.open_audits,
            )
            for row in service.overview(context.session, context, unit)
        ]

    @strawberry.field(
        description="财会人员向街道办事处反映的拒付，最新的在前；默认只列尚未处理的（finance.view，只列权限范围内的社区）。"
    )
    def finance_reported_refusals(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        unreviewed_only: bool = True,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ExpenseRequestType]:
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code, registry=_permissions(context))
        unit = org_service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
        statement = select(ExpenseRequest).where(
            org_service.in_subtree(ExpenseRequest.org_path, unit.path),
            scope_condition(context, d.VIEW.code, ExpenseRequest.org_path),
            ExpenseRequest.refusal_reported_at.is_not(None),
        )
        if unreviewed_only:
            statement = statement.where(ExpenseRequest.refusal_reviewed_at.is_(None))
        return paginate(context, statement, (ExpenseRequest.id,), first=first, after=after, descending=True)

    @strawberry.field(
        description="待我办理：我现在能审批、签字、支付、记账或处理拒付反映的开支申请（按岗位和权限判断），以及我经办、正待他人办理的申请；每项附 waitingFor 说明谁须办理。"
    )
    def finance_todo(self, info: strawberry.Info) -> list[TodoItemType]:
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code, registry=_permissions(context))
        return [
            TodoItemType(
                request=request,
                action=action,
                action_name=service.ACTION_NAMES[action],
                waiting_for=_pending(context.session, request),
            )
            for request, action in service.todo(context.session, context, registry=_permissions(context))
        ]

    @strawberry.field(
        description="日清检查：期间内库存现金有收付、却没有盘点记录的日子（finance.view）。默认本年初至今天。"
    )
    def finance_uncounted_days(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        from_: Annotated[date | None, strawberry.argument(name="from")] = None,
        to: date | None = None,
    ) -> list[UncountedDayType]:
        unit = _viewable(info, org_unit_id)
        start, end = _default_period(from_, to)
        return [
            UncountedDayType(account=account, day=day)
            for account, day in service.uncounted_days(info.context.session, unit, start, end)
        ]

    @strawberry.field(description="按当前策略预览某金额开支的审批链和报销签字（finance.view）。")
    def finance_approval_chain(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, amount: Decimal
    ) -> ChainPreviewType:
        unit = _viewable(info, org_unit_id)
        chain = service.compute_chain(info.context.session, unit, service.to_fen(amount), local_today())
        return ChainPreviewType(
            tier=chain["tier"],
            tier_name=service.tier_name(chain["tier"], chain["steps"]),
            steps=chain["steps"],
            step_names=[STEP_NAMES[s] for s in chain["steps"]],
            signatures=chain["signatures"],
            chair_is_secretary=chain["chairIsSecretary"],
            procedure=chain["procedure"],
        )


# --- mutations --------------------------------------------------------------------------------


@strawberry.input(description="建账：生成库存现金、银行存款两个账户和常用收支科目。")
class OpenFinanceBooksInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    opened_on: date | None = strawberry.field(default=None, description="建账日期；默认今天。")
    cash_opening_balance: Decimal = strawberry.field(default=Decimal(0), description="库存现金期初余额（元）。")
    bank_opening_balance: Decimal = strawberry.field(default=Decimal(0), description="银行存款期初余额（元）。")


@strawberry.type
class OpenFinanceBooksPayload:
    accounts: list[FinanceAccount] | None = strawberry.field(default=None, graphql_type=list[FinanceAccountType] | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="新增收支科目。")
class AddFinanceCategoryInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    direction: str | None = strawberry.field(
        default=None, description="income 或 expense。", deprecation_reason="改用 flowDirection（枚举）。"
    )
    flow_direction: FinanceDirection | None = strawberry.field(default=None, description="收支方向。")
    code: str = strawberry.field(description="科目代码。")
    name: str = strawberry.field(description="科目名称。")


@strawberry.type
class FinanceCategoryPayload:
    category: FinanceCategory | None = strawberry.field(default=None, graphql_type=FinanceCategoryType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="提出开支申请：审批链按申请时的策略计算并保存。")
class CreateExpenseRequestInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    title: str = strawberry.field(description="开支事由。")
    amount: Decimal = strawberry.field(description="金额（元，最多两位小数）。")
    category_id: strawberry.ID = strawberry.field(description="支出科目。")
    account_id: strawberry.ID = strawberry.field(description="付款账户。")
    purpose: str | None = strawberry.field(default=None, description="用途说明。")
    documents: list[DocumentInput] | None = strawberry.field(
        default=None, description="已有的发票、收据；支付前必须补齐。"
    )


@strawberry.type
class ExpenseRequestPayload:
    request: ExpenseRequest | None = strawberry.field(default=None, graphql_type=ExpenseRequestType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="对开支申请的当前步骤表示同意。")
class ApproveExpenseStepInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    note: str | None = strawberry.field(default=None, description="意见。")


@strawberry.input(
    description="登记会议的决定：社区成员代表大会引用会议决议（resolutionId，应到、出席和赞成人数取自会议）；"
    "村“两委”联席会议、村民会议填写会议日期、应到、出席和赞成人数。"
)
class RecordAssemblyResolutionInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    number: str = strawberry.field(description="决定文号，如 代〔2026〕3号。")
    resolution_id: strawberry.ID | None = strawberry.field(
        default=None, description="社区成员代表大会的会议决议（MeetingResolution）的全局 ID（代表大会步骤必填）。"
    )
    meeting_date: date | None = strawberry.field(default=None, description="会议日期（村级会议步骤）。")
    representatives: int | None = strawberry.field(default=None, description="应到人数（村级会议步骤）。")
    attendance: int | None = strawberry.field(default=None, description="出席人数（村级会议步骤）。")
    votes_for: int | None = strawberry.field(default=None, description="赞成票数（村级会议步骤）。")


@strawberry.input(description="驳回、拒付的理由。")
class ExpenseReasonInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    reason: str = strawberry.field(description="理由。")


@strawberry.input(description="财会人员拒绝支付或报销。")
class RefuseExpensePaymentInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    reason: str = strawberry.field(description="拒付理由（哪项不符合规定）。")
    report_to_street: bool = strawberry.field(default=False, description="同时向街道办事处反映。")


@strawberry.input(description="将拒付向街道办事处反映。")
class ReportRefusedPaymentInput:
    request_id: strawberry.ID = strawberry.field(description="已拒付的开支申请。")


@strawberry.input(description="街道办事处处理拒付反映。")
class ReviewRefusedPaymentInput:
    request_id: strawberry.ID = strawberry.field(description="反映拒付的开支申请。")
    note: str = strawberry.field(description="处理意见。")


@strawberry.input(description="补交原始凭证。")
class AddExpenseDocumentsInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    documents: list[DocumentInput] = strawberry.field(description="原始凭证。")


@strawberry.input(
    description="报销签字：handler（经办人）、chair（主任）、secretary（书记）、vice_chair（一肩挑时或代本人经办的主任、书记签字的副主任）"
    "或 second_vice_chair（主任书记一肩挑者本人经办时的另一名副主任）。"
)
class SignExpenseRequestInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    role: str | None = strawberry.field(
        default=None, description="签字身份。", deprecation_reason="改用 signatureRole（枚举）。"
    )
    signature_role: FinanceSignatureRole | None = strawberry.field(default=None, description="签字身份。")


@strawberry.type
class SignExpenseRequestPayload:
    request: ExpenseRequest | None = strawberry.field(default=None, graphql_type=ExpenseRequestType | None)
    signature: Signature | None = strawberry.field(default=None, graphql_type=SignatureType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="出纳支付。")
class PayExpenseRequestInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    paid_on: date | None = strawberry.field(default=None, description="支付日期；默认今天。")


@strawberry.input(description="会计为已支付的开支记账。")
class BookExpenseInput:
    request_id: strawberry.ID = strawberry.field(description="开支申请。")
    entry_date: date | None = strawberry.field(default=None, description="记账日期；默认支付日期。")


@strawberry.type
class LedgerEntryPayload:
    entry: LedgerEntry | None = strawberry.field(default=None, graphql_type=LedgerEntryType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记一笔收入（须有收据等凭证）。")
class PostIncomeEntryInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    account_id: strawberry.ID = strawberry.field(description="账户。")
    category_id: strawberry.ID = strawberry.field(description="收支科目。")
    amount: Decimal = strawberry.field(description="金额（元，最多两位小数）。")
    entry_date: date = strawberry.field(description="记账日期。")
    summary: str = strawberry.field(description="摘要。")
    documents: list[DocumentInput] = strawberry.field(description="原始凭证。")


@strawberry.input(description="红字冲销一张凭证（在未结账的月份）。")
class ReverseLedgerEntryInput:
    entry_id: strawberry.ID = strawberry.field(description="要冲销的凭证。")
    entry_date: date = strawberry.field(description="记账日期。")
    reason: str = strawberry.field(description="理由。")


@strawberry.input(description="日清：出纳盘点现金。")
class RecordCashCountInput:
    account_id: strawberry.ID = strawberry.field(description="账户。")
    count_date: date = strawberry.field(description="盘点日期。")
    counted: Decimal = strawberry.field(description="实点金额（元）。")
    note: str | None = strawberry.field(default=None, description="意见。")


@strawberry.type
class CashCountPayload:
    cash_count: CashCount | None = strawberry.field(default=None, graphql_type=CashCountType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="月结。")
class CloseFinanceMonthInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    month: date = strawberry.field(description="要结账月份中的任一天。")


@strawberry.type
class MonthClosePayload:
    month_close: MonthClose | None = strawberry.field(default=None, graphql_type=MonthCloseType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="立项审计：季度审计给出期间；离任审计给出离任人的任职记录。")
class StartFinanceAuditInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    kind: str | None = strawberry.field(
        default=None, description="quarterly 或 departure。", deprecation_reason="改用 auditKind（枚举）。"
    )
    audit_kind: FinanceAuditKind | None = strawberry.field(default=None, description="审计种类。")
    period_start: date | None = strawberry.field(default=None, description="期间开始。")
    period_end: date | None = strawberry.field(default=None, description="期间结束。")
    assignment_id: strawberry.ID | None = strawberry.field(
        default=None, description="离任人的任职记录（PostAssignment）。"
    )


@strawberry.input(description="完成审计；离任审计须办理交接。")
class CompleteFinanceAuditInput:
    audit_id: strawberry.ID = strawberry.field(description="审计记录。")
    findings: str = strawberry.field(description="审计发现。")
    conclusion: str = strawberry.field(description="审计结论。")
    handover_to_resident_id: strawberry.ID | None = strawberry.field(default=None, description="接交人（居民）。")
    handover_note: str | None = strawberry.field(default=None, description="交接说明（账簿、凭证、印章等）。")
    cash_handed_over: Decimal | None = strawberry.field(default=None, description="移交的现金（元）。")


@strawberry.input(description="审计记录。")
class FinanceAuditActionInput:
    audit_id: strawberry.ID = strawberry.field(description="审计记录。")


@strawberry.type
class FinanceAuditPayload:
    audit: FinanceAudit | None = strawberry.field(default=None, graphql_type=FinanceAuditType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="生成财务公开（每半年或每季度，按地方策略）并送党组织审核。")
class GenerateFinanceDisclosureInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区（村）。")
    period_start: date = strawberry.field(
        description="期间的第一天：每半年公开为 1 月 1 日或 7 月 1 日；地方规定每季度公开的，为各季度第一天。"
    )


@strawberry.type
class FinanceDisclosurePayload:
    disclosure: Disclosure | None = strawberry.field(default=None, graphql_type=DisclosureType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _row(info: strawberry.Info, global_id: str, type_name: str, field: str) -> Any:
    """The record an input names, if the caller may see it (finance.view in
    its community; else NOT_FOUND, as for a missing one), in a community
    where the plugin is on. The service checks the operation's permission."""
    row = object_for(info.context, global_id, type_name, None, field=field)
    _active(info, row, type_name, field)
    return row


def _departing(info: strawberry.Info, global_id: str | None) -> int | None:
    """The departing holder's assignment for a departure audit: one in the
    caller's finance scope (an auditor need not read posts); the service
    then checks finance.audit at the community."""
    if not global_id:
        return None
    return object_in_scope(
        info.context,
        global_id,
        PostAssignment,
        "PostAssignment",
        (d.AUDIT.code, d.VIEW.code),
        field="assignmentId",
        what="任职记录",
    ).id


def _request(info: strawberry.Info, global_id: str) -> int:
    return _row(info, global_id, "FinanceExpenseRequest", "requestId").id


def _book_id(info: strawberry.Info, global_id: str, type_name: str, field: str) -> int:
    """A category or account named for a new entry: seen by the caller (the
    service then requires it to be this community's)."""
    return object_for(info.context, global_id, type_name, None, field=field).id


@strawberry.type
class FinanceMutation:
    @strawberry.mutation(description="建账（finance.manage_books）。")
    @atomic
    def open_finance_books(self, info: strawberry.Info, input: OpenFinanceBooksInput) -> OpenFinanceBooksPayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject("FinanceAccount", None, unit.id)
        accounts = service.open_books(
            context.session,
            context,
            unit,
            opened_on=input.opened_on or local_today(),
            cash_opening_fen=service.to_fen(input.cash_opening_balance, field="cashOpeningBalance", allow_zero=True),
            bank_opening_fen=service.to_fen(input.bank_opening_balance, field="bankOpeningBalance", allow_zero=True),
            registry=_permissions(context),
        )
        return OpenFinanceBooksPayload(accounts=accounts)

    @strawberry.mutation(description="新增收支科目（finance.manage_books）。")
    @atomic
    def add_finance_category(self, info: strawberry.Info, input: AddFinanceCategoryInput) -> FinanceCategoryPayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject("FinanceCategory", None, unit.id)
        category = service.add_category(
            context.session,
            context,
            unit,
            direction=required_code(
                input.direction, input.flow_direction, legacy_field="direction", field="flowDirection"
            ),
            code=input.code,
            name=input.name,
            registry=_permissions(context),
        )
        return FinanceCategoryPayload(category=category)

    @strawberry.mutation(description="提出开支申请（finance.request）：按金额和当时的策略生成审批链与签字要求。")
    @atomic
    def create_expense_request(self, info: strawberry.Info, input: CreateExpenseRequestInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject("FinanceExpenseRequest", None, unit.id)
        request = service.create_request(
            context.session,
            context,
            unit,
            title=input.title,
            amount_fen=service.to_fen(input.amount),
            category_id=_book_id(info, input.category_id, "FinanceCategory", "categoryId"),
            account_id=_book_id(info, input.account_id, "FinanceAccount", "accountId"),
            purpose=input.purpose,
            documents=_to_documents(input.documents),
            registry=_permissions(context),
        )
        context.audit_subject(
            "FinanceExpenseRequest", request.id, unit.id, detail={"amountFen": request.amount_fen, "tier": request.tier}
        )
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(
        description="同意当前审批步骤：主任步骤须由在任主任（finance.approve_chair），街道步骤须由街道分管主任（finance.approve_street），备案由街道（finance.file）；申请人不能审批自己的申请。"
    )
    @atomic
    def approve_expense_step(self, info: strawberry.Info, input: ApproveExpenseStepInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.approve_step(context.session, context, pk, note=input.note, registry=_permissions(context))
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(
        description="登记会议决定（finance.record_resolution）：代表大会须引用本社区成员代表大会达到法定人数并获通过的决议；"
        "村级会议按过半数出席、出席过半数同意的规则检查。"
    )
    @atomic
    def record_assembly_resolution(
        self, info: strawberry.Info, input: RecordAssemblyResolutionInput
    ) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        resolution = (
            object_for(context, input.resolution_id, "MeetingResolution", None, field="resolutionId", what="会议决议")
            if input.resolution_id is not None
            else None
        )
        request = service.record_resolution(
            context.session,
            context,
            pk,
            meeting_date=input.meeting_date,
            number=input.number,
            representatives=input.representatives,
            attendance=input.attendance,
            votes_for=input.votes_for,
            resolution_id=resolution.id if resolution is not None else None,
            registry=_permissions(context),
        )
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(description="驳回开支申请（当前步骤的审批人）。")
    @atomic
    def reject_expense_request(self, info: strawberry.Info, input: ExpenseReasonInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.reject(context.session, context, pk, reason=input.reason, registry=_permissions(context))
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(description="经办人撤回尚未支付的申请（记录保留）。")
    @atomic
    def cancel_expense_request(self, info: strawberry.Info, input: ExpenseReasonInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.cancel_request(
            context.session, context, pk, reason=input.reason, registry=_permissions(context)
        )
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(description="经办人补交原始凭证。")
    @atomic
    def add_expense_documents(self, info: strawberry.Info, input: AddExpenseDocumentsInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.add_documents(
            context.session, context, pk, _to_documents(input.documents), registry=_permissions(context)
        )
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(
        description="报销签字：经办人本人、在任主任、在任书记（一肩挑时为在任副主任；主任书记本人经办时为两名副主任），每人只签一种身份。"
    )
    @atomic
    def sign_expense_request(self, info: strawberry.Info, input: SignExpenseRequestInput) -> SignExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        signature = service.sign(
            context.session,
            context,
            pk,
            role=required_code(input.role, input.signature_role, legacy_field="role", field="signatureRole"),
            registry=_permissions(context),
        )
        return SignExpenseRequestPayload(request=service.get_request(context.session, pk), signature=signature)

    @strawberry.mutation(
        description="出纳支付已审批、签字齐全、凭证齐全的开支（finance.pay，须为在任出纳，主任和会计不得付款）。"
    )
    @atomic
    def pay_expense_request(self, info: strawberry.Info, input: PayExpenseRequestInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.pay(context.session, context, pk, paid_on=input.paid_on, registry=_permissions(context))
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(
        description="财会人员（在任会计或出纳，finance.refuse）拒绝支付或报销不合规的开支并写明理由；reportToStreet 为真时同时向街道办事处反映。"
    )
    @atomic
    def refuse_expense_payment(self, info: strawberry.Info, input: RefuseExpensePaymentInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.refuse_payment(
            context.session,
            context,
            pk,
            reason=input.reason,
            report_to_street=input.report_to_street,
            registry=_permissions(context),
        )
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(description="将已拒付的开支向街道办事处反映（在任会计或出纳，finance.refuse）。")
    @atomic
    def report_refused_payment(self, info: strawberry.Info, input: ReportRefusedPaymentInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.report_refusal(context.session, context, pk, registry=_permissions(context))
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(
        description="街道办事处（或区有关部门）处理财会人员反映的拒付（finance.review_refusal，须为社区以上的授权）。"
    )
    @atomic
    def review_refused_payment(self, info: strawberry.Info, input: ReviewRefusedPaymentInput) -> ExpenseRequestPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        request = service.review_refusal(context.session, context, pk, note=input.note, registry=_permissions(context))
        return ExpenseRequestPayload(request=request)

    @strawberry.mutation(description="会计为已支付的开支记账（finance.book，须为在任会计，出纳不得记账）。")
    @atomic
    def book_expense(self, info: strawberry.Info, input: BookExpenseInput) -> LedgerEntryPayload:
        context: RequestContext = info.context
        pk = _request(info, input.request_id)
        entry = service.book_expense(
            context.session, context, pk, entry_date=input.entry_date, registry=_permissions(context)
        )
        return LedgerEntryPayload(entry=entry)

    @strawberry.mutation(description="登记收入（finance.book，须有收据等凭证）。支出不能直接记账，须走开支申请。")
    @atomic
    def post_income_entry(self, info: strawberry.Info, input: PostIncomeEntryInput) -> LedgerEntryPayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject("FinanceLedgerEntry", None, unit.id)
        entry = service.post_income(
            context.session,
            context,
            unit,
            account_id=_book_id(info, input.account_id, "FinanceAccount", "accountId"),
            category_id=_book_id(info, input.category_id, "FinanceCategory", "categoryId"),
            amount_fen=service.to_fen(input.amount),
            entry_date=input.entry_date,
            summary=input.summary,
            documents=_to_documents(input.documents),
            registry=_permissions(context),
        )
        return LedgerEntryPayload(entry=entry)

    @strawberry.mutation(description="红字冲销一张凭证：原凭证不动，冲销凭证记在未结账的月份（finance.book）。")
    @atomic
    def reverse_ledger_entry(self, info: strawberry.Info, input: ReverseLedgerEntryInput) -> LedgerEntryPayload:
        context: RequestContext = info.context
        pk = _row(info, input.entry_id, "FinanceLedgerEntry", "entryId").id
        entry = service.reverse_entry(
            context.session,
            context,
            pk,
            entry_date=input.entry_date,
            reason=input.reason,
            registry=_permissions(context),
        )
        return LedgerEntryPayload(entry=entry)

    @strawberry.mutation(description="日清：出纳盘点现金与账面核对，账实不符须写明原因（finance.pay）。")
    @atomic
    def record_cash_count(self, info: strawberry.Info, input: RecordCashCountInput) -> CashCountPayload:
        context: RequestContext = info.context
        pk = _row(info, input.account_id, "FinanceAccount", "accountId").id
        count = service.record_cash_count(
            context.session,
            context,
            pk,
            count_date=input.count_date,
            counted_fen=service.to_fen(input.counted, field="counted", allow_zero=True),
            note=input.note,
            registry=_permissions(context),
        )
        return CashCountPayload(cash_count=count)

    @strawberry.mutation(description="月结（finance.book，在任会计）：结账后该月账目不可更改。")
    @atomic
    def close_finance_month(self, info: strawberry.Info, input: CloseFinanceMonthInput) -> MonthClosePayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject(
            "FinanceMonthClose", None, unit.id, detail={"month": service.month_start(input.month).isoformat()}
        )
        closing = service.close_month(context.session, context, unit, input.month, registry=_permissions(context))
        return MonthClosePayload(month_close=closing)

    @strawberry.mutation(description="立项审计（finance.audit；会计、出纳不得审计）。")
    @atomic
    def start_finance_audit(self, info: strawberry.Info, input: StartFinanceAuditInput) -> FinanceAuditPayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject("FinanceAudit", None, unit.id)
        audit = service.start_audit(
            context.session,
            context,
            unit,
            kind=required_code(input.kind, input.audit_kind, legacy_field="kind", field="auditKind"),
            period_start=input.period_start,
            period_end=input.period_end,
            assignment_id=_departing(info, input.assignment_id),
            registry=_permissions(context),
        )
        return FinanceAuditPayload(audit=audit)

    @strawberry.mutation(description="完成审计；离任审计须写明接交人与移交现金（finance.audit）。")
    @atomic
    def complete_finance_audit(self, info: strawberry.Info, input: CompleteFinanceAuditInput) -> FinanceAuditPayload:
        context: RequestContext = info.context
        pk = _row(info, input.audit_id, "FinanceAudit", "auditId").id
        audit = service.complete_audit(
            context.session,
            context,
            pk,
            findings=input.findings,
            conclusion=input.conclusion,
            handover_to_resident_id=resident_pk_for(
                context, input.handover_to_resident_id, field="handoverToResidentId", permission=d.AUDIT.code
            ),
            handover_note=input.handover_note,
            cash_handed_over_fen=service.to_fen(input.cash_handed_over, field="cashHandedOver", allow_zero=True)
            if input.cash_handed_over is not None
            else None,
            registry=_permissions(context),
        )
        return FinanceAuditPayload(audit=audit)

    @strawberry.mutation(description="将审计结果起草到公开栏并送党组织审核（finance.audit 与 board.draft）。")
    @atomic
    def publish_finance_audit(self, info: strawberry.Info, input: FinanceAuditActionInput) -> FinanceAuditPayload:
        context: RequestContext = info.context
        pk = _row(info, input.audit_id, "FinanceAudit", "auditId").id
        audit = service.publish_audit(
            context.session, context, pk, categories=categories_for_context(context), registry=_permissions(context)
        )
        return FinanceAuditPayload(audit=audit)

    @strawberry.mutation(
        description="由账簿生成财务公开（默认每半年，策略 finance.disclosure.months 为 3 时每季度），起草到公开栏并送党组织审核；公开后即履行对应的财务公开报送事项（finance.disclose 与 board.draft）。"
    )
    @atomic
    def generate_finance_disclosure(
        self, info: strawberry.Info, input: GenerateFinanceDisclosureInput
    ) -> FinanceDisclosurePayload:
        context: RequestContext = info.context
        unit = _community(info, input.org_unit_id)
        context.audit_subject("FinanceDisclosure", None, unit.id)
        disclosure = service.generate_disclosure(
            context.session,
            context,
            unit,
            period_start=input.period_start,
            categories=categories_for_context(context),
            registry=_permissions(context),
        )
        return FinanceDisclosurePayload(disclosure=disclosure)


TYPES = (
    FinanceAccountType,
    FinanceCategoryType,
    ExpenseRequestType,
    LedgerEntryType,
    FinanceAuditType,
    DisclosureType,
)
