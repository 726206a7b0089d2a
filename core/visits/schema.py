"""GraphQL for visits: the declared programmes, a worker's own list (most
overdue first), a supervisor's overdue list and coverage down a subtree,
recording visits and enrolling residents. Every list is filtered in SQL by
the caller's scope and paged by keyset."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy import and_, false, or_, select

from core.api.activation import check_scope_active
from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import resident_pk_for
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import (
    MAX_INTEGER_PK,
    Connection,
    Node,
    NodeLoader,
    decode_pk,
    encode_global_id,
    model_type,
    paginate,
)
from core.api.rows import required_row_as, row_as
from core.auth.permissions import (
    can,
    require_signed_in,
    require_somewhere,
    scope_condition,
)
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.people.schema import ResidentType
from core.plugin_host import host_of
from core.policy.registry import registry_for_context as policy_registry_for_context
from core.policy.service import local_today, require_plugin_active
from core.visits import responsibility, service
from core.visits.enums import VisitMethod
from core.visits.models import METHOD_NAMES, Visit, VisitEnrolment, VisitSchedule
from core.visits.programmes import VisitProgramme, programme_for, programmes_for

PEOPLE_VIEW = "people.view"
PEOPLE_VIEW_SENSITIVE = "people.view_sensitive"
MASK = "***"


def _programmes(context: RequestContext) -> Mapping[str, VisitProgramme]:
    return programmes_for(host_of(context))


def _visible(model: Any, context: RequestContext) -> Any:
    """Rows of any programme where the caller holds its view or record permission."""
    terms = [
        and_(
            model.programme == p.code,
            or_(
                scope_condition(context, p.view_permission, model.org_path),
                scope_condition(context, p.record_permission, model.org_path),
            ),
        )
        for p in _programmes(context).values()
    ]
    return or_(*terms) if terms else false()


def _stated_purpose(programme: VisitProgramme, purpose: str | None) -> str | None:
    """The purpose a read of an audited programme must state (PURPOSE_REQUIRED without one)."""
    from core.privacy.audited import clean_purpose

    return clean_purpose(purpose) if programme.audited_as else None


def _log_reads(
    context: RequestContext,
    programme: VisitProgramme,
    rows: Sequence[Any],
    *,
    kind: str,
    purpose: str | None,
    unit_id: int | None = None,
) -> None:
    """One audited read of ``rows`` of an audited programme (``core.privacy.audited``)."""
    if not programme.audited_as or purpose is None:
        return
    from core.privacy.audited import ReadEntry, log_reads

    entries = [ReadEntry(row.id, row.resident_id, row.org_unit_id, row.org_path) for row in rows]
    log_reads(context, programme.audited_as, entries, kind=kind, purpose=purpose, org_unit_id=unit_id)


def _loader(model: Any) -> NodeLoader:
    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        from core.privacy.audited import PURPOSE_KEY

        wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
        if not wanted:
            return {}
        rows = list(context.session.scalars(select(model).where(model.id.in_(wanted), _visible(model, context))))
        if not getattr(context, "in_mutation", False):
            programmes = _programmes(context)
            for code in sorted({row.programme for row in rows}):
                programme = programmes.get(code)
                if programme is None or not programme.audited_as:
                    continue
                purpose = _stated_purpose(programme, context.cache.get(PURPOSE_KEY))
                _log_reads(context, programme, [r for r in rows if r.programme == code], kind="node", purpose=purpose)
        return {row.id: row for row in rows}

    return load


load_schedules = _loader(VisitSchedule)
load_visits = _loader(Visit)
load_enrolments = _loader(VisitEnrolment)


def _category_visible(context: RequestContext, row: Any) -> bool:
    programme = _programmes(context).get(row.programme)
    category = programme.category(row.category) if programme else None
    sensitive = category.sensitive if category is not None else True
    return not sensitive or can(context, PEOPLE_VIEW_SENSITIVE, row.org_path)


def _category_name(context: RequestContext, row: Any) -> str:
    if not _category_visible(context, row):
        return MASK
    programme = _programmes(context).get(row.programme)
    category = programme.category(row.category) if programme else None
    return category.name if category else row.category


@strawberry.type(name="VisitCategory", description="走访项目的对象类别及其走访周期（地方政策）。")
class VisitCategoryType:
    code: str
    name: str = strawberry.field(description="中文名称。")
    interval_key: str = strawberry.field(description="走访周期（天）的政策键。")
    sensitive: bool = strawberry.field(description="是否敏感类别：无 people.view_sensitive 权限时显示为 ***。")


@strawberry.type(name="VisitProgramme", description="插件声明的走访项目。")
class VisitProgrammeType:
    code: str
    name: str = strawberry.field(description="中文名称。")
    plugin: str = strawberry.field(description="声明此项目的插件。")
    record_permission: str = strawberry.field(description="负责走访（登记走访、认定对象）的权限。")
    view_permission: str = strawberry.field(description="督导（查看逾期名单和覆盖情况）的权限。")
    categories: list[VisitCategoryType]


def _programme_type(p: VisitProgramme) -> VisitProgrammeType:
    return VisitProgrammeType(
        code=p.code,
        name=p.name,
        plugin=p.plugin,
        record_permission=p.record_permission,
        view_permission=p.view_permission,
        categories=[
            VisitCategoryType(code=c.code, name=c.name, interval_key=c.interval_key, sensitive=c.sensitive)
            for c in p.categories
        ],
    )


# The rows behind the types that share ``_ResidentFields``.
_ResidentRow = VisitSchedule | Visit | VisitEnrolment


@strawberry.type(name="VisitResidentFields")
class _ResidentFields:
    programme: str = strawberry.field(description="走访项目代码。")

    @strawberry.field(description="居民姓名（来自核心人口库）。")
    def resident_name(self, root: _ResidentRow, info: strawberry.Info) -> str:
        resident = related(info.context, root, "resident_id", Resident)
        return resident.name if resident else ""

    @strawberry.field(description="核心人口库中的居民记录；无 people.view 权限时为空。")
    def resident(self, root: _ResidentRow, info: strawberry.Info) -> ResidentType | None:
        resident = related(info.context, root, "resident_id", Resident)
        visible = resident is not None and can(info.context, PEOPLE_VIEW, resident.org_path)
        return row_as(ResidentType, resident if visible else None)

    @strawberry.field(description="居民所在组织单位。")
    def org_unit(self, root: _ResidentRow, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))


@model_type(
    VisitSchedule,
    name="VisitDue",
    description="一位走访对象的下次走访：上次走访日期加走访周期；从未走访的，自纳入之日起算。",
)
class VisitDueType(_ResidentFields, Node):
    interval_days: int = strawberry.field(description="适用的走访周期（天）：对象所属类别中最短的。")
    since: date = strawberry.field(description="纳入走访对象的日期。")
    last_visited_on: date | None = strawberry.field(description="上次走访日期。")
    due_on: date = strawberry.field(description="下次应走访日期。")

    @strawberry.field(
        description="适用走访周期的类别代码（见 visitProgrammes 的 categories）；敏感类别无权查看时为 ***。"
    )
    def category(self, root: VisitSchedule, info: strawberry.Info) -> str:
        return root.category if _category_visible(info.context, root) else MASK

    @strawberry.field(description="类别的中文名称；敏感类别无权查看时为 ***。")
    def category_name(self, root: VisitSchedule, info: strawberry.Info) -> str:
        return _category_name(info.context, root)

    @strawberry.field(description="逾期天数；未逾期为 0。")
    def days_overdue(self) -> int:
        return max(0, (local_today() - self.due_on).days)


@model_type(Visit, name="Visit", description="一次走访记录。")
class VisitType(_ResidentFields, Node):
    visited_on: date = strawberry.field(description="走访日期。")
    method: str = strawberry.field(
        description="走访方式：home、phone 或 video。", deprecation_reason="改用 visitMethod（枚举）。"
    )

    @strawberry.field(description="走访方式。")
    def visit_method(self) -> VisitMethod:
        return VisitMethod(self.method)

    findings: str = strawberry.field(description="走访情况。")
    follow_up_needed: bool = strawberry.field(description="是否需要跟进。")
    follow_up_note: str | None = strawberry.field(description="跟进事项。")

    @strawberry.field(description="走访方式的中文名称。")
    def method_name(self) -> str:
        return METHOD_NAMES.get(self.method, self.method)

    @strawberry.field(description="走访人的用户 ID。")
    def visitor_id(self, root: Visit) -> strawberry.ID | None:
        pk = root.visitor_id
        return strawberry.ID(encode_global_id("User", pk)) if pk else None


@model_type(VisitEnrolment, name="VisitEnrolment", description="居民被认定为走访项目某类对象的记录（依据、起止日期）。")
class VisitEnrolmentType(_ResidentFields, Node):
    enrolled_from: date = strawberry.field(description="起始日期。")
    enrolled_until: date | None = strawberry.field(description="截止日期；为空时长期有效。")

    @strawberry.field(description="类别代码（见 visitProgrammes 的 categories）；敏感类别无权查看时为 ***。")
    def category(self, root: VisitEnrolment, info: strawberry.Info) -> str:
        return root.category if _category_visible(info.context, root) else MASK

    @strawberry.field(description="类别的中文名称；敏感类别无权查看时为 ***。")
    def category_name(self, root: VisitEnrolment, info: strawberry.Info) -> str:
        return _category_name(info.context, root)

    @strawberry.field(description="认定依据；敏感类别无权查看时为 ***。")
    def reason(self, root: VisitEnrolment, info: strawberry.Info) -> str:
        return root.reason if _category_visible(info.context, root) else MASK


@strawberry.type(name="VisitCoverage", description="一个单位的走访覆盖情况。")
class VisitCoverageType:
    org_unit: OrgUnitType
    scheduled: int = strawberry.field(description="走访对象人数。")
    overdue: int = strawberry.field(description="已逾期未走访的人数。")
    visited: int = strawberry.field(description="已走访且未到下次走访日期的人数。")


def _unit(context: RequestContext, global_id: str, field: str) -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


@strawberry.type
class VisitsQuery:
    @strawberry.field(description="本部署声明的走访项目。")
    def visit_programmes(self, info: strawberry.Info) -> list[VisitProgrammeType]:
        require_signed_in(info.context)
        return [_programme_type(p) for p in _programmes(info.context).values()]

    @strawberry.field(
        description="我负责的走访对象，逾期最久的在前：指定了负责岗位或负责人的单位，只列给在任岗位人或负责人；其余单位列给有该项目走访权限的人。须审计的项目（如计划生育服务随访）须给出 purpose，每次查阅记入审计。"
    )
    def my_visit_list(
        self,
        info: strawberry.Info,
        programme: Annotated[str, strawberry.argument(description="走访项目代码，见 visitProgrammes。")],
        first: int | None = None,
        after: str | None = None,
        purpose: str | None = None,
    ) -> Connection[VisitDueType]:
        context: RequestContext = info.context
        found = programme_for(context, programme)
        require_somewhere(context, found.record_permission)
        check_scope_active(context, found.plugin)
        stated = _stated_purpose(found, purpose)
        statement = responsibility.own_list_statement(context.session, context, found, local_today())
        page = paginate(context, statement, service.SCHEDULE_ORDER, first=first, after=after)
        _log_reads(context, found, [edge.node for edge in page.edges], kind="list", purpose=stated)
        return page

    @strawberry.field(
        description="某单位及其下级已逾期的走访对象，逾期最久的在前；须有该项目的督导权限。须审计的项目（如计划生育服务随访）须给出 purpose，每次查阅记入审计。"
    )
    def overdue_visits(
        self,
        info: strawberry.Info,
        programme: Annotated[str, strawberry.argument(description="走访项目代码，见 visitProgrammes。")],
        under: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        purpose: str | None = None,
    ) -> Connection[VisitDueType]:
        context: RequestContext = info.context
        found = programme_for(context, programme)
        require_somewhere(context, found.view_permission)
        root = require_plugin_active(context, _unit(context, under, "under"), found.plugin, field="under")
        stated = _stated_purpose(found, purpose)
        statement = service.overdue_statement(context, found, root, local_today())
        page = paginate(context, statement, service.SCHEDULE_ORDER, first=first, after=after)
        _log_reads(context, found, [edge.node for edge in page.edges], kind="list", purpose=stated, unit_id=root.id)
        return page

    @strawberry.field(description="某单位及其各直属下级的走访覆盖情况（第一项为该单位本身）；只统计有督导权限的范围。")
    def visit_coverage(
        self,
        info: strawberry.Info,
        programme: Annotated[str, strawberry.argument(description="走访项目代码，见 visitProgrammes。")],
        under: strawberry.ID,
    ) -> list[VisitCoverageType]:
        context: RequestContext = info.context
        found = programme_for(context, programme)
        require_somewhere(context, found.view_permission)
        root = require_plugin_active(context, _unit(context, under, "under"), found.plugin, field="under")
        return [
            VisitCoverageType(
                org_unit=row_as(OrgUnitType, c.org_unit), scheduled=c.scheduled, overdue=c.overdue, visited=c.visited
            )
            for c in service.coverage(context.session, context, found, root, local_today())
        ]

    @strawberry.field(
        description="某居民在某项目下的走访记录，最近的在前。须审计的项目（如计划生育服务随访）须给出 purpose，每次查阅记入审计。"
    )
    def resident_visits(
        self,
        info: strawberry.Info,
        programme: Annotated[str, strawberry.argument(description="走访项目代码，见 visitProgrammes。")],
        resident_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
        purpose: str | None = None,
    ) -> Connection[VisitType]:
        context: RequestContext = info.context
        found = programme_for(context, programme)
        require_signed_in(context)
        pk = decode_pk(resident_id, "Resident", field="residentId")
        stated = _stated_purpose(found, purpose)
        statement = select(Visit).where(
            Visit.programme == found.code, Visit.resident_id == pk, _visible(Visit, context)
        )
        page = paginate(context, statement, (Visit.visited_on, Visit.id), first=first, after=after, descending=True)
        _log_reads(context, found, [edge.node for edge in page.edges], kind="list", purpose=stated)
        return page


# --- mutations ----------------------------------------------------------------------


@strawberry.input(description="登记一次走访。")
class RecordVisitInput:
    programme: str = strawberry.field(description="走访项目代码，见 visitProgrammes。")
    resident_id: strawberry.ID
    visited_on: date
    method: str | None = strawberry.field(
        default=None,
        description="走访方式：home（入户）、phone（电话）或 video（视频）。",
        deprecation_reason="改用 visitMethod（枚举）。",
    )
    visit_method: VisitMethod | None = strawberry.field(default=None, description="走访方式。")
    findings: str = strawberry.field(description="走访情况。")
    follow_up_needed: bool = False
    follow_up_note: str | None = strawberry.field(default=None, description="需要跟进时写明跟进事项。")


@strawberry.input(description="认定居民为走访项目某类对象（如特困、孤寡），写明依据和起止日期。")
class EnrolInVisitProgrammeInput:
    programme: str
    resident_id: strawberry.ID
    category: str = strawberry.field(description="走访类别代码（见 visitProgrammes 的 categories）。")
    reason: str = strawberry.field(description="认定依据。")
    enrolled_from: date
    enrolled_until: date | None = None


@strawberry.type
class RecordVisitPayload:
    visit: VisitType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EnrolInVisitProgrammePayload:
    enrolment: VisitEnrolmentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _resident(context: RequestContext, global_id: str, programme: VisitProgramme) -> Resident:
    pk = resident_pk_for(context, global_id, field="residentId", permission=programme.record_permission)
    resident = context.session.get(Resident, pk)
    assert resident is not None
    return resident


@strawberry.type
class VisitsMutation:
    @strawberry.mutation(
        description="登记走访：须在居民所在单位拥有该项目的走访权限；居民须为走访对象。下次走访日期随之更新。"
    )
    @atomic
    def record_visit(self, info: strawberry.Info, input: RecordVisitInput) -> RecordVisitPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        programme = programme_for(context, input.programme)
        resident = _resident(context, input.resident_id, programme)
        context.audit_subject("Visit", None, resident.org_unit_id)
        visit = service.record_visit(
            context.session,
            context,
            programme,
            resident,
            visited_on=input.visited_on,
            method=required_code(input.method, input.visit_method, legacy_field="method", field="visitMethod"),
            findings=input.findings,
            follow_up_needed=input.follow_up_needed,
            follow_up_note=input.follow_up_note,
            visitor_id=principal.user_id,
            today=local_today(),
            registry=policy_registry_for_context(context),
        )
        context.audit_subject("Visit", visit.id, resident.org_unit_id)
        return RecordVisitPayload(visit=row_as(VisitType, visit))

    @strawberry.mutation(description="认定走访对象：须在居民所在单位拥有该项目的走访权限。")
    @atomic
    def enrol_in_visit_programme(
        self, info: strawberry.Info, input: EnrolInVisitProgrammeInput
    ) -> EnrolInVisitProgrammePayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        programme = programme_for(context, input.programme)
        resident = _resident(context, input.resident_id, programme)
        context.audit_subject("VisitEnrolment", None, resident.org_unit_id)
        enrolment = service.enrol(
            context.session,
            context,
            programme,
            resident,
            category=input.category,
            reason=input.reason,
            enrolled_from=input.enrolled_from,
            enrolled_until=input.enrolled_until,
            enrolled_by_id=principal.user_id,
            today=local_today(),
            registry=policy_registry_for_context(context),
        )
        context.audit_subject("VisitEnrolment", enrolment.id, resident.org_unit_id)
        return EnrolInVisitProgrammePayload(enrolment=row_as(VisitEnrolmentType, enrolment))
