"""core: work admission (approved requirements, links, refusals) and report forms (一表通)

Revision ID: core_0013_admission
Revises: core_0012_documents
Create Date: 2026-12-05

``admission_requirement``: what is asked of a subtree, with authority, deadline
or cadence, staff and funds, approved at the level policy names;
``admission_requirement_link``: the obligation types, report forms (form.<id>)
and tasks it admits; ``admission_refusal``: a community's refusal of an
unadmitted subject. ``report_form``/``report_form_field``: forms defined
through the API, fields bound to indicators or entered by hand;
``report_submission``/``report_value``: one unit's period and its values.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0013_admission"
down_revision = "core_0012_documents"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    t = "admission_requirement"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("issuer", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("authority", sa.Text(), nullable=False),
        sa.Column("cadence", sa.String(32), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("staff", sa.Text(), nullable=False),
        sa.Column("funds_yuan", sa.Integer(), nullable=False),
        sa.Column("funds_note", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("approving_unit_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        _fk(t, "approving_unit_id", "org_unit", "RESTRICT"),
        _fk(t, "approved_by_id", "user_account", "SET NULL"),
        _fk(t, "created_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_admission_requirement_org_path_id", t, ["org_path", "id"])
    t = "admission_requirement_link"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(32), nullable=False),
        sa.Column("subject_code", sa.String(100), nullable=False),
        _fk(t, "requirement_id", "admission_requirement", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(
        "uq_admission_requirement_link_requirement_id_subject_code", t, ["requirement_id", "subject_code"], unique=True
    )
    op.create_index("ix_admission_requirement_link_subject_code", t, ["subject_code"])
    t = "admission_refusal"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("subject_kind", sa.String(32), nullable=False),
        sa.Column("subject_code", sa.String(100), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refused_by_id", sa.Integer(), nullable=True),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        _fk(t, "refused_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_admission_refusal_org_path_id", t, ["org_path", "id"])
    op.create_index("ix_admission_refusal_subject_code", t, ["subject_code"])
    t = "report_form"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("requirement_id", sa.Integer(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("recurrence", sa.String(32), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        _fk(t, "requirement_id", "admission_requirement", "RESTRICT"),
        _fk(t, "created_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("ix_report_form_org_path_id", t, ["org_path", "id"])
    op.create_index("uq_report_form_org_unit_id_code", t, ["org_unit_id", "code"], unique=True)
    t = "report_form_field"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("indicator_code", sa.String(100), nullable=True),
        sa.Column("value_type", sa.String(16), nullable=False),
        sa.Column("min_value", sa.Numeric(18, 2), nullable=True),
        sa.Column("max_value", sa.Numeric(18, 2), nullable=True),
        sa.Column("required", sa.Boolean(), nullable=False),
        _fk(t, "form_id", "report_form", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("uq_report_form_field_form_id_code", t, ["form_id", "code"], unique=True)
    t = "report_submission"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("filled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        _fk(t, "form_id", "report_form", "RESTRICT"),
        _fk(t, "org_unit_id", "org_unit", "RESTRICT"),
        _fk(t, "instance_id", "obligation_instance", "RESTRICT"),
        _fk(t, "submitted_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index(
        "uq_report_submission_form_id_org_unit_id_period_start",
        t,
        ["form_id", "org_unit_id", "period_start"],
        unique=True,
    )
    op.create_index("ix_report_submission_org_path_id", t, ["org_path", "id"])
    t = "report_value"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Numeric(18, 2), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("computed", sa.Numeric(18, 2), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        _fk(t, "submission_id", "report_submission", "CASCADE"),
        _fk(t, "field_id", "report_form_field", "CASCADE"),
        _fk(t, "changed_by_id", "user_account", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{t}")),
    )
    op.create_index("uq_report_value_submission_id_field_id", t, ["submission_id", "field_id"], unique=True)


def downgrade() -> None:
    for table in (
        "report_value",
        "report_submission",
        "report_form_field",
        "report_form",
        "admission_refusal",
        "admission_requirement_link",
        "admission_requirement",
    ):
        op.drop_table(table)
