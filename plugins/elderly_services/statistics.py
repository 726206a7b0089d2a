"""Elderly statistics per unit (老龄基础数据, seed 001): counts by age band,
category and living arrangement, visits due and done, cards issued — each
one query per unit, filtered by the caller's scope. The sensitive
categories (特困, 孤寡) are counted only where the caller may see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from core.auth.permissions import can, scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.people.service import age_bounds
from core.visits.models import Visit, VisitEnrolment, VisitSchedule
from core.visits.programmes import RuleContext, household_all_aged, living_alone
from plugins.elderly_services.declarations import (
    ISSUE_CARD,
    PROGRAMME_CODE,
    VIEW,
    very_old,
)
from plugins.elderly_services.models import SeniorCard
from plugins.elderly_services.service import MAX_BANDS, ElderlyPolicy, policy_at

PEOPLE_VIEW_SENSITIVE = "people.view_sensitive"


@dataclass(frozen=True)
class BandCount:
    band: str
    count: int


@dataclass(frozen=True)
class UnitStatistics:
    org_unit: OrgUnit
    elderly: int
    bands: list[BandCount]
    very_old: int
    living_alone: int
    empty_nest: int
    extreme_poverty: int | None
    no_family: int | None
    visits_scheduled: int
    visits_overdue: int
    visits_done_this_month: int
    cards_issued: int


def bands(policy: ElderlyPolicy, today: date) -> list[tuple[str, Any]]:
    """(label, birth-date condition) per age band; the last is open-ended."""
    result = []
    for index in range(MAX_BANDS):
        start = policy.first_age + index * policy.band_width
        _, latest = age_bounds(today, start, None)
        if index == MAX_BANDS - 1:
            result.append((f"{start}岁以上", Resident.birth_date <= latest))
        else:
            end = start + policy.band_width - 1
            earliest, _ = age_bounds(today, None, end)
            result.append((f"{start}—{end}岁", and_(Resident.birth_date <= latest, Resident.birth_date >= earliest)))
    return result


def _scope(context: Any, column: Any) -> Any:
    return or_(scope_condition(context, VIEW.code, column), scope_condition(context, ISSUE_CARD.code, column))


def _enrolled(category: str, today: date) -> Any:
    return Resident.id.in_(
        select(VisitEnrolment.resident_id).where(
            VisitEnrolment.programme == PROGRAMME_CODE,
            VisitEnrolment.category == category,
            VisitEnrolment.enrolled_from <= today,
            or_(VisitEnrolment.enrolled_until.is_(None), VisitEnrolment.enrolled_until >= today),
        )
    )


def unit_statistics(session: Session, context: Any, root: OrgUnit, today: date) -> list[UnitStatistics]:
    """Statistics of ``root`` (first) and each of its child units, under the policy in force at ``root``."""
    policy = policy_at(session, root, today)
    labelled = bands(policy, today)
    _, latest = age_bounds(today, policy.first_age, None)
    rule_context = RuleContext(session=session, unit=root, today=today)
    month_start = today.replace(day=1)
    children = list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == root.id).order_by(OrgUnit.path)))
    result = []
    for unit in [root, *children]:
        counts = session.execute(
            select(
                func.count(),
                *(func.count().filter(condition) for _, condition in labelled),
                func.count().filter(very_old(rule_context)),
                func.count().filter(living_alone()),
                func.count().filter(household_all_aged(policy.first_age, today)),
                func.count().filter(_enrolled("extreme_poverty", today)),
                func.count().filter(_enrolled("no_family", today)),
            ).where(
                in_subtree(Resident.org_path, unit.path),
                _scope(context, Resident.org_path),
                Resident.moved_out_on.is_(None),
                Resident.birth_date <= latest,
            )
        ).one()
        total, *band_counts = counts[: 1 + len(labelled)]
        alone_etc = counts[1 + len(labelled) :]
        schedule = session.execute(
            select(func.count(), func.count().filter(VisitSchedule.due_on < today)).where(
                VisitSchedule.programme == PROGRAMME_CODE,
                in_subtree(VisitSchedule.org_path, unit.path),
                _scope(context, VisitSchedule.org_path),
            )
        ).one()
        done = session.scalar(
            select(func.count()).where(
                Visit.programme == PROGRAMME_CODE,
                in_subtree(Visit.org_path, unit.path),
                _scope(context, Visit.org_path),
                Visit.visited_on >= month_start,
                Visit.visited_on <= today,
            )
        )
        cards = session.scalar(
            select(func.count()).where(in_subtree(SeniorCard.org_path, unit.path), _scope(context, SeniorCard.org_path))
        )
        sensitive = can(context, PEOPLE_VIEW_SENSITIVE, unit.path)
        result.append(
            UnitStatistics(
                org_unit=unit,
                elderly=int(total),
                bands=[BandCount(label, int(n)) for (label, _), n in zip(labelled, band_counts, strict=True)],
                very_old=int(alone_etc[0]),
                living_alone=int(alone_etc[1]),
                empty_nest=int(alone_etc[2]),
                extreme_poverty=int(alone_etc[3]) if sensitive else None,
                no_family=int(alone_etc[4]) if sensitive else None,
                visits_scheduled=int(schedule[0]),
                visits_overdue=int(schedule[1]),
                visits_done_this_month=int(done or 0),
                cards_issued=int(cards or 0),
            )
        )
    return result
