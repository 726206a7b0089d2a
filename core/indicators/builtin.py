"""Core's own indicators (households, residents 60+, disclosures on time) and
``obligation_indicator``, the helper plugins use for "held/submitted on time"
figures read from the reporting calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.indicators.registry import Compute, Indicator
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Household, Resident
from core.reporting.models import DONE_STATUSES, ObligationInstance

ON_TIME = "on_time"
DONE = "done"
EXPECTED = "expected"


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def households(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return int(
        session.scalar(select(func.count()).select_from(Household).where(in_subtree(Household.org_path, unit.path)))
        or 0
    )


def residents_aged(age: int) -> Compute:
    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Resident)
                .where(
                    in_subtree(Resident.org_path, unit.path),
                    Resident.birth_date <= _years_before(end, age),
                    or_(Resident.moved_out_on.is_(None), Resident.moved_out_on > end),
                )
            )
            or 0
        )

    return compute


def obligation_indicator(type_codes: Sequence[str], measure: str) -> Compute:
    """A compute function counting instances of ``type_codes`` whose period
    ends in the period: ``expected`` (all), ``done`` (submitted, zero reports,
    late) or ``on_time`` (submitted on or before the deadline)."""

    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        conditions = [
            in_subtree(ObligationInstance.org_path, unit.path),
            ObligationInstance.type_code.in_(list(type_codes)),
            ObligationInstance.period_end >= start,
            ObligationInstance.period_end <= end,
        ]
        if measure in (DONE, ON_TIME):
            conditions.append(ObligationInstance.status.in_(DONE_STATUSES))
        if measure == ON_TIME:
            conditions.append(ObligationInstance.submitted_on <= ObligationInstance.due_on)
        return int(session.scalar(select(func.count()).select_from(ObligationInstance).where(*conditions)) or 0)

    return compute


BOARD_TYPES = ("board.government_affairs", "board.community_affairs")

CORE_INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "people.households",
        "户数",
        "辖区登记的户数（实有人口的户）。",
        households,
        unit="户",
        aliases=("总户数", "辖区户数"),
    ),
    Indicator(
        "people.residents_60_plus",
        "60岁及以上居民数",
        "期末年满60周岁、未迁出的居民人数。",
        residents_aged(60),
        unit="人",
        aliases=("60岁以上老年人数", "老年人口数", "60周岁以上人口"),
    ),
    Indicator(
        "board.disclosures_due",
        "应公开期数",
        "本期截止的政务、居务月度公开应公开期数。",
        obligation_indicator(BOARD_TYPES, EXPECTED),
        unit="期",
    ),
    Indicator(
        "board.disclosures_on_time",
        "按时公开期数",
        "政务、居务月度公开在截止日前完成的期数。",
        obligation_indicator(BOARD_TYPES, ON_TIME),
        unit="期",
        aliases=("按时公开次数",),
    ),
)
