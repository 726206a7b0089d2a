"""Elderly activities and 敬老 events with participants from the registry."""

from __future__ import annotations

from datetime import timedelta

from core.policy.service import local_today
from tests.plugins.elderly_services.conftest import Env, gid

RECORD = """
mutation($input: RecordElderlyActivityInput!) {
  recordElderlyActivity(input: $input) {
    activity { id title kindName heldOn participantCount participantNames }
    userErrors { field code message }
  }
}
"""
LIST = "query($under: ID!) { elderlyActivities(under: $under) { totalCount nodes { title participantCount } } }"


def test_activity_with_participants_from_the_registry(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    held = (local_today() - timedelta(days=2)).isoformat()
    result = worker(
        RECORD,
        {
            "input": {
                "orgUnitId": gid("OrgUnit", env.tree.community),
                "title": "重阳节敬老茶话会",
                "kind": "respect",
                "heldOn": held,
                "participantIds": [env.rid("alone85"), env.rid("pair70"), env.rid("alone85")],
            }
        },
    )["recordElderlyActivity"]
    assert result["userErrors"] == []
    activity = result["activity"]
    assert activity["kindName"] == "敬老活动"
    assert activity["participantCount"] == 2 and activity["participantNames"] == ["居民alone85", "居民pair70"]
    staff = env.call("street_staff", env.tree.street)
    assert staff(LIST, {"under": gid("OrgUnit", env.tree.street)})["elderlyActivities"]["totalCount"] == 1
    other = env.call("street_staff", env.tree.other_street)
    assert other(LIST, {"under": gid("OrgUnit", env.tree.other_street)})["elderlyActivities"]["totalCount"] == 0


def test_bad_activities_are_refused(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    future = (local_today() + timedelta(days=1)).isoformat()
    base = {"orgUnitId": gid("OrgUnit", env.tree.community)}
    bad = worker(RECORD, {"input": {**base, "title": " ", "kind": "party", "heldOn": future, "participantIds": []}})
    assert {e["code"] for e in bad["recordElderlyActivity"]["userErrors"]} == {
        "TITLE_REQUIRED",
        "UNKNOWN_KIND",
        "HELD_IN_FUTURE",
        "PARTICIPANTS_REQUIRED",
    }
    elsewhere = worker(
        RECORD,
        {
            "input": {
                **base,
                "title": "健康讲座",
                "kind": "health",
                "heldOn": local_today().isoformat(),
                "participantIds": [env.rid("far80")],
            }
        },
    )["recordElderlyActivity"]["userErrors"]
    assert [(e["code"], e["field"]) for e in elsewhere] == [("NOT_FOUND", "participantIds.0")]


def test_activities_fill_the_activity_log(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    held = local_today() - timedelta(days=2)
    unit = gid("OrgUnit", env.tree.community)
    recorded = worker(
        RECORD,
        {
            "input": {
                "orgUnitId": unit,
                "title": "健康讲座",
                "kind": "education",
                "heldOn": held.isoformat(),
                "participantIds": [env.rid("alone85"), env.rid("pair70")],
            }
        },
    )["recordElderlyActivity"]
    assert recorded["userErrors"] == []
    books = worker(
        "query($u: ID!, $y: Int) { archiveBooks(orgUnitId: $u, year: $y) { code entryCount sources } }",
        {"u": unit, "y": held.year},
    )["archiveBooks"]
    log = next(b for b in books if b["code"] == "activity_log")
    assert (log["entryCount"], log["sources"]) == (1, ["老龄服务：老年人活动"])
