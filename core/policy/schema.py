"""GraphQL for locality policy: declared keys, effective values with their
source, history, and setting or clearing a unit's own value.

Reading a unit's values and history needs ``policy.view`` (or
``policy.manage``) at the unit; setting or clearing needs ``policy.manage``
there. The declared keys and the plugins active at a unit are open to any
signed-in user.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import strawberry
from strawberry.scalars import JSON

from core.api.context import RequestContext
from core.api.errors import ErrorDetail, UserError, UserInputError
from core.api.mutations import atomic
from core.api.relay import decode_pk
from core.api.rows import required_row_as, row_as
from core.auth.permissions import can, require, require_signed_in
from core.auth.permissions import registry_for_context as permission_registry
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.policy import service
from core.policy.keys import PolicyKey, ValueType
from core.policy.models import SET_BY_LENGTH, PolicyValue
from core.policy.registry import PolicyRegistry, registry_for_context

T = TypeVar("T")

PolicyValueType = strawberry.enum(
    ValueType,
    name="PolicyValueType",
    description='策略值的类型：INT 整数，DECIMAL 数值（以字符串表示，如 "100.50"），STRING 文本，BOOLEAN 是/否，'
    'DATE 日期（"YYYY-MM-DD"），STRING_LIST 文本列表，DAY_OF_MONTH 每月的日期（1–31，小月取月末）。',
)


@strawberry.enum(name="PolicyRecordStatus", description="一条策略记录的状态（相对于查询日期）。")
class PolicyRecordStatus(enum.Enum):
    IN_FORCE = strawberry.enum_value("IN_FORCE", description="该单位当前生效的记录。")
    SCHEDULED = strawberry.enum_value("SCHEDULED", description="尚未到生效日期。")
    REPLACED = strawberry.enum_value("REPLACED", description="已被该单位此后生效的记录取代。")
    SUPERSEDED = strawberry.enum_value("SUPERSEDED", description="同一生效日期的记录被后来的更正取代。")


POLICY_VIEW = "policy.view"
POLICY_MANAGE = "policy.manage"


def _unit_for(context: RequestContext, org_unit_id: strawberry.ID, *, change: bool = False) -> OrgUnit:
    """The org unit a policy field reads or changes, once the caller is
    known to hold ``policy.view`` (or ``policy.manage``) there, or with
    ``change`` ``policy.manage``; otherwise ``PermissionDeniedError``."""
    unit = org_service.get_unit(
        context.session, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId"), field="orgUnitId"
    )
    registry = permission_registry(context)
    if change:
        require(context, POLICY_MANAGE, unit, registry=registry)
    elif not can(context, POLICY_MANAGE, unit):
        require(context, POLICY_VIEW, unit, registry=registry)
    return unit


def _actor(context: RequestContext) -> str:
    """Who changes policy, recorded as ``set_by``: the signed-in user when
    there is one, otherwise the channel."""
    user = getattr(context, "user", None)
    if user is None:
        return "graphql"
    name = getattr(user, "username", None) or getattr(user, "name", None) or getattr(user, "id", None) or user
    return f"graphql:{name}"[:SET_BY_LENGTH]


def _note_for_audit(context: RequestContext, unit: OrgUnit, record: PolicyValue) -> None:
    """Name the new policy record as the subject of the mutation's audit record."""
    note = getattr(context, "audit_subject", None)
    if note is not None:
        note(
            "PolicyRecord",
            record.id,
            unit.id,
            detail={"key": record.key, "value": record.value, "effectiveFrom": record.effective_from.isoformat()},
        )


