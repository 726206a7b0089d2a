"""GraphQL for dispute mediation, screening, the monthly summary, resident
appeals and grid events.

Lists show only what lies in the caller's scope (filtered in SQL by the
rows' ``org_path``); a case is also visible where it was registered after it
moved up the tree. Every mutation checks its permission at the unit it acts
on and refuses where the plugin is not active (``plugin.mediation.active``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Annotated, Any, overload

import strawberry
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import object_session

from core.api.choices import optional_code, required_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for, resident_pk_for
from core.api.loaders import children, related, rows_of
from core.api.mutations import atomic
from core.api.relay import (
    MAX_INTEGER_PK,
    Connection,
    Node,
    decode_pk,
    model_type,
    paginate,
)
from core.auth.permissions import (
    principal_of,
    registry_for_context,
    require,
    require_somewhere,
    scope_condition,
)
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.plugin_host import host_of
from core.policy import service as policy_service
from core.policy.service import local_today, require_plugin_active
from core.reporting.models import ObligationInstance
from core.reporting.obligations import registry_for as obligations_for
from core.reporting.schema import ObligationInstanceType
from plugins.mediation import declarations as d
from plugins.mediation import service
from plugins.mediation.enums import (
    AppealChannel,
    AppealSatisfaction,
    AppealStatus,
    DisputeCaseStatus,
    DisputeCategory,
    DisputeEmergency,
    DisputeOutcome,
    DisputePartyRole,
    DisputeRiskLevel,
    DisputeSource,
    GridEventKind,
    GridEventRouting,
    MediationIncidentKind,
    MediationType,
)
from plugins.mediation.models import (
    Appeal,
    CaseTransition,
    DisputeCase,
    DisputeParty,
    FollowUpVisit,
    GridEvent,
    Incident,
    MonthlySummary,
    SatisfactionSurvey,
    Screening,
)
from plugins.mediation.sensitive import (
    APPEAL_PHONE,
    CASE_AGREEMENT,
    CASE_FACTS,
    EVENT_DESCRIPTION,
    HEALTH_EVENT_TYPES,
    INCIDENT_SUMMARY,
    PARTY_ID_NUMBER,
    PARTY_PHONE,
)

EMERGENCY_WINDOW_DAYS = 30
EMERGENCY_LIMIT = 200
INCIDENT_LIMIT = 1000


def _require(context: RequestContext, code: str, where: OrgUnit | str) -> None:
    require(context, code, where, registry=registry_for_context(context))


def _user_id(context: RequestContext) -> int | None:
    principal = principal_of(context)
    return principal.id if principal is not None else None


def _unit(context: RequestContext, global_id: strawberry.ID, field: str = "orgUnitId") -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


def _active(context: RequestContext, unit: OrgUnit, field: str = "orgUnitId") -> None:
    """Refused where the plugin is off; ``field`` is the input that named the
    unit (or the record that lies in it)."""
    require_plugin_active(context, unit, d.PLUGIN, field=field)


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: datetime | None) -> datetime | None: ...
def aware(value: datetime | None) -> datetime | None:
    """SQLite returns stored UTC timestamps without their offset."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=service.UTC)
    return value


def _owing_levels(context: RequestContext, type_code: str) -> tuple[str, ...]:
    """The configured level codes that owe an obligation type (declared by role)."""
    return context.settings.level_codes(obligations_for(host_of(context)).require(type_code).levels)


def _resident_pk(context: RequestContext, global_id: strawberry.ID | None, field: str) -> int | None:
    return resident_pk_for(context, global_id, field=field, permission=d.HANDLE.code)


# --- visibility ------------------------------------------------------------------------------


def visible_cases(who: Any) -> Select[DisputeCase]:
    """Cases held in the caller's scope, or registered there (the community
    keeps seeing a case it escalated)."""
    origin_units = select(OrgUnit.id).where(scope_condition(who, d.VIEW.code, OrgUnit.path))
    return select(DisputeCase).where(
        or_(scope_condition(who, d.VIEW.code, DisputeCase.org_path), DisputeCase.origin_unit_id.in_(origin_units))
    )


def visible_appeals(who: Any) -> Select[Appeal]:
    return select(Appeal).where(
        or_(
            scope_condition(who, d.APPEAL.code, Appeal.org_path),
            scope_condition(who, d.VIEW.code, Appeal.org_path),
            scope_condition(who, d.SUPERVISE.code, Appeal.org_path),
        )
    )


def visible_events(who: Any) -> Select[GridEvent]:
    return select(GridEvent).where(
        or_(
            scope_condition(who, d.VIEW.code, GridEvent.org_path),
            scope_condition(who, d.REPORT_EVENT.code, GridEvent.org_path),
        )
    )


def _wanted(pks: Sequence[int]) -> list[int]:
    # A key outside the column's range names no row; the database would reject it.
    return [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]


def load_cases(context: RequestContext, pks: Sequence[int]) -> Mapping[int, DisputeCase]:
    wanted = _wanted(pks)
    if not wanted:
        return {}
    return {row.id: row for row in context.session.scalars(visible_cases(context).where(DisputeCase.id.in_(wanted)))}


def load_appeals(context: RequestContext, pks: Sequence[int]) -> Mapping[int, Appeal]:
    wanted = _wanted(pks)
    if not wanted:
        return {}
    return {row.id: row for row in context.session.scalars(visible_appeals(context).where(Appeal.id.in_(wanted)))}


