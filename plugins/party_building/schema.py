"""GraphQL for party building.

Who sees what
    Organizations, meetings, compliance, democratic life plans, development
    cases and member units need ``party_building.view`` and are filtered in
    SQL by the org unit path the rows copy (``scope_condition``). Party
    membership is sensitive: member rosters, in-service registrations,
    household contact and appraisals need ``party_building.view_members``;
    a ``PartyMember`` reached otherwise (an attendance list) shows the
    person's name and committee post, while ``status``/``joinedOn`` are null
    and ``politicalStatus`` is always masked (revealed only through
    ``revealSensitiveField`` with ``party_building.reveal_membership``, audited).

Changing anything needs ``party_building.manage`` at the unit concerned and
the plugin active there (``plugin.party_building.active``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import Select, select
from sqlalchemy.orm import object_session

from core.api.choices import optional_code, required_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import (
    NAME_RESIDENT,
    not_found,
    object_for,
    object_in_scope,
    objects_for,
    resident_pk_for,
)
from core.api.loaders import children, related, remember_page, rows_of
from core.api.mutations import atomic
from core.api.relay import MAX_INTEGER_PK, Connection, Node, NodeType, decode_pk, model_type, paginate
from core.api.rows import row_as, rows_as
from core.auth.permissions import (
    can,
    principal_of,
    registry_for_context,
    require,
    require_somewhere,
    scope_condition,
)
from core.board.categories import categories_for_context
from core.board.models import Notice
from core.board.schema import NoticeType
from core.meetings.models import Meeting
from core.meetings.schema.types import MeetingType
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Household, Resident
from core.people.schema import HouseholdType, ResidentType
from core.plugin_host import host_of
from core.policy.service import local_today, require_plugin_active
from core.reporting.models import ObligationInstance
from core.reporting.schema import ObligationInstanceType
from plugins.party_building import meeting_kinds, service
from plugins.party_building.declarations import MANAGE, PLUGIN, VIEW, VIEW_MEMBERS
from plugins.party_building.enums import (
    HouseholdContactMethod,
    InServiceEntryKind,
    MemberUnitAppraisalGrade,
    MemberUnitKind,
    MemberUnitManagement,
    PartyAppraisalOutcome,
    PartyCommitteeRole,
    PartyDevelopmentStage,
    PartyMeetingComplianceStatus,
    PartyMeetingType,
    PartyMembershipStatus,
    PartyOrganizationKind,
)
from plugins.party_building.models import (
    APPRAISAL_OUTCOMES,
    COMMITTEE_ROLES,
    DEVELOPMENT_STAGES,
    IN_SERVICE_ENTRY_KINDS,
    MANAGEMENT_KINDS,
    MEETING_TYPES,
    MEMBER_STATUSES,
    ORGANIZATION_TYPES,
    UNIT_KINDS,
    Appraisal,
    DemocraticLifePlan,
    DevelopmentCase,
    FeedbackSlip,
    HouseholdAssignment,
    InServiceEntry,
    InServiceRegistration,
    MemberUnit,
    MemberUnitAppraisal,
    PartyMember,
    PartyMemberTransfer,
    PartyOrganization,
)
from plugins.party_building.privacy import POLITICAL_STATUS, political_status

M = TypeVar("M")

# --- helpers --------------------------------------------------------------------------------


def _ctx(info: strawberry.Info) -> RequestContext:
    return info.context


def _registry(context: RequestContext) -> Any:
    return registry_for_context(context)


def _user_id(context: RequestContext) -> int | None:
    principal = principal_of(context)
    return principal.id if principal else None


def _manage(context: RequestContext, org_unit_id: int, path: str) -> OrgUnit:
    """``party_building.manage`` at the unit, and the plugin active there."""
    require(context, MANAGE.code, path, registry=_registry(context))
    return require_plugin_active(context, org_unit_id, PLUGIN)


def _scoped(statement: Select[Any], context: RequestContext, code: str, path_column: Any) -> Select[Any]:
    return statement.where(scope_condition(context, code, path_column))


def _under(
    context: RequestContext, statement: Select[Any], path_column: Any, under: strawberry.ID | None
) -> Select[Any]:
    if under is None:
        return statement
    unit = org_service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
    return statement.where(org_service.in_subtree(path_column, unit.path))


def _resident_name(context: RequestContext, row: Any, key: str = "resident_id") -> str:
    resident = related(context, row, key, Resident)
    return resident.name if resident else ""


def _visible_resident(context: RequestContext, row: Any, key: str = "resident_id") -> Resident | None:
    """The core resident record, where the caller may see residents (people.view)."""
    resident = related(context, row, key, Resident)
    return resident if resident is not None and can(context, "people.view", resident.org_path) else None


def _required(row: M | None) -> M:
    """The row a non-null foreign key points at (the database keeps it there)."""
    if row is None:
        raise LookupError("a non-null foreign key points at no row")
    return row


def _sees_members(context: RequestContext, path: str) -> bool:
    return can(context, VIEW_MEMBERS.code, path)


def _scoped_loader(model: Any, code: str) -> Any:
    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
        if not wanted:
            return {}
        rows = context.session.scalars(
            select(model).where(model.id.in_(wanted), scope_condition(context, code, model.org_path))
        )
        return {row.id: row for row in rows}

    return load


def _get(
    context: RequestContext,
    model: Any,
    type_name: str,
    global_id: strawberry.ID,
    field: str,
    what: str,
    *,
    lock: bool = False,
) -> Any:
    """The row a mutation acts on, if the caller may see it (else NOT_FOUND,
    as for a missing one); ``lock`` takes its row lock (PostgreSQL) so that
    two people changing its state at once are taken in turn. The caller
    then checks the operation's permission (FORBIDDEN for a row they see)."""
    return object_for(context, global_id, type_name, None, field=field, lock=lock, what=what)


# --- types -------------------------------------------------------------------------------------


@strawberry.type(name="PartyWarning", description="不符合规定之处（提示，不阻止操作）：代码和中文说明。")
class WarningType:
    code: str = strawberry.field(
        description="TYPE_MISMATCH、COMMITTEE_SIZE、COMMITTEE_NOT_ALLOWED、NO_SECRETARY、MEMBER_UNIT_WITHOUT_REPRESENTATIVE、"
        "DEPUTY_SECRETARIES、FULL_TIME_DEPUTY_SECRETARY；提示：COMMITTEE_ALLOWED（可以建立党委）等。"
    )
    message: str = strawberry.field(description="中文说明。")
    hint: bool = strawberry.field(description="true：只是说明规定允许的做法（如可以建立党委），不是需要纠正的问题。")


def _warnings(items: Sequence[service.OrgWarning]) -> list[WarningType]:
    return [WarningType(code=w.code, message=w.message, hint=w.hint) for w in items]


@model_type(
    PartyOrganization,
    name="PartyOrganization",
    description="党组织（党委、党总支、党支部、大党委）：自成一棵树，挂靠在某个组织单位。",
)
class PartyOrganizationType(Node):
    name: str = strawberry.field(description="名称。")
    org_type: str = strawberry.field(
        description="类型：branch（党支部）、general_branch（党总支）、committee（党委）、big_committee（大党委）。",
        deprecation_reason="改用 organizationType（枚举）。",
    )

    @strawberry.field(description="党组织类型。")
    def organization_type(self) -> PartyOrganizationKind:
        return PartyOrganizationKind(self.org_type)

    has_groups: bool = strawberry.field(description="是否设党小组（设则须开党小组会）。")
    depth: int = strawberry.field(description="在党组织树中的深度，根为 0。")
    established_on: date | None = strawberry.field(description="成立日期。")
    dissolved_on: date | None = strawberry.field(description="撤销日期。")

    @strawberry.field(description="类型的中文名称。")
    def org_type_name(self, root: PartyOrganization) -> str:
        return ORGANIZATION_TYPES[root.org_type]

    @strawberry.field(description="挂靠的组织单位（社区、网格、楼栋……）。")
    def org_unit(self, root: PartyOrganization, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, _required(related(_ctx(info), root, "org_unit_id", OrgUnit)))

    @strawberry.field(description="上级党组织；不在查看范围内时为空。")
    def parent(self, root: PartyOrganization, info: strawberry.Info) -> PartyOrganizationType | None:
        parent = related(_ctx(info), root, "parent_id", PartyOrganization)
        visible = parent if parent is not None and can(_ctx(info), VIEW.code, parent.org_path) else None
        return row_as(PartyOrganizationType, visible)

    @strawberry.field(description="直接下级党组织。")
    def children(self, root: PartyOrganization, info: strawberry.Info) -> list[PartyOrganizationType]:
        context = _ctx(info)
        rows = list(
            context.session.scalars(
                select(PartyOrganization).where(PartyOrganization.parent_id == root.id).order_by(PartyOrganization.id)
            )
        )
        return rows_as(PartyOrganizationType, [r for r in rows if can(context, VIEW.code, r.org_path)])

    @strawberry.field(description="党员人数（含下级党组织，正式和预备党员）。")
    def member_count(self, root: PartyOrganization, info: strawberry.Info) -> int:
        return service.member_count(_ctx(info).session, root)

    @strawberry.field(
        description="按党员人数应设的类型（地方策略）。", deprecation_reason="改用 expectedOrganizationType（枚举）。"
    )
    def expected_type(self, root: PartyOrganization, info: strawberry.Info) -> str:
        session = _ctx(info).session
        return service.expected_type(session, root, service.member_count(session, root))

    @strawberry.field(description="按党员人数应设的类型（地方策略）。")
    def expected_organization_type(self, root: PartyOrganization, info: strawberry.Info) -> PartyOrganizationKind:
        session = _ctx(info).session
        return PartyOrganizationKind(service.expected_type(session, root, service.member_count(session, root)))

    @strawberry.field(description="书记、副书记和委员。")
    def committee(self, root: PartyOrganization, info: strawberry.Info) -> list[PartyMemberType]:
        context = _ctx(info)

        def load(ids: list[int]) -> dict[int, list[PartyMember]]:
            grouped: dict[int, list[PartyMember]] = {}
            rows = context.session.scalars(
                select(PartyMember)
                .where(
                    PartyMember.organization_id.in_(ids),
                    PartyMember.left_on.is_(None),
                    PartyMember.committee_role.is_not(None),
                )
                .order_by(PartyMember.id)
            )
            for member in rows:
                grouped.setdefault(member.organization_id, []).append(member)
            return grouped

        # The same rows as service.committee_of, for the whole page at once.
        return children(context, root, "party_building.committee", load)

    @strawberry.field(description="类型、委员人数与党员人数不符等提示（按地方策略），没有问题时为空。")
    def warnings(self, root: PartyOrganization, info: strawberry.Info) -> list[WarningType]:
        return _warnings(service.organization_warnings(_ctx(info).session, root))

    @strawberry.field(description="应召开的会议类型（三会一课、民主生活会；大党委为扩大会议）。")
    def owed_meeting_types(self, root: PartyOrganization, info: strawberry.Info) -> list[str]:
        return service.meeting_types_for(_ctx(info).session, root)