@strawberry.type(name="PolicyKey", description="一个地方策略项的声明：类型、默认值、取值范围和说明。")
class PolicyKeyType:
    declaration: strawberry.Private[PolicyKey]

    @strawberry.field(description="策略项的键，如 org.grid.max_households。")
    def key(self) -> str:
        return self.declaration.key

    @strawberry.field(description="取值类型。")
    def type(self) -> ValueType:  # registered with strawberry as PolicyValueType
        return self.declaration.type

    @strawberry.field(description="没有任何单位设定时的默认值（JSON）。")
    def default(self) -> JSON:
        return self.declaration.to_plain(self.declaration.default)

    @strawberry.field(description="中文说明。")
    def description(self) -> str:
        return self.declaration.description

    @strawberry.field(description="声明该项的插件；核心为 core。")
    def plugin(self) -> str:
        return self.declaration.plugin

    @strawberry.field(description="显示单位，如“元”“户”。")
    def unit(self) -> str | None:
        return self.declaration.unit

    @strawberry.field(description="最小值（含）。")
    def min(self) -> JSON | None:
        return self.declaration.to_plain(self.declaration.min)

    @strawberry.field(description="最大值（含）。")
    def max(self) -> JSON | None:
        return self.declaration.to_plain(self.declaration.max)

    @strawberry.field(description="可选值；为空时不限。")
    def choices(self) -> list[JSON] | None:
        if self.declaration.choices is None:
            return None
        if self.declaration.type is ValueType.STRING_LIST:
            return list(self.declaration.choices)
        return [self.declaration.to_plain(c) for c in self.declaration.choices]


@strawberry.type(name="EffectivePolicyValue", description="某单位在某日生效的策略值，以及它来自哪一级单位。")
class EffectiveValueType:
    resolved: strawberry.Private[service.ResolvedValue]

    @strawberry.field(description="策略项的键。")
    def key(self) -> str:
        return self.resolved.key.key

    @strawberry.field(description="策略项的声明。")
    def policy_key(self) -> PolicyKeyType:
        return PolicyKeyType(declaration=self.resolved.key)

    @strawberry.field(description="生效的值（JSON：数值型小数与日期为字符串）。")
    def value(self) -> JSON:
        return self.resolved.key.to_plain(self.resolved.value)

    @strawberry.field(description="生效的值的 JSON 文本。")
    def value_json(self) -> str:
        return self.resolved.key.to_json(self.resolved.value)

    @strawberry.field(description="便于阅读的值，带单位。")
    def display(self) -> str:
        return self.resolved.key.show(self.resolved.value)

    @strawberry.field(description="设定该值的单位（本单位或上级）；为空表示采用默认值。")
    def source_unit(self, info: strawberry.Info) -> OrgUnitType | None:
        context: RequestContext = info.context
        source = self.resolved.source_unit_id
        return row_as(OrgUnitType, context.session.get(OrgUnit, source) if source is not None else None)

    @strawberry.field(description="该值的生效日期；默认值为空。")
    def effective_from(self) -> date | None:
        return self.resolved.effective_from

    @strawberry.field(description="是否继承而来：不是本单位自己设定的（来自上级或默认值）。")
    def inherited(self) -> bool:
        return self.resolved.inherited

    @strawberry.field(description="是否为默认值（本单位及全部上级都没有设定）。")
    def is_default(self) -> bool:
        return self.resolved.is_default

    @strawberry.field(description="查询的日期。")
    def on(self) -> date:
        return self.resolved.on


