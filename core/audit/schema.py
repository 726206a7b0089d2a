"""GraphQL for the audit trail: records of one subtree, newest first.

Reading needs ``audit.view``. The list is narrowed in SQL to the records
whose unit path lies where the caller holds it; records without an org unit
(sign-ins, reads not tied to a unit) are shown only to holders of
``audit.view`` at a root unit.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from enum import Enum

import strawberry
from sqlalchemy import ColumnElement, Select, func, or_, select

from core.api.context import RequestContext
from core.api.errors import UserInputError
from core.api.relay import (
    DEFAULT_PAGE_SIZE,
    Connection,
    Edge,
    PageInfo,
    decode_global_id,
    decode_pk,
    encode_global_id,
    model_type,
)
from core.api.rows import row_as
from core.audit.models import AuditRecord
from core.auth.permissions import can_at_root, registry_for_context, require_somewhere, scope_condition
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType

CURSOR_PREFIX = "audit:"
MAX_SEQ = 2**63 - 1
AUDIT_VIEW = "audit.view"
PAGE_UNITS_KEY = "audit.page_org_unit_ids"
LOADED_UNITS_KEY = "audit.org_units"


@strawberry.enum(name="AuditOutcome", description="被审计操作的结果。")
class AuditOutcome(Enum):
    SUCCESS = "success"
    REFUSED = "refused"
    ERROR = "error"


@model_type(
    AuditRecord, name="AuditRecord", description="一条审计记录：谁、在何时、对哪个对象、在哪个单位做了什么，结果如何。"
)
class AuditRecordType:
    occurred_at: datetime = strawberry.field(description="发生时间（UTC）。")
    actor_user_id: int | None = strawberry.field(description="操作人的用户 ID；匿名时为空。")
    actor_label: str = strawberry.field(description="操作人（记录时的名称），匿名时为 anonymous。")
    action: str = strawberry.field(description="操作，如 mutation:moveOrgUnit、reveal:resident.id_number。")
    object_type: str | None = strawberry.field(description="对象类型（GraphQL 类型名），如 OrgUnit。")
    org_unit_id: strawberry.Private[int | None]
    purpose: str | None = strawberry.field(description="查看敏感信息时填写的用途。")
    detail: str | None = strawberry.field(description="补充信息（JSON 文本）。")
    prev_hash: str = strawberry.field(description="上一条记录的哈希（SHA-256）。")
    hash: str = strawberry.field(description="本条记录的哈希（SHA-256），覆盖全部字段。")

    @strawberry.field(description="序号：审计链中从 1 开始连续编号（十进制字符串，可超出 32 位整数）。")
    def seq(self, root: AuditRecord) -> str:
        return str(root.seq)

    @strawberry.field(description="对象的全局 ID（对象可能已不存在）；操作不针对单个对象时为空。")
    def object_id(self, root: AuditRecord) -> strawberry.ID | None:
        object_type, object_key = root.object_type, root.object_id
        if object_type is None or object_key is None:
            return None
        return strawberry.ID(encode_global_id(object_type, object_key))

    @strawberry.field(description="结果：成功、被拒绝或出错。")
    def outcome(self, root: AuditRecord) -> AuditOutcome:
        return AuditOutcome(root.outcome)

    @strawberry.field(description="操作所在的组织单位（若仍存在）。")
    def org_unit(self, root: AuditRecord, info: strawberry.Info) -> OrgUnitType | None:
        unit_id = root.org_unit_id
        if unit_id is None:
            return None
        context: RequestContext = info.context
        # The units of every record on the page are loaded in one query.
        loaded: dict[int, OrgUnit] = context.cache.setdefault(LOADED_UNITS_KEY, {})
        pending: set[int] = context.cache.setdefault(PAGE_UNITS_KEY, set())
        if unit_id not in loaded and unit_id in pending:
            loaded.update((u.id, u) for u in context.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(pending))))
            pending.clear()
        if unit_id in loaded:
            return row_as(OrgUnitType, loaded[unit_id])
        return row_as(OrgUnitType, context.session.get(OrgUnit, unit_id))


def _encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{seq}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, field: str) -> int:
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    digits = text.removeprefix(CURSOR_PREFIX)
    if (
        not text.startswith(CURSOR_PREFIX)
        or not (digits.isascii() and digits.isdigit())
        or len(digits) > 19
        or int(digits) > MAX_SEQ
    ):
        raise UserInputError("INVALID_CURSOR", "分页游标无效，请从第一页重新开始。", field)
    return int(digits)


def paginate_newest_first(
    context: RequestContext,
    statement: Select[AuditRecord],
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> Connection[AuditRecordType]:
    """Keyset pages by seq, newest first: ``first``/``after`` go back in time."""
    max_size = context.settings.max_page_size
    if first is not None and last is not None:
        raise UserInputError("INVALID_ARGUMENTS", "first 与 last 不能同时使用。", "last")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= max_size:
            raise UserInputError("PAGE_SIZE_OUT_OF_RANGE", f"每页数量须在 0 到 {max_size} 之间。", name)
    backwards = last is not None
    size = last if backwards else (first if first is not None else DEFAULT_PAGE_SIZE)
    assert size is not None

    page = statement
    if after is not None:
        page = page.where(AuditRecord.seq < _decode_cursor(after, "after"))
    if before is not None:
        page = page.where(AuditRecord.seq > _decode_cursor(before, "before"))
    order = AuditRecord.seq.asc() if backwards else AuditRecord.seq.desc()
    rows = list(context.session.scalars(page.order_by(order).limit(size + 1)))
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    edges = [Edge(cursor=_encode_cursor(row.seq), node=row_as(AuditRecordType, row)) for row in rows]
    context.cache.setdefault(PAGE_UNITS_KEY, set()).update(row.org_unit_id for row in rows if row.org_unit_id)

    def count_total() -> int:
        count = select(func.count()).select_from(statement.order_by(None).subquery())
        return int(context.session.scalar(count) or 0)

    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_more if not backwards else before is not None,
            has_previous_page=has_more if backwards else after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        count_total=count_total,
    )


def visible_records(who: object) -> ColumnElement[bool]:
    """SQL: the audit records ``who`` may read (see the module docstring)."""
    in_scope = scope_condition(who, AUDIT_VIEW, AuditRecord.org_unit_path)
    if can_at_root(who, AUDIT_VIEW):
        return or_(in_scope, AuditRecord.org_unit_path.is_(None))
    return in_scope


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description="审计记录，最新的在前。给出 orgUnitId 时只列该单位及其全部下级的记录；"
        "可按操作（如 mutation:moveOrgUnit）、对象类型和对象（全局 ID）筛选。"
        "需要 audit.view 权限，只列出该权限范围内单位的记录；不属于任何单位的记录只对在根单位拥有该权限的人可见。"
    )
    def audit_records(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID | None = None,
        action: str | None = None,
        object_type: str | None = None,
        object_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[AuditRecordType]:
        context: RequestContext = info.context
        require_somewhere(context, AUDIT_VIEW, registry=registry_for_context(context))
        statement = select(AuditRecord).where(visible_records(context))
        unit = None
        if org_unit_id is not None:
            unit = org_service.get_unit(
                context.session, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId"), field="orgUnitId"
            )
            statement = statement.where(org_service.in_subtree(AuditRecord.org_unit_path, unit.path))
        if action is not None:
            statement = statement.where(AuditRecord.action == action)
        if object_type is not None:
            statement = statement.where(AuditRecord.object_type == object_type)
        if object_id is not None:
            type_name, key = decode_global_id(object_id, field="objectId")
            statement = statement.where(AuditRecord.object_type == type_name, AuditRecord.object_id == key)
        return paginate_newest_first(context, statement, first=first, after=after, last=last, before=before)
