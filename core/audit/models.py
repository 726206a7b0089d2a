"""The tables of the audit trail.

``audit_record`` is append-only: one row per audited action, numbered by a
gap-free ``seq`` and chained by SHA-256 hashes (``prev_hash`` is the ``hash``
of record ``seq - 1``). ``audit_chain_head`` holds exactly one row, the seq
and hash of the newest record; appending locks that row until the appending
transaction ends, so concurrent writers never fork the chain.

``audit_pending`` holds records written but not chained yet (PostgreSQL): a
mutation inserts its record there in its own transaction, durable with the
change it describes, and a chainer moves committed pending records into
``audit_record`` in batches, one head lock and one commit per batch (see
``core.audit.service.chain_pending``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, synonym

from core.db import Base, binary_string
from core.org.models import PATH_LENGTH

HASH_LENGTH = 64  # SHA-256, lowercase hex
ACTION_LENGTH = 100
ACTOR_LABEL_LENGTH = 100
OBJECT_TYPE_LENGTH = 64
OBJECT_ID_LENGTH = 64
OUTCOMES = ("success", "refused", "error")

# prev_hash of record 1, and the head's hash while the chain is empty.
GENESIS_HASH = "0" * HASH_LENGTH
HEAD_ROW_ID = 1


class AuditRecord(Base):
    __tablename__ = "audit_record"
    __table_args__ = (
        # The subtree of one unit is a range of org_unit_path (core.org.service.in_subtree).
        Index("ix_audit_record_org_unit_path_seq", "org_unit_path", "seq"),
        Index("ix_audit_record_object_type_object_id_seq", "object_type", "object_id", "seq"),
        CheckConstraint("seq > 0", name="seq_positive"),
        CheckConstraint("outcome IN ('success', 'refused', 'error')", name="outcome_known"),
    )

    # Assigned from audit_chain_head, never by the database: 1, 2, 3, ... without gaps.
    # The primary key is the index on seq.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The acting user's id. No foreign key: user accounts arrive in a later
    # module, and an audit record must outlive the account it names.
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    # Who acted, in words, as of the time of the action ("anonymous" without a user).
    actor_label: Mapped[str] = mapped_column(String(ACTOR_LABEL_LENGTH))
    # "mutation:<fieldName>", "reveal:<object>.<field>", ...
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    object_type: Mapped[str | None] = mapped_column(String(OBJECT_TYPE_LENGTH))
    object_id: Mapped[str | None] = mapped_column(String(OBJECT_ID_LENGTH))
    # No foreign key either: the unit may be merged away; the path snapshot
    # keeps the record in the subtree it belonged to when it was written.
    org_unit_id: Mapped[int | None] = mapped_column(Integer)
    org_unit_path: Mapped[str | None] = mapped_column(binary_string(PATH_LENGTH))
    outcome: Mapped[str] = mapped_column(String(16))
    # The purpose the user stated, required for reveals of sensitive data.
    purpose: Mapped[str | None] = mapped_column(Text)
    # A small JSON object (canonical text, as hashed).
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH))

    # Lets generic code (core.api.relay.load_by_pk, Node ids) treat seq as the id.
    id = synonym("seq")

    def __repr__(self) -> str:
        return f"<AuditRecord {self.seq} {self.action} {self.outcome}>"


class AuditChainHead(Base):
    """The newest record of the chain: one row, id 1."""

    __tablename__ = "audit_chain_head"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("seq >= 0", name="seq_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH))


class AuditPending(Base):
    """A record committed with its mutation and waiting to be chained: the
    fields of ``AuditRecord`` without seq and hashes. ``id`` orders the
    records for chaining."""

    __tablename__ = "audit_pending"
    __table_args__ = (CheckConstraint("outcome IN ('success', 'refused', 'error')", name="outcome_known"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(ACTOR_LABEL_LENGTH))
    action: Mapped[str] = mapped_column(String(ACTION_LENGTH))
    object_type: Mapped[str | None] = mapped_column(String(OBJECT_TYPE_LENGTH))
    object_id: Mapped[str | None] = mapped_column(String(OBJECT_ID_LENGTH))
    org_unit_id: Mapped[int | None] = mapped_column(Integer)
    org_unit_path: Mapped[str | None] = mapped_column(binary_string(PATH_LENGTH))
    outcome: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    # The canonical text the record's hash is computed over, with marks where
    # seq and prev_hash go: the chainer fills them in and hashes in the
    # database. verify recomputes every hash from the columns.
    canonical: Mapped[str] = mapped_column(Text)
