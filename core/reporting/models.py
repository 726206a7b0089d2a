"""Obligation instances (one unit, one type, one period) and the holiday table.

``obligation_instance.org_path`` copies the owing unit's path, so "what this
street's communities owe" is one index range and re-zoning moves it along
(``core.org.service.path_copy_tables``). ``due_on`` is computed when the
instance is materialized and does not change when policy changes later.

Statuses: ``open`` (not yet submitted), ``submitted`` (on time), ``late``
(submitted after ``due_on``), ``zero_report`` (零报告: an explicit "nothing
to report", counted as submitted), ``missing`` (``due_on`` passed without a
submission). An open instance whose deadline has passed reads as missing
before the next ``jiceng reporting materialize`` run records it.
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

TYPE_CODE_LENGTH = 100
STATUS_LENGTH = 16
HOLIDAY_NAME_LENGTH = 100

OPEN = "open"
SUBMITTED = "submitted"
ZERO_REPORT = "zero_report"
LATE = "late"
MISSING = "missing"
STATUSES = (OPEN, SUBMITTED, ZERO_REPORT, LATE, MISSING)
DONE_STATUSES = (SUBMITTED, ZERO_REPORT, LATE)


class ObligationInstance(Base):
    __tablename__ = "obligation_instance"
    __table_args__ = (
        Index(
            "uq_obligation_instance_type_unit_period",
            "type_code",
            "org_unit_id",
            "period_start",
            unique=True,
        ),
        Index("ix_obligation_instance_org_path_due_on", "org_path", "due_on"),
        Index("ix_obligation_instance_due_on_status", "due_on", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A declared obligation type (core.reporting.obligations).
    type_code: Mapped[str] = mapped_column(String(TYPE_CODE_LENGTH))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), default=OPEN)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The local (China Standard Time) date of the submission, compared with due_on.
    submitted_on: Mapped[date | None] = mapped_column(Date)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    reopened_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<ObligationInstance {self.id} {self.type_code} unit={self.org_unit_id} {self.period_start}>"


class Holiday(Base):
    """A public holiday (节假日), or with ``is_workday`` a weekend day made a
    working day (调休). Without ``org_unit_id`` it applies everywhere; with
    it, to that unit's subtree (``org_path``)."""

    __tablename__ = "holiday"
    __table_args__ = (Index("ix_holiday_day", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(HOLIDAY_NAME_LENGTH))
    is_workday: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    org_path: Mapped[str | None] = mapped_column(binary_string(PATH_LENGTH))