@strawberry.type(name="PolicyRecord", description="一条策略记录：某单位自某日起的设定或取消设定；记录只增不改。")
class PolicyRecordType:
    record: strawberry.Private[PolicyValue]
    known_status: strawberry.Private[str | None] = None

    @strawberry.field(description="策略项的键。")
    def key(self) -> str:
        return self.record.key

    @strawberry.field(description="作出设定的单位。")
    def org_unit(self, info: strawberry.Info) -> OrgUnitType:
        context: RequestContext = info.context
        return required_row_as(OrgUnitType, context.session.get(OrgUnit, self.record.org_unit_id))

    @strawberry.field(description="设定的值（JSON）；取消设定的记录为空。")
    def value(self) -> JSON | None:
        return json.loads(self.record.value) if self.record.value is not None else None

    @strawberry.field(description="设定的值的 JSON 文本；取消设定的记录为空。")
    def value_json(self) -> str | None:
        return self.record.value

    @strawberry.field(description="是否为取消设定：自生效日期起本单位不再自行设定，改为继承上级。")
    def clears(self) -> bool:
        return self.record.clears

    @strawberry.field(description="生效日期。")
    def effective_from(self) -> date:
        return self.record.effective_from

    @strawberry.field(description="设定人或渠道。")
    def set_by(self) -> str:
        return self.record.set_by

    @strawberry.field(description="记录时间。")
    def set_at(self) -> datetime:
        return self.record.set_at

    @strawberry.field(description="设定原因或依据文件。")
    def reason(self) -> str:
        return self.record.reason

    @strawberry.field(description="被更正的时间；未被更正为空。")
    def superseded_at(self) -> datetime | None:
        return self.record.superseded_at

    @strawberry.field(description="相对于今天的状态。")
    def status(self, info: strawberry.Info) -> PolicyRecordStatus:
        status = self.known_status or service.record_status(info.context.session, self.record)
        return PolicyRecordStatus(status)


def _registry(info: strawberry.Info) -> PolicyRegistry:
    return registry_for_context(info.context)


@strawberry.type
class PolicyQuery:
    @strawberry.field(description="本部署声明的全部地方策略项（核心与已启用插件），按键排序；可按插件筛选。需要登录。")
    def policy_keys(self, info: strawberry.Info, plugin: str | None = None) -> list[PolicyKeyType]:
        require_signed_in(info.context)
        return [PolicyKeyType(declaration=k) for k in _registry(info).all() if plugin is None or k.plugin == plugin]

    @strawberry.field(
        description="某单位在某日（默认今天）生效的策略值及其来源；keys 为空时列出全部策略项。"
        "需要在该单位拥有 policy.view（或 policy.manage）权限。"
    )
    def policy_values(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        on: date | None = None,
        keys: list[str] | None = None,
    ) -> list[EffectiveValueType]:
        context: RequestContext = info.context
        registry = _registry(info)
        unit = _unit_for(context, org_unit_id)
        declarations = registry.all() if keys is None else [registry.require(k, field="keys") for k in keys]
        resolved = service.resolve_many(context.session, unit, declarations, on)
        # Source units are the unit or its ancestors: load them in one query.
        org_service.ancestors(context.session, unit)
        return [EffectiveValueType(resolved=resolved[d.key]) for d in declarations]

    @strawberry.field(
        description="某单位某策略项的全部记录（含已被更正的），可连同全部上级的记录；按层级、生效日期排序。"
        "需要在该单位拥有 policy.view（或 policy.manage）权限。"
    )
    def policy_history(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        key: str,
        include_ancestors: bool = False,
    ) -> list[PolicyRecordType]:
        context: RequestContext = info.context
        unit = _unit_for(context, org_unit_id)
        declaration = _registry(info).require(key)
        entries = service.history(context.session, unit, declaration, include_ancestors=include_ancestors)
        if include_ancestors:
            org_service.ancestors(context.session, unit)
        return [PolicyRecordType(record=e.record, known_status=e.status) for e in entries]

    @strawberry.field(description="在某单位某日（默认今天）启用的插件名称（界面据此显示功能）。需要登录。")
    def active_plugins(self, info: strawberry.Info, org_unit_id: strawberry.ID, on: date | None = None) -> list[str]:
        context: RequestContext = info.context
        require_signed_in(context)
        unit = org_service.get_unit(
            context.session, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId"), field="orgUnitId"
        )
        return service.active_plugins(context.session, unit, _registry(info), on)


