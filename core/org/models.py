"""The organization tree (行政区划 / 组织): city down to building.

Each unit stores its materialized path (``/1/5/23/``). A subtree is a range
of that indexed column (``path >= '/1/5/' AND path < '/1/50'``), so subtree
and ancestor queries never walk the tree per request, on SQLite or
PostgreSQL. Moving a subtree (区划调整) rewrites the paths under it in one
statement and records the move.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, binary_string, utcnow

PATH_LENGTH = 512


class OrgUnit(Base):
    __tablename__ = "org_unit"
    __table_args__ = (
        Index("ix_org_unit_parent_id_id", "parent_id", "id"),
        Index("ix_org_unit_path", "path", unique=True),
        Index("ix_org_unit_division_code", "division_code"),
        CheckConstraint("depth >= 0", name="depth_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    level: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    # GB/T 2260 (6 digits) or statistical division code (9 or 12 digits).
    division_code: Mapped[str | None] = mapped_column(String(12))
    path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    depth: Mapped[int] = mapped_column(Integer)
    # A unit owes nothing for periods before it existed or after it was merged away.
    established_on: Mapped[date | None] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], lazy="raise_on_sql")

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.id} {self.level} {self.name}>"


class OrgUnitMove(Base):
    """Where a unit was before it was moved (区划调整): its history."""

    __tablename__ = "org_unit_move"
    __table_args__ = (Index("ix_org_unit_move_org_unit_id_id", "org_unit_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="CASCADE"))
    from_parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    to_parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    # Names of the old and new parent at the time, kept in case those units change later.
    from_parent_name: Mapped[str | None] = mapped_column(String(100))
    to_parent_name: Mapped[str | None] = mapped_column(String(100))
    from_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    effective_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    moved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