@model_type(PartyMemberTransfer, name="PartyMemberTransfer", description="一次组织关系转接。")
class PartyMemberTransferType:
    transferred_on: date = strawberry.field(description="转接日期。")
    reason: str = strawberry.field(description="原因。")

    @strawberry.field(description="转出的党组织名称。")
    def from_organization_name(self, root: PartyMemberTransfer, info: strawberry.Info) -> str:
        return _required(_ctx(info).session.get(PartyOrganization, root.from_organization_id)).name

    @strawberry.field(description="转入的党组织名称。")
    def to_organization_name(self, root: PartyMemberTransfer, info: strawberry.Info) -> str:
        return _required(_ctx(info).session.get(PartyOrganization, root.to_organization_id)).name


@model_type(
    PartyMember,
    name="PartyMember",
    description="党员：核心人口库中的居民在某党组织的组织关系。党员身份属于敏感个人信息。",
)
class PartyMemberType(Node):
    flowing: bool = strawberry.field(description="是否流动党员（外出务工经商等）。")
    flowing_destination: str | None = strawberry.field(description="流动党员的外出去向。")
    left_on: date | None = strawberry.field(description="组织关系转出本系统、去世、除名等的日期；仍在时为空。")
    seat_only: bool = strawberry.field(description="是否仅为大党委委员席位（组织关系仍在本人所在党组织）。")

    @strawberry.field(description="大党委委员所代表的成员单位。")
    def member_unit(self, root: PartyMember, info: strawberry.Info) -> MemberUnitType | None:
        return row_as(MemberUnitType, related(_ctx(info), root, "member_unit_id", MemberUnit))

    @strawberry.field(description="姓名（来自核心人口库）。")
    def name(self, root: PartyMember, info: strawberry.Info) -> str:
        return _resident_name(_ctx(info), root)

    @strawberry.field(description="核心人口库中的居民记录；无权查看居民时为空。")
    def resident(self, root: PartyMember, info: strawberry.Info) -> ResidentType | None:
        return row_as(ResidentType, _visible_resident(_ctx(info), root))

    @strawberry.field(description="所在党组织。")
    def organization(self, root: PartyMember, info: strawberry.Info) -> PartyOrganizationType:
        return row_as(PartyOrganizationType, _required(related(_ctx(info), root, "organization_id", PartyOrganization)))

    @strawberry.field(
        description="委员职务：secretary、deputy_secretary、committee_member；非委员为空。",
        deprecation_reason="改用 committeePosition（枚举）。",
    )
    def committee_role(self, root: PartyMember) -> str | None:
        return root.committee_role

    @strawberry.field(description="委员职务；非委员为空。")
    def committee_position(self, root: PartyMember) -> PartyCommitteeRole | None:
        return None if root.committee_role is None else PartyCommitteeRole(root.committee_role)

    @strawberry.field(description="委员职务的中文名称。")
    def committee_role_name(self, root: PartyMember) -> str | None:
        return COMMITTEE_ROLES.get(root.committee_role) if root.committee_role else None

    @strawberry.field(
        description="政治面貌（脱敏显示）。完整内容用 revealSensitiveField 查看（须有 party_building.reveal_membership 权限，记入审计）。"
    )
    def political_status(self, root: PartyMember, info: strawberry.Info) -> str | None:
        org = related(_ctx(info), root, "organization_id", PartyOrganization)
        clear = political_status(root.status, org.name if org else "", root.left_on is not None)
        return POLITICAL_STATUS.masked(clear)

    @strawberry.field(
        description="probationary（预备党员）或 full（正式党员）；无 party_building.view_members 权限时为空。",
        deprecation_reason="改用 membershipStatus（枚举）。",
    )
    def status(self, root: PartyMember, info: strawberry.Info) -> str | None:
        return root.status if _sees_members(_ctx(info), root.org_path) else None

    @strawberry.field(description="党员类别；无 party_building.view_members 权限时为空。")
    def membership_status(self, root: PartyMember, info: strawberry.Info) -> PartyMembershipStatus | None:
        return PartyMembershipStatus(root.status) if _sees_members(_ctx(info), root.org_path) else None

    @strawberry.field(description="党员类别的中文名称；无权限时为空。")
    def status_name(self, root: PartyMember, info: strawberry.Info) -> str | None:
        return MEMBER_STATUSES[root.status] if _sees_members(_ctx(info), root.org_path) else None

    @strawberry.field(description="入党日期；无权限时为空。")
    def joined_on(self, root: PartyMember, info: strawberry.Info) -> date | None:
        return root.joined_on if _sees_members(_ctx(info), root.org_path) else None

    @strawberry.field(description="转正日期；无权限时为空。")
    def full_on(self, root: PartyMember, info: strawberry.Info) -> date | None:
        return root.full_on if _sees_members(_ctx(info), root.org_path) else None

    @strawberry.field(description="组织关系转接历史，最早的在前；无权限时为空列表。")
    def transfers(self, root: PartyMember, info: strawberry.Info) -> list[PartyMemberTransferType]:
        context = _ctx(info)
        if not _sees_members(context, root.org_path):
            return []
        return rows_of(context, root, PartyMemberTransfer.member_id, PartyMemberTransfer.id)


@model_type(DemocraticLifePlan, name="DemocraticLifePlan", description="民主生活会安排：主题和时间须提前报上级党组织。")
class DemocraticLifePlanType(Node):
    planned_on: date = strawberry.field(description="拟召开日期。")
    topic: str = strawberry.field(description="主题。")
    reported_on: date | None = strawberry.field(description="主题上报日期；未上报时为空。")

    @strawberry.field(description="党组织。")
    def organization(self, root: DemocraticLifePlan, info: strawberry.Info) -> PartyOrganizationType:
        return row_as(PartyOrganizationType, _required(related(_ctx(info), root, "organization_id", PartyOrganization)))

    @strawberry.field(description="上报主题的报送事项（按事项生成，截止日为会前规定天数）。")
    def report_instance(self, root: DemocraticLifePlan, info: strawberry.Info) -> ObligationInstanceType:
        return row_as(
            ObligationInstanceType, _required(related(_ctx(info), root, "report_instance_id", ObligationInstance))
        )

    @strawberry.field(description="召开后的会议记录（核心会议）。")
    def meeting(self, root: DemocraticLifePlan, info: strawberry.Info) -> MeetingType | None:
        return row_as(MeetingType, related(_ctx(info), root, "meeting_id", Meeting))


@strawberry.type(name="PartyMeetingComplianceItem", description="某党组织某类会议某一期的落实情况。")
class ComplianceItemType:
    organization: PartyOrganizationType = strawberry.field(description="党组织。")
    meeting_type: str = strawberry.field(
        description="会议类型代码。", deprecation_reason="改用 partyMeetingType（枚举）。"
    )

    @strawberry.field(description="会议类型。")
    def party_meeting_type(self) -> PartyMeetingType:
        return PartyMeetingType(self.meeting_type)

    meeting_type_name: str = strawberry.field(description="会议类型中文名称。")
    period_start: date = strawberry.field(description="本期第一天。")
    period_end: date = strawberry.field(description="本期最后一天。")
    held: int = strawberry.field(description="本期召开且到会过半的次数。")
    status: str = strawberry.field(
        description="done（已开）、due（本期尚未开）、overdue（期满未开）。",
        deprecation_reason="改用 complianceStatus（枚举）。",
    )

    @strawberry.field(description="落实情况。")
    def compliance_status(self) -> PartyMeetingComplianceStatus:
        return PartyMeetingComplianceStatus(self.status)


@model_type(DevelopmentCase, name="DevelopmentCase", description="发展党员（两推一评一考一公示）：每一环节须依次完成。")
class DevelopmentCaseType(Node):
    stage: str = strawberry.field(description="当前环节代码。", deprecation_reason="改用 developmentStage（枚举）。")

    @strawberry.field(description="当前环节。")
    def development_stage(self) -> PartyDevelopmentStage:
        return PartyDevelopmentStage(self.stage)

    started_on: date = strawberry.field(description="列入培养日期。")
    member_nominated_on: date | None = strawberry.field(description="党员推荐日期。")
    member_nominations: int | None = strawberry.field(description="党员推荐人数。")
    representative_nominated_on: date | None = strawberry.field(description="群众（代表）推荐日期。")
    representative_nominations: int | None = strawberry.field(description="群众（代表）推荐人数。")
    evaluated_on: date | None = strawberry.field(description="测评日期。")
    evaluation_approvals: int | None = strawberry.field(description="测评赞成票。")
    evaluation_participants: int | None = strawberry.field(description="参加测评人数。")
    examined_on: date | None = strawberry.field(description="考试日期。")
    exam_score: int | None = strawberry.field(description="考试成绩。")
    branch_meeting_on: date | None = strawberry.field(description="支部大会日期。")

    @strawberry.field(description="当前环节的中文名称。")
    def stage_name(self, root: DevelopmentCase) -> str:
        return DEVELOPMENT_STAGES[root.stage]

    @strawberry.field(description="发展对象姓名（来自核心人口库）。")
    def candidate_name(self, root: DevelopmentCase, info: strawberry.Info) -> str:
        return _resident_name(_ctx(info), root)

    @strawberry.field(description="核心人口库中的居民记录；无权查看居民时为空。")
    def resident(self, root: DevelopmentCase, info: strawberry.Info) -> ResidentType | None:
        return row_as(ResidentType, _visible_resident(_ctx(info), root))

    @strawberry.field(description="党组织。")
    def organization(self, root: DevelopmentCase, info: strawberry.Info) -> PartyOrganizationType:
        return row_as(PartyOrganizationType, _required(related(_ctx(info), root, "organization_id", PartyOrganization)))

    @strawberry.field(description="公开栏上的公示；无 board.view 权限时为空。")
    def notice(self, root: DevelopmentCase, info: strawberry.Info) -> NoticeType | None:
        notice = related(_ctx(info), root, "notice_id", Notice)
        return row_as(
            NoticeType, notice if notice is not None and can(_ctx(info), "board.view", notice.org_path) else None
        )

    @strawberry.field(description="公示公开日期；未公开时为空。")
    def notice_published_on(self, root: DevelopmentCase, info: strawberry.Info) -> date | None:
        notice = related(_ctx(info), root, "notice_id", Notice)
        return service.notice_published_on(notice) if notice is not None else None


@strawberry.type(name="InServiceStatus", description="在职党员某季度的落实情况。")
class InServiceStatusType:
    year: int = strawberry.field(description="年度。")
    quarter: int = strawberry.field(description="季度（1–4）。")
    contacts_in_quarter: int = strawberry.field(description="本季度与社区联系次数。")
    activities_in_year: int = strawberry.field(description="本年度参加社区活动次数。")
    min_contacts: int = strawberry.field(description="每季度至少联系次数（地方策略）。")
    min_activities: int = strawberry.field(description="每年至少参加活动次数（地方策略）。")
    shortfalls: list[str] = strawberry.field(description="未达要求之处。")


@model_type(InServiceEntry, name="InServiceEntry", description="一簿：在职党员社区表现记录的一条。")
class InServiceEntryType:
    kind: str = strawberry.field(
        description="contact（联系报到）或 activity（参加活动）。", deprecation_reason="改用 entryKind（枚举）。"
    )

    @strawberry.field(description="记录种类。")
    def entry_kind(self) -> InServiceEntryKind:
        return InServiceEntryKind(self.kind)

    entry_on: date = strawberry.field(description="日期。")
    description: str = strawberry.field(description="内容。")

    @strawberry.field(description="类型中文名称。")
    def kind_name(self, root: InServiceEntry) -> str:
        return IN_SERVICE_ENTRY_KINDS[root.kind]


