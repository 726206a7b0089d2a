"""core: sign-in attempts are counted per client address as well as per username

Revision ID: core_0011_httpguard
Revises: core_0011_finance
Create Date: 2026-12-05

``login_failure.client_address``: the address (an IPv6 client's /64
network) the attempt came from, or NULL when it came from the command line;
indexed with the time so that one address guessing many usernames is
throttled too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0011_httpguard"
down_revision = "core_0011_finance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_failure") as batch:
        batch.add_column(sa.Column("client_address", sa.String(64), nullable=True))
        batch.create_index("ix_login_failure_client_address_attempted_at", ["client_address", "attempted_at"])


def downgrade() -> None:
    with op.batch_alter_table("login_failure") as batch:
        batch.drop_index("ix_login_failure_client_address_attempted_at")
        batch.drop_column("client_address")
