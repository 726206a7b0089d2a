"""core: locality policy values with effective dates and history

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None

CURRENT = "superseded_at IS NULL"


def upgrade() -> None:
    op.create_table(
        "policy_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_policy_value_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"],
            ["policy_value.id"],
            name=op.f("fk_policy_value_superseded_by_id_policy_value"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_value")),
    )
    op.create_index(
        "ix_policy_value_current",
        "policy_value",
        ["org_unit_id", "key", "effective_from"],
        unique=True,
        sqlite_where=sa.text(CURRENT),
        postgresql_where=sa.text(CURRENT),
    )
    op.create_index("ix_policy_value_org_unit_id_key_id", "policy_value", ["org_unit_id", "key", "id"])


def downgrade() -> None:
    op.drop_index("ix_policy_value_org_unit_id_key_id", table_name="policy_value")
    op.drop_index("ix_policy_value_current", table_name="policy_value")
    op.drop_table("policy_value")
