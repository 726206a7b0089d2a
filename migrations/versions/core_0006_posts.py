"""core: bodies inside org units and post assignments (posts and terms)

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None

OPEN_TERM = "ended_on IS NULL"


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "body",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_body_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_body")),
    )
    op.create_index("ix_body_org_path_id", "body", ["org_path", "id"])
    op.create_index("ix_body_org_unit_id_kind_name", "body", ["org_unit_id", "kind", "name"], unique=True)

    op.create_table(
        "post_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("post_code", sa.String(64), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(200), nullable=True),
        sa.Column("predecessor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["body.id"], name=op.f("fk_post_assignment_body_id_body"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_post_assignment_resident_id_resident"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_post_assignment_user_id_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["post_assignment.id"],
            name=op.f("fk_post_assignment_predecessor_id_post_assignment"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_assignment")),
    )
    op.create_index("ix_post_assignment_body_id_post_code_id", "post_assignment", ["body_id", "post_code", "id"])
    op.create_index("ix_post_assignment_resident_id_id", "post_assignment", ["resident_id", "id"])
    op.create_index("ix_post_assignment_user_id", "post_assignment", ["user_id"])
    op.create_index(
        "uq_post_assignment_open",
        "post_assignment",
        ["body_id", "post_code", "resident_id"],
        unique=True,
        sqlite_where=sa.text(OPEN_TERM),
        postgresql_where=sa.text(OPEN_TERM),
    )


def downgrade() -> None:
    op.drop_table("post_assignment")
    op.drop_index("ix_body_org_unit_id_kind_name", table_name="body")
    op.drop_index("ix_body_org_path_id", table_name="body")
    op.drop_table("body")
