"""core: organization tree and its move history

Revision ID: core_0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0001"
down_revision = None
branch_labels = ("core",)
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "org_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("division_code", sa.String(12), nullable=True),
        sa.Column("path", _path_type(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("dissolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("depth >= 0", name=op.f("ck_org_unit_depth_not_negative")),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_unit.id"], name=op.f("fk_org_unit_parent_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit")),
    )
    op.create_index("ix_org_unit_parent_id_id", "org_unit", ["parent_id", "id"])
    op.create_index("ix_org_unit_path", "org_unit", ["path"], unique=True)
    op.create_index("ix_org_unit_division_code", "org_unit", ["division_code"])

    op.create_table(
        "org_unit_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("from_parent_id", sa.Integer(), nullable=True),
        sa.Column("to_parent_id", sa.Integer(), nullable=True),
        sa.Column("from_parent_name", sa.String(100), nullable=True),
        sa.Column("to_parent_name", sa.String(100), nullable=True),
        sa.Column("from_path", _path_type(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_org_unit_move_org_unit_id_org_unit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["from_parent_id"],
            ["org_unit.id"],
            name=op.f("fk_org_unit_move_from_parent_id_org_unit"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_parent_id"], ["org_unit.id"], name=op.f("fk_org_unit_move_to_parent_id_org_unit"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit_move")),
    )
    op.create_index("ix_org_unit_move_org_unit_id_id", "org_unit_move", ["org_unit_id", "id"])


def downgrade() -> None:
    op.drop_table("org_unit_move")
    op.drop_table("org_unit")
