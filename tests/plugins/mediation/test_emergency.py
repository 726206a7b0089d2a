"""A case at risk of a group incident or a mass petition goes at once to the
street, where its leaders see it (polling with ``emergencies(since:)``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.plugins.mediation.conftest import FLAG, HAND_DOWN, REGISTER, Env, case_input, codes, gid, ok, set_policy

EMERGENCIES = """query($unit: ID, $since: DateTime) { emergencies(orgUnitId: $unit, since: $since) {
  id title emergency emergencyAt status orgUnit { name } transitions { action reason toOrgUnit { name } } } }"""


def test_an_emergency_at_registration_goes_straight_to_the_street(env: Env) -> None:
    worker = env.call("community_worker", env.tree.grid)
    before = datetime.now(UTC) - timedelta(seconds=5)
    case = ok(
        worker(
            REGISTER,
            {
                "input": case_input(
                    env.tree.grid, riskLevel="major", emergency="mass_petition", source="grid_report", parties=[]
                )
            },
        ),
        "registerDisputeCase",
    )["disputeCase"]
    assert case["status"] == "escalated" and case["orgUnit"]["name"] == "宁夏路街道"
    assert [t["action"] for t in case["transitions"]] == ["register", "emergency_escalate"]
    assert case["transitions"][1]["toOrgUnit"]["name"] == "宁夏路街道"
    leader = env.call("street_leader", env.tree.street)
    seen = leader(EMERGENCIES, {"unit": None, "since": before.isoformat()})["emergencies"]
    assert [c["id"] for c in seen] == [case["id"]] and seen[0]["emergency"] == "mass_petition"
    # Polling from the newest one seen returns nothing new.
    assert leader(EMERGENCIES, {"unit": None, "since": seen[0]["emergencyAt"]})["emergencies"] == []
    # The default window shows recent ones.
    assert len(leader(EMERGENCIES, {"unit": gid("OrgUnit", env.tree.street), "since": None})["emergencies"]) == 1
    # Another street's leader does not see it.
    other = env.call("street_leader", env.tree.other_street)
    assert other(EMERGENCIES, {"unit": None, "since": None})["emergencies"] == []
    naive = leader(EMERGENCIES, {"unit": None, "since": "2026-01-01T00:00:00"}, expect_errors=True)
    assert naive["errors"]


def test_flagging_an_open_case_escalates_and_it_cannot_be_handed_down(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    case = ok(worker(REGISTER, {"input": case_input(env.tree.community)}), "registerDisputeCase")["disputeCase"]
    assert codes(
        worker(FLAG, {"input": {"caseId": case["id"], "emergency": "riot", "reason": "x"}}), "flagDisputeEmergency"
    ) == ["INVALID_VALUE"]
    assert codes(
        worker(FLAG, {"input": {"caseId": case["id"], "emergency": "group_incident", "reason": " "}}),
        "flagDisputeEmergency",
    ) == ["REQUIRED"]
    flagged = ok(
        worker(FLAG, {"input": {"caseId": case["id"], "emergency": "group_incident", "reason": "30 余人聚集"}}),
        "flagDisputeEmergency",
    )["disputeCase"]
    assert flagged["orgUnit"]["name"] == "宁夏路街道" and flagged["transitions"][-1]["reason"].endswith("30 余人聚集")
    street = env.call("street_staff", env.tree.street)
    down = street(
        HAND_DOWN,
        {"input": {"caseId": case["id"], "toOrgUnitId": gid("OrgUnit", env.tree.community), "reason": "回社区"}},
    )
    assert codes(down, "handDownDisputeCase") == ["EMERGENCY_CASE"]


def test_the_emergency_level_is_policy(env: Env) -> None:
    set_policy(env.deployment, env.tree.city, "mediation.emergency.level", "county")
    worker = env.call("community_worker", env.tree.community)
    case = ok(
        worker(REGISTER, {"input": case_input(env.tree.community, emergency="group_incident")}), "registerDisputeCase"
    )["disputeCase"]
    assert case["orgUnit"]["name"] == "市北区"
    # Already at or above that level: flagged, not moved.
    admin = env.call("admin", env.tree.city)
    at_city = ok(
        admin(REGISTER, {"input": case_input(env.tree.city, emergency="group_incident")}), "registerDisputeCase"
    )["disputeCase"]
    assert at_city["orgUnit"]["name"] == "青岛市" and [t["action"] for t in at_city["transitions"]] == [
        "register",
        "flag_emergency",
    ]
