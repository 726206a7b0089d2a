"""Standardization titles (规范化创建): self-assessment, street review,
democratic evaluation, public notice on the board, district acceptance and
approval, strictly in order, each by its level and with its record."""

from __future__ import annotations

from typing import Any

from core.api.relay import encode_global_id
from core.app import Deployment
from core.board.models import Notice
from core.org import service as org_service
from tests.conftest import SignIn

APPLY = """
mutation($input: ApplyForTitleInput!) { applyForTitle(input: $input) { application { id status nextStep } userErrors { field code message } } }
"""
STEP = """
mutation($input: RecordTitleStepInput!) {
  recordTitleStep(input: $input) { application { status nextStep steps { step passed votesFor } } userErrors { field code message } }
}"""


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def _notice(deployment: Deployment, unit_id: int, status: str) -> str:
    with deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, unit_id)
        notice = Notice(
            org_unit_id=unit.id,
            org_path=unit.path,
            title="合格社区创建公示",
            body="公示七天",
            category="community_affairs",
            status=status,
            publisher_label="社区居委会",
        )
        session.add(notice)
        session.flush()
        return encode_global_id("Notice", notice.id)


def test_the_sequence_in_order_each_by_its_level(
    deployment: Deployment, world: dict[str, Any], sign_in: SignIn
) -> None:
    community = world["communities"][0]
    chair = sign_in("committee_chair", community)
    staff = sign_in("street_staff", world["street"])
    district = sign_in("district_supervisor", world["district"])
    unit = encode_global_id("OrgUnit", community)
    street_apply = staff(APPLY, {"input": {"orgUnitId": unit, "title": "qualified", "selfAssessment": "自评"}})[
        "applyForTitle"
    ]
    assert _codes(street_apply) == ["FORBIDDEN"]
    applied = chair(APPLY, {"input": {"orgUnitId": unit, "title": "qualified", "selfAssessment": "对照标准自查达标"}})[
        "applyForTitle"
    ]
    application = applied["application"]
    assert (application["status"], application["nextStep"]) == ("in_progress", "street_review")
    again = chair(APPLY, {"input": {"orgUnitId": unit, "title": "qualified", "selfAssessment": "再报"}})[
        "applyForTitle"
    ]
    assert _codes(again) == ["ALREADY_APPLIED"]

    def step(caller: Any, name: str, **extra: Any) -> dict[str, Any]:
        data = {"applicationId": application["id"], "step": name, "passed": True, "note": "情况属实", **extra}
        return caller(STEP, {"input": data})["recordTitleStep"]

    assert _codes(step(chair, "democratic_evaluation", votesFor=40, votesTotal=50)) == ["OUT_OF_ORDER"]
    assert _codes(step(chair, "street_review")) == ["FORBIDDEN"]
    assert step(staff, "street_review")["userErrors"] == []
    assert _codes(step(chair, "democratic_evaluation")) == ["VOTES_REQUIRED"]
    assert step(chair, "democratic_evaluation", votesFor=40, votesTotal=50)["userErrors"] == []
    assert _codes(step(chair, "public_notice")) == ["NOTICE_REQUIRED"]
    draft = _notice(deployment, community, "draft")
    assert _codes(step(chair, "public_notice", noticeId=draft)) == ["NOTICE_NOT_PUBLISHED"]
    elsewhere = _notice(deployment, world["communities"][1], "published")
    # Another community's board is out of the chair's scope.
    assert _codes(step(chair, "public_notice", noticeId=elsewhere)) == ["NOT_FOUND"]
    assert step(chair, "public_notice", noticeId=_notice(deployment, community, "published"))["userErrors"] == []
    assert _codes(step(staff, "district_acceptance")) == ["FORBIDDEN"]
    assert step(district, "district_acceptance")["userErrors"] == []
    done = step(district, "approval")
    assert done["application"]["status"] == "approved"
    assert [s["step"] for s in done["application"]["steps"]] == [
        "self_assessment",
        "street_review",
        "democratic_evaluation",
        "public_notice",
        "district_acceptance",
        "approval",
    ]
    assert _codes(step(district, "approval")) == ["CLOSED"]


def test_a_failed_step_ends_the_application(world: dict[str, Any], sign_in: SignIn) -> None:
    community = world["communities"][1]
    chair = sign_in("committee_chair", community)
    staff = sign_in("street_staff", world["street"])
    unit = encode_global_id("OrgUnit", community)
    application = chair(APPLY, {"input": {"orgUnitId": unit, "title": "model", "selfAssessment": "自评"}})[
        "applyForTitle"
    ]["application"]
    failed = staff(
        STEP,
        {"input": {"applicationId": application["id"], "step": "street_review", "passed": False, "note": "台账不全"}},
    )
    assert failed["recordTitleStep"]["application"]["status"] == "rejected"
    late = chair(
        STEP,
        {
            "input": {
                "applicationId": application["id"],
                "step": "democratic_evaluation",
                "passed": True,
                "note": "n",
                "votesFor": 1,
                "votesTotal": 1,
            }
        },
    )
    assert _codes(late["recordTitleStep"]) == ["CLOSED"]
    # Rejected: the community may apply again.
    assert (
        chair(APPLY, {"input": {"orgUnitId": unit, "title": "model", "selfAssessment": "整改后再报"}})["applyForTitle"][
            "userErrors"
        ]
        == []
    )
