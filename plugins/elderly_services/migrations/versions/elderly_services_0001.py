"""elderly_services: senior preferential cards (老年人优待证), home-based care providers, enrolments and service records, quarterly reports, activities

Revision ID: elderly_services_0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "elderly_services_0001"
down_revision = None
branch_labels = ("elderly_services",)
# Foreign keys to core's org tree, residents and user accounts; visits live in core.
depends_on = "core_0012_visits"


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "elderly_senior_card",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("card_number", sa.String(32), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issuer_id", sa.Integer(), nullable=True),
        sa.Column("eligible_on", sa.Date(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("elderly_senior_card", "resident_id", "resident", "CASCADE"),
        _fk("elderly_senior_card", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("elderly_senior_card", "issuer_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_senior_card")),
    )
    op.create_index("uq_elderly_senior_card_resident_id", "elderly_senior_card", ["resident_id"], unique=True)
    op.create_index("uq_elderly_senior_card_card_number", "elderly_senior_card", ["card_number"], unique=True)
    op.create_index("ix_elderly_senior_card_org_path_id", "elderly_senior_card", ["org_path", "id"])
    op.create_table(
        "elderly_care_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("services", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("elderly_care_provider", "org_unit_id", "org_unit", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_care_provider")),
    )
    op.create_index("ix_elderly_care_provider_org_path_id", "elderly_care_provider", ["org_path", "id"])
    op.create_table(
        "elderly_care_enrolment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(32), nullable=False),
        sa.Column("enrolled_from", sa.Date(), nullable=False),
        sa.Column("enrolled_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("elderly_care_enrolment", "resident_id", "resident", "CASCADE"),
        _fk("elderly_care_enrolment", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("elderly_care_enrolment", "provider_id", "elderly_care_provider", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_care_enrolment")),
    )
    op.create_index("ix_elderly_care_enrolment_org_path_id", "elderly_care_enrolment", ["org_path", "id"])
    op.create_index("ix_elderly_care_enrolment_resident_id", "elderly_care_enrolment", ["resident_id"])
    op.create_table(
        "elderly_care_service_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("served_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("elderly_care_service_record", "enrolment_id", "elderly_care_enrolment", "CASCADE"),
        _fk("elderly_care_service_record", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("elderly_care_service_record", "recorded_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_care_service_record")),
    )
    op.create_index(
        "ix_elderly_care_service_record_enrolment_id_served_on",
        "elderly_care_service_record",
        ["enrolment_id", "served_on"],
    )
    op.create_index("ix_elderly_care_service_record_org_path_id", "elderly_care_service_record", ["org_path", "id"])
    op.create_table(
        "elderly_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("elderly_report", "instance_id", "obligation_instance", "CASCADE"),
        _fk("elderly_report", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("elderly_report", "submitted_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_report")),
    )
    op.create_index("uq_elderly_report_instance_id", "elderly_report", ["instance_id"], unique=True)
    op.create_index("ix_elderly_report_org_path_id", "elderly_report", ["org_path", "id"])
    op.create_table(
        "elderly_activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("elderly_activity", "org_unit_id", "org_unit", "RESTRICT"),
        _fk("elderly_activity", "recorded_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_activity")),
    )
    op.create_index("ix_elderly_activity_org_path_held_on_id", "elderly_activity", ["org_path", "held_on", "id"])
    op.create_table(
        "elderly_activity_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        _fk("elderly_activity_participant", "activity_id", "elderly_activity", "CASCADE"),
        _fk("elderly_activity_participant", "resident_id", "resident", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_elderly_activity_participant")),
    )
    op.create_index(
        "uq_elderly_activity_participant_activity_id_resident_id",
        "elderly_activity_participant",
        ["activity_id", "resident_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_table("elderly_activity_participant")
    op.drop_table("elderly_activity")
    op.drop_table("elderly_report")
    op.drop_table("elderly_care_service_record")
    op.drop_table("elderly_care_enrolment")
    op.drop_table("elderly_care_provider")
    op.drop_table("elderly_senior_card")
