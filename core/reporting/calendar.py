"""Periods, deadlines and working days.

Working days: Monday to Friday, except days in the holiday table; a
Saturday or Sunday is a working day only when the holiday table marks it
``is_workday`` (调休). A holiday row without an org unit applies everywhere,
one with an org unit to that unit's subtree. A deadline on a non-working day
moves as ``reporting.holiday_shift`` says, at most ``MAX_SHIFT_DAYS`` days.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.reporting.models import HOLIDAY_NAME_LENGTH, Holiday
from core.reporting.policy_keys import NEXT_WORKING_DAY, PREVIOUS_WORKING_DAY

MAX_SHIFT_DAYS = 31

# Periods of N months, counted from January (bimonthly: Jan–Feb, Mar–Apr …).
_MONTHS_PER_PERIOD = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "half_yearly": 6, "yearly": 12}
# N periods a month, N a policy value of the owing unit (screening "每半月一次": 2).
TIMES_A_MONTH = "times_a_month"
# Periods of a month split as a 31-day month would be, so that 2 gives the halves
# 1–15 / 16–end, 3 the 旬 1–10 / 11–20 / 21–end; a short month has fewer when N > its days.
_NOMINAL_MONTH_DAYS = 31


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def month_periods(year: int, month: int, count: int) -> list[tuple[date, date]]:
    """The ``count`` periods of a month (see ``_NOMINAL_MONTH_DAYS``)."""
    last = month_end(year, month)
    count = max(1, min(count, _NOMINAL_MONTH_DAYS))
    starts = sorted({1 + k * _NOMINAL_MONTH_DAYS // count for k in range(count)} & set(range(1, last.day + 1)))
    ends = [day - 1 for day in starts[1:]] + [last.day]
    return [(date(year, month, a), date(year, month, b)) for a, b in zip(starts, ends, strict=True)]


def period_of(recurrence: str, on: date, count: int | None = None) -> tuple[date, date]:
    """The period of ``recurrence`` that contains ``on``: (first day, last day).
    ``count`` is the number of periods a month for ``TIMES_A_MONTH``."""
    if recurrence == TIMES_A_MONTH:
        if count is None:
            raise ValueError("a times-a-month recurrence needs its count")
        return next(p for p in month_periods(on.year, on.month, count) if p[0] <= on <= p[1])
    if recurrence == "half_monthly":
        if on.day <= 15:
            return date(on.year, on.month, 1), date(on.year, on.month, 15)
        return date(on.year, on.month, 16), month_end(on.year, on.month)
    months = _MONTHS_PER_PERIOD[recurrence]
    first_month = (on.month - 1) // months * months + 1
    end_year, end_month = add_months(on.year, first_month, months - 1)
    return date(on.year, first_month, 1), month_end(end_year, end_month)


def periods_of_year(
    recurrence: str, year: int, until: date | None = None, count: int | None = None
) -> list[tuple[date, date]]:
    """The periods of ``recurrence`` that begin in ``year`` (and, with
    ``until``, by that day), in order."""
    periods: list[tuple[date, date]] = []
    day = date(year, 1, 1)
    while day.year == year and (until is None or day <= until):
        period = period_of(recurrence, day, count)
        periods.append(period)
        day = period[1] + timedelta(days=1)
    return periods


def previous_period(recurrence: str, period: tuple[date, date], count: int | None = None) -> tuple[date, date]:
    return period_of(recurrence, period[0] - timedelta(days=1), count)


def due_day(period_end: date, day: int, month_offset: int) -> date:
    """Day ``day`` of the month ``month_offset`` months after ``period_end``'s
    month (the month's last day when it is shorter)."""
    year, month = add_months(period_end.year, period_end.month, month_offset)
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


class WorkingDays:
    """The holiday table between two dates, for one unit path."""

    def __init__(self, session: Session, start: date, end: date) -> None:
        rows = session.scalars(select(Holiday).where(Holiday.day >= start, Holiday.day <= end))
        self._rows: list[Holiday] = list(rows)

    def is_working_day(self, day: date, path: str) -> bool:
        marks = [row for row in self._rows if row.day == day and _applies(row, path)]
        if marks:
            # A unit's own row wins over a general one (the longer path is nearer).
            nearest = max(marks, key=lambda row: len(row.org_path or ""))
            return nearest.is_workday
        return day.weekday() < 5

    def shift(self, day: date, path: str, rule: str) -> date:
        if rule not in (NEXT_WORKING_DAY, PREVIOUS_WORKING_DAY):
            return day
        step = timedelta(days=1 if rule == NEXT_WORKING_DAY else -1)
        moved = day
        for _ in range(MAX_SHIFT_DAYS):
            if self.is_working_day(moved, path):
                return moved
            moved += step
        return day


def _applies(row: Holiday, path: str) -> bool:
    return row.org_path is None or path.startswith(row.org_path)


def add_holiday(
    session: Session, day: date, name: str, *, is_workday: bool = False, org_unit: OrgUnit | None = None
) -> Holiday:
    """Record a holiday (or, with ``is_workday``, a make-up working day, 调休),
    everywhere or in ``org_unit``'s subtree. Deadlines already materialized
    keep their dates."""
    name = (name or "").strip()
    if not name or len(name) > HOLIDAY_NAME_LENGTH:
        raise UserInputError("INVALID_VALUE", f"节假日名称须为 1 到 {HOLIDAY_NAME_LENGTH} 个字。", "name")
    unit_id = org_unit.id if org_unit else None
    clash = session.scalars(
        select(Holiday.id).where(
            Holiday.day == day, Holiday.org_unit_id.is_(None) if unit_id is None else Holiday.org_unit_id == unit_id
        )
    ).first()
    if clash is not None:
        raise UserInputError("DUPLICATE", f"{day.isoformat()} 已登记为节假日或调休日，请先删除原记录。", "day")
    row = Holiday(
        day=day,
        name=name,
        is_workday=is_workday,
        org_unit_id=org_unit.id if org_unit else None,
        org_path=org_unit.path if org_unit else None,
    )
    session.add(row)
    session.flush()
    return row


def holidays_applying(session: Session, start: date, end: date, path: str | None) -> list[Holiday]:
    """The holiday rows between two dates that apply to the unit at ``path``
    (general rows and those of the unit and its ancestors), or only the
    general rows when ``path`` is None; by day."""
    rows = session.scalars(
        select(Holiday).where(Holiday.day >= start, Holiday.day <= end).order_by(Holiday.day, Holiday.id)
    )
    if path is None:
        return [row for row in rows if row.org_path is None]
    return [row for row in rows if _applies(row, path)]