@strawberry.input(description="为某单位及其下级设定一个策略值。")
class SetPolicyValueInput:
    org_unit_id: strawberry.ID = strawberry.field(description="设定策略的单位。")
    key: str = strawberry.field(description="策略项的键，见 policyKeys。")
    value: JSON = strawberry.field(
        description='新值（JSON）：数值、"100.50"、true、"2025-01-01"、["甲"] 等，须符合策略项的类型。'
    )
    reason: str = strawberry.field(description="设定原因或依据文件（名称、文号）。")
    effective_from: date | None = strawberry.field(default=None, description="生效日期，默认今天。")


@strawberry.type(description="setPolicyValue 的结果：新记录与设定后的生效值，或用户错误。")
class SetPolicyValuePayload:
    record: PolicyRecordType | None = None
    effective: EffectiveValueType | None = strawberry.field(
        default=None, description="该单位在生效日期的策略值（设定后）。"
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="自某日起取消某单位自己的设定，改为继承上级。")
class ClearPolicyValueInput:
    org_unit_id: strawberry.ID = strawberry.field(description="取消设定的单位。")
    key: str = strawberry.field(description="策略项的键。")
    reason: str = strawberry.field(description="取消原因或依据文件。")
    effective_from: date | None = strawberry.field(default=None, description="生效日期，默认今天。")


@strawberry.type(description="clearPolicyValue 的结果：新记录与取消后的生效值，或用户错误。")
class ClearPolicyValuePayload:
    record: PolicyRecordType | None = None
    effective: EffectiveValueType | None = strawberry.field(
        default=None, description="该单位在生效日期的策略值（取消后，来自上级或默认值）。"
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _checked(problems: list[ErrorDetail], step: Callable[[], T]) -> T | None:
    try:
        return step()
    except UserInputError as error:
        problems.extend(error.errors)
        return None


def _payload_parts(
    context: RequestContext, unit: OrgUnit, record: PolicyValue, declaration: PolicyKey
) -> dict[str, Any]:
    _note_for_audit(context, unit, record)
    effective = service.resolve_detail(context.session, unit, declaration, record.effective_from)
    return {"record": PolicyRecordType(record=record), "effective": EffectiveValueType(resolved=effective)}


@strawberry.type
class PolicyMutation:
    @strawberry.mutation(
        description="为某单位及其下级设定策略值（自生效日期起，下级单位另行设定的除外）；历史记录保留。"
        "需要在该单位拥有 policy.manage 权限。"
    )
    @atomic
    def set_policy_value(self, info: strawberry.Info, input: SetPolicyValueInput) -> SetPolicyValuePayload:
        context: RequestContext = info.context
        registry = _registry(info)
        # Report every problem of the input at once.
        problems: list[ErrorDetail] = []
        declaration = _checked(problems, lambda: registry.require(input.key))
        unit = _checked(problems, lambda: _unit_for(context, input.org_unit_id, change=True))
        if declaration is not None:
            _checked(problems, lambda: declaration.parse(input.value))
        if not input.reason.strip():
            problems.append(ErrorDetail("REQUIRED", "请填写设定原因（如文件名称和文号）。", "reason"))
        if problems:
            raise UserInputError(errors=problems)
        assert declaration is not None and unit is not None
        record = service.set_value(
            context.session,
            unit,
            declaration,
            input.value,
            effective_from=input.effective_from,
            set_by=_actor(context),
            reason=input.reason,
        )
        return SetPolicyValuePayload(**_payload_parts(context, unit, record, declaration))

    @strawberry.mutation(
        description="自某日起取消某单位自己的策略设定，改为继承上级。需要在该单位拥有 policy.manage 权限。"
    )
    @atomic
    def clear_policy_value(self, info: strawberry.Info, input: ClearPolicyValueInput) -> ClearPolicyValuePayload:
        context: RequestContext = info.context
        unit = _unit_for(context, input.org_unit_id, change=True)
        declaration = _registry(info).require(input.key)
        record = service.clear_value(
            context.session,
            unit,
            declaration,
            effective_from=input.effective_from,
            set_by=_actor(context),
            reason=input.reason,
        )
        return ClearPolicyValuePayload(**_payload_parts(context, unit, record, declaration))
