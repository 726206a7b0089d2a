"""The assembly's representatives: seats as core posts for their residents'
group (2–3 per group, at least 30 in all: policy, checked as warnings; a
full group refused), resident units' representatives, and vacancies filled
from the same group for the rest of the term."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.policy.service import local_today
from tests.plugins.self_governance.conftest import Env, codes

APPOINT = """
mutation($input: AppointRepresentativeInput!) {
  appointRepresentative(input: $input) { postAssignmentId userErrors { field code message } }
}"""
FILL = """
mutation($input: FillRepresentativeVacancyInput!) {
  fillRepresentativeVacancy(input: $input) { postAssignmentId userErrors { field code message } }
}"""
COMPOSITION = """
query($unit: ID!) {
  assemblyComposition(orgUnitId: $unit) { total minimum residentUnits perGroup { group { name } count } warnings }
}"""


def _appoint(env: Env, who: Any, key: str, unit: str | None = None) -> dict[str, Any]:
    start = (local_today() - timedelta(days=10)).isoformat()
    return who(
        APPOINT,
        {
            "input": {
                "orgUnitId": env.community_id,
                "residentId": env.rid(key),
                "termStart": start,
                "residentUnit": unit,
            }
        },
    )["appointRepresentative"]


def test_seats_per_group_and_the_composition_warnings(env: Env) -> None:
    worker = env.call("community_worker")
    for key in ("a1", "a2", "a3"):
        assert _appoint(env, worker, key)["userErrors"] == []
    assert codes(_appoint(env, worker, "minor")) == ["NOT_ADULT"]
    assert _appoint(env, worker, "a4")["userErrors"] == []  # 第二居民小组
    assert _appoint(env, worker, "a5", unit="区第一小学")["userErrors"] == []
    found = worker(COMPOSITION, {"unit": env.community_id})["assemblyComposition"]
    assert found["total"] == 5 and found["minimum"] == 30 and found["residentUnits"] == 1
    assert [(g["group"]["name"], g["count"]) for g in found["perGroup"]] == [
        ("第一居民小组", 3),
        ("第二居民小组", 1),
        ("第三居民小组", 0),
    ]
    assert found["warnings"] == [
        "成员代表 5 名，少于 30 名。",
        "“第二居民小组”只有 1 名代表，少于 2 名。",
        "“第三居民小组”只有 0 名代表，少于 2 名。",
    ]


def test_a_full_group_is_refused(env: Env) -> None:
    env.set_policy("self_governance.representatives.per_group_max", 2)
    worker = env.call("community_worker")
    _appoint(env, worker, "a1")
    _appoint(env, worker, "a2")
    assert codes(_appoint(env, worker, "a3")) == ["GROUP_FULL"]
    assert _appoint(env, worker, "a3", unit="驻区派出所")["userErrors"] == []


def test_a_vacancy_is_filled_from_the_same_group(env: Env) -> None:
    worker = env.call("community_worker")
    seat = _appoint(env, worker, "a1")["postAssignmentId"]
    today = local_today().isoformat()
    other_group = worker(
        FILL, {"input": {"assignmentId": seat, "residentId": env.rid("a4"), "on": today, "reason": "迁出本社区"}}
    )
    assert codes(other_group["fillRepresentativeVacancy"]) == ["NOT_SAME_GROUP"]
    filled = worker(
        FILL, {"input": {"assignmentId": seat, "residentId": env.rid("a3"), "on": today, "reason": "迁出本社区"}}
    )
    assert filled["fillRepresentativeVacancy"]["userErrors"] == []
    rows = env.sql(
        "SELECT r.name, p.ended_on IS NULL, p.predecessor_id IS NOT NULL FROM post_assignment p JOIN resident r ON r.id = p.resident_id ORDER BY p.id"
    )
    assert [(name, bool(open_), bool(succeeds)) for name, open_, succeeds in rows] == [
        ("居民a1", False, False),
        ("居民a3", True, True),
    ]
    assert worker(COMPOSITION, {"unit": env.community_id})["assemblyComposition"]["total"] == 1
    stranger = env.call("community_worker", env.tree.other_community)
    hidden = stranger(FILL, {"input": {"assignmentId": seat, "residentId": env.rid("far"), "on": today, "reason": "x"}})
    assert codes(hidden["fillRepresentativeVacancy"]) == ["NOT_FOUND"]
