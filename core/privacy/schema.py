"""GraphQL for sensitive fields: what can be revealed, and the one mutation
that reveals a clear value.

Every GraphQL field of sensitive data returns the masked value. The clear
value comes only from ``revealSensitiveField``: the caller names the object,
the field and the purpose; the value is returned when the caller holds the
field's reveal permission at the object's org unit (or the object is the
caller's own record and the field lets owners reveal it, see
``core.privacy.fields``), and the read is audited
(``core.audit.service.record_read``, action ``reveal:<Type>.<field>``, with
the purpose) in the mutation's transaction. A refusal returns
``userErrors`` and is audited too (``core.api.mutations.atomic`` records
refused mutations, with the object, field and purpose in the detail).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import strawberry

from core.api.context import RequestContext
from core.api.errors import (
    NotFoundError,
    PermissionDeniedError,
    UserError,
    UserInputError,
)
from core.api.mutations import atomic
from core.api.relay import MAX_BIG_INTEGER_PK, decode_global_id, parse_pk
from core.audit.service import MAX_PURPOSE_LENGTH, record_read
from core.auth.permissions import (
    principal_of,
    registry_for_context,
    require,
    require_signed_in,
)
from core.privacy.fields import sensitive_fields_for_context

# How much of a client-chosen field name goes into an audit record.
FIELD_NAME_IN_AUDIT = 64


@contextmanager
def forbidden_as_user_error(field: str | None = None) -> Iterator[None]:
    """Turn a ``PermissionDeniedError`` into ``userErrors`` code FORBIDDEN,
    so that ``atomic`` rolls back, audits the refusal and returns the payload."""
    try:
        yield
    except PermissionDeniedError as denied:
        raise UserInputError(denied.code, denied.message, field) from None


@strawberry.type(name="SensitiveField", description="一个敏感字段：默认脱敏显示，查看完整内容需要相应权限并记入审计。")
class SensitiveFieldType:
    type_name: str = strawberry.field(description="GraphQL 类型名，如 Resident。")
    field: str = strawberry.field(description="GraphQL 字段名，如 idNumber。")
    label: str = strawberry.field(description="中文名称，如 身份证号。")
    permission: str = strawberry.field(description="查看完整内容所需的权限代码。")
    own_permission: str | None = strawberry.field(
        default=None,
        description="本人查看本人记录的完整内容所需的权限代码（在任一单位拥有即可）；不允许本人查看时为空。",
    )


@strawberry.type
class PrivacyQuery:
    @strawberry.field(description="可以申请查看完整内容的敏感字段（核心与已启用插件声明的）。需要登录。")
    def sensitive_fields(self, info: strawberry.Info) -> list[SensitiveFieldType]:
        require_signed_in(info.context)
        return [
            SensitiveFieldType(
                type_name=f.type_name,
                field=f.field,
                label=f.label,
                permission=f.permission,
                own_permission=f.own_permission,
            )
            for f in sensitive_fields_for_context(info.context).all()
        ]


def _visible(context: RequestContext, type_name: str, pk: int) -> bool:
    """Whether ``node(id:)`` shows the caller this object (types without a
    node loader are checked by their permission alone)."""
    node_type = context.registry.node_types.get(type_name)
    return node_type is None or pk in node_type.load(context, [pk])


@strawberry.input(description="查看一个对象的一个敏感字段的完整内容。")
class RevealSensitiveFieldInput:
    object_id: strawberry.ID = strawberry.field(description="对象的全局 ID，如居民的 id。")
    field: str = strawberry.field(description="敏感字段的 GraphQL 名称，如 idNumber、phone（见 sensitiveFields）。")
    purpose: str = strawberry.field(description="查看用途，必填，记入审计，如“核对低保申请材料”。")


@strawberry.type
class RevealSensitiveFieldPayload:
    value: str | None = strawberry.field(default=None, description="完整内容；被拒绝或该字段未填写时为空。")
    label: str | None = strawberry.field(default=None, description="字段的中文名称。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PrivacyMutation:
    @strawberry.mutation(
        description="查看敏感字段的完整内容：需要在对象所属单位拥有该字段的查看权限（本人的记录：拥有该字段的本人查看权限即可），"
        "须说明用途；每次查看（包括被拒绝的）都记入审计。"
    )
    @atomic
    def reveal_sensitive_field(
        self, info: strawberry.Info, input: RevealSensitiveFieldInput
    ) -> RevealSensitiveFieldPayload:
        context: RequestContext = info.context
        purpose = input.purpose.strip()
        detail = {"field": input.field[:FIELD_NAME_IN_AUDIT], "purpose": purpose[:MAX_PURPOSE_LENGTH]}
        context.audit_subject(None, None, None, detail=detail)
        with forbidden_as_user_error("objectId"):
            require_signed_in(context)
        type_name, key = decode_global_id(input.object_id, field="objectId")
        pk = parse_pk(key, max_pk=MAX_BIG_INTEGER_PK)
        if pk is None:
            raise UserInputError("INVALID_ID", "ID 格式不正确。", "objectId")
        context.audit_subject(type_name, pk, None, detail=detail)
        declaration = sensitive_fields_for_context(context).get(type_name, input.field)
        if declaration is None:
            raise UserInputError("NOT_SENSITIVE_FIELD", f"{type_name} 没有名为“{input.field}”的敏感字段。", "field")
        if not purpose:
            raise UserInputError("PURPOSE_REQUIRED", "查看敏感信息须说明用途。", "purpose")
        if len(purpose) > MAX_PURPOSE_LENGTH:
            raise UserInputError("TOO_LONG", f"用途不能超过 {MAX_PURPOSE_LENGTH} 个字。", "purpose")
        found = declaration.load(context.session, pk)
        if found is None or not _visible(context, type_name, pk):
            # A record the caller may not see answers as one that does not exist.
            raise NotFoundError("对象", "objectId")
        context.audit_subject(type_name, pk, found.org_unit_id, detail=detail)
        own = declaration.reveals_own(principal_of(context), pk)
        if not own:
            with forbidden_as_user_error("objectId"):
                require(context, declaration.permission, found.org_path, registry=registry_for_context(context))
        record_read(
            context,
            action=declaration.action,
            object_type=type_name,
            object_id=pk,
            org_unit_id=found.org_unit_id,
            purpose=purpose,
            detail={"field": declaration.field, "own": True} if own else {"field": declaration.field},
        )
        return RevealSensitiveFieldPayload(value=found.value, label=declaration.label)
