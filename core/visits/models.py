"""Enrolments, visits and the derived schedule of visit programmes.

Residents are referenced (``resident_id``), never copied. Every row copies
the resident's unit path into ``org_path`` so that "everyone due in this
street" is one index range and re-zoning moves the rows along
(``core.org.service.path_copy_tables``).

``visit_schedule`` is derived: one row per programme and resident in the
target group, holding the governing category (the shortest interval), the
last visit and the next due date. It is rebuilt from the registry, the
enrolments and the visits by ``core.visits.service.refresh_schedule`` and
kept current when a visit is recorded, so that worklists ordered by due date
are keyset pages over an index instead of a computation per request.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

CODE_LENGTH = 64
METHODS = ("home", "phone", "video")
METHOD_NAMES = {"home": "入户走访", "phone": "电话随访", "video": "视频随访"}


class VisitEnrolment(Base):
    """Explicit membership of a resident in a programme's category, with the
    reason (evidence) and the dates it holds."""

    __tablename__ = "visit_enrolment"
    __table_args__ = (
        Index("ix_visit_enrolment_programme_resident_id", "programme", "resident_id"),
        Index("ix_visit_enrolment_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(CODE_LENGTH))
    category: Mapped[str] = mapped_column(String(CODE_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    reason: Mapped[str] = mapped_column(Text)
    enrolled_from: Mapped[date] = mapped_column(Date)
    enrolled_until: Mapped[date | None] = mapped_column(Date)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Visit(Base):
    """One visit made to a resident under a programme."""

    __tablename__ = "visit"
    __table_args__ = (
        Index("ix_visit_programme_resident_id_visited_on", "programme", "resident_id", "visited_on"),
        Index("ix_visit_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(CODE_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    visited_on: Mapped[date] = mapped_column(Date)
    visitor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    method: Mapped[str] = mapped_column(String(16))
    findings: Mapped[str] = mapped_column(Text)
    follow_up_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VisitSchedule(Base):
    """The next visit due to one resident under one programme (derived)."""

    __tablename__ = "visit_schedule"
    __table_args__ = (
        Index("uq_visit_schedule_programme_resident_id", "programme", "resident_id", unique=True),
        Index("ix_visit_schedule_programme_due_on_id", "programme", "due_on", "id"),
        Index("ix_visit_schedule_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(CODE_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # The category whose interval governs (the shortest of the resident's).
    category: Mapped[str] = mapped_column(String(CODE_LENGTH))
    interval_days: Mapped[int] = mapped_column(Integer)
    # When the resident joined the group: the base of the first due date.
    since: Mapped[date] = mapped_column(Date)
    last_visited_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)


MODELS: tuple[type, ...] = (VisitEnrolment, Visit, VisitSchedule)


class VisitResponsibility(Base):
    """Who is responsible for a programme's residents under a unit: whoever
    holds ``post_code`` at the unit on the day (the list follows the holder
    when the post changes hands), or one user. Residents under a unit with
    a responsibility are on the responsible party's own list only; the
    others stay with every worker holding the record permission there."""

    __tablename__ = "visit_responsibility"
    __table_args__ = (
        Index("uq_visit_responsibility_programme_org_unit_id", "programme", "org_unit_id", unique=True),
        Index("ix_visit_responsibility_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(CODE_LENGTH))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    post_code: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS = (*MODELS, VisitResponsibility)
