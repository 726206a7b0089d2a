"""The elderly register (老年人名册): a view of the registry, never a copy —
residents at or over the elderly age of the unit's policy, with their age
band and categories: 高龄 from age (threshold with comparator), 独居 and 空巢
from household composition, 特困 and 孤寡 from enrolments (reason and dates,
sensitive)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.permissions import scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.visits.programmes import (
    RuleContext,
    aged_at_least,
    household_all_aged,
    living_alone,
)
from plugins.elderly_services.declarations import ISSUE_CARD, VIEW, VISITS, very_old
from plugins.elderly_services.service import policy_at
from plugins.elderly_services.statistics import PEOPLE_VIEW_SENSITIVE, _enrolled, bands

DERIVED = ("very_old", "living_alone", "empty_nest")
ASSIGNED = ("extreme_poverty", "no_family")
CATEGORY_NAMES = {c.code: c.name for c in VISITS.categories}


def _conditions(session: Session, root: OrgUnit, today: date) -> dict[str, ColumnElement[bool]]:
    policy = policy_at(session, root, today)
    rule_context = RuleContext(session=session, unit=root, today=today)
    return {
        "very_old": very_old(rule_context),
        "living_alone": living_alone(),
        "empty_nest": household_all_aged(policy.first_age, today),
        "extreme_poverty": _enrolled("extreme_poverty", today),
        "no_family": _enrolled("no_family", today),
    }


def register_statement(
    session: Session, context: Any, root: OrgUnit, today: date, *, age_band: str | None, category: str | None
) -> Any:
    """The elderly under ``root`` the caller may see, optionally of one age
    band or category; filtering by a sensitive category needs
    ``people.view_sensitive`` there (as in the core registry)."""
    policy = policy_at(session, root, today)
    labelled = dict(bands(policy, today))
    elderly = aged_at_least(policy.first_age, today)
    statement = select(Resident).where(
        in_subtree(Resident.org_path, root.path),
        or_(
            scope_condition(context, VIEW.code, Resident.org_path),
            scope_condition(context, ISSUE_CARD.code, Resident.org_path),
        ),
        Resident.moved_out_on.is_(None),
        elderly,
    )
    if age_band is not None:
        if age_band not in labelled:
            raise UserInputError(
                "UNKNOWN_AGE_BAND", f"没有年龄段“{age_band}”；可选：{'、'.join(labelled)}。", "ageBand"
            )
        statement = statement.where(labelled[age_band])
    if category is not None:
        conditions = _conditions(session, root, today)
        if category not in conditions:
            raise UserInputError("UNKNOWN_CATEGORY", f"没有老年人类别“{category}”。", "category")
        statement = statement.where(conditions[category])
        if category in ASSIGNED:
            statement = statement.where(scope_condition(context, PEOPLE_VIEW_SENSITIVE, Resident.org_path))
    return statement


def categories_of(session: Session, root: OrgUnit, today: date, resident_ids: Sequence[int]) -> dict[int, list[str]]:
    """The categories of a page of residents, one query per category."""
    found: dict[int, list[str]] = {rid: [] for rid in resident_ids}
    if not resident_ids:
        return found
    for code, condition in _conditions(session, root, today).items():
        for rid in session.scalars(select(Resident.id).where(Resident.id.in_(resident_ids), condition)):
            found[rid].append(code)
    return found