@model_type(FeedbackSlip, name="FeedbackSlip", description="一单：按季度反馈给工作单位党组织的情况。")
class FeedbackSlipType:
    year: int = strawberry.field(description="年度。")
    quarter: int = strawberry.field(description="季度（1–4）。")
    contacts: int = strawberry.field(description="本季度联系次数。")
    activities: int = strawberry.field(description="本年度截至季末参加活动次数。")
    content: str = strawberry.field(description="反馈单内容。")
    sent_on: date = strawberry.field(description="发出日期。")


@model_type(InServiceRegistration, name="InServiceRegistration", description="一卡：在职党员到居住地社区报到的登记卡。")
class InServiceRegistrationType(Node):
    workplace: str = strawberry.field(description="工作单位。")
    workplace_organization: str = strawberry.field(description="所在单位党组织（组织关系所在）。")
    registered_on: date = strawberry.field(description="报到日期。")
    ended_on: date | None = strawberry.field(description="结束报到日期。")

    @strawberry.field(description="姓名（来自核心人口库）。")
    def name(self, root: InServiceRegistration, info: strawberry.Info) -> str:
        return _resident_name(_ctx(info), root)

    @strawberry.field(description="报到的社区。")
    def org_unit(self, root: InServiceRegistration, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, _required(related(_ctx(info), root, "org_unit_id", OrgUnit)))

    @strawberry.field(description="社区表现记录，最早的在前。")
    def entries(self, root: InServiceRegistration, info: strawberry.Info) -> list[InServiceEntryType]:
        return rows_of(_ctx(info), root, InServiceEntry.registration_id, InServiceEntry.entry_on, InServiceEntry.id)

    @strawberry.field(description="某季度的落实情况（默认本季度）。")
    def status(
        self, root: InServiceRegistration, info: strawberry.Info, year: int | None = None, quarter: int | None = None
    ) -> InServiceStatusType:
        today = local_today()
        year = year or today.year
        quarter = quarter or (today.month - 1) // 3 + 1
        s = service.in_service_status(_ctx(info).session, root, year, quarter)
        return InServiceStatusType(
            year=year,
            quarter=quarter,
            contacts_in_quarter=s.contacts_in_quarter,
            activities_in_year=s.activities_in_year,
            min_contacts=s.min_contacts,
            min_activities=s.min_activities,
            shortfalls=s.shortfalls,
        )

    @strawberry.field(description="已发出的反馈单。")
    def feedback_slips(self, root: InServiceRegistration, info: strawberry.Info) -> list[FeedbackSlipType]:
        return rows_of(_ctx(info), root, FeedbackSlip.registration_id, FeedbackSlip.year, FeedbackSlip.quarter)


@model_type(HouseholdAssignment, name="HouseholdAssignment", description="联户：党员联系的户。")
class HouseholdAssignmentType(Node):
    assigned_on: date = strawberry.field(description="开始联系日期。")
    ended_on: date | None = strawberry.field(description="结束日期。")

    @strawberry.field(description="联系户的党员。")
    def member(self, root: HouseholdAssignment, info: strawberry.Info) -> PartyMemberType:
        return row_as(PartyMemberType, _required(related(_ctx(info), root, "member_id", PartyMember)))

    @strawberry.field(description="所联系的户（核心人口库）；无 people.view 权限时为空。")
    def household(self, root: HouseholdAssignment, info: strawberry.Info) -> HouseholdType | None:
        household = related(_ctx(info), root, "household_id", Household)
        visible = household if household is not None and can(_ctx(info), "people.view", household.org_path) else None
        return row_as(HouseholdType, visible)

    @strawberry.field(description="户的地址。")
    def household_address(self, root: HouseholdAssignment, info: strawberry.Info) -> str | None:
        household = related(_ctx(info), root, "household_id", Household)
        return household.address if household else None


@strawberry.type(name="HouseholdCoverageRow", description="某月某联户关系的联系情况。")
class CoverageRowType:
    assignment: HouseholdAssignmentType = strawberry.field(description="联户关系。")
    contacts: int = strawberry.field(description="本月联系次数。")
    required: int = strawberry.field(description="每月至少联系次数（地方策略）。")
    covered: bool = strawberry.field(description="是否达到要求。")


@model_type(Appraisal, name="PartyAppraisal", description="党员半年度民主评议（积分量化考核）。")
class AppraisalType(Node):
    year: int = strawberry.field(description="年度。")
    half: int = strawberry.field(description="1 上半年，2 下半年。")
    points: int = strawberry.field(description="积分。")
    outcome: str = strawberry.field(
        description="qualified（合格）；不合格的处置步骤：correction_period（限期改正）、corrected（限期内已改正）、"
        "persuaded_to_leave（劝其退党）、removed（除名）。",
        deprecation_reason="改用 appraisalOutcome（枚举）。",
    )

    @strawberry.field(description="评议结果；不合格时为当前处置步骤。")
    def appraisal_outcome(self) -> PartyAppraisalOutcome:
        return PartyAppraisalOutcome(self.outcome)

    comment: str | None = strawberry.field(description="评语。")
    appraised_on: date = strawberry.field(description="评议日期。")
    correction_until: date | None = strawberry.field(description="限期改正的期限（最后一天）。")
    corrected_on: date | None = strawberry.field(description="限期内改正的日期。")
    persuaded_on: date | None = strawberry.field(description="劝其退党的日期（改正期满未改正）。")
    removed_on: date | None = strawberry.field(description="除名日期（劝而不退）：组织关系同日终止。")

    @strawberry.field(description="结果中文名称。")
    def outcome_name(self, root: Appraisal) -> str:
        return APPRAISAL_OUTCOMES[root.outcome]

    @strawberry.field(description="党员。")
    def member(self, root: Appraisal, info: strawberry.Info) -> PartyMemberType:
        return row_as(PartyMemberType, _required(related(_ctx(info), root, "member_id", PartyMember)))


@model_type(MemberUnitAppraisal, name="MemberUnitAppraisal", description="大党委对成员单位的年度考评。")
class MemberUnitAppraisalType(Node):
    year: int = strawberry.field(description="年度。")
    score: int = strawberry.field(description="得分。")
    grade: str = strawberry.field(
        description="等次：excellent、good、qualified、unqualified。",
        deprecation_reason="改用 appraisalGrade（枚举）。",
    )

    @strawberry.field(description="等次。")
    def appraisal_grade(self) -> MemberUnitAppraisalGrade:
        return MemberUnitAppraisalGrade(self.grade)

    comment: str | None = strawberry.field(description="评语。")
    sent_to_home_on: date | None = strawberry.field(description="报送隶属党组织的日期。")

    @strawberry.field(description="等次中文名称。")
    def grade_name(self, root: MemberUnitAppraisal) -> str:
        return service.GRADES[root.grade]


@model_type(MemberUnit, name="MemberUnit", description="大党委成员单位（驻区单位）：直接管理或双重管理。")
class MemberUnitType(Node):
    name: str = strawberry.field(description="单位名称。")
    unit_kind: str = strawberry.field(description="单位类型代码。", deprecation_reason="改用 memberUnitKind（枚举）。")

    @strawberry.field(description="单位类型。")
    def member_unit_kind(self) -> MemberUnitKind:
        return MemberUnitKind(self.unit_kind)

    management: str = strawberry.field(
        description="direct（直接管理）或 dual（双重管理）。", deprecation_reason="改用 managementKind（枚举）。"
    )

    @strawberry.field(description="管理方式。")
    def management_kind(self) -> MemberUnitManagement:
        return MemberUnitManagement(self.management)

    home_organization: str | None = strawberry.field(description="隶属党组织（双重管理时）。")
    joined_on: date = strawberry.field(description="加入日期。")
    left_on: date | None = strawberry.field(description="退出日期。")

    @strawberry.field(description="单位类型中文名称。")
    def unit_kind_name(self, root: MemberUnit) -> str:
        return UNIT_KINDS[root.unit_kind]

    @strawberry.field(description="管理方式中文名称。")
    def management_name(self, root: MemberUnit) -> str:
        return MANAGEMENT_KINDS[root.management]

    @strawberry.field(description="代表本单位在大党委任职的委员（每个成员单位至少一名，地方策略）。")
    def committee_members(self, root: MemberUnit, info: strawberry.Info) -> list[PartyMemberType]:
        return rows_as(
            PartyMemberType,
            _ctx(info).session.scalars(
                select(PartyMember)
                .where(PartyMember.member_unit_id == root.id, PartyMember.left_on.is_(None))
                .order_by(PartyMember.id)
            ),
        )

    @strawberry.field(description="年度考评，早的在前。")
    def appraisals(self, root: MemberUnit, info: strawberry.Info) -> list[MemberUnitAppraisalType]:
        return rows_of(_ctx(info), root, MemberUnitAppraisal.member_unit_id, MemberUnitAppraisal.year)


MAX_COMPLIANCE_ORGANIZATIONS = 500

# --- queries ---------------------------------------------------------------------------------------


def _org_for_read(context: RequestContext, organization_id: strawberry.ID, code: str = VIEW.code) -> PartyOrganization:
    org = _get(context, PartyOrganization, "PartyOrganization", organization_id, "organizationId", "党组织")
    require(context, code, org.org_path, registry=_registry(context))
    return org


