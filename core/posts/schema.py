"""GraphQL for bodies, posts and terms.

Reads need ``posts.view`` where the body is (lists are narrowed with
``scope_condition`` on ``Body.org_path``); writes need ``posts.manage`` at
the body's org unit. A holder's full resident record is shown only to
callers who may see it (``core.people.schema.may_see``: ``people.view``
at the resident's unit, or the holder lives in the caller's own
household); the holder's name always is (posts are public: 居务公开). The linked user account is shown to
callers holding ``user.view`` at the body's unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated, Any

import strawberry
from sqlalchemy import select
from sqlalchemy.orm import object_session

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, optional_object_for, resident_pk_for
from core.api.loaders import children, related, remember_page
from core.api.mutations import atomic
from core.api.relay import Connection, Node, decode_pk, model_type, paginate
from core.api.rows import required_row_as, row_as, rows_as
from core.auth.models import User
from core.auth.permissions import can, require, scope_condition
from core.auth.permissions import registry_for_context as permissions_for_context
from core.auth.schema import UserType
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.people.schema import ResidentType, may_see
from core.policy.service import local_today
from core.posts import service, sizing
from core.posts.kinds import KindRegistry, registry_for_context
from core.posts.models import Body, PostAssignment

POSTS_VIEW = "posts.view"
POSTS_MANAGE = "posts.manage"
USER_VIEW = "user.view"


def _kinds(info: strawberry.Info) -> KindRegistry:
    return registry_for_context(info.context)


def _require(context: RequestContext, code: str, unit: OrgUnit | str) -> None:
    require(context, code, unit, registry=permissions_for_context(context))


def _unit(context: RequestContext, global_id: str, field: str) -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


def _remember(context: RequestContext, rows: list[Any]) -> list[Any]:
    remember_page(context, rows)
    return rows


def load_bodies(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for bodies the caller may see."""
    if not pks:
        return {}
    rows = context.session.scalars(
        select(Body).where(Body.id.in_(pks), scope_condition(context, POSTS_VIEW, Body.org_path))
    )
    return {row.id: row for row in rows}


