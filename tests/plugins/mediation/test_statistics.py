"""Statistics for a subtree and the safe-village (平安村) criteria."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.org import service as org_service
from plugins.mediation import service
from plugins.mediation.service import PartyInput
from tests.plugins.mediation.conftest import (
    Env,
    gid,
)

STATS = """query($unit: ID!, $year: Int!) { mediationStatistics(orgUnitId: $unit, year: $year) {
  year total byCategory { code count } byStatus { code count } byMonth
  perLevel { level levelName received resolved rate } followUpsDue followUpsOnTime followUpOnTimeRate } }"""
DUE = """query($unit: ID!) { dueFollowUpVisits(orgUnitId: $unit) { dueOn overdue disputeCase { title } } }"""


def _history(env: Env) -> None:
    """2025 in 宁安路社区: a minor case closed there (its follow-up on time),
    an ordinary one resolved by the street, a family case with a late visit."""
    settings = env.deployment.settings
    with env.session() as session, session.begin():
        community = org_service.get_unit(session, env.tree.community)
        party = [PartyInput(role="applicant", name="刘建国")]

        def case(title: str, category: str, risk: str, on: date) -> Any:
            return service.register_case(
                session,
                settings,
                unit=community,
                title=title,
                category=category,
                source="walk_in",
                risk_level=risk,
                facts="事实",
                parties=party,
                registered_on=on,
                user_id=None,
                today=on,
            )

        minor = case("漏水", "neighbour", "minor", date(2025, 3, 2))
        service.accept(session, minor, user_id=None)
        service.start_mediation(session, minor, mediation_type="people", mediators=["王秀兰"], user_id=None)
        service.resolve(
            session, settings, minor, outcome="agreement", agreement="赔偿", user_id=None, today=date(2025, 3, 10)
        )
        service.record_follow_up(
            session,
            minor,
            visited_on=date(2025, 4, 1),
            agreement_kept=True,
            note=None,
            user_id=None,
            today=date(2025, 4, 1),
        )
        service.close(session, settings, minor, reason=None, user_id=None, today=date(2025, 4, 2))

        ordinary = case("欠薪", "labour", "ordinary", date(2025, 3, 20))
        service.escalate(session, settings, ordinary, reason="超出权限", user_id=None, today=date(2025, 3, 21))
        service.accept(session, ordinary, user_id=None)
        service.start_mediation(session, ordinary, mediation_type="joint", mediators=["赵磊"], user_id=None)
        service.resolve(
            session, settings, ordinary, outcome="reconciled", agreement=None, user_id=None, today=date(2025, 4, 5)
        )

        family = case("赡养", "family", "minor", date(2025, 6, 1))
        service.accept(session, family, user_id=None)
        service.start_mediation(session, family, mediation_type="people", mediators=["王秀兰"], user_id=None)
        service.resolve(
            session, settings, family, outcome="agreement", agreement="轮流赡养", user_id=None, today=date(2025, 6, 10)
        )
        # Due 30 days after (2025-07-10), visited late.
        service.record_follow_up(
            session,
            family,
            visited_on=date(2025, 8, 1),
            agreement_kept=False,
            note=None,
            user_id=None,
            today=date(2025, 8, 1),
        )


def test_statistics_of_a_subtree(env: Env) -> None:
    _history(env)
    leader = env.call("street_leader", env.tree.street)
    stats = leader(STATS, {"unit": gid("OrgUnit", env.tree.street), "year": 2025})["mediationStatistics"]
    assert stats["total"] == 3
    by_category = {c["code"]: c["count"] for c in stats["byCategory"]}
    assert (by_category["neighbour"], by_category["labour"], by_category["family"], by_category["land"]) == (1, 1, 1, 0)
    by_status = {c["code"]: c["count"] for c in stats["byStatus"]}
    assert (by_status["closed"], by_status["resolved"], by_status["followed_up"], by_status["registered"]) == (
        1,
        1,
        1,
        0,
    )
    assert stats["byMonth"] == [0, 0, 2, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    levels = {r["level"]: (r["received"], r["resolved"], r["rate"]) for r in stats["perLevel"]}
    assert levels == {"community": (3, 2, 2 / 3), "street": (1, 1, 1.0)}
    # The reconciled case's visit (due 2025-05-05) never happened: due, not on time.
    assert (stats["followUpsDue"], stats["followUpsOnTime"], stats["followUpOnTimeRate"]) == (3, 1, 1 / 3)
    # The community alone: the same cases (registered there), nothing in another year.
    worker = env.call("community_worker", env.tree.community)
    assert (
        worker(STATS, {"unit": gid("OrgUnit", env.tree.community), "year": 2025})["mediationStatistics"]["total"] == 3
    )
    assert (
        worker(STATS, {"unit": gid("OrgUnit", env.tree.community), "year": 2024})["mediationStatistics"]["total"] == 0
    )
    due = leader(DUE, {"unit": gid("OrgUnit", env.tree.street)})["dueFollowUpVisits"]
    assert [(v["dueOn"], v["overdue"], v["disputeCase"]["title"]) for v in due] == [("2025-05-05", True, "欠薪")]
    # The community no longer holds that case: nothing due there.
    assert worker(DUE, {"unit": gid("OrgUnit", env.tree.community)})["dueFollowUpVisits"] == []
    # Outside the caller's scope: refused.
    assert worker(STATS, {"unit": gid("OrgUnit", env.tree.street), "year": 2025}, expect_errors=True)["errors"]