@strawberry.type
class PartyBuildingQuery:
    @strawberry.field(description="党组织，按党组织树先序分页；under 限定挂靠单位的范围。需要 party_building.view。")
    def party_organizations(
        self,
        info: strawberry.Info,
        under: strawberry.ID | None = None,
        org_type: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 organizationType（枚举）。")
        ] = None,
        organization_type: Annotated[
            PartyOrganizationKind | None, strawberry.argument(description="只列此类型的党组织。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PartyOrganizationType]:
        org_type = optional_code(org_type, organization_type, legacy_field="orgType", field="organizationType")
        context = _ctx(info)
        require_somewhere(context, VIEW.code, registry=_registry(context))
        statement = _scoped(select(PartyOrganization), context, VIEW.code, PartyOrganization.org_path)
        statement = _under(context, statement, PartyOrganization.org_path, under)
        if org_type is not None:
            statement = statement.where(PartyOrganization.org_type == org_type)
        return paginate(context, statement, (PartyOrganization.party_path,), first=first, after=after)

    @strawberry.field(
        description="范围内类型或委员人数与党员人数不符、缺书记、成员单位无委员等提示。需要 party_building.view。"
    )
    def party_organization_warnings(
        self, info: strawberry.Info, under: strawberry.ID
    ) -> list[PartyOrganizationWarning]:
        context = _ctx(info)
        require_somewhere(context, VIEW.code, registry=_registry(context))
        statement = _under(
            context,
            _scoped(select(PartyOrganization), context, VIEW.code, PartyOrganization.org_path),
            PartyOrganization.org_path,
            under,
        ).where(PartyOrganization.dissolved_on.is_(None))
        rows = list(
            context.session.scalars(
                statement.order_by(PartyOrganization.party_path).limit(MAX_COMPLIANCE_ORGANIZATIONS)
            )
        )
        return [
            PartyOrganizationWarning(
                organization=row_as(PartyOrganizationType, org), code=w.code, message=w.message, hint=w.hint
            )
            for org in rows
            for w in service.organization_warnings(context.session, org)
        ]

    @strawberry.field(description="党员名册（敏感信息）：需要 party_building.view_members，只列权限范围内的党员。")
    def party_members(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID | None = None,
        under: strawberry.ID | None = None,
        include_former: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PartyMemberType]:
        context = _ctx(info)
        require_somewhere(context, VIEW_MEMBERS.code, registry=_registry(context))
        statement = _scoped(select(PartyMember), context, VIEW_MEMBERS.code, PartyMember.org_path)
        statement = _under(context, statement, PartyMember.org_path, under)
        if organization_id is not None:
            statement = statement.where(
                PartyMember.organization_id == decode_pk(organization_id, "PartyOrganization", field="organizationId")
            )
        if not include_former:
            statement = statement.where(PartyMember.left_on.is_(None))
        return paginate(context, statement, (PartyMember.id,), first=first, after=after)

    @strawberry.field(
        description="党组织的会议（核心会议中党建类型的会议），新的在前；可按党组织、范围和类型（如 committee_meeting）筛选。"
        "需要 party_building.view。"
    )
    def party_meetings(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID | None = None,
        under: strawberry.ID | None = None,
        meeting_type: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 partyMeetingType（枚举）。")
        ] = None,
        party_meeting_type: Annotated[
            PartyMeetingType | None, strawberry.argument(description="只列此类会议。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[MeetingType]:
        meeting_type = optional_code(
            meeting_type, party_meeting_type, legacy_field="meetingType", field="partyMeetingType"
        )
        context = _ctx(info)
        require_somewhere(context, VIEW.code, registry=_registry(context))
        statement = _under(
            context,
            _scoped(service.party_meetings_statement(), context, VIEW.code, Meeting.org_path),
            Meeting.org_path,
            under,
        )
        if organization_id is not None:
            statement = statement.where(
                Meeting.host_id == decode_pk(organization_id, "PartyOrganization", field="organizationId")
            )
        if meeting_type is not None:
            statement = statement.where(Meeting.kind == meeting_kinds.kind_code(meeting_type))
        return paginate(context, statement, (Meeting.id,), first=first, after=after, descending=True)

    @strawberry.field(
        description="三会一课、民主生活会的落实情况：给出 organizationId 时为该党组织及其下级党组织，给出 under 时为该单位范围内的全部党组织"
        "（上级查看下级）；某年已开始的每一期应开、已开、逾期。需要 party_building.view。"
    )
    def party_meeting_compliance(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID | None = None,
        under: strawberry.ID | None = None,
        year: int | None = None,
        only_problems: bool = False,
    ) -> list[ComplianceItemType]:
        context = _ctx(info)
        if (organization_id is None) == (under is None):
            raise UserInputError("INVALID_ARGUMENTS", "请给出 organizationId 或 under 之一。", "organizationId")
        if organization_id is not None:
            org = _org_for_read(context, organization_id)
            orgs = [o for o in service.organizations_under(context.session, org) if can(context, VIEW.code, o.org_path)]
        else:
            require_somewhere(context, VIEW.code, registry=_registry(context))
            statement = _under(
                context,
                _scoped(select(PartyOrganization), context, VIEW.code, PartyOrganization.org_path),
                PartyOrganization.org_path,
                under,
            )
            orgs = list(
                context.session.scalars(
                    statement.order_by(PartyOrganization.party_path).limit(MAX_COMPLIANCE_ORGANIZATIONS)
                )
            )
        items = service.meeting_compliance(context.session, orgs, year or local_today().year)
        return [
            ComplianceItemType(
                organization=row_as(PartyOrganizationType, i.organization),
                meeting_type=i.meeting_type,
                meeting_type_name=MEETING_TYPES[i.meeting_type],
                period_start=i.period_start,
                period_end=i.period_end,
                held=i.held,
                status=i.status,
            )
            for i in items
            if not only_problems or i.status == "overdue"
        ]

    @strawberry.field(description="民主生活会安排，新的在前。需要 party_building.view。")
    def democratic_life_plans(
        self,
        info: strawberry.Info,
        under: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[DemocraticLifePlanType]:
        context = _ctx(info)
        require_somewhere(context, VIEW.code, registry=_registry(context))
        statement = _under(
            context,
            _scoped(select(DemocraticLifePlan), context, VIEW.code, DemocraticLifePlan.org_path),
            DemocraticLifePlan.org_path,
            under,
        )
        return paginate(context, statement, (DemocraticLifePlan.id,), first=first, after=after, descending=True)

    @strawberry.field(description="发展党员记录，可按环节筛选。需要 party_building.view。")
    def development_cases(
        self,
        info: strawberry.Info,
        under: strawberry.ID | None = None,
        stage: Annotated[str | None, strawberry.argument(deprecation_reason="改用 developmentStage（枚举）。")] = None,
        development_stage: Annotated[
            PartyDevelopmentStage | None, strawberry.argument(description="只列处于此环节的。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[DevelopmentCaseType]:
        stage = optional_code(stage, development_stage, legacy_field="stage", field="developmentStage")
        context = _ctx(info)
        require_somewhere(context, VIEW.code, registry=_registry(context))
        statement = _under(
            context,
            _scoped(select(DevelopmentCase), context, VIEW.code, DevelopmentCase.org_path),
            DevelopmentCase.org_path,
            under,
        )
        if stage is not None:
            statement = statement.where(DevelopmentCase.stage == stage)
        return paginate(context, statement, (DevelopmentCase.id,), first=first, after=after)

    @strawberry.field(
        description="在职党员报到登记（一卡一簿一单）；每条的 status 给出本季度落实情况和不足。需要 party_building.view_members。"
    )
    def in_service_registrations(
        self,
        info: strawberry.Info,
        under: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[InServiceRegistrationType]:
        context = _ctx(info)
        require_somewhere(context, VIEW_MEMBERS.code, registry=_registry(context))
        statement = _under(
            context,
            _scoped(select(InServiceRegistration), context, VIEW_MEMBERS.code, InServiceRegistration.org_path),
            InServiceRegistration.org_path,
            under,
        )
        statement = statement.where(InServiceRegistration.ended_on.is_(None))
        return paginate(context, statement, (InServiceRegistration.id,), first=first, after=after)

    @strawberry.field(
        description="联户覆盖：某党组织党员所联系的户在某月的联系情况（默认本月）；covered 为 false 的是缺口。需要 party_building.view_members。"
    )
    def household_coverage(
        self,
        info: strawberry.Info,
        organization_id: strawberry.ID,
        year: int | None = None,
        month: int | None = None,
        only_gaps: bool = False,
    ) -> list[CoverageRowType]:
        context = _ctx(info)
        org = _org_for_read(context, organization_id, VIEW_MEMBERS.code)
        today = local_today()
        month = month or today.month
        if not 1 <= month <= 12:
            raise UserInputError("INVALID_VALUE", "月份须为 1 到 12。", "month")
        rows = service.household_coverage(context.session, org, year or today.year, month)
        remember_page(context, [r.assignment for r in rows])
        return [
            CoverageRowType(
                assignment=row_as(HouseholdAssignmentType, r.assignment),
                contacts=r.contacts,
                required=r.required,
                covered=r.covered,
            )
            for r in rows
            if not only_gaps or not r.covered
        ]

    @strawberry.field(
        description="联户缺口：该党组织所在单位范围内还没有党员联系的户，按户分页。需要 party_building.view_members，"
        "并只列出调用者有 people.view 的户。"
    )
    def unassigned_households(
        self, info: strawberry.Info, organization_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[HouseholdType]:
        context = _ctx(info)
        org = _org_for_read(context, organization_id, VIEW_MEMBERS.code)
        statement = service.unassigned_households_statement(org).where(
            scope_condition(context, "people.view", Household.org_path)
        )
        return paginate(context, statement, (Household.id,), first=first, after=after)

    @strawberry.field(description="党员民主评议结果。需要 party_building.view_members。")
    def party_appraisals(
        self, info: strawberry.Info, organization_id: strawberry.ID, year: int, half: int | None = None
    ) -> list[AppraisalType]:
        context = _ctx(info)
        org = _org_for_read(context, organization_id, VIEW_MEMBERS.code)
        statement = (
            select(Appraisal)
            .join(PartyMember, PartyMember.id == Appraisal.member_id)
            .where(PartyMember.organization_id == org.id, Appraisal.year == year)
            .order_by(Appraisal.half, Appraisal.id)
        )
        if half is not None:
            statement = statement.where(Appraisal.half == half)
        return rows_as(AppraisalType, context.session.scalars(statement))

    @strawberry.field(
        description="党建工作概况：该单位范围内（限调用者有 party_building.view 的范围）的党组织、党员、会议、发展党员、在职党员和联户数字。"
    )
    def party_building_summary(self, info: strawberry.Info, under: strawberry.ID) -> SummaryType:
        context = _ctx(info)
        require_somewhere(context, VIEW.code, registry=_registry(context))
        statement = _under(
            context,
            _scoped(select(PartyOrganization), context, VIEW.code, PartyOrganization.org_path),
            PartyOrganization.org_path,
            under,
        ).where(PartyOrganization.dissolved_on.is_(None))
        orgs = list(
            context.session.scalars(
                statement.order_by(PartyOrganization.party_path).limit(MAX_COMPLIANCE_ORGANIZATIONS)
            )
        )
        result = service.summary(context.session, orgs)
        return SummaryType(
            organizations=[
                CountType(code=k, name=ORGANIZATION_TYPES[k], count=v) for k, v in sorted(result.organizations.items())
            ],
            full_members=result.full_members,
            probationary_members=result.probationary_members,
            flowing_members=result.flowing_members,
            quorate_meetings=result.quorate_meetings,
            overdue_meeting_periods=result.overdue_meeting_periods,
            development_stages=[
                CountType(code=k, name=DEVELOPMENT_STAGES[k], count=v)
                for k, v in sorted(result.development_stages.items())
            ],
            in_service_registrations=result.in_service_registrations,
            in_service_with_shortfalls=result.in_service_with_shortfalls,
            household_assignments=result.household_assignments,
            households_contacted=result.households_contacted,
            organizations_with_warnings=result.organizations_with_warnings,
        )

    @strawberry.field(description="大党委的成员单位。需要 party_building.view。")
    def member_units(self, info: strawberry.Info, big_committee_id: strawberry.ID) -> list[MemberUnitType]:
        context = _ctx(info)
        org = _org_for_read(context, big_committee_id)
        return rows_as(MemberUnitType, service.member_units(context.session, org))


@strawberry.type(name="PartyCount", description="按代码计数。")
class CountType:
    code: str = strawberry.field(description="代码。")
    name: str = strawberry.field(description="名称。")
    count: int = strawberry.field(description="数量。")


@strawberry.type(name="PartyBuildingSummary", description="党建工作概况：本年、本季度、本月的主要数字。")
class SummaryType:
    organizations: list[CountType] = strawberry.field(description="各类型党组织数。")
    full_members: int = strawberry.field(description="正式党员数（不含大党委委员席位）。")
    probationary_members: int = strawberry.field(description="预备党员数。")
    flowing_members: int = strawberry.field(description="流动党员数。")
    quorate_meetings: int = strawberry.field(description="本年召开且到会过半的会议次数。")
    overdue_meeting_periods: int = strawberry.field(
        description="本年期满未开的会议期数（三会一课、民主生活会、大党委会议）。"
    )
    development_stages: list[CountType] = strawberry.field(description="发展党员各环节人数。")
    in_service_registrations: int = strawberry.field(description="在职党员报到人数。")
    in_service_with_shortfalls: int = strawberry.field(description="本季度或本年度未达要求的在职党员数。")
    household_assignments: int = strawberry.field(description="本月联户关系数。")
    households_contacted: int = strawberry.field(description="本月已按要求联系的户数。")
    organizations_with_warnings: int = strawberry.field(description="类型、委员人数等有提示的党组织数。")


@strawberry.type(name="PartyOrganizationWarning", description="某党组织的一条提示。")
class PartyOrganizationWarning:
    organization: PartyOrganizationType = strawberry.field(description="党组织。")
    code: str = strawberry.field(description="代码。")
    message: str = strawberry.field(description="中文说明。")
    hint: bool = strawberry.field(description="true：只是说明规定允许的做法（如可以建立党委），不是需要纠正的问题。")


# --- mutations ------------------------------------------------------------------------------------


@strawberry.type
class PartyOrganizationPayload:
    organization: PartyOrganizationType | None = strawberry.field(default=None, description="党组织。")
    warnings: list[WarningType] = strawberry.field(
        default_factory=list, description="按地方策略不符合规定之处（提示）。"
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartyMemberPayload:
    member: PartyMemberType | None = strawberry.field(default=None, description="党员记录。")
    warnings: list[WarningType] = strawberry.field(
        default_factory=list, description="所在党组织的提示（类型、委员人数等）。"
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartyMeetingPayload:
    meeting: MeetingType | None = strawberry.field(default=None, description="会议记录（核心会议）。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DemocraticLifePlanPayload:
    plan: DemocraticLifePlanType | None = strawberry.field(default=None, description="民主生活会安排。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DevelopmentCasePayload:
    development_case: DevelopmentCaseType | None = strawberry.field(default=None, description="发展党员记录。")
    notice: NoticeType | None = strawberry.field(default=None, description="公开栏上的公示。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class InServicePayload:
    registration: InServiceRegistrationType | None = strawberry.field(default=None, description="在职党员报到登记。")
    feedback_slip: FeedbackSlipType | None = strawberry.field(default=None, description="季度反馈单。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HouseholdAssignmentPayload:
    assignment: HouseholdAssignmentType | None = strawberry.field(default=None, description="联户关系。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PartyAppraisalPayload:
    appraisal: AppraisalType | None = strawberry.field(default=None, description="考评结果。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MemberUnitPayload:
    member_unit: MemberUnitType | None = strawberry.field(default=None, description="成员单位。")
    appraisal: MemberUnitAppraisalType | None = strawberry.field(default=None, description="考评结果。")
    warnings: list[WarningType] = strawberry.field(
        default_factory=list, description="大党委的提示（成员单位无委员等）。"
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="成立党组织。")
class CreatePartyOrganizationInput:
    org_unit_id: strawberry.ID = strawberry.field(description="挂靠的组织单位。")
    name: str = strawberry.field(description="名称，如“幸福社区第一党支部”。")
    org_type: str | None = strawberry.field(
        default=None,
        description="branch、general_branch、committee 或 big_committee。",
        deprecation_reason="改用 organizationType（枚举）。",
    )
    organization_type: PartyOrganizationKind | None = strawberry.field(default=None, description="党组织类型。")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None, description="上级党组织；其挂靠单位须包含本组织的挂靠单位。"
    )
    has_groups: bool = strawberry.field(default=False, description="是否设党小组。")
    established_on: date | None = strawberry.field(
        default=None, description="成立日期；不填表示早于系统建档（各期会议均应按时召开）。"
    )


@strawberry.input(description="调整党组织类型（如党员增至 50 人后改设党总支）。")
class ChangePartyOrganizationTypeInput:
    organization_id: strawberry.ID = strawberry.field(description="党组织的 ID。")
    org_type: str | None = strawberry.field(
        default=None,
        description="党组织类型：branch、general_branch、committee、big_committee。",
        deprecation_reason="改用 organizationType（枚举）。",
    )
    organization_type: PartyOrganizationKind | None = strawberry.field(default=None, description="党组织类型。")


@strawberry.input(description="登记党员（接收组织关系）：关联核心人口库中的居民。")
class AdmitPartyMemberInput:
    organization_id: strawberry.ID = strawberry.field(description="党组织的 ID。")
    resident_id: strawberry.ID = strawberry.field(description="核心人口库中居民的 ID。")
    status: str | None = strawberry.field(
        default=None,
        description="probationary（预备党员）或 full（正式党员）。",
        deprecation_reason="改用 membershipStatus（枚举）。",
    )
    membership_status: PartyMembershipStatus | None = strawberry.field(default=None, description="党员类别。")
    joined_on: date = strawberry.field(description="入党日期。")
    full_on: date | None = strawberry.field(default=None, description="转正日期（正式党员）。")
    committee_role: str | None = strawberry.field(
        default=None,
        description="委员职务：secretary、deputy_secretary、committee_member。",
        deprecation_reason="改用 committeePosition（枚举）。",
    )
    committee_position: PartyCommitteeRole | None = strawberry.field(default=None, description="委员职务；非委员不填。")
    member_unit_id: strawberry.ID | None = strawberry.field(default=None, description="大党委委员代表的成员单位。")


@strawberry.input(description="任免委员职务；committeeRole 为空即免去。")
class SetPartyCommitteeRoleInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    committee_role: str | None = strawberry.field(
        default=None,
        description="委员职务：secretary、deputy_secretary、committee_member；为空即免去。",
        deprecation_reason="改用 committeePosition（枚举）。",
    )
    committee_position: PartyCommitteeRole | None = strawberry.field(
        default=None, description="委员职务；与 committeeRole 都不填即免去。"
    )


@strawberry.input(description="预备党员转正。")
class ConfirmFullMembershipInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    on: date = strawberry.field(description="日期。")


@strawberry.input(description="组织关系转接。")
class TransferPartyMemberInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    to_organization_id: strawberry.ID = strawberry.field(description="转入党组织的 ID。")
    on: date = strawberry.field(description="日期。")
    reason: str = strawberry.field(description="原因。")


@strawberry.input(description="登记或取消流动党员。")
class SetFlowingMemberInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    flowing: bool = strawberry.field(description="是否为流动党员。")
    destination: str | None = strawberry.field(default=None, description="外出去向（流动时必填）。")


@strawberry.input(description="组织关系转出本系统、去世等，结束党员记录。")
class EndPartyMembershipInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    on: date = strawberry.field(description="日期。")
    reason: str = strawberry.field(description="原因。")


@strawberry.input(description="缺席及原因。")
class AbsenceInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    reason: str = strawberry.field(description="原因。")


@strawberry.input(description="一项决议及表决结果。")
class ResolutionInputType:
    text: str = strawberry.field(description="决议内容。")
    votes_for: int = strawberry.field(description="赞成票。")
    votes_against: int = strawberry.field(default=0, description="反对票。")
    abstentions: int = strawberry.field(default=0, description="弃权票。")


@strawberry.input(description="记录一次会议：议程、出席、记录和决议。到会人数未超过应到人数半数的会议不能作出决议。")
class RecordPartyMeetingInput:
    organization_id: strawberry.ID = strawberry.field(description="党组织的 ID。")
    meeting_type: str | None = strawberry.field(
        default=None,
        description="members_meeting、committee_meeting、group_meeting、party_lecture、democratic_life、enlarged_meeting。",
        deprecation_reason="改用 partyMeetingType（枚举）。",
    )
    party_meeting_type: PartyMeetingType | None = strawberry.field(default=None, description="会议类型。")
    held_on: date = strawberry.field(description="召开日期（不能晚于今天）。")
    topic: str = strawberry.field(description="主题。")
    agenda: str | None = strawberry.field(default=None, description="议程。")
    minutes: str | None = strawberry.field(default=None, description="会议记录。")
    present_member_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="出席的党员。")
    absences: list[AbsenceInput] = strawberry.field(default_factory=list, description="缺席原因。")
    resolutions: list[ResolutionInputType] = strawberry.field(
        default_factory=list, description="决议及表决结果；到会未过半时不能作出决议。"
    )


@strawberry.input(description="为已记录的会议补记决议。")
class AddMeetingResolutionInput:
    meeting_id: strawberry.ID = strawberry.field(description="会议记录的 ID。")
    resolution: ResolutionInputType = strawberry.field(description="决议及表决结果。")


@strawberry.input(description="安排民主生活会：主题和时间须提前规定天数报上级党组织。")
class PlanDemocraticLifeMeetingInput:
    organization_id: strawberry.ID = strawberry.field(description="党组织的 ID。")
    planned_on: date = strawberry.field(description="拟召开日期（须不早于今天加上提前上报天数）。")
    topic: str = strawberry.field(description="主题。")


@strawberry.input(description="向上级党组织报送民主生活会主题和时间。")
class ReportDemocraticLifeTopicInput:
    plan_id: strawberry.ID = strawberry.field(description="民主生活会安排的 ID。")


@strawberry.input(description="将居民列入发展党员程序。")
class StartMemberDevelopmentInput:
    organization_id: strawberry.ID = strawberry.field(description="党组织的 ID。")
    resident_id: strawberry.ID = strawberry.field(description="核心人口库中居民的 ID。")


@strawberry.input(description="登记推荐：先党员推荐（MEMBERS），再群众（代表）推荐（REPRESENTATIVES）。")
class RecordDevelopmentNominationInput:
    case_id: strawberry.ID = strawberry.field(description="发展党员记录的 ID。")
    by: str = strawberry.field(description="MEMBERS 或 REPRESENTATIVES。")
    on: date = strawberry.field(description="日期。")
    count: int = strawberry.field(description="推荐人数。")


@strawberry.input(description="登记测评：赞成票不超过参加人数规定比例（默认 60%）的，不能列为入党积极分子。")
class RecordDevelopmentEvaluationInput:
    case_id: strawberry.ID = strawberry.field(description="发展党员记录的 ID。")
    on: date = strawberry.field(description="日期。")
    approvals: int = strawberry.field(description="赞成票。")
    participants: int = strawberry.field(description="参加测评人数。")


@strawberry.input(description="登记考试成绩。")
class RecordDevelopmentExamInput:
    case_id: strawberry.ID = strawberry.field(description="发展党员记录的 ID。")
    on: date = strawberry.field(description="日期。")
    score: int = strawberry.field(description="成绩或得分（0–100）。")


@strawberry.input(description="起草公示并提交党组织审核（公开栏）。")
class DraftDevelopmentNoticeInput:
    case_id: strawberry.ID = strawberry.field(description="发展党员记录的 ID。")


@strawberry.input(description="登记支部大会讨论结果：公示须已公开满规定天数（默认 7 天）。")
class RecordDevelopmentBranchMeetingInput:
    case_id: strawberry.ID = strawberry.field(description="发展党员记录的 ID。")
    on: date = strawberry.field(description="日期。")
    approved: bool = strawberry.field(description="支部大会是否同意。")
    meeting_id: strawberry.ID | None = strawberry.field(default=None, description="对应的支部党员大会记录（可选）。")


@strawberry.input(description="在职党员到居住地社区报到（一卡）。")
class RegisterInServiceMemberInput:
    org_unit_id: strawberry.ID = strawberry.field(description="居住地社区。")
    resident_id: strawberry.ID = strawberry.field(description="核心人口库中居民的 ID。")
    workplace: str = strawberry.field(description="工作单位。")
    workplace_organization: str = strawberry.field(description="所在单位党组织（组织关系所在）。")
    registered_on: date | None = strawberry.field(default=None, description="报到日期，默认今天。")


@strawberry.input(description="记一条社区表现记录（一簿）。")
class AddInServiceEntryInput:
    registration_id: strawberry.ID = strawberry.field(description="在职党员报到登记的 ID。")
    kind: str | None = strawberry.field(
        default=None, description="contact 或 activity。", deprecation_reason="改用 entryKind（枚举）。"
    )
    entry_kind: InServiceEntryKind | None = strawberry.field(default=None, description="记录种类。")
    on: date = strawberry.field(description="日期。")
    description: str = strawberry.field(description="内容。")


@strawberry.input(description="生成并发出季度反馈单（一单）。")
class IssueFeedbackSlipInput:
    registration_id: strawberry.ID = strawberry.field(description="在职党员报到登记的 ID。")
    year: int = strawberry.field(description="年度。")
    quarter: int = strawberry.field(description="季度（1–4）。")


@strawberry.input(description="给党员分配联系户（联户）。")
class AssignContactHouseholdInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    household_id: strawberry.ID = strawberry.field(description="核心人口库中户的 ID。")
    assigned_on: date | None = strawberry.field(default=None, description="开始联系日期，默认今天。")


@strawberry.input(description="登记一次联户联系。")
class LogHouseholdContactInput:
    assignment_id: strawberry.ID = strawberry.field(description="联户关系的 ID。")
    contacted_on: date = strawberry.field(description="联系日期。")
    method: str | None = strawberry.field(
        default=None, description="visit、phone、online、meeting。", deprecation_reason="改用 contactMethod（枚举）。"
    )
    contact_method: HouseholdContactMethod | None = strawberry.field(default=None, description="联系方式。")
    note: str | None = strawberry.field(default=None, description="情况记录。")


@strawberry.input(
    description="半年度民主评议（积分制）：低于合格分的，先限期改正（劝退、除名是其后的步骤，见 advancePartyAppraisal）。"
)
class AppraisePartyMemberInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    year: int = strawberry.field(description="年度。")
    half: int = strawberry.field(description="1 上半年，2 下半年。")
    points: int = strawberry.field(description="积分。")
    outcome: str | None = strawberry.field(
        default=None,
        description="可不填；不合格时只能是 correction_period（限期改正）。",
        deprecation_reason="改用 appraisalOutcome（枚举）。",
    )
    appraisal_outcome: PartyAppraisalOutcome | None = strawberry.field(
        default=None, description="可不填；不合格时只能是 CORRECTION_PERIOD（限期改正）。"
    )
    comment: str | None = strawberry.field(default=None, description="评语。")
    correction_until: date | None = strawberry.field(default=None, description="不合格时必填：改正期限（最后一天）。")


@strawberry.input(description="不合格党员处置的下一步：限期改正 → 已改正，或期满未改正 → 劝其退党 → 劝而不退的除名。")
class AdvancePartyAppraisalInput:
    appraisal_id: strawberry.ID = strawberry.field(description="民主评议记录的 ID。")
    step: str | None = strawberry.field(
        default=None,
        description="corrected（限期内已改正）、persuaded_to_leave（劝其退党）或 removed（除名）。",
        deprecation_reason="改用 appraisalStep（枚举）。",
    )
    appraisal_step: PartyAppraisalOutcome | None = strawberry.field(
        default=None,
        description="处置步骤：CORRECTED（限期内已改正）、PERSUADED_TO_LEAVE（劝其退党）或 REMOVED（除名）。",
    )
    on: date = strawberry.field(description="日期。")


@strawberry.input(description="驻区单位加入大党委。")
class AddMemberUnitInput:
    big_committee_id: strawberry.ID = strawberry.field(description="大党委的 ID。")
    name: str = strawberry.field(description="名称。")
    unit_kind: str | None = strawberry.field(
        default=None,
        description="agency、enterprise、school、two_new、other。",
        deprecation_reason="改用 memberUnitKind（枚举）。",
    )
    member_unit_kind: MemberUnitKind | None = strawberry.field(default=None, description="单位类型。")
    management: str | None = strawberry.field(
        default=None, description="direct 或 dual。", deprecation_reason="改用 managementKind（枚举）。"
    )
    management_kind: MemberUnitManagement | None = strawberry.field(default=None, description="管理方式。")
    home_organization: str | None = strawberry.field(default=None, description="隶属党组织（双重管理必填）。")
    joined_on: date | None = strawberry.field(default=None, description="加入日期，默认今天。")


@strawberry.input(description="指定大党委委员代表的成员单位；memberUnitId 为空即取消。")
class SetSeatMemberUnitInput:
    member_id: strawberry.ID = strawberry.field(description="党员记录的 ID。")
    member_unit_id: strawberry.ID | None = strawberry.field(default=None, description="成员单位的 ID；为空即取消。")


@strawberry.input(description="成员单位年度考评。")
class AppraiseMemberUnitInput:
    member_unit_id: strawberry.ID = strawberry.field(description="成员单位的 ID；为空即取消。")
    year: int = strawberry.field(description="年度。")
    score: int = strawberry.field(description="成绩或得分（0–100）。")
    grade: str | None = strawberry.field(
        default=None,
        description="等次：excellent、good、qualified、unqualified。",
        deprecation_reason="改用 appraisalGrade（枚举）。",
    )
    appraisal_grade: MemberUnitAppraisalGrade | None = strawberry.field(default=None, description="等次。")
    comment: str | None = strawberry.field(default=None, description="评语。")


@strawberry.input(description="把成员单位的考评结果报送其隶属党组织。")
class SendMemberUnitAppraisalInput:
    appraisal_id: strawberry.ID = strawberry.field(description="成员单位考评的 ID。")


@strawberry.input(description="结束一项记录（撤销党组织、结束在职党员报到、结束联户、成员单位退出）。")
class EndRecordInput:
    id: strawberry.ID = strawberry.field(description="党组织、在职党员报到登记、联户关系或成员单位的 ID。")
    on: date = strawberry.field(description="结束日期（不能晚于今天）。")


def _org(context: RequestContext, global_id: strawberry.ID, field: str = "organizationId") -> PartyOrganization:
    return _get(context, PartyOrganization, "PartyOrganization", global_id, field, "党组织")


def _member(context: RequestContext, global_id: strawberry.ID) -> PartyMember:
    return _get(context, PartyMember, "PartyMember", global_id, "memberId", "党员", lock=True)


def _resident_pk(context: RequestContext, global_id: strawberry.ID, field: str = "residentId") -> int:
    """A resident registered where the caller manages party building (or
    reads the registry): a resident of another street is "not found", so
    that no refusal tells whether they are a party member."""
    pk = resident_pk_for(context, global_id, field=field, permission=MANAGE.code)
    assert pk is not None
    return pk


def _household_pk(context: RequestContext, global_id: strawberry.ID) -> int:
    """A contact household registered where the caller manages party building."""
    row = object_in_scope(
        context, global_id, Household, "Household", (MANAGE.code, NAME_RESIDENT), field="householdId", what="户"
    )
    return row.id


def _resolution(item: ResolutionInputType) -> service.ResolutionInput:
    return service.ResolutionInput(item.text, item.votes_for, item.votes_against, item.abstentions)


def _org_payload(context: RequestContext, org: PartyOrganization) -> PartyOrganizationPayload:
    warnings = _warnings(service.organization_warnings(context.session, org))
    return PartyOrganizationPayload(organization=row_as(PartyOrganizationType, org), warnings=warnings)


def _member_payload(context: RequestContext, member: PartyMember) -> PartyMemberPayload:
    org = context.session.get(PartyOrganization, member.organization_id)
    assert org is not None
    return PartyMemberPayload(
        member=row_as(PartyMemberType, member), warnings=_warnings(service.organization_warnings(context.session, org))
    )


def _case(context: RequestContext, global_id: strawberry.ID) -> DevelopmentCase:
    case = _get(context, DevelopmentCase, "DevelopmentCase", global_id, "caseId", "发展党员记录", lock=True)
    context.audit_subject("DevelopmentCase", case.id, case.org_unit_id)
    _manage(context, case.org_unit_id, case.org_path)
    return case


def _registration(context: RequestContext, global_id: strawberry.ID) -> InServiceRegistration:
    row = _get(context, InServiceRegistration, "InServiceRegistration", global_id, "registrationId", "在职党员报到登记")
    context.audit_subject("InServiceRegistration", row.id, row.org_unit_id)
    _manage(context, row.org_unit_id, row.org_path)
    return row


def _member_unit(context: RequestContext, global_id: strawberry.ID) -> MemberUnit:
    row = _get(context, MemberUnit, "MemberUnit", global_id, "memberUnitId", "成员单位")
    context.audit_subject("MemberUnit", row.id, row.org_unit_id)
    _manage(context, row.org_unit_id, row.org_path)
    return row


def _managed_member(context: RequestContext, global_id: strawberry.ID) -> PartyMember:
    member = _member(context, global_id)
    context.audit_subject("PartyMember", member.id, member.org_unit_id)
    _manage(context, member.org_unit_id, member.org_path)
    return member


def _managed_org(context: RequestContext, global_id: strawberry.ID, field: str = "organizationId") -> PartyOrganization:
    org = _org(context, global_id, field)
    context.audit_subject("PartyOrganization", org.id, org.org_unit_id)
    _manage(context, org.org_unit_id, org.org_path)
    return org


@strawberry.type
class PartyBuildingMutation:
    @strawberry.mutation(description="成立党组织。需要在挂靠单位拥有 party_building.manage。")
    @atomic
    def create_party_organization(
        self, info: strawberry.Info, input: CreatePartyOrganizationInput
    ) -> PartyOrganizationPayload:
        context = _ctx(info)
        unit_id = decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId")
        context.audit_subject("PartyOrganization", None, unit_id)
        unit = org_service.get_unit(context.session, unit_id, field="orgUnitId")
        _manage(context, unit.id, unit.path)
        org = service.create_organization(
            context.session,
            name=input.name,
            org_type=required_code(
                input.org_type, input.organization_type, legacy_field="orgType", field="organizationType"
            ),
            org_unit_id=unit.id,
            parent_id=_org(context, input.parent_id, "parentId").id if input.parent_id else None,
            has_groups=input.has_groups,
            established_on=input.established_on,
        )
        context.audit_subject("PartyOrganization", org.id, unit.id)
        return _org_payload(context, org)

    @strawberry.mutation(description="调整党组织类型。")
    @atomic
    def change_party_organization_type(
        self, info: strawberry.Info, input: ChangePartyOrganizationTypeInput
    ) -> PartyOrganizationPayload:
        context = _ctx(info)
        org = _managed_org(context, input.organization_id)
        service.change_organization_type(
            context.session,
            org,
            required_code(input.org_type, input.organization_type, legacy_field="orgType", field="organizationType"),
        )
        return _org_payload(context, org)

    @strawberry.mutation(description="登记党员（关联核心人口库中的居民，不复制个人信息）。")
    @atomic
    def admit_party_member(self, info: strawberry.Info, input: AdmitPartyMemberInput) -> PartyMemberPayload:
        context = _ctx(info)
        org = _managed_org(context, input.organization_id)
        member = service.admit_member(
            context.session,
            resident_id=_resident_pk(context, input.resident_id),
            organization=org,
            status=required_code(
                input.status, input.membership_status, legacy_field="status", field="membershipStatus"
            ),
            joined_on=input.joined_on,
            full_on=input.full_on,
            committee_role=optional_code(
                input.committee_role, input.committee_position, legacy_field="committeeRole", field="committeePosition"
            ),
            member_unit_id=_get(context, MemberUnit, "MemberUnit", input.member_unit_id, "memberUnitId", "成员单位").id
            if input.member_unit_id
            else None,
        )
        context.audit_subject("PartyMember", member.id, member.org_unit_id)
        return _member_payload(context, member)

    @strawberry.mutation(description="任免委员职务（每个党组织只有一名书记）。")
    @atomic
    def set_party_committee_role(self, info: strawberry.Info, input: SetPartyCommitteeRoleInput) -> PartyMemberPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        service.set_committee_role(
            context.session,
            member,
            optional_code(
                input.committee_role, input.committee_position, legacy_field="committeeRole", field="committeePosition"
            ),
        )
        return _member_payload(context, member)

    @strawberry.mutation(description="预备党员转正。")
    @atomic
    def confirm_full_membership(self, info: strawberry.Info, input: ConfirmFullMembershipInput) -> PartyMemberPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        service.confirm_full_membership(context.session, member, input.on)
        return _member_payload(context, member)

    @strawberry.mutation(
        description="组织关系转接：须在转出和转入党组织的单位都拥有 party_building.manage；保留转接历史。"
    )
    @atomic
    def transfer_party_member(self, info: strawberry.Info, input: TransferPartyMemberInput) -> PartyMemberPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        # Across streets the transfer is made by whoever manages both ends
        # (the district): to one street the other's organization does not exist.
        to = _org(context, input.to_organization_id, "toOrganizationId")
        _manage(context, to.org_unit_id, to.org_path)
        service.transfer_member(context.session, member, to, on=input.on, reason=input.reason)
        return _member_payload(context, member)

    @strawberry.mutation(description="登记或取消流动党员。")
    @atomic
    def set_flowing_member(self, info: strawberry.Info, input: SetFlowingMemberInput) -> PartyMemberPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        service.set_flowing(context.session, member, input.flowing, input.destination)
        return _member_payload(context, member)

    @strawberry.mutation(description="结束党员记录（转出本系统、去世等）。")
    @atomic
    def end_party_membership(self, info: strawberry.Info, input: EndPartyMembershipInput) -> PartyMemberPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        service.end_membership(context.session, member, on=input.on, reason=input.reason)
        return _member_payload(context, member)

    @strawberry.mutation(description="记录会议；到会过半的会议履行报送日历中对应的三会一课事项。")
    @atomic
    def record_party_meeting(self, info: strawberry.Info, input: RecordPartyMeetingInput) -> PartyMeetingPayload:
        context = _ctx(info)
        org = _managed_org(context, input.organization_id)
        present = [
            m.id
            for m in objects_for(
                context, input.present_member_ids, "PartyMember", None, field="presentMemberIds", what="党员"
            )
        ]
        absent = objects_for(
            context, [a.member_id for a in input.absences], "PartyMember", None, field="absences", what="党员"
        )
        for i, member in enumerate(absent):
            # A reason for someone outside the organization is refused, never dropped.
            if member.organization_id != org.id:
                raise UserInputError("NOT_A_MEMBER", "缺席名单中有不属于本党组织的人员。", f"absences.{i}.memberId")
        reasons = {m.id: a.reason for m, a in zip(absent, input.absences, strict=True)}
        meeting = service.record_meeting(
            context.session,
            host_of(context),
            org,
            meeting_type=required_code(
                input.meeting_type, input.party_meeting_type, legacy_field="meetingType", field="partyMeetingType"
            ),
            held_on=input.held_on,
            topic=input.topic,
            agenda=input.agenda,
            minutes=input.minutes,
            present_member_ids=present,
            absence_reasons=reasons,
            resolutions=[_resolution(r) for r in input.resolutions],
            user_id=_user_id(context),
        )
        context.audit_subject("Meeting", meeting.id, meeting.org_unit_id)
        return PartyMeetingPayload(meeting=row_as(MeetingType, meeting))

    @strawberry.mutation(description="为会议补记决议：到会未过半的会议不能作出决议。")
    @atomic
    def add_meeting_resolution(self, info: strawberry.Info, input: AddMeetingResolutionInput) -> PartyMeetingPayload:
        context = _ctx(info)
        meeting = _party_meeting(context, input.meeting_id)
        context.audit_subject("Meeting", meeting.id, meeting.org_unit_id)
        _manage(context, meeting.org_unit_id, meeting.org_path)
        service.add_resolution(context.session, meeting, _resolution(input.resolution))
        return PartyMeetingPayload(meeting=row_as(MeetingType, meeting))

    @strawberry.mutation(description="安排民主生活会，并生成“主题和时间报上级”的报送事项。")
    @atomic
    def plan_democratic_life_meeting(
        self, info: strawberry.Info, input: PlanDemocraticLifeMeetingInput
    ) -> DemocraticLifePlanPayload:
        context = _ctx(info)
        org = _managed_org(context, input.organization_id)
        plan = service.plan_democratic_life(
            context.session, host_of(context), org, planned_on=input.planned_on, topic=input.topic
        )
        context.audit_subject("DemocraticLifePlan", plan.id, plan.org_unit_id)
        return DemocraticLifePlanPayload(plan=row_as(DemocraticLifePlanType, plan))

    @strawberry.mutation(description="向上级报送民主生活会主题和时间。")
    @atomic
    def report_democratic_life_topic(
        self, info: strawberry.Info, input: ReportDemocraticLifeTopicInput
    ) -> DemocraticLifePlanPayload:
        context = _ctx(info)
        plan = _get(
            context, DemocraticLifePlan, "DemocraticLifePlan", input.plan_id, "planId", "民主生活会安排", lock=True
        )
        context.audit_subject("DemocraticLifePlan", plan.id, plan.org_unit_id)
        _manage(context, plan.org_unit_id, plan.org_path)
        service.report_democratic_life_topic(context.session, host_of(context), plan, user_id=_user_id(context))
        return DemocraticLifePlanPayload(plan=plan)

    @strawberry.mutation(description="将居民列入发展党员程序。")
    @atomic
    def start_member_development(
        self, info: strawberry.Info, input: StartMemberDevelopmentInput
    ) -> DevelopmentCasePayload:
        context = _ctx(info)
        org = _managed_org(context, input.organization_id)
        case = service.start_development(
            context.session, resident_id=_resident_pk(context, input.resident_id), organization=org
        )
        context.audit_subject("DevelopmentCase", case.id, case.org_unit_id)
        return DevelopmentCasePayload(development_case=row_as(DevelopmentCaseType, case))

    @strawberry.mutation(description="两推：先党员推荐，再群众（代表）推荐。")
    @atomic
    def record_development_nomination(
        self, info: strawberry.Info, input: RecordDevelopmentNominationInput
    ) -> DevelopmentCasePayload:
        context = _ctx(info)
        case = _case(context, input.case_id)
        if input.by == "MEMBERS":
            service.record_member_nomination(context.session, case, on=input.on, count=input.count)
        elif input.by == "REPRESENTATIVES":
            service.record_representative_nomination(context.session, case, on=input.on, count=input.count)
        else:
            raise UserInputError("INVALID_VALUE", "推荐方须为 MEMBERS（党员）或 REPRESENTATIVES（群众代表）。", "by")
        return DevelopmentCasePayload(development_case=row_as(DevelopmentCaseType, case))

    @strawberry.mutation(description="一评：测评。")
    @atomic
    def record_development_evaluation(
        self, info: strawberry.Info, input: RecordDevelopmentEvaluationInput
    ) -> DevelopmentCasePayload:
        context = _ctx(info)
        case = _case(context, input.case_id)
        service.record_evaluation(
            context.session, case, on=input.on, approvals=input.approvals, participants=input.participants
        )
        return DevelopmentCasePayload(development_case=row_as(DevelopmentCaseType, case))

    @strawberry.mutation(description="一考：考试。")
    @atomic
    def record_development_exam(
        self, info: strawberry.Info, input: RecordDevelopmentExamInput
    ) -> DevelopmentCasePayload:
        context = _ctx(info)
        case = _case(context, input.case_id)
        service.record_exam(context.session, case, on=input.on, score=input.score)
        return DevelopmentCasePayload(development_case=row_as(DevelopmentCaseType, case))

    @strawberry.mutation(
        description="一公示：在社区公开栏起草公示并提交党组织审核；审核、公开用公开栏的 approveNotice、publishNotice。"
    )
    @atomic
    def draft_development_notice(
        self, info: strawberry.Info, input: DraftDevelopmentNoticeInput
    ) -> DevelopmentCasePayload:
        context = _ctx(info)
        case = _case(context, input.case_id)
        notice = service.draft_development_notice(
            context.session, context, case, categories=categories_for_context(context), registry=_registry(context)
        )
        return DevelopmentCasePayload(
            development_case=row_as(DevelopmentCaseType, case), notice=row_as(NoticeType, notice)
        )

    @strawberry.mutation(description="支部大会讨论：公示公开满规定天数后方可。")
    @atomic
    def record_development_branch_meeting(
        self, info: strawberry.Info, input: RecordDevelopmentBranchMeetingInput
    ) -> DevelopmentCasePayload:
        context = _ctx(info)
        case = _case(context, input.case_id)
        meeting_id = _party_meeting(context, input.meeting_id).id if input.meeting_id else None
        service.record_branch_meeting(
            context.session, case, on=input.on, approved=input.approved, meeting_id=meeting_id
        )
        return DevelopmentCasePayload(development_case=row_as(DevelopmentCaseType, case))

    @strawberry.mutation(description="在职党员到居住地社区报到（一卡）。")
    @atomic
    def register_in_service_member(
        self, info: strawberry.Info, input: RegisterInServiceMemberInput
    ) -> InServicePayload:
        context = _ctx(info)
        unit_id = decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId")
        context.audit_subject("InServiceRegistration", None, unit_id)
        unit = org_service.get_unit(context.session, unit_id, field="orgUnitId")
        _manage(context, unit.id, unit.path)
        registration = service.register_in_service(
            context.session,
            resident_id=_resident_pk(context, input.resident_id),
            org_unit_id=unit.id,
            workplace=input.workplace,
            workplace_organization=input.workplace_organization,
            registered_on=input.registered_on,
        )
        context.audit_subject("InServiceRegistration", registration.id, unit.id)
        return InServicePayload(registration=row_as(InServiceRegistrationType, registration))

    @strawberry.mutation(description="记一条社区表现记录（一簿）。")
    @atomic
    def add_in_service_entry(self, info: strawberry.Info, input: AddInServiceEntryInput) -> InServicePayload:
        context = _ctx(info)
        registration = _registration(context, input.registration_id)
        service.add_in_service_entry(
            context.session,
            registration,
            kind=required_code(input.kind, input.entry_kind, legacy_field="kind", field="entryKind"),
            on=input.on,
            description=input.description,
        )
        return InServicePayload(registration=row_as(InServiceRegistrationType, registration))

    @strawberry.mutation(description="生成并发出季度反馈单（一单），季度结束后方可。")
    @atomic
    def issue_feedback_slip(self, info: strawberry.Info, input: IssueFeedbackSlipInput) -> InServicePayload:
        context = _ctx(info)
        registration = _registration(context, input.registration_id)
        slip = service.issue_feedback_slip(context.session, registration, year=input.year, quarter=input.quarter)
        return InServicePayload(
            registration=row_as(InServiceRegistrationType, registration), feedback_slip=row_as(FeedbackSlipType, slip)
        )

    @strawberry.mutation(description="给党员分配联系户（联户）。")
    @atomic
    def assign_contact_household(
        self, info: strawberry.Info, input: AssignContactHouseholdInput
    ) -> HouseholdAssignmentPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        assignment = service.assign_household(
            context.session, member, _household_pk(context, input.household_id), on=input.assigned_on
        )
        return HouseholdAssignmentPayload(assignment=row_as(HouseholdAssignmentType, assignment))

    @strawberry.mutation(description="登记一次联户联系。")
    @atomic
    def log_household_contact(
        self, info: strawberry.Info, input: LogHouseholdContactInput
    ) -> HouseholdAssignmentPayload:
        context = _ctx(info)
        assignment = _get(
            context, HouseholdAssignment, "HouseholdAssignment", input.assignment_id, "assignmentId", "联户关系"
        )
        member = context.session.get(PartyMember, assignment.member_id)
        assert member is not None
        context.audit_subject("HouseholdAssignment", assignment.id, member.org_unit_id)
        _manage(context, member.org_unit_id, member.org_path)
        service.log_household_contact(
            context.session,
            assignment,
            on=input.contacted_on,
            method=required_code(input.method, input.contact_method, legacy_field="method", field="contactMethod"),
            note=input.note,
        )
        return HouseholdAssignmentPayload(assignment=assignment)

    @strawberry.mutation(description="党员半年度民主评议（积分制）。")
    @atomic
    def appraise_party_member(self, info: strawberry.Info, input: AppraisePartyMemberInput) -> PartyAppraisalPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        appraisal = service.appraise_member(
            context.session,
            member,
            year=input.year,
            half=input.half,
            points=input.points,
            outcome=optional_code(
                input.outcome, input.appraisal_outcome, legacy_field="outcome", field="appraisalOutcome"
            ),
            comment=input.comment,
            correction_until=input.correction_until,
        )
        return PartyAppraisalPayload(appraisal=row_as(AppraisalType, appraisal))

    @strawberry.mutation(description="不合格党员处置的下一步（限期改正、劝退、除名依次进行；除名终止组织关系）。")
    @atomic
    def advance_party_appraisal(
        self, info: strawberry.Info, input: AdvancePartyAppraisalInput
    ) -> PartyAppraisalPayload:
        context = _ctx(info)
        row = _get(context, Appraisal, "PartyAppraisal", input.appraisal_id, "appraisalId", "民主评议记录", lock=True)
        context.audit_subject("PartyAppraisal", row.id, row.org_unit_id)
        _manage(context, row.org_unit_id, row.org_path)
        service.advance_disposal(
            context.session,
            row,
            step=required_code(input.step, input.appraisal_step, legacy_field="step", field="appraisalStep"),
            on=input.on,
        )
        return PartyAppraisalPayload(appraisal=row)

    @strawberry.mutation(description="驻区单位加入大党委（成员单位）。")
    @atomic
    def add_member_unit(self, info: strawberry.Info, input: AddMemberUnitInput) -> MemberUnitPayload:
        context = _ctx(info)
        org = _managed_org(context, input.big_committee_id, "bigCommitteeId")
        unit = service.add_member_unit(
            context.session,
            org,
            name=input.name,
            unit_kind=required_code(
                input.unit_kind, input.member_unit_kind, legacy_field="unitKind", field="memberUnitKind"
            ),
            management=required_code(
                input.management, input.management_kind, legacy_field="management", field="managementKind"
            ),
            home_organization=input.home_organization,
            joined_on=input.joined_on,
        )
        context.audit_subject("MemberUnit", unit.id, unit.org_unit_id)
        warnings = _warnings(service.organization_warnings(context.session, org))
        return MemberUnitPayload(member_unit=row_as(MemberUnitType, unit), warnings=warnings)

    @strawberry.mutation(description="指定大党委委员代表的成员单位（每个成员单位至少一名委员）。")
    @atomic
    def set_seat_member_unit(self, info: strawberry.Info, input: SetSeatMemberUnitInput) -> PartyMemberPayload:
        context = _ctx(info)
        member = _managed_member(context, input.member_id)
        unit_id = (
            _get(context, MemberUnit, "MemberUnit", input.member_unit_id, "memberUnitId", "成员单位").id
            if input.member_unit_id
            else None
        )
        service.set_seat_member_unit(context.session, member, unit_id)
        return _member_payload(context, member)

    @strawberry.mutation(description="成员单位年度考评。")
    @atomic
    def appraise_member_unit(self, info: strawberry.Info, input: AppraiseMemberUnitInput) -> MemberUnitPayload:
        context = _ctx(info)
        unit = _member_unit(context, input.member_unit_id)
        appraisal = service.appraise_member_unit(
            context.session,
            unit,
            year=input.year,
            score=input.score,
            grade=required_code(input.grade, input.appraisal_grade, legacy_field="grade", field="appraisalGrade"),
            comment=input.comment,
        )
        return MemberUnitPayload(
            member_unit=row_as(MemberUnitType, unit), appraisal=row_as(MemberUnitAppraisalType, appraisal)
        )

    @strawberry.mutation(description="把考评结果报送成员单位的隶属党组织。")
    @atomic
    def send_member_unit_appraisal(
        self, info: strawberry.Info, input: SendMemberUnitAppraisalInput
    ) -> MemberUnitPayload:
        context = _ctx(info)
        appraisal = _get(
            context, MemberUnitAppraisal, "MemberUnitAppraisal", input.appraisal_id, "appraisalId", "考评", lock=True
        )
        unit = context.session.get(MemberUnit, appraisal.member_unit_id)
        assert unit is not None
        context.audit_subject("MemberUnit", unit.id, unit.org_unit_id)
        _manage(context, unit.org_unit_id, unit.org_path)
        service.send_unit_appraisal(context.session, appraisal)
        return MemberUnitPayload(
            member_unit=row_as(MemberUnitType, unit), appraisal=row_as(MemberUnitAppraisalType, appraisal)
        )


@strawberry.type
class PartyBuildingEndMutation:
    @strawberry.mutation(description="撤销党组织：须先转出全部党员并撤销下级党组织。")
    @atomic
    def dissolve_party_organization(self, info: strawberry.Info, input: EndRecordInput) -> PartyOrganizationPayload:
        context = _ctx(info)
        org = _managed_org(context, input.id, "id")
        service.dissolve_organization(context.session, org, on=input.on)
        return PartyOrganizationPayload(organization=row_as(PartyOrganizationType, org))

    @strawberry.mutation(description="结束在职党员在本社区的报到（迁居、退休等），记录保留。")
    @atomic
    def end_in_service_registration(self, info: strawberry.Info, input: EndRecordInput) -> InServicePayload:
        context = _ctx(info)
        registration = _registration(context, input.id)
        service.end_in_service(context.session, registration, on=input.on)
        return InServicePayload(registration=row_as(InServiceRegistrationType, registration))

    @strawberry.mutation(description="结束一项联户关系（户迁出、党员调整等），记录保留。")
    @atomic
    def end_household_assignment(self, info: strawberry.Info, input: EndRecordInput) -> HouseholdAssignmentPayload:
        context = _ctx(info)
        assignment = _get(context, HouseholdAssignment, "HouseholdAssignment", input.id, "id", "联户关系", lock=True)
        context.audit_subject("HouseholdAssignment", assignment.id, assignment.org_unit_id)
        member = context.session.get(PartyMember, assignment.member_id)
        assert member is not None
        _manage(context, member.org_unit_id, member.org_path)
        service.end_household_assignment(context.session, assignment, on=input.on)
        return HouseholdAssignmentPayload(assignment=assignment)

    @strawberry.mutation(description="成员单位退出大党委。")
    @atomic
    def remove_member_unit(self, info: strawberry.Info, input: EndRecordInput) -> MemberUnitPayload:
        context = _ctx(info)
        unit = _get(context, MemberUnit, "MemberUnit", input.id, "id", "成员单位", lock=True)
        context.audit_subject("MemberUnit", unit.id, unit.org_unit_id)
        _manage(context, unit.org_unit_id, unit.org_path)
        service.remove_member_unit(context.session, unit, on=input.on)
        return MemberUnitPayload(member_unit=row_as(MemberUnitType, unit))


def _appraisal_loader(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
    if not wanted:
        return {}
    rows = context.session.scalars(
        select(MemberUnitAppraisal)
        .join(MemberUnit, MemberUnit.id == MemberUnitAppraisal.member_unit_id)
        .where(MemberUnitAppraisal.id.in_(wanted), scope_condition(context, VIEW.code, MemberUnit.org_path))
    )
    return {row.id: row for row in rows}


def _party_meeting(context: RequestContext, meeting_id: strawberry.ID) -> Meeting:
    """A core meeting of a party kind the caller may see; any other meeting
    answers as a missing one."""
    meeting = _get(context, Meeting, "Meeting", meeting_id, "meetingId", "会议")
    if meeting.kind not in meeting_kinds.KIND_CODES:
        raise not_found("meetingId", "会议")
    return meeting


def _appraisal_paths(appraisal: MemberUnitAppraisal) -> tuple[str, ...]:
    session = object_session(appraisal)
    assert session is not None
    unit = session.get(MemberUnit, appraisal.member_unit_id)
    return (unit.org_path,) if unit is not None else ()


def _assignment_loader(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    return _scoped_loader(HouseholdAssignment, VIEW_MEMBERS.code)(context, pks)


GRAPHQL_TYPES = (
    PartyOrganizationType,
    PartyMemberType,
    DemocraticLifePlanType,
    DevelopmentCaseType,
    InServiceRegistrationType,
    HouseholdAssignmentType,
    AppraisalType,
    MemberUnitType,
    MemberUnitAppraisalType,
)

NODE_TYPES = (
    NodeType("PartyOrganization", _scoped_loader(PartyOrganization, VIEW.code)),
    # Reached from attendance lists by party_building.view; the roster fields are gated.
    NodeType("PartyMember", _scoped_loader(PartyMember, VIEW.code)),
    NodeType("DemocraticLifePlan", _scoped_loader(DemocraticLifePlan, VIEW.code)),
    NodeType("DevelopmentCase", _scoped_loader(DevelopmentCase, VIEW.code)),
    NodeType("InServiceRegistration", _scoped_loader(InServiceRegistration, VIEW_MEMBERS.code)),
    NodeType("HouseholdAssignment", _assignment_loader),
    NodeType("PartyAppraisal", _scoped_loader(Appraisal, VIEW_MEMBERS.code)),
    NodeType("MemberUnit", _scoped_loader(MemberUnit, VIEW.code)),
    NodeType("MemberUnitAppraisal", _appraisal_loader, _appraisal_paths),
)
