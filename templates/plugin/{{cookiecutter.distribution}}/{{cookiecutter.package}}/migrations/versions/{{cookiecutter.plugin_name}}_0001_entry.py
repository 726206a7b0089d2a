"""{{ cookiecutter.plugin_name }}: the entry table

Revision ID: {{ cookiecutter.plugin_name }}_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "{{ cookiecutter.plugin_name }}_0001"
down_revision = None
branch_labels = ("{{ cookiecutter.plugin_name }}",)
# The branch's root needs core's organization tree (the foreign key to org_unit).
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "{{ cookiecutter.plugin_name }}_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_{{ cookiecutter.plugin_name }}_entry_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_{{ cookiecutter.plugin_name }}_entry")),
    )
    op.create_index(
        "ix_{{ cookiecutter.plugin_name }}_entry_org_unit_id_id", "{{ cookiecutter.plugin_name }}_entry", ["org_unit_id", "id"]
    )


def downgrade() -> None:
    op.drop_table("{{ cookiecutter.plugin_name }}_entry")
