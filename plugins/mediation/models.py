"""Tables of the mediation plugin.

Every row placed in the organization tree keeps ``org_path``, a copy of its
unit's path, so that "everything under this street" is one index range and
re-zoning (``core.org.service.move_unit``) moves it along. A dispute case's
unit is its current holder: escalation and handing down move the case and
its path; every move is kept in ``dispute_case_transition``.

Parties who are registered residents point at the core registry
(``resident_id``) and keep no copy of their identity; outsiders keep the
minimum (name, ID number, phone).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
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
NAME_LENGTH = 50
TITLE_LENGTH = 200
ID_NUMBER_LENGTH = 18
PHONE_LENGTH = 20
CASE_NUMBER_LENGTH = 40


class DisputeCase(Base):
    __tablename__ = "dispute_case"
    __table_args__ = (
        Index("ix_dispute_case_org_path_id", "org_path", "id"),
        Index("ix_dispute_case_status", "status"),
        Index("ix_dispute_case_emergency_at", "emergency_at"),
        Index("ix_dispute_case_registered_on", "registered_on"),
        # The monthly statistics (mediation_0003_statistics): each count reads one index only.
        Index("ix_dispute_case_registered_on_origin", "registered_on", "origin_unit_id", "category"),
        Index("ix_dispute_case_resolved_on_unit", "resolved_on", "resolved_unit_id", "outcome"),
        Index("ix_dispute_case_open", "resolved_on", "org_path", "registered_on"),
        # Follow-ups of a month joined to their cases' subtree without reading the cases.
        Index("ix_dispute_case_id_org_path", "id", "org_path"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # 案号, e.g. 调-2026-000123: readable on paper forms.
    case_number: Mapped[str] = mapped_column(String(CASE_NUMBER_LENGTH), unique=True)
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    category: Mapped[str] = mapped_column(String(CODE_LENGTH))
    source: Mapped[str] = mapped_column(String(CODE_LENGTH))
    risk_level: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # group_incident / mass_petition: immediate escalation and leadership handling.
    emergency: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    emergency_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    facts: Mapped[str] = mapped_column(Text)
    # The holder: accountable for the case until it moves.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # Where the case was registered (statistics by the unit that found it).
    origin_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    registered_on: Mapped[date] = mapped_column(Date)
    mediation_type: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    # Names of mediators (调解员) as they sign the agreement; staff accounts are in transitions.
    mediators: Mapped[list[str]] = mapped_column(JSON, default=list)
    outcome: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    agreement: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    # The level of the unit that resolved it (resolution rate per level).
    resolved_level: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    resolved_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    closed_on: Mapped[date | None] = mapped_column(Date)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<DisputeCase {self.case_number} {self.status}>"


class DisputeParty(Base):
    __tablename__ = "dispute_party"
    __table_args__ = (Index("ix_dispute_party_case_id", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(CODE_LENGTH))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    # Outsiders only; a resident's identity is read from the registry.
    name: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    id_number: Mapped[str | None] = mapped_column(String(ID_NUMBER_LENGTH))
    phone: Mapped[str | None] = mapped_column(String(PHONE_LENGTH))


class CaseTransition(Base):
    """One step of a case: who, when, why, and where the case went."""

    __tablename__ = "dispute_case_transition"
    __table_args__ = (
        Index("ix_dispute_case_transition_case_id_id", "case_id", "id"),
        Index("ix_dispute_case_transition_at", "at", "action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(CODE_LENGTH))
    from_status: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    to_status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    from_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    to_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    reason: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FollowUpVisit(Base):
    """回访: planned when an agreement is reached, done by the holder."""

    __tablename__ = "dispute_follow_up"
    __table_args__ = (
        Index("ix_dispute_follow_up_case_id", "case_id"),
        Index("ix_dispute_follow_up_visited_on", "visited_on", "case_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("dispute_case.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    visited_on: Mapped[date | None] = mapped_column(Date)
    # Whether the agreement is being kept (履行情况).
    agreement_kept: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    visited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class Screening(Base):
    """One screening (排查) of one unit for one period (``mediation.screening.per_month``
    periods a month); a zero result is valid."""

    __tablename__ = "mediation_screening"
    __table_args__ = (
        Index("uq_mediation_screening_org_unit_id_period_start", "org_unit_id", "period_start", unique=True),
        Index("ix_mediation_screening_org_path_period_start", "org_path", "period_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    screened_on: Mapped[date] = mapped_column(Date)
    disputes_found: Mapped[int] = mapped_column(Integer, default=0)
    instability_factors: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MonthlySummary(Base):
    """The 统计表 as submitted: the figures frozen at submission."""

    __tablename__ = "mediation_monthly_summary"
    __table_args__ = (
        Index("uq_mediation_monthly_summary_org_unit_id_period_start", "org_unit_id", "period_start", unique=True),
        Index("ix_mediation_monthly_summary_org_path", "org_path"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    instance_id: Mapped[int] = mapped_column(ForeignKey("obligation_instance.id", ondelete="RESTRICT"))
    figures: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    zero_report: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Appeal(Base):
    """居民诉求 (green channel): the first handler's unit stays responsible."""

    __tablename__ = "resident_appeal"
    __table_args__ = (
        Index("ix_resident_appeal_org_path_id", "org_path", "id"),
        Index("ix_resident_appeal_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    channel: Mapped[str] = mapped_column(String(CODE_LENGTH))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    appellant_name: Mapped[str | None] = mapped_column(String(NAME_LENGTH))
    phone: Mapped[str | None] = mapped_column(String(PHONE_LENGTH))
    subject: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    content: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    first_handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    forwarded_to: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    forwarded_on: Mapped[date | None] = mapped_column(Date)
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)
    feedback: Mapped[str | None] = mapped_column(Text)
    feedback_on: Mapped[date | None] = mapped_column(Date)
    satisfaction: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GridEvent(Base):
    """An event reported from a grid or building (八必报) and where it went."""

    __tablename__ = "grid_event"
    __table_args__ = (Index("ix_grid_event_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    event_type: Mapped[str] = mapped_column(String(CODE_LENGTH))
    description: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    route: Mapped[str] = mapped_column(String(CODE_LENGTH))
    routing_status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    routing_note: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("dispute_case.id", ondelete="SET NULL"))
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("resident_appeal.id", ondelete="SET NULL"))
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Incident(Base):
    """A public-security incident that occurred in a unit (collective
    petition, group incident, cult or illegal religious activity, criminal
    case, major accident, a prominent public-security problem): what the
    平安村 criteria count. A risk flag on a dispute case is not one; the
    summary may name people and is masked."""

    __tablename__ = "mediation_incident"
    __table_args__ = (Index("ix_mediation_incident_org_path_occurred_on", "org_path", "occurred_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    occurred_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SatisfactionSurvey(Base):
    """群众对治安满意率: the result of one year's survey of a community or
    village (those satisfied and basically satisfied among the respondents)."""

    __tablename__ = "mediation_satisfaction_survey"
    __table_args__ = (
        Index("uq_mediation_satisfaction_survey_org_unit_id_year", "org_unit_id", "year", unique=True),
        Index("ix_mediation_satisfaction_survey_org_path", "org_path"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    year: Mapped[int] = mapped_column(Integer)
    surveyed_on: Mapped[date] = mapped_column(Date)
    respondents: Mapped[int] = mapped_column(Integer)
    satisfied: Mapped[int] = mapped_column(Integer)
    basically_satisfied: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS = (
    DisputeCase,
    DisputeParty,
    CaseTransition,
    FollowUpVisit,
    Screening,
    MonthlySummary,
    Appeal,
    GridEvent,
    Incident,
    SatisfactionSurvey,
)
