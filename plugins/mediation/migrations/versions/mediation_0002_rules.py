"""mediation: satisfaction surveys for the 平安村 criteria; level policy by role

Revision ID: mediation_0002_rules
Revises: mediation_0001
Create Date: 2026-12-05

Remit, escalation and emergency policy values named level codes
("community", "street", "district"); they now name the level's role in the
tree (``grassroots``, ``subdistrict``, ``county``), so that a deployment of
townships and villages reads them the same.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "mediation_0002_rules"
down_revision = "mediation_0001"
branch_labels = None
depends_on = None

LEVEL_KEYS = (
    "mediation.finalize_level.minor",
    "mediation.finalize_level.ordinary",
    "mediation.finalize_level.major",
    "mediation.escalation.top_level",
    "mediation.emergency.level",
)
ROLES = {"city": "city", "district": "county", "street": "subdistrict", "community": "grassroots", "grid": "grid"}


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _rename_values(mapping: dict[str, str]) -> None:
    table = sa.table("policy_value", sa.column("key", sa.String), sa.column("value", sa.Text))
    for old, new in mapping.items():
        op.execute(
            table.update()
            .where(table.c.key.in_(LEVEL_KEYS), table.c.value == json.dumps(old))
            .values(value=json.dumps(new))
        )


def upgrade() -> None:
    op.create_table(
        "mediation_satisfaction_survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("surveyed_on", sa.Date(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=False),
        sa.Column("satisfied", sa.Integer(), nullable=False),
        sa.Column("basically_satisfied", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_mediation_satisfaction_survey_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_mediation_satisfaction_survey_recorded_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_satisfaction_survey")),
    )
    op.create_index(
        "uq_mediation_satisfaction_survey_org_unit_id_year",
        "mediation_satisfaction_survey",
        ["org_unit_id", "year"],
        unique=True,
    )
    op.create_index("ix_mediation_satisfaction_survey_org_path", "mediation_satisfaction_survey", ["org_path"])
    _rename_values(ROLES)


def downgrade() -> None:
    _rename_values({role: code for code, role in ROLES.items()})
    op.drop_table("mediation_satisfaction_survey")
