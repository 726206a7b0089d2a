"""The people registry (实有人口): residents, households and places.

Collected once and shared by every module (数据一次性收集、资源多方面共享):
plugins reference these rows and attach categories and records of their
own; they never keep a copy of a person.

Rows that belong somewhere in the organization tree carry ``org_path``, a
copy of their unit's materialized path, so that "everyone in this street"
is one index range ordered by (org_path, id) — the same for the first page
and the ten-thousandth. Re-zoning a unit rewrites these copies.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

SEXES = ("male", "female")
RESIDENCE_TYPES = ("registered", "floating")
PLACE_KINDS = ("building", "room", "rental_housing", "shop", "other")
HOUSEHOLD_TYPES = ("family", "collective")


class Place(Base):
    """A building, a room, rental housing or a shop, placed in the tree."""

    __tablename__ = "place"
    __table_args__ = (
        Index("ix_place_org_path_id", "org_path", "id"),
        Index("ix_place_parent_place_id", "parent_place_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    parent_place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    is_rental: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("resident.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Household(Base):
    """户: a registered or floating household."""

    __tablename__ = "household"
    __table_args__ = (
        Index("ix_household_org_path_id", "org_path", "id"),
        Index("ix_household_household_number", "household_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_number: Mapped[str | None] = mapped_column(String(32))
    household_type: Mapped[str] = mapped_column(String(20), default="family")
    residence_type: Mapped[str] = mapped_column(String(20), default="registered")
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    address: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Resident(Base):
    """A person living in the area (实有人口), registered or floating."""

    __tablename__ = "resident"
    __table_args__ = (
        Index("ix_resident_org_path_id", "org_path", "id"),
        Index("ix_resident_id_number", "id_number", unique=True),
        Index("ix_resident_household_id", "household_id"),
        Index("ix_resident_birth_date", "birth_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    # GB 11643; sex and birth date are derived from it when present.
    id_number: Mapped[str | None] = mapped_column(String(18))
    sex: Mapped[str | None] = mapped_column(String(8))
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(20))
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    residence_type: Mapped[str] = mapped_column(String(20), default="registered")
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # The current household; membership history is in household_member.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="SET NULL"))
    moved_in_on: Mapped[date | None] = mapped_column(Date)
    moved_out_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class HouseholdMember(Base):
    """Membership of a resident in a household, with the GB/T 4761 relationship
    to the head of household; history is kept (``left_on``)."""

    __tablename__ = "household_member"
    __table_args__ = (
        Index("ix_household_member_household_id_id", "household_id", "id"),
        Index("ix_household_member_resident_id", "resident_id"),
        # A resident belongs to one household at a time.
        Index(
            "uq_household_member_current",
            "resident_id",
            unique=True,
            sqlite_where=text("left_on IS NULL"),
            postgresql_where=text("left_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    relationship_code: Mapped[str] = mapped_column(String(2))
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)


class ResidentCategory(Base):
    """A category a resident belongs to (低保, 残疾人, 独居老人 …), attached by
    core or by a plugin without copying the resident."""

    __tablename__ = "resident_category"
    __table_args__ = (
        Index("ix_resident_category_category_resident_id", "category", "resident_id"),
        Index("ix_resident_category_resident_id", "resident_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(64))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
