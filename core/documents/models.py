"""Files attached to records (``document``).

A row names its class, the record it belongs to (``owner_type`` is the
record's GraphQL type, ``owner_id`` its key) and that record's unit
(``org_unit_id``, ``org_path``: the file is read where the record is). The
file itself is in the storage under ``storage_key``; ``sha256`` is checked
on every download. Disposal after retention is asked for, approved by
another person, and keeps the row (the file is deleted, the record of it
and of its disposal stays).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

KEPT = "kept"
DISPOSAL_REQUESTED = "disposal_requested"
DISPOSED = "disposed"
STATUS_NAMES = {KEPT: "保存中", DISPOSAL_REQUESTED: "已申请销毁", DISPOSED: "已销毁"}
FILENAME_LENGTH = 255


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_owner_type_owner_id", "owner_type", "owner_id"),
        Index("ix_document_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_class: Mapped[str] = mapped_column(String(64))
    owner_type: Mapped[str] = mapped_column(String(64))
    owner_id: Mapped[int] = mapped_column(Integer)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    filename: Mapped[str] = mapped_column(String(FILENAME_LENGTH))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(32), default=KEPT)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    disposal_requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    disposal_requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disposal_reason: Mapped[str | None] = mapped_column(Text)
    disposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    disposed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.document_class} {self.filename!r}>"
