"""The screening cadence follows policy ``mediation.screening.per_month``:
the reporting calendar owes, and a screening records, one period per
screening (2 a month by default: the halves; 3: the 旬)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.api.errors import UserInputError
from core.org import service as org_service
from core.reporting import service as reporting
from core.reporting.calendar import TIMES_A_MONTH, month_periods, period_of
from core.reporting.models import ZERO_REPORT, ObligationInstance
from plugins.mediation import service
from tests.plugins.mediation.conftest import Env, gid, set_policy

MARCH_12 = date(2026, 3, 12)


def test_a_month_splits_into_the_policy_count_of_periods() -> None:
    assert month_periods(2026, 3, 2) == [(date(2026, 3, 1), date(2026, 3, 15)), (date(2026, 3, 16), date(2026, 3, 31))]
    assert month_periods(2026, 2, 3) == [
        (date(2026, 2, 1), date(2026, 2, 10)),
        (date(2026, 2, 11), date(2026, 2, 20)),
        (date(2026, 2, 21), date(2026, 2, 28)),
    ]
    assert month_periods(2026, 4, 1) == [(date(2026, 4, 1), date(2026, 4, 30))]
    assert len(month_periods(2026, 2, 31)) == 28
    assert period_of(TIMES_A_MONTH, date(2026, 3, 16), 2) == period_of("half_monthly", date(2026, 3, 16))


def _screening_periods(env: Env, unit_id: int) -> list[tuple[date, date]]:
    with env.session() as session:
        rows = session.execute(
            select(ObligationInstance.period_start, ObligationInstance.period_end)
            .where(ObligationInstance.type_code == "mediation.screening", ObligationInstance.org_unit_id == unit_id)
            .order_by(ObligationInstance.period_start)
        ).all()
    return [tuple(row) for row in rows]


def test_the_calendar_and_the_screenings_follow_the_count(env: Env) -> None:
    # 辽宁路街道 screens every 旬 (3 a month); 宁夏路街道 keeps the default half-months.
    set_policy(env.deployment, env.tree.other_street, "mediation.screening.per_month", 3)
    with env.session() as session, session.begin():
        reporting.materialize(session, env.deployment.host, MARCH_12)
    assert _screening_periods(env, env.tree.other_community) == [
        (date(2026, 3, 1), date(2026, 3, 10)),
        (date(2026, 3, 11), date(2026, 3, 20)),
    ]
    assert _screening_periods(env, env.tree.community) == [
        (date(2026, 2, 16), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 15)),
    ]
    with env.session() as session, session.begin():
        unit = org_service.get_unit(session, env.tree.other_community)
        row = service.record_screening(
            session,
            env.deployment.host,
            unit,
            screened_on=MARCH_12,
            disputes_found=0,
            instability_factors=0,
            note=None,
            user_id=None,
            today=MARCH_12,
        )
        assert (row.period_start, row.period_end) == (date(2026, 3, 11), date(2026, 3, 20))
    with env.session() as session:
        instance = session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.org_unit_id == env.tree.other_community,
                ObligationInstance.type_code == "mediation.screening",
                ObligationInstance.period_start == date(2026, 3, 11),
            )
        ).one()
        assert instance.status == ZERO_REPORT
    # The same 旬 once only; under the default the 15th is still the first half.
    with env.session() as session, session.begin(), pytest.raises(UserInputError) as again:
        unit = org_service.get_unit(session, env.tree.other_community)
        service.record_screening(
            session,
            env.deployment.host,
            unit,
            screened_on=date(2026, 3, 15),
            disputes_found=1,
            instability_factors=0,
            note=None,
            user_id=None,
            today=MARCH_12.replace(day=15),
        )
    assert again.value.errors[0].code == "ALREADY_RECORDED"
    with env.session() as session, session.begin():
        unit = org_service.get_unit(session, env.tree.community)
        row = service.record_screening(
            session,
            env.deployment.host,
            unit,
            screened_on=date(2026, 3, 15),
            disputes_found=1,
            instability_factors=0,
            note=None,
            user_id=None,
            today=date(2026, 3, 15),
        )
        assert (row.period_start, row.period_end) == (date(2026, 3, 1), date(2026, 3, 15))
    # What the month requires reads the same count.
    admin = env.call("admin", env.tree.city)
    status = admin(
        'query($unit: ID!) { mediationReportingStatus(orgUnitId: $unit, month: "2026-03") { orgUnit { name } screeningsRequired screeningsRecorded } }',
        {"unit": gid("OrgUnit", env.tree.district)},
    )["mediationReportingStatus"]
    found = {row["orgUnit"]["name"]: (row["screeningsRequired"], row["screeningsRecorded"]) for row in status}
    assert found["辽宁社区"] == (3, 1) and found["宁安路社区"] == (2, 1)
