"""Appending to the audit trail and verifying its hash chain.

Appending on PostgreSQL
    ``record()`` inserts the record into ``audit_pending`` inside the
    caller's transaction, without touching the chain head: the record is
    durable exactly when the mutation is, and concurrent mutations commit
    side by side (PostgreSQL shares one WAL flush among concurrent commits).
    With it goes its canonical text, with marks where seq, prev_hash and the
    unit's path go. After the commit, once the session has handed back its
    connection, the writer wakes the chainer (``core.audit.chainer``, one
    thread per engine) and waits for a pass that began after its commit.
    A pass is one statement per batch (``_CHAIN``): it locks the head, moves
    committed pending records into ``audit_record`` in id order, numbers and
    hashes them in the database and advances the head: one lock and one
    commit for every writer that was waiting, instead of one each. A record
    whose chaining did not happen (the process died after the commit) stays
    pending and is chained by the next pass, or by ``jiceng audit verify``,
    which chains first and reports records pending longer than a bound.
    Sessions in autocommit mode (GraphQL queries auditing a reveal) append
    inline as below.

Appending inline (SQLite, and PostgreSQL outside a transaction)
    ``record()`` writes one record inside the caller's transaction. It first
    takes the chain head with ``UPDATE audit_chain_head SET seq = seq + 1 ...
    RETURNING seq, hash`` (on PostgreSQL ``SELECT ... FOR UPDATE`` in the one
    statement that also hashes, inserts and advances, so that the lock is
    held for one round trip plus the commit): that row lock is held until the
    caller commits or rolls back, and a concurrent appender waits and then
    continues from the row as the first one committed it (read committed);
    on SQLite the statement takes the database's write lock. Either way
    appends are serialized and the chain never forks. A rolled-back
    transaction takes its record and its head update with it, so seqs stay
    gap-free. Call ``record()`` late in a transaction: the lock serializes
    every auditing transaction from that point until it ends.

Hashing
    ``hash`` is SHA-256 over a canonical JSON serialization (sorted keys, no
    whitespace, UTF-8, timestamps in UTC with microseconds) of every field of
    the record, ``seq`` and ``prev_hash`` included. Record 1 links to
    ``GENESIS_HASH``.

Verifying
    ``verify()`` chains what is pending first, then reads the head and
    walks records 1..head.seq in batches (memory stays bounded), recomputing each hash and checking each
    link; records appended while it runs are beyond the head it read and are
    left for the next run, so concurrent writers cause no false reports.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    String,
    event,
    exists,
    func,
    insert,
    select,
    text,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction
from strawberry.types.base import StrawberryOptional

from core.api.context import AuditSubject
from core.api.errors import UserInputError
from core.audit.models import (
    ACTION_LENGTH,
    ACTOR_LABEL_LENGTH,
    GENESIS_HASH,
    HEAD_ROW_ID,
    OBJECT_ID_LENGTH,
    OBJECT_TYPE_LENGTH,
    OUTCOMES,
    AuditChainHead,
    AuditPending,
    AuditRecord,
)
from core.db import utcnow
from core.org.models import OrgUnit

if TYPE_CHECKING:
    from core.api.context import RequestContext

ANONYMOUS = "anonymous"
HASH_VERSION = "jiceng-audit-v1"
MAX_DETAIL_LENGTH = 4000
MAX_PURPOSE_LENGTH = 500
VERIFY_BATCH_SIZE = 1000
# Pending records moved into the chain per head lock.
CHAIN_BATCH_SIZE = 500
# A record still pending this long after it was written was not chained
# after its commit (the process died, or chaining failed): verify reports it.
PENDING_GRACE = timedelta(minutes=5)
MAX_REPORTED_PROBLEMS = 100

# The fields a record's hash covers, in a fixed order (the serialization sorts keys anyway).
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_user_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "org_unit_id",
    "org_unit_path",
    "outcome",
    "purpose",
    "detail",
    "prev_hash",
)


log = logging.getLogger(__name__)


class AuditChainError(RuntimeError):
    """The chain cannot be continued (its head row is gone while records exist)."""


# --- canonical form and hash -------------------------------------------------------


def canonical_time(value: datetime | str) -> str:
    """A timestamp as hashed: UTC, microseconds, ``Z``. SQLite keeps naive
    UTC times (as text), PostgreSQL aware ones; both hash the same."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_bytes(fields: Mapping[str, Any]) -> bytes:
    """The bytes a record's hash is computed over."""
    values: dict[str, Any] = {"v": HASH_VERSION}
    for name in HASHED_FIELDS:
        value = fields[name]
        if name == "occurred_at":
            value = canonical_time(value)
        elif name in ("seq", "actor_user_id", "org_unit_id") and value is not None:
            value = int(value)
        values[name] = value
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def compute_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()


