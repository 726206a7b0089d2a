"""GraphQL for the seal register."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TypeVar

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, optional_object_for
from core.api.mutations import atomic
from core.api.relay import Node, NodeLoader, model_type
from core.api.rows import row_as, rows_as
from core.auth.permissions import registry_for_context, scope_condition
from core.seals import service
from core.seals.enums import SealUseStatus
from core.seals.models import USE_STATUS_NAMES, Seal, SealUse

SealRow = TypeVar("SealRow", Seal, SealUse)


def _loader(model: type[SealRow]) -> NodeLoader:
    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        if not pks:
            return {}
        rows = context.session.scalars(
            select(model).where(model.id.in_(pks), scope_condition(context, service.VIEW.code, model.org_path))
        )
        return {row.id: row for row in rows}

    return load


load_seals = _loader(Seal)
load_seal_uses = _loader(SealUse)


@model_type(SealUse, name="SealUse", description="一次用印：申请、审批、用印登记。须有 seals.view 权限。")
class SealUseType(Node):
    purpose: str = strawberry.field(description="用印事由。")
    document_title: str = strawberry.field(description="用印文件名称。")
    copies: int = strawberry.field(description="份数。")
    status: str = strawberry.field(
        description="applied（待审批）、approved（已批准待用印）、stamped（已用印）。",
        deprecation_reason="改用 useStatus（枚举）。",
    )

    @strawberry.field(description="用印状态。")
    def use_status(self) -> SealUseStatus:
        return SealUseStatus(self.status)

    applied_at: datetime = strawberry.field(description="申请时间。")
    approved_at: datetime | None = strawberry.field(description="批准时间。")
    stamped_at: datetime | None = strawberry.field(description="用印时间。")
    major: bool = strawberry.field(description="是否重大事项用印（须经集体研究决定）。")
    decision_reference: str | None = strawberry.field(description="重大事项用印所依据的集体决定（会议、决议）。")
    decided_on: date | None = strawberry.field(description="作出决定的会议日期。")

    @strawberry.field(description="状态的中文名称。")
    def status_name(self, root: SealUse) -> str:
        return USE_STATUS_NAMES[root.status]


@model_type(Seal, name="Seal", description="印章及其保管岗位。须有 seals.view 权限。")
class SealType(Node):
    name: str = strawberry.field(description="印章名称。")
    custodian_post: str = strawberry.field(description="保管岗位代码（如 chair：主任）。")

    @strawberry.field(description="用章登记簿：本印章的用印申请与登记，按时间先后。")
    def uses(self, root: Seal, info: strawberry.Info) -> list[SealUseType]:
        context: RequestContext = info.context
        rows = context.session.scalars(select(SealUse).where(SealUse.seal_id == root.id).order_by(SealUse.id))
        return rows_as(SealUseType, list(rows))


@strawberry.type
class SealQuery:
    @strawberry.field(description="一个单位登记的印章（须在该单位有 seals.view 权限）。")
    def seals(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[SealType]:
        context: RequestContext = info.context
        unit = object_for(context, org_unit_id, "OrgUnit", service.VIEW.code, field="orgUnitId")
        rows = context.session.scalars(select(Seal).where(Seal.org_unit_id == unit.id).order_by(Seal.id))
        return rows_as(SealType, list(rows))


@strawberry.input
class RegisterSealInput:
    org_unit_id: strawberry.ID
    name: str = strawberry.field(description="印章名称，如“某某社区居民委员会”。")
    custodian_post: str = strawberry.field(description="保管岗位代码，如 chair（主任负责管理印章）。")


@strawberry.input
class ApplySealUseInput:
    seal_id: strawberry.ID
    purpose: str = strawberry.field(description="用印事由。")
    document_title: str = strawberry.field(description="用印文件名称。")
    copies: int = strawberry.field(default=1, description="份数。")
    major: bool = strawberry.field(
        default=False, description="重大事项用印：须引用集体研究决定（resolutionId），否则拒绝。"
    )
    resolution_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="作出决定的会议决议（MeetingResolution）：本单位或上级召开、到会人数符合规定、获得通过的决议；填写即为重大事项用印。",
    )


@strawberry.input
class SealUseActionInput:
    id: strawberry.ID


@strawberry.type
class SealPayload:
    seal: SealType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SealUsePayload:
    seal_use: SealUseType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SealMutation:
    @strawberry.mutation(description="登记印章及其保管岗位：须有 seals.manage 权限。")
    @atomic
    def register_seal(self, info: strawberry.Info, input: RegisterSealInput) -> SealPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", service.MANAGE.code, field="orgUnitId")
        seal = service.register_seal(
            context.session,
            context,
            unit,
            name=input.name,
            custodian_post=input.custodian_post,
            registry=registry_for_context(context),
        )
        return SealPayload(seal=row_as(SealType, seal))

    @strawberry.mutation(
        description="申请用印，写明事由和文件：须有 seals.apply 权限；重大事项用印须引用集体研究决定。"
    )
    @atomic
    def apply_seal_use(self, info: strawberry.Info, input: ApplySealUseInput) -> SealUsePayload:
        context: RequestContext = info.context
        seal = object_for(context, input.seal_id, "Seal", service.APPLY.code, field="sealId", what="印章")
        # A resolution named is always looked up in scope, and makes the use a major one.
        resolution = optional_object_for(
            context, input.resolution_id, "MeetingResolution", None, field="resolutionId", what="会议决议"
        )
        use = service.apply_use(
            context.session,
            context,
            seal,
            purpose=input.purpose,
            document_title=input.document_title,
            copies=input.copies,
            registry=registry_for_context(context),
            major=input.major or resolution is not None,
            resolution=resolution,
        )
        return SealUsePayload(seal_use=row_as(SealUseType, use))

    @strawberry.mutation(description="批准用印申请：须有 seals.approve 权限，且不是申请人本人。")
    @atomic
    def approve_seal_use(self, info: strawberry.Info, input: SealUseActionInput) -> SealUsePayload:
        context: RequestContext = info.context
        use = object_for(context, input.id, "SealUse", service.APPROVE.code, field="id", lock=True, what="用印申请")
        service.approve_use(context.session, context, use, registry=registry_for_context(context))
        return SealUsePayload(seal_use=use)

    @strawberry.mutation(description="保管人用印并登记：只能对已批准的申请，由印章的在任保管岗位本人办理。")
    @atomic
    def record_seal_stamp(self, info: strawberry.Info, input: SealUseActionInput) -> SealUsePayload:
        context: RequestContext = info.context
        use = object_for(context, input.id, "SealUse", service.VIEW.code, field="id", lock=True, what="用印申请")
        service.record_stamp(context.session, context, use, registry=registry_for_context(context))
        return SealUsePayload(seal_use=use)