def load_incidents(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = _wanted(pks)
    if not wanted:
        return {}
    statement = select(Incident).where(
        scope_condition(context, d.VIEW.code, Incident.org_path), Incident.id.in_(wanted)
    )
    return {row.id: row for row in context.session.scalars(statement)}


def load_surveys(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = _wanted(pks)
    if not wanted:
        return {}
    statement = select(SatisfactionSurvey).where(
        scope_condition(context, d.VIEW.code, SatisfactionSurvey.org_path), SatisfactionSurvey.id.in_(wanted)
    )
    return {row.id: row for row in context.session.scalars(statement)}


def load_parties(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """A party is seen with its case: the case must be visible to the caller."""
    wanted = _wanted(pks)
    if not wanted:
        return {}
    cases = visible_cases(context).with_only_columns(DisputeCase.id)
    rows = context.session.scalars(
        select(DisputeParty).where(DisputeParty.id.in_(wanted), DisputeParty.case_id.in_(cases))
    )
    return {row.id: row for row in rows}


def party_paths(party: DisputeParty) -> tuple[str, ...]:
    """A party belongs where its case is held."""
    session = object_session(party)
    assert session is not None, "parties are checked as loaded rows"
    case = session.get(DisputeCase, party.case_id)
    return (case.org_path,) if case is not None else ()


def load_screenings(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """Screenings of units where the caller holds mediation.view (as ``mediationScreenings``)."""
    wanted = _wanted(pks)
    if not wanted:
        return {}
    rows = context.session.scalars(
        select(Screening).where(Screening.id.in_(wanted), scope_condition(context, d.VIEW.code, Screening.org_path))
    )
    return {row.id: row for row in rows}


def load_events(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = _wanted(pks)
    if not wanted:
        return {}
    return {row.id: row for row in context.session.scalars(visible_events(context).where(GridEvent.id.in_(wanted)))}


# --- types -----------------------------------------------------------------------------------


@strawberry.type(name="MediationCount", description="代码、中文名称和数量。")
class CodeCount:
    code: str = strawberry.field(description="代码。")
    name: str = strawberry.field(description="中文名称。")
    count: int = strawberry.field(description="数量。")


def _counts(names: Mapping[str, str], counts: Mapping[str, int]) -> list[CodeCount]:
    return [CodeCount(code=code, name=name, count=counts.get(code, 0)) for code, name in names.items()]


def _identity(context: RequestContext, party: DisputeParty, column: str) -> str | None:
    """A party's identity field: from the registry (batch-loaded for the
    page) for a resident, else the party's own minimal record."""
    if party.resident_id is None:
        return getattr(party, column)
    resident = related(context, party, "resident_id", Resident)
    return getattr(resident, column) if resident is not None else None


@model_type(
    DisputeParty, name="DisputeParty", description="纠纷当事人：登记在册的居民或外来人员。身份证号和电话脱敏显示。"
)
class DisputePartyType(Node):
    role: str = strawberry.field(
        description="身份：applicant（申请人）、respondent（被申请人）、third_party（第三人）。",
        deprecation_reason="改用 partyRole（枚举）。",
    )

    @strawberry.field(description="当事人身份。")
    def party_role(self) -> DisputePartyRole:
        return DisputePartyRole(self.role)

    @strawberry.field(description="身份的中文名称。")
    def role_name(self) -> str:
        return d.PARTY_ROLES.get(self.role, self.role)

    @strawberry.field(description="是否为实有人口中登记的居民（身份信息从实有人口读取）。")
    def is_resident(self, root: DisputeParty) -> bool:
        return root.resident_id is not None

    @strawberry.field(description="居民的全局 ID；外来人员为空。")
    def resident_id(self, root: DisputeParty) -> strawberry.ID | None:
        from core.api.relay import encode_global_id

        pk = root.resident_id
        return strawberry.ID(encode_global_id("Resident", pk)) if pk is not None else None

    @strawberry.field(description="姓名。")
    def name(self, root: DisputeParty, info: strawberry.Info) -> str | None:
        if root.resident_id is not None:
            resident = related(info.context, root, "resident_id", Resident)
            return resident.name if resident else None
        return root.name

    @strawberry.field(
        description="身份证号（脱敏）；完整号码用 revealSensitiveField 查看（需 mediation.reveal_party，记入审计）。"
    )
    def id_number(self, root: DisputeParty, info: strawberry.Info) -> str | None:
        return PARTY_ID_NUMBER.masked(_identity(info.context, root, "id_number"))

    @strawberry.field(description="电话（脱敏）；完整号码用 revealSensitiveField 查看。")
    def phone(self, root: DisputeParty, info: strawberry.Info) -> str | None:
        return PARTY_PHONE.masked(_identity(info.context, root, "phone"))


@strawberry.type(name="CaseTransition", description="个案的一步流转：谁、何时、为何，从哪一级到哪一级。")
class CaseTransitionType:
    action: str = strawberry.field(
        description="register、accept、start_mediation、resolve、follow_up、close、escalate、hand_down、flag_emergency、emergency_escalate。"
    )
    from_status: str | None = strawberry.field(
        description="之前的状态。", deprecation_reason="改用 fromCaseStatus（枚举）。"
    )

    @strawberry.field(description="之前的状态；登记时为空。")
    def from_case_status(self) -> DisputeCaseStatus | None:
        return None if self.from_status is None else DisputeCaseStatus(self.from_status)

    to_status: str = strawberry.field(description="之后的状态。", deprecation_reason="改用 toCaseStatus（枚举）。")

    @strawberry.field(description="之后的状态。")
    def to_case_status(self) -> DisputeCaseStatus:
        return DisputeCaseStatus(self.to_status)

    reason: str | None = strawberry.field(description="理由或说明。")

    @strawberry.field(description="时间（带时区）。")
    def at(self, root: CaseTransition) -> datetime:
        return aware(root.at)

    user_id: int | None = strawberry.field(description="操作人账号 ID。")

    @strawberry.field(description="之前的承办单位。", graphql_type=OrgUnitType | None)
    def from_org_unit(self, root: CaseTransition, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "from_unit_id", OrgUnit)

    @strawberry.field(description="之后的承办单位。", graphql_type=OrgUnitType)
    def to_org_unit(self, root: CaseTransition, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "to_unit_id", OrgUnit)


@strawberry.type(name="FollowUpVisit", description="回访：达成协议后按期回访协议履行情况。")
class FollowUpVisitType:
    due_on: date = strawberry.field(description="应回访日期。")
    visited_on: date | None = strawberry.field(description="实际回访日期；未回访为空。")
    agreement_kept: bool | None = strawberry.field(description="协议是否履行。")
    note: str | None = strawberry.field(description="回访情况。")

    @strawberry.field(description="是否按期回访（回访日期不晚于应回访日期）；未回访为空。")
    def on_time(self) -> bool | None:
        visited = self.visited_on
        return None if visited is None else visited <= self.due_on

    @strawberry.field(description="是否已超期未回访。")
    def overdue(self) -> bool:
        return self.visited_on is None and self.due_on < local_today()

    @strawberry.field(description="所属个案（在查看范围内时）。", graphql_type="DisputeCaseType | None")
    def dispute_case(self, root: FollowUpVisit, info: strawberry.Info) -> DisputeCase | None:
        pk = root.case_id
        return load_cases(info.context, [pk]).get(pk)


def _follow_ups(context: RequestContext) -> Callable[[list[int]], dict[int, list[FollowUpVisit]]]:
    def load(ids: list[int]) -> dict[int, list[FollowUpVisit]]:
        grouped: dict[int, list[FollowUpVisit]] = {}
        rows = context.session.scalars(
            select(FollowUpVisit).where(FollowUpVisit.case_id.in_(ids)).order_by(FollowUpVisit.due_on, FollowUpVisit.id)
        )
        for row in rows:
            grouped.setdefault(row.case_id, []).append(row)
        return grouped

    return load


def _holder(context: RequestContext, case: DisputeCase) -> OrgUnit:
    """The unit holding ``case`` (batch-loaded for the page)."""
    holder = related(context, case, "org_unit_id", OrgUnit)
    assert holder is not None, "dispute_case.org_unit_id is a required foreign key"
    return holder


@model_type(
    DisputeCase, name="DisputeCase", description="矛盾纠纷个案（个案登记表的一行）。事实经过和协议内容脱敏显示。"
)
class DisputeCaseType(Node):
    case_number: str = strawberry.field(description="案号。")
    title: str = strawberry.field(description="案由。")
    category: str = strawberry.field(
        description="类别代码：family、neighbour、property、labour、land、demolition、contract、damage、other。",
        deprecation_reason="改用 caseCategory（枚举）。",
    )

    @strawberry.field(description="纠纷类别。")
    def case_category(self) -> DisputeCategory:
        return DisputeCategory(self.category)

    source: str = strawberry.field(
        description="来源代码：screening、walk_in、petition、grid_report、referral。",
        deprecation_reason="改用 caseSource（枚举）。",
    )

    @strawberry.field(description="个案来源。")
    def case_source(self) -> DisputeSource:
        return DisputeSource(self.source)

    risk_level: str = strawberry.field(
        description="风险等级：minor（简单）、ordinary（一般）、major（重大）。",
        deprecation_reason="改用 caseRiskLevel（枚举）。",
    )

    @strawberry.field(description="风险等级。")
    def case_risk_level(self) -> DisputeRiskLevel:
        return DisputeRiskLevel(self.risk_level)

    emergency: str | None = strawberry.field(
        description="紧急情形：group_incident（可能引发群体性事件）、mass_petition（可能引发集体上访）。",
        deprecation_reason="改用 emergencyKind（枚举）。",
    )

    @strawberry.field(description="紧急情形；非紧急时为空。")
    def emergency_kind(self) -> DisputeEmergency | None:
        return None if self.emergency is None else DisputeEmergency(self.emergency)

    status: str = strawberry.field(
        description="状态：registered、escalated、handed_down、accepted、mediating、resolved、followed_up、closed。",
        deprecation_reason="改用 caseStatus（枚举）。",
    )

    @strawberry.field(description="个案状态。")
    def case_status(self) -> DisputeCaseStatus:
        return DisputeCaseStatus(self.status)

    registered_on: date = strawberry.field(description="登记日期。")
    mediation_type: str | None = strawberry.field(
        description="调解方式：people、administrative、judicial、joint。",
        deprecation_reason="改用 mediationKind（枚举）。",
    )

    @strawberry.field(description="调解方式；尚未调处时为空。")
    def mediation_kind(self) -> MediationType | None:
        return None if self.mediation_type is None else MediationType(self.mediation_type)

    mediators: list[str] = strawberry.field(description="调解员。")
    outcome: str | None = strawberry.field(
        description="调处结果：agreement、reconciled、referred。", deprecation_reason="改用 caseOutcome（枚举）。"
    )

    @strawberry.field(description="调处结果；尚未调结时为空。")
    def case_outcome(self) -> DisputeOutcome | None:
        return None if self.outcome is None else DisputeOutcome(self.outcome)

    resolved_on: date | None = strawberry.field(description="调结日期。")
    resolved_level: str | None = strawberry.field(description="调结时承办单位的层级（层级代码，见 orgLevels）。")
    closed_on: date | None = strawberry.field(description="结案日期。")

    @strawberry.field(description="标记为紧急的时间（带时区；轮询 emergencies 时作为下一次的 since）。")
    def emergency_at(self, root: DisputeCase) -> datetime | None:
        return aware(root.emergency_at)

    @strawberry.field(description="类别的中文名称。")
    def category_name(self) -> str:
        return d.CATEGORIES.get(self.category, self.category)

    @strawberry.field(description="来源的中文名称。")
    def source_name(self) -> str:
        return d.SOURCES.get(self.source, self.source)

    @strawberry.field(description="风险等级的中文名称。")
    def risk_level_name(self) -> str:
        return d.RISK_LEVELS.get(self.risk_level, self.risk_level)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return d.CASE_STATUSES.get(self.status, self.status)

    @strawberry.field(
        description="纠纷事实经过（脱敏）；全文用 revealSensitiveField 查看（需 mediation.reveal_facts，记入审计）。"
    )
    def facts(self, root: DisputeCase) -> str | None:
        return CASE_FACTS.masked(root.facts)

    @strawberry.field(description="调解协议内容（脱敏）；全文用 revealSensitiveField 查看。")
    def agreement(self, root: DisputeCase) -> str | None:
        return CASE_AGREEMENT.masked(root.agreement)

    @strawberry.field(description="当前承办单位（对个案负责）。", graphql_type=OrgUnitType)
    def org_unit(self, root: DisputeCase, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)

    @strawberry.field(description="登记单位。", graphql_type=OrgUnitType)
    def origin_org_unit(self, root: DisputeCase, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "origin_unit_id", OrgUnit)

    @strawberry.field(description="按地方策略，此风险等级的个案最低可在哪一级调结（本部署的组织层级代码）。")
    def finalize_level(self, root: DisputeCase, info: strawberry.Info) -> str:
        context: RequestContext = info.context
        holder = _holder(context, root)
        role = service.finalize_level(context.session, root, holder, local_today())
        return service.level_code(context.settings, role)

    @strawberry.field(description="当前承办单位能否调结、结案（是否在其权限内）。")
    def can_finalize_here(self, root: DisputeCase, info: strawberry.Info) -> bool:
        context: RequestContext = info.context
        holder = _holder(context, root)
        needed = service.finalize_level(context.session, root, holder, local_today())
        settings = context.settings
        return service.rank(settings, holder.level) <= service.rank(settings, needed)

    @strawberry.field(description="当事人。")
    def parties(self, info: strawberry.Info) -> list[DisputePartyType]:
        return rows_of(info.context, self, DisputeParty.case_id, DisputeParty.id)

    @strawberry.field(description="流转记录，按时间先后。")
    def transitions(self, info: strawberry.Info) -> list[CaseTransitionType]:
        context: RequestContext = info.context
        return children(context, self, "mediation.transitions", lambda ids: service.transitions(context.session, ids))

    @strawberry.field(description="回访计划与记录。")
    def follow_up_visits(self, info: strawberry.Info) -> list[FollowUpVisitType]:
        return children(info.context, self, "mediation.follow_ups", _follow_ups(info.context))


@model_type(
    Screening,
    name="MediationScreening",
    description="一次定期矛盾纠纷排查（每月次数按地方策略，默认每半月一次）；排查结果为零也须登记。",
)
class ScreeningType(Node):
    period_start: date = strawberry.field(description="排查期第一天。")
    period_end: date = strawberry.field(description="排查期最后一天。")
    screened_on: date = strawberry.field(description="排查日期。")
    disputes_found: int = strawberry.field(description="发现矛盾纠纷（件）。")
    instability_factors: int = strawberry.field(description="发现不稳定因素（个）。")
    note: str | None = strawberry.field(description="排查情况。")

    @strawberry.field(description="排查单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: Screening, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@strawberry.type(name="MediationReportStatus", description="某单位某月的报送情况：统计表和定期排查。")
class UnitReportStatus:
    org_unit: OrgUnit = strawberry.field(description="应报单位。", graphql_type=OrgUnitType)
    monthly_summary: ObligationInstance | None = strawberry.field(
        description="本月统计表在报送日历中的事项（状态、截止日、报送日期）；尚未生成时为空。",
        graphql_type=ObligationInstanceType | None,
    )
    screenings_recorded: int = strawberry.field(description="本月已登记的排查（次）。")
    screenings_required: int | None = strawberry.field(description="按地方策略本月应排查（次）；街道本身为空。")


@strawberry.type(name="MonthlySummaryRow", description="统计表的一行。")
class SummaryRow:
    code: str = strawberry.field(description="指标代码。")
    label: str = strawberry.field(description="指标（中文表头）。")
    value: int = strawberry.field(description="数值。")


@strawberry.type(name="MediationMonthlySummary", description="矛盾纠纷月度统计表：某单位及其下级某月的排查调处汇总。")
class MonthlySummaryType:
    month: str = strawberry.field(description="月份，YYYY-MM。")
    period_start: date = strawberry.field(description="本月第一天。")
    period_end: date = strawberry.field(description="本月最后一天。")
    rows: list[SummaryRow] = strawberry.field(description="统计表各行（按报表顺序），为当前数据的汇总。")
    by_category: list[CodeCount] = strawberry.field(description="新登记个案按类别。")
    nothing_to_report: bool = strawberry.field(description="本月是否无事项可报（按零报告制度应零报告）。")
    submitted_rows: list[SummaryRow] | None = strawberry.field(description="报送时冻结的数字；未报送为空。")
    submitted_zero_report: bool | None = strawberry.field(description="报送的是否为零报告；未报送为空。")
    instance: ObligationInstance | None = strawberry.field(
        description="报送日历中的本期事项（含截止日、状态、是否锁定）。", graphql_type=ObligationInstanceType | None
    )
    org_unit: OrgUnit = strawberry.field(description="统计单位。", graphql_type=OrgUnitType)


def _summary_type(session: Any, unit: OrgUnit, month: str, period: tuple[date, date]) -> MonthlySummaryType:
    figures = service.summary_figures(session, unit, period)
    instance = session.scalars(
        select(ObligationInstance).where(
            ObligationInstance.type_code == d.MONTHLY_SUMMARY,
            ObligationInstance.org_unit_id == unit.id,
            ObligationInstance.period_start == period[0],
        )
    ).first()
    stored = session.scalars(
        select(MonthlySummary).where(MonthlySummary.org_unit_id == unit.id, MonthlySummary.period_start == period[0])
    ).first()
    rows = [
        SummaryRow(code=code, label=label, value=figures.figures.get(code, 0)) for code, label in service.SUMMARY_ROWS
    ]
    return MonthlySummaryType(
        month=f"{period[0].year:04d}-{period[0].month:02d}",
        period_start=period[0],
        period_end=period[1],
        rows=rows,
        by_category=_counts(d.CATEGORIES, figures.by_category),
        nothing_to_report=figures.is_zero,
        submitted_rows=(
            [SummaryRow(code=c, label=lbl, value=int(stored.figures.get(c, 0))) for c, lbl in service.SUMMARY_ROWS]
            if stored
            else None
        ),
        submitted_zero_report=stored.zero_report if stored else None,
        instance=instance,
        org_unit=unit,
    )


@model_type(Appeal, name="ResidentAppeal", description="居民诉求（绿色通道）：首办单位负责到底。电话脱敏显示。")
class AppealType(Node):
    channel: str = strawberry.field(
        description="渠道：walk_in、phone、hotline、online、letter、grid。",
        deprecation_reason="改用 appealChannel（枚举）。",
    )

    @strawberry.field(description="受理渠道。")
    def appeal_channel(self) -> AppealChannel:
        return AppealChannel(self.channel)

    subject: str = strawberry.field(description="诉求事项。")
    content: str = strawberry.field(description="诉求内容。")
    received_on: date = strawberry.field(description="受理日期。")
    due_on: date = strawberry.field(description="办理时限（按地方策略）。")
    status: str = strawberry.field(
        description="状态：received、forwarded、resolved、closed。", deprecation_reason="改用 appealStatus（枚举）。"
    )

    @strawberry.field(description="办理状态。")
    def appeal_status(self) -> AppealStatus:
        return AppealStatus(self.status)

    forwarded_to: str | None = strawberry.field(description="转办的承办部门。")
    forwarded_on: date | None = strawberry.field(description="转办日期。")
    resolution: str | None = strawberry.field(description="办理结果。")
    resolved_on: date | None = strawberry.field(description="办结日期。")
    feedback: str | None = strawberry.field(description="向居民反馈的内容。")
    feedback_on: date | None = strawberry.field(description="反馈日期。")
    satisfaction: str | None = strawberry.field(
        description="满意度：satisfied、basically_satisfied、dissatisfied。",
        deprecation_reason="改用 appealSatisfaction（枚举）。",
    )

    @strawberry.field(description="满意度；尚未反馈时为空。")
    def appeal_satisfaction(self) -> AppealSatisfaction | None:
        return None if self.satisfaction is None else AppealSatisfaction(self.satisfaction)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return d.APPEAL_STATUSES.get(self.status, self.status)

    @strawberry.field(description="是否超期（未办结且已过办理时限）。")
    def overdue(self, root: Appeal) -> bool:
        return service.is_overdue(root, local_today())

    @strawberry.field(description="诉求人姓名。")
    def appellant_name(self, root: Appeal, info: strawberry.Info) -> str | None:
        if root.resident_id is not None:
            resident = related(info.context, root, "resident_id", Resident)
            return resident.name if resident else None
        return root.appellant_name

    @strawberry.field(description="联系电话（脱敏）；完整号码用 revealSensitiveField 查看。")
    def phone(self, root: Appeal) -> str | None:
        return APPEAL_PHONE.masked(root.phone)

    @strawberry.field(description="首办单位（对诉求负责到底）。", graphql_type=OrgUnitType)
    def org_unit(self, root: Appeal, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@model_type(GridEvent, name="GridEvent", description="网格事件（楼栋长“八必报”）及其分派去向。")
class GridEventType(Node):
    event_type: str = strawberry.field(
        description="类型：facility_damage、dirty_alley、new_pregnancy、newcomer、hospitalized、house_rented、safety_hazard、instability。",
        deprecation_reason="改用 gridEventKind（枚举）。",
    )

    @strawberry.field(description="事件类型。")
    def grid_event_kind(self) -> GridEventKind:
        return GridEventKind(self.event_type)

    occurred_on: date = strawberry.field(description="发生日期。")
    route: str = strawberry.field(
        description="分派去向：appeal、dispute_case、people_registry、community_visit、family_planning。"
    )
    routing_status: str = strawberry.field(
        description="分派状态：routed（已分派）、pending_review（待社区核实）、not_routed（未分派）。",
        deprecation_reason="改用 routing（枚举）。",
    )

    @strawberry.field(description="分派状态。")
    def routing(self) -> GridEventRouting:
        return GridEventRouting(self.routing_status)

    routing_note: str | None = strawberry.field(description="分派说明。")

    @strawberry.field(description="上报时间（带时区）。")
    def created_at(self, root: GridEvent) -> datetime:
        return aware(root.created_at)

    @strawberry.field(
        description="事件描述；新增怀孕、居民住院涉及健康和生育信息，脱敏显示，全文用 revealSensitiveField 查看（需 mediation.reveal_facts）。"
    )
    def description(self, root: GridEvent) -> str:
        text = root.description
        if self.event_type in HEALTH_EVENT_TYPES:
            return EVENT_DESCRIPTION.masked(text) or ""
        return text

    @strawberry.field(description="类型的中文名称。")
    def event_type_name(self) -> str:
        return d.EVENT_TYPES.get(self.event_type, self.event_type)

    @strawberry.field(description="上报的网格或楼栋。", graphql_type=OrgUnitType)
    def org_unit(self, root: GridEvent, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)

    @strawberry.field(description="由此登记的矛盾纠纷个案（在查看范围内时）。", graphql_type=DisputeCaseType | None)
    def dispute_case(self, root: GridEvent, info: strawberry.Info) -> DisputeCase | None:
        pk = root.case_id
        return load_cases(info.context, [pk]).get(pk) if pk else None

    @strawberry.field(description="由此受理的居民诉求（在查看范围内时）。", graphql_type=AppealType | None)
    def appeal(self, root: GridEvent, info: strawberry.Info) -> Appeal | None:
        pk = root.appeal_id
        return load_appeals(info.context, [pk]).get(pk) if pk else None


@model_type(
    Incident,
    name="MediationIncident",
    description="治安事件登记（平安村、零案村评定依据）：本单位当年实际发生的集体上访、群体性事件、邪教和非法宗教活动、刑事案件、"
    "重大治安灾害事故、突出治安问题。简要情况可能涉及当事人，脱敏显示。",
)
class IncidentType(Node):
    kind: str = strawberry.field(
        description="类别：collective_petition（集体上访）、group_incident（群体性事件）、cult_activity（邪教和非法宗教活动）、"
        "criminal_case（刑事案件）、major_accident（重大治安灾害事故）、security_problem（突出治安问题）。",
        deprecation_reason="改用 incidentKind（枚举）。",
    )

    @strawberry.field(description="事件类别。")
    def incident_kind(self) -> MediationIncidentKind:
        return MediationIncidentKind(self.kind)

    occurred_on: date = strawberry.field(description="发生日期。")

    @strawberry.field(description="类别的中文名称。")
    def kind_name(self) -> str:
        return d.INCIDENT_KINDS.get(self.kind, self.kind)

    @strawberry.field(
        description="简要情况（脱敏）；全文用 revealSensitiveField 查看（需“查看纠纷事实经过”权限，记入审计）。"
    )
    def summary(self, root: Incident) -> str | None:
        return INCIDENT_SUMMARY.masked(root.summary)

    @strawberry.field(description="发生单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: Incident, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@model_type(
    SatisfactionSurvey,
    name="SafetySatisfactionSurvey",
    description="群众对治安满意度调查：某社区（村）某年的受访、满意和基本满意人数。",
)
class SatisfactionSurveyType(Node):
    year: int = strawberry.field(description="调查年度。")
    surveyed_on: date = strawberry.field(description="调查日期。")
    respondents: int = strawberry.field(description="受访人数。")
    satisfied: int = strawberry.field(description="满意人数。")
    basically_satisfied: int = strawberry.field(description="基本满意人数。")
    note: str | None = strawberry.field(description="调查说明。")

    @strawberry.field(description="满意和基本满意率（%）。")
    def satisfaction_percent(self) -> float:
        return 100.0 * (self.satisfied + self.basically_satisfied) / self.respondents

    @strawberry.field(description="调查单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: SatisfactionSurvey, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@strawberry.type(name="MediationLevelResolution", description="某一层级的调处情况。")
class LevelResolution:
    level: str = strawberry.field(description="组织层级代码，见 orgLevels。")
    level_name: str = strawberry.field(description="层级名称。")
    received: int = strawberry.field(description="该层级承办过的个案（件）。")
    resolved: int = strawberry.field(description="在该层级调结的个案（件）。")
    rate: float | None = strawberry.field(description="调结率：调结 / 承办；无承办时为空。")


@strawberry.type(description="矛盾纠纷统计：某单位及其下级某年登记的个案。")
class MediationStatistics:
    year: int
    total: int = strawberry.field(description="登记个案总数。")
    by_category: list[CodeCount] = strawberry.field(description="按类别。")
    by_status: list[CodeCount] = strawberry.field(description="按当前状态。")
    by_month: list[int] = strawberry.field(description="按登记月份，1 至 12 月。")
    per_level: list[LevelResolution] = strawberry.field(description="各层级调结率。")
    follow_ups_due: int = strawberry.field(description="年内到期的回访（次）。")
    follow_ups_on_time: int = strawberry.field(description="按期完成的回访（次）。")
    follow_up_on_time_rate: float | None = strawberry.field(description="回访按期率；无到期回访时为空。")


@strawberry.type(
    name="SafeVillage",
    description="平安村（零案村）评定：当年不发生集体上访和群体性事件、邪教和非法宗教活动、刑事案件、重大治安灾害事故，"
    "无突出治安问题，群众对治安满意和基本满意率达到地方策略的标准。依据是登记的治安事件和满意度调查，不是纠纷个案的风险标记。",
)
class SafeVillageType:
    org_unit: OrgUnit = strawberry.field(graphql_type=OrgUnitType)
    year: int
    qualified: bool = strawberry.field(description="是否达到平安村标准。")
    incidents: list[CodeCount] = strawberry.field(description="当年发生的治安事件，按类别。")
    collective_petitions: int = strawberry.field(description="集体上访（起）。")
    group_incidents: int = strawberry.field(description="群体性事件（起）。")
    cult_activity: int = strawberry.field(description="邪教和非法宗教活动（起）。")
    criminal_cases: int = strawberry.field(description="刑事案件（起）。")
    major_accidents: int = strawberry.field(description="重大治安灾害事故（起）。")
    survey: SatisfactionSurvey | None = strawberry.field(
        description="当年的群众对治安满意度调查；未登记为空。", graphql_type=SatisfactionSurveyType | None
    )
    satisfaction_percent: float | None = strawberry.field(description="群众对治安满意和基本满意率（%）；未调查为空。")
    min_satisfaction_percent: int = strawberry.field(description="地方策略要求的满意率（%）。")
    satisfaction_comparator: str = strawberry.field(description="满意率的比较方式：>= 达到即可（含本数），> 须超过。")
    reasons: list[str] = strawberry.field(description="未达标的原因。")


# --- queries ---------------------------------------------------------------------------------


@strawberry.type
class MediationQuery:
    @strawberry.field(
        description="矛盾纠纷个案（个案登记表），新登记的在前。需要 mediation.view；列出承办单位或登记单位在权限范围内的个案。"
    )
    def dispute_cases(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID | None = None,
        status: Annotated[str | None, strawberry.argument(deprecation_reason="改用 caseStatus（枚举）。")] = None,
        case_status: Annotated[DisputeCaseStatus | None, strawberry.argument(description="只列此状态的个案。")] = None,
        risk_level: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 caseRiskLevel（枚举）。")
        ] = None,
        case_risk_level: Annotated[
            DisputeRiskLevel | None, strawberry.argument(description="只列此风险等级的个案。")
        ] = None,
        open_only: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[DisputeCaseType]:
        risk_level = optional_code(risk_level, case_risk_level, legacy_field="riskLevel", field="caseRiskLevel")
        status = optional_code(status, case_status, legacy_field="status", field="caseStatus")
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code, registry=registry_for_context(context))
        statement = visible_cases(context)
        if org_unit_id is not None:
            unit = _unit(context, org_unit_id)
            statement = statement.where(service.in_subtree(DisputeCase.org_path, unit.path))
        if status is not None:
            statement = statement.where(DisputeCase.status == status)
        if risk_level is not None:
            statement = statement.where(DisputeCase.risk_level == risk_level)
        if open_only:
            statement = statement.where(DisputeCase.status.in_(d.OPEN_CASE_STATUSES))
        return paginate(
            context, statement, (DisputeCase.id,), first=first, after=after, last=last, before=before, descending=True
        )

    @strawberry.field(
        description="紧急个案（可能引发群体性事件或集体上访），最近标记的在前；供街道领导轮询："
        "传入上次查询的时间 since 只取其后新标记的。默认最近 30 天。需要 mediation.view。",
        graphql_type=list[DisputeCaseType],
    )
    def emergencies(
        self, info: strawberry.Info, org_unit_id: strawberry.ID | None = None, since: datetime | None = None
    ) -> list[DisputeCase]:
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code, registry=registry_for_context(context))
        if since is None:
            since = datetime.now(service.UTC) - timedelta(days=EMERGENCY_WINDOW_DAYS)
        elif since.tzinfo is None:
            raise UserInputError("INVALID_VALUE", "起始时间须带时区，如 2026-11-23T08:00:00+08:00。", "since")
        statement = visible_cases(context).where(
            DisputeCase.emergency.is_not(None), DisputeCase.emergency_at > since.astimezone(service.UTC)
        )
        if org_unit_id is not None:
            unit = _unit(context, org_unit_id)
            statement = statement.where(service.in_subtree(DisputeCase.org_path, unit.path))
        statement = statement.order_by(DisputeCase.emergency_at.desc(), DisputeCase.id.desc()).limit(EMERGENCY_LIMIT)
        return list(context.session.scalars(statement))

    @strawberry.field(
        description="某单位及其下级某月的排查记录。需要在该单位拥有 mediation.view。", graphql_type=list[ScreeningType]
    )
    def mediation_screenings(self, info: strawberry.Info, org_unit_id: strawberry.ID, month: str) -> list[Screening]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        start, end = service.month_period(month)
        rows = context.session.scalars(
            select(Screening)
            .where(
                service.in_subtree(Screening.org_path, unit.path),
                Screening.period_start >= start,
                Screening.period_end <= end,
            )
            .order_by(Screening.org_path, Screening.period_start)
        )
        return list(rows)

    @strawberry.field(
        description="矛盾纠纷月度统计表（当前数据汇总，及已报送时冻结的数字）。需要在该单位拥有 mediation.view。"
        '下级报送完成率与及时率见 reportingCompleteness(typeCode: "mediation.monthly_summary")。'
    )
    def mediation_monthly_summary(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, month: str
    ) -> MonthlySummaryType:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        period = service.month_period(month)
        return _summary_type(context.session, unit, month, period)

    @strawberry.field(
        description="报送情况一览：该单位及其下级各社区/街道某月统计表的报送状态（按时、零报告、逾期、未报）和排查次数（应排查次数按地方策略）。"
        "需要在该单位拥有 mediation.view。"
    )
    def mediation_reporting_status(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, month: str
    ) -> list[UnitReportStatus]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        start, end = service.month_period(month)
        session = context.session
        units = list(
            session.scalars(
                select(OrgUnit)
                .where(
                    service.in_subtree(OrgUnit.path, unit.path),
                    OrgUnit.level.in_(_owing_levels(context, d.MONTHLY_SUMMARY)),
                )
                .order_by(OrgUnit.path)
            )
        )
        ids = [u.id for u in units]
        instances = {
            row.org_unit_id: row
            for row in session.scalars(
                select(ObligationInstance).where(
                    ObligationInstance.type_code == d.MONTHLY_SUMMARY,
                    ObligationInstance.org_unit_id.in_(ids),
                    ObligationInstance.period_start == start,
                )
            )
        }
        counts = dict(
            session.execute(
                select(Screening.org_unit_id, func.count())
                .where(Screening.org_unit_id.in_(ids), Screening.period_start >= start, Screening.period_end <= end)
                .group_by(Screening.org_unit_id)
            ).all()
        )
        screening_levels = _owing_levels(context, d.SCREENING)
        communities = [u for u in units if u.level in screening_levels]
        required = (
            policy_service.resolve_for_units(session, communities, d.SCREENING_PER_MONTH, start) if communities else {}
        )
        return [
            UnitReportStatus(
                org_unit=u,
                monthly_summary=instances.get(u.id),
                screenings_recorded=int(counts.get(u.id, 0)),
                screenings_required=int(required[u.id].value) if u.id in required else None,
            )
            for u in units
        ]

    @strawberry.field(
        description="待回访：该单位及其下级个案中 withinDays 天内到期（含已超期）的未完成回访，到期早的在前。需要 mediation.view。",
        graphql_type=list[FollowUpVisitType],
    )
    def due_follow_up_visits(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, within_days: int = 7
    ) -> list[FollowUpVisit]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        within_days = max(0, min(within_days, 366))
        cases = (
            visible_cases(context)
            .where(service.in_subtree(DisputeCase.org_path, unit.path))
            .with_only_columns(DisputeCase.id)
        )
        rows = context.session.scalars(
            select(FollowUpVisit)
            .where(
                FollowUpVisit.case_id.in_(cases),
                FollowUpVisit.visited_on.is_(None),
                FollowUpVisit.due_on <= local_today() + timedelta(days=within_days),
            )
            .order_by(FollowUpVisit.due_on, FollowUpVisit.id)
            .limit(500)
        )
        return list(rows)

    @strawberry.field(
        description="居民诉求，新受理的在前。需要 mediation.appeal、mediation.view 或 mediation.supervise。"
    )
    def resident_appeals(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID | None = None,
        status: Annotated[str | None, strawberry.argument(deprecation_reason="改用 appealStatus（枚举）。")] = None,
        appeal_status: Annotated[AppealStatus | None, strawberry.argument(description="只列此状态的诉求。")] = None,
        overdue_only: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AppealType]:
        status = optional_code(status, appeal_status, legacy_field="status", field="appealStatus")
        context: RequestContext = info.context
        principal = principal_of(context)
        if principal is None or not any(
            principal.holds_anywhere(c) for c in (d.APPEAL.code, d.VIEW.code, d.SUPERVISE.code)
        ):
            require_somewhere(context, d.APPEAL.code, registry=registry_for_context(context))
        statement = visible_appeals(context)
        if org_unit_id is not None:
            unit = _unit(context, org_unit_id)
            statement = statement.where(service.in_subtree(Appeal.org_path, unit.path))
        if status is not None:
            statement = statement.where(Appeal.status == status)
        if overdue_only:
            statement = statement.where(service.overdue_condition(local_today()))
        return paginate(context, statement, (Appeal.id,), first=first, after=after, descending=True)

    @strawberry.field(
        description="超期未办结的居民诉求（督办），时限最早的在前。需要在该单位拥有 mediation.supervise。",
        graphql_type=list[AppealType],
    )
    def overdue_appeals(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[Appeal]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.SUPERVISE.code, unit)
        rows = context.session.scalars(
            select(Appeal)
            .where(service.in_subtree(Appeal.org_path, unit.path), service.overdue_condition(local_today()))
            .order_by(Appeal.due_on, Appeal.id)
        )
        return list(rows)

    @strawberry.field(description="网格事件，新上报的在前。需要 mediation.view 或 mediation.report_event。")
    def grid_events(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID | None = None,
        routing_status: Annotated[str | None, strawberry.argument(deprecation_reason="改用 routing（枚举）。")] = None,
        routing: Annotated[GridEventRouting | None, strawberry.argument(description="只列此分派状态的事件。")] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[GridEventType]:
        routing_status = optional_code(routing_status, routing, legacy_field="routingStatus", field="routing")
        context: RequestContext = info.context
        principal = principal_of(context)
        if principal is None or not (
            principal.holds_anywhere(d.VIEW.code) or principal.holds_anywhere(d.REPORT_EVENT.code)
        ):
            require_somewhere(context, d.VIEW.code, registry=registry_for_context(context))
        statement = visible_events(context)
        if org_unit_id is not None:
            unit = _unit(context, org_unit_id)
            statement = statement.where(service.in_subtree(GridEvent.org_path, unit.path))
        if routing_status is not None:
            statement = statement.where(GridEvent.routing_status == routing_status)
        return paginate(context, statement, (GridEvent.id,), first=first, after=after, descending=True)

    @strawberry.field(
        description="矛盾纠纷统计（按类别、状态、月份，各级调结率，回访按期率）。需要在该单位拥有 mediation.view。"
    )
    def mediation_statistics(self, info: strawberry.Info, org_unit_id: strawberry.ID, year: int) -> MediationStatistics:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        if not 1900 <= year <= 9999:
            raise UserInputError("INVALID_VALUE", "年份不正确。", "year")
        stats = service.statistics(context.session, context.settings, unit, year)
        return MediationStatistics(
            year=year,
            total=sum(stats.by_category.values()),
            by_category=_counts(d.CATEGORIES, stats.by_category),
            by_status=_counts(d.CASE_STATUSES, stats.by_status),
            by_month=stats.by_month,
            per_level=[
                LevelResolution(
                    level=r.level,
                    level_name=context.settings.level_name(r.level),
                    received=r.received,
                    resolved=r.resolved,
                    rate=r.rate,
                )
                for r in stats.per_level
            ],
            follow_ups_due=stats.follow_ups_due,
            follow_ups_on_time=stats.follow_ups_on_time,
            follow_up_on_time_rate=stats.follow_up_on_time_rate,
        )

    @strawberry.field(
        description="平安村（零案村）评定：该单位下各社区/村某年是否达标。需要在该单位拥有 mediation.view。"
    )
    def safe_villages(self, info: strawberry.Info, org_unit_id: strawberry.ID, year: int) -> list[SafeVillageType]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        if not 1900 <= year <= 9999:
            raise UserInputError("INVALID_VALUE", "年份不正确。", "year")
        return [
            SafeVillageType(
                org_unit=v.unit,
                year=year,
                qualified=v.qualified,
                incidents=_counts(d.INCIDENT_KINDS, v.incidents),
                collective_petitions=v.incidents["collective_petition"],
                group_incidents=v.incidents["group_incident"],
                cult_activity=v.incidents["cult_activity"],
                criminal_cases=v.incidents["criminal_case"],
                major_accidents=v.incidents["major_accident"],
                survey=v.survey,
                satisfaction_percent=v.satisfaction_percent,
                min_satisfaction_percent=v.min_satisfaction_percent,
                satisfaction_comparator=v.comparator,
                reasons=v.reasons,
            )
            for v in service.safe_villages(context.session, unit, year)
        ]

    @strawberry.field(
        description="某单位及其下级某年登记的治安事件，发生早的在前。需要在该单位拥有 mediation.view。",
        graphql_type=list[IncidentType],
    )
    def mediation_incidents(self, info: strawberry.Info, org_unit_id: strawberry.ID, year: int) -> list[Incident]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id)
        _require(context, d.VIEW.code, unit)
        if not 1900 <= year <= 9999:
            raise UserInputError("INVALID_VALUE", "年份不正确。", "year")
        rows = context.session.scalars(
            select(Incident)
            .where(
                service.in_subtree(Incident.org_path, unit.path),
                Incident.occurred_on >= date(year, 1, 1),
                Incident.occurred_on <= date(year, 12, 31),
            )
            .order_by(Incident.occurred_on, Incident.id)
            .limit(INCIDENT_LIMIT)
        )
        return list(rows)


# --- mutations -------------------------------------------------------------------------------


@strawberry.input(description="一名当事人：登记在册的居民给 residentId；外来人员给姓名（身份证号、电话可选）。")
class DisputePartyInput:
    role: str | None = strawberry.field(
        default=None,
        description="applicant、respondent 或 third_party。",
        deprecation_reason="改用 partyRole（枚举）。",
    )
    party_role: DisputePartyRole | None = strawberry.field(default=None, description="当事人身份。")
    resident_id: strawberry.ID | None = strawberry.field(default=None, description="实有人口中的居民。")
    name: str | None = strawberry.field(default=None, description="外来人员姓名。")
    id_number: str | None = strawberry.field(default=None, description="外来人员身份证号。")
    phone: str | None = strawberry.field(default=None, description="外来人员电话。")


@strawberry.input(description="登记一件矛盾纠纷个案。")
class RegisterDisputeCaseInput:
    org_unit_id: strawberry.ID = strawberry.field(description="登记并承办的单位（通常为社区/村）。")
    title: str = strawberry.field(description="案由。")
    category: str | None = strawberry.field(
        default=None, description="类别代码。", deprecation_reason="改用 caseCategory（枚举）。"
    )
    case_category: DisputeCategory | None = strawberry.field(default=None, description="纠纷类别。")
    source: str | None = strawberry.field(
        default=None, description="来源代码。", deprecation_reason="改用 caseSource（枚举）。"
    )
    case_source: DisputeSource | None = strawberry.field(default=None, description="个案来源。")
    risk_level: str | None = strawberry.field(
        default=None,
        description="风险等级：minor、ordinary、major。",
        deprecation_reason="改用 caseRiskLevel（枚举）。",
    )
    case_risk_level: DisputeRiskLevel | None = strawberry.field(default=None, description="风险等级。")
    facts: str = strawberry.field(description="纠纷事实经过（敏感，脱敏显示）。")
    parties: list[DisputePartyInput] = strawberry.field(default_factory=list, description="当事人。")
    emergency: str | None = strawberry.field(
        default=None,
        description="紧急情形：group_incident 或 mass_petition；立即上报。",
        deprecation_reason="改用 emergencyKind（枚举）。",
    )
    emergency_kind: DisputeEmergency | None = strawberry.field(default=None, description="紧急情形；填写即立即上报。")
    registered_on: date | None = strawberry.field(default=None, description="登记日期；默认今天。")


@strawberry.input(description="对一件个案的操作。")
class DisputeCaseActionInput:
    case_id: strawberry.ID = strawberry.field(description="个案。")
    reason: str | None = strawberry.field(default=None, description="理由或说明（上报、下交、标记紧急时必填）。")


@strawberry.input(description="开始调处。")
class StartMediationInput:
    case_id: strawberry.ID
    mediation_type: str | None = strawberry.field(
        default=None,
        description="people、administrative、judicial 或 joint。",
        deprecation_reason="改用 mediationKind（枚举）。",
    )
    mediation_kind: MediationType | None = strawberry.field(default=None, description="调解方式。")
    mediators: list[str] = strawberry.field(description="调解员姓名。")


@strawberry.input(description="调处完毕。")
class ResolveDisputeCaseInput:
    case_id: strawberry.ID
    outcome: str | None = strawberry.field(
        default=None, description="agreement、reconciled 或 referred。", deprecation_reason="改用 caseOutcome（枚举）。"
    )
    case_outcome: DisputeOutcome | None = strawberry.field(default=None, description="调处结果。")
    agreement: str | None = strawberry.field(default=None, description="调解协议内容；达成协议时必填。")


@strawberry.input(name="RecordFollowUpVisitInput", description="登记一次回访。")
class RecordFollowUpVisitInput:
    case_id: strawberry.ID
    visited_on: date = strawberry.field(description="回访日期。")
    agreement_kept: bool = strawberry.field(description="协议是否履行。")
    note: str | None = strawberry.field(default=None, description="回访情况。")


@strawberry.input(description="下交给下级单位。")
class HandDownDisputeCaseInput:
    case_id: strawberry.ID
    to_org_unit_id: strawberry.ID = strawberry.field(description="接手的下级单位。")
    reason: str = strawberry.field(description="下交理由。")


@strawberry.input(name="FlagDisputeEmergencyInput", description="标记为紧急情形（立即上报）。")
class FlagEmergencyInput:
    case_id: strawberry.ID
    emergency: str | None = strawberry.field(
        default=None, description="group_incident 或 mass_petition。", deprecation_reason="改用 emergencyKind（枚举）。"
    )
    emergency_kind: DisputeEmergency | None = strawberry.field(default=None, description="紧急情形。")
    reason: str = strawberry.field(description="判断依据。")


@strawberry.type
class DisputeCasePayload:
    dispute_case: DisputeCase | None = strawberry.field(default=None, graphql_type=DisputeCaseType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(name="RecordMediationScreeningInput", description="登记一次定期排查（结果为零也须登记）。")
class RecordScreeningInput:
    org_unit_id: strawberry.ID
    screened_on: date = strawberry.field(description="排查日期；按本单位每月排查次数决定所属排查期。")
    disputes_found: int = strawberry.field(default=0, description="发现矛盾纠纷（件）。")
    instability_factors: int = strawberry.field(default=0, description="发现不稳定因素（个）。")
    note: str | None = strawberry.field(default=None, description="排查情况。")


@strawberry.type(name="RecordMediationScreeningPayload")
class ScreeningPayload:
    screening: Screening | None = strawberry.field(default=None, graphql_type=ScreeningType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="报送月度统计表。")
class SubmitMonthlySummaryInput:
    org_unit_id: strawberry.ID
    month: str = strawberry.field(description="月份，YYYY-MM。")
    note: str | None = strawberry.field(default=None, description="说明；零报告时默认“本月辖区内无矛盾纠纷，零报告”。")


@strawberry.type(name="SubmitMonthlySummaryPayload")
class MonthlySummaryPayload:
    summary: MonthlySummaryType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(name="IntakeResidentAppealInput", description="受理一件居民诉求。")
class IntakeAppealInput:
    org_unit_id: strawberry.ID = strawberry.field(description="首办单位。")
    channel: str | None = strawberry.field(
        default=None,
        description="walk_in、phone、hotline、online、letter 或 grid。",
        deprecation_reason="改用 appealChannel（枚举）。",
    )
    appeal_channel: AppealChannel | None = strawberry.field(default=None, description="受理渠道。")
    subject: str = strawberry.field(description="诉求事项。")
    content: str = strawberry.field(description="诉求内容。")
    resident_id: strawberry.ID | None = strawberry.field(default=None, description="实有人口中的居民。")
    appellant_name: str | None = strawberry.field(default=None, description="非登记居民的姓名。")
    phone: str | None = strawberry.field(default=None, description="联系电话。")
    received_on: date | None = strawberry.field(default=None, description="受理日期；默认今天。")


@strawberry.input(name="ResidentAppealActionInput", description="转办、办结或反馈一件诉求。")
class AppealActionInput:
    appeal_id: strawberry.ID
    office: str | None = strawberry.field(default=None, description="转办的承办部门（转办时）。")
    resolution: str | None = strawberry.field(default=None, description="办理结果（办结时）。")
    feedback: str | None = strawberry.field(default=None, description="向居民反馈的内容（反馈时）。")
    satisfaction: str | None = strawberry.field(
        default=None, description="满意度（反馈时）。", deprecation_reason="改用 appealSatisfaction（枚举）。"
    )
    appeal_satisfaction: AppealSatisfaction | None = strawberry.field(default=None, description="满意度（反馈时）。")


@strawberry.type(name="ResidentAppealPayload")
class AppealPayload:
    appeal: Appeal | None = strawberry.field(default=None, graphql_type=AppealType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="上报一件网格事件（八必报）。")
class ReportGridEventInput:
    org_unit_id: strawberry.ID = strawberry.field(description="网格或楼栋。")
    event_type: str | None = strawberry.field(
        default=None,
        description="八类之一，见 GridEvent.eventType。",
        deprecation_reason="改用 gridEventKind（枚举）。",
    )
    grid_event_kind: GridEventKind | None = strawberry.field(default=None, description="事件类型（八类之一）。")
    description: str
    occurred_on: date | None = None
    resident_id: strawberry.ID | None = None


@strawberry.type
class GridEventPayload:
    grid_event: GridEvent | None = strawberry.field(default=None, graphql_type=GridEventType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="核实一件待核实的网格事件（新迁入、房屋出租）。")
class ReviewGridEventInput:
    event_id: strawberry.ID
    note: str = strawberry.field(description="核实情况，如“已在实有人口中登记”。")


@strawberry.input(name="RecordMediationIncidentInput", description="登记一起已发生的治安事件（平安村评定依据）。")
class RecordIncidentInput:
    org_unit_id: strawberry.ID = strawberry.field(description="发生地的社区（村）或其下级单位。")
    kind: str | None = strawberry.field(
        default=None,
        description="collective_petition、group_incident、cult_activity、criminal_case、major_accident 或 security_problem。",
        deprecation_reason="改用 incidentKind（枚举）。",
    )
    incident_kind: MediationIncidentKind | None = strawberry.field(default=None, description="事件类别。")
    occurred_on: date = strawberry.field(description="发生日期。")
    summary: str = strawberry.field(description="简要情况（敏感，脱敏显示）。")


@strawberry.input(
    name="RecordSafetySatisfactionSurveyInput", description="登记某社区（村）某年群众对治安满意度调查结果。"
)
class RecordSurveyInput:
    org_unit_id: strawberry.ID = strawberry.field(description="调查的社区（村）。")
    year: int = strawberry.field(description="调查年度。")
    surveyed_on: date = strawberry.field(description="调查日期。")
    respondents: int = strawberry.field(description="受访人数。")
    satisfied: int = strawberry.field(description="满意人数。")
    basically_satisfied: int = strawberry.field(description="基本满意人数。")
    note: str | None = strawberry.field(default=None, description="调查说明（方式、范围）。")


@strawberry.type(name="RecordSafetySatisfactionSurveyPayload")
class SurveyPayload:
    survey: SatisfactionSurvey | None = strawberry.field(default=None, graphql_type=SatisfactionSurveyType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(name="MediationIncidentPayload")
class IncidentPayload:
    incident: Incident | None = strawberry.field(default=None, graphql_type=IncidentType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _case_for(context: RequestContext, case_id: strawberry.ID, code: str = d.HANDLE.code) -> DisputeCase:
    case = object_for(context, case_id, "DisputeCase", code, field="caseId", lock=True, what="纠纷个案")
    context.audit_subject("DisputeCase", case.id, case.org_unit_id)
    _active(context, org_service.get_unit(context.session, case.org_unit_id), "caseId")
    return case


def _appeal_for(context: RequestContext, appeal_id: strawberry.ID) -> Appeal:
    # The first handler's unit stays responsible: only its staff act on it.
    appeal = object_for(
        context, appeal_id, "ResidentAppeal", d.APPEAL.code, field="appealId", lock=True, what="居民诉求"
    )
    context.audit_subject("ResidentAppeal", appeal.id, appeal.org_unit_id)
    _active(context, org_service.get_unit(context.session, appeal.org_unit_id), "appealId")
    return appeal


@strawberry.type
class MediationMutation:
    @strawberry.mutation(
        description="登记矛盾纠纷个案：需要在该单位拥有 mediation.handle。紧急情形立即上报到街道（按地方策略）。"
    )
    @atomic
    def register_dispute_case(self, info: strawberry.Info, input: RegisterDisputeCaseInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("DisputeCase", None, unit.id)
        _require(context, d.HANDLE.code, unit)
        _active(context, unit)
        parties = [
            service.PartyInput(
                role=required_code(
                    p.role, p.party_role, legacy_field=f"parties.{i}.role", field=f"parties.{i}.partyRole"
                ),
                resident_id=_resident_pk(context, p.resident_id, f"parties.{i}.residentId"),
                name=p.name,
                id_number=p.id_number,
                phone=p.phone,
            )
            for i, p in enumerate(input.parties)
        ]
        case = service.register_case(
            context.session,
            context.settings,
            unit=unit,
            title=input.title,
            category=required_code(input.category, input.case_category, legacy_field="category", field="caseCategory"),
            source=required_code(input.source, input.case_source, legacy_field="source", field="caseSource"),
            risk_level=required_code(
                input.risk_level, input.case_risk_level, legacy_field="riskLevel", field="caseRiskLevel"
            ),
            facts=input.facts,
            parties=parties,
            emergency=optional_code(
                input.emergency, input.emergency_kind, legacy_field="emergency", field="emergencyKind"
            ),
            registered_on=input.registered_on,
            user_id=_user_id(context),
        )
        context.audit_subject("DisputeCase", case.id, unit.id)
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="受理个案（登记、上报或下交后由承办单位受理）。")
    @atomic
    def accept_dispute_case(self, info: strawberry.Info, input: DisputeCaseActionInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        return DisputeCasePayload(dispute_case=service.accept(context.session, case, user_id=_user_id(context)))

    @strawberry.mutation(description="开始调处：调解方式和调解员。")
    @atomic
    def start_mediation(self, info: strawberry.Info, input: StartMediationInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        service.start_mediation(
            context.session,
            case,
            mediation_type=required_code(
                input.mediation_type, input.mediation_kind, legacy_field="mediationType", field="mediationKind"
            ),
            mediators=input.mediators,
            user_id=_user_id(context),
        )
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="调处完毕：只能在地方策略允许调结此风险等级的层级（超出权限的须上报）。")
    @atomic
    def resolve_dispute_case(self, info: strawberry.Info, input: ResolveDisputeCaseInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        service.resolve(
            context.session,
            context.settings,
            case,
            outcome=required_code(input.outcome, input.case_outcome, legacy_field="outcome", field="caseOutcome"),
            agreement=input.agreement,
            user_id=_user_id(context),
        )
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="登记回访。")
    @atomic
    def record_follow_up_visit(self, info: strawberry.Info, input: RecordFollowUpVisitInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        service.record_follow_up(
            context.session,
            case,
            visited_on=input.visited_on,
            agreement_kept=input.agreement_kept,
            note=input.note,
            user_id=_user_id(context),
        )
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="结案：回访后（引导诉讼的可直接结案），且只能在权限内的层级。")
    @atomic
    def close_dispute_case(self, info: strawberry.Info, input: DisputeCaseActionInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        service.close(context.session, context.settings, case, reason=input.reason, user_id=_user_id(context))
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="逐级上报到上一级（须填理由）；到三级调处的最高一级后不能再上报。")
    @atomic
    def escalate_dispute_case(self, info: strawberry.Info, input: DisputeCaseActionInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        service.escalate(context.session, context.settings, case, reason=input.reason, user_id=_user_id(context))
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="下交给下级单位承办（须填理由）。")
    @atomic
    def hand_down_dispute_case(self, info: strawberry.Info, input: HandDownDisputeCaseInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        target = _unit(context, input.to_org_unit_id, "toOrgUnitId")
        _active(context, target, "toOrgUnitId")
        service.hand_down(context.session, case, target, reason=input.reason, user_id=_user_id(context))
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(description="标记为可能引发群体性事件或集体上访：立即上报到街道（按地方策略），由领导处置。")
    @atomic
    def flag_dispute_emergency(self, info: strawberry.Info, input: FlagEmergencyInput) -> DisputeCasePayload:
        context: RequestContext = info.context
        case = _case_for(context, input.case_id)
        service.flag_emergency(
            context.session,
            context.settings,
            case,
            emergency=required_code(
                input.emergency, input.emergency_kind, legacy_field="emergency", field="emergencyKind"
            ),
            reason=input.reason,
            user_id=_user_id(context),
        )
        return DisputeCasePayload(dispute_case=case)

    @strawberry.mutation(
        description="登记定期排查（零结果也须登记），同时报送本期排查事项（无发现时为零报告）。需要 mediation.report。"
    )
    @atomic
    def record_mediation_screening(self, info: strawberry.Info, input: RecordScreeningInput) -> ScreeningPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("MediationScreening", None, unit.id)
        _require(context, d.REPORT.code, unit)
        _active(context, unit)
        row = service.record_screening(
            context.session,
            host_of(context),
            unit,
            screened_on=input.screened_on,
            disputes_found=input.disputes_found,
            instability_factors=input.instability_factors,
            note=input.note,
            user_id=_user_id(context),
        )
        return ScreeningPayload(screening=row)

    @strawberry.mutation(
        description="报送月度统计表：按个案和排查记录汇总，经报送日历报送；无事项时为零报告（与未报不同）。已锁定的期次不能报送。需要 mediation.report。"
    )
    @atomic
    def submit_monthly_summary(self, info: strawberry.Info, input: SubmitMonthlySummaryInput) -> MonthlySummaryPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("OrgUnit", unit.id, unit.id, detail={"month": input.month[:16]})
        _require(context, d.REPORT.code, unit)
        _active(context, unit)
        _row, instance = service.submit_monthly_summary(
            context.session, host_of(context), unit, input.month, note=input.note, user_id=_user_id(context)
        )
        context.audit_subject("ObligationInstance", instance.id, unit.id, detail={"month": input.month[:16]})
        period = service.month_period(input.month)
        return MonthlySummaryPayload(summary=_summary_type(context.session, unit, input.month, period))

    @strawberry.mutation(
        description="受理居民诉求：受理单位为首办单位，负责到底；办理时限按地方策略。需要 mediation.appeal。"
    )
    @atomic
    def intake_resident_appeal(self, info: strawberry.Info, input: IntakeAppealInput) -> AppealPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("ResidentAppeal", None, unit.id)
        _require(context, d.APPEAL.code, unit)
        _active(context, unit)
        appeal = service.intake_appeal(
            context.session,
            unit,
            channel=required_code(input.channel, input.appeal_channel, legacy_field="channel", field="appealChannel"),
            resident_id=_resident_pk(context, input.resident_id, "residentId"),
            appellant_name=input.appellant_name,
            phone=input.phone,
            subject=input.subject,
            content=input.content,
            received_on=input.received_on,
            user_id=_user_id(context),
        )
        return AppealPayload(appeal=appeal)

    @strawberry.mutation(description="转办给承办部门；首办单位仍负责跟踪、反馈。")
    @atomic
    def forward_resident_appeal(self, info: strawberry.Info, input: AppealActionInput) -> AppealPayload:
        context: RequestContext = info.context
        appeal = _appeal_for(context, input.appeal_id)
        return AppealPayload(appeal=service.forward_appeal(context.session, appeal, office=input.office or ""))

    @strawberry.mutation(description="办结诉求。")
    @atomic
    def resolve_resident_appeal(self, info: strawberry.Info, input: AppealActionInput) -> AppealPayload:
        context: RequestContext = info.context
        appeal = _appeal_for(context, input.appeal_id)
        return AppealPayload(appeal=service.resolve_appeal(context.session, appeal, resolution=input.resolution or ""))

    @strawberry.mutation(description="向居民反馈办理结果并记录满意度。")
    @atomic
    def give_appeal_feedback(self, info: strawberry.Info, input: AppealActionInput) -> AppealPayload:
        context: RequestContext = info.context
        appeal = _appeal_for(context, input.appeal_id)
        service.feedback_appeal(
            context.session,
            appeal,
            feedback=input.feedback or "",
            satisfaction=optional_code(
                input.satisfaction, input.appeal_satisfaction, legacy_field="satisfaction", field="appealSatisfaction"
            )
            or "",
        )
        return AppealPayload(appeal=appeal)

    @strawberry.mutation(description="上报网格事件（八必报），按类型自动分派。需要 mediation.report_event。")
    @atomic
    def report_grid_event(self, info: strawberry.Info, input: ReportGridEventInput) -> GridEventPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("GridEvent", None, unit.id)
        _require(context, d.REPORT_EVENT.code, unit)
        _active(context, unit)
        event = service.report_grid_event(
            context.session,
            context.settings,
            host_of(context),
            unit,
            event_type=required_code(
                input.event_type, input.grid_event_kind, legacy_field="eventType", field="gridEventKind"
            ),
            description=input.description,
            occurred_on=input.occurred_on,
            resident_id=_resident_pk(context, input.resident_id, "residentId"),
            user_id=_user_id(context),
        )
        return GridEventPayload(grid_event=event)

    @strawberry.mutation(
        description="核实网格事件（新迁入、房屋出租）后标记为已处理。需要在事件所在单位拥有 mediation.handle。"
    )
    @atomic
    def review_grid_event(self, info: strawberry.Info, input: ReviewGridEventInput) -> GridEventPayload:
        context: RequestContext = info.context
        event = object_for(
            context, input.event_id, "GridEvent", d.HANDLE.code, field="eventId", lock=True, what="网格事件"
        )
        context.audit_subject("GridEvent", event.id, event.org_unit_id)
        _active(context, org_service.get_unit(context.session, event.org_unit_id), "eventId")
        service.review_grid_event(context.session, event, note=input.note, user_id=_user_id(context))
        return GridEventPayload(grid_event=event)

    @strawberry.mutation(
        description="登记已发生的治安事件（集体上访、群体性事件、邪教和非法宗教活动、刑事案件、重大治安灾害事故、突出治安问题），作为平安村评定依据。需要 mediation.handle。"
    )
    @atomic
    def record_mediation_incident(self, info: strawberry.Info, input: RecordIncidentInput) -> IncidentPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("MediationIncident", None, unit.id)
        _require(context, d.HANDLE.code, unit)
        _active(context, unit)
        row = service.record_incident(
            context.session,
            unit,
            kind=required_code(input.kind, input.incident_kind, legacy_field="kind", field="incidentKind"),
            occurred_on=input.occurred_on,
            summary=input.summary,
            user_id=_user_id(context),
        )
        return IncidentPayload(incident=row)

    @strawberry.mutation(
        description="登记社区（村）某年群众对治安满意度调查结果（平安村评定依据），每单位每年一次。需要 mediation.supervise。"
    )
    @atomic
    def record_safety_satisfaction_survey(self, info: strawberry.Info, input: RecordSurveyInput) -> SurveyPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id)
        context.audit_subject("SafetySatisfactionSurvey", None, unit.id)
        _require(context, d.SUPERVISE.code, unit)
        _active(context, unit)
        row = service.record_satisfaction_survey(
            context.session,
            unit,
            year=input.year,
            surveyed_on=input.surveyed_on,
            respondents=input.respondents,
            satisfied=input.satisfied,
            basically_satisfied=input.basically_satisfied,
            note=input.note,
            user_id=_user_id(context),
        )
        context.audit_subject("SafetySatisfactionSurvey", row.id, unit.id)
        return SurveyPayload(survey=row)
