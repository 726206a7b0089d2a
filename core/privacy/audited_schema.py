"""GraphQL of audited record types (``core.privacy.audited``): reading one
record with a stated purpose, a resident's own records and every read of
them (PIPL art. 45: the right to know who processed one's information)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.relay import Connection, Node, model_type, paginate
from core.api.rows import node_as
from core.auth.permissions import Principal, require_signed_in, require_somewhere
from core.privacy.audited import (
    PURPOSE_KEY,
    audited_types_for_context,
    clean_purpose,
    own_records,
)
from core.privacy.enums import RecordReadKind
from core.privacy.models import READ_KINDS, AuditedRead

VIEW_OWN = "people.view_own"


@model_type(AuditedRead, name="RecordRead", description="一次对本人敏感记录的查阅：谁、何时、以何用途、以何方式查阅。")
class RecordReadType:
    read_at: datetime = strawberry.field(description="查阅时间。")
    reader_label: str = strawberry.field(description="查阅人（查阅时的账号显示名）。")
    record_type: str = strawberry.field(description="记录类型（GraphQL 类型名，见 auditedRecordTypes）。")
    purpose: str = strawberry.field(description="查阅人说明的用途。")
    kind: str = strawberry.field(
        description="查阅方式：list、node、export 或 own。", deprecation_reason="改用 readKind（枚举）。"
    )

    @strawberry.field(description="查阅方式。")
    def read_kind(self) -> RecordReadKind:
        return RecordReadKind(self.kind)

    @strawberry.field(description="记录类型的中文名称。")
    def record_type_label(self, info: strawberry.Info) -> str:
        found = audited_types_for_context(info.context).get(self.record_type)
        return found.label if found else self.record_type

    @strawberry.field(description="查阅方式的中文名称。")
    def kind_label(self) -> str:
        return READ_KINDS.get(self.kind, self.kind)


@strawberry.type(name="AuditedRecordTypeInfo", description="每次查阅都记入审计的记录类型。")
class AuditedRecordTypeInfo:
    type_name: str = strawberry.field(description="GraphQL 类型名。")
    label: str = strawberry.field(description="中文名称。")
    permission: str = strawberry.field(description="查阅所需的权限代码。")


def _own_resident(context: RequestContext) -> tuple[Principal, int]:
    principal = require_signed_in(context)
    require_somewhere(context, VIEW_OWN)
    if principal.resident_id is None:
        from core.api.errors import UserInputError

        raise UserInputError("NO_RESIDENT", "该账号未关联居民本人，无法查看本人记录。", None)
    return principal, principal.resident_id


@strawberry.type
class AuditedRecordsQuery:
    @strawberry.field(
        description="按全局 ID 查阅一条须审计的记录（如计划生育记录），须说明用途；每次查阅记入审计。"
        "无权查阅或不存在时为 null。其他类型的对象与 node 相同。"
    )
    def audited_node(self, info: strawberry.Info, id: strawberry.ID, purpose: str) -> Node | None:
        context: RequestContext = info.context
        context.cache[PURPOSE_KEY] = clean_purpose(purpose)
        try:
            return node_as(context.registry.load_nodes(context, [id])[0])
        finally:
            context.cache.pop(PURPOSE_KEY, None)

    @strawberry.field(description="每次查阅都记入审计的记录类型（核心与已启用插件声明的）。需要登录。")
    def audited_record_types(self, info: strawberry.Info) -> list[AuditedRecordTypeInfo]:
        require_signed_in(info.context)
        return [
            AuditedRecordTypeInfo(type_name=t.type_name, label=t.label, permission=t.permission)
            for t in audited_types_for_context(info.context).all()
        ]

    @strawberry.field(
        description="居民本人：关于本人的全部须审计记录（如本人的婚育信息、生育登记），本次查阅也记入本人的查阅记录。"
        "须在任一单位拥有 people.view_own 权限且账号关联居民本人。"
    )
    def my_audited_records(self, info: strawberry.Info) -> list[Node]:
        context: RequestContext = info.context
        _, resident_id = _own_resident(context)
        return own_records(context, resident_id)

    @strawberry.field(
        description="居民本人：谁在何时以何用途查阅过关于本人的须审计记录（个人信息查阅权），最新的在前。"
    )
    def my_record_reads(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> Connection[RecordReadType]:
        context: RequestContext = info.context
        _, resident_id = _own_resident(context)
        statement = select(AuditedRead).where(AuditedRead.subject_resident_id == resident_id)
        return paginate(context, statement, (AuditedRead.id,), first=first, after=after, descending=True)
