"""self_governance: committee elections, building heads, residents' initiatives, hearings, convention and charter

Revision ID: self_governance_0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "self_governance_0001"
down_revision = None
branch_labels = ("self_governance",)
# Foreign keys to core's org tree, residents, households, posts, board notices, obligations and meetings.
depends_on = "core_0013_meetings"


def upgrade() -> None:
    op.create_table(
        "selfgov_appraisal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_appraisal_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_selfgov_appraisal_meeting_id_meeting"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_appraisal_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_appraisal")),
    )
    op.create_index("uq_selfgov_appraisal_unit_year", "selfgov_appraisal", ["org_unit_id", "year"], unique=True)
    op.create_index("ix_selfgov_appraisal_org_path_id", "selfgov_appraisal", ["org_path", "id"])
    op.create_table(
        "selfgov_appraisal_rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appraisal_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("satisfied", sa.Integer(), nullable=False),
        sa.Column("basically_satisfied", sa.Integer(), nullable=False),
        sa.Column("unsatisfied", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appraisal_id"],
            ["selfgov_appraisal.id"],
            name=op.f("fk_selfgov_appraisal_rating_appraisal_id_selfgov_appraisal"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["post_assignment.id"],
            name=op.f("fk_selfgov_appraisal_rating_assignment_id_post_assignment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_appraisal_rating")),
    )
    op.create_index(
        "uq_selfgov_appraisal_rating", "selfgov_appraisal_rating", ["appraisal_id", "assignment_id"], unique=True
    )
    op.create_table(
        "selfgov_representative_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("group_unit_id", sa.Integer(), nullable=True),
        sa.Column("resident_unit", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["post_assignment.id"],
            name=op.f("fk_selfgov_representative_seat_assignment_id_post_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_representative_seat_group_unit_id_org_unit"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_representative_seat")),
    )
    op.create_index(
        "uq_selfgov_representative_seat_assignment",
        "selfgov_representative_seat",
        ["assignment_id"],
        unique=True,
    )
    op.create_table(
        "selfgov_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_text_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_text")),
    )
    op.create_index("ix_selfgov_text_org_path_id", "selfgov_text", ["org_path", "id"], unique=False)
    op.create_index(
        "uq_selfgov_text_unit_kind",
        "selfgov_text",
        ["org_unit_id", "kind"],
        unique=True,
    )
    op.create_table(
        "selfgov_building_head_nomination",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("recommender_ids", sa.String(length=200), nullable=True),
        sa.Column("publicity_from", sa.Date(), nullable=False),
        sa.Column("publicity_until", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("appointed_on", sa.Date(), nullable=True),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["post_assignment.id"],
            name=op.f("fk_selfgov_building_head_nomination_assignment_id_post_assignment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_building_head_nomination_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_building_head_nomination_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_building_head_nomination_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_building_head_nomination")),
    )
    op.create_index(
        "ix_selfgov_building_head_nomination_org_path_id",
        "selfgov_building_head_nomination",
        ["org_path", "id"],
        unique=False,
    )
    op.create_table(
        "selfgov_initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reached_on", sa.Date(), nullable=True),
        sa.Column("base_count", sa.Integer(), nullable=True),
        sa.Column("signature_count", sa.Integer(), nullable=True),
        sa.Column("obligation_instance_id", sa.Integer(), nullable=True),
        sa.Column("meeting_held_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_initiative_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["obligation_instance_id"],
            ["obligation_instance.id"],
            name=op.f("fk_selfgov_initiative_obligation_instance_id_obligation_instance"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_initiative_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meeting.id"],
            name=op.f("fk_selfgov_initiative_meeting_id_meeting"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_initiative")),
    )
    op.create_index(
        "ix_selfgov_initiative_org_path_id",
        "selfgov_initiative",
        ["org_path", "id"],
        unique=False,
    )
    op.create_table(
        "selfgov_recall",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("eligible", sa.Integer(), nullable=False),
        sa.Column("votes_cast", sa.Integer(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["post_assignment.id"],
            name=op.f("fk_selfgov_recall_assignment_id_post_assignment"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_recall_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_recall_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_recall")),
    )
    op.create_index(
        "ix_selfgov_recall_org_path_id",
        "selfgov_recall",
        ["org_path", "id"],
        unique=False,
    )
    op.create_table(
        "selfgov_building_head_objection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nomination_id"],
            ["selfgov_building_head_nomination.id"],
            name=op.f("fk_selfgov_building_head_objection_nomination_id_selfgov_building_head_nomination"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_building_head_objection_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_building_head_objection")),
    )
    op.create_table(
        "selfgov_election",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("election_day", sa.Date(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("publicity_from", sa.Date(), nullable=True),
        sa.Column("publicity_until", sa.Date(), nullable=True),
        sa.Column("registered_voters", sa.Integer(), nullable=True),
        sa.Column("ballots_issued", sa.Integer(), nullable=True),
        sa.Column("ballots_returned", sa.Integer(), nullable=True),
        sa.Column("invalid_ballots", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("invalid_reason", sa.String(length=200), nullable=True),
        sa.Column("recall_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"],
            ["body.id"],
            name=op.f("fk_selfgov_election_body_id_body"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_election_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_election_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recall_id"],
            ["selfgov_recall.id"],
            name=op.f("fk_selfgov_election_recall_id_selfgov_recall"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_election")),
    )
    op.create_index(
        "ix_selfgov_election_org_path_id",
        "selfgov_election",
        ["org_path", "id"],
        unique=False,
    )
    op.create_table(
        "selfgov_hearing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("matter", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=True),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_against", sa.Integer(), nullable=True),
        sa.Column("abstentions", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("publication_drafted_on", sa.Date(), nullable=True),
        sa.Column("late_reason", sa.String(length=200), nullable=True),
        sa.Column("sent_to", sa.String(length=200), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_hearing_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_selfgov_hearing_notice_id_notice"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_hearing_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_hearing")),
    )
    op.create_index(
        "ix_selfgov_hearing_org_path_id",
        "selfgov_hearing",
        ["org_path", "id"],
        unique=False,
    )
    op.create_table(
        "selfgov_initiative_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("group_unit_id", sa.Integer(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_selfgov_initiative_signature_group_unit_id_org_unit"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_selfgov_initiative_signature_household_id_household"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["selfgov_initiative.id"],
            name=op.f("fk_selfgov_initiative_signature_initiative_id_selfgov_initiative"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_initiative_signature_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_initiative_signature")),
    )
    op.create_index(
        "uq_selfgov_initiative_signature_resident",
        "selfgov_initiative_signature",
        ["initiative_id", "resident_id"],
        unique=True,
    )
    op.create_table(
        "selfgov_text_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("drafted_on", sa.Date(), nullable=False),
        sa.Column("discussion", sa.Text(), nullable=True),
        sa.Column("adopted_on", sa.Date(), nullable=True),
        sa.Column("adoption_resolution_id", sa.Integer(), nullable=True),
        sa.Column("adopted_by", sa.String(length=200), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_selfgov_text_version_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["notice.id"],
            name=op.f("fk_selfgov_text_version_notice_id_notice"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["adoption_resolution_id"],
            ["meeting_resolution.id"],
            name=op.f("fk_selfgov_text_version_adoption_resolution_id_meeting_resolution"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["text_id"],
            ["selfgov_text.id"],
            name=op.f("fk_selfgov_text_version_text_id_selfgov_text"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_text_version")),
    )
    op.create_index(
        "ix_selfgov_text_version_org_path_id",
        "selfgov_text_version",
        ["org_path", "id"],
        unique=False,
    )
    op.create_index(
        "uq_selfgov_text_version_number",
        "selfgov_text_version",
        ["text_id", "number"],
        unique=True,
    )
    op.create_table(
        "selfgov_candidate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("post_code", sa.String(length=64), nullable=False),
        sa.Column("nomination", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=True),
        sa.Column("assignment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["post_assignment.id"],
            name=op.f("fk_selfgov_candidate_assignment_id_post_assignment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["selfgov_election.id"],
            name=op.f("fk_selfgov_candidate_election_id_selfgov_election"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_candidate_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_candidate")),
    )
    op.create_index(
        "uq_selfgov_candidate_election_resident",
        "selfgov_candidate",
        ["election_id", "resident_id"],
        unique=True,
    )
    op.create_table(
        "selfgov_election_committee_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("vote_count", sa.Integer(), nullable=False),
        sa.Column("serving", sa.Boolean(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("left_reason", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["selfgov_election.id"],
            name=op.f("fk_selfgov_election_committee_member_election_id_selfgov_election"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_election_committee_member_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_election_committee_member")),
    )
    op.create_index(
        "uq_selfgov_election_committee_member",
        "selfgov_election_committee_member",
        ["election_id", "resident_id"],
        unique=True,
    )
    op.create_table(
        "selfgov_hearing_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hearing_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("capacity", sa.String(length=50), nullable=False),
        sa.Column("may_vote", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hearing_id"],
            ["selfgov_hearing.id"],
            name=op.f("fk_selfgov_hearing_participant_hearing_id_selfgov_hearing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_hearing_participant_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_hearing_participant")),
    )
    op.create_table(
        "selfgov_hearing_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hearing_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hearing_id"],
            ["selfgov_hearing.id"],
            name=op.f("fk_selfgov_hearing_step_hearing_id_selfgov_hearing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_hearing_step")),
    )
    op.create_index(
        "uq_selfgov_hearing_step",
        "selfgov_hearing_step",
        ["hearing_id", "step"],
        unique=True,
    )
    op.create_table(
        "selfgov_voter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["selfgov_election.id"],
            name=op.f("fk_selfgov_voter_election_id_selfgov_election"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["resident.id"],
            name=op.f("fk_selfgov_voter_resident_id_resident"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selfgov_voter")),
    )
    op.create_index(
        "uq_selfgov_voter_election_resident",
        "selfgov_voter",
        ["election_id", "resident_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("selfgov_appraisal_rating")
    op.drop_table("selfgov_appraisal")
    op.drop_table("selfgov_representative_seat")
    op.drop_table("selfgov_voter")
    op.drop_table("selfgov_hearing_step")
    op.drop_table("selfgov_hearing_participant")
    op.drop_table("selfgov_election_committee_member")
    op.drop_table("selfgov_candidate")
    op.drop_table("selfgov_text_version")
    op.drop_table("selfgov_initiative_signature")
    op.drop_table("selfgov_hearing")
    op.drop_table("selfgov_election")
    op.drop_table("selfgov_building_head_objection")
    op.drop_table("selfgov_recall")
    op.drop_table("selfgov_initiative")
    op.drop_table("selfgov_building_head_nomination")
    op.drop_table("selfgov_text")
