"""Meetings, their agenda, attendance, resolutions, votes and the records
their resolutions decided.

``meeting.org_path`` copies the unit's path so that "meetings under this
street" is one index range and re-zoning moves them along
(``core.org.service.path_copy_tables``). Attendees are residents of the core
registry (``resident_id``), never copies; ``name`` is the name as signed on
the sheet. One attendance row per person and meeting (a unique index):
signing in is a conditional update of that row, so two clerks signing the
same person in at once count them once. ``present_count`` is raised in the
same statement-level lock, never recomputed from a stale read.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

CODE_LENGTH = 64
TITLE_LENGTH = 200
NAME_LENGTH = 100
REASON_LENGTH = 200

# Attendance statuses.
PENDING = "pending"
PRESENT = "present"
ABSENT = "absent"
PROXY = "proxy"
ATTENDANCE_NAMES = {PENDING: "未签到", PRESENT: "出席", ABSENT: "缺席", PROXY: "委托出席"}

# Roll-call choices.
FOR = "for"
AGAINST = "against"
ABSTAIN = "abstain"
CHOICE_NAMES = {FOR: "赞成", AGAINST: "反对", ABSTAIN: "弃权"}


class Meeting(Base):
    """One meeting of a declared kind at an org unit, optionally held by a
    record (``host_type``/``host_id``: a party organization)."""

    __tablename__ = "meeting"
    __table_args__ = (
        Index("ix_meeting_org_path_id", "org_path", "id"),
        Index("ix_meeting_kind_org_unit_id_held_on", "kind", "org_unit_id", "held_on"),
        Index("ix_meeting_host_type_host_id_held_on", "host_type", "host_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    host_type: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    host_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    held_on: Mapped[date] = mapped_column(Date)
    # The day the notice (date and topics) went out; None for a meeting recorded afterwards.
    notice_on: Mapped[date | None] = mapped_column(Date)
    minutes: Mapped[str | None] = mapped_column(Text)
    # Fixed from the roster when the meeting is created.
    expected_count: Mapped[int] = mapped_column(Integer)
    # Expected attendees signed in present (or by proxy where the kind allows).
    present_count: Mapped[int] = mapped_column(Integer, default=0)
    # Whether the quorum rule (policy on ``held_on``) is met by ``present_count``.
    quorate: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The reporting-calendar instance this meeting fulfilled, if any.
    obligation_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("obligation_instance.id", ondelete="SET NULL")
    )
    # Results on the public board: due by ``results_due_on``, drafted as this notice.
    results_due_on: Mapped[date | None] = mapped_column(Date)
    results_notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MeetingAgendaItem(Base):
    __tablename__ = "meeting_agenda_item"
    __table_args__ = (Index("ix_meeting_agenda_item_meeting_id_position", "meeting_id", "position", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))


class MeetingAttendance(Base):
    __tablename__ = "meeting_attendance"
    __table_args__ = (
        Index("uq_meeting_attendance_meeting_id_resident_id", "meeting_id", "resident_id", unique=True),
        Index("ix_meeting_attendance_resident_id", "resident_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    role: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    # On the roster (counted for quorum), or attending without a vote.
    expected: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    absence_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    proxy_name: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class MeetingResolution(Base):
    __tablename__ = "meeting_resolution"
    __table_args__ = (Index("ix_meeting_resolution_meeting_id_id", "meeting_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    votes_for: Mapped[int] = mapped_column(Integer)
    votes_against: Mapped[int] = mapped_column(Integer)
    abstentions: Mapped[int] = mapped_column(Integer)
    # Votes recorded by name (``meeting_vote``) rather than as counts.
    roll_call: Mapped[bool] = mapped_column(Boolean, default=False)
    adopted: Mapped[bool] = mapped_column(Boolean)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MeetingVote(Base):
    """One vote in a roll call."""

    __tablename__ = "meeting_vote"
    __table_args__ = (
        Index("uq_meeting_vote_resolution_id_attendance_id", "resolution_id", "attendance_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("meeting_resolution.id", ondelete="CASCADE"))
    attendance_id: Mapped[int] = mapped_column(ForeignKey("meeting_attendance.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(16))


class MeetingResolutionLink(Base):
    """What a resolution decided: a record named by its GraphQL type and key
    (``ExpenseRequest`` 12, ``Notice`` 7). Kept when the record goes."""

    __tablename__ = "meeting_resolution_link"
    __table_args__ = (
        Index("uq_meeting_resolution_link", "resolution_id", "subject_type", "subject_id", unique=True),
        Index("ix_meeting_resolution_link_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("meeting_resolution.id", ondelete="CASCADE"))
    subject_type: Mapped[str] = mapped_column(String(CODE_LENGTH))
    subject_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS: tuple[type, ...] = (
    Meeting,
    MeetingAgendaItem,
    MeetingAttendance,
    MeetingResolution,
    MeetingVote,
    MeetingResolutionLink,
)
