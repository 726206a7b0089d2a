"""party_building: party organizations, members, meetings, development, in-service members, household contact, appraisal, big party committee

Revision ID: party_building_0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "party_building_0001"
down_revision = None
branch_labels = ("party_building",)
# Foreign keys to core's org tree, residents, households, accounts, the
# reporting calendar and the public board (core_0009).
depends_on = "core_0009"


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "party_organization",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("party_path", _path_type(), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("org_type", sa.String(length=32), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("has_groups", sa.Boolean(), nullable=False),
        sa.Column("established_on", sa.Date(), nullable=True),
        sa.Column("dissolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_party_organization_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["party_organization.id"],
            name=op.f("fk_party_organization_parent_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_organization")),
    )
    op.create_index("ix_party_organization_org_path_id", "party_organization", ["org_path", "id"], unique=False)
    op.create_index("ix_party_organization_parent_id_id", "party_organization", ["parent_id", "id"], unique=False)
    op.create_index("ix_party_organization_party_path", "party_organization", ["party_path"], unique=True)
    op.create_table(
        "party_member_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("big_committee_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("unit_kind", sa.String(length=32), nullable=False),
        sa.Column("management", sa.String(length=32), nullable=False),
        sa.Column("home_organization", sa.String(length=200), nullable=True),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["big_committee_id"],
            ["party_organization.id"],
            name=op.f("fk_party_member_unit_big_committee_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_party_member_unit_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member_unit")),
    )
    op.create_index(
        "ix_party_member_unit_big_committee_id_id", "party_member_unit", ["big_committee_id", "id"], unique=False
    )
    op.create_index("ix_party_member_unit_org_path_id", "party_member_unit", ["org_path", "id"], unique=False)
    op.create_table(
        "party_member_unit_appraisal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_unit_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("sent_to_home_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_unit_id"],
            ["party_member_unit.id"],
            name=op.f("fk_party_member_unit_appraisal_member_unit_id_party_member_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member_unit_appraisal")),
    )
    op.create_index(
        "uq_party_member_unit_appraisal_unit_year",
        "party_member_unit_appraisal",
        ["member_unit_id", "year"],
        unique=True,
    )
    op.create_table(
        "party_in_service_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("workplace", sa.String(length=200), nullable=False),
        sa.Column("workplace_organization", sa.String(length=200), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_party_in_service_registration_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_party_in_service_registration_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_in_service_registration")),
    )
    op.create_index(
        "ix_party_in_service_registration_org_path_id",
        "party_in_service_registration",
        ["org_path", "id"],
        unique=False,
    )
    op.create_index(
        "uq_party_in_service_registration_current",
        "party_in_service_registration",
        ["resident_id"],
        unique=True,
        sqlite_where=sa.text("ended_on IS NULL"),
        postgresql_where=sa.text("ended_on IS NULL"),
    )
    op.create_table(
        "party_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("full_on", sa.Date(), nullable=True),
        sa.Column("committee_role", sa.String(length=32), nullable=True),
        sa.Column("flowing", sa.Boolean(), nullable=False),
        sa.Column("flowing_destination", sa.String(length=200), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(length=200), nullable=True),
        sa.Column("seat_only", sa.Boolean(), nullable=False),
        sa.Column("member_unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_unit_id"],
            ["party_member_unit.id"],
            name=op.f("fk_party_member_member_unit_id_party_member_unit"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_party_member_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_member_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_party_member_resident_id_resident"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member")),
    )
    op.create_index("ix_party_member_org_path_id", "party_member", ["org_path", "id"], unique=False)
    op.create_index("ix_party_member_organization_id_id", "party_member", ["organization_id", "id"], unique=False)
    op.create_index(
        "uq_party_member_current",
        "party_member",
        ["resident_id"],
        unique=True,
        sqlite_where=sa.text("left_on IS NULL AND NOT seat_only"),
        postgresql_where=sa.text("left_on IS NULL AND NOT seat_only"),
    )
    op.create_index(
        "uq_party_member_secretary",
        "party_member",
        ["organization_id"],
        unique=True,
        sqlite_where=sa.text("committee_role = 'secretary' AND left_on IS NULL"),
        postgresql_where=sa.text("committee_role = 'secretary' AND left_on IS NULL"),
    )
    op.create_table(
        "party_appraisal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("half", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("appraised_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["party_member.id"],
            name=op.f("fk_party_appraisal_member_id_party_member"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_party_appraisal_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_appraisal")),
    )
    op.create_index("ix_party_appraisal_org_path_id", "party_appraisal", ["org_path", "id"], unique=False)
    op.create_index(
        "uq_party_appraisal_member_year_half", "party_appraisal", ["member_id", "year", "half"], unique=True
    )
    op.create_table(
        "party_feedback_slip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("contacts", sa.Integer(), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["party_in_service_registration.id"],
            name=op.f("fk_party_feedback_slip_registration_id_party_in_service_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_feedback_slip")),
    )
    op.create_index(
        "uq_party_feedback_slip_registration_quarter",
        "party_feedback_slip",
        ["registration_id", "year", "quarter"],
        unique=True,
    )
    op.create_table(
        "party_household_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_party_household_assignment_household_id_household"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["party_member.id"],
            name=op.f("fk_party_household_assignment_member_id_party_member"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_party_household_assignment_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_household_assignment")),
    )
    op.create_index(
        "ix_party_household_assignment_member_id", "party_household_assignment", ["member_id"], unique=False
    )
    op.create_index(
        "ix_party_household_assignment_org_path_id", "party_household_assignment", ["org_path", "id"], unique=False
    )
    op.create_index(
        "uq_party_household_assignment_current",
        "party_household_assignment",
        ["household_id"],
        unique=True,
        sqlite_where=sa.text("ended_on IS NULL"),
        postgresql_where=sa.text("ended_on IS NULL"),
    )
    op.create_table(
        "party_in_service_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("entry_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["party_in_service_registration.id"],
            name=op.f("fk_party_in_service_entry_registration_id_party_in_service_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_in_service_entry")),
    )
    op.create_index(
        "ix_party_in_service_entry_registration_id_on",
        "party_in_service_entry",
        ["registration_id", "entry_on"],
        unique=False,
    )
    op.create_table(
        "party_member_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("from_organization_id", sa.Integer(), nullable=False),
        sa.Column("to_organization_id", sa.Integer(), nullable=False),
        sa.Column("transferred_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_member_transfer_from_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["party_member.id"],
            name=op.f("fk_party_member_transfer_member_id_party_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_member_transfer_to_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_member_transfer")),
    )
    op.create_index("ix_party_member_transfer_member_id_id", "party_member_transfer", ["member_id", "id"], unique=False)
    op.create_table(
        "party_household_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["party_household_assignment.id"],
            name=op.f("fk_party_household_contact_assignment_id_party_household_assignment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_household_contact")),
    )
    op.create_index(
        "ix_party_household_contact_assignment_id_on",
        "party_household_contact",
        ["assignment_id", "contacted_on"],
        unique=False,
    )
    op.create_table(
        "party_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("meeting_type", sa.String(length=32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("expected_count", sa.Integer(), nullable=False),
        sa.Column("present_count", sa.Integer(), nullable=False),
        sa.Column("obligation_instance_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["obligation_instance_id"],
            ["obligation_instance.id"],
            name=op.f("fk_party_meeting_obligation_instance_id_obligation_instance"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_party_meeting_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_meeting_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_party_meeting_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting")),
    )
    op.create_index("ix_party_meeting_org_path_id", "party_meeting", ["org_path", "id"], unique=False)
    op.create_index(
        "ix_party_meeting_organization_id_held_on", "party_meeting", ["organization_id", "held_on"], unique=False
    )
    op.create_table(
        "party_democratic_life_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("report_instance_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_party_democratic_life_plan_meeting_id_party_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_party_democratic_life_plan_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_democratic_life_plan_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["report_instance_id"],
            ["obligation_instance.id"],
            name=op.f("fk_party_democratic_life_plan_report_instance_id_obligation_instance"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_democratic_life_plan")),
    )
    op.create_index(
        "ix_party_democratic_life_plan_org_path_id", "party_democratic_life_plan", ["org_path", "id"], unique=False
    )
    op.create_table(
        "party_development_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("member_nominated_on", sa.Date(), nullable=True),
        sa.Column("member_nominations", sa.Integer(), nullable=True),
        sa.Column("representative_nominated_on", sa.Date(), nullable=True),
        sa.Column("representative_nominations", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("evaluation_approvals", sa.Integer(), nullable=True),
        sa.Column("evaluation_participants", sa.Integer(), nullable=True),
        sa.Column("examined_on", sa.Date(), nullable=True),
        sa.Column("exam_score", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("branch_meeting_on", sa.Date(), nullable=True),
        sa.Column("branch_meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["branch_meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_party_development_case_branch_meeting_id_party_meeting"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_party_development_case_notice_id_notice"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_party_development_case_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["party_organization.id"],
            name=op.f("fk_party_development_case_organization_id_party_organization"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_party_development_case_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_development_case")),
    )
    op.create_index("ix_party_development_case_org_path_id", "party_development_case", ["org_path", "id"], unique=False)
    op.create_table(
        "party_meeting_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Boolean(), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.Column("absence_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_party_meeting_attendance_meeting_id_party_meeting"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["party_member.id"],
            name=op.f("fk_party_meeting_attendance_member_id_party_member"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting_attendance")),
    )
    op.create_index(
        "ix_party_meeting_attendance_meeting_id_member_id",
        "party_meeting_attendance",
        ["meeting_id", "member_id"],
        unique=True,
    )
    op.create_table(
        "party_meeting_resolution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["party_meeting.id"],
            name=op.f("fk_party_meeting_resolution_meeting_id_party_meeting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_meeting_resolution")),
    )
    op.create_index(
        "ix_party_meeting_resolution_meeting_id_id", "party_meeting_resolution", ["meeting_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("party_meeting_resolution")
    op.drop_table("party_meeting_attendance")
    op.drop_table("party_development_case")
    op.drop_table("party_democratic_life_plan")
    op.drop_table("party_meeting")
    op.drop_table("party_household_contact")
    op.drop_table("party_member_transfer")
    op.drop_table("party_in_service_entry")
    op.drop_table("party_household_assignment")
    op.drop_table("party_feedback_slip")
    op.drop_table("party_appraisal")
    op.drop_table("party_member")
    op.drop_table("party_in_service_registration")
    op.drop_table("party_member_unit_appraisal")
    op.drop_table("party_member_unit")
    op.drop_table("party_organization")
