"""core: audit trail (hash-chained records and the chain head)

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0003"
down_revision = "core_0002"
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "audit_record",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        # No foreign key: user accounts arrive later, and a record outlives the account.
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(100), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        sa.Column("object_type", sa.String(64), nullable=True),
        sa.Column("object_id", sa.String(64), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("org_unit_path", _path_type(), nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("seq > 0", name=op.f("ck_audit_record_seq_positive")),
        sa.CheckConstraint("outcome IN ('success', 'refused', 'error')", name=op.f("ck_audit_record_outcome_known")),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_record")),
    )
    op.create_index("ix_audit_record_org_unit_path_seq", "audit_record", ["org_unit_path", "seq"])
    op.create_index("ix_audit_record_object_type_object_id_seq", "audit_record", ["object_type", "object_id", "seq"])

    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_chain_head_single_row")),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_audit_chain_head_seq_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH}])


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    op.drop_index("ix_audit_record_object_type_object_id_seq", table_name="audit_record")
    op.drop_index("ix_audit_record_org_unit_path_seq", table_name="audit_record")
    op.drop_table("audit_record")
