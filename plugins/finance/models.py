"""The books of a community (居委会财务).

Every table with an ``org_unit_id`` copies the unit's path into
``org_path`` so that "the books under this street" is one index range and
re-zoning moves the rows along (``core.org.service.path_copy_tables``).

Money is stored in integer fen (``BigInteger``), never as a float. A
reversing entry (红字冲销) carries the negative amount of the entry it
reverses; nothing in a closed month is ever updated or deleted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

CODE_LENGTH = 32
NAME_LENGTH = 100
STATUS_LENGTH = 32
SUMMARY_LENGTH = 200
VOUCHER_LENGTH = 40

# Directions of an entry and of a category.
INCOME = "income"
EXPENSE = "expense"
DIRECTIONS = {INCOME: "收入", EXPENSE: "支出"}

# Account kinds.
CASH = "cash"
BANK = "bank"
ACCOUNT_KINDS = {CASH: "库存现金", BANK: "银行存款"}

# Expense request statuses.
PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
PAID = "paid"
BOOKED = "booked"
REFUSED = "refused"
CANCELLED = "cancelled"
REQUEST_STATUSES = {
    PENDING: "审批中",
    APPROVED: "已审批待支付",
    REJECTED: "已驳回",
    PAID: "已支付待记账",
    BOOKED: "已记账",
    REFUSED: "财会人员拒付",
    CANCELLED: "经办人撤回",
}

# Approval steps.
STEP_CHAIR = "chair"
STEP_STREET = "street"
STEP_ASSEMBLY = "assembly"
STEP_FILING = "filing"
# A village's procedure (seed 003): the joint meeting of the 两委, then the
# villagers' (representatives') meeting for matters of their vital interest.
STEP_JOINT_MEETING = "joint_meeting"
STEP_VILLAGERS_MEETING = "villagers_meeting"
STEP_NAMES = {
    STEP_CHAIR: "居（村）委会主任审批",
    STEP_STREET: "街道办事处分管主任同意",
    STEP_ASSEMBLY: "社区成员代表大会决定",
    STEP_FILING: "街道办事处备案",
    STEP_JOINT_MEETING: "村“两委”联席会议研究决定",
    STEP_VILLAGERS_MEETING: "村民会议或村民代表会议表决通过",
}
# Steps taken by recording a meeting's resolution.
MEETING_STEPS = (STEP_ASSEMBLY, STEP_JOINT_MEETING, STEP_VILLAGERS_MEETING)
STEP_PENDING = "pending"
STEP_APPROVED = "approved"
STEP_REJECTED = "rejected"
STEP_STATUSES = {STEP_PENDING: "待审批", STEP_APPROVED: "已同意", STEP_REJECTED: "已驳回"}

# Reimbursement signatures (报销签字).
SIGN_HANDLER = "handler"
SIGN_CHAIR = "chair"
SIGN_SECRETARY = "secretary"
SIGN_VICE_CHAIR = "vice_chair"
# A second vice-chair: when the chair-secretary (一肩挑) handles their own
# expense, two vice-chairs sign besides them (三人以上签字).
SIGN_SECOND_VICE_CHAIR = "second_vice_chair"
SIGNATURE_NAMES = {
    SIGN_HANDLER: "经办人",
    SIGN_CHAIR: "主任",
    SIGN_SECRETARY: "书记",
    SIGN_VICE_CHAIR: "副主任",
    SIGN_SECOND_VICE_CHAIR: "另一名副主任",
}
VICE_CHAIR_SIGNATURES = (SIGN_VICE_CHAIR, SIGN_SECOND_VICE_CHAIR)

# Audits.
AUDIT_QUARTERLY = "quarterly"
AUDIT_DEPARTURE = "departure"
AUDIT_KINDS = {AUDIT_QUARTERLY: "季度审计（居务监督小组）", AUDIT_DEPARTURE: "离任审计"}
AUDIT_OPEN = "open"
AUDIT_COMPLETED = "completed"
AUDIT_STATUSES = {AUDIT_OPEN: "审计中", AUDIT_COMPLETED: "已完成"}


def _unit_fk() -> Any:
    return ForeignKey("org_unit.id", ondelete="RESTRICT")


def _user_fk() -> Any:
    return ForeignKey("user_account.id", ondelete="SET NULL")


class FinanceAccount(Base):
    """A money account of a community: cash on hand or a bank account."""

    __tablename__ = "finance_account"
    __table_args__ = (
        Index("ix_finance_account_org_unit_id_code", "org_unit_id", "code", unique=True),
        Index("ix_finance_account_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    kind: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    # Balance when the books were opened, in fen.
    opening_balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    opened_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FinanceCategory(Base):
    """An income or expense category (收支科目) of a community's books."""

    __tablename__ = "finance_category"
    __table_args__ = (
        Index("ix_finance_category_org_unit_id_direction_code", "org_unit_id", "direction", "code", unique=True),
        Index("ix_finance_category_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    direction: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    code: Mapped[str] = mapped_column(String(CODE_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExpenseRequest(Base):
    """An expense asked for by a handler (经办人) and its approval chain.

    ``chain`` is the snapshot taken when the request was created: the tier,
    the thresholds in force and the signatures required (一肩挑 or not), so
    that a later policy change does not alter a request under way."""

    __tablename__ = "finance_expense_request"
    __table_args__ = (
        Index("ix_finance_expense_request_org_unit_id_id", "org_unit_id", "id"),
        Index("ix_finance_expense_request_org_path_id", "org_path", "id"),
        Index("ix_finance_expense_request_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    title: Mapped[str] = mapped_column(String(SUMMARY_LENGTH))
    purpose: Mapped[str | None] = mapped_column(Text)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    category_id: Mapped[int] = mapped_column(ForeignKey("finance_category.id", ondelete="RESTRICT"))
    account_id: Mapped[int] = mapped_column(ForeignKey("finance_account.id", ondelete="RESTRICT"))
    requested_by_id: Mapped[int | None] = mapped_column(_user_fk())
    requested_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), default=PENDING)
    tier: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    chain: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Supporting documents (发票、收据): list of {kind, number, issuer, issuedOn, amountFen}.
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The representatives' assembly resolution: a resolution of a core
    # meeting of kind ``representatives_assembly`` (roster from the posts);
    # the date, number and counts below are copied from it when recorded.
    assembly_resolution_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_resolution.id", ondelete="RESTRICT"))
    assembly_date: Mapped[date | None] = mapped_column(Date)
    assembly_number: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    assembly_representatives: Mapped[int | None] = mapped_column(Integer)
    assembly_attendance: Mapped[int | None] = mapped_column(Integer)
    assembly_votes_for: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    paid_by_id: Mapped[int | None] = mapped_column(_user_fk())
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paid_on: Mapped[date | None] = mapped_column(Date)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    refused_by_id: Mapped[int | None] = mapped_column(_user_fk())
    # 必要时可向街道办事处反映: when the refusal was reported to the street
    # office, and the office's reply.
    refusal_reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_reviewed_by_id: Mapped[int | None] = mapped_column(_user_fk())
    refusal_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    refusal_review_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ApprovalStep(Base):
    """One step of a request's approval chain, in order."""

    __tablename__ = "finance_approval_step"
    __table_args__ = (Index("ix_finance_approval_step_request_id_position", "request_id", "position", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("finance_expense_request.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), default=STEP_PENDING)
    acted_by_id: Mapped[int | None] = mapped_column(_user_fk())
    acted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str | None] = mapped_column(Text)
    # A meeting step's resolution: {meetingDate, number, members, attendance, votesFor}.
    resolution: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Signature(Base):
    """A reimbursement signature (报销签字) in one capacity; one person signs once."""

    __tablename__ = "finance_signature"
    __table_args__ = (
        Index("ix_finance_signature_request_id_role", "request_id", "role", unique=True),
        Index("ix_finance_signature_request_id_signed_by_id", "request_id", "signed_by_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("finance_expense_request.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LedgerEntry(Base):
    """A booked voucher (记账凭证): one income or expense, or the reversal of one."""

    __tablename__ = "finance_ledger_entry"
    __table_args__ = (
        Index("ix_finance_ledger_entry_org_unit_id_voucher_number", "org_unit_id", "voucher_number", unique=True),
        Index("ix_finance_ledger_entry_org_unit_id_entry_date_id", "org_unit_id", "entry_date", "id"),
        Index("ix_finance_ledger_entry_org_path_id", "org_path", "id"),
        # An entry is reversed at most once; a request is booked at most once.
        Index("ix_finance_ledger_entry_reverses_id", "reverses_id", unique=True),
        Index("ix_finance_ledger_entry_request_id", "request_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    voucher_number: Mapped[str] = mapped_column(String(VOUCHER_LENGTH))
    entry_date: Mapped[date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    # Signed: a reversal carries the negative amount of the entry it reverses.
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    account_id: Mapped[int] = mapped_column(ForeignKey("finance_account.id", ondelete="RESTRICT"))
    category_id: Mapped[int] = mapped_column(ForeignKey("finance_category.id", ondelete="RESTRICT"))
    summary: Mapped[str] = mapped_column(String(SUMMARY_LENGTH))
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("finance_expense_request.id", ondelete="RESTRICT"))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("finance_ledger_entry.id", ondelete="RESTRICT"))
    booked_by_id: Mapped[int | None] = mapped_column(_user_fk())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CashCount(Base):
    """Daily cash reconciliation (日清): cash counted against the books."""

    __tablename__ = "finance_cash_count"
    __table_args__ = (
        Index("ix_finance_cash_count_account_id_count_date", "account_id", "count_date", unique=True),
        Index("ix_finance_cash_count_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    account_id: Mapped[int] = mapped_column(ForeignKey("finance_account.id", ondelete="RESTRICT"))
    count_date: Mapped[date] = mapped_column(Date)
    counted_fen: Mapped[int] = mapped_column(BigInteger)
    book_fen: Mapped[int] = mapped_column(BigInteger)
    difference_fen: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    counted_by_id: Mapped[int | None] = mapped_column(_user_fk())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MonthClose(Base):
    """Monthly closing (月结): the month's books are immutable from then on."""

    __tablename__ = "finance_month_close"
    __table_args__ = (
        Index("ix_finance_month_close_org_unit_id_month", "org_unit_id", "month", unique=True),
        Index("ix_finance_month_close_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # The first day of the closed month.
    month: Mapped[date] = mapped_column(Date)
    income_fen: Mapped[int] = mapped_column(BigInteger)
    expense_fen: Mapped[int] = mapped_column(BigInteger)
    closing_balance_fen: Mapped[int] = mapped_column(BigInteger)
    closed_by_id: Mapped[int | None] = mapped_column(_user_fk())
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FinanceAudit(Base):
    """A quarterly audit by the supervision group or a departure audit (离任审计)
    of a funds holder leaving the post, with the handover."""

    __tablename__ = "finance_audit"
    __table_args__ = (
        Index("ix_finance_audit_org_unit_id_id", "org_unit_id", "id"),
        Index("ix_finance_audit_org_path_id", "org_path", "id"),
        Index("ix_finance_audit_post_assignment_id", "post_assignment_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    kind: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # Departure audit: the ended term of the funds holder.
    post_assignment_id: Mapped[int | None] = mapped_column(ForeignKey("post_assignment.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), default=AUDIT_OPEN)
    auditor_id: Mapped[int | None] = mapped_column(_user_fk())
    findings: Mapped[str | None] = mapped_column(Text)
    conclusion: Mapped[str | None] = mapped_column(Text)
    handover_to_resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    handover_note: Mapped[str | None] = mapped_column(Text)
    cash_handed_over_fen: Mapped[int | None] = mapped_column(BigInteger)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Disclosure(Base):
    """A half-yearly financial disclosure (财务公开) generated from the books."""

    __tablename__ = "finance_disclosure"
    __table_args__ = (
        Index("ix_finance_disclosure_org_unit_id_period_start", "org_unit_id", "period_start"),
        Index("ix_finance_disclosure_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(_unit_fk())
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    income_fen: Mapped[int] = mapped_column(BigInteger)
    expense_fen: Mapped[int] = mapped_column(BigInteger)
    # {"byCategory": [...], "majorItems": [...]} as computed from the books.
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    obligation_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("obligation_instance.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(_user_fk())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS: tuple[type, ...] = (
    FinanceAccount,
    FinanceCategory,
    ExpenseRequest,
    ApprovalStep,
    Signature,
    LedgerEntry,
    CashCount,
    MonthClose,
    FinanceAudit,
    Disclosure,
)
