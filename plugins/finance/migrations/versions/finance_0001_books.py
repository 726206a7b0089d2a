"""finance: a community's books, expense approvals, signatures, cash counts, monthly closing, audits and disclosures

Revision ID: finance_0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "finance_0001"
down_revision = None
branch_labels = ("finance",)
# Foreign keys to core's org tree, people, posts, users, reporting and board.
depends_on = "core_0009"


def upgrade() -> None:
    op.create_table(
        "finance_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("opening_balance_fen", sa.BigInteger(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_finance_account_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_account")),
    )
    op.create_index("ix_finance_account_org_path_id", "finance_account", ["org_path", "id"], unique=False)
    op.create_index("ix_finance_account_org_unit_id_code", "finance_account", ["org_unit_id", "code"], unique=True)
    op.create_table(
        "finance_category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_finance_category_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_category")),
    )
    op.create_index("ix_finance_category_org_path_id", "finance_category", ["org_path", "id"], unique=False)
    op.create_index(
        "ix_finance_category_org_unit_id_direction_code",
        "finance_category",
        ["org_unit_id", "direction", "code"],
        unique=True,
    )
    op.create_table(
        "finance_cash_count",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("count_date", sa.Date(), nullable=False),
        sa.Column("counted_fen", sa.BigInteger(), nullable=False),
        sa.Column("book_fen", sa.BigInteger(), nullable=False),
        sa.Column("difference_fen", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("counted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["finance_account.id"],
            name=op.f("fk_finance_cash_count_account_id_finance_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["counted_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_cash_count_counted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_finance_cash_count_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_cash_count")),
    )
    op.create_index(
        "ix_finance_cash_count_account_id_count_date", "finance_cash_count", ["account_id", "count_date"], unique=True
    )
    op.create_index("ix_finance_cash_count_org_path_id", "finance_cash_count", ["org_path", "id"], unique=False)
    op.create_table(
        "finance_expense_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("tier", sa.String(length=32), nullable=False),
        sa.Column("chain", sa.JSON(), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("assembly_date", sa.Date(), nullable=True),
        sa.Column("assembly_number", sa.String(length=32), nullable=True),
        sa.Column("assembly_representatives", sa.Integer(), nullable=True),
        sa.Column("assembly_attendance", sa.Integer(), nullable=True),
        sa.Column("assembly_votes_for", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("paid_by_id", sa.Integer(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("refused_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["finance_account.id"],
            name=op.f("fk_finance_expense_request_account_id_finance_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["finance_category.id"],
            name=op.f("fk_finance_expense_request_category_id_finance_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_finance_expense_request_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["paid_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_expense_request_paid_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["refused_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_expense_request_refused_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_expense_request_requested_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_expense_request")),
    )
    op.create_index(
        "ix_finance_expense_request_org_path_id", "finance_expense_request", ["org_path", "id"], unique=False
    )
    op.create_index(
        "ix_finance_expense_request_org_unit_id_id", "finance_expense_request", ["org_unit_id", "id"], unique=False
    )
    op.create_index("ix_finance_expense_request_status", "finance_expense_request", ["status"], unique=False)
    op.create_table(
        "finance_month_close",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("income_fen", sa.BigInteger(), nullable=False),
        sa.Column("expense_fen", sa.BigInteger(), nullable=False),
        sa.Column("closing_balance_fen", sa.BigInteger(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_month_close_closed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_finance_month_close_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_month_close")),
    )
    op.create_index("ix_finance_month_close_org_path_id", "finance_month_close", ["org_path", "id"], unique=False)
    op.create_index(
        "ix_finance_month_close_org_unit_id_month", "finance_month_close", ["org_unit_id", "month"], unique=True
    )
    op.create_table(
        "finance_approval_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("acted_by_id", sa.Integer(), nullable=True),
        sa.Column("acted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acted_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_approval_step_acted_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["finance_expense_request.id"],
            name=op.f("fk_finance_approval_step_request_id_finance_expense_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_approval_step")),
    )
    op.create_index(
        "ix_finance_approval_step_request_id_position", "finance_approval_step", ["request_id", "position"], unique=True
    )
    op.create_table(
        "finance_ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("voucher_number", sa.String(length=40), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("direction", sa.String(length=32), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("booked_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["finance_account.id"],
            name=op.f("fk_finance_ledger_entry_account_id_finance_account"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["booked_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_ledger_entry_booked_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["finance_category.id"],
            name=op.f("fk_finance_ledger_entry_category_id_finance_category"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_finance_ledger_entry_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["finance_expense_request.id"],
            name=op.f("fk_finance_ledger_entry_request_id_finance_expense_request"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["finance_ledger_entry.id"],
            name=op.f("fk_finance_ledger_entry_reverses_id_finance_ledger_entry"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_ledger_entry")),
    )
    op.create_index("ix_finance_ledger_entry_org_path_id", "finance_ledger_entry", ["org_path", "id"], unique=False)
    op.create_index(
        "ix_finance_ledger_entry_org_unit_id_entry_date_id",
        "finance_ledger_entry",
        ["org_unit_id", "entry_date", "id"],
        unique=False,
    )
    op.create_index(
        "ix_finance_ledger_entry_org_unit_id_voucher_number",
        "finance_ledger_entry",
        ["org_unit_id", "voucher_number"],
        unique=True,
    )
    op.create_index("ix_finance_ledger_entry_request_id", "finance_ledger_entry", ["request_id"], unique=True)
    op.create_index("ix_finance_ledger_entry_reverses_id", "finance_ledger_entry", ["reverses_id"], unique=True)
    op.create_table(
        "finance_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["finance_expense_request.id"],
            name=op.f("fk_finance_signature_request_id_finance_expense_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_signature_signed_by_id_user_account"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_signature")),
    )
    op.create_index("ix_finance_signature_request_id_role", "finance_signature", ["request_id", "role"], unique=True)
    op.create_index(
        "ix_finance_signature_request_id_signed_by_id", "finance_signature", ["request_id", "signed_by_id"], unique=True
    )
    op.create_table(
        "finance_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("post_assignment_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=True),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("conclusion", sa.Text(), nullable=True),
        sa.Column("handover_to_resident_id", sa.Integer(), nullable=True),
        sa.Column("handover_note", sa.Text(), nullable=True),
        sa.Column("cash_handed_over_fen", sa.BigInteger(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["auditor_id"],
            ["user_account.id"],
            name=op.f("fk_finance_audit_auditor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["handover_to_resident_id"],
            ["resident.id"],
            name=op.f("fk_finance_audit_handover_to_resident_id_resident"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_finance_audit_notice_id_notice"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"], ["org_unit.id"], name=op.f("fk_finance_audit_org_unit_id_org_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["post_assignment_id"],
            ["post_assignment.id"],
            name=op.f("fk_finance_audit_post_assignment_id_post_assignment"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_audit")),
    )
    op.create_index("ix_finance_audit_org_path_id", "finance_audit", ["org_path", "id"], unique=False)
    op.create_index("ix_finance_audit_org_unit_id_id", "finance_audit", ["org_unit_id", "id"], unique=False)
    op.create_index("ix_finance_audit_post_assignment_id", "finance_audit", ["post_assignment_id"], unique=True)
    op.create_table(
        "finance_disclosure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_unit_id", sa.Integer(), nullable=False),
        sa.Column(
            "org_path",
            sa.String(length=512).with_variant(sa.String(length=512, collation="C"), "postgresql"),
            nullable=False,
        ),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("income_fen", sa.BigInteger(), nullable=False),
        sa.Column("expense_fen", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("obligation_instance_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_finance_disclosure_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notice.id"], name=op.f("fk_finance_disclosure_notice_id_notice"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["obligation_instance_id"],
            ["obligation_instance.id"],
            name=op.f("fk_finance_disclosure_obligation_instance_id_obligation_instance"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["org_unit_id"],
            ["org_unit.id"],
            name=op.f("fk_finance_disclosure_org_unit_id_org_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finance_disclosure")),
    )
    op.create_index("ix_finance_disclosure_org_path_id", "finance_disclosure", ["org_path", "id"], unique=False)
    op.create_index(
        "ix_finance_disclosure_org_unit_id_period_start",
        "finance_disclosure",
        ["org_unit_id", "period_start"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_table("finance_disclosure")
    op.drop_table("finance_audit")
    op.drop_table("finance_signature")
    op.drop_table("finance_ledger_entry")
    op.drop_table("finance_approval_step")
    op.drop_table("finance_month_close")
    op.drop_table("finance_expense_request")
    op.drop_table("finance_cash_count")
    op.drop_table("finance_category")
    op.drop_table("finance_account")
