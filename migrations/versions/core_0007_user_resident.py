"""core: link a user account to its holder's record in the people registry

Revision ID: core_0007
Revises: core_0006
Create Date: 2026-11-25

``user_account.resident_id``: nullable, a foreign key to ``resident.id``
(ON DELETE SET NULL), unique where set (a unique index: NULLs never
collide, on SQLite or PostgreSQL). SQLite cannot add a foreign key with
``ALTER TABLE``; batch mode rebuilds ``user_account`` there (with foreign
key enforcement off, see ``core.migrate``) and alters it in place on
PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0007"
down_revision = "core_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("resident_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_user_account_resident_id_resident"), "resident", ["resident_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_user_account_resident_id", ["resident_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_index("ix_user_account_resident_id")
        batch.drop_constraint(op.f("fk_user_account_resident_id_resident"), type_="foreignkey")
        batch.drop_column("resident_id")
