"""Helpers every part of the self-governance plugin shares: the community a
record belongs to, who counts as an adult resident of it, and shares of a
whole read with their comparator (DOMAIN 3.2)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.org.models import OrgUnit
from core.org.service import ancestors, in_subtree
from core.people.models import Resident
from core.policy.service import require_plugin_active, resolve
from core.policy.thresholds import compare
from core.settings import ROLE_GRASSROOTS, settings_of
from plugins.self_governance.declarations import (
    ADULT_AGE,
    FLOATING_RESIDENTS_TAKE_PART,
    PLUGIN,
    parse_fraction,
)

if TYPE_CHECKING:
    from core.api.context import RequestContext


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def community_of(session: Session, unit: OrgUnit, *, field: str = "orgUnitId", below: bool = False) -> OrgUnit:
    """The community (社区/村, the grassroots level) ``unit`` is, or with
    ``below`` the one it lies under (a building, a residents' group)."""
    settings = settings_of(session)
    if not below and settings.role_of(unit.level) == ROLE_GRASSROOTS:
        return unit
    if below:
        for ancestor in reversed(ancestors(session, unit)):
            if settings.role_of(ancestor.level) == ROLE_GRASSROOTS:
                return ancestor
    where = "社区（村）以下的单位" if below else "社区（村）"
    raise UserInputError("NOT_A_COMMUNITY", f"“{unit.name}”不是{where}：居民自治事项由社区（村）办理。", field)


def active_community(
    context: RequestContext, unit: OrgUnit, *, field: str = "orgUnitId", below: bool = False
) -> OrgUnit:
    community = community_of(context.session, unit, field=field, below=below)
    require_plugin_active(context, community, PLUGIN, field=field)
    return community


def adult_age(session: Session, community: OrgUnit, on: date) -> int:
    return int(resolve(session, community, ADULT_AGE, on))


def residents_taking_part(session: Session, community: OrgUnit, on: date) -> ColumnElement[bool]:
    """Residents of the community on ``on`` who take part in self-governance:
    adults, not moved out, registered (and floating ones where policy says so)."""
    age = adult_age(session, community, on)
    condition = and_(
        in_subtree(Resident.org_path, community.path),
        Resident.birth_date.is_not(None),
        Resident.birth_date <= years_before(on, age),
        or_(Resident.moved_out_on.is_(None), Resident.moved_out_on > on),
    )
    if not resolve(session, community, FLOATING_RESIDENTS_TAKE_PART, on):
        condition = and_(condition, Resident.residence_type == "registered")
    return condition


def check_taking_part(
    session: Session, community: OrgUnit, resident: Resident, on: date, *, field: str, who: str
) -> None:
    """Refuse a resident who is not an adult resident of the community on ``on``."""
    problems: list[ErrorDetail] = []
    if not resident.org_path.startswith(community.path):
        problems.append(
            ErrorDetail("NOT_OF_COMMUNITY", f"{resident.name}不是“{community.name}”的居民，不能作为{who}。", field)
        )
    elif resident.moved_out_on is not None and resident.moved_out_on <= on:
        problems.append(
            ErrorDetail("MOVED_OUT", f"{resident.name}已于 {resident.moved_out_on} 迁出，不能作为{who}。", field)
        )
    else:
        age = adult_age(session, community, on)
        if resident.birth_date is None or resident.birth_date > years_before(on, age):
            problems.append(
                ErrorDetail("NOT_ADULT", f"{resident.name}未满 {age} 周岁（或出生日期未登记），不能作为{who}。", field)
            )
        elif resident.residence_type != "registered" and not resolve(
            session, community, FLOATING_RESIDENTS_TAKE_PART, on
        ):
            problems.append(
                ErrorDetail(
                    "FLOATING_NOT_INCLUDED",
                    f"{resident.name}为流动人口，本地策略规定流动人口不参加，不能作为{who}。",
                    field,
                )
            )
    if problems:
        raise UserInputError(errors=problems)


def count_taking_part(session: Session, community: OrgUnit, on: date) -> int:
    from sqlalchemy import func

    return int(
        session.scalar(select(func.count()).select_from(Resident).where(residents_taking_part(session, community, on)))
        or 0
    )


def share_met(count: int, whole: int, share: str, comparator: str) -> bool:
    """Whether ``count`` of ``whole`` meets ``share`` (a fraction), read exactly."""
    if whole <= 0:
        return False
    return compare(Fraction(count), comparator, parse_fraction(share) * whole)


def needed(whole: int, share: str, comparator: str) -> int:
    """The smallest count of ``whole`` that meets ``share``."""
    for count in range(whole + 1):
        if share_met(count, whole, share, comparator):
            return count
    return whole + 1


def clean_text(value: str | None, *, field: str, what: str, limit: int | None, required: bool = True) -> str | None:
    clean = (value or "").strip() or None
    if clean is None and required:
        raise UserInputError("REQUIRED", f"请填写{what}。", field)
    if clean is not None and limit is not None and len(clean) > limit:
        raise UserInputError("TOO_LONG", f"{what}不能超过 {limit} 个字。", field)
    return clean
