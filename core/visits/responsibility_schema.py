"""GraphQL for who is responsible for a programme's residents under a unit:
a post at the unit (its holder on the day) or one user."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, optional_object_for
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.rows import required_row_as
from core.auth.models import User
from core.auth.permissions import require_somewhere, scope_condition
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.people.models import Resident
from core.policy.service import local_today, require_plugin_active
from core.posts import service as posts
from core.visits import responsibility
from core.visits.models import VisitResponsibility
from core.visits.programmes import programme_for


@strawberry.type(
    name="VisitResponsibility", description="走访项目在某单位的负责岗位或负责人：岗位换人，名单随之转给新的在任者。"
)
class VisitResponsibilityType:
    row: strawberry.Private[VisitResponsibility]
    programme: str = strawberry.field(description="走访项目代码。")
    post_code: str | None = strawberry.field(
        description="负责岗位代码（见 postKinds，如 grid_worker）；指定负责人时为空。"
    )

    @strawberry.field(description="负责的单位：其下的走访对象归此岗位或负责人。")
    def org_unit(self, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, self.row, "org_unit_id", OrgUnit))

    @strawberry.field(description="岗位的中文名称。")
    def post_name(self, info: strawberry.Info) -> str | None:
        if self.post_code is None:
            return None
        kind = posts.kinds_of(info.context.session).post_kinds.get(self.post_code)
        return kind.name if kind else self.post_code

    @strawberry.field(description="今天负责的人：指定的负责人，或该岗位的在任者（姓名）。")
    def responsible_names(self, info: strawberry.Info) -> list[str]:
        session = info.context.session
        if self.row.user_id is not None:
            user = session.get(User, self.row.user_id)
            return [user.display_name] if user else []
        holders = responsibility.current_holders(session, self.row, local_today())
        names = session.scalars(select(Resident.name).where(Resident.id.in_([h.resident_id for h in holders])))
        return list(names)


def _typed(row: VisitResponsibility) -> VisitResponsibilityType:
    return VisitResponsibilityType(row=row, programme=row.programme, post_code=row.post_code)


@strawberry.input(description="指定走访项目在某单位的负责岗位或负责人（二者选一；替换该单位原有的指定）。")
class AssignVisitResponsibilityInput:
    programme: str
    org_unit_id: strawberry.ID
    post_code: str | None = strawberry.field(
        default=None, description="负责岗位代码（见 postKinds）：该单位在任者负责。"
    )
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="负责人账号：须在该单位有该项目的走访权限。"
    )


@strawberry.type
class AssignVisitResponsibilityPayload:
    responsibility: VisitResponsibilityType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VisitResponsibilityQuery:
    @strawberry.field(description="某单位及其下级为走访项目指定的负责岗位或负责人；须有该项目的督导权限。")
    def visit_responsibilities(
        self,
        info: strawberry.Info,
        programme: Annotated[str, strawberry.argument(description="走访项目代码，见 visitProgrammes。")],
        under: strawberry.ID,
    ) -> list[VisitResponsibilityType]:
        context: RequestContext = info.context
        found = programme_for(context, programme)
        require_somewhere(context, found.view_permission)
        root = object_for(context, under, "OrgUnit", None, field="under")
        rows = context.session.scalars(
            select(VisitResponsibility)
            .where(
                VisitResponsibility.programme == found.code,
                in_subtree(VisitResponsibility.org_path, root.path),
                scope_condition(context, found.view_permission, VisitResponsibility.org_path),
            )
            .order_by(VisitResponsibility.org_path, VisitResponsibility.id)
        )
        return [_typed(row) for row in rows]


@strawberry.type
class VisitResponsibilityMutation:
    @strawberry.mutation(description="指定走访项目在某单位的负责岗位或负责人：须在该单位有该项目的督导权限。")
    @atomic
    def assign_visit_responsibility(
        self, info: strawberry.Info, input: AssignVisitResponsibilityInput
    ) -> AssignVisitResponsibilityPayload:
        context: RequestContext = info.context
        found = programme_for(context, input.programme)
        unit = object_for(context, input.org_unit_id, "OrgUnit", found.view_permission, field="orgUnitId")
        require_plugin_active(context, unit, found.plugin, field="orgUnitId")
        user = optional_object_for(context, input.user_id, "User", None, field="userId", what="用户")
        context.audit_subject("OrgUnit", unit.id, unit.id)
        row = responsibility.assign_responsibility(
            context.session, context, found, unit, post_code=input.post_code, user_id=user.id if user else None
        )
        return AssignVisitResponsibilityPayload(responsibility=_typed(row))