def canonical_detail(detail: Mapping[str, Any] | None) -> str | None:
    """``detail`` as stored: compact JSON with sorted keys, or None when empty."""
    if not detail:
        return None
    text = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    if len(text) > MAX_DETAIL_LENGTH:
        raise ValueError(f"audit detail is {len(text)} characters; at most {MAX_DETAIL_LENGTH} are kept")
    return text


# --- appending -----------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str


def actor_of(user: Any) -> Actor:
    """The actor recorded for a request's ``user`` (None: anonymous)."""
    if user is None:
        return Actor(None, ANONYMOUS)
    user_id = getattr(user, "id", None)
    label = getattr(user, "username", None) or (f"user:{user_id}" if user_id is not None else str(user))
    return Actor(int(user_id) if user_id is not None else None, str(label)[:ACTOR_LABEL_LENGTH])


def _check_length(name: str, value: str | None, limit: int) -> None:
    if value is not None and len(value) > limit:
        raise ValueError(f"audit {name} is {len(value)} characters; at most {limit} fit")


def _take_head(session: Session) -> tuple[int, str]:
    """Lock the chain head and advance it by one: returns (new seq, previous hash)."""
    advance = (
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ROW_ID)
        .values(seq=AuditChainHead.seq + 1)
        .returning(AuditChainHead.seq, AuditChainHead.hash)
        .execution_options(synchronize_session=False)
    )
    row = session.execute(advance).first()
    if row is None:
        _create_head(session)
        row = session.execute(advance).first()
        if row is None:  # pragma: no cover - deleted again in between
            raise AuditChainError("audit_chain_head 行在写入时消失。")
    return int(row[0]), str(row[1])


def _dialect_name(db: Session | Connection) -> str:
    return db.dialect.name if isinstance(db, Connection) else db.get_bind().dialect.name


def _create_head(session: Session | Connection) -> None:
    """Start the chain on an empty trail (new or emptied database). If another
    transaction creates the head at the same time, its row is used."""
    dialect = _dialect_name(session)
    values = {"id": HEAD_ROW_ID, "seq": 0, "hash": GENESIS_HASH}
    statement: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(AuditChainHead).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(AuditChainHead).values(values).on_conflict_do_nothing()
    else:
        statement = insert(AuditChainHead).values(values)
    created = session.execute(statement.returning(AuditChainHead.id)).first() is not None
    # Records are only ever written together with the head, so records
    # without a head mean the head row was deleted.
    if created and session.scalar(select(exists().where(AuditRecord.seq > 0))):
        raise AuditChainError(
            "审计链的链头（audit_chain_head）缺失而审计记录仍在：链已被篡改，停止写入。请运行 jiceng audit verify。"
        )


def _unit_path(session: Session, org_unit_id: int | None) -> str | None:
    if org_unit_id is None:
        return None
    return session.scalar(select(OrgUnit.path).where(OrgUnit.id == org_unit_id))


