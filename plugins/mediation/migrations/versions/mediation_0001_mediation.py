"""mediation: dispute cases, screenings, monthly summaries, appeals, grid events, incidents

Revision ID: mediation_0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "mediation_0001"
down_revision = None
branch_labels = ("mediation",)
# Foreign keys to core's org tree, residents, user accounts and obligation instances.
depends_on = "core_0009"


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "dispute_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(40), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("risk_level", sa.String(32), nullable=False),
        sa.Column("emergency", sa.String(32), nullable=True),
        sa.Column("emergency_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("origin_unit_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("mediation_type", sa.String(32), nullable=True),
        sa.Column("mediators", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=True),
        sa.Column("agreement", sa.Text(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolved_level", sa.String(32), nullable=True),
        sa.Column("resolved_unit_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("dispute_case", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("dispute_case", "origin_unit_id", "org_unit", "RESTRICT"),
        _fk("dispute_case", "resolved_unit_id", "org_unit", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["user_account.id"],
            name=op.f("fk_dispute_case_registered_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_case")),
        sa.UniqueConstraint("case_number", name=op.f("uq_dispute_case_case_number")),
    )
    op.create_index("ix_dispute_case_org_path_id", "dispute_case", ["org_path", "id"])
    op.create_index("ix_dispute_case_status", "dispute_case", ["status"])
    op.create_index("ix_dispute_case_emergency_at", "dispute_case", ["emergency_at"])
    op.create_index("ix_dispute_case_registered_on", "dispute_case", ["registered_on"])

    op.create_table(
        "dispute_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(50), nullable=True),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        _fk("dispute_party", "case_id", "dispute_case", "CASCADE"),
        _fk("dispute_party", "resident_id", "resident", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_party")),
    )
    op.create_index("ix_dispute_party_case_id", "dispute_party", ["case_id"])

    op.create_table(
        "dispute_case_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=True),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=True),
        sa.Column("to_unit_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _fk("dispute_case_transition", "case_id", "dispute_case", "CASCADE"),
        _fk("dispute_case_transition", "from_unit_id", "org_unit", "RESTRICT"),
        _fk("dispute_case_transition", "to_unit_id", "org_unit", "RESTRICT"),
        _fk("dispute_case_transition", "user_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_case_transition")),
    )
    op.create_index("ix_dispute_case_transition_case_id_id", "dispute_case_transition", ["case_id", "id"])

    op.create_table(
        "dispute_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("agreement_kept", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("visited_by_id", sa.Integer(), nullable=True),
        _fk("dispute_follow_up", "case_id", "dispute_case", "CASCADE"),
        sa.ForeignKeyConstraint(
            ["visited_by_id"],
            ["user_account.id"],
            name=op.f("fk_dispute_follow_up_visited_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispute_follow_up")),
    )
    op.create_index("ix_dispute_follow_up_case_id", "dispute_follow_up", ["case_id"])

    op.create_table(
        "mediation_screening",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("screened_on", sa.Date(), nullable=False),
        sa.Column("disputes_found", sa.Integer(), nullable=False),
        sa.Column("instability_factors", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("mediation_screening", "org_unit_id", "org_unit", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_mediation_screening_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_screening")),
    )
    op.create_index(
        "uq_mediation_screening_org_unit_id_period_start",
        "mediation_screening",
        ["org_unit_id", "period_start"],
        unique=True,
    )
    op.create_index("ix_mediation_screening_org_path_period_start", "mediation_screening", ["org_path", "period_start"])

    op.create_table(
        "mediation_monthly_summary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("zero_report", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        _fk("mediation_monthly_summary", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("mediation_monthly_summary", "instance_id", "obligation_instance", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["user_account.id"],
            name=op.f("fk_mediation_monthly_summary_submitted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_monthly_summary")),
    )
    op.create_index(
        "uq_mediation_monthly_summary_org_unit_id_period_start",
        "mediation_monthly_summary",
        ["org_unit_id", "period_start"],
        unique=True,
    )
    op.create_index("ix_mediation_monthly_summary_org_path", "mediation_monthly_summary", ["org_path"])

    op.create_table(
        "resident_appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("appellant_name", sa.String(50), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("first_handler_id", sa.Integer(), nullable=True),
        sa.Column("forwarded_to", sa.String(200), nullable=True),
        sa.Column("forwarded_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("feedback", sa.Text(), nullable=True),
        sa.Column("feedback_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.String(32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("resident_appeal", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("resident_appeal", "resident_id", "resident", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["first_handler_id"],
            ["user_account.id"],
            name=op.f("fk_resident_appeal_first_handler_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_appeal")),
    )
    op.create_index("ix_resident_appeal_org_path_id", "resident_appeal", ["org_path", "id"])
    op.create_index("ix_resident_appeal_status_due_on", "resident_appeal", ["status", "due_on"])

    op.create_table(
        "grid_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("routing_status", sa.String(32), nullable=False),
        sa.Column("routing_note", sa.Text(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("appeal_id", sa.Integer(), nullable=True),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("grid_event", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("grid_event", "resident_id", "resident", "RESTRICT"),
        _fk("grid_event", "case_id", "dispute_case", "SET NULL"),
        _fk("grid_event", "appeal_id", "resident_appeal", "SET NULL"),
        sa.ForeignKeyConstraint(
            ["reported_by_id"],
            ["user_account.id"],
            name=op.f("fk_grid_event_reported_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grid_event")),
    )
    op.create_index("ix_grid_event_org_path_id", "grid_event", ["org_path", "id"])

    op.create_table(
        "mediation_incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("mediation_incident", "org_unit_id", "org_unit", "RESTRICT"),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_mediation_incident_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_incident")),
    )
    op.create_index("ix_mediation_incident_org_path_occurred_on", "mediation_incident", ["org_path", "occurred_on"])


def downgrade() -> None:
    op.drop_table("mediation_incident")
    op.drop_table("grid_event")
    op.drop_table("resident_appeal")
    op.drop_table("mediation_monthly_summary")
    op.drop_table("mediation_screening")
    op.drop_table("dispute_follow_up")
    op.drop_table("dispute_case_transition")
    op.drop_table("dispute_party")
    op.drop_table("dispute_case")
