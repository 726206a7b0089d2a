"""core: a notice may stay on the board a number of days from its publication

Revision ID: core_0011_party
Revises: core_0010
Create Date: 2026-12-05

``notice.display_days``: a notice with a fixed display period (a member
development notice: its length is locality policy) gets its ``expires_on``
when it is published, and leaves the board after it.
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


def downgrade() -> None:
    with op.batch_alter_table("notice") as batch:
        batch.drop_column("display_days")
