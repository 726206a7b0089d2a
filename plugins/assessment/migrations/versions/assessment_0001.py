"""assessment: schemes, items, results and scores; standardization applications and steps

Revision ID: assessment_0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "assessment_0001"
down_revision = None
branch_labels = ("assessment",)
# Foreign keys to core's org tree, user accounts and public-board notices.
depends_on = "core_0013_admission"


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    t = "assessment_scheme"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("target_level", sa.String(64), nullable=False),
        sa.Column("cycle", sa.String(32), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        _fk(t, "created_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_assessment_scheme_org_path_id", t, ["org_path", "id"])
    t = "assessment_item"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("points", sa.Numeric(6, 2), nullable=False),
        sa.Column("indicator_code", sa.String(100), nullable=True),
        sa.Column("target", sa.Numeric(18, 2), nullable=True),
        _fk(t, "scheme_id", "assessment_scheme", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("uq_assessment_item_scheme_id_code", t, ["scheme_id", "code"], unique=True)
    t = "assessment_result"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("vetoed", sa.Boolean(), nullable=False),
        sa.Column("grade", sa.String(16), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("award_yuan", sa.Integer(), nullable=False),
        _fk(t, "scheme_id", "assessment_scheme", "RESTRICT"),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(
        "uq_assessment_result_scheme_id_org_unit_id_period_start",
        t,
        ["scheme_id", "org_unit_id", "period_start"],
        unique=True,
    )
    op.create_index("ix_assessment_result_org_path_id", t, ["org_path", "id"])
    t = "assessment_score"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Numeric(18, 2), nullable=True),
        sa.Column("score", sa.Numeric(6, 2), nullable=True),
        sa.Column("vetoed", sa.Boolean(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("scored_by_id", sa.Integer(), nullable=True),
        sa.Column("scored_at", sa.DateTime(timezone=True), nullable=True),
        _fk(t, "result_id", "assessment_result", "CASCADE"),
        _fk(t, "item_id", "assessment_item", "CASCADE"),
        _fk(t, "scored_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("uq_assessment_score_result_id_item_id", t, ["result_id", "item_id"], unique=True)
    t = "assessment_title_application"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("title", sa.String(32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_assessment_title_application_org_path_id", t, ["org_path", "id"])
    t = "assessment_title_step"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(32), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=True),
        sa.Column("votes_total", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "application_id", "assessment_title_application", "CASCADE"),
        _fk(t, "notice_id", "notice", "RESTRICT"),
        _fk(t, "recorded_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("uq_assessment_title_step_application_id_step", t, ["application_id", "step"], unique=True)


def downgrade() -> None:
    for table in (
        "assessment_title_step",
        "assessment_title_application",
        "assessment_score",
        "assessment_result",
        "assessment_item",
        "assessment_scheme",
    ):
        op.drop_table(table)
