"""Approved requirements, what they cover, and a community's refusals.

A requirement (``admission_requirement``) is asked of the units of one subtree
(``org_unit_id``/``org_path``, optionally only some levels), states what is
asked with which authority, deadline or cadence, staff and funds
(授权内容、对象、权限、时限和经费保障), and is approved at the level locality policy
names (``admission.approval_level``) for a validity period. It covers subjects
(``admission_requirement_link``): obligation types by code, report forms
(``form.<id>``) and recurring tasks (``task.<code>``). A community refuses a
subject that no approved requirement covers (``admission_refusal``), with the
reason; a refusal is withdrawn when the subject is admitted later.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

DRAFT = "draft"
APPROVED = "approved"
REVOKED = "revoked"
STATUS_NAMES = {DRAFT: "待审批", APPROVED: "已准入", REVOKED: "已撤销"}

OBLIGATION_TYPE = "obligation_type"
REPORT_FORM = "report_form"
TASK = "task"
SUBJECT_KINDS = {OBLIGATION_TYPE: "应报事项", REPORT_FORM: "报表", TASK: "工作任务"}
SUBJECT_CODE_LENGTH = 100


class Requirement(Base):
    __tablename__ = "admission_requirement"
    __table_args__ = (Index("ix_admission_requirement_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unit whose subtree is asked; the record's scope.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # Level codes asked; empty: every unit of the subtree.
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    issuer: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    authority: Mapped[str] = mapped_column(Text)
    cadence: Mapped[str | None] = mapped_column(String(32))
    deadline: Mapped[date | None] = mapped_column(Date)
    staff: Mapped[str] = mapped_column(Text)
    funds_yuan: Mapped[int] = mapped_column(Integer, default=0)
    funds_note: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT)
    approving_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RequirementLink(Base):
    __tablename__ = "admission_requirement_link"
    __table_args__ = (
        Index(
            "uq_admission_requirement_link_requirement_id_subject_code", "requirement_id", "subject_code", unique=True
        ),
        Index("ix_admission_requirement_link_subject_code", "subject_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requirement_id: Mapped[int] = mapped_column(ForeignKey("admission_requirement.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_code: Mapped[str] = mapped_column(String(SUBJECT_CODE_LENGTH))


class Refusal(Base):
    __tablename__ = "admission_refusal"
    __table_args__ = (
        Index("ix_admission_refusal_org_path_id", "org_path", "id"),
        Index("ix_admission_refusal_subject_code", "subject_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_code: Mapped[str] = mapped_column(String(SUBJECT_CODE_LENGTH))
    reason: Mapped[str] = mapped_column(Text)
    refused_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    refused_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


MODELS = (Requirement, RequirementLink, Refusal)
