"""Seals of a unit and their uses.

A seal (``seal``) belongs to a unit and names the post whose holder keeps
it (``custodian_post``, e.g. the committee chair). A use (``seal_use``) is
applied for with its purpose, approved by someone other than the applicant,
and recorded as stamped by the custodian: the stamped uses are the seal-use
register (用章登记簿); nothing is stamped without its entry.

A use for a major matter (重大事项用印, DOMAIN 3.4: "须经两委联席会议集体研究决定")
is ``major`` and records the collective decision behind it: an adopted
resolution of a quorate core meeting (``decision_key`` names it, and the
resolution links back to the use); refused without one.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

APPLIED = "applied"
APPROVED = "approved"
STAMPED = "stamped"
DECISION_REFERENCE_LENGTH = 500
USE_STATUS_NAMES = {APPLIED: "待审批", APPROVED: "已批准待用印", STAMPED: "已用印"}


class Seal(Base):
    __tablename__ = "seal"
    __table_args__ = (Index("ix_seal_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    name: Mapped[str] = mapped_column(String(100))
    custodian_post: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SealUse(Base):
    __tablename__ = "seal_use"
    __table_args__ = (
        Index("ix_seal_use_seal_id_id", "seal_id", "id"),
        Index("ix_seal_use_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seal_id: Mapped[int] = mapped_column(ForeignKey("seal.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    purpose: Mapped[str] = mapped_column(Text)
    document_title: Mapped[str] = mapped_column(String(200))
    copies: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32), default=APPLIED)
    major: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    decision_reference: Mapped[str | None] = mapped_column(String(DECISION_REFERENCE_LENGTH))
    decided_on: Mapped[date | None] = mapped_column(Date)
    decision_source: Mapped[str | None] = mapped_column(String(64))
    decision_key: Mapped[str | None] = mapped_column(String(100))
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    stamped_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    stamped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
