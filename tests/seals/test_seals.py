"""The seal register: a seal names its custodian post; a use is applied for
with its purpose, approved by someone else, and stamped only by the
custodian once approved — every stamp is an entry in the use log."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.models import User
from core.org import service as org_service
from core.people.models import Resident
from core.posts import service as posts
from tests.conftest import SignedIn, SignIn

REGISTER = """
mutation($input: RegisterSealInput!) { registerSeal(input: $input) { seal { id name custodianPost } userErrors { field code } } }
"""
APPLY = """
mutation($input: ApplySealUseInput!) { applySealUse(input: $input) { sealUse { id status } userErrors { field code } } }
"""
APPROVE = """
mutation($input: SealUseActionInput!) { approveSealUse(input: $input) { sealUse { id status } userErrors { field code } } }
"""
STAMP = """
mutation($input: SealUseActionInput!) { recordSealStamp(input: $input) { sealUse { id status statusName } userErrors { field code } } }
"""
LOG = "query($u: ID!) { seals(orgUnitId: $u) { name uses { purpose documentTitle copies status } } }"


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def _make_chair(deployment: Deployment, community: int, user_id: int) -> None:
    """The user becomes the resident holding the committee chair's post."""
    with deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, community)
        resident = Resident(name="王芳", org_unit_id=unit.id, org_path=unit.path)
        session.add(resident)
        session.flush()
        body = posts.create_body(session, org_unit_id=community, kind="residents_committee", name="团岛社区居委会")
        posts.assign(session, body_id=body.id, post_code="chair", resident_id=resident.id, term_start=date(2024, 1, 1))
        user = session.get(User, user_id)
        assert user is not None
        user.resident_id = resident.id


def test_apply_approve_stamp(deployment: Deployment, root_unit: int, sign_in: SignIn) -> None:
    with deployment.session_factory() as session, session.begin():
        community = org_service.create_unit(
            session, deployment.settings, name="团岛社区", level="community", parent_id=root_unit
        ).id
    unit = encode_global_id("OrgUnit", community)
    worker: SignedIn = sign_in("community_worker", community)
    chair: SignedIn = sign_in("committee_chair", community)
    assert _codes(
        worker(REGISTER, {"input": {"orgUnitId": unit, "name": "团岛社区居委会", "custodianPost": "chair"}})[
            "registerSeal"
        ]
    ) == ["FORBIDDEN"]
    unknown = chair(REGISTER, {"input": {"orgUnitId": unit, "name": "团岛社区居委会", "custodianPost": "keeper"}})
    assert _codes(unknown["registerSeal"]) == ["UNKNOWN_POST"]
    seal = chair(REGISTER, {"input": {"orgUnitId": unit, "name": "团岛社区居委会", "custodianPost": "chair"}})[
        "registerSeal"
    ]["seal"]
    applied = worker(
        APPLY, {"input": {"sealId": seal["id"], "purpose": "出具居住证明", "documentTitle": "居住证明", "copies": 1}}
    )
    use = applied["applySealUse"]["sealUse"]
    assert use["status"] == "applied"
    assert _codes(chair(STAMP, {"input": {"id": use["id"]}})["recordSealStamp"]) == ["NOT_APPROVED"]
    assert _codes(worker(APPROVE, {"input": {"id": use["id"]}})["approveSealUse"]) == ["FORBIDDEN"]
    assert chair(APPROVE, {"input": {"id": use["id"]}})["approveSealUse"]["sealUse"]["status"] == "approved"
    # Approved, but the chair's account is nobody holding the custodian post yet.
    assert _codes(chair(STAMP, {"input": {"id": use["id"]}})["recordSealStamp"]) == ["NOT_CUSTODIAN"]
    _make_chair(deployment, community, chair.user_id)
    stamped = chair(STAMP, {"input": {"id": use["id"]}})["recordSealStamp"]["sealUse"]
    assert (stamped["status"], stamped["statusName"]) == ("stamped", "已用印")
    log = chair(LOG, {"u": unit})["seals"]
    assert log == [
        {
            "name": "团岛社区居委会",
            "uses": [{"purpose": "出具居住证明", "documentTitle": "居住证明", "copies": 1, "status": "stamped"}],
        }
    ]


