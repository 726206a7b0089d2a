"""Senior preferential cards (老年人优待证) issued to residents.

The resident is referenced, never copied; ``org_path`` copies the
resident's unit path at issuance for scope filtering and follows re-zoning.
``eligible_on`` (the day the resident reached the elderly age) and
``on_time`` (issued within the policy's number of days of it) are fixed at
issuance, under the policy then in force, so that counts per unit are one
query.
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

CARD_NUMBER_LENGTH = 32


class SeniorCard(Base):
    __tablename__ = "elderly_senior_card"
    __table_args__ = (
        Index("uq_elderly_senior_card_resident_id", "resident_id", unique=True),
        Index("uq_elderly_senior_card_card_number", "card_number", unique=True),
        Index("ix_elderly_senior_card_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    card_number: Mapped[str] = mapped_column(String(CARD_NUMBER_LENGTH))
    issued_on: Mapped[date] = mapped_column(Date)
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    eligible_on: Mapped[date] = mapped_column(Date)
    on_time: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


CARE_SERVICES = {
    "meals": "助餐",
    "cleaning": "助洁",
    "escort": "陪同就医",
    "day_care": "日间照料（托老）",
}


class CareProvider(Base):
    """A provider of home-based care services (居家养老服务) in a unit: a
    service centre, a canteen, a company or a volunteer team."""

    __tablename__ = "elderly_care_provider"
    __table_args__ = (Index("ix_elderly_care_provider_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    name: Mapped[str] = mapped_column(String(100))
    # Codes of CARE_SERVICES, comma-separated.
    services: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CareEnrolment(Base):
    """A resident enrolled in one home-based care service with a provider."""

    __tablename__ = "elderly_care_enrolment"
    __table_args__ = (
        Index("ix_elderly_care_enrolment_org_path_id", "org_path", "id"),
        Index("ix_elderly_care_enrolment_resident_id", "resident_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    provider_id: Mapped[int] = mapped_column(ForeignKey("elderly_care_provider.id", ondelete="RESTRICT"))
    service: Mapped[str] = mapped_column(String(32))
    enrolled_from: Mapped[date] = mapped_column(Date)
    enrolled_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CareServiceRecord(Base):
    """One service delivered under an enrolment (a meal, a cleaning, an
    escort, a day of day care: attendance)."""

    __tablename__ = "elderly_care_service_record"
    __table_args__ = (
        Index("ix_elderly_care_service_record_enrolment_id_served_on", "enrolment_id", "served_on"),
        Index("ix_elderly_care_service_record_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("elderly_care_enrolment.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    served_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ElderlyReport(Base):
    """The quarterly elderly report as submitted: the figures, taken from the
    register and the records, frozen at submission."""

    __tablename__ = "elderly_report"
    __table_args__ = (
        Index("uq_elderly_report_instance_id", "instance_id", unique=True),
        Index("ix_elderly_report_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("obligation_instance.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


ACTIVITY_KINDS = {
    "activity": "文体活动",
    "respect": "敬老活动",
    "education": "学习教育",
    "health": "健康保健",
}


class ElderlyActivity(Base):
    """An activity for the elderly or a 敬老 event held by a unit (seed 000:
    文体活动, 学习; 001: 敬老服务), with participants from the registry."""

    __tablename__ = "elderly_activity"
    __table_args__ = (Index("ix_elderly_activity_org_path_held_on_id", "org_path", "held_on", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ElderlyActivityParticipant(Base):
    __tablename__ = "elderly_activity_participant"
    __table_args__ = (
        Index("uq_elderly_activity_participant_activity_id_resident_id", "activity_id", "resident_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("elderly_activity.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))


MODELS: tuple[type, ...] = (
    SeniorCard,
    CareProvider,
    CareEnrolment,
    CareServiceRecord,
    ElderlyReport,
    ElderlyActivity,
    ElderlyActivityParticipant,
)
