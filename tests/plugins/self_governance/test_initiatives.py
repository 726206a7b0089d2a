"""Residents' initiatives: signatures checked against the registry per basis,
thresholds of DOMAIN 2.7 as policy, the owed meeting in the reporting
calendar (showing missing up the tree), fulfilled by a quorate assembly
meeting of core meetings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.policy.service import local_today
from tests.plugins.self_governance.conftest import Env, codes, gid
from tests.plugins.self_governance.meetings_helper import (
    add_representatives,
    assembly_meeting,
)

OPEN = """
mutation($input: OpenResidentInitiativeInput!) {
  openResidentInitiative(input: $input) { initiative { id status baseCount signaturesNeeded } userErrors { field code message } }
}"""
SIGN = """
mutation($input: SignResidentInitiativeInput!) {
  signResidentInitiative(input: $input) {
    initiative { status signatureCount signaturesNeeded baseCount reachedOn meetingDueOn meetingObligationStatus signerNames }
    userErrors { field code message }
  }
}"""
MEETING = """
mutation($input: RecordInitiativeMeetingInput!) {
  recordInitiativeMeeting(input: $input) {
    initiative { status meetingHeldOn meetingId meetingObligationStatus } userErrors { field code message }
  }
}"""
COMPLETENESS = """
query($unit: ID!) { reportingCompleteness(orgUnitId: $unit, typeCode: "self_governance.initiative_meeting") { missing } }"""


def _open(env: Env, who: Any, basis: str) -> str:
    result = who(
        OPEN,
        {
            "input": {
                "orgUnitId": env.community_id,
                "title": "提议召开临时会议",
                "purpose": "讨论加装电梯",
                "basis": basis,
            }
        },
    )
    assert result["openResidentInitiative"]["userErrors"] == []
    return str(result["openResidentInitiative"]["initiative"]["id"])


def _sign(env: Env, who: Any, initiative: str, key: str) -> dict[str, Any]:
    return who(SIGN, {"input": {"initiativeId": initiative, "residentId": env.rid(key)}})["signResidentInitiative"]


def test_one_fifth_of_adult_residents_owes_a_meeting(env: Env) -> None:
    worker = env.call("community_worker")
    initiative = _open(env, worker, "residents")
    # 7 adult registered residents: one fifth is 1.4, so 2 signatures ("以上" includes the number).
    first = _sign(env, worker, initiative, "a1")
    assert first["initiative"]["status"] == "collecting" and first["initiative"]["signaturesNeeded"] == 2
    assert first["initiative"]["baseCount"] == 7
    assert codes(_sign(env, worker, initiative, "a1")) == ["ALREADY_SIGNED"]
    reached = _sign(env, worker, initiative, "a2")["initiative"]
    assert reached["status"] == "reached" and reached["reachedOn"] == local_today().isoformat()
    assert reached["meetingDueOn"] == (local_today() + timedelta(days=30)).isoformat()
    assert reached["meetingObligationStatus"] == "open"
    assert reached["signerNames"] == ["居民a1", "居民a2"]
    assert codes(_sign(env, worker, initiative, "a3")) == ["NOT_COLLECTING"]


def test_signers_must_be_adult_residents_of_the_community(env: Env) -> None:
    worker = env.call("community_worker")
    initiative = _open(env, worker, "residents")
    assert codes(_sign(env, worker, initiative, "minor")) == ["NOT_ADULT"]
    assert codes(_sign(env, worker, initiative, "gone")) == ["MOVED_OUT"]
    assert codes(_sign(env, worker, initiative, "floating")) == ["FLOATING_NOT_INCLUDED"]
    assert codes(_sign(env, worker, initiative, "far")) == ["NOT_FOUND"]
    assert env.sql("SELECT count(*) FROM selfgov_initiative_signature")[0][0] == 0


def test_the_share_and_its_comparator_are_policy(env: Env) -> None:
    env.set_policy("self_governance.initiative.residents_share", "2/7")
    env.set_policy("self_governance.initiative.comparator", ">")
    worker = env.call("community_worker")
    initiative = _open(env, worker, "residents")
    _sign(env, worker, initiative, "a1")
    # Exactly 2 of 7 is not more than 2/7.
    assert _sign(env, worker, initiative, "a2")["initiative"]["status"] == "collecting"
    assert _sign(env, worker, initiative, "a3")["initiative"]["status"] == "reached"


def test_households_sign_once_each(env: Env) -> None:
    worker = env.call("community_worker")
    initiative = _open(env, worker, "households")
    assert _sign(env, worker, initiative, "a1")["userErrors"] == []
    assert codes(_sign(env, worker, initiative, "a2")) == ["HOUSEHOLD_ALREADY_SIGNED"]
    # 6 households: one fifth needs 2.
    assert _sign(env, worker, initiative, "a3")["initiative"]["status"] == "reached"


def test_residents_groups_propose_once_each(env: Env) -> None:
    worker = env.call("community_worker")
    initiative = _open(env, worker, "groups")
    assert _sign(env, worker, initiative, "a1")["initiative"]["status"] == "reached"  # 1 of 3 groups is one third
    other = _open(env, worker, "groups")
    _sign(env, worker, other, "a1")  # reaches again: a fresh initiative
    third = _open(env, worker, "groups")
    env.set_policy("self_governance.initiative.groups_share", "2/3")
    assert _sign(env, worker, third, "a1")["initiative"]["status"] == "collecting"
    assert codes(_sign(env, worker, third, "a3")) == ["GROUP_ALREADY_SIGNED"]  # same 第一居民小组
    assert _sign(env, worker, third, "a4")["initiative"]["status"] == "reached"


def test_representatives_must_hold_the_post(env: Env) -> None:
    add_representatives(env, ("a1", "a2", "a3"))
    worker = env.call("community_worker")
    initiative = _open(env, worker, "representatives")
    assert codes(_sign(env, worker, initiative, "a4")) == ["NOT_A_REPRESENTATIVE"]
    assert _sign(env, worker, initiative, "a1")["initiative"]["status"] == "reached"


def test_a_quorate_assembly_meeting_fulfils_the_owed_meeting(env: Env) -> None:
    add_representatives(env)
    worker = env.call("community_worker")
    initiative = _open(env, worker, "residents")
    _sign(env, worker, initiative, "a1")
    before = worker(
        MEETING,
        {"input": {"initiativeId": initiative, "meetingId": gid("Meeting", assembly_meeting(env, present=4)[0])}},
    )
    assert codes(before["recordInitiativeMeeting"]) == ["NOT_REACHED"]
    _sign(env, worker, initiative, "a2")
    short, _ = assembly_meeting(env, present=3)  # 3 of 6 is not more than half
    refused = worker(MEETING, {"input": {"initiativeId": initiative, "meetingId": gid("Meeting", short)}})
    assert codes(refused["recordInitiativeMeeting"]) == ["QUORUM_NOT_MET"]
    earlier, _ = assembly_meeting(env, present=4, held_on=local_today() - timedelta(days=1))
    too_early = worker(MEETING, {"input": {"initiativeId": initiative, "meetingId": gid("Meeting", earlier)}})
    assert codes(too_early["recordInitiativeMeeting"]) == ["INVALID_DATE"]
    good, _ = assembly_meeting(env, present=4)
    done = worker(MEETING, {"input": {"initiativeId": initiative, "meetingId": gid("Meeting", good)}})[
        "recordInitiativeMeeting"
    ]
    assert done["userErrors"] == []
    assert done["initiative"]["status"] == "met" and done["initiative"]["meetingObligationStatus"] == "submitted"
    assert done["initiative"]["meetingId"] == gid("Meeting", good)


def test_a_missed_meeting_shows_missing(env: Env) -> None:
    worker = env.call("community_worker")
    initiative = _open(env, worker, "residents")
    _sign(env, worker, initiative, "a1")
    _sign(env, worker, initiative, "a2")
    past = (local_today() - timedelta(days=1)).isoformat()
    env.sql("UPDATE obligation_instance SET due_on = :d", d=past)
    node = worker(
        "query($id: ID!) { node(id: $id) { ... on ResidentInitiative { meetingObligationStatus } } }",
        {"id": initiative},
    )
    assert node["node"]["meetingObligationStatus"] == "missing"
    # The street sees it among its communities' missing obligations.
    staff = env.call("street_staff", env.tree.street)
    seen = staff(COMPLETENESS, {"unit": gid("OrgUnit", env.tree.street)})["reportingCompleteness"]
    assert seen["missing"] == 1
