"""finance: refusals reported to the street office; meeting resolutions on approval steps

Revision ID: finance_0002_rules
Revises: finance_0001
Create Date: 2026-12-05

``finance_expense_request.refusal_reported_at`` and the street office's
review of a reported refusal (财会人员拒付，必要时向街道办事处反映);
``finance_approval_step.resolution``: the resolution of a meeting step
(社区成员代表大会, 村“两委”联席会议, 村民会议或村民代表会议).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "finance_0002_rules"
down_revision = "finance_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("finance_expense_request") as batch:
        batch.add_column(sa.Column("refusal_reported_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("refusal_reviewed_by_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("refusal_reviewed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("refusal_review_note", sa.Text(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_finance_expense_request_refusal_reviewed_by_id_user_account"),
            "user_account",
            ["refusal_reviewed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("finance_approval_step") as batch:
        batch.add_column(sa.Column("resolution", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("finance_approval_step") as batch:
        batch.drop_column("resolution")
    with op.batch_alter_table("finance_expense_request") as batch:
        batch.drop_constraint(
            op.f("fk_finance_expense_request_refusal_reviewed_by_id_user_account"), type_="foreignkey"
        )
        batch.drop_column("refusal_review_note")
        batch.drop_column("refusal_reviewed_at")
        batch.drop_column("refusal_reviewed_by_id")
        batch.drop_column("refusal_reported_at")