def record(
    session: Session,
    *,
    action: str,
    outcome: str = "success",
    object_type: str | None = None,
    object_id: object | None = None,
    org_unit_id: int | None = None,
    actor_user_id: int | None = None,
    actor_label: str = ANONYMOUS,
    purpose: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one record inside the caller's transaction and return it.

    The record persists exactly when the caller's transaction commits. The
    org unit's current path is stored with it, so that the record stays in
    that subtree even if the unit is moved later.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"audit outcome must be one of {OUTCOMES}, not {outcome!r}")
    if not action:
        raise ValueError("audit action is required")
    object_key = None if object_id is None else str(object_id)
    _check_length("action", action, ACTION_LENGTH)
    _check_length("actor_label", actor_label, ACTOR_LABEL_LENGTH)
    _check_length("object_type", object_type, OBJECT_TYPE_LENGTH)
    _check_length("object_id", object_key, OBJECT_ID_LENGTH)
    _check_length("purpose", purpose, MAX_PURPOSE_LENGTH)
    fields: dict[str, Any] = {
        "actor_user_id": actor_user_id,
        "actor_label": actor_label,
        "action": action,
        "object_type": object_type,
        "object_id": object_key,
        "org_unit_id": org_unit_id,
        "outcome": outcome,
        "purpose": purpose,
        "detail": canonical_detail(detail),
    }
    session.flush()  # the caller's pending changes go out before the lock is taken
    if _chains_after_commit(session):
        appended = _append_pending(session, fields)
        if appended is not None:
            return appended
    # Read before the head is locked, to keep the lock short.
    fields["org_unit_path"] = _unit_path(session, org_unit_id)
    return _append(session, fields)


# session.info keys: the transaction wrote pending records; they were committed.
_PENDING_WRITTEN = "jiceng_audit_pending_written"
_PENDING_COMMITTED = "jiceng_audit_pending_committed"
# How long a writer waits for its record to be chained; past that the
# mutation returns anyway (its record is committed, and chained later).
CHAIN_WAIT_SECONDS = 10.0


