"""The volunteer register: one row per registered volunteer."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow

NAME_LENGTH = 50
PHONE_LENGTH = 20


class Volunteer(Base):
    __tablename__ = "volunteer"
    # Lists are paged by (org_unit_id, id).
    __table_args__ = (Index("ix_volunteer_org_unit_id_id", "org_unit_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A unit with registered volunteers cannot be deleted.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    phone: Mapped[str | None] = mapped_column(String(PHONE_LENGTH))
    # Free-text skills, e.g. ["医疗救护", "心理疏导"].
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    registered_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Volunteer {self.id} {self.name}>"
