"""core: archive handover, major seal uses on a collective decision, visit responsibility by post

Revision ID: core_0013_archive_books
Revises: core_0013_meetings
Create Date: 2026-12-05

``archive_handover``: handovers of the archive between custodians, with the
items and both sides' confirmations. ``seal_use`` gains ``major`` and the
decision cited for it. ``visit_responsibility``: the post (or user) at a
unit responsible for a visit programme's residents under it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0013_archive_books"
down_revision = "core_0013_meetings"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "archive_handover",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=False),
        sa.Column("handed_over_on", sa.Date(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("from_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("to_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("archive_handover", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("archive_handover", "from_user_id", "user_account", "RESTRICT"),
        _fk("archive_handover", "to_user_id", "user_account", "RESTRICT"),
        _fk("archive_handover", "created_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive_handover")),
    )
    op.create_index("ix_archive_handover_org_path_id", "archive_handover", ["org_path", "id"])
    with op.batch_alter_table("seal_use") as batch:
        batch.add_column(sa.Column("major", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("decision_reference", sa.String(500), nullable=True))
        batch.add_column(sa.Column("decided_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("decision_source", sa.String(64), nullable=True))
        batch.add_column(sa.Column("decision_key", sa.String(100), nullable=True))
    op.create_table(
        "visit_responsibility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(64), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("post_code", sa.String(64), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("visit_responsibility", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("visit_responsibility", "user_id", "user_account", "CASCADE"),
        _fk("visit_responsibility", "assigned_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_responsibility")),
    )
    op.create_index(
        "uq_visit_responsibility_programme_org_unit_id",
        "visit_responsibility",
        ["programme", "org_unit_id"],
        unique=True,
    )
    op.create_index("ix_visit_responsibility_org_path_id", "visit_responsibility", ["org_path", "id"])


def downgrade() -> None:
    op.drop_index("ix_visit_responsibility_org_path_id", table_name="visit_responsibility")
    op.drop_index("uq_visit_responsibility_programme_org_unit_id", table_name="visit_responsibility")
    op.drop_table("visit_responsibility")
    with op.batch_alter_table("seal_use") as batch:
        for column in ("decision_key", "decision_source", "decided_on", "decision_reference", "major"):
            batch.drop_column(column)
    op.drop_index("ix_archive_handover_org_path_id", table_name="archive_handover")
    op.drop_table("archive_handover")
