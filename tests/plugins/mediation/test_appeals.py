"""Resident appeals (居民诉求绿色通道): intake, forwarding with first-handler
responsibility, a policy deadline, feedback with a satisfaction rating, and
overdue appeals surfacing to supervisors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core.policy.service import local_today
from tests.plugins.mediation.conftest import Env, codes, gid, ok, set_policy

APPEAL_FIELDS = "appeal { id status statusName dueOn receivedOn overdue forwardedTo resolution feedback satisfaction appellantName phone orgUnit { name } }"
INTAKE = (
    "mutation($input: IntakeResidentAppealInput!) { intakeResidentAppeal(input: $input) { "
    + APPEAL_FIELDS
    + " userErrors { field code } } }"
)
FORWARD = (
    "mutation($input: ResidentAppealActionInput!) { forwardResidentAppeal(input: $input) { "
    + APPEAL_FIELDS
    + " userErrors { field code } } }"
)
RESOLVE = (
    "mutation($input: ResidentAppealActionInput!) { resolveResidentAppeal(input: $input) { "
    + APPEAL_FIELDS
    + " userErrors { field code } } }"
)
FEEDBACK = (
    "mutation($input: ResidentAppealActionInput!) { giveAppealFeedback(input: $input) { "
    + APPEAL_FIELDS
    + " userErrors { field code } } }"
)
OVERDUE = "query($unit: ID!) { overdueAppeals(orgUnitId: $unit) { id subject dueOn overdue orgUnit { name } } }"
LIST = "query($overdue: Boolean!) { residentAppeals(overdueOnly: $overdue, first: 20) { totalCount nodes { id subject } } }"


def intake(call: Any, unit: int, **overrides: Any) -> dict[str, Any]:
    data = {
        "orgUnitId": gid("OrgUnit", unit),
        "channel": "walk_in",
        "subject": "小区路灯损坏",
        "content": "3 号楼前路灯损坏一个月。",
        "appellantName": "孙女士",
        "phone": "13812345678",
    }
    data.update(overrides)
    return call(INTAKE, {"input": data})["intakeResidentAppeal"]


def test_appeal_lifecycle_with_first_handler_responsibility(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    today = local_today()
    appeal = ok({"x": intake(worker, env.tree.community)}, "x")["appeal"]
    assert appeal["status"] == "received" and appeal["dueOn"] == (today + timedelta(days=15)).isoformat()
    assert appeal["phone"] == "138****5678" and appeal["appellantName"] == "孙女士" and not appeal["overdue"]
    aid = appeal["id"]
    # Feedback comes after the result.
    assert codes(
        {
            "x": worker(FEEDBACK, {"input": {"appealId": aid, "feedback": "x", "satisfaction": "satisfied"}})[
                "giveAppealFeedback"
            ]
        },
        "x",
    ) == ["INVALID_STATUS"]
    assert codes({"x": worker(FORWARD, {"input": {"appealId": aid}})["forwardResidentAppeal"]}, "x") == ["REQUIRED"]
    forwarded = ok(
        {"x": worker(FORWARD, {"input": {"appealId": aid, "office": "区城市管理局"}})["forwardResidentAppeal"]}, "x"
    )["appeal"]
    # Forwarded, the first handler's unit stays responsible.
    assert forwarded["status"] == "forwarded" and forwarded["forwardedTo"] == "区城市管理局"
    assert forwarded["orgUnit"]["name"] == "宁安路社区"
    outsider = env.call("community_worker", env.tree.other_community)
    assert codes(
        {"x": outsider(RESOLVE, {"input": {"appealId": aid, "resolution": "x"}})["resolveResidentAppeal"]}, "x"
    ) == ["NOT_FOUND"]  # another unit's appeal: as if it did not exist
    resolved = ok(
        {"x": worker(RESOLVE, {"input": {"appealId": aid, "resolution": "已更换灯具。"}})["resolveResidentAppeal"]}, "x"
    )
    assert resolved["appeal"]["status"] == "resolved"
    bad = worker(FEEDBACK, {"input": {"appealId": aid, "feedback": "已告知", "satisfaction": "meh"}})[
        "giveAppealFeedback"
    ]
    assert [e["code"] for e in bad["userErrors"]] == ["INVALID_VALUE"]
    closed = ok(
        {
            "x": worker(
                FEEDBACK,
                {"input": {"appealId": aid, "feedback": "已电话告知居民", "satisfaction": "basically_satisfied"}},
            )["giveAppealFeedback"]
        },
        "x",
    )["appeal"]
    assert closed["status"] == "closed" and closed["satisfaction"] == "basically_satisfied"


def test_intake_refuses_bad_input(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    unknown = intake(worker, env.tree.community, residentId=gid("Resident", 999999), appellantName=None)
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]
    bad = intake(worker, env.tree.community, channel="pigeon", subject=" ", phone="123", appellantName=None)
    assert {e["code"] for e in bad["userErrors"]} == {"INVALID_VALUE", "REQUIRED", "INVALID_PHONE"}
    future = intake(worker, env.tree.community, receivedOn=(local_today() + timedelta(days=2)).isoformat())
    assert [e["code"] for e in future["userErrors"]] == ["IN_FUTURE"]
    resident = intake(
        worker, env.tree.community, residentId=gid("Resident", env.tree.residents[1]), appellantName=None, phone=None
    )
    assert resident["appeal"]["appellantName"] == "李娜"


def test_deadline_is_policy_and_overdue_appeals_surface_to_supervisors(env: Env) -> None:
    set_policy(env.deployment, env.tree.street, "mediation.appeal.deadline_days", 7)
    worker = env.call("community_worker", env.tree.community)
    today = local_today()
    late = ok(
        {
            "x": intake(
                worker, env.tree.community, subject="低保复核进度", receivedOn=(today - timedelta(days=10)).isoformat()
            )
        },
        "x",
    )["appeal"]
    assert late["dueOn"] == (today - timedelta(days=3)).isoformat() and late["overdue"]
    fresh = ok({"x": intake(worker, env.tree.community, subject="噪音扰民")}, "x")["appeal"]
    assert fresh["dueOn"] == (today + timedelta(days=7)).isoformat()
    # Closed in time: not overdue even after its deadline.
    done = ok(
        {"x": intake(worker, env.tree.community, subject="路灯", receivedOn=(today - timedelta(days=9)).isoformat())},
        "x",
    )["appeal"]
    ok({"x": worker(RESOLVE, {"input": {"appealId": done["id"], "resolution": "已修"}})["resolveResidentAppeal"]}, "x")
    supervisor = env.call("street_staff", env.tree.street)
    overdue = supervisor(OVERDUE, {"unit": gid("OrgUnit", env.tree.street)})["overdueAppeals"]
    assert [a["subject"] for a in overdue] == ["低保复核进度"]
    assert supervisor(LIST, {"overdue": True})["residentAppeals"]["totalCount"] == 1
    assert supervisor(LIST, {"overdue": False})["residentAppeals"]["totalCount"] == 3
    # The community worker handles appeals but is no supervisor.
    assert worker(OVERDUE, {"unit": gid("OrgUnit", env.tree.community)}, expect_errors=True)["errors"]
    other = env.call("street_staff", env.tree.other_street)
    assert other(LIST, {"overdue": True})["residentAppeals"]["totalCount"] == 0
    assert date.fromisoformat(late["receivedOn"]) < today
