"""core: a notice may fulfil a reporting obligation; approvers may send a notice back

Revision ID: core_0010
Revises: core_0009
Create Date: 2026-11-23

``notice.obligation_instance_id``: the disclosure (or other obligation
instance) that publishing the notice submits. ``rejected_by_id``,
``rejected_at``, ``rejection_reason``: the last time the party organization
sent the notice back to draft, and why. Batch mode rebuilds ``notice`` on
SQLite (which cannot add a foreign key with ``ALTER TABLE``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0010"
down_revision = "core_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice") as batch:
        batch.add_column(sa.Column("obligation_instance_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("rejected_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("rejection_reason", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_notice_obligation_instance_id_obligation_instance"),
            "obligation_instance",
            ["obligation_instance_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_foreign_key(
            op.f("fk_notice_rejected_by_id_user_account"),
            "user_account",
            ["rejected_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index("ix_notice_obligation_instance_id", ["obligation_instance_id"])


def downgrade() -> None:
    with op.batch_alter_table("notice") as batch:
        batch.drop_index("ix_notice_obligation_instance_id")
        batch.drop_constraint(op.f("fk_notice_rejected_by_id_user_account"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_notice_obligation_instance_id_obligation_instance"), type_="foreignkey")
        batch.drop_column("rejection_reason")
        batch.drop_column("rejected_at")
        batch.drop_column("rejected_by_id")
        batch.drop_column("obligation_instance_id")
