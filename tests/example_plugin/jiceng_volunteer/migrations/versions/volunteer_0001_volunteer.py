"""volunteer: the volunteer register

Revision ID: volunteer_0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "volunteer_0001"
down_revision = None
branch_labels = ("volunteer",)
# The root of this branch needs core's organization tree (foreign key to org_unit).
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "volunteer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("skills", sa.JSON(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_volunteer_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer")),
    )
    op.create_index("ix_volunteer_org_unit_id_id", "volunteer", ["org_unit_id", "id"])


def downgrade() -> None:
    op.drop_table("volunteer")
