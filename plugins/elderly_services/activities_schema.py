"""GraphQL of elderly activities and 敬老 events."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import strawberry
from sqlalchemy import ColumnElement, func, or_, select

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
    decode_pk,
    model_type,
    paginate,
)
from core.auth.permissions import require_signed_in, require_somewhere, scope_condition
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.policy.service import local_today
from plugins.elderly_services import activities
from plugins.elderly_services.declarations import CARE, VIEW
from plugins.elderly_services.enums import ElderlyActivityKind
from plugins.elderly_services.models import (
    ACTIVITY_KINDS,
    ElderlyActivity,
    ElderlyActivityParticipant,
)


def _visible(context: RequestContext) -> ColumnElement[bool]:
    return or_(
        scope_condition(context, VIEW.code, ElderlyActivity.org_path),
        scope_condition(context, CARE.code, ElderlyActivity.org_path),
    )


def load_activities(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
    if not wanted:
        return {}
    rows = context.session.scalars(select(ElderlyActivity).where(ElderlyActivity.id.in_(wanted), _visible(context)))
    return {row.id: row for row in rows}


@model_type(ElderlyActivity, name="ElderlyActivity", description="老年人活动或敬老活动。")
class ElderlyActivityType(Node):
    title: str
    kind: str = strawberry.field(
        description="activity、respect、education 或 health。", deprecation_reason="改用 activityKind（枚举）。"
    )

    @strawberry.field(description="活动种类。")
    def activity_kind(self) -> ElderlyActivityKind:
        return ElderlyActivityKind(self.kind)

    held_on: date
    place: str | None

    @strawberry.field(description="类别的中文名称。")
    def kind_name(self) -> str:
        return ACTIVITY_KINDS.get(self.kind, self.kind)

    @strawberry.field(description="参加人数。")
    def participant_count(self, root: ElderlyActivity, info: strawberry.Info) -> int:
        return int(
            info.context.session.scalar(select(func.count()).where(ElderlyActivityParticipant.activity_id == root.id))
            or 0
        )

    @strawberry.field(description="参加居民的姓名（来自核心人口库）。")
    def participant_names(self, root: ElderlyActivity, info: strawberry.Info) -> list[str]:
        return list(
            info.context.session.scalars(
                select(Resident.name)
                .join(ElderlyActivityParticipant, ElderlyActivityParticipant.resident_id == Resident.id)
                .where(ElderlyActivityParticipant.activity_id == root.id)
                .order_by(ElderlyActivityParticipant.id)
            )
        )

    @strawberry.field(description="举办单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: ElderlyActivity, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@strawberry.type
class ActivitiesQuery:
    @strawberry.field(description="某单位及其下级举办的老年人活动和敬老活动，最近的在前。")
    def elderly_activities(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[ElderlyActivityType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        root = org_service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
        statement = select(ElderlyActivity).where(
            org_service.in_subtree(ElderlyActivity.org_path, root.path), _visible(context)
        )
        return paginate(
            context, statement, (ElderlyActivity.held_on, ElderlyActivity.id), first=first, after=after, descending=True
        )


@strawberry.input(description="登记一次老年人活动或敬老活动及参加的居民。")
class RecordElderlyActivityInput:
    org_unit_id: strawberry.ID
    title: str
    kind: str | None = strawberry.field(
        default=None,
        description="activity（文体活动）、respect（敬老活动）、education（学习教育）或 health（健康保健）。",
        deprecation_reason="改用 activityKind（枚举）。",
    )
    activity_kind: ElderlyActivityKind | None = strawberry.field(default=None, description="活动种类。")
    held_on: date
    place: str | None = None
    participant_ids: list[strawberry.ID] = strawberry.field(description="参加的居民（人口库中的居民 ID）。")


@strawberry.type
class ElderlyActivityPayload:
    activity: ElderlyActivity | None = strawberry.field(default=None, graphql_type=ElderlyActivityType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ActivitiesMutation:
    @strawberry.mutation(
        description="登记老年人活动：须在举办单位拥有 elderly_services.care 权限；参加者须为可查看的居民。"
    )
    @atomic
    def record_elderly_activity(
        self, info: strawberry.Info, input: RecordElderlyActivityInput
    ) -> ElderlyActivityPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        unit = org_service.get_unit(
            context.session, decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId"), field="orgUnitId"
        )
        context.audit_subject("ElderlyActivity", None, unit.id)
        participants = [
            resident_pk_for(context, rid, field=f"participantIds.{index}", permission=CARE.code)
            for index, rid in enumerate(input.participant_ids)
        ]
        activity = activities.record_activity(
            context.session,
            context,
            unit,
            title=input.title,
            kind=required_code(input.kind, input.activity_kind, legacy_field="kind", field="activityKind"),
            held_on=input.held_on,
            place=input.place,
            participant_ids=[pk for pk in participants if pk is not None],
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject("ElderlyActivity", activity.id, unit.id)
        return ElderlyActivityPayload(activity=activity)
