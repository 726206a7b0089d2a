"""重大不出县: district (county) staff finalize the major cases escalated to
them; the street they passed through can no longer act on them."""

from __future__ import annotations

from core.policy.service import local_today
from tests.plugins.mediation.conftest import (
    ACCEPT,
    CLOSE,
    ESCALATE,
    FOLLOW_UP,
    RESOLVE,
    START,
    Env,
    codes,
    ok,
)
from tests.plugins.mediation.test_cases import register


def test_a_district_user_finalizes_a_case_escalated_past_the_street(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    street = env.call("street_leader", env.tree.street)
    district = env.call("district_staff", env.tree.district)
    case = register(worker, env.tree.community, riskLevel="major")
    cid = case["id"]
    ok(worker(ESCALATE, {"input": {"caseId": cid, "reason": "重大纠纷，超出社区权限"}}), "escalateDisputeCase")
    ok(street(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")
    at_district = ok(
        street(ESCALATE, {"input": {"caseId": cid, "reason": "须县（区）终结处理"}}), "escalateDisputeCase"
    )
    assert at_district["disputeCase"]["orgUnit"]["name"] == "市北区"
    # Past the street: its users no longer act on it.
    assert codes(street(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase") == ["FORBIDDEN"]
    ok(district(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")
    ok(
        district(START, {"input": {"caseId": cid, "mediationType": "joint", "mediators": ["赵磊", "县司法局 王敏"]}}),
        "startMediation",
    )
    assert codes(
        street(RESOLVE, {"input": {"caseId": cid, "outcome": "agreement", "agreement": "赔偿两万元"}}),
        "resolveDisputeCase",
    ) == ["FORBIDDEN"]
    done = ok(
        district(RESOLVE, {"input": {"caseId": cid, "outcome": "agreement", "agreement": "赔偿两万元"}}),
        "resolveDisputeCase",
    )
    assert done["disputeCase"]["resolvedLevel"] == "district" and done["disputeCase"]["canFinalizeHere"]
    visit = {"caseId": cid, "visitedOn": local_today().isoformat(), "agreementKept": True}
    ok(district(FOLLOW_UP, {"input": visit}), "recordFollowUpVisit")
    assert codes(street(CLOSE, {"input": {"caseId": cid}}), "closeDisputeCase") == ["FORBIDDEN"]
    closed = ok(district(CLOSE, {"input": {"caseId": cid}}), "closeDisputeCase")
    assert closed["disputeCase"]["status"] == "closed"
