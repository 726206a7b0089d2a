"""core: the reporting calendar (obligation instances and holidays)

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0008"
down_revision = "core_0007"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "obligation_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_code", sa.String(100), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("submitted_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("locked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("reopened_by", sa.Integer(), nullable=True),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reopen_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_obligation_instance_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["user_account.id"],
            name=op.f("fk_obligation_instance_submitted_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reopened_by"],
            ["user_account.id"],
            name=op.f("fk_obligation_instance_reopened_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_instance")),
    )
    op.create_index(
        "uq_obligation_instance_type_unit_period",
        "obligation_instance",
        ["type_code", "org_unit_id", "period_start"],
        unique=True,
    )
    op.create_index("ix_obligation_instance_org_path_due_on", "obligation_instance", ["org_path", "due_on"])
    op.create_index("ix_obligation_instance_due_on_status", "obligation_instance", ["due_on", "status"])

    op.create_table(
        "holiday",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("is_workday", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("org_path", _path_type(), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_holiday_org_unit_id_org_unit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday")),
    )
    op.create_index("ix_holiday_day", "holiday", ["day"])


def downgrade() -> None:
    op.drop_index("ix_holiday_day", table_name="holiday")
    op.drop_table("holiday")
    op.drop_index("ix_obligation_instance_due_on_status", table_name="obligation_instance")
    op.drop_index("ix_obligation_instance_org_path_due_on", table_name="obligation_instance")
    op.drop_index("uq_obligation_instance_type_unit_period", table_name="obligation_instance")
    op.drop_table("obligation_instance")
