"""The case register and its lifecycle: registration, mediation, remit by
risk level, escalation up the tree and handing down, with every refusal."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from plugins.mediation.models import CaseTransition, DisputeCase
from tests.plugins.mediation.conftest import (
    ACCEPT,
    CLOSE,
    ESCALATE,
    FOLLOW_UP,
    HAND_DOWN,
    REGISTER,
    RESOLVE,
    START,
    Env,
    case_input,
    codes,
    gid,
    ok,
    set_policy,
)

LIST = """query($unit: ID, $status: String) { disputeCases(orgUnitId: $unit, status: $status, first: 50) {
  totalCount nodes { id title status orgUnit { name } } } }"""


def register(call: Any, unit_id: int, **overrides: Any) -> dict[str, Any]:
    return ok(call(REGISTER, {"input": case_input(unit_id, **overrides)}), "registerDisputeCase")["disputeCase"]


def run(call: Any, document: str, field: str, **input: Any) -> dict[str, Any]:
    return call(document, {"input": input})[field]


def test_register_with_a_resident_and_an_outsider(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    resident = gid("Resident", env.tree.residents[0])
    case = register(
        worker,
        env.tree.community,
        parties=[
            {"role": "applicant", "residentId": resident},
            {"role": "respondent", "name": "刘建国", "idNumber": "370203198005124513", "phone": "13905321234"},
        ],
    )
    assert case["status"] == "registered" and case["statusName"] == "已登记"
    assert case["caseNumber"].startswith("调〔") and case["caseNumber"].endswith("号")
    assert case["orgUnit"]["name"] == "宁安路社区" and case["originOrgUnit"]["name"] == "宁安路社区"
    applicant, respondent = case["parties"]
    # The resident's identity comes from the registry, masked.
    assert applicant["isResident"] and applicant["residentId"] == resident and applicant["name"] == "张伟"
    assert applicant["idNumber"].startswith("370203") and "*" in applicant["idNumber"]
    assert applicant["phone"] == "138****1111"
    assert respondent["name"] == "刘建国" and respondent["phone"] == "139****1234"
    assert respondent["idNumber"] == "370203********4513"
    # Facts are masked by default.
    assert "漏水" not in case["facts"] and "已脱敏" in case["facts"]
    assert [t["action"] for t in case["transitions"]] == ["register"]
    assert case["transitions"][0]["userId"] == worker.user_id
    with env.session() as session:
        stored = session.scalars(select(DisputeCase)).one()
        assert "漏水" in stored.facts


def test_register_refuses_bad_input(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    unknown = run(
        worker,
        REGISTER,
        "registerDisputeCase",
        **case_input(env.tree.community, parties=[{"role": "applicant", "residentId": gid("Resident", 999999)}]),
    )
    assert [(e["code"], e["field"]) for e in unknown["userErrors"]] == [("NOT_FOUND", "parties.0.residentId")]
    bad = run(
        worker,
        REGISTER,
        "registerDisputeCase",
        **case_input(
            env.tree.community,
            category="gossip",
            riskLevel="huge",
            title=" ",
            parties=[{"role": "applicant", "name": "刘建国", "idNumber": "370203198005124511", "phone": "12"}],
        ),
    )
    assert {e["code"] for e in bad["userErrors"]} == {"INVALID_VALUE", "REQUIRED", "INVALID_ID_NUMBER", "INVALID_PHONE"}
    nobody = run(worker, REGISTER, "registerDisputeCase", **case_input(env.tree.community, parties=[]))
    assert [e["code"] for e in nobody["userErrors"]] == ["REQUIRED"]
    # Found by screening, the parties may still be unknown.
    found = run(
        worker, REGISTER, "registerDisputeCase", **case_input(env.tree.community, parties=[], source="screening")
    )
    assert found["userErrors"] == []
    with env.session() as session:
        assert len(session.scalars(select(DisputeCase)).all()) == 1


def test_full_lifecycle_of_a_minor_case_in_the_community(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    case = register(worker, env.tree.community)
    cid = case["id"]
    assert case["finalizeLevel"] == "community" and case["canFinalizeHere"]
    # Not yet accepted: cannot mediate.
    assert codes(
        worker(START, {"input": {"caseId": cid, "mediationType": "people", "mediators": ["王秀兰"]}}), "startMediation"
    ) == ["INVALID_STATUS"]
    ok(worker(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")
    assert codes(worker(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase") == ["INVALID_STATUS"]
    assert codes(
        worker(START, {"input": {"caseId": cid, "mediationType": "tea", "mediators": []}}), "startMediation"
    ) == [
        "INVALID_VALUE",
        "REQUIRED",
    ]
    started = ok(
        worker(START, {"input": {"caseId": cid, "mediationType": "people", "mediators": ["王秀兰", "陈志强"]}}),
        "startMediation",
    )
    assert started["disputeCase"]["status"] == "mediating" and started["disputeCase"]["mediators"] == [
        "王秀兰",
        "陈志强",
    ]
    # An agreement needs its text.
    assert codes(worker(RESOLVE, {"input": {"caseId": cid, "outcome": "agreement"}}), "resolveDisputeCase") == [
        "REQUIRED"
    ]
    resolved = ok(
        worker(RESOLVE, {"input": {"caseId": cid, "outcome": "agreement", "agreement": "楼上赔偿 1800 元。"}}),
        "resolveDisputeCase",
    )["disputeCase"]
    assert resolved["status"] == "resolved" and resolved["resolvedLevel"] == "community"
    assert "1800" not in resolved["agreement"]
    assert len(resolved["followUpVisits"]) == 1 and resolved["followUpVisits"][0]["visitedOn"] is None
    # Closing waits for the follow-up visit.
    assert codes(worker(CLOSE, {"input": {"caseId": cid}}), "closeDisputeCase") == ["FOLLOW_UP_REQUIRED"]
    from core.policy.service import local_today

    today = local_today().isoformat()
    visited = ok(
        worker(FOLLOW_UP, {"input": {"caseId": cid, "visitedOn": today, "agreementKept": True, "note": "已赔付"}}),
        "recordFollowUpVisit",
    )["disputeCase"]
    assert visited["status"] == "followed_up" and visited["followUpVisits"][0]["onTime"] is True
    closed = ok(worker(CLOSE, {"input": {"caseId": cid, "reason": "协议履行完毕"}}), "closeDisputeCase")["disputeCase"]
    assert closed["status"] == "closed"
    assert [t["action"] for t in closed["transitions"]] == [
        "register",
        "accept",
        "start_mediation",
        "resolve",
        "follow_up",
        "close",
    ]
    assert all(t["userId"] == worker.user_id for t in closed["transitions"])
    assert codes(worker(ESCALATE, {"input": {"caseId": cid, "reason": "x"}}), "escalateDisputeCase") == [
        "INVALID_STATUS"
    ]


def _to_mediating(call: Any, cid: str) -> None:
    ok(call(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")
    ok(call(START, {"input": {"caseId": cid, "mediationType": "joint", "mediators": ["赵磊"]}}), "startMediation")


def test_an_ordinary_case_cannot_be_finalized_in_the_community_and_escalates(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    street = env.call("street_staff", env.tree.street)
    case = register(worker, env.tree.community, riskLevel="ordinary")
    cid = case["id"]
    assert case["finalizeLevel"] == "street" and not case["canFinalizeHere"]
    _to_mediating(worker, cid)
    refused = worker(RESOLVE, {"input": {"caseId": cid, "outcome": "reconciled"}})["resolveDisputeCase"]
    assert [e["code"] for e in refused["userErrors"]] == ["ABOVE_REMIT"]
    assert "街道" in refused["userErrors"][0]["message"]
    # Escalation needs a reason.
    assert codes(worker(ESCALATE, {"input": {"caseId": cid}}), "escalateDisputeCase") == ["REQUIRED"]
    escalated = ok(
        worker(ESCALATE, {"input": {"caseId": cid, "reason": "涉及外来务工人员，超出社区权限"}}), "escalateDisputeCase"
    )["disputeCase"]
    assert escalated["status"] == "escalated" and escalated["orgUnit"]["name"] == "宁夏路街道"
    last = escalated["transitions"][-1]
    assert (last["action"], last["fromOrgUnit"]["name"], last["toOrgUnit"]["name"]) == (
        "escalate",
        "宁安路社区",
        "宁夏路街道",
    )
    assert last["reason"] == "涉及外来务工人员，超出社区权限"
    # The community still sees the case it registered, but no longer acts on it.
    listed = worker(LIST, {"unit": None, "status": None})["disputeCases"]
    assert [n["orgUnit"]["name"] for n in listed["nodes"]] == ["宁夏路街道"]
    assert codes(worker(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase") == ["FORBIDDEN"]
    # The street holds it now and may finalize it.
    _to_mediating(street, cid)
    done = ok(street(RESOLVE, {"input": {"caseId": cid, "outcome": "reconciled"}}), "resolveDisputeCase")["disputeCase"]
    assert done["resolvedLevel"] == "street" and done["canFinalizeHere"]


def test_remit_is_locality_policy(env: Env) -> None:
    set_policy(env.deployment, env.tree.street, "mediation.finalize_level.ordinary", "grassroots")
    worker = env.call("community_worker", env.tree.community)
    case = register(worker, env.tree.community, riskLevel="ordinary")
    assert case["finalizeLevel"] == "community"
    _to_mediating(worker, case["id"])
    ok(worker(RESOLVE, {"input": {"caseId": case["id"], "outcome": "referred"}}), "resolveDisputeCase")
    # Referred to court: no follow-up visit, closed at once.
    closed = ok(worker(CLOSE, {"input": {"caseId": case["id"]}}), "closeDisputeCase")["disputeCase"]
    assert closed["status"] == "closed" and closed["followUpVisits"] == []


def test_a_major_case_goes_to_the_district_and_no_further(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    street = env.call("street_leader", env.tree.street)
    admin = env.call("admin", env.tree.city)
    case = register(worker, env.tree.community, riskLevel="major")
    cid = case["id"]
    ok(worker(ESCALATE, {"input": {"caseId": cid, "reason": "重大纠纷"}}), "escalateDisputeCase")
    _to_mediating(street, cid)
    assert codes(street(RESOLVE, {"input": {"caseId": cid, "outcome": "reconciled"}}), "resolveDisputeCase") == [
        "ABOVE_REMIT"
    ]
    at_district = ok(street(ESCALATE, {"input": {"caseId": cid, "reason": "需县级调处"}}), "escalateDisputeCase")[
        "disputeCase"
    ]
    assert at_district["orgUnit"]["name"] == "市北区"
    # Not yet taken by the district: it cannot be passed on.
    assert codes(admin(ESCALATE, {"input": {"caseId": cid, "reason": "再上报"}}), "escalateDisputeCase") == [
        "INVALID_STATUS"
    ]
    ok(admin(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")
    # The district is the top of the three levels: no further.
    top = admin(ESCALATE, {"input": {"caseId": cid, "reason": "再上报"}})["escalateDisputeCase"]
    assert [e["code"] for e in top["userErrors"]] == ["TOP_LEVEL_REACHED"]
    ok(admin(START, {"input": {"caseId": cid, "mediationType": "joint", "mediators": ["赵磊"]}}), "startMediation")
    done = ok(admin(RESOLVE, {"input": {"caseId": cid, "outcome": "reconciled"}}), "resolveDisputeCase")["disputeCase"]
    assert done["resolvedLevel"] == "district"
    with env.session() as session:
        actions = session.scalars(select(CaseTransition.action).order_by(CaseTransition.id)).all()
    assert actions.count("escalate") == 2


def test_the_top_level_is_policy_and_the_root_never_escalates(env: Env) -> None:
    set_policy(env.deployment, env.tree.city, "mediation.escalation.top_level", "city")
    admin = env.call("admin", env.tree.city)
    case = register(admin, env.tree.district, riskLevel="major")
    ok(admin(ESCALATE, {"input": {"caseId": case["id"], "reason": "市级督办"}}), "escalateDisputeCase")
    ok(admin(ACCEPT, {"input": {"caseId": case["id"]}}), "acceptDisputeCase")
    assert codes(admin(ESCALATE, {"input": {"caseId": case["id"], "reason": "x"}}), "escalateDisputeCase") == [
        "TOP_LEVEL_REACHED"
    ]


def test_hand_down_only_below_the_holder(env: Env) -> None:
    street = env.call("street_staff", env.tree.street)
    case = register(street, env.tree.street)
    cid = case["id"]
    wrong = street(
        HAND_DOWN, {"input": {"caseId": cid, "toOrgUnitId": gid("OrgUnit", env.tree.other_community), "reason": "x"}}
    )
    assert codes(wrong, "handDownDisputeCase") == ["NOT_BELOW_HOLDER"]
    sideways = street(
        HAND_DOWN, {"input": {"caseId": cid, "toOrgUnitId": gid("OrgUnit", env.tree.street), "reason": "x"}}
    )
    assert codes(sideways, "handDownDisputeCase") == ["NOT_BELOW_HOLDER"]
    down = ok(
        street(
            HAND_DOWN,
            {"input": {"caseId": cid, "toOrgUnitId": gid("OrgUnit", env.tree.community), "reason": "由社区就地化解"}},
        ),
        "handDownDisputeCase",
    )["disputeCase"]
    assert down["status"] == "handed_down" and down["orgUnit"]["name"] == "宁安路社区"
    worker = env.call("community_worker", env.tree.community)
    assert ok(worker(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")["disputeCase"]["status"] == "accepted"


def test_hand_down_to_another_street_is_refused(env: Env) -> None:
    admin = env.call("admin", env.tree.city)
    case = register(admin, env.tree.street)
    wrong = admin(
        HAND_DOWN,
        {"input": {"caseId": case["id"], "toOrgUnitId": gid("OrgUnit", env.tree.other_community), "reason": "x"}},
    )
    assert codes(wrong, "handDownDisputeCase") == ["NOT_BELOW_HOLDER"]


def test_scope_and_permissions(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    outsider = env.call("community_worker", env.tree.other_community)
    building_head = env.call("building_head", env.tree.building)
    case = register(worker, env.tree.community)
    assert outsider(LIST, {"unit": None, "status": None})["disputeCases"]["totalCount"] == 0
    # Another unit's case: the same answer as a case that does not exist.
    assert codes(outsider(ACCEPT, {"input": {"caseId": case["id"]}}), "acceptDisputeCase") == ["NOT_FOUND"]
    # Registering elsewhere is refused.
    assert codes(outsider(REGISTER, {"input": case_input(env.tree.community)}), "registerDisputeCase") == ["FORBIDDEN"]
    # A building head reports events but keeps no case register.
    assert codes(building_head(REGISTER, {"input": case_input(env.tree.building)}), "registerDisputeCase") == [
        "FORBIDDEN"
    ]
    denied = building_head(LIST, {"unit": None, "status": None}, expect_errors=True)
    assert denied["errors"]
    node = outsider("query($id: ID!) { node(id: $id) { id } }", {"id": case["id"]})
    assert node["node"] is None
    street = env.call("street_leader", env.tree.street)
    assert (
        street(LIST, {"unit": gid("OrgUnit", env.tree.community), "status": "registered"})["disputeCases"]["totalCount"]
        == 1
    )


def test_refused_where_the_plugin_is_not_active(env: Env) -> None:
    set_policy(env.deployment, env.tree.other_street, "plugin.mediation.active", False)
    admin = env.call("admin", env.tree.city)
    assert codes(admin(REGISTER, {"input": case_input(env.tree.other_community)}), "registerDisputeCase") == [
        "PLUGIN_NOT_ACTIVE"
    ]
    ok(admin(REGISTER, {"input": case_input(env.tree.community)}), "registerDisputeCase")
