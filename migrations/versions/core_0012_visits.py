"""core: visits (走访) — enrolments, visits and the derived schedule

Revision ID: core_0012_visits
Revises: core_0012_auditrate
Create Date: 2026-12-05

Programmes are declared by plugins; these tables hold their enrolments
(reason and dates), the visits made and the next visit due per resident,
each with the resident's unit path copied for scope filtering.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0012_visits"
down_revision = "core_0012_auditrate"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _common(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(64), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f(f"fk_{table}_resident_id_resident"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f(f"fk_{table}_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["user_account.id"], name=op.f(f"fk_{table}_{column}_user_account"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "visit_enrolment",
        *_common("visit_enrolment"),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("enrolled_from", sa.Date(), nullable=False),
        sa.Column("enrolled_until", sa.Date(), nullable=True),
        sa.Column("enrolled_by_id", sa.Integer(), nullable=True),
        _user_fk("visit_enrolment", "enrolled_by_id"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_visit_enrolment_programme_resident_id", "visit_enrolment", ["programme", "resident_id"])
    op.create_index("ix_visit_enrolment_org_path_id", "visit_enrolment", ["org_path", "id"])
    op.create_table(
        "visit",
        *_common("visit"),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=True),
        _user_fk("visit", "visitor_id"),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("follow_up_needed", sa.Boolean(), nullable=False),
        sa.Column("follow_up_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_visit_programme_resident_id_visited_on", "visit", ["programme", "resident_id", "visited_on"])
    op.create_index("ix_visit_org_path_id", "visit", ["org_path", "id"])
    op.create_table(
        "visit_schedule",
        *_common("visit_schedule"),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("last_visited_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
    )
    op.create_index(
        "uq_visit_schedule_programme_resident_id", "visit_schedule", ["programme", "resident_id"], unique=True
    )
    op.create_index("ix_visit_schedule_programme_due_on_id", "visit_schedule", ["programme", "due_on", "id"])
    op.create_index("ix_visit_schedule_org_path_id", "visit_schedule", ["org_path", "id"])


def downgrade() -> None:
    op.drop_table("visit_schedule")
    op.drop_table("visit")
    op.drop_table("visit_enrolment")
