"""core: meetings — kinds declared by plugins; agenda, attendance, resolutions, votes, links

Revision ID: core_0013_meetings
Revises: core_0012_documents
Create Date: 2026-12-05

``meeting``: one meeting of a declared kind at an org unit (optionally held
by a record: ``host_type``/``host_id``), with its notice day, minutes, the
expected and present counts and whether it is quorate, the reporting
instance it fulfilled and the results notice on the public board.
``meeting_attendance`` holds one row per person and meeting (unique), so a
sign-in counts once; ``meeting_resolution`` the votes and whether adopted,
``meeting_vote`` a roll call's votes, ``meeting_resolution_link`` the
records a resolution decided.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0013_meetings"
down_revision = "core_0013_signincache"
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
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("host_type", sa.String(64), nullable=True),
        sa.Column("host_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("notice_on", sa.Date(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("expected_count", sa.Integer(), nullable=False),
        sa.Column("present_count", sa.Integer(), nullable=False),
        sa.Column("quorate", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("obligation_instance_id", sa.Integer(), nullable=True),
        sa.Column("results_due_on", sa.Date(), nullable=True),
        sa.Column("results_notice_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("meeting", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("meeting", "obligation_instance_id", "obligation_instance", "SET NULL"),
        _fk("meeting", "results_notice_id", "notice", "SET NULL"),
        _fk("meeting", "created_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    op.create_index("ix_meeting_org_path_id", "meeting", ["org_path", "id"])
    op.create_index("ix_meeting_kind_org_unit_id_held_on", "meeting", ["kind", "org_unit_id", "held_on"])
    op.create_index("ix_meeting_host_type_host_id_held_on", "meeting", ["host_type", "host_id", "held_on"])
    op.create_table(
        "meeting_agenda_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _fk("meeting_agenda_item", "meeting_id", "meeting", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_agenda_item")),
    )
    op.create_index(
        "ix_meeting_agenda_item_meeting_id_position", "meeting_agenda_item", ["meeting_id", "position"], unique=True
    )
    op.create_table(
        "meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(100), nullable=True),
        sa.Column("expected", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("absence_reason", sa.String(200), nullable=True),
        sa.Column("proxy_name", sa.String(100), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        _fk("meeting_attendance", "meeting_id", "meeting", "CASCADE"),
        _fk("meeting_attendance", "resident_id", "resident", "RESTRICT"),
        _fk("meeting_attendance", "signed_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
    )
    op.create_index(
        "uq_meeting_attendance_meeting_id_resident_id", "meeting_attendance", ["meeting_id", "resident_id"], unique=True
    )
    op.create_index("ix_meeting_attendance_resident_id", "meeting_attendance", ["resident_id"])
    op.create_table(
        "meeting_resolution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column("roll_call", sa.Boolean(), nullable=False),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("meeting_resolution", "meeting_id", "meeting", "CASCADE"),
        _fk("meeting_resolution", "created_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_resolution")),
    )
    op.create_index("ix_meeting_resolution_meeting_id_id", "meeting_resolution", ["meeting_id", "id"])
    op.create_table(
        "meeting_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("attendance_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(16), nullable=False),
        _fk("meeting_vote", "resolution_id", "meeting_resolution", "CASCADE"),
        _fk("meeting_vote", "attendance_id", "meeting_attendance", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_vote")),
    )
    op.create_index(
        "uq_meeting_vote_resolution_id_attendance_id", "meeting_vote", ["resolution_id", "attendance_id"], unique=True
    )
    op.create_table(
        "meeting_resolution_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(64), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("meeting_resolution_link", "resolution_id", "meeting_resolution", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_resolution_link")),
    )
    op.create_index(
        "uq_meeting_resolution_link",
        "meeting_resolution_link",
        ["resolution_id", "subject_type", "subject_id"],
        unique=True,
    )
    op.create_index("ix_meeting_resolution_link_subject", "meeting_resolution_link", ["subject_type", "subject_id"])


def downgrade() -> None:
    for table in (
        "meeting_resolution_link",
        "meeting_vote",
        "meeting_resolution",
        "meeting_attendance",
        "meeting_agenda_item",
        "meeting",
    ):
        op.drop_table(table)
