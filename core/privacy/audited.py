"""Record types whose every read is audited (PIPL: reproductive health and
other sensitive records), declared by plugins through the
``register_audited_record_types`` hook.

Masking protects one field at a time (``core.privacy.fields``); some
records are sensitive as a whole — a woman's marriage, pregnancy and
contraception record, a birth, a certificate application. For those:

- only callers holding the type's ``permission`` where the record belongs
  can read it; to anyone else the record does not exist (``node(id:)``
  answers null, input IDs answer NOT_FOUND, lists leave it out);
- every read states a purpose: lists take a ``purpose`` argument,
  a single record is read with ``auditedNode(id:, purpose:)``; a plain
  ``node(id:)`` by a permitted reader is refused with PURPOSE_REQUIRED;
- every read writes one audit record (action ``read:<Type>``: who, what,
  when, why; the ids read in its detail, one record per list page or per
  export, so a page of 100 costs one audit record, not 100) and one
  ``audited_read`` row per record read, naming the person the record is
  about, in one batched insert;
- the person a record is about, signed in with a resident account, sees
  their own records (``myAuditedRecords``, itself logged as an own read) and
  every read of them with the reader and the purpose (``myRecordReads``).

Reads inside a mutation (an input ID's scope check, a payload) are covered
by the mutation's own audit record and are not logged again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.api.relay import NodeType, integer_bound
from core.audit.service import MAX_PURPOSE_LENGTH, actor_of, record_for_request
from core.auth.permissions import registry_for, scope_condition
from core.db import utcnow
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of
from core.privacy.models import READ_KINDS, AuditedRead

CORE_OWNER = "core"
TYPE_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*$")
# The request cache key under which auditedNode leaves the stated purpose for the loaders.
PURPOSE_KEY = "privacy.read_purpose"
# Ids per audit record of a list read: the detail stays within the audit trail's limits.
IDS_PER_AUDIT_RECORD = 100
OWN_PURPOSE = "本人查阅（个人信息查阅权）"


@dataclass(frozen=True)
class AuditedRecordType:
    """A record type whose every read is audited.

    ``type_name`` is the GraphQL type (registered with ``register_node_types``
    through ``audited_node_type``), ``label`` its Chinese name, ``model`` the
    SQLAlchemy model (with ``id``, ``org_unit_id`` and ``org_path``),
    ``permission`` the one permission that reads it, and ``subject_column``
    the model's column naming the resident the record is about (None when
    it is about a household or no one person). ``owner`` is set by the registry.
    """

    type_name: str
    label: str
    model: type
    permission: str
    subject_column: str | None = "resident_id"
    owner: str = CORE_OWNER

    def subject_of(self, row: Any) -> int | None:
        return getattr(row, self.subject_column) if self.subject_column else None


class AuditedRecordTypeError(RuntimeError):
    """Audited record type declarations that cannot be used."""


@dataclass(frozen=True)
class AuditedRecordRegistry:
    types: Mapping[str, AuditedRecordType]

    def get(self, type_name: str) -> AuditedRecordType | None:
        return self.types.get(type_name)

    def all(self) -> list[AuditedRecordType]:
        return list(self.types.values())


def build_audited_registry(host: PluginHost) -> AuditedRecordRegistry:
    """Every audited record type of ``host``; a type declared twice, a bad
    name or an undeclared permission stops with a message naming the plugin."""
    permissions = registry_for(host)
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, AuditedRecordType] = {}
    for impl in host.manager.hook.register_audited_record_types.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        for item in declared_by(impl):
            if not isinstance(item, AuditedRecordType):
                problems.append(f"{impl.plugin_name}: {item!r} is not a core.privacy.audited.AuditedRecordType")
                continue
            item = replace(item, owner=owner)
            if not TYPE_NAME.match(item.type_name):
                problems.append(f"{owner}: {item.type_name!r} is not a GraphQL type name")
            elif not item.label.strip():
                problems.append(f"{owner}: {item.type_name} needs a Chinese label")
            elif item.permission not in permissions:
                problems.append(f"{owner}: {item.type_name} is read with undeclared permission {item.permission!r}")
            elif item.type_name in declared:
                problems.append(f"audited record type {item.type_name} declared more than once")
            else:
                declared[item.type_name] = item
    if problems:
        raise AuditedRecordTypeError("invalid audited record types:\n  " + "\n  ".join(problems))
    return AuditedRecordRegistry(types=declared)


def audited_types_for(host: PluginHost) -> AuditedRecordRegistry:
    return host.derived("privacy.audited_types", build_audited_registry)


def audited_types_for_context(context: Any) -> AuditedRecordRegistry:
    return audited_types_for(host_of(context))


# --- purpose and logging -------------------------------------------------------------


def clean_purpose(purpose: str | None, field: str = "purpose") -> str:
    """The stated purpose, trimmed; PURPOSE_REQUIRED when there is none."""
    text = (purpose or "").strip()
    if not text:
        raise UserInputError("PURPOSE_REQUIRED", "查阅此类记录须说明用途，用途记入审计。", field)
    if len(text) > MAX_PURPOSE_LENGTH:
        raise UserInputError("TOO_LONG", f"用途不能超过 {MAX_PURPOSE_LENGTH} 个字。", field)
    return text


@dataclass(frozen=True)
class ReadEntry:
    """One record read: its key, the resident it is about and where it lives."""

    record_id: int | None
    subject_resident_id: int | None
    org_unit_id: int | None = None
    org_path: str | None = None


def entries_of(declaration: AuditedRecordType, rows: Iterable[Any]) -> list[ReadEntry]:
    return [
        ReadEntry(
            row.id, declaration.subject_of(row), getattr(row, "org_unit_id", None), getattr(row, "org_path", None)
        )
        for row in rows
    ]


def log_reads(
    context: Any,
    type_name: str,
    entries: Sequence[ReadEntry],
    *,
    kind: str,
    purpose: str,
    org_unit_id: int | None = None,
) -> None:
    """Audit one read of ``entries`` of ``type_name``: one audit record per
    ``IDS_PER_AUDIT_RECORD`` entries (a node read names its record) and one
    batched insert into ``audited_read``. Outside a mutation it commits at
    once, before the resolver returns the data. Nothing is logged for an
    empty read."""
    if kind not in READ_KINDS:
        raise ValueError(f"read kind must be one of {sorted(READ_KINDS)}")
    purpose = clean_purpose(purpose)
    if not entries:
        return
    session: Session = context.session
    single = entries[0] if kind in ("node", "own") and len(entries) == 1 else None
    for start in range(0, len(entries), IDS_PER_AUDIT_RECORD):
        chunk = entries[start : start + IDS_PER_AUDIT_RECORD]
        record_for_request(
            context,
            action=f"read:{type_name}",
            object_type=type_name,
            object_id=single.record_id if single else None,
            org_unit_id=single.org_unit_id if single else org_unit_id,
            purpose=purpose,
            detail={"kind": kind, "count": len(chunk), "ids": [e.record_id for e in chunk]},
        )
    actor = actor_of(getattr(context, "user", None))
    now = utcnow()
    session.execute(
        insert(AuditedRead),
        [
            {
                "read_at": now,
                "reader_user_id": actor.user_id,
                "reader_label": actor.label,
                "record_type": type_name,
                "record_id": e.record_id,
                "subject_resident_id": e.subject_resident_id,
                "kind": kind,
                "purpose": purpose,
                "org_unit_id": e.org_unit_id,
                "org_path": e.org_path,
            }
            for e in entries
        ],
    )
    if not getattr(context, "in_mutation", False):
        session.commit()


def log_rows(
    context: Any,
    declaration: AuditedRecordType,
    rows: Sequence[Any],
    *,
    kind: str,
    purpose: str,
    org_unit_id: int | None = None,
) -> None:
    """``log_reads`` for model rows of ``declaration``."""
    log_reads(
        context,
        declaration.type_name,
        entries_of(declaration, rows),
        kind=kind,
        purpose=purpose,
        org_unit_id=org_unit_id,
    )


# --- node loading ------------------------------------------------------------------


def scoped_rows(context: Any, declaration: AuditedRecordType, pks: Sequence[int]) -> dict[int, Any]:
    """The rows among ``pks`` the caller may read (the permission where each belongs)."""
    model: Any = declaration.model
    bound = integer_bound(model.id.type)
    wanted = [pk for pk in pks if 0 <= pk <= bound]
    if not wanted:
        return {}
    rows = context.session.scalars(
        select(model).where(model.id.in_(wanted), scope_condition(context, declaration.permission, model.org_path))
    )
    return {row.id: row for row in rows}


def audited_node_type(
    declaration: AuditedRecordType, scope_paths: Callable[[Any], Sequence[str]] | None = None
) -> NodeType:
    """The ``NodeType`` of an audited record type: ``node(id:)`` and input
    IDs see a record only with the type's permission where it belongs; a
    read outside a mutation needs the purpose ``auditedNode`` states and is
    logged, and a permitted reader without one is refused (PURPOSE_REQUIRED)."""

    def load(context: Any, pks: Sequence[int]) -> Mapping[int, object]:
        rows = scoped_rows(context, declaration, pks)
        if not rows or getattr(context, "in_mutation", False):
            return rows
        purpose = context.cache.get(PURPOSE_KEY)
        if purpose is None:
            raise UserInputError(
                "PURPOSE_REQUIRED",
                f"查阅{declaration.label}须说明用途：请使用 auditedNode(id:, purpose:)，用途记入审计。",
                "purpose",
            )
        log_rows(context, declaration, list(rows.values()), kind="node", purpose=purpose)
        return rows

    return NodeType(declaration.type_name, load, scope_paths)


def own_records(context: Any, resident_id: int) -> list[Any]:
    """Every audited record about ``resident_id`` (the caller's own), each
    type's read logged as an own read."""
    found: list[Any] = []
    for declaration in audited_types_for_context(context).all():
        if declaration.subject_column is None:
            continue
        model: Any = declaration.model
        rows = list(
            context.session.scalars(
                select(model).where(getattr(model, declaration.subject_column) == resident_id).order_by(model.id)
            )
        )
        log_rows(context, declaration, rows, kind="own", purpose=OWN_PURPOSE)
        found.extend(rows)
    return found


def audited_page(
    context: Any,
    declaration: AuditedRecordType,
    statement: Any,
    keys: Sequence[Any],
    *,
    purpose: str | None,
    first: int | None = None,
    after: str | None = None,
    org_unit_id: int | None = None,
) -> Any:
    """One page of ``statement`` (rows of ``declaration``'s model the caller
    may read), logged as one list read before it is returned."""
    from core.api.relay import paginate

    stated = clean_purpose(purpose)
    page = paginate(context, statement, keys, first=first, after=after)
    log_rows(
        context, declaration, [edge.node for edge in page.edges], kind="list", purpose=stated, org_unit_id=org_unit_id
    )
    return page
