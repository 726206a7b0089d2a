"""Stored policy values: one row per decision, never updated in place.

A row says: from ``effective_from`` on, ``key`` is ``value`` for
``org_unit_id`` and its subtree (unless a lower unit decides otherwise).
``value`` is the canonical JSON text of the value, or NULL for "from this
date on, this unit no longer sets its own value; it inherits again".

Rows of one unit and key with different dates form its schedule; all of them
stay. Setting a value again for the same unit, key and date is a correction:
the new row supersedes the old one (``superseded_at``/``superseded_by_id``),
which stays as history. At most one row per unit, key and date is current
(the partial unique index), and resolution reads only current rows.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, utcnow
from core.policy.keys import MAX_KEY_LENGTH

SET_BY_LENGTH = 200
CURRENT = "superseded_at IS NULL"


class PolicyValue(Base):
    __tablename__ = "policy_value"
    __table_args__ = (
        # Resolution: current rows of the units on one path, for some keys, up to a date.
        Index(
            "ix_policy_value_current",
            "org_unit_id",
            "key",
            "effective_from",
            unique=True,
            sqlite_where=text(CURRENT),
            postgresql_where=text(CURRENT),
        ),
        # History of one unit and key, superseded rows included.
        Index("ix_policy_value_org_unit_id_key_id", "org_unit_id", "key", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # A unit with policy history is dissolved, not deleted.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    # Canonical JSON text; NULL: the unit stops overriding and inherits again.
    value: Mapped[str | None] = mapped_column(Text)
    effective_from: Mapped[date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(SET_BY_LENGTH))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    superseded_by_id: Mapped[int | None] = mapped_column(ForeignKey("policy_value.id", ondelete="SET NULL"))

    @property
    def clears(self) -> bool:
        """This row ends the unit's own value rather than setting one."""
        return self.value is None

    def __repr__(self) -> str:
        return f"<PolicyValue {self.id} unit={self.org_unit_id} {self.key}={self.value} from {self.effective_from}>"
