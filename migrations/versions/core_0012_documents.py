"""core: files attached to records (documents), their retention and disposal; the seal register

Revision ID: core_0012_documents
Revises: core_0012_visits
Create Date: 2026-12-05

``document``: one row per file attached to a record of a declared type
(``owner_type``, ``owner_id``), in that record's unit; the file itself is in
the configured storage under ``storage_key``. Rows stay after disposal.
``seal`` and ``seal_use``: seals with their custodian post, and the uses
applied for, approved and stamped (the seal-use register).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0012_documents"
down_revision = "core_0012_visits"
branch_labels = None
depends_on = None


def _path_type() -> sa.types.TypeEngine:
    return sa.String(512).with_variant(sa.String(512, collation="C"), "postgresql")


def _user_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["user_account.id"], name=op.f(f"fk_document_{column}_user_account"), ondelete="SET NULL"
    )


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_class", sa.String(64), nullable=False),
        sa.Column("owner_type", sa.String(64), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disposal_requested_by_id", sa.Integer(), nullable=True),
        sa.Column("disposal_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposal_reason", sa.Text(), nullable=True),
        sa.Column("disposed_by_id", sa.Integer(), nullable=True),
        sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_document_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        _user_fk("uploaded_by_id"),
        _user_fk("disposal_requested_by_id"),
        _user_fk("disposed_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_document_storage_key")),
    )
    op.create_index("ix_document_owner_type_owner_id", "document", ["owner_type", "owner_id"])
    op.create_index("ix_document_org_path_id", "document", ["org_path", "id"])
    op.create_table(
        "seal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("custodian_post", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_seal_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal")),
    )
    op.create_index("ix_seal_org_path_id", "seal", ["org_path", "id"])
    op.create_table(
        "seal_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seal_id", sa.Integer(), nullable=False),
        sa.Column("org_path", _path_type(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("document_title", sa.String(200), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("applied_by_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stamped_by_id", sa.Integer(), nullable=True),
        sa.Column("stamped_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["seal_id"], ["seal.id"], name=op.f("fk_seal_use_seal_id_seal"), ondelete="RESTRICT"),
        *(
            sa.ForeignKeyConstraint(
                [column], ["user_account.id"], name=op.f(f"fk_seal_use_{column}_user_account"), ondelete="SET NULL"
            )
            for column in ("applied_by_id", "approved_by_id", "stamped_by_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seal_use")),
    )
    op.create_index("ix_seal_use_seal_id_id", "seal_use", ["seal_id", "id"])
    op.create_index("ix_seal_use_org_path_id", "seal_use", ["org_path", "id"])


def downgrade() -> None:
    op.drop_index("ix_seal_use_org_path_id", table_name="seal_use")
    op.drop_index("ix_seal_use_seal_id_id", table_name="seal_use")
    op.drop_table("seal_use")
    op.drop_index("ix_seal_org_path_id", table_name="seal")
    op.drop_table("seal")
    op.drop_index("ix_document_org_path_id", table_name="document")
    op.drop_index("ix_document_owner_type_owner_id", table_name="document")
    op.drop_table("document")
