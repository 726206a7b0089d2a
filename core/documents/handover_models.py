"""Archive handover (档案交接) between custodians (DOMAIN 3.4: "a handover when
the archivist changes").

A handover names the unit, the outgoing and the incoming custodian (user
accounts), the day and the items handed over — archive files by class, the
six books, seals and anything else, each with a count. It is drawn up by
someone who files the archive and becomes complete only when both sides
have confirmed it, each in person; every step is audited.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

PENDING = "pending"
CONFIRMED = "confirmed"
HANDOVER_STATUS_NAMES = {PENDING: "待双方确认", CONFIRMED: "已交接"}
ITEM_KINDS = {"archive_file": "档案", "book": "登记簿", "seal": "印章", "other": "其他"}


class ArchiveHandover(Base):
    __tablename__ = "archive_handover"
    __table_args__ = (Index("ix_archive_handover_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    from_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    to_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    handed_over_on: Mapped[date] = mapped_column(Date)
    # [{"kind": "archive_file", "code": "archive.culture", "title": "文化工作档", "quantity": 3}, ...]
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default=PENDING)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    from_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    to_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
