"""The senior card worklist and issuance, and the elderly register's age bands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import require, scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.people.service import age_bounds, age_on
from core.policy.service import require_plugin_active, resolve
from core.policy.thresholds import AT_LEAST
from core.visits.programmes import aged_at_least
from plugins.elderly_services.declarations import (
    AGE_BAND_WIDTH,
    CARD_DUE_DAYS,
    ELDERLY_AGE,
    ELDERLY_AGE_COMPARATOR,
    ISSUE_CARD,
    PLUGIN,
    VIEW,
)
from plugins.elderly_services.models import CARD_NUMBER_LENGTH, SeniorCard

# The last age band is open-ended from this many bands on (e.g. 90岁以上 with 10-year bands).
MAX_BANDS = 4


@dataclass(frozen=True)
class ElderlyPolicy:
    """The elderly age of a unit's policy, read with its comparator: the
    first age that counts."""

    first_age: int
    band_width: int
    card_due_days: int

    def eligible_on(self, birth: date) -> date:
        """The day a person born on ``birth`` reaches the first age that counts."""
        try:
            return birth.replace(year=birth.year + self.first_age)
        except ValueError:  # born on 29 February: the birthday is 1 March
            return date(birth.year + self.first_age, 3, 1)

    def band(self, age: int) -> str:
        """The age band (60—69岁 … 90岁以上) of an elderly person."""
        index = min((age - self.first_age) // self.band_width, MAX_BANDS - 1)
        start = self.first_age + index * self.band_width
        return f"{start}岁以上" if index == MAX_BANDS - 1 else f"{start}—{start + self.band_width - 1}岁"


def policy_at(session: Session, unit: OrgUnit, today: date) -> ElderlyPolicy:
    years = int(resolve(session, unit, ELDERLY_AGE, today))
    inclusive = resolve(session, unit, ELDERLY_AGE_COMPARATOR, today) == AT_LEAST
    return ElderlyPolicy(
        first_age=years if inclusive else years + 1,
        band_width=int(resolve(session, unit, AGE_BAND_WIDTH, today)),
        card_due_days=int(resolve(session, unit, CARD_DUE_DAYS, today)),
    )


def _has_card() -> ColumnElement[bool]:
    return exists(select(SeniorCard.id).where(SeniorCard.resident_id == Resident.id))


def _month_bounds(today: date) -> tuple[date, date]:
    first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def card_worklist_statement(
    session: Session, context: Any, root: OrgUnit, today: date, *, turning_this_month: bool
) -> Any:
    """Residents under ``root`` who are elderly (or turn so this month) and
    hold no card, where the caller may see them (oldest birth date first:
    the longest waiting first)."""
    policy = policy_at(session, root, today)
    if turning_this_month:
        first, last = _month_bounds(today)
        _, earliest = age_bounds(first, policy.first_age, None)
        _, latest = age_bounds(last, policy.first_age, None)
        age_condition = and_(Resident.birth_date >= earliest, Resident.birth_date <= latest)
    else:
        age_condition = aged_at_least(policy.first_age, today)
    return select(Resident).where(
        in_subtree(Resident.org_path, root.path),
        or_(
            scope_condition(context, VIEW.code, Resident.org_path),
            scope_condition(context, ISSUE_CARD.code, Resident.org_path),
        ),
        Resident.moved_out_on.is_(None),
        age_condition,
        ~_has_card(),
    )


def issue_card(
    session: Session,
    context: Any,
    resident: Resident,
    *,
    card_number: str,
    issued_on: date,
    issuer_id: int,
    today: date,
) -> SeniorCard:
    """Record a senior card issued to an elderly resident; whether it was on
    time is judged against the policy in force where the resident lives."""
    require(context, ISSUE_CARD.code, resident.org_path)
    unit = require_plugin_active(
        context if hasattr(context, "session") else session, resident.org_unit_id, PLUGIN, field="residentId"
    )
    number = (card_number or "").strip()
    problems: list[ErrorDetail] = []
    if not number:
        problems.append(ErrorDetail("CARD_NUMBER_REQUIRED", "请填写优待证编号。", "cardNumber"))
    elif len(number) > CARD_NUMBER_LENGTH:
        problems.append(
            ErrorDetail("CARD_NUMBER_TOO_LONG", f"优待证编号不能超过 {CARD_NUMBER_LENGTH} 个字符。", "cardNumber")
        )
    if issued_on > today:
        problems.append(ErrorDetail("ISSUED_IN_FUTURE", "发证日期不能晚于今天。", "issuedOn"))
    policy = policy_at(session, unit, min(issued_on, today))
    if resident.birth_date is None:
        problems.append(
            ErrorDetail("BIRTH_DATE_UNKNOWN", "该居民没有出生日期，无法判断是否达到老年人年龄。", "residentId")
        )
    elif age_on(resident.birth_date, issued_on) < policy.first_age:
        problems.append(
            ErrorDetail(
                "NOT_ELDERLY", f"发证日该居民未满 {policy.first_age} 周岁，不能办理老年人优待证。", "residentId"
            )
        )
    if problems:
        raise UserInputError(errors=problems)
    if session.scalar(select(SeniorCard.id).where(SeniorCard.resident_id == resident.id)) is not None:
        raise UserInputError("CARD_ALREADY_ISSUED", "该居民已办理老年人优待证。", "residentId")
    if session.scalar(select(SeniorCard.id).where(SeniorCard.card_number == number)) is not None:
        raise UserInputError("CARD_NUMBER_TAKEN", "该优待证编号已被使用。", "cardNumber")
    assert resident.birth_date is not None
    eligible_on = policy.eligible_on(resident.birth_date)
    card = SeniorCard(
        resident_id=resident.id,
        org_unit_id=resident.org_unit_id,
        org_path=resident.org_path,
        card_number=number,
        issued_on=issued_on,
        issuer_id=issuer_id,
        eligible_on=eligible_on,
        on_time=issued_on <= eligible_on + timedelta(days=policy.card_due_days),
    )
    session.add(card)
    session.flush()
    return card


@dataclass(frozen=True)
class CardCounts:
    org_unit: OrgUnit
    issued: int
    on_time: int


def card_counts(session: Session, context: Any, root: OrgUnit, year: int) -> list[CardCounts]:
    """Cards issued in ``year`` and how many on time, for ``root`` and each child unit."""
    children = list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == root.id).order_by(OrgUnit.path)))
    scope = or_(
        scope_condition(context, VIEW.code, SeniorCard.org_path),
        scope_condition(context, ISSUE_CARD.code, SeniorCard.org_path),
    )
    result = []
    for unit in [root, *children]:
        issued, on_time = session.execute(
            select(func.count(), func.count().filter(SeniorCard.on_time.is_(True))).where(
                in_subtree(SeniorCard.org_path, unit.path),
                scope,
                SeniorCard.issued_on >= date(year, 1, 1),
                SeniorCard.issued_on <= date(year, 12, 31),
            )
        ).one()
        result.append(CardCounts(unit, int(issued), int(on_time)))
    return result
