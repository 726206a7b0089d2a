"""What party building adds to the six books (六簿): the member units (驻区单位)
of big party committees to the register of residents and units. Its
meetings (三会一课, committee meetings) are core meetings of the party's
kinds and reach the meeting minutes book through core's own source."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.auth.permissions import Principal
from core.documents.books import (
    RESIDENTS_REGISTER,
    BookSource,
    year_bounds,
)
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.party_building.declarations import VIEW
from plugins.party_building.models import (
    MANAGEMENT_KINDS,
    UNIT_KINDS,
    MemberUnit,
)


def _member_units(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    low, high = year_bounds(year)
    rows = session.scalars(
        select(MemberUnit)
        .where(
            in_subtree(MemberUnit.org_path, unit.path),
            MemberUnit.joined_on < high,
            or_(MemberUnit.left_on.is_(None), MemberUnit.left_on >= low),
        )
        .order_by(MemberUnit.joined_on, MemberUnit.id)
    )
    return [
        (
            u.joined_on,
            "驻区单位",
            u.name,
            UNIT_KINDS.get(u.unit_kind, u.unit_kind),
            MANAGEMENT_KINDS.get(u.management, u.management),
            "",
        )
        for u in rows
    ]


SOURCES = (BookSource(RESIDENTS_REGISTER.code, "党建：大党委成员单位（驻区单位）", VIEW.code, _member_units),)
