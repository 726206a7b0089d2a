"""Which communities owe which meetings, read from the party organizations
themselves: a community owes the 三会一课 only where a party organization is
attached to it or to a unit below it (grid branches lead some communities),
group meetings only where such an organization has party groups, and the
enlarged meeting only where there is a big party committee. Without this,
every active community would show as "missing" what it never owed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from plugins.party_building.models import BIG_COMMITTEE, PartyOrganization


def _units_with(session: Session, units: Sequence[Any], period: tuple[date, date], *conditions: Any) -> list[int]:
    start, end = period
    by_path = {unit.path: unit.id for unit in units}
    paths = session.scalars(
        select(PartyOrganization.org_path)
        .where(
            or_(PartyOrganization.established_on.is_(None), PartyOrganization.established_on <= end),
            or_(PartyOrganization.dissolved_on.is_(None), PartyOrganization.dissolved_on > start),
            *conditions,
        )
        .distinct()
    )
    owing: set[int] = set()
    for path in paths:
        # "/1/5/9/" lies under "/1/", "/1/5/" and itself.
        cut = 0
        while (cut := path.find("/", cut + 1)) != -1:
            found = by_path.get(path[: cut + 1])
            if found is not None:
                owing.add(found)
    return sorted(owing)


def with_organization(session: Session, units: Sequence[Any], period: tuple[date, date]) -> list[int]:
    return _units_with(session, units, period, PartyOrganization.org_type != BIG_COMMITTEE)


def with_party_groups(session: Session, units: Sequence[Any], period: tuple[date, date]) -> list[int]:
    return _units_with(session, units, period, PartyOrganization.has_groups.is_(True))


def with_big_committee(session: Session, units: Sequence[Any], period: tuple[date, date]) -> list[int]:
    return _units_with(session, units, period, PartyOrganization.org_type == BIG_COMMITTEE)
