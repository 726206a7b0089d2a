"""GraphQL for the organization tree: types, queries and mutations.

Reading the tree is public: the administrative division structure is public
information, and the public board shows it to people who are not signed in.
Changing it needs ``org.unit.manage``: at the parent to create a unit (a new
root unit: at an existing root unit), at the unit to change it, and at both
the unit and its new parent to move it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import Connection, Node, decode_pk, model_type, paginate
from core.api.rows import row_as, rows_as
from core.auth.permissions import registry_for_context, require, require_at_root
from core.org import service
from core.org.models import OrgUnit, OrgUnitMove
from core.plugin_host import host_of
from core.policy.service import local_today
from core.reporting import service as reporting
from core.reporting.obligations import RECURRENCES


@strawberry.type(name="OrgLevel", description="组织层级（可按地方配置）。")
class OrgLevelType:
    code: str = strawberry.field(description="层级代码，如 street、community。")
    name: str = strawberry.field(description="中文名称。")
    rank: int = strawberry.field(description="自上而下的序号，0 为最高层级。")


@strawberry.type(name="OrgLevelCount", description="某层级的下级单位数量。")
class LevelCountType:
    level: str = strawberry.field(description="层级代码，见 orgLevels。")
    count: int


@model_type(OrgUnitMove, name="OrgUnitMove", description="一次区划调整：单位从哪里移到哪里。")
class OrgUnitMoveType:
    from_parent_name: str | None = strawberry.field(description="调整前的上级名称。")
    to_parent_name: str | None = strawberry.field(description="调整后的上级名称。")
    effective_on: date = strawberry.field(description="生效日期。")
    reason: str = strawberry.field(description="调整原因或文件号。")

    @strawberry.field(description="调整前的上级单位（若仍存在）。")
    def from_parent(self, root: OrgUnitMove, info: strawberry.Info) -> OrgUnitType | None:
        context: RequestContext = info.context
        return row_as(OrgUnitType, context.session.get(OrgUnit, root.from_parent_id) if root.from_parent_id else None)


@model_type(
    OrgUnit,
    name="OrgUnit",
    description="组织单位：市、区县、街道乡镇、社区村、网格、居民小组、楼栋。"
    "行政区划结构是公开信息，无需登录即可查询（包括 node(id:)）。",
)
class OrgUnitType(Node):
    name: str = strawberry.field(description="名称。")
    level: str = strawberry.field(description="层级代码（本部署配置的层级，见 orgLevels）。")
    division_code: str | None = strawberry.field(description="区划代码：6 位 GB/T 2260，或 9/12 位统计用区划代码。")
    depth: int = strawberry.field(description="在树中的深度，根为 0。")
    established_on: date | None = strawberry.field(description="设立日期。")
    dissolved_on: date | None = strawberry.field(description="撤销或合并日期。")

    @strawberry.field(description="层级的中文名称。")
    def level_name(self, info: strawberry.Info) -> str:
        return info.context.settings.level_name(self.level)

    @strawberry.field(description="上级单位。")
    def parent(self, root: OrgUnit, info: strawberry.Info) -> OrgUnitType | None:
        return row_as(OrgUnitType, related(info.context, root, "parent_id", OrgUnit))

    @strawberry.field(description="直接下级，按创建顺序分页。公开，无需登录。")
    def children(
        self,
        root: OrgUnit,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[OrgUnitType]:
        statement = select(OrgUnit).where(OrgUnit.parent_id == root.id)
        return paginate(info.context, statement, (OrgUnit.id,), first=first, after=after, last=last, before=before)

    @strawberry.field(description="全部下级（不含自身），按树的先序分页；可按层级筛选。公开，无需登录。")
    def descendants(
        self,
        root: OrgUnit,
        info: strawberry.Info,
        level: Annotated[
            str | None, strawberry.argument(description="只列此层级的下级（层级代码，见 orgLevels）。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[OrgUnitType]:
        statement = service.subtree_statement(root, level=level, include_self=False)
        return paginate(info.context, statement, (OrgUnit.path,), first=first, after=after, last=last, before=before)

    @strawberry.field(description="从根到直接上级的全部上级。公开，无需登录。")
    def ancestors(self, root: OrgUnit, info: strawberry.Info) -> list[OrgUnitType]:
        return rows_as(OrgUnitType, service.ancestors(info.context.session, root))

    @strawberry.field(description="各层级的下级单位数量（不含自身），自上而下。公开，无需登录。")
    def subtree_counts(self, root: OrgUnit, info: strawberry.Info) -> list[LevelCountType]:
        return [
            LevelCountType(level=c.level, count=c.count)
            for c in service.subtree_counts(info.context.session, info.context.settings, root)
        ]

    @strawberry.field(description="区划调整历史，最早的在前。")
    def moves(self, root: OrgUnit, info: strawberry.Info) -> list[OrgUnitMoveType]:
        return rows_as(OrgUnitMoveType, service.moves_of(info.context.session, [root.id])[root.id])


@strawberry.type
class OrgQuery:
    @strawberry.field(description="本部署配置的组织层级，自上而下。公开，无需登录。")
    def org_levels(self, info: strawberry.Info) -> list[OrgLevelType]:
        return [
            OrgLevelType(code=level.code, name=level.name, rank=rank)
            for rank, level in enumerate(info.context.settings.org_levels)
        ]

    @strawberry.field(
        description="组织单位列表，按树的先序分页。给出 under 时只列其下级（含自身）；可按层级筛选。"
        "行政区划结构是公开信息，无需登录。"
    )
    def org_units(
        self,
        info: strawberry.Info,
        under: strawberry.ID | None = None,
        level: Annotated[
            str | None, strawberry.argument(description="只列此层级的单位（层级代码，见 orgLevels）。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[OrgUnitType]:
        context: RequestContext = info.context
        statement = select(OrgUnit)
        if under is not None:
            root = service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
            statement = service.subtree_statement(root)
        if level is not None:
            statement = statement.where(OrgUnit.level == level)
        return paginate(context, statement, (OrgUnit.path,), first=first, after=after, last=last, before=before)

    @strawberry.field(description="按区划代码查找组织单位。公开，无需登录。")
    def org_unit_by_division_code(self, info: strawberry.Info, division_code: str) -> OrgUnitType | None:
        context: RequestContext = info.context
        return row_as(
            OrgUnitType,
            context.session.scalars(
                select(OrgUnit).where(OrgUnit.division_code == division_code).order_by(OrgUnit.id).limit(1)
            ).first(),
        )


@strawberry.input(description="新建组织单位。")
class CreateOrgUnitInput:
    name: str
    level: str = strawberry.field(description="层级代码，见 orgLevels。")
    parent_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="上级单位；为空时建为根单位：须在现有根单位拥有 org.unit.manage 权限（新数据库的首个根单位用命令 jiceng org add-root 创建）。",
    )
    division_code: str | None = None
    established_on: date | None = strawberry.field(
        default=None,
        description="设立日期；不填时为创建当天（北京时间）。单位只对设立后的期间负有报送义务："
        "某期第一天已设立的单位须报送该期；期中设立的单位从下一期起报送，"
        "除非地方策略 reporting.owe_establishment_period 规定设立当期也须报送。",
    )


@strawberry.type(description="新设单位的一项应报事项及其须报送的第一期。")
class OwedObligation:
    type_code: str = strawberry.field(description="事项类型代码，见 obligationTypes。")
    type_name: str = strawberry.field(description="事项类型的中文名称。")
    recurrence_name: str = strawberry.field(description="周期的中文名称。")
    first_period_start: date | None = strawberry.field(description="须报送的第一期的第一天；按事项生成的类型为空。")
    first_period_end: date | None = strawberry.field(description="须报送的第一期的最后一天；按事项生成的类型为空。")
    first_due_on: date | None = strawberry.field(description="第一期的截止日；按事项生成的类型为空。")


@strawberry.type
class CreateOrgUnitPayload:
    org_unit: OrgUnitType | None = None
    owed_obligations: list[OwedObligation] = strawberry.field(
        default_factory=list,
        description="新单位由此负有的应报事项（所在层级应报、相关插件在此启用的），各附须报送的第一期；"
        "这些期间的报送事项由每日的生成任务创建。",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="修改组织单位；未给出的字段保持不变。")
class UpdateOrgUnitInput:
    id: strawberry.ID
    name: str | None = None
    division_code: str | None = None
    established_on: date | None = None
    dissolved_on: date | None = None


@strawberry.type
class UpdateOrgUnitPayload:
    org_unit: OrgUnitType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="区划调整：把单位连同全部下级移到新的上级之下。")
class MoveOrgUnitInput:
    id: strawberry.ID
    new_parent_id: strawberry.ID
    reason: str = strawberry.field(description="调整原因或批准文件号。")
    effective_on: date


@strawberry.type
class MoveOrgUnitPayload:
    org_unit: OrgUnitType | None = None
    move: OrgUnitMoveType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


ORG_UNIT_MANAGE = "org.unit.manage"


def _pk(global_id: strawberry.ID | None, field: str) -> int | None:
    return decode_pk(global_id, "OrgUnit", field=field) if global_id is not None else None


def _require_manage(context: RequestContext, unit: OrgUnit) -> None:
    require(context, ORG_UNIT_MANAGE, unit, registry=registry_for_context(context))


@strawberry.type
class OrgMutation:
    @strawberry.mutation(
        description="新建组织单位：需要在上级单位拥有 org.unit.manage 权限；新建根单位需要在现有根单位拥有 org.unit.manage 权限。"
    )
    @atomic
    def create_org_unit(self, info: strawberry.Info, input: CreateOrgUnitInput) -> CreateOrgUnitPayload:
        context: RequestContext = info.context
        parent_id = _pk(input.parent_id, "parentId")
        context.audit_subject("OrgUnit", None, parent_id)
        if parent_id is None:
            # A new database gets its first root unit from the command line (jiceng org add-root).
            require_at_root(context, ORG_UNIT_MANAGE, registry=registry_for_context(context))
        else:
            _require_manage(context, service.get_unit(context.session, parent_id, field="parentId"))
        unit = service.create_unit(
            context.session,
            context.settings,
            name=input.name,
            level=input.level,
            parent_id=parent_id,
            division_code=input.division_code,
            # A new unit exists from today unless the caller says otherwise: it owes no earlier period.
            established_on=input.established_on or local_today(),
        )
        context.audit_subject("OrgUnit", unit.id, unit.id)
        owed = [
            OwedObligation(
                type_code=item.kind.code,
                type_name=item.kind.name,
                recurrence_name=RECURRENCES[item.kind.recurrence],
                first_period_start=item.period[0] if item.period else None,
                first_period_end=item.period[1] if item.period else None,
                first_due_on=item.due_on,
            )
            for item in reporting.owed_by(context.session, host_of(context), unit)
        ]
        return CreateOrgUnitPayload(org_unit=row_as(OrgUnitType, unit), owed_obligations=owed)

    @strawberry.mutation(
        description="修改组织单位的名称、区划代码或设立/撤销日期：需要在该单位拥有 org.unit.manage 权限。"
    )
    @atomic
    def update_org_unit(self, info: strawberry.Info, input: UpdateOrgUnitInput) -> UpdateOrgUnitPayload:
        context: RequestContext = info.context
        unit = service.get_unit(context.session, decode_pk(input.id, "OrgUnit"))
        context.audit_subject("OrgUnit", unit.id, unit.id)
        _require_manage(context, unit)
        service.update_unit(
            context.session,
            context.settings,
            unit,
            name=input.name,
            division_code=input.division_code,
            established_on=input.established_on,
            dissolved_on=input.dissolved_on,
        )
        return UpdateOrgUnitPayload(org_unit=row_as(OrgUnitType, unit))

    @strawberry.mutation(
        description="区划调整：移动单位及其全部下级，并记录调整历史。需要在该单位和新的上级单位都拥有 org.unit.manage 权限。"
    )
    @atomic
    def move_org_unit(self, info: strawberry.Info, input: MoveOrgUnitInput) -> MoveOrgUnitPayload:
        context: RequestContext = info.context
        session = context.session
        unit = service.get_unit(session, decode_pk(input.id, "OrgUnit"))
        context.audit_subject("OrgUnit", unit.id, unit.id)
        _require_manage(context, unit)
        new_parent = service.get_unit(
            session, decode_pk(input.new_parent_id, "OrgUnit", field="newParentId"), field="newParentId"
        )
        _require_manage(context, new_parent)
        move = service.move_unit(
            session, context.settings, unit, new_parent, reason=input.reason, effective_on=input.effective_on
        )
        return MoveOrgUnitPayload(
            org_unit=row_as(OrgUnitType, session.get(OrgUnit, unit.id)), move=row_as(OrgUnitMoveType, move)
        )
