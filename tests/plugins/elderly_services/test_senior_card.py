"""The senior card (老年人优待证): worklist of residents turning 60 this month
and of everyone 60+ without a card, issuance records, on time within a
policy number of days of the 60th birthday, counts per unit."""

from __future__ import annotations

from datetime import timedelta

from core.policy.service import local_today
from tests.plugins.elderly_services.conftest import Env, gid, set_policy

WORKLIST = """
query($under: ID!, $month: Boolean!, $first: Int, $after: String) {
  seniorCardWorklist(under: $under, turningThisMonth: $month, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { residentName residentId eligibleOn dueBy overdue }
  }
}
"""

ISSUE = """
mutation($input: IssueSeniorCardInput!) {
  issueSeniorCard(input: $input) {
    card { id cardNumber issuedOn eligibleOn onTime residentName }
    userErrors { field code message }
  }
}
"""

COUNTS = """
query($under: ID!) { seniorCardCounts(under: $under) { orgUnit { name } issued onTime } }
"""

ELDERLY = {"居民alone85", "居民pair70", "居民pair68", "居民with_child65", "居民old85", "居民recent60"}


def _worklist(caller, env: Env, month: bool = False) -> list[dict]:
    return caller(WORKLIST, {"under": gid("OrgUnit", env.tree.street), "month": month, "first": 50})[
        "seniorCardWorklist"
    ]["nodes"]


def test_worklist_lists_the_elderly_without_a_card_and_those_turning_60(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    names = [n["residentName"] for n in _worklist(worker, env)]
    already_60 = local_today().day > 1
    assert set(names) == ELDERLY | ({"居民turning60"} if already_60 else set())
    # The longest waiting first (oldest birth date).
    assert names[0] == "居民old85"
    assert [n["residentName"] for n in _worklist(worker, env, month=True)] == ["居民turning60"]
    recent = next(n for n in _worklist(worker, env) if n["residentName"] == "居民recent60")
    assert recent["eligibleOn"] == (local_today() - timedelta(days=10)).isoformat()
    assert recent["dueBy"] == (local_today() + timedelta(days=20)).isoformat()
    assert recent["overdue"] is False
    assert next(n for n in _worklist(worker, env) if n["residentName"] == "居民pair70")["overdue"] is True


def test_issuing_records_the_card_and_whether_it_was_on_time(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    today = local_today().isoformat()
    on_time = worker(ISSUE, {"input": {"residentId": env.rid("recent60"), "cardNumber": "YD001", "issuedOn": today}})[
        "issueSeniorCard"
    ]
    assert on_time["userErrors"] == [] and on_time["card"]["onTime"] is True
    late = worker(ISSUE, {"input": {"residentId": env.rid("pair70"), "cardNumber": "YD002", "issuedOn": today}})[
        "issueSeniorCard"
    ]
    assert late["card"]["onTime"] is False
    assert ELDERLY - {"居民recent60", "居民pair70"} <= {n["residentName"] for n in _worklist(worker, env)}
    assert not {"居民recent60", "居民pair70"} & {n["residentName"] for n in _worklist(worker, env)}
    staff = env.call("street_staff", env.tree.street)
    counts = staff(COUNTS, {"under": gid("OrgUnit", env.tree.street)})["seniorCardCounts"]
    assert counts[0] == {"orgUnit": {"name": "宁夏路街道"}, "issued": 2, "onTime": 1}
    assert counts[1] == {"orgUnit": {"name": "宁安路社区"}, "issued": 2, "onTime": 1}


def test_due_days_are_policy(env: Env) -> None:
    set_policy(env.deployment, env.tree.street, "elderly_services.senior_card.due_days", 5)
    worker = env.call("community_worker", env.tree.community)
    recent = next(n for n in _worklist(worker, env) if n["residentName"] == "居民recent60")
    assert recent["overdue"] is True
    card = worker(
        ISSUE,
        {"input": {"residentId": env.rid("recent60"), "cardNumber": "YD009", "issuedOn": local_today().isoformat()}},
    )["issueSeniorCard"]["card"]
    assert card["onTime"] is False


def test_bad_issuance_is_refused(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    today = local_today().isoformat()
    young = worker(ISSUE, {"input": {"residentId": env.rid("alone40"), "cardNumber": "YD100", "issuedOn": today}})
    assert [e["code"] for e in young["issueSeniorCard"]["userErrors"]] == ["NOT_ELDERLY"]
    future = (local_today() + timedelta(days=1)).isoformat()
    bad = worker(ISSUE, {"input": {"residentId": env.rid("pair68"), "cardNumber": " ", "issuedOn": future}})
    assert {e["code"] for e in bad["issueSeniorCard"]["userErrors"]} == {"CARD_NUMBER_REQUIRED", "ISSUED_IN_FUTURE"}
    assert (
        worker(ISSUE, {"input": {"residentId": env.rid("pair68"), "cardNumber": "YD101", "issuedOn": today}})[
            "issueSeniorCard"
        ]["userErrors"]
        == []
    )
    again = worker(ISSUE, {"input": {"residentId": env.rid("pair68"), "cardNumber": "YD102", "issuedOn": today}})
    assert [e["code"] for e in again["issueSeniorCard"]["userErrors"]] == ["CARD_ALREADY_ISSUED"]
    taken = worker(ISSUE, {"input": {"residentId": env.rid("pair70"), "cardNumber": "YD101", "issuedOn": today}})
    assert [e["code"] for e in taken["issueSeniorCard"]["userErrors"]] == ["CARD_NUMBER_TAKEN"]
    elsewhere = worker(ISSUE, {"input": {"residentId": env.rid("far80"), "cardNumber": "YD103", "issuedOn": today}})
    assert [e["code"] for e in elsewhere["issueSeniorCard"]["userErrors"]] == ["NOT_FOUND"]
    # A grid worker visits but does not issue cards.
    grid_worker = env.call("grid_worker", env.tree.grid)
    refused = grid_worker(ISSUE, {"input": {"residentId": env.rid("pair70"), "cardNumber": "YD104", "issuedOn": today}})
    assert [e["code"] for e in refused["issueSeniorCard"]["userErrors"]] in (["NOT_FOUND"], ["FORBIDDEN"])


def test_queries_refuse_where_the_plugin_is_not_active(env: Env) -> None:
    set_policy(env.deployment, env.tree.other_street, "plugin.elderly_services.active", False)
    other = env.call("community_worker", env.tree.other_community)
    result = other(WORKLIST, {"under": gid("OrgUnit", env.tree.other_street), "month": False}, expect_errors=True)
    assert result["errors"][0]["extensions"]["code"] == "PLUGIN_NOT_ACTIVE"
    issued = other(
        ISSUE, {"input": {"residentId": env.rid("far80"), "cardNumber": "YD200", "issuedOn": local_today().isoformat()}}
    )
    assert [e["code"] for e in issued["issueSeniorCard"]["userErrors"]] == ["PLUGIN_NOT_ACTIVE"]