def test_the_applicant_does_not_approve(deployment: Deployment, root_unit: int, sign_in: SignIn) -> None:
    with deployment.session_factory() as session, session.begin():
        community = org_service.create_unit(
            session, deployment.settings, name="团岛社区", level="community", parent_id=root_unit
        ).id
    chair = sign_in("committee_chair", community)
    seal = chair(
        REGISTER,
        {"input": {"orgUnitId": encode_global_id("OrgUnit", community), "name": "章", "custodianPost": "chair"}},
    )
    seal_id = seal["registerSeal"]["seal"]["id"]
    use = chair(APPLY, {"input": {"sealId": seal_id, "purpose": "盖章", "documentTitle": "证明", "copies": 0}})
    assert _codes(use["applySealUse"]) == ["INVALID_VALUE"]
    use = chair(APPLY, {"input": {"sealId": seal_id, "purpose": "盖章", "documentTitle": "证明"}})["applySealUse"][
        "sealUse"
    ]
    assert _codes(chair(APPROVE, {"input": {"id": use["id"]}})["approveSealUse"]) == ["APPROVER_IS_REQUESTER"]


MAJOR = """
mutation($input: ApplySealUseInput!) {
  applySealUse(input: $input) { sealUse { id major decisionReference decidedOn } userErrors { field code } }
}
"""


def _resolution(deployment: Deployment, community: int, *, adopted: bool = True) -> str:
    """A resolution of the community's representatives' assembly (core meetings)."""
    from core.meetings import service as meetings
    from core.meetings.builtin import ASSEMBLY_KIND
    from core.posts.models import Body
    from tests.meetings.helpers import HELD_ON, TODAY

    with deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, community)
        body = session.query(Body).filter_by(org_unit_id=community, kind="representatives_assembly").one_or_none()
        if body is None:
            body = posts.create_body(
                session, org_unit_id=community, kind="representatives_assembly", name="成员代表大会"
            )
            for index in range(3):
                resident = Resident(name=f"代表{index}", org_unit_id=unit.id, org_path=unit.path)
                session.add(resident)
                session.flush()
                posts.assign(
                    session,
                    body_id=body.id,
                    post_code="representative",
                    resident_id=resident.id,
                    term_start=date(2024, 1, 1),
                )
        meeting = meetings.create_meeting(
            session,
            ASSEMBLY_KIND,
            unit,
            title="成员代表大会",
            held_on=HELD_ON,
            notice_on=date(2026, 6, 15),
            today=TODAY,
        )
        for attendance in meetings.attendance_of(session, meeting):
            meetings.sign_in(session, meeting, attendance.resident_id, today=TODAY)
        resolution = meetings.resolve(
            session,
            meeting,
            text="同意签订物业服务合同",
            votes_for=3 if adopted else 1,
            votes_against=0 if adopted else 2,
            today=TODAY,
        )
        return encode_global_id("MeetingResolution", resolution.id)


def test_a_major_use_is_refused_without_a_collective_decision(
    deployment: Deployment, root_unit: int, sign_in: SignIn
) -> None:
    with deployment.session_factory() as session, session.begin():
        community = org_service.create_unit(
            session, deployment.settings, name="团岛社区", level="community", parent_id=root_unit
        ).id
        neighbour = org_service.create_unit(
            session, deployment.settings, name="八大关社区", level="community", parent_id=root_unit
        ).id
    chair = sign_in("committee_chair", community)
    seal = chair(
        REGISTER,
        {"input": {"orgUnitId": encode_global_id("OrgUnit", community), "name": "章", "custodianPost": "chair"}},
    )
    base = {
        "sealId": seal["registerSeal"]["seal"]["id"],
        "purpose": "签订物业服务合同",
        "documentTitle": "合同",
        "major": True,
    }
    missing = chair(MAJOR, {"input": base})["applySealUse"]
    assert (missing["sealUse"], _codes(missing)) == (None, ["DECISION_REQUIRED"])
    rejected = _resolution(deployment, community, adopted=False)
    assert _codes(chair(MAJOR, {"input": {**base, "resolutionId": rejected}})["applySealUse"]) == [
        "RESOLUTION_NOT_ADOPTED"
    ]
    # Another community's resolution is not this unit's decision.
    elsewhere = _resolution(deployment, neighbour)
    assert _codes(chair(MAJOR, {"input": {**base, "resolutionId": elsewhere}})["applySealUse"]) == ["NOT_FOUND"]
    decided = _resolution(deployment, community)
    done = chair(MAJOR, {"input": {**base, "resolutionId": decided}})["applySealUse"]
    assert done["userErrors"] == []
    assert done["sealUse"]["major"] is True and done["sealUse"]["decidedOn"] == "2026-06-20"
    assert done["sealUse"]["decisionReference"] == "成员代表大会（2026-06-20）决议：同意签订物业服务合同"
    # An ordinary use needs none.
    plain = chair(MAJOR, {"input": {**base, "major": False}})["applySealUse"]["sealUse"]
    assert (plain["major"], plain["decisionReference"]) == (False, None)
