"""Two people acting at once on PostgreSQL: the case row and the obligation
instance are locked before their state is checked, so the second action waits
and is then refused instead of acting on stale state."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from core.api.errors import UserInputError
from core.org import service as org_service
from core.reporting import service as reporting
from plugins.mediation import service
from plugins.mediation.models import CaseTransition, MonthlySummary
from tests.plugins.mediation.conftest import Env, set_policy

pytestmark = pytest.mark.postgresql_only

HOLD_SECONDS = 0.4


def race(env: Env, action: Callable[[Any], Any], times: int = 2) -> list[str]:
    barrier = threading.Barrier(times)
    results = [""] * times

    def run(index: int) -> None:
        with env.session() as session:
            barrier.wait()
            try:
                with session.begin():
                    action(session)
                    time.sleep(HOLD_SECONDS)
                results[index] = "ok"
            except UserInputError as error:
                results[index] = error.errors[0].code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_double_escalation_escalates_once(env: Env) -> None:
    settings = env.deployment.settings
    with env.session() as session, session.begin():
        community = org_service.get_unit(session, env.tree.community)
        case_id = service.register_case(
            session,
            settings,
            unit=community,
            title="欠薪",
            category="labour",
            source="walk_in",
            risk_level="ordinary",
            facts="事实",
            parties=[service.PartyInput(role="applicant", name="刘建国")],
            user_id=None,
        ).id

    def escalate(session: Any) -> None:
        case = service.get_case(session, case_id, lock=True)
        service.escalate(session, settings, case, reason="超出权限", user_id=None)

    assert sorted(race(env, escalate)) == ["INVALID_STATUS", "ok"]
    with env.session() as session:
        count = session.scalar(
            select(func.count()).select_from(CaseTransition).where(CaseTransition.action == "escalate")
        )
        assert count == 1


def test_two_submissions_of_one_summary(env: Env) -> None:
    set_policy(env.deployment, env.tree.city, "mediation.monthly_summary.due_next_month", False)
    set_policy(env.deployment, env.tree.city, "mediation.monthly_summary.due_day", 31)
    from core.policy.service import local_today

    today = local_today()
    month = f"{today.year:04d}-{today.month:02d}"
    with env.session() as session, session.begin():
        reporting.materialize(session, env.deployment.host, on=today)

    def submit(session: Any) -> None:
        unit = org_service.get_unit(session, env.tree.community)
        service.submit_monthly_summary(session, env.deployment.host, unit, month, note=None, user_id=None)

    assert sorted(race(env, submit)) == ["ALREADY_SUBMITTED", "ok"]
    with env.session() as session:
        assert len(session.scalars(select(MonthlySummary)).all()) == 1
