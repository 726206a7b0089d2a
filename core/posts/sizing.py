"""Sizing warnings (规模提示): checked as warnings, never as errors.

For an org unit and everything under it, on a date:

- residents' and villagers' committees (body kinds declared ``sized``):
  members holding a seat post (chair, vice-chair, member …) against the
  staffing standard — one per ``org.committee.households_per_member``
  households, between ``org.committee.members_min`` and
  ``org.committee.members_max``;
- grids: households against ``org.grid.max_households``;
- communities and residents' groups: households against
  ``org.community.households_min/max`` and
  ``org.resident_group.households_min/max``, once households are registered
  there (a unit without any has no count to judge).

Every number is locality policy of the unit concerned (``core.policy``).
Households are counted from the people registry by ``org_path`` range, one
grouped statement per check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, distinct, func, or_, select
from sqlalchemy.orm import Session

from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Household
from core.policy import core_keys
from core.policy.keys import PolicyKey
from core.policy.service import local_today, resolve_for_units
from core.posts.kinds import KindRegistry
from core.posts.models import Body, PostAssignment
from core.posts.policy_keys import COMMITTEE_MEMBERS_MAX, COMMITTEE_MEMBERS_MIN
from core.posts.service import holds_on, kinds_of
from core.settings import ROLE_GRASSROOTS, ROLE_GRID, settings_of

# Rules name levels by role in the tree (a township deployment's villages are
# judged as communities); the residents' group has no role and keeps its code.
GRID = ROLE_GRID
COMMUNITY = ROLE_GRASSROOTS
RESIDENT_GROUP = "resident_group"

COMMITTEE_TOO_SMALL = "COMMITTEE_TOO_SMALL"
COMMITTEE_TOO_LARGE = "COMMITTEE_TOO_LARGE"
GRID_TOO_LARGE = "GRID_TOO_LARGE"
COMMUNITY_TOO_SMALL = "COMMUNITY_TOO_SMALL"
COMMUNITY_TOO_LARGE = "COMMUNITY_TOO_LARGE"
RESIDENT_GROUP_TOO_SMALL = "RESIDENT_GROUP_TOO_SMALL"
RESIDENT_GROUP_TOO_LARGE = "RESIDENT_GROUP_TOO_LARGE"


@dataclass(frozen=True)
class SizingWarning:
    code: str
    message: str
    actual: int
    expected: int
    org_unit_id: int
    body_id: int | None = None


def _in_force(on: date) -> ColumnElement[bool]:
    return or_(OrgUnit.dissolved_on.is_(None), OrgUnit.dissolved_on > on)


def household_counts(session: Session, units: ColumnElement[bool]) -> dict[int, int]:
    """Households registered in the subtree of each unit matching ``units``, by unit id (one statement)."""
    upper = func.substr(OrgUnit.path, 1, func.length(OrgUnit.path) - 1) + "0"
    rows = session.execute(
        select(OrgUnit.id, func.count(Household.id))
        .select_from(OrgUnit)
        .join(Household, and_(Household.org_path >= OrgUnit.path, Household.org_path < upper))
        .where(units)
        .group_by(OrgUnit.id)
    )
    return {unit_id: int(count) for unit_id, count in rows}


def _values(session: Session, units: Sequence[OrgUnit], key: PolicyKey, on: date) -> dict[int, int]:
    return {uid: int(v.value) for uid, v in resolve_for_units(session, units, key, on).items()}


def sizing_warnings(
    session: Session, org_unit: OrgUnit, on: date | None = None, *, kinds: KindRegistry | None = None
) -> list[SizingWarning]:
    """Every sizing warning for ``org_unit`` and its subtree on ``on`` (default today):
    committees first, then units in tree order."""
    on = on or local_today()
    registry = kinds_of(session, kinds)
    return [
        *_committee_warnings(session, registry, org_unit, on),
        *_unit_warnings(session, org_unit, on),
    ]


def _committee_warnings(session: Session, registry: KindRegistry, root: OrgUnit, on: date) -> list[SizingWarning]:
    sized = registry.sized_body_kinds
    if not sized:
        return []
    bodies = list(
        session.scalars(
            select(Body)
            .join(OrgUnit, OrgUnit.id == Body.org_unit_id)
            .where(in_subtree(Body.org_path, root.path), Body.kind.in_(sized), _in_force(on))
            .order_by(Body.org_path, Body.id)
        )
    )
    if not bodies:
        return []
    unit_ids = sorted({b.org_unit_id for b in bodies})
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids))))
    households = household_counts(session, OrgUnit.id.in_(unit_ids))
    per_member = _values(session, units, core_keys.COMMITTEE_HOUSEHOLDS_PER_MEMBER, on)
    lowest = _values(session, units, COMMITTEE_MEMBERS_MIN, on)
    highest = _values(session, units, COMMITTEE_MEMBERS_MAX, on)
    seats = dict(
        session.execute(
            select(PostAssignment.body_id, func.count(distinct(PostAssignment.resident_id)))
            .where(
                PostAssignment.body_id.in_([b.id for b in bodies]),
                PostAssignment.post_code.in_(registry.seat_posts),
                holds_on(on),
            )
            .group_by(PostAssignment.body_id)
        ).all()
    )
    warnings: list[SizingWarning] = []
    for body in bodies:
        unit_id = body.org_unit_id
        count = households.get(unit_id, 0)
        per, low, high = per_member[unit_id], lowest[unit_id], highest[unit_id]
        expected = max(low, min(high, math.ceil(count / per)))
        actual = int(seats.get(body.id, 0))
        if actual < expected:
            warnings.append(
                SizingWarning(
                    COMMITTEE_TOO_SMALL,
                    f"“{body.name}”现有成员 {actual} 人，少于应配的 {expected} 人"
                    f"（{count} 户，每 {per} 户配 1 名，{low}—{high} 人）。",
                    actual,
                    expected,
                    unit_id,
                    body.id,
                )
            )
        elif actual > high:
            warnings.append(
                SizingWarning(
                    COMMITTEE_TOO_LARGE,
                    f"“{body.name}”现有成员 {actual} 人，超过 {high} 人的上限。",
                    actual,
                    high,
                    unit_id,
                    body.id,
                )
            )
    return warnings


@dataclass(frozen=True)
class _LevelRule:
    level: str
    label: str
    low: PolicyKey | None
    high: PolicyKey
    too_small: str
    too_large: str
    small_advice: str
    large_advice: str


_LEVEL_RULES: tuple[_LevelRule, ...] = (
    _LevelRule(
        COMMUNITY,
        "社区（村）",
        core_keys.COMMUNITY_HOUSEHOLDS_MIN,
        core_keys.COMMUNITY_HOUSEHOLDS_MAX,
        COMMUNITY_TOO_SMALL,
        COMMUNITY_TOO_LARGE,
        "建议与相邻社区合并",
        "建议分设社区",
    ),
    _LevelRule(GRID, "网格", None, core_keys.GRID_MAX_HOUSEHOLDS, "", GRID_TOO_LARGE, "", "建议调整网格"),
    _LevelRule(
        RESIDENT_GROUP,
        "居民小组",
        core_keys.RESIDENT_GROUP_HOUSEHOLDS_MIN,
        core_keys.RESIDENT_GROUP_HOUSEHOLDS_MAX,
        RESIDENT_GROUP_TOO_SMALL,
        RESIDENT_GROUP_TOO_LARGE,
        "建议调整居民小组",
        "建议调整居民小组",
    ),
)


def _unit_warnings(session: Session, root: OrgUnit, on: date) -> list[SizingWarning]:
    found: list[tuple[str, int, SizingWarning]] = []
    settings = settings_of(session)
    for rule in _LEVEL_RULES:
        levels = settings.level_codes((rule.level,))
        condition = and_(in_subtree(OrgUnit.path, root.path), OrgUnit.level.in_(levels), _in_force(on))
        # Units without registered households have no count to judge.
        counts = household_counts(session, condition)
        if not counts:
            continue
        units = list(session.scalars(select(OrgUnit).where(OrgUnit.id.in_(sorted(counts)))))
        highs = _values(session, units, rule.high, on)
        lows = _values(session, units, rule.low, on) if rule.low is not None else {}
        for unit in units:
            count = counts[unit.id]
            if unit.id in lows and count < lows[unit.id]:
                warning = SizingWarning(
                    rule.too_small,
                    f"“{unit.name}”有 {count} 户，低于{rule.label}规模下限 {lows[unit.id]} 户，{rule.small_advice}。",
                    count,
                    lows[unit.id],
                    unit.id,
                )
            elif count > highs[unit.id]:
                warning = SizingWarning(
                    rule.too_large,
                    f"“{unit.name}”有 {count} 户，超过每个{rule.label} {highs[unit.id]} 户的上限，{rule.large_advice}。",
                    count,
                    highs[unit.id],
                    unit.id,
                )
            else:
                continue
            found.append((unit.path, len(found), warning))
    return [warning for _path, _order, warning in sorted(found, key=lambda item: (item[0], item[1]))]
