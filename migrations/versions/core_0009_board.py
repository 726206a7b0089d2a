"""core: notices on public boards (公开栏)

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0009"
down_revision = "core_0008"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _user_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["user_account.id"], name=op.f(f"fk_notice_{column}_user_account"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("publisher_label", sa.String(100), nullable=False),
        sa.Column("drafted_by_id", sa.Integer(), nullable=True),
        sa.Column("source_plugin", sa.String(64), nullable=True),
        sa.Column("source_key", sa.String(200), nullable=True),
        sa.Column("names_persons", sa.Boolean(), nullable=False),
        sa.Column("personal_data_rule", sa.Text(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_notice_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        _user_fk("drafted_by_id"),
        _user_fk("submitted_by_id"),
        _user_fk("approved_by_id"),
        _user_fk("published_by_id"),
        _user_fk("withdrawn_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    op.create_index(
        "ix_notice_org_unit_id_status_published_at_id", "notice", ["org_unit_id", "status", "published_at", "id"]
    )
    op.create_index("ix_notice_org_path_id", "notice", ["org_path", "id"])
    op.create_index("ix_notice_source_plugin_source_key", "notice", ["source_plugin", "source_key"])


def downgrade() -> None:
    op.drop_index("ix_notice_source_plugin_source_key", table_name="notice")
    op.drop_index("ix_notice_org_path_id", table_name="notice")
    op.drop_index("ix_notice_org_unit_id_status_published_at_id", table_name="notice")
    op.drop_table("notice")
