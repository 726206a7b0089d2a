"""What elderly services adds to the six books (六簿): elderly activities and
敬老 events held in the year, to the activity log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth.permissions import Principal
from core.documents.books import ACTIVITY_LOG, BookSource, year_bounds
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.elderly_services.declarations import VIEW
from plugins.elderly_services.models import (
    ACTIVITY_KINDS,
    ElderlyActivity,
    ElderlyActivityParticipant,
)


def _activities(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    low, high = year_bounds(year)
    count = (
        select(func.count())
        .where(ElderlyActivityParticipant.activity_id == ElderlyActivity.id)
        .correlate(ElderlyActivity)
        .scalar_subquery()
    )
    rows = session.execute(
        select(ElderlyActivity, count)
        .where(
            in_subtree(ElderlyActivity.org_path, unit.path),
            ElderlyActivity.held_on >= low,
            ElderlyActivity.held_on < high,
        )
        .order_by(ElderlyActivity.held_on, ElderlyActivity.id)
    )
    return [(a.held_on, ACTIVITY_KINDS.get(a.kind, a.kind), a.title, a.place or "", n) for a, n in rows]


SOURCES = (BookSource(ACTIVITY_LOG.code, "老龄服务：老年人活动", VIEW.code, _activities),)
