"""The plugin's table: one entry per row, kept at an org unit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.plugin_api import Base, utcnow

TITLE_LENGTH = 100


class Entry(Base):
    __tablename__ = "{{ cookiecutter.plugin_name }}_entry"
    __table_args__ = (Index("ix_{{ cookiecutter.plugin_name }}_entry_org_unit_id_id", "org_unit_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
