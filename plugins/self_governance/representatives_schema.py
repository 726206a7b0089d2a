"""GraphQL of the assembly's representatives (成员代表): seats as core posts,
their residents' group, vacancies filled from the same group."""

from __future__ import annotations

from datetime import date

import strawberry

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_in_scope
from core.api.mutations import atomic
from core.api.relay import decode_pk, encode_global_id
from core.api.rows import row_as
from core.auth.permissions import require, require_signed_in
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.policy.service import local_today
from core.posts.models import Body, PostAssignment
from plugins.self_governance import representatives
from plugins.self_governance.common import active_community
from plugins.self_governance.declarations import MANAGE, VIEW
from plugins.self_governance.schema_common import community_input, resident_input


@strawberry.type(description="一个居民小组的成员代表人数。")
class GroupRepresentationType:
    group: OrgUnitType
    count: int


@strawberry.type(description="社区成员代表大会的组成：在任代表人数、每组人数、驻区单位代表数和按地方策略的提示。")
class AssemblyCompositionType:
    total: int = strawberry.field(description="在任成员代表总数。")
    minimum: int = strawberry.field(description="地方策略规定的最少人数（默认 30）。")
    resident_units: int = strawberry.field(description="驻区单位代表人数。")
    per_group: list[GroupRepresentationType]
    warnings: list[str] = strawberry.field(description="少于规定人数等提示（不阻止工作）。")


@strawberry.type
class RepresentativesQuery:
    @strawberry.field(
        description="某社区成员代表大会在 on 日（默认今天）的组成；须在社区有 self_governance.view 权限。"
    )
    def assembly_composition(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, on: date | None = None
    ) -> AssemblyCompositionType:
        context: RequestContext = info.context
        require_signed_in(context)
        unit = org_service.get_unit(
            context.session, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId"), field="orgUnitId"
        )
        require(context, VIEW.code, unit)
        community = active_community(context, unit)
        found = representatives.composition(context.session, community, on or local_today())
        return AssemblyCompositionType(
            total=found.total,
            minimum=found.minimum,
            resident_units=found.resident_units,
            warnings=found.warnings,
            per_group=[
                GroupRepresentationType(group=row_as(OrgUnitType, share.group), count=share.count)
                for share in found.per_group
            ],
        )


@strawberry.input(description="登记一名成员代表（核心职务“代表”），代表其居民小组或驻区单位。")
class AppointRepresentativeInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区。")
    resident_id: strawberry.ID
    term_start: date
    term_end: date | None = None
    resident_unit: str | None = strawberry.field(default=None, description="驻区单位代表：单位名称；居民小组代表不填。")


@strawberry.input(description="成员代表出缺，由原居民小组补选。")
class FillRepresentativeVacancyInput:
    assignment_id: strawberry.ID = strawberry.field(description="出缺代表的任职记录（核心职务）。")
    resident_id: strawberry.ID = strawberry.field(description="补选的代表：原居民小组的居民。")
    on: date
    reason: str = strawberry.field(description="出缺原因，如迁出、辞去代表职务。")


@strawberry.type
class RepresentativePayload:
    post_assignment_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RepresentativesMutation:
    @strawberry.mutation(
        description="登记成员代表：须为本社区有选举权的居民；每个居民小组不超过地方策略规定的人数（默认 3 名）。"
    )
    @atomic
    def appoint_representative(self, info: strawberry.Info, input: AppointRepresentativeInput) -> RepresentativePayload:
        context: RequestContext = info.context
        require_signed_in(context)
        _, community = community_input(context, input.org_unit_id, MANAGE.code)
        resident = resident_input(context, input.resident_id, MANAGE.code, field="residentId")
        seat = representatives.appoint(
            context.session,
            community,
            resident,
            term_start=input.term_start,
            term_end=input.term_end,
            resident_unit=input.resident_unit,
        )
        return RepresentativePayload(
            post_assignment_id=strawberry.ID(encode_global_id("PostAssignment", seat.assignment_id))
        )

    @strawberry.mutation(description="成员代表出缺时由原居民小组补选，补选的代表任职至本届期满。")
    @atomic
    def fill_representative_vacancy(
        self, info: strawberry.Info, input: FillRepresentativeVacancyInput
    ) -> RepresentativePayload:
        context: RequestContext = info.context
        require_signed_in(context)
        found = object_in_scope(
            context,
            input.assignment_id,
            PostAssignment,
            "PostAssignment",
            (MANAGE.code,),
            field="assignmentId",
            what="任职记录",
        )
        session = context.session
        assignment = session.get(PostAssignment, found.id, with_for_update=True, populate_existing=True)
        assert assignment is not None  # found just above; a RESTRICT foreign key keeps it
        body = session.get(Body, assignment.body_id)
        unit = session.get(OrgUnit, body.org_unit_id) if body is not None else None
        assert unit is not None
        community = active_community(context, unit, field="assignmentId")
        resident = resident_input(context, input.resident_id, MANAGE.code, field="residentId")
        seat = representatives.fill_vacancy(session, community, assignment, resident, on=input.on, reason=input.reason)
        return RepresentativePayload(
            post_assignment_id=strawberry.ID(encode_global_id("PostAssignment", seat.assignment_id))
        )
