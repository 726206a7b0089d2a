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

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
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


MODELS: tuple[type, ...] = (SeniorCard,)
