"""An import run (导入任务): what was imported where, by whom, and how far it got."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

QUEUED, RUNNING, SUCCEEDED, FAILED = "queued", "running", "succeeded", "failed"
JOB_STATUSES = {QUEUED: "排队中", RUNNING: "导入中", SUCCEEDED: "已完成", FAILED: "失败（未导入任何记录）"}


class ImportJob(Base):
    """One all-or-nothing import of a spreadsheet into a unit's subtree.
    ``processed`` of ``total`` rows grows while it runs; nothing of the file's
    content is kept (only its SHA-256), so ID numbers stay in the registry."""

    __tablename__ = "import_job"
    __table_args__ = (Index("ix_import_job_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
