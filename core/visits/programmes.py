"""Visit programmes (走访项目) declared by plugins through ``register_visit_programmes``.

A programme names its target group per category: a rule over the registry
(a SQL condition over ``Resident``, built for a day and the unit whose
policy applies) and/or explicit enrolment with a reason and dates. Each
category's visit interval is a locality-policy key (days) the plugin
declares. Who is responsible is a permission held at a unit: the workers
holding ``record_permission`` where a resident lives see the resident in
their own list; supervisors holding ``view_permission`` see overdue lists
and coverage down their subtree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, select

from core.api.errors import UserInputError
from core.people.models import HouseholdMember, Resident
from core.people.service import age_bounds
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of
from core.policy.keys import PolicyKey

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.org.models import OrgUnit


@dataclass(frozen=True)
class RuleContext:
    """What a rule is built for: the day, and the unit whose policy applies."""

    session: Session
    unit: OrgUnit
    today: date


Rule = Callable[[RuleContext], ColumnElement[bool]]


@dataclass(frozen=True)
class VisitCategory:
    """A category of a programme's target group. ``rule`` selects residents
    from the registry; without it members are enrolled explicitly.
    ``sensitive`` categories (特困, 孤寡) are shown only to callers holding
    ``people.view_sensitive`` where the resident lives."""

    code: str
    name: str
    # Days between visits: a key the plugin declares through register_policy_keys.
    interval: PolicyKey
    rule: Rule | None = field(default=None, compare=False)
    sensitive: bool = False

    @property
    def interval_key(self) -> str:
        return self.interval.key


@dataclass(frozen=True)
class VisitProgramme:
    code: str
    name: str
    categories: tuple[VisitCategory, ...]
    record_permission: str
    view_permission: str
    plugin: str = ""
    # Where set, every read of this programme's schedules, visits and
    # enrolments (worklists, overdue lists, a resident's visits, node) needs a
    # stated purpose and is logged under this record type name
    # (core.privacy.audited): the visits of family-planning services.
    audited_as: str | None = None

    def category(self, code: str) -> VisitCategory | None:
        return next((c for c in self.categories if c.code == code), None)


class VisitProgrammeError(RuntimeError):
    """Programme declarations that cannot be used."""


def build_programmes(host: PluginHost) -> dict[str, VisitProgramme]:
    core_modules = set(CORE_PLUGIN_MODULES)
    found: dict[str, VisitProgramme] = {}
    problems: list[str] = []
    for impl in host.manager.hook.register_visit_programmes.get_hookimpls():
        owner = "core" if impl.plugin_name in core_modules else impl.plugin_name
        for item in declared_by(impl):
            programme = replace(item, plugin=owner)
            if owner != "core" and not programme.code.startswith(f"{owner}."):
                problems.append(f"{impl.plugin_name}: programme {programme.code!r} must start with '{owner}.'")
            elif programme.code in found:
                problems.append(f"programme {programme.code!r} declared more than once")
            elif not programme.categories:
                problems.append(f"{impl.plugin_name}: programme {programme.code!r} has no category")
            else:
                found[programme.code] = programme
    if problems:
        raise VisitProgrammeError("invalid visit programmes:\n  " + "\n  ".join(problems))
    return found


def programmes_for(host: PluginHost) -> Mapping[str, VisitProgramme]:
    return host.derived("visits.programmes", build_programmes)


def programme_for(context: Any, code: str, *, field: str = "programme") -> VisitProgramme:
    """The programme ``code`` names, or a user error."""
    programme = programmes_for(host_of(context)).get(code)
    if programme is None:
        raise UserInputError("UNKNOWN_PROGRAMME", f"没有名为“{code}”的走访项目。", field)
    return programme


# --- rule builders over the registry -----------------------------------------------


def aged_at_least(years: int, today: date, *, inclusive: bool = True) -> ColumnElement[bool]:
    """Residents aged ``years`` or more (``inclusive``; else more than ``years``) on ``today``."""
    _, latest = age_bounds(today, years if inclusive else years + 1, None)
    return Resident.birth_date <= latest


def _current_member_count() -> Any:
    """SQL: how many current members the resident's household has —
    correlated and read through the household index, so that the rule costs
    the same per resident at any registry size (a GROUP BY over every
    household, OR-ed with the enrolments, is re-run per row by PostgreSQL)."""
    return (
        select(func.count())
        .select_from(HouseholdMember)
        .where(HouseholdMember.household_id == Resident.household_id, HouseholdMember.left_on.is_(None))
        .correlate(Resident)
        .scalar_subquery()
    )


def living_alone() -> ColumnElement[bool]:
    """Residents who are the only current member of their household (独居)."""
    return and_(Resident.household_id.is_not(None), _current_member_count() == 1)


def household_all_aged(years: int, today: date) -> ColumnElement[bool]:
    """Residents in a household of two or more whose current members are all
    aged ``years`` or more (空巢: no younger member lives with them)."""
    _, latest = age_bounds(today, years, None)
    member = Resident.__table__.alias("younger_member")
    younger = (
        select(HouseholdMember.id)
        .join(member, HouseholdMember.resident_id == member.c.id)
        .where(
            HouseholdMember.household_id == Resident.household_id,
            HouseholdMember.left_on.is_(None),
            (member.c.birth_date > latest) | member.c.birth_date.is_(None),
        )
    )
    return and_(
        Resident.household_id.is_not(None), _current_member_count() >= 2, not_(exists(younger.correlate(Resident)))
    )
