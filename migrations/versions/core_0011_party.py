"""core: a notice records the collective decision that approved it, and may stay on the board a number of days

Revision ID: core_0011_party
Revises: core_0010
Create Date: 2026-12-05

``notice.display_days``: a notice with a fixed display period (a member
development notice: its length is locality policy) gets its ``expires_on``
when it is published, and leaves the board after it. ``decision_source``,
``decision_key``, ``decision_reference``, ``decision_on``: the party
organization's decision the approval records (a committee meeting's
resolution, or a meeting named by the approver).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0011_party"
down_revision = "core_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notice") as batch:
        batch.add_column(sa.Column("display_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("decision_source", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("decision_key", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("decision_reference", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("decision_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notice") as batch:
        batch.drop_column("decision_on")
        batch.drop_column("decision_reference")
        batch.drop_column("decision_key")
        batch.drop_column("decision_source")
        batch.drop_column("display_days")
