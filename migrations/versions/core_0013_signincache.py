"""core: the revocation generation behind the sign-in cache

Revision ID: core_0013_signincache
Revises: core_0012_documents
Create Date: 2026-12-05

``auth_generation`` holds one row whose value grows with every transaction
that revokes a session or changes users, roles, grants or org unit paths;
each process caches sign-ins only while that value is unchanged.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0013_signincache"
down_revision = "core_0013_imports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "auth_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("auth_generation")
