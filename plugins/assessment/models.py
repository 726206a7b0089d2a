"""Assessment schemes, items, results and scores; standardization applications and their steps.

A scheme (``assessment_scheme``) belongs to the assessing unit and assesses
the units of one level in its subtree every cycle; its items carry points
(summing to the policy total) and are scored from an indicator, by hand with
evidence, or are veto items. A result (``assessment_result``) is one unit's
period; ``org_path`` is the assessed unit's, so the unit sees it once published.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
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


class Scheme(Base):
    __tablename__ = "assessment_scheme"
    __table_args__ = (Index("ix_assessment_scheme_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    name: Mapped[str] = mapped_column(String(200))
    target_level: Mapped[str] = mapped_column(String(64))
    cycle: Mapped[str] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Item(Base):
    __tablename__ = "assessment_item"
    __table_args__ = (Index("uq_assessment_item_scheme_id_code", "scheme_id", "code", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_scheme.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    points: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    indicator_code: Mapped[str | None] = mapped_column(String(100))
    # Indicator items: the value that earns full points (pro rata below it); veto items: the value that vetoes.
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))


class Result(Base):
    __tablename__ = "assessment_result"
    __table_args__ = (
        Index(
            "uq_assessment_result_scheme_id_org_unit_id_period_start",
            "scheme_id",
            "org_unit_id",
            "period_start",
            unique=True,
        ),
        Index("ix_assessment_result_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_scheme.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    grade: Mapped[str | None] = mapped_column(String(16))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    award_yuan: Mapped[int] = mapped_column(Integer, default=0)


class Score(Base):
    __tablename__ = "assessment_score"
    __table_args__ = (Index("uq_assessment_score_result_id_item_id", "result_id", "item_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("assessment_result.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("assessment_item.id", ondelete="CASCADE"))
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    vetoed: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str | None] = mapped_column(Text)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    scored_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TitleApplication(Base):
    __tablename__ = "assessment_title_application"
    __table_args__ = (Index("ix_assessment_title_application_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    title: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    # in_progress, approved (title conferred) or rejected (a step failed).
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TitleStep(Base):
    __tablename__ = "assessment_title_step"
    __table_args__ = (Index("uq_assessment_title_step_application_id_step", "application_id", "step", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("assessment_title_application.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(32))
    passed: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_total: Mapped[int | None] = mapped_column(Integer)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="RESTRICT"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS = (Scheme, Item, Result, Score, TitleApplication, TitleStep)