def load_assignments(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for assignments in bodies the caller may see."""
    if not pks:
        return {}
    rows = context.session.scalars(
        select(PostAssignment)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(PostAssignment.id.in_(pks), scope_condition(context, POSTS_VIEW, Body.org_path))
    )
    return {row.id: row for row in rows}


def assignment_paths(assignment: PostAssignment) -> tuple[str, ...]:
    """An assignment belongs where its body is."""
    session = object_session(assignment)
    assert session is not None
    body = session.get(Body, assignment.body_id)
    return (body.org_path,) if body is not None else ()


# --- types ------------------------------------------------------------------------------------


@strawberry.type(name="BodyKind", description="机构类型（核心或插件声明）。")
class BodyKindType:
    code: str = strawberry.field(description="类型代码，如 residents_committee。")
    name: str = strawberry.field(description="中文名称。")
    description: str = strawberry.field(description="说明。")
    sized: bool = strawberry.field(description="是否按户数核对成员配备（居委会、村委会）。")
    plugin: str = strawberry.field(description="声明此类型的模块：core 或插件名称。")


@strawberry.type(name="PostKind", description="职务（核心或插件声明）。")
class PostKindType:
    code: str = strawberry.field(description="职务代码，如 chair、secretary、cashier。")
    name: str = strawberry.field(description="中文名称。")
    description: str = strawberry.field(description="说明。")
    single_holder: bool = strawberry.field(description="每个机构同一时间只能由一人担任。")
    holds_funds: bool = strawberry.field(description="经管资金或账目，离任时须审计。")
    may_manage_funds: bool = strawberry.field(
        description="任职记录标明掌管经费时经管资金（如主任、副主任），离任时须审计。"
    )
    seat: bool = strawberry.field(description="计入机构成员（委员）人数。")
    plugin: str = strawberry.field(description="声明此职务的模块：core 或插件名称。")


@model_type(Body, name="Body", description="组织单位内的机构：党组织、居（村）民委员会、服务站、监督委员会等。")
class BodyType(Node):
    kind: str = strawberry.field(description="机构类型代码，见 bodyKinds。")
    name: str = strawberry.field(description="名称。")

    @strawberry.field(description="机构类型的中文名称。")
    def kind_name(self, info: strawberry.Info) -> str:
        return _kinds(info).body_kind(self.kind).name

    @strawberry.field(description="所在组织单位。")
    def org_unit(self, root: Body, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(
        description="任职记录：默认为 on 日（默认今天）在任的；includeEnded 为真时含全部历史，最早的在前。"
    )
    def assignments(
        self,
        root: Body,
        info: strawberry.Info,
        on: date | None = None,
        include_ended: bool = False,
        post_code: str | None = None,
    ) -> list[PostAssignmentType]:
        context: RequestContext = info.context
        rows = children(
            context,
            root,
            f"posts.body_assignments:{on}:{include_ended}",
            lambda ids: service.assignments_of_bodies(context.session, ids, on=on, include_ended=include_ended),
        )
        if post_code is not None:
            rows = [row for row in rows if row.post_code == post_code]
        return rows_as(PostAssignmentType, rows)


@model_type(
    PostAssignment, name="PostAssignment", description="任职：某人在某机构担任某职务的一个任期；离任后记录保留。"
)
class PostAssignmentType(Node):
    post_code: str = strawberry.field(description="职务代码，见 postKinds。")
    term_start: date = strawberry.field(description="任职开始日期。")
    term_end: date | None = strawberry.field(description="任期届满日期（计划）。")
    ended_on: date | None = strawberry.field(description="离任日期：自此日起不再担任；在任时为空。")
    end_reason: str | None = strawberry.field(description="离任原因。")
    note: str | None = strawberry.field(description="备注，如选举或任命文件。")
    manages_funds: bool = strawberry.field(
        description="任职人经管资金或账目（会计、出纳，或标明掌管经费的主任、副主任），离任时须审计。"
    )

    @strawberry.field(description="职务的中文名称。")
    def post_name(self, info: strawberry.Info) -> str:
        return _kinds(info).post_kind(self.post_code).name

    @strawberry.field(description="在 on 日（默认今天）是否在任。")
    def is_current(self, root: PostAssignment, on: date | None = None) -> bool:
        return root.holds_on(on or local_today())

    @strawberry.field(description="任职的机构。")
    def body(self, root: PostAssignment, info: strawberry.Info) -> BodyType:
        return required_row_as(BodyType, related(info.context, root, "body_id", Body))

    @strawberry.field(description="任职人姓名。")
    def resident_name(self, root: PostAssignment, info: strawberry.Info) -> str:
        resident = related(info.context, root, "resident_id", Resident)
        return resident.name if resident is not None else ""

    @strawberry.field(
        description="任职人的居民信息；须在其所在单位有 people.view 权限（或任职人是本户成员），否则为 null。"
    )
    def resident(self, root: PostAssignment, info: strawberry.Info) -> ResidentType | None:
        resident = related(info.context, root, "resident_id", Resident)
        if not may_see(info.context, resident):
            return None
        return row_as(ResidentType, resident)

    @strawberry.field(description="任职人的用户账号；须在机构所在单位有 user.view 权限，否则为 null。")
    def user(self, root: PostAssignment, info: strawberry.Info) -> UserType | None:
        if root.user_id is None:
            return None
        body = related(info.context, root, "body_id", Body)
        if body is None or not can(info.context, USER_VIEW, body.org_path):
            return None
        return row_as(UserType, related(info.context, root, "user_id", User))

    @strawberry.field(description="移交前的上一任（本任职由移交产生时）。")
    def predecessor(self, root: PostAssignment, info: strawberry.Info) -> PostAssignmentType | None:
        return row_as(PostAssignmentType, related(info.context, root, "predecessor_id", PostAssignment))


@strawberry.type(name="SizingWarning", description="规模提示（不阻止操作）：实际数与按地方策略应有的数。")
class SizingWarningType:
    code: str = strawberry.field(
        description="COMMITTEE_TOO_SMALL、COMMITTEE_TOO_LARGE、GRID_TOO_LARGE、COMMUNITY_TOO_SMALL、"
        "COMMUNITY_TOO_LARGE、RESIDENT_GROUP_TOO_SMALL、RESIDENT_GROUP_TOO_LARGE。"
    )
    message: str = strawberry.field(description="中文说明。")
    actual: int = strawberry.field(description="实际数（人或户）。")
    expected: int = strawberry.field(description="应有数或上、下限。")
    org_unit_id: strawberry.Private[int]
    body_id: strawberry.Private[int | None]

    @strawberry.field(description="涉及的组织单位。")
    def org_unit(self, info: strawberry.Info) -> OrgUnitType:
        context: RequestContext = info.context
        return row_as(OrgUnitType, context.session.get_one(OrgUnit, self.org_unit_id))

    @strawberry.field(description="涉及的机构（委员会人数提示时）。")
    def body(self, info: strawberry.Info) -> BodyType | None:
        context: RequestContext = info.context
        return row_as(BodyType, context.session.get(Body, self.body_id) if self.body_id is not None else None)


# --- queries ----------------------------------------------------------------------------------


@strawberry.type
class PostsQuery:
    @strawberry.field(description="本部署声明的机构类型。")
    def body_kinds(self, info: strawberry.Info) -> list[BodyKindType]:
        return [
            BodyKindType(code=k.code, name=k.name, description=k.description, sized=k.sized, plugin=k.plugin)
            for k in _kinds(info).body_kinds.values()
        ]

    @strawberry.field(description="本部署声明的职务。")
    def post_kinds(self, info: strawberry.Info) -> list[PostKindType]:
        return [
            PostKindType(
                code=k.code,
                name=k.name,
                description=k.description,
                single_holder=k.single_holder,
                holds_funds=k.holds_funds,
                may_manage_funds=k.may_manage_funds,
                seat=k.seat,
                plugin=k.plugin,
            )
            for k in _kinds(info).post_kinds.values()
        ]

    @strawberry.field(description="某单位及其全部下级的机构，按树的先序分页；只列有 posts.view 权限的范围。")
    def bodies(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        kind: Annotated[
            str | None, strawberry.argument(description="只列此类机构（机构类型代码，见 bodyKinds）。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[BodyType]:
        context: RequestContext = info.context
        root = _unit(context, under, "under")
        statement = service.bodies_under(root, kind).where(scope_condition(context, POSTS_VIEW, Body.org_path))
        return paginate(
            context, statement, (Body.org_path, Body.id), first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="某单位各机构在 on 日（默认今天）在任的人员，可按职务筛选。")
    def post_holders(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        post_code: str | None = None,
        on: date | None = None,
    ) -> list[PostAssignmentType]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id, "orgUnitId")
        _require(context, POSTS_VIEW, unit)
        return _remember(context, service.holders(context.session, unit, post_code, on))

    @strawberry.field(
        description="某居民担任的职务：默认为 on 日（默认今天）在任的，includeEnded 为真时含历史；只列有 posts.view 权限的机构。"
    )
    def posts_of_resident(
        self,
        info: strawberry.Info,
        resident_id: strawberry.ID,
        include_ended: bool = False,
        on: date | None = None,
    ) -> list[PostAssignmentType]:
        context: RequestContext = info.context
        pk = decode_pk(resident_id, "Resident", field="residentId")
        rows = service.posts_of(context.session, pk, on, include_ended=include_ended)
        if rows:
            visible = set(
                context.session.scalars(
                    select(Body.id).where(
                        Body.id.in_({row.body_id for row in rows}), scope_condition(context, POSTS_VIEW, Body.org_path)
                    )
                )
            )
            rows = [row for row in rows if row.body_id in visible]
        return _remember(context, rows)

    @strawberry.field(description="某单位及其下级的规模提示：委员会人数、网格和社区户数（按地方策略，不阻止操作）。")
    def sizing_warnings(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, on: date | None = None
    ) -> list[SizingWarningType]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id, "orgUnitId")
        _require(context, POSTS_VIEW, unit)
        return [
            SizingWarningType(
                code=w.code,
                message=w.message,
                actual=w.actual,
                expected=w.expected,
                org_unit_id=w.org_unit_id,
                body_id=w.body_id,
            )
            for w in sizing.sizing_warnings(context.session, unit, on, kinds=_kinds(info))
        ]


# --- mutations ------------------------------------------------------------------------------


@strawberry.input(description="设立机构。")
class CreateBodyInput:
    org_unit_id: strawberry.ID
    kind: str = strawberry.field(description="机构类型代码，见 bodyKinds。")
    name: str


@strawberry.type
class CreateBodyPayload:
    body: BodyType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="任职：某居民在某机构担任某职务。")
class AssignPostInput:
    body_id: strawberry.ID
    post_code: str = strawberry.field(description="职务代码，见 postKinds。")
    resident_id: strawberry.ID
    term_start: date
    term_end: date | None = strawberry.field(default=None, description="任期届满日期（计划）。")
    ended_on: date | None = strawberry.field(default=None, description="录入已结束的任期时填写：离任日期。")
    end_reason: str | None = strawberry.field(default=None, description="录入已结束的任期时填写：离任原因。")
    user_id: strawberry.ID | None = strawberry.field(default=None, description="任职人的用户账号（如有）。")
    note: str | None = strawberry.field(default=None, description="备注，如选举或任命文件。")
    manages_funds: bool = strawberry.field(
        default=False, description="掌管社区经费（主任、副主任、专职工作者可标记；会计、出纳始终经管），离任时须审计。"
    )


@strawberry.type
class AssignPostPayload:
    assignment: PostAssignmentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="离任：结束一个任期，记录保留。")
class EndPostTermInput:
    id: strawberry.ID
    ended_on: date = strawberry.field(description="离任日期：自此日起不再担任。")
    reason: str = strawberry.field(description="离任原因，如任期届满、辞职、调任。")


@strawberry.type
class EndPostTermPayload:
    assignment: PostAssignmentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="标记或取消某任期掌管社区经费（离任时须接受审计）。")
class SetPostManagesFundsInput:
    id: strawberry.ID = strawberry.field(description="任职记录。")
    manages_funds: bool = strawberry.field(description="是否掌管社区经费。")


@strawberry.input(description="职务移交：现任人自 on 日离任，接任人自 on 日起担任至本任期届满。")
class TransferPostInput:
    id: strawberry.ID = strawberry.field(description="现任人的任职记录。")
    resident_id: strawberry.ID = strawberry.field(description="接任人。")
    on: date
    reason: str = strawberry.field(description="现任人离任原因。")
    user_id: strawberry.ID | None = None
    note: str | None = None


@strawberry.type
class TransferPostPayload:
    ended: PostAssignmentType | None = strawberry.field(default=None, description="已结束的现任人任职。")
    assignment: PostAssignmentType | None = strawberry.field(default=None, description="接任人的任职。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _user_pk(context: RequestContext, global_id: strawberry.ID | None) -> int | None:
    """The holder's own account: one the caller may see (``users``)."""
    user = optional_object_for(context, global_id, "User", None, field="userId", what="用户")
    return user.id if user is not None else None


def _holder(context: RequestContext, global_id: str) -> int:
    """A post holder is a resident registered within the caller's
    ``posts.manage`` (or ``people.view``) scope: someone living in another
    street is named by an officer whose scope covers both."""
    pk = resident_pk_for(context, global_id, field="residentId", permission=POSTS_MANAGE)
    assert pk is not None
    return pk


def _assignment_in_scope(context: RequestContext, global_id: str) -> tuple[PostAssignment, Body]:
    assignment = object_for(context, global_id, "PostAssignment", POSTS_MANAGE, field="id", what="任职记录")
    body = service.get_body(context.session, assignment.body_id, field="id")
    context.audit_subject("PostAssignment", assignment.id, body.org_unit_id)
    return assignment, body


@strawberry.type
class PostsMutation:
    @strawberry.mutation(description="设立机构（党组织、居委会、服务站、监督委员会等）。")
    @atomic
    def create_body(self, info: strawberry.Info, input: CreateBodyInput) -> CreateBodyPayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id, "orgUnitId")
        context.audit_subject("Body", None, unit.id, detail={"kind": input.kind})
        _require(context, POSTS_MANAGE, unit)
        body = service.create_body(
            context.session, org_unit_id=unit.id, kind=input.kind, name=input.name, kinds=_kinds(info)
        )
        context.audit_subject("Body", body.id, unit.id, detail={"kind": body.kind})
        return CreateBodyPayload(body=row_as(BodyType, body))

    @strawberry.mutation(description="任职：记录某居民在某机构担任某职务（核对重复任职、一职一人和不相容职务）。")
    @atomic
    def assign_post(self, info: strawberry.Info, input: AssignPostInput) -> AssignPostPayload:
        context: RequestContext = info.context
        body = object_for(context, input.body_id, "Body", POSTS_MANAGE, field="bodyId", what="机构")
        context.audit_subject("PostAssignment", None, body.org_unit_id, detail={"postCode": input.post_code})
        assignment = service.assign(
            context.session,
            body_id=body.id,
            post_code=input.post_code,
            resident_id=_holder(context, input.resident_id),
            term_start=input.term_start,
            term_end=input.term_end,
            ended_on=input.ended_on,
            end_reason=input.end_reason,
            user_id=_user_pk(context, input.user_id),
            note=input.note,
            manages_funds=input.manages_funds,
            kinds=_kinds(info),
        )
        context.audit_subject(
            "PostAssignment", assignment.id, body.org_unit_id, detail={"postCode": assignment.post_code}
        )
        return AssignPostPayload(assignment=row_as(PostAssignmentType, assignment))

    @strawberry.mutation(description="离任：结束一个任期，记录保留为历史。")
    @atomic
    def end_post_term(self, info: strawberry.Info, input: EndPostTermInput) -> EndPostTermPayload:
        context: RequestContext = info.context
        assignment, _body = _assignment_in_scope(context, input.id)
        service.end_term(context.session, assignment, ended_on=input.ended_on, reason=input.reason)
        return EndPostTermPayload(assignment=row_as(PostAssignmentType, assignment))

    @strawberry.mutation(
        description="标记或取消某任期掌管社区经费：掌管经费的正、副主任离任时与会计、出纳一样须接受离任审计。"
    )
    @atomic
    def set_post_manages_funds(self, info: strawberry.Info, input: SetPostManagesFundsInput) -> EndPostTermPayload:
        context: RequestContext = info.context
        assignment, _body = _assignment_in_scope(context, input.id)
        updated = service.set_manages_funds(context.session, assignment, input.manages_funds, kinds=_kinds(info))
        return EndPostTermPayload(assignment=row_as(PostAssignmentType, updated))

    @strawberry.mutation(description="职务移交：现任人离任，接任人同日起担任。")
    @atomic
    def transfer_post(self, info: strawberry.Info, input: TransferPostInput) -> TransferPostPayload:
        context: RequestContext = info.context
        assignment, body = _assignment_in_scope(context, input.id)
        ended, successor = service.transfer(
            context.session,
            assignment,
            resident_id=_holder(context, input.resident_id),
            on=input.on,
            reason=input.reason,
            user_id=_user_pk(context, input.user_id),
            note=input.note,
            kinds=_kinds(info),
        )
        context.audit_subject("PostAssignment", successor.id, body.org_unit_id, detail={"endedId": ended.id})
        return TransferPostPayload(
            ended=row_as(PostAssignmentType, ended), assignment=row_as(PostAssignmentType, successor)
        )
