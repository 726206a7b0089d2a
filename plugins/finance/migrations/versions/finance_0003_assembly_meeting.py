"""finance: the assembly resolution of a large expense is a core meeting's resolution

Revision ID: finance_0003_assembly_meeting
Revises: finance_0002_rules
Create Date: 2026-12-05

``finance_expense_request.assembly_resolution_id``: the resolution of the
representatives' assembly (core meeting kind ``representatives_assembly``,
its roster the holders of the representatives' post) that decided the
expense. Requests decided before keep their recorded date, number and
counts, with no meeting behind them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "finance_0003_assembly_meeting"
down_revision = "finance_0002_rules"
branch_labels = None
depends_on = "core_0013_meetings"


def upgrade() -> None:
    with op.batch_alter_table("finance_expense_request") as batch:
        batch.add_column(sa.Column("assembly_resolution_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_finance_expense_request_assembly_resolution_id_meeting_resolution"),
            "meeting_resolution",
            ["assembly_resolution_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("finance_expense_request") as batch:
        batch.drop_constraint(
            op.f("fk_finance_expense_request_assembly_resolution_id_meeting_resolution"), type_="foreignkey"
        )
        batch.drop_column("assembly_resolution_id")
