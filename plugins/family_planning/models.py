"""The tables of family planning (计划生育居民自治).

Residents, households and posts stay in core; these rows reference them and
copy the unit path (``org_path``) for scope filtering. Records about a
woman's marriage, pregnancy, births and contraception, certificate
applications, service follow-ups, agreements and benefits are audited
record types (``core.privacy.audited``): every read of them is logged.
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
    Numeric,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

CODE = 32


def _placed(prefix: str) -> tuple[Index, ...]:
    return (Index(f"ix_{prefix}_org_path_id", "org_path", "id"),)


class Profile(Base):
    """婚育信息 of a woman of childbearing age: marriage, children,
    contraception and a current pregnancy (DOMAIN 2.2: 婚、孕、育及节育)."""

    __tablename__ = "fp_profile"
    __table_args__ = (*_placed("fp_profile"), Index("uq_fp_profile_resident_id", "resident_id", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    marital_status: Mapped[str] = mapped_column(String(CODE))
    married_on: Mapped[date | None] = mapped_column(Date)
    children: Mapped[int] = mapped_column(Integer, default=0)
    contraception: Mapped[str | None] = mapped_column(String(CODE))
    pregnant: Mapped[bool] = mapped_column(Boolean, default=False)
    expected_on: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Birth(Base):
    """A birth (出生登记) to a mother of the registry."""

    __tablename__ = "fp_birth"
    __table_args__ = _placed("fp_birth")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    child_resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    born_on: Mapped[date] = mapped_column(Date)
    birth_order: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Certificate(Base):
    """An application for a certificate the locality uses (生育登记、再生育证明、
    独生子女父母光荣证、流动人口婚育证明 …) and its issuance."""

    __tablename__ = "fp_certificate"
    __table_args__ = _placed("fp_certificate")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    kind: Mapped[str] = mapped_column(String(CODE))
    status: Mapped[str] = mapped_column(String(CODE))
    applied_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    certificate_number: Mapped[str | None] = mapped_column(String(64))
    decision_note: Mapped[str | None] = mapped_column(Text)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FollowUp(Base):
    """A service follow-up opened by a grid event (新增怀孕) or by a worker:
    services offered, never a sanction."""

    __tablename__ = "fp_follow_up"
    __table_args__ = _placed("fp_follow_up")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    reason: Mapped[str] = mapped_column(String(CODE))
    source: Mapped[str] = mapped_column(String(CODE))
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(CODE))
    services_offered: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None] = mapped_column(Date)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GoverningText(Base):
    """A version of the self-governance charter (自治章程) or of the agreement
    template (协议书范本), adopted by a resolution of the residents'
    (representatives') assembly."""

    __tablename__ = "fp_governing_text"
    __table_args__ = (
        *_placed("fp_governing_text"),
        Index("uq_fp_governing_text_unit_kind_version", "org_unit_id", "kind", "version", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    kind: Mapped[str] = mapped_column(String(CODE))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    adopted_on: Mapped[date] = mapped_column(Date)
    # The resolution of the residents' (representatives') assembly that adopted
    # it (core meetings), and how it reads: meeting, day and resolution.
    assembly_resolution_id: Mapped[int] = mapped_column(ForeignKey("meeting_resolution.id", ondelete="RESTRICT"))
    assembly_resolution_ref: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Agreement(Base):
    """A family-planning agreement (协议书) with a key household on a
    template version: both sides' duties and rights."""

    __tablename__ = "fp_agreement"
    __table_args__ = _placed("fp_agreement")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    template_id: Mapped[int] = mapped_column(ForeignKey("fp_governing_text.id", ondelete="RESTRICT"))
    signed_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    household_duties: Mapped[str] = mapped_column(Text)
    household_rights: Mapped[str] = mapped_column(Text)
    committee_duties: Mapped[str] = mapped_column(Text)
    committee_liability: Mapped[str] = mapped_column(Text)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Breach(Base):
    """A breach of an agreement by either side and what followed."""

    __tablename__ = "fp_breach"
    __table_args__ = (Index("ix_fp_breach_agreement_id", "agreement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("fp_agreement.id", ondelete="CASCADE"))
    party: Mapped[str] = mapped_column(String(CODE))
    occurred_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Benefit(Base):
    """A reward or aid to a family-planning household (独生子女父母奖励、
    计生困难家庭扶助 …), disclosed under 四公开 (3)."""

    __tablename__ = "fp_benefit"
    __table_args__ = _placed("fp_benefit")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    kind: Mapped[str] = mapped_column(String(CODE))
    amount: Mapped[float] = mapped_column(Numeric(12, 2))
    granted_on: Mapped[date] = mapped_column(Date)
    decision_ref: Mapped[str] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BoardMember(Base):
    """A member of the supervisory board (监事会): a resident representative
    or an association member, from the registry (and a post where one is held)."""

    __tablename__ = "fp_board_member"
    __table_args__ = _placed("fp_board_member")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    seat: Mapped[str] = mapped_column(String(CODE))
    post_assignment_id: Mapped[int | None] = mapped_column(Integer)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class Review(Base):
    """A review by the supervisory board: disclosure complete, true and
    timely; residents' problems solved in time; cadres keep the charter and
    agreements."""

    __tablename__ = "fp_review"
    __table_args__ = _placed("fp_review")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    reviewed_on: Mapped[date] = mapped_column(Date)
    disclosure_complete: Mapped[bool] = mapped_column(Boolean)
    disclosure_true: Mapped[bool] = mapped_column(Boolean)
    disclosure_timely: Mapped[bool] = mapped_column(Boolean)
    problems_solved_in_time: Mapped[bool] = mapped_column(Boolean)
    cadres_keep_rules: Mapped[bool] = mapped_column(Boolean)
    summary: Mapped[str] = mapped_column(Text)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Finding(Base):
    """A problem a review found, with its follow-up."""

    __tablename__ = "fp_finding"
    __table_args__ = (Index("ix_fp_finding_review_id", "review_id"), *_placed("fp_finding"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("fp_review.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    description: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    follow_up: Mapped[str | None] = mapped_column(Text)
    resolved_on: Mapped[date | None] = mapped_column(Date)


class AssociationMember(Base):
    """A member of the family-planning association (计划生育协会)."""

    __tablename__ = "fp_association_member"
    __table_args__ = _placed("fp_association_member")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(CODE))
    joined_on: Mapped[date] = mapped_column(Date)


class Activity(Base):
    """An activity of the association (人口学校、宣传、服务、监督)."""

    __tablename__ = "fp_activity"
    __table_args__ = _placed("fp_activity")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(CODE))
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[int] = mapped_column(Integer, default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class Report(Base):
    """The periodic family-planning report as submitted: figures taken from the records."""

    __tablename__ = "fp_report"
    __table_args__ = (*_placed("fp_report"), Index("uq_fp_report_instance_id", "instance_id", unique=True))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("obligation_instance.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    figures: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS: tuple[type, ...] = (
    Profile,
    Birth,
    Certificate,
    FollowUp,
    GoverningText,
    Agreement,
    Breach,
    Benefit,
    BoardMember,
    Review,
    Finding,
    AssociationMember,
    Activity,
    Report,
)
