"""GraphQL for the volunteer register.

Listing needs ``volunteer.view`` and shows only the volunteers of units
where the caller holds it (filtered in SQL through the unit's path);
registering needs ``volunteer.register`` at the volunteer's unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import strawberry
from sqlalchemy import Select, select

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.mutations import atomic
from core.api.relay import MAX_INTEGER_PK, Connection, Node, decode_pk, model_type, paginate
from core.api.rows import row_as
from core.auth.permissions import registry_for_context, require, require_somewhere, scope_condition
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from jiceng_volunteer import service
from jiceng_volunteer.declarations import REGISTER, VIEW
from jiceng_volunteer.models import Volunteer


def visible_volunteers(who: Any) -> Select[Volunteer]:
    """The volunteers of units where ``who`` holds ``volunteer.view``: the
    volunteer's unit joined for its path, filtered in SQL."""
    return (
        select(Volunteer)
        .join(OrgUnit, OrgUnit.id == Volunteer.org_unit_id)
        .where(scope_condition(who, VIEW.code, OrgUnit.path))
    )


def load_volunteers(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for volunteers: only those the caller may see."""
    # A key outside the column's range names no row; the database would reject it.
    wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
    if not wanted:
        return {}
    rows = context.session.scalars(visible_volunteers(context).where(Volunteer.id.in_(wanted)))
    return {row.id: row for row in rows}


@model_type(Volunteer, name="Volunteer", description="登记在册的社区志愿者。")
class VolunteerType(Node):
    name: str = strawberry.field(description="姓名。")
    phone: str | None = strawberry.field(description="联系电话。")
    skills: list[str] = strawberry.field(description="特长，如医疗救护、心理疏导。")
    registered_on: date = strawberry.field(description="登记日期。")

    @strawberry.field(description="所属组织单位（通常为社区/村）。")
    def org_unit(self, root: Volunteer, info: strawberry.Info) -> OrgUnitType:
        return info.context.session.get(OrgUnit, root.org_unit_id)


@strawberry.type
class VolunteerQuery:
    @strawberry.field(
        description="志愿者名册，按登记先后分页；给出 orgUnitId 时只列该单位的志愿者。"
        "需要 volunteer.view 权限，只列出权限范围内单位的志愿者。"
    )
    def volunteers(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[VolunteerType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code, registry=registry_for_context(context))
        statement = visible_volunteers(context)
        if org_unit_id is not None:
            unit_pk = decode_pk(org_unit_id, "OrgUnit", field="orgUnitId")
            statement = statement.where(Volunteer.org_unit_id == unit_pk)
        return paginate(context, statement, (Volunteer.id,), first=first, after=after, last=last, before=before)


@strawberry.input(description="登记一名志愿者。")
class RegisterVolunteerInput:
    org_unit_id: strawberry.ID = strawberry.field(description="所属组织单位。")
    name: str = strawberry.field(description="姓名。")
    phone: str | None = strawberry.field(default=None, description="11 位手机号或带区号的固定电话。")
    skills: list[str] = strawberry.field(default_factory=list, description="特长。")
    registered_on: date | None = strawberry.field(default=None, description="登记日期；默认今天。")


@strawberry.type
class RegisterVolunteerPayload:
    volunteer: VolunteerType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VolunteerMutation:
    @strawberry.mutation(description="登记志愿者：需要在该单位拥有 volunteer.register 权限。")
    @atomic
    def register_volunteer(self, info: strawberry.Info, input: RegisterVolunteerInput) -> RegisterVolunteerPayload:
        context: RequestContext = info.context
        unit_id = decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId")
        context.audit_subject("Volunteer", None, unit_id)
        unit = org_service.get_unit(context.session, unit_id, field="orgUnitId")
        require(context, REGISTER.code, unit, registry=registry_for_context(context))
        volunteer = service.register(
            context.session,
            org_unit_id=unit.id,
            name=input.name,
            phone=input.phone,
            skills=input.skills,
            registered_on=input.registered_on,
        )
        return RegisterVolunteerPayload(volunteer=row_as(VolunteerType, volunteer))
