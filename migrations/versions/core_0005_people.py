"""core: people registry — places, households, residents, members, categories

Revision ID: core_0005
Revises: core_0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0005"
down_revision = "core_0004"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("parent_place_id", sa.Integer(), nullable=True),
        sa.Column("is_rental", sa.Boolean(), nullable=False),
        sa.Column("owner_resident_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_place_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["parent_place_id"], ["place.id"], name=op.f("fk_place_parent_place_id_place"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place")),
    )
    op.create_index("ix_place_org_path_id", "place", ["org_path", "id"])
    op.create_index("ix_place_parent_place_id", "place", ["parent_place_id"])

    op.create_table(
        "household",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_number", sa.String(32), nullable=True),
        sa.Column("household_type", sa.String(20), nullable=False),
        sa.Column("residence_type", sa.String(20), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_household_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_household_place_id_place"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household")),
    )
    op.create_index("ix_household_org_path_id", "household", ["org_path", "id"])
    op.create_index("ix_household_household_number", "household", ["household_number"])

    op.create_table(
        "resident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=True),
        sa.Column("sex", sa.String(8), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("ethnicity", sa.String(20), nullable=True),
        sa.Column("residence_type", sa.String(20), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("place_id", sa.Integer(), nullable=True),
        sa.Column("moved_in_on", sa.Date(), nullable=True),
        sa.Column("moved_out_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_resident_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["household_id"], ["household.id"], name=op.f("fk_resident_household_id_household"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_resident_place_id_place"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident")),
    )
    op.create_index("ix_resident_org_path_id", "resident", ["org_path", "id"])
    op.create_index("ix_resident_id_number", "resident", ["id_number"], unique=True)
    op.create_index("ix_resident_household_id", "resident", ["household_id"])
    op.create_index("ix_resident_birth_date", "resident", ["birth_date"])

    # place.owner_resident_id and resident.place_id refer to each other.
    with op.batch_alter_table("place") as batch:
        batch.create_foreign_key(
            op.f("fk_place_owner_resident_id_resident"), "resident", ["owner_resident_id"], ["id"], ondelete="SET NULL"
        )

    op.create_table(
        "household_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("relationship_code", sa.String(2), nullable=False),
        sa.Column("is_head", sa.Boolean(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["household.id"],
            name=op.f("fk_household_member_household_id_household"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_household_member_resident_id_resident"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_household_member")),
    )
    op.create_index("ix_household_member_household_id_id", "household_member", ["household_id", "id"])
    op.create_index("ix_household_member_resident_id", "household_member", ["resident_id"])
    op.create_index(
        "uq_household_member_current",
        "household_member",
        ["resident_id"],
        unique=True,
        sqlite_where=sa.text("left_on IS NULL"),
        postgresql_where=sa.text("left_on IS NULL"),
    )

    op.create_table(
        "resident_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_resident_category_resident_id_resident"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_category")),
    )
    op.create_index("ix_resident_category_category_resident_id", "resident_category", ["category", "resident_id"])
    op.create_index("ix_resident_category_resident_id", "resident_category", ["resident_id"])


def downgrade() -> None:
    op.drop_table("resident_category")
    op.drop_table("household_member")
    with op.batch_alter_table("place") as batch:
        batch.drop_constraint(op.f("fk_place_owner_resident_id_resident"), type_="foreignkey")
    op.drop_table("resident")
    op.drop_table("household")
    op.drop_table("place")
