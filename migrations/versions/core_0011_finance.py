"""core: a post assignment may manage the community's funds

Revision ID: core_0011_finance
Revises: core_0011_party
Create Date: 2026-12-05

``post_assignment.manages_funds``: the holder of a chair's or vice-chair's
post manages the funds (掌管社区经费) and is audited on leaving (离岗审计),
like the accountant and the cashier.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0011_finance"
down_revision = "core_0011_party"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("post_assignment") as batch:
        batch.add_column(sa.Column("manages_funds", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("post_assignment") as batch:
        batch.drop_column("manages_funds")
