"""The reporting calendar's service: periods, deadlines, materialization,
status transitions, locking, reopening and holidays."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from core.api.errors import UserInputError
from core.hookspecs import hookimpl
from core.org import service as org_service
from core.org.models import OrgUnit
from core.plugin_host import PluginHost, load_plugin_host
from core.policy import service as policy
from core.reporting import service
from core.reporting.calendar import add_holiday, due_day, period_of
from core.reporting.models import (
    LATE,
    MISSING,
    OPEN,
    SUBMITTED,
    ZERO_REPORT,
    ObligationInstance,
)
from core.reporting.obligations import (
    DueRule,
    ObligationType,
    ObligationTypeError,
    registry_for,
)
from core.reporting.policy_keys import LOCK_AFTER_DAYS
from core.testing import plugin_module
from tests.reporting.conftest import MEETING, REPORT, VISIT, Env

# 2026-03: 1st is a Sunday; 2026-04-05 is a Sunday (清明节 falls on it).
MARCH_10 = date(2026, 3, 10)


def _instances(env: Env, code: str = REPORT) -> list[ObligationInstance]:
    with env.session() as session:
        rows = list(
            session.scalars(
                select(ObligationInstance)
                .where(ObligationInstance.type_code == code)
                .order_by(ObligationInstance.period_start, ObligationInstance.org_path)
            )
        )
        session.expunge_all()
        return rows


def _instance(env: Env, unit_id: int, period_start: date, code: str = REPORT) -> ObligationInstance:
    return next(i for i in _instances(env, code) if i.org_unit_id == unit_id and i.period_start == period_start)


def _materialize(env: Env, on: date) -> service.MaterializeResult:
    with env.session() as session, session.begin():
        return service.materialize(session, env.host, on)


def _submit(
    env: Env, instance_id: int, today: date, *, note: str | None = None, zero_report: bool = False
) -> ObligationInstance:
    with env.session() as session, session.begin():
        instance = session.get(ObligationInstance, instance_id)
        assert instance is not None
        service.submit(session, env.host, instance, user_id=None, today=today, note=note, zero_report=zero_report)
        session.flush()
        session.expunge(instance)
        return instance


# --- pure calendar -------------------------------------------------------------------------


def test_periods_and_due_days() -> None:
    assert period_of("half_monthly", date(2026, 2, 16)) == (date(2026, 2, 16), date(2026, 2, 28))
    assert period_of("half_monthly", date(2026, 2, 15)) == (date(2026, 2, 1), date(2026, 2, 15))
    assert period_of("monthly", date(2026, 2, 16)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_of("quarterly", date(2026, 5, 1)) == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_of("half_yearly", date(2026, 8, 1)) == (date(2026, 7, 1), date(2026, 12, 31))
    assert period_of("yearly", date(2026, 8, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    # Day 31 of February is its last day; December rolls into January.
    assert due_day(date(2026, 1, 31), 31, 1) == date(2026, 2, 28)
    assert due_day(date(2026, 12, 31), 5, 1) == date(2027, 1, 5)
    assert due_day(date(2026, 3, 15), 20, 0) == date(2026, 3, 20)


def test_bad_declarations_stop_start_up() -> None:

    @hookimpl
    def register_obligation_types() -> list[object]:
        return [
            ObligationType(
                "other.report", "越界", "report", ("community",), "monthly", DueRule("org.grid.max_households")
            ),
            ObligationType("bad.report", "无截止", "report", ("community",), "monthly"),
            ObligationType("bad.visit", "走访", "chat", ("community",), "monthly", DueRule("x.y")),
        ]

    module = plugin_module("bad", register_obligation_types=register_obligation_types)
    base = load_plugin_host(())
    base.manager.register(module, name="bad")
    host = PluginHost(manager=base.manager, enabled=("bad",), installed={})
    with pytest.raises(ObligationTypeError) as caught:
        registry_for(host)
    message = str(caught.value)
    assert "'bad.'" in message and "DueRule" in message and "kind" in message


# --- materialization ---------------------------------------------------------------------


def test_materialize_creates_current_and_previous_periods_idempotently(env: Env) -> None:
    first = _materialize(env, MARCH_10)
    rows = _instances(env)
    # Three communities × (February, March).
    assert len(rows) == 6
    assert {r.period_start for r in rows} == {date(2026, 2, 1), date(2026, 3, 1)}
    assert all(r.status == OPEN for r in rows if r.period_start == date(2026, 3, 1))
    march = _instance(env, env.tree.community, date(2026, 3, 1))
    assert march.period_end == date(2026, 3, 31)
    assert march.due_on == date(2026, 4, 6)  # 4-5 is a Sunday: moved to Monday.
    assert march.org_path.endswith(f"/{env.tree.community}/")
    # The meeting is half-monthly, due on the 28th of the same month.
    meeting = _instance(env, env.tree.community, date(2026, 3, 1), MEETING)
    assert meeting.period_end == date(2026, 3, 15) and meeting.due_on == date(2026, 3, 30)  # 28th: Saturday.
    # Besides the drill types, the public board's monthly disclosures (政务、居务) core declares.
    assert first.created == 24 and first.by_type == {
        MEETING: 6,
        REPORT: 6,
        "board.government_affairs": 6,
        "board.community_affairs": 6,
    }

    again = _materialize(env, MARCH_10)
    assert again.created == 0 and again.existing == 24
    assert len(_instances(env)) == 6


def _new_community(env: Env, established_on: date | None) -> int:
    with env.session() as session, session.begin():
        return org_service.create_unit(
            session,
            env.deployment.settings,
            name="新建社区",
            level="community",
            parent_id=env.tree.street,
            established_on=established_on,
        ).id


def test_units_that_did_not_exist_for_the_period_owe_nothing(env: Env) -> None:
    new_id = _new_community(env, date(2026, 3, 5))
    on_first_day = _new_community(env, date(2026, 3, 1))
    with env.session() as session, session.begin():
        gone = session.get(OrgUnit, env.tree.neighbour)
        assert gone is not None
        gone.dissolved_on = date(2026, 3, 1)
    _materialize(env, MARCH_10)
    rows = _instances(env)
    # Set up on March 5: owes neither February nor March (it did not exist on March 1) ...
    assert {r.period_start for r in rows if r.org_unit_id == new_id} == set()
    # ... but a unit set up on March 1 owes March.
    assert {r.period_start for r in rows if r.org_unit_id == on_first_day} == {date(2026, 3, 1)}
    # Dissolved on March 1: owes February, not March.
    assert {r.period_start for r in rows if r.org_unit_id == env.tree.neighbour} == {date(2026, 2, 1)}
    # It owes April, its first full month.
    _materialize(env, date(2026, 4, 10))
    assert {r.period_start for r in _instances(env) if r.org_unit_id == new_id} == {date(2026, 4, 1)}


def test_a_locality_may_make_new_units_owe_the_period_they_were_set_up_in(env: Env) -> None:
    from core.policy.registry import registry_for as policy_registry
    from core.reporting.policy_keys import OWE_ESTABLISHMENT_PERIOD

    with env.session() as session, session.begin():
        street = session.get(OrgUnit, env.tree.street)
        assert street is not None
        policy.set_value(
            session,
            street,
            OWE_ESTABLISHMENT_PERIOD.key,
            True,
            effective_from=date(2026, 1, 1),
            set_by="测试",
            reason="新设社区当月即须报送",
            registry=policy_registry(env.host),
        )
    new_id = _new_community(env, date(2026, 3, 5))
    _materialize(env, MARCH_10)
    assert {r.period_start for r in _instances(env) if r.org_unit_id == new_id} == {date(2026, 3, 1)}
    with env.session() as session:
        unit = session.get(OrgUnit, new_id)
        assert unit is not None
        owed = {o.kind.code: o for o in service.owed_by(session, env.host, unit, MARCH_10)}
    assert owed[REPORT].period == (date(2026, 3, 1), date(2026, 3, 31)) and owed[REPORT].due_on == date(
        2026, 4, 6
    )  # the 5th is a Sunday
    assert owed[MEETING].period == (date(2026, 3, 1), date(2026, 3, 15))
    assert owed[VISIT].period is None


def test_units_where_the_plugin_is_not_active_owe_nothing(env: Env) -> None:
    from core.policy.registry import registry_for as policy_registry

    with env.session() as session, session.begin():
        street = session.get(OrgUnit, env.tree.other_street)
        assert street is not None
        policy.set_value(
            session,
            street,
            "plugin.drill.active",
            False,
            effective_from=date(2026, 1, 1),
            set_by="测试",
            reason="辖区不开展",
            registry=policy_registry(env.host),
        )
    _materialize(env, MARCH_10)
    assert env.tree.other_community not in {r.org_unit_id for r in _instances(env)}
    assert env.tree.community in {r.org_unit_id for r in _instances(env)}


def test_due_day_follows_locality_policy(env: Env) -> None:
    from core.policy.registry import registry_for as policy_registry

    with env.session() as session, session.begin():
        street = session.get(OrgUnit, env.tree.street)
        assert street is not None
        policy.set_value(
            session,
            street,
            "drill.report_day",
            10,
            effective_from=date(2026, 1, 1),
            set_by="测试",
            reason="街道规定",
            registry=policy_registry(env.host),
        )
    _materialize(env, MARCH_10)
    assert _instance(env, env.tree.community, date(2026, 3, 1)).due_on == date(2026, 4, 10)
    assert _instance(env, env.tree.other_community, date(2026, 3, 1)).due_on == date(2026, 4, 6)


# --- holidays ------------------------------------------------------------------------------


def test_holidays_move_deadlines_as_policy_says(env: Env) -> None:
    from core.policy.registry import registry_for as policy_registry

    with env.session() as session, session.begin():
        # 2026-04-06 (Mon) a holiday everywhere; 2026-04-07 a holiday in one street only.
        add_holiday(session, date(2026, 4, 6), "清明节")
        street = session.get(OrgUnit, env.tree.street)
        other = session.get(OrgUnit, env.tree.other_street)
        assert street is not None and other is not None
        add_holiday(session, date(2026, 4, 7), "地方假日", org_unit=street)
        policy.set_value(
            session,
            other,
            "reporting.holiday_shift",
            "previous_working_day",
            effective_from=date(2026, 1, 1),
            set_by="测试",
            reason="提前报送",
            registry=policy_registry(env.host),
        )
    _materialize(env, MARCH_10)
    # 4-5 Sun → 4-6 holiday → 4-7 street holiday → 4-8.
    assert _instance(env, env.tree.community, date(2026, 3, 1)).due_on == date(2026, 4, 8)
    # Moved back: 4-5 Sun → 4-4 Sat → 4-3 Fri.
    assert _instance(env, env.tree.other_community, date(2026, 3, 1)).due_on == date(2026, 4, 3)


def test_a_make_up_working_day_keeps_a_weekend_deadline(env: Env) -> None:
    with env.session() as session, session.begin():
        add_holiday(session, date(2026, 4, 5), "调休上班", is_workday=True)
    _materialize(env, MARCH_10)
    assert _instance(env, env.tree.community, date(2026, 3, 1)).due_on == date(2026, 4, 5)


# --- status transitions --------------------------------------------------------------------


def test_on_time_late_zero_and_missing(env: Env) -> None:
    _materialize(env, MARCH_10)
    feb = {i.org_unit_id: i for i in _instances(env) if i.period_start == date(2026, 2, 1)}
    due = feb[env.tree.community].due_on
    assert due == date(2026, 3, 5)

    on_time = _submit(env, feb[env.tree.community].id, due, note="已报")
    assert on_time.status == SUBMITTED and on_time.submitted_on == due

    late = _submit(env, feb[env.tree.neighbour].id, date(2026, 3, 6))
    assert late.status == LATE

    with pytest.raises(UserInputError) as caught:
        _submit(env, feb[env.tree.other_community].id, date(2026, 3, 4), zero_report=True)
    assert caught.value.errors[0].code == "REQUIRED"
    zero = _submit(env, feb[env.tree.other_community].id, date(2026, 3, 4), zero_report=True, note="本月无纠纷")
    assert zero.status == ZERO_REPORT

    with pytest.raises(UserInputError) as caught:
        _submit(env, feb[env.tree.community].id, due)
    assert caught.value.errors[0].code == "ALREADY_SUBMITTED"

    # A March instance not submitted by its deadline is missing after the next run.
    march = _instance(env, env.tree.community, date(2026, 3, 1))
    assert service.effective_status(march, date(2026, 4, 6)) == OPEN
    assert service.effective_status(march, date(2026, 4, 7)) == MISSING
    result = _materialize(env, date(2026, 4, 7))
    assert result.marked_missing >= 3
    assert _instance(env, env.tree.community, date(2026, 3, 1)).status == MISSING
    # A missing instance may still be submitted (late) until it locks.
    assert _submit(env, march.id, date(2026, 4, 8)).status == LATE


def test_submitting_before_the_period_starts_is_refused(env: Env) -> None:
    _materialize(env, MARCH_10)
    march = _instance(env, env.tree.community, date(2026, 3, 1))
    with pytest.raises(UserInputError) as caught:
        _submit(env, march.id, date(2026, 2, 27))
    assert caught.value.errors[0].code == "NOT_STARTED"


def test_completeness_counts_a_subtree(env: Env) -> None:
    _materialize(env, MARCH_10)
    feb = {i.org_unit_id: i for i in _instances(env) if i.period_start == date(2026, 2, 1)}
    _submit(env, feb[env.tree.community].id, date(2026, 3, 2))
    _submit(env, feb[env.tree.neighbour].id, date(2026, 3, 3), zero_report=True, note="无")
    with env.session() as session:
        district = session.get(OrgUnit, env.tree.district)
        street = session.get(OrgUnit, env.tree.street)
        assert district is not None and street is not None
        whole = service.completeness(
            session,
            district,
            type_code=REPORT,
            period_start=date(2026, 2, 1),
            period_end=date(2026, 2, 28),
            today=date(2026, 3, 20),
        )
        assert (whole.expected, whole.submitted, whole.on_time, whole.zero_reports, whole.late, whole.missing) == (
            3,
            2,
            2,
            1,
            0,
            1,
        )
        assert whole.reporting_rate == pytest.approx(2 / 3)
        assert [p.org_unit_id for p in whole.problems] == [env.tree.other_community]
        own = service.completeness(session, street, type_code=REPORT, today=date(2026, 3, 20))
        # February (2 done) and March (2 open) of the street's two communities.
        assert (own.expected, own.submitted, own.open, own.missing) == (4, 2, 2, 0)


# --- locking and reopening -------------------------------------------------------------------


def test_a_period_locks_after_the_policy_days_and_reopens_once(env: Env) -> None:
    _materialize(env, MARCH_10)
    feb = _instance(env, env.tree.community, date(2026, 2, 1))
    assert feb.due_on == date(2026, 3, 5)
    assert LOCK_AFTER_DAYS.default == 10
    # The last day before locking is 3-15; the run on 3-16 locks it.
    result = _materialize(env, date(2026, 3, 16))
    assert result.locked >= 3
    with pytest.raises(UserInputError) as caught:
        _submit(env, feb.id, date(2026, 3, 16))
    assert caught.value.errors[0].code == "LOCKED"

    with env.session() as session, session.begin():
        instance = session.get(ObligationInstance, feb.id)
        assert instance is not None
        with pytest.raises(UserInputError):
            service.reopen(session, instance, user_id=None, reason=" ")
        service.reopen(session, instance, user_id=None, reason="系统故障未能报送")
    late = _submit(env, feb.id, date(2026, 3, 17))
    assert late.status == LATE and late.locked
    # Locked again: one more submission needs another reopening.
    with pytest.raises(UserInputError) as caught:
        _submit(env, feb.id, date(2026, 3, 17))
    assert caught.value.errors[0].code == "LOCKED"


def test_lock_is_enforced_before_the_run_records_it(env: Env) -> None:
    _materialize(env, MARCH_10)
    feb = _instance(env, env.tree.community, date(2026, 2, 1))
    assert not feb.locked
    with pytest.raises(UserInputError) as caught:
        _submit(env, feb.id, date(2026, 3, 16))
    assert caught.value.errors[0].code == "LOCKED"
    assert _submit(env, feb.id, date(2026, 3, 15)).status == LATE


def test_materialize_counts_rows_once_per_unit_and_period(env: Env) -> None:
    for day in (MARCH_10, date(2026, 3, 20), date(2026, 4, 2)):
        _materialize(env, day)
    with env.session() as session:
        duplicates = session.execute(
            select(ObligationInstance.type_code, ObligationInstance.org_unit_id, ObligationInstance.period_start)
            .group_by(ObligationInstance.type_code, ObligationInstance.org_unit_id, ObligationInstance.period_start)
            .having(func.count() > 1)
        ).all()
    assert duplicates == []
    assert {i.period_start for i in _instances(env)} == {date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)}


def test_per_event_obligations_are_opened_by_the_plugin_not_the_calendar(env: Env) -> None:
    _materialize(env, MARCH_10)
    assert _instances(env, VISIT) == []
    with env.session() as session, session.begin():
        unit = session.get(OrgUnit, env.tree.community)
        assert unit is not None
        first = service.open_event_instance(
            session, env.host, VISIT, unit, event_on=date(2026, 3, 3), due_on=date(2026, 3, 6)
        )
        again = service.open_event_instance(
            session, env.host, VISIT, unit, event_on=date(2026, 3, 3), due_on=date(2026, 3, 6)
        )
        assert again.id == first.id
        with pytest.raises(UserInputError) as caught:
            service.open_event_instance(
                session, env.host, REPORT, unit, event_on=date(2026, 3, 3), due_on=date(2026, 3, 6)
            )
        assert caught.value.errors[0].code == "NOT_PER_EVENT"
    (visit,) = _instances(env, VISIT)
    assert (visit.period_start, visit.period_end, visit.due_on) == (
        date(2026, 3, 3),
        date(2026, 3, 3),
        date(2026, 3, 6),
    )
    assert _submit(env, visit.id, date(2026, 3, 7)).status == LATE


def test_instances_follow_a_re_zoned_community(env: Env) -> None:
    _materialize(env, MARCH_10)
    with env.session() as session, session.begin():
        unit = session.get(OrgUnit, env.tree.neighbour)
        target = session.get(OrgUnit, env.tree.other_street)
        assert unit is not None and target is not None
        org_service.move_unit(
            session, env.deployment.settings, unit, target, reason="区划调整", effective_on=date(2026, 3, 1)
        )
    with env.session() as session:
        other_street = session.get(OrgUnit, env.tree.other_street)
        assert other_street is not None
        counts = service.completeness(session, other_street, type_code=REPORT, today=MARCH_10)
    assert counts.expected == 4  # Two communities × (February, March).
