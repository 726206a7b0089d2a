"""The national holiday table (全国节假日和调休) as data files, one a year.

Each ``<year>.toml`` in this package follows the State Council's yearly
notice: ``[[holiday]]`` entries with ``name``, ``from``, ``to`` (the days
off, inclusive) and ``workdays`` (weekend days made working days, 调休).
``status`` is ``"published"`` when the file follows the notice, or
``"provisional"`` for a year whose notice is not out yet; operators update
that file when it is published and load it again. ``jiceng holidays load``
(and the demo) write the files into the holiday table: general rows only
(no org unit), one per day, the file deciding; rows a locality added for its
own units are never touched. Loading twice changes nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.reporting.models import HOLIDAY_NAME_LENGTH, Holiday

WORKDAY_SUFFIX = "调休上班"


class HolidayFileError(ValueError):
    """A holiday file that does not follow the format; the message is Chinese."""


@dataclass
class HolidayYear:
    year: int
    status: str
    source: str
    days: dict[date, tuple[str, bool]] = field(default_factory=dict)  # day -> (name, is_workday)

    @property
    def provisional(self) -> bool:
        return self.status != "published"


@dataclass
class LoadResult:
    year: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    provisional: bool = False


def bundled_years() -> list[int]:
    """The years the package ships a file for."""
    return sorted(
        int(p.name[:-5])
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".toml") and p.name[:-5].isdigit()
    )


def read_year(year: int | None = None, *, path: Path | None = None) -> HolidayYear:
    """The bundled file of ``year``, or the file at ``path``."""
    if path is not None:
        text, where = path.read_text(encoding="utf-8"), str(path)
    else:
        resource = resources.files(__package__) / f"{year}.toml"
        if not resource.is_file():
            raise HolidayFileError(f"没有 {year} 年的节假日文件。")
        text, where = resource.read_text(encoding="utf-8"), f"{year}.toml"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise HolidayFileError(f"{where} 不是合法的 TOML：{exc}") from None
    if not isinstance(data.get("year"), int) or data.get("status") not in ("published", "provisional"):
        raise HolidayFileError(f"{where} 须写明 year（年份）和 status（published 或 provisional）。")
    parsed = HolidayYear(data["year"], data["status"], str(data.get("source", "")))
    for entry in data.get("holiday", []):
        name, start, end = entry.get("name"), entry.get("from"), entry.get("to")
        if not isinstance(name, str) or not 0 < len(name) <= HOLIDAY_NAME_LENGTH - len(WORKDAY_SUFFIX):
            raise HolidayFileError(f"{where} 中假期名称缺失或过长。")
        if not isinstance(start, date) or not isinstance(end, date) or end < start:
            raise HolidayFileError(f"{where} 中“{name}”的 from/to 须为日期，且 to 不早于 from。")
        day = start
        while day <= end:
            parsed.days[day] = (name, False)
            day += timedelta(days=1)
        for workday in entry.get("workdays", []):
            if not isinstance(workday, date):
                raise HolidayFileError(f"{where} 中“{name}”的调休上班日须为日期。")
            parsed.days[workday] = (f"{name}{WORKDAY_SUFFIX}", True)
    if any(day.year != parsed.year and not is_workday for day, (_n, is_workday) in parsed.days.items()):
        raise HolidayFileError(f"{where} 中有不属于 {parsed.year} 年的放假日期。")
    return parsed


def load_year(session: Session, holidays: HolidayYear) -> LoadResult:
    """Write one year's general rows as the file says (see the module docstring)."""
    result = LoadResult(holidays.year, provisional=holidays.provisional)
    days = sorted(holidays.days)
    if not days:
        return result
    existing = {
        row.day: row
        for row in session.scalars(
            select(Holiday).where(Holiday.org_unit_id.is_(None), Holiday.day >= days[0], Holiday.day <= days[-1])
        )
    }
    for day in days:
        name, is_workday = holidays.days[day]
        row = existing.get(day)
        if row is None:
            session.add(Holiday(day=day, name=name, is_workday=is_workday, org_unit_id=None, org_path=None))
            result.added += 1
        elif (row.name, row.is_workday) != (name, is_workday):
            row.name, row.is_workday = name, is_workday
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()
    return result


def load_bundled(session: Session, years: list[int] | None = None) -> list[LoadResult]:
    """Load the bundled files (all of them, or ``years``)."""
    return [load_year(session, read_year(year)) for year in (years or bundled_years())]
