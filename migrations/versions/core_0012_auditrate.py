"""core: audit records wait in audit_pending until they are chained

Revision ID: core_0012_auditrate
Revises: core_0011_httpguard
Create Date: 2026-12-05

On PostgreSQL a mutation no longer holds the audit chain's head across its
commit: it inserts its record into ``audit_pending`` (durable with the
mutation), and a chainer moves pending records into ``audit_record`` in
batches, assigning seq and hashes under one head lock per batch.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0012_auditrate"
down_revision = "core_0011_httpguard"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "audit_pending",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
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
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.CheckConstraint("outcome IN ('success', 'refused', 'error')", name=op.f("ck_audit_pending_outcome_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_pending")),
    )


def downgrade() -> None:
    op.drop_table("audit_pending")