def _chains_after_commit(session: Session) -> bool:
    """PostgreSQL in a real transaction. In autocommit mode each statement
    commits on its own, so the record is appended inline in one statement."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bool(bind.get_execution_options().get("isolation_level") != "AUTOCOMMIT")


# A plain statement: every mutation runs it, and an ORM insert costs several
# times more Python time than the round trip.
_INSERT_PENDING = text(
    """
    INSERT INTO audit_pending (occurred_at, actor_user_id, actor_label, action, object_type, object_id,
                               org_unit_id, org_unit_path, outcome, purpose, detail, canonical)
    VALUES (:occurred_at, :actor_user_id, :actor_label, :action, :object_type, :object_id,
            :org_unit_id, (SELECT path FROM org_unit WHERE id = :org_unit_id), :outcome, :purpose, :detail,
            :canonical)
    """
)


def _append_pending(session: Session, fields: dict[str, Any]) -> AuditRecord | None:
    """Write the record unchained; it is chained after the caller commits.
    The unit's path is read by the insert itself (one round trip less per
    mutation) and filled into the canonical text when the record is
    chained. None when a value holds a mark: the caller appends inline."""
    fields["occurred_at"] = utcnow()
    canonical = _canonical_template(fields)
    if canonical is None:
        return None
    session.execute(_INSERT_PENDING, {**fields, "canonical": canonical})
    session.info[_PENDING_WRITTEN] = True
    # Not chained yet: seq, prev_hash and hash are assigned by the chainer.
    return AuditRecord(**fields)


@event.listens_for(Session, "after_commit")
def _note_committed(session: Session) -> None:
    if session.info.pop(_PENDING_WRITTEN, False):
        session.info[_PENDING_COMMITTED] = session.get_bind().engine


@event.listens_for(Session, "after_transaction_end")
def _wait_until_chained(session: Session, transaction: SessionTransaction) -> None:
    """After a commit that wrote pending records, and after the session has
    handed its connection back to the pool: wake the chainer and wait until
    a chaining pass that began after the commit has ended, so that the
    mutation returns with its record in the chain. A rolled-back
    transaction took its pending records with it."""
    if transaction.parent is not None:
        return
    session.info.pop(_PENDING_WRITTEN, None)
    engine = session.info.pop(_PENDING_COMMITTED, None)
    if engine is None:
        return
    from core.audit.chainer import chainer_for

    if not chainer_for(engine).wait_for_pass(CHAIN_WAIT_SECONDS):
        log.warning(
            "audit records not chained within %s s; they stay pending and are chained later", CHAIN_WAIT_SECONDS
        )


# One statement chains a batch, so that the head's lock is held for one
# round trip plus the commit, whatever the batch size: lock the head, take
# up to :limit committed pending records (oldest first), number them after
# the head, hash each over its canonical text with its seq, the previous
# hash and its unit's path (as JSON: paths are digits and slashes, which
# PostgreSQL and Python write alike) filled in (a recursive step per record), insert them into the chain
# and advance the head. Nothing is taken while the head row is missing.
# Only the head's holder takes pending rows; SKIP LOCKED keeps an outside
# lock on one of them from stalling the chain.
_CHAIN = text(
    """
    WITH RECURSIVE head AS (
        SELECT seq, hash FROM audit_chain_head WHERE id = :head_id FOR UPDATE
    ), taken AS (
        DELETE FROM audit_pending
        WHERE id IN (SELECT id FROM audit_pending ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED)
          AND EXISTS (SELECT 1 FROM head)
        RETURNING *
    ), ordered AS (
        SELECT taken.*, row_number() OVER (ORDER BY taken.id) AS n FROM taken
    ), chain (n, seq, prev_hash, hash) AS (
        SELECT CAST(0 AS bigint), head.seq, CAST(NULL AS text), CAST(head.hash AS text) FROM head
        UNION ALL
        SELECT o.n, c.seq + 1, c.hash,
               encode(sha256(convert_to(
                   replace(replace(replace(o.canonical, :prev_mark, '"' || c.hash || '"'),
                                   :seq_mark, CAST(c.seq + 1 AS text)),
                           :path_mark, COALESCE(CAST(to_json(CAST(o.org_unit_path AS text)) AS text), 'null')),
                   'UTF8')), 'hex')
        FROM chain c JOIN ordered o ON o.n = c.n + 1
    ), inserted AS (
        INSERT INTO audit_record (seq, occurred_at, actor_user_id, actor_label, action, object_type, object_id,
                                  org_unit_id, org_unit_path, outcome, purpose, detail, prev_hash, hash)
        SELECT c.seq, o.occurred_at, o.actor_user_id, o.actor_label, o.action, o.object_type, o.object_id,
               o.org_unit_id, o.org_unit_path, o.outcome, o.purpose, o.detail, c.prev_hash, c.hash
        FROM ordered o JOIN chain c ON c.n = o.n
        RETURNING seq
    ), advanced AS (
        UPDATE audit_chain_head SET seq = last.seq, hash = last.hash
        FROM (SELECT seq, hash FROM chain WHERE n > 0 ORDER BY n DESC LIMIT 1) AS last
        WHERE audit_chain_head.id = :head_id
    )
    SELECT (SELECT count(*) FROM head) AS head_found, (SELECT count(*) FROM inserted) AS chained
    """
)


def _chain_batch(db: Session | Connection, limit: int = CHAIN_BATCH_SIZE) -> int:
    """Chain up to ``limit`` pending records in one statement (atomic on its
    own, or part of the caller's transaction). Returns how many."""
    params = {
        "head_id": HEAD_ROW_ID,
        "limit": limit,
        "prev_mark": json.dumps(_PREV_MARK),
        "seq_mark": str(_SEQ_MARK),
        "path_mark": json.dumps(_PATH_MARK),
    }
    row = db.execute(_CHAIN, params).one()
    if not row.head_found:
        _create_head(db)  # refuses to start over while records exist
        row = db.execute(_CHAIN, params).one()
    return int(row.chained)


def chain_all_pending(connection: Connection) -> int:
    """Chain every committed pending record; ``connection`` is in
    autocommit mode, so each batch commits on its own. Returns how many."""
    total = 0
    while True:
        chained = _chain_batch(connection)
        total += chained
        if chained < CHAIN_BATCH_SIZE:
            return total


def chain_pending(session: Session, *, batch_size: int = CHAIN_BATCH_SIZE) -> int:
    """Chain every committed pending record, one transaction of ``session``
    per batch; returns how many were chained. Ends any open transaction of
    ``session`` first (committing it). Nothing to do on SQLite, which chains
    inline."""
    if not _chains_after_commit(session):
        return 0
    session.commit()
    total = 0
    while True:
        chained = _chain_batch(session, batch_size)
        session.commit()
        total += chained
        if chained < batch_size:
            return total


def _append(session: Session, fields: dict[str, Any]) -> AuditRecord:
    """Chain ``fields`` to the head and write the record."""
    if session.get_bind().dialect.name == "postgresql":
        appended = _append_in_one_statement(session, fields)
        if appended is not None:
            return appended
    seq, prev_hash = _take_head(session)
    fields.update(seq=seq, prev_hash=prev_hash, occurred_at=utcnow())
    fields["hash"] = compute_hash(fields)
    entry = AuditRecord(**fields)
    session.add(entry)
    session.flush()
    session.execute(
        update(AuditChainHead)
        .where(AuditChainHead.id == HEAD_ROW_ID)
        .values(hash=fields["hash"])
        .execution_options(synchronize_session=False)
    )
    return entry


# Stand-ins for seq and prev_hash in the canonical text of a record, which
# PostgreSQL fills in under the head's lock (see _append_in_one_statement
# and _CHAIN).
_SEQ_MARK = -731_922_408_516_277_093
_PREV_MARK = "prev-hash-to-be-filled-in-9c1f6e2a4b7d"
_PATH_MARK = "unit-path-to-be-filled-in-5e8d0b3c7a1f"

# One round trip under the chain head's lock, instead of three: the head row
# is locked and read, the record's hash computed from the canonical text
# around it (sha256 in the database), the record inserted and the head
# advanced. Each mutation holds the lock from here to its commit, so every
# round trip saved here is saved for every writer waiting behind it.
_APPEND = text(
    """
    WITH old AS (
        SELECT seq, hash FROM audit_chain_head WHERE id = :head_id FOR UPDATE
    ), new AS (
        SELECT old.seq + 1 AS seq, old.hash AS prev_hash,
               encode(sha256(convert_to(
                   CAST(:before_prev AS text) || '"' || old.hash || '"' || CAST(:before_seq AS text)
                   || (old.seq + 1)::text || CAST(:after_seq AS text),
                   'UTF8')), 'hex') AS hash
        FROM old
    ), advanced AS (
        UPDATE audit_chain_head SET seq = new.seq, hash = new.hash FROM new
        WHERE audit_chain_head.id = :head_id RETURNING audit_chain_head.seq
    )
    INSERT INTO audit_record (seq, occurred_at, actor_user_id, actor_label, action, object_type, object_id,
                              org_unit_id, org_unit_path, outcome, purpose, detail, prev_hash, hash)
    SELECT new.seq, CAST(:occurred_at AS timestamptz), CAST(:actor_user_id AS integer), CAST(:actor_label AS text),
           CAST(:action AS text), CAST(:object_type AS text), CAST(:object_id AS text), CAST(:org_unit_id AS integer),
           CAST(:org_unit_path AS text), CAST(:outcome AS text), CAST(:purpose AS text), CAST(:detail AS text),
           new.prev_hash, new.hash
    FROM new
    RETURNING seq, prev_hash, hash
    """
)


def _canonical_template(fields: Mapping[str, Any]) -> str | None:
    """The canonical text of a record with marks for its seq, prev_hash and
    org_unit_path (filled in when it is chained), or None if a mark is not
    found exactly once."""
    marked = {**fields, "seq": _SEQ_MARK, "prev_hash": _PREV_MARK, "org_unit_path": _PATH_MARK}
    canonical = canonical_bytes(marked).decode("utf-8")
    for mark in (json.dumps(_PREV_MARK), str(_SEQ_MARK), json.dumps(_PATH_MARK)):
        if canonical.count(mark) != 1:
            return None
    return canonical


def _canonical_parts(fields: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """The canonical text of a record split around its prev_hash and seq
    values (keys are sorted: prev_hash comes first), or None if the marks
    are not found exactly once each."""
    canonical = canonical_bytes({**fields, "seq": _SEQ_MARK, "prev_hash": _PREV_MARK}).decode("utf-8")
    prev_mark, seq_mark = json.dumps(_PREV_MARK), str(_SEQ_MARK)
    if canonical.count(prev_mark) != 1 or canonical.count(seq_mark) != 1:
        return None
    before_prev, rest = canonical.split(prev_mark)
    if seq_mark not in rest:
        return None
    before_seq, after_seq = rest.split(seq_mark)
    return before_prev, before_seq, after_seq


def _append_in_one_statement(session: Session, fields: dict[str, Any]) -> AuditRecord | None:
    """Append on PostgreSQL in one statement; None when the caller must
    take the general path (the marks clash with a value)."""
    fields["occurred_at"] = utcnow()
    parts = _canonical_parts(fields)
    if parts is None:
        return None
    before_prev, before_seq, after_seq = parts
    params = {
        **{name: fields[name] for name in HASHED_FIELDS if name not in ("seq", "prev_hash")},
        "head_id": HEAD_ROW_ID,
        "before_prev": before_prev,
        "before_seq": before_seq,
        "after_seq": after_seq,
    }
    row = session.execute(_APPEND, params).first()
    if row is None:
        _create_head(session)
        row = session.execute(_APPEND, params).first()
        if row is None:  # pragma: no cover - deleted again in between
            raise AuditChainError("audit_chain_head 行在写入时消失。")
    # The row is written; the returned object is a detached copy of it.
    return AuditRecord(**fields, seq=int(row[0]), prev_hash=str(row[1]), hash=str(row[2]))


class AuditedRequest(Protocol):
    """What auditing a read takes from a request: its session and the
    signed-in user (a ``RequestContext``, or a download's own context)."""

    @property
    def session(self) -> Session: ...

    @property
    def user(self) -> Any: ...


def record_for_request(context: AuditedRequest, *, action: str, **fields: Any) -> AuditRecord:
    """``record()`` with the actor taken from the request's user."""
    actor = actor_of(getattr(context, "user", None))
    return record(context.session, action=action, actor_user_id=actor.user_id, actor_label=actor.label, **fields)


def record_read(
    context: AuditedRequest,
    *,
    action: str,
    object_type: str,
    object_id: object,
    org_unit_id: int | None,
    purpose: str | None,
    detail: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Audit a read of sensitive data (``action`` such as
    ``"reveal:resident.id_number"``) before the data is returned.

    Queries are never committed, so outside a mutation the record is
    committed here, at once; a resolver returns the data only after this
    returns. Inside a mutation it joins the mutation's transaction. The
    user must state a purpose (PIPL: who, what, when, why).
    """
    purpose = (purpose or "").strip()
    if not purpose:
        raise UserInputError("PURPOSE_REQUIRED", "查看敏感信息须说明用途。", "purpose")
    if len(purpose) > MAX_PURPOSE_LENGTH:
        raise UserInputError("TOO_LONG", f"用途不能超过 {MAX_PURPOSE_LENGTH} 个字。", "purpose")
    entry = record_for_request(
        context,
        action=action,
        object_type=object_type,
        object_id=object_id,
        org_unit_id=org_unit_id,
        purpose=purpose,
        detail=detail,
    )
    if not getattr(context, "in_mutation", False):
        context.session.commit()
    return entry


def subject_from_payload(payload: object) -> AuditSubject | None:
    """The first object of a mutation payload whose GraphQL type is a
    ``Node``: its type name, id and org unit (the unit itself, or the
    object's ``org_unit_id``)."""
    from core.api.relay import Node

    definition = getattr(type(payload), "__strawberry_definition__", None)
    if definition is None:
        return None
    for payload_field in definition.fields:
        value = getattr(payload, payload_field.python_name, None)
        object_id = getattr(value, "id", None)
        if value is None or object_id is None:
            continue
        field_type: Any = payload_field.type
        while isinstance(field_type, StrawberryOptional):
            field_type = field_type.of_type
        if not (isinstance(field_type, type) and issubclass(field_type, Node)):
            continue
        org_unit_id = object_id if isinstance(value, OrgUnit) else getattr(value, "org_unit_id", None)
        return AuditSubject(field_type.__strawberry_definition__.name, object_id, org_unit_id)  # type: ignore[attr-defined]
    return None


def record_mutation(
    context: RequestContext,
    action: str,
    outcome: str,
    *,
    payload: object | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """The record of one mutation: its subject is what the resolver noted
    (``context.audit_subject``), else the payload's first ``Node``."""
    subject = context.audit_note or (subject_from_payload(payload) if payload is not None else None)
    merged = dict(subject.detail or {}) if subject else {}
    merged.update(detail or {})
    return record_for_request(
        context,
        action=action,
        outcome=outcome,
        detail=_within_limit(merged),
        object_type=subject.object_type if subject else None,
        object_id=subject.object_id if subject else None,
        org_unit_id=subject.org_unit_id if subject else None,
    )


# Per value of a mutation's audit detail; the whole detail stays within MAX_DETAIL_LENGTH.
DETAIL_TEXT_LENGTH = 200
DETAIL_LIST_ITEMS = 100


def _within_limit(detail: dict[str, Any]) -> dict[str, Any]:
    """A resolver notes what the client sent (a role code, a kind, a reason):
    overlong input, typically refused, is recorded shortened rather than
    failing the mutation's audit record."""
    text = json.dumps(detail, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return detail if len(text) <= MAX_DETAIL_LENGTH else _bounded(detail)


def _bounded(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= DETAIL_TEXT_LENGTH else value[:DETAIL_TEXT_LENGTH] + "…"
    if isinstance(value, Mapping):
        return {key: _bounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        kept = [_bounded(item) for item in value[:DETAIL_LIST_ITEMS]]
        return kept + ["…"] if len(value) > DETAIL_LIST_ITEMS else kept
    return value


# --- verifying -----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One break in the chain. ``seq`` is the record at fault (for a gap, the
    first missing seq; ``last_seq`` the last one)."""

    kind: str  # "modified", "missing", "broken_link", "head", "unchained"
    seq: int | None
    message: str
    last_seq: int | None = None


@dataclass
class VerifyResult:
    count: int = 0
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_REPORTED_PROBLEMS:
            self.problems.append(problem)
        else:
            self.truncated = True


# occurred_at is read as stored (text on SQLite), so that a value edited into
# something that is no timestamp is reported instead of stopping the walk.
_COLUMNS = [
    type_coerce(AuditRecord.occurred_at, String).label("occurred_at")
    if name == "occurred_at"
    else AuditRecord.__table__.c[name]
    for name in (*HASHED_FIELDS, "hash")
]


def _hash_matches(row: Mapping[str, Any]) -> bool:
    try:
        return compute_hash(row) == row["hash"]
    except (TypeError, ValueError):  # a field edited into a value of the wrong type
        return False


def _batches(session: Session, up_to: int, batch_size: int) -> Iterator[list[Mapping[str, Any]]]:
    last = 0
    while True:
        rows = [
            row._mapping
            for row in session.execute(
                select(*_COLUMNS)
                .where(AuditRecord.seq > last, AuditRecord.seq <= up_to)
                .order_by(AuditRecord.seq)
                .limit(batch_size)
            )
        ]
        if not rows:
            return
        yield rows
        last = int(rows[-1]["seq"])


def _missing(first: int, last: int) -> Problem:
    if first == last:
        return Problem("missing", first, f"第 {first} 条记录缺失（已被删除）。")
    return Problem("missing", first, f"第 {first}–{last} 条记录缺失（已被删除）。", last_seq=last)


def _check_pending(session: Session, result: VerifyResult, grace: timedelta) -> None:
    stale = session.execute(
        select(func.count(), func.min(AuditPending.id)).where(AuditPending.occurred_at < utcnow() - grace)
    ).first()
    if stale is not None and int(stale[0]):
        result.add(
            Problem(
                "unchained",
                None,
                f"有 {int(stale[0])} 条审计记录写入超过 {int(grace.total_seconds())} 秒仍未链入审计链"
                f"（最早的待链记录 id {stale[1]}）。",
            )
        )


def verify(
    session: Session,
    *,
    batch_size: int = VERIFY_BATCH_SIZE,
    chain_first: bool = True,
    pending_grace: timedelta = PENDING_GRACE,
) -> VerifyResult:
    """Check the whole chain; problems are listed in seq order, the first
    one first (at most ``MAX_REPORTED_PROBLEMS``). With ``chain_first``
    committed pending records are chained before the walk (this commits
    ``session``'s open transaction); records still pending and older than
    ``pending_grace`` are reported as ``unchained``."""
    if chain_first:
        try:
            chain_pending(session)
        except AuditChainError:  # the head is gone: reported below, nothing is chained from a guess
            session.rollback()
    result = VerifyResult()
    _walk(session, result, batch_size)
    _check_pending(session, result, pending_grace)
    return result


def _walk(session: Session, result: VerifyResult, batch_size: int) -> None:
    """Walk the chain from its first record to the head."""
    head = session.execute(
        select(AuditChainHead.seq, AuditChainHead.hash).where(AuditChainHead.id == HEAD_ROW_ID)
    ).first()
    if head is None:
        highest = session.scalar(select(func.max(AuditRecord.seq)))
        if highest is not None:
            result.add(Problem("head", None, f"链头（audit_chain_head）缺失，但有审计记录（最大序号 {highest}）。"))
        return
    head_seq, head_hash = int(head[0]), str(head[1])

    expected_seq = 1
    previous_hash: str | None = GENESIS_HASH  # None: the previous record is missing
    for rows in _batches(session, head_seq, batch_size):
        for row in rows:
            seq = int(row["seq"])
            if seq > expected_seq:
                result.add(_missing(expected_seq, seq - 1))
                previous_hash = None
            if not _hash_matches(row):
                result.add(Problem("modified", seq, f"第 {seq} 条记录在写入后被修改（哈希不符）。"))
            if previous_hash is not None and row["prev_hash"] != previous_hash:
                result.add(
                    Problem(
                        "broken_link",
                        seq,
                        f"第 {seq} 条记录的 prev_hash 与第 {seq - 1} 条的哈希不符"
                        f"（第 {seq - 1} 条被修改后重算了哈希，或第 {seq} 条的 prev_hash 被改）。",
                    )
                )
            result.count += 1
            previous_hash = str(row["hash"])
            expected_seq = seq + 1

    if expected_seq <= head_seq:
        result.add(_missing(expected_seq, head_seq))
    elif head_seq > 0 and previous_hash is not None and previous_hash != head_hash:
        result.add(Problem("head", head_seq, f"链头的哈希与第 {head_seq} 条记录不符。"))

    # Records beyond the head: read the highest seq first, then the head
    # again; a record committed before the first read has its head committed too.
    highest = session.scalar(select(func.max(AuditRecord.seq)))
    head_now = session.scalar(select(AuditChainHead.seq).where(AuditChainHead.id == HEAD_ROW_ID))
    if highest is not None and (head_now is None or int(highest) > int(head_now)):
        result.add(
            Problem(
                "head", int(head_now or 0) + 1, f"有序号超过链头（{head_now}）的记录，最大序号 {highest}：链头被回退。"
            )
        )
