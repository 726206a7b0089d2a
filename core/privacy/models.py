"""The read log of audited record types (``core.privacy.audited``).

Every read of a record of an audited type writes one audit record (who,
what, when, the stated purpose) and one ``audited_read`` row per record and
person the record is about. The audit record is the tamper-evident proof;
the rows answer "who read my records" (PIPL art. 45) with one indexed
query per person, without scanning the audit trail.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string
from core.org.models import PATH_LENGTH

KIND_LENGTH = 16
TYPE_LENGTH = 64
READER_LABEL_LENGTH = 100
# How a record was read: in a list, one by ID, in a download, or by the person it is about.
READ_KINDS = {"list": "列表查阅", "node": "按编号查阅", "export": "导出", "own": "本人查阅"}


class AuditedRead(Base):
    __tablename__ = "audited_read"
    __table_args__ = (
        Index("ix_audited_read_subject_resident_id_id", "subject_resident_id", "id"),
        Index("ix_audited_read_record_type_record_id", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # No foreign keys: like the audit trail, the log outlives accounts, records and residents.
    reader_user_id: Mapped[int | None] = mapped_column(Integer)
    reader_label: Mapped[str] = mapped_column(String(READER_LABEL_LENGTH))
    record_type: Mapped[str] = mapped_column(String(TYPE_LENGTH))
    record_id: Mapped[int | None] = mapped_column(BigInteger)
    subject_resident_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH))
    purpose: Mapped[str] = mapped_column(Text)
    org_unit_id: Mapped[int | None] = mapped_column(Integer)
    org_path: Mapped[str | None] = mapped_column(binary_string(PATH_LENGTH))
