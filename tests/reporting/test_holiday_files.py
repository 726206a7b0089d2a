"""The national holiday files: 2026 as the State Council published it, 2027
provisional; ``jiceng holidays load`` is idempotent, keeps local rows, and
moves deadlines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core.audit.models import AuditRecord
from core.cli import main
from core.org.models import OrgUnit
from core.reporting.calendar import WorkingDays, add_holiday
from core.reporting.holidays import HolidayFileError, bundled_years, read_year
from core.reporting.models import Holiday
from tests.reporting.conftest import Env


def test_2026_file_follows_the_state_council_notice() -> None:
    year = read_year(2026)
    assert not year.provisional and "2025年11月4日" in year.source
    off = sorted(day for day, (_name, workday) in year.days.items() if not workday)
    assert len(off) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert year.days[date(2026, 2, 15)] == ("春节", False) and year.days[date(2026, 2, 23)] == ("春节", False)
    workdays = sorted(day for day, (_name, workday) in year.days.items() if workday)
    assert workdays == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]
    assert all(day.weekday() >= 5 for day in workdays)  # every 调休 day is a weekend day
    assert year.days[date(2026, 10, 10)] == ("国庆节调休上班", True)
    provisional = read_year(2027)
    assert provisional.provisional and set(provisional.days) == {
        date(2027, 1, 1),
        date(2027, 5, 1),
        date(2027, 5, 2),
        date(2027, 10, 1),
        date(2027, 10, 2),
        date(2027, 10, 3),
    }
    assert {2026, 2027} <= set(bundled_years())


def test_a_malformed_file_is_refused_in_chinese(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'year = 2028\nstatus = "published"\n[[holiday]]\nname = "春节"\nfrom = 2028-02-10\nto = 2028-02-01\n',
        encoding="utf-8",
    )
    with pytest.raises(HolidayFileError, match="to 不早于 from"):
        read_year(path=bad)
    bad.write_text("year = 2028\n", encoding="utf-8")
    with pytest.raises(HolidayFileError, match="status"):
        read_year(path=bad)


def test_load_command_is_idempotent_keeps_local_rows_and_moves_deadlines(
    env: Env, cli_config: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with env.session() as session, session.begin():
        # A wrong general row (fixed by the file) and a street's own holiday (left alone).
        add_holiday(session, date(2026, 10, 10), "错误名称")
        street = session.get(OrgUnit, env.tree.street)
        add_holiday(session, date(2026, 10, 8), "地方假日", org_unit=street)
    assert main([*cli_config, "holidays", "load", "--year", "2026"]) == 0
    assert "2026 年：新增 38 天，更新 1 天，未变 0 天" in capsys.readouterr().out
    assert main([*cli_config, "holidays", "load"]) == 0
    out = capsys.readouterr().out
    assert "2026 年：新增 0 天，更新 0 天，未变 39 天" in out and "2027 年：新增 6 天" in out and "暂定" in out
    with env.session() as session:
        rows = {(r.day, r.org_unit_id): (r.name, r.is_workday) for r in session.scalars(select(Holiday))}
        assert rows[(date(2026, 10, 10), None)] == ("国庆节调休上班", True)
        assert rows[(date(2026, 10, 8), env.tree.street)] == ("地方假日", False)
        assert len([key for key in rows if key[1] is None and key[0].year == 2026]) == 39
        calendar = WorkingDays(session, date(2026, 9, 1), date(2026, 10, 31))
        assert not calendar.is_working_day(date(2026, 10, 2), "/") and calendar.is_working_day(date(2026, 9, 20), "/")
        audits = session.scalars(
            select(AuditRecord.detail).where(AuditRecord.action == "cli:reporting.holidays_load")
        ).all()
    assert len(audits) == 3
    bad = tmp_path / "bad.toml"
    bad.write_text("year = 1\n", encoding="utf-8")
    assert main([*cli_config, "holidays", "load", "--file", str(bad)]) == 1
    assert "status" in capsys.readouterr().err
