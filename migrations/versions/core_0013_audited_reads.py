"""core: audited reads — the read log of record types whose every read is audited

Revision ID: core_0013_audited_reads
Revises: core_0013_meetings
Create Date: 2026-12-05

One row per record read (and the resident it is about), written with the
read's audit record: it answers a resident's "who read my records".
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0013_audited_reads"
down_revision = "core_0013_archive_books"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "audited_read",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reader_user_id", sa.Integer(), nullable=True),
        sa.Column("reader_label", sa.String(100), nullable=False),
        sa.Column("record_type", sa.String(64), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=True),
        sa.Column("subject_resident_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=True),
        sa.Column("org_path", _path_type(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audited_read")),
    )
    op.create_index("ix_audited_read_subject_resident_id_id", "audited_read", ["subject_resident_id", "id"])
    op.create_index("ix_audited_read_record_type_record_id", "audited_read", ["record_type", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_audited_read_record_type_record_id", table_name="audited_read")
    op.drop_index("ix_audited_read_subject_resident_id_id", table_name="audited_read")
    op.drop_table("audited_read")
