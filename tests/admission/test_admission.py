"""Work admission: requirements approved at the level policy names, refusals
of unadmitted subjects, and what completeness counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from core.admission import service as admission
from core.admission.declarations import APPROVAL_LEVEL, COUNT_UNADMITTED
from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from core.policy import service as policy
from core.reporting import service as reporting
from tests.conftest import SignIn

REGISTER = """
mutation($input: RegisterRequirementInput!) {
  registerRequirement(input: $input) { requirement { id status subjects } userErrors { field code message } }
}"""
APPROVE = """
mutation($id: ID!) {
  approveRequirement(input: {id: $id}) { requirement { status approvingUnit { name } } userErrors { field code message } }
}"""
REFUSE = """
mutation($input: RefuseUnadmittedInput!) {
  refuseUnadmitted(input: $input) { refusal { subjectCode subjectKind reason } userErrors { field code message } }
}"""
BURDEN = """
query($u: ID!) { admissionBurden(under: $u) { orgUnit { name } obligations forms unadmitted refused byIssuer { issuer count } } }
"""


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


@pytest.fixture
def tree(deployment: Deployment, root_unit: int) -> dict[str, int]:
    with deployment.session_factory() as session, session.begin():

        def make(name, level, parent):
            return org_service.create_unit(session, deployment.settings, name=name, level=level, parent_id=parent).id

        district = make("市南区", "district", root_unit)
        street = make("八大关街道", "street", district)
        return {
            "city": root_unit,
            "district": district,
            "street": street,
            "a": make("太平角社区", "community", street),
            "b": make("湛山社区", "community", street),
        }


def _input(unit: int, **extra: Any) -> dict[str, Any]:
    return {
        "orgUnitId": encode_global_id("OrgUnit", unit),
        "issuer": "区民政局",
        "title": "政务居务公开",
        "content": "每月在公开栏公开政务、居务。",
        "authority": "种子 000：三公开一监督",
        "staff": "社区居委会成员",
        "fundsNote": "公开栏维护费随事转拨",
        "fundsYuan": 500,
        "validFrom": "2026-01-01",
        "cadence": "monthly",
        "levels": ["community"],
        "subjects": ["board.government_affairs", "board.community_affairs"],
        **extra,
    }


def test_requirement_states_content_authority_staff_and_funds(tree: dict[str, int], sign_in: SignIn) -> None:
    officer = sign_in("district_supervisor", tree["district"])
    bad = officer(
        REGISTER, {"input": _input(tree["street"], content=" ", staff="", fundsNote="", cadence=None, fundsYuan=-1)}
    )
    assert sorted(_codes(bad["registerRequirement"])) == [
        "INVALID_VALUE",
        "REQUIRED",
        "REQUIRED",
        "REQUIRED",
        "REQUIRED",
    ]
    unknown = officer(REGISTER, {"input": _input(tree["street"], subjects=["board.unknown"])})
    assert _codes(unknown["registerRequirement"]) == ["UNKNOWN_OBLIGATION_TYPE"]
    worker = sign_in("community_worker", tree["a"])
    assert _codes(worker(REGISTER, {"input": _input(tree["a"])})["registerRequirement"]) == ["FORBIDDEN"]


def test_approved_at_the_level_policy_names(deployment: Deployment, tree: dict[str, int], sign_in: SignIn) -> None:
    officer = sign_in("district_supervisor", tree["district"])
    made = officer(REGISTER, {"input": _input(tree["street"])})["registerRequirement"]["requirement"]
    assert made["status"] == "draft"
    # Held at the street only: the district approves by default.
    street_officer = sign_in("district_supervisor", tree["street"])
    assert _codes(street_officer(APPROVE, {"id": made["id"]})["approveRequirement"]) == ["FORBIDDEN"]
    approved = officer(APPROVE, {"id": made["id"]})["approveRequirement"]["requirement"]
    assert approved == {"status": "approved", "approvingUnit": {"name": "市南区"}}
    assert _codes(officer(APPROVE, {"id": made["id"]})["approveRequirement"]) == ["INVALID_STATUS"]
    # Where the locality lets the street decide (004: 街道集体研究), the street approves.
    with deployment.session_factory() as session, session.begin():
        district = org_service.get_unit(session, tree["district"])
        policy.set_value(
            session,
            district,
            APPROVAL_LEVEL,
            "subdistrict",
            effective_from=date(2026, 1, 1),
            set_by="test",
            reason="004",
        )
    second = officer(REGISTER, {"input": _input(tree["street"], title="居务公开（二）")})["registerRequirement"][
        "requirement"
    ]
    assert street_officer(APPROVE, {"id": second["id"]})["approveRequirement"]["requirement"]["approvingUnit"] == {
        "name": "八大关街道"
    }


def _approve(deployment: Deployment, unit_id: int, subjects: list[str], valid_from: date = date(2026, 1, 1)) -> None:
    with deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, unit_id)
        data = admission.RequirementInput(
            issuer="区民政局",
            title="政务居务公开",
            content="每月公开",
            authority="000",
            staff="居委会成员",
            funds_note="随事转拨",
            valid_from=valid_from,
            cadence="monthly",
            subjects=subjects,
        )
        admission.approve(
            session, None, admission.register(session, None, unit, data, host=deployment.host), today=valid_from
        )


def test_a_community_refuses_only_what_is_not_admitted(
    deployment: Deployment, tree: dict[str, int], sign_in: SignIn
) -> None:
    _approve(deployment, tree["street"], ["board.government_affairs"])
    chair = sign_in("committee_chair", tree["a"])
    unit = encode_global_id("OrgUnit", tree["a"])
    admitted = chair(
        REFUSE, {"input": {"orgUnitId": unit, "subjectCode": "board.government_affairs", "reason": "不愿意"}}
    )
    assert _codes(admitted["refuseUnadmitted"]) == ["ADMITTED"]
    no_reason = chair(REFUSE, {"input": {"orgUnitId": unit, "subjectCode": "task.fire_survey", "reason": " "}})
    assert _codes(no_reason["refuseUnadmitted"]) == ["REQUIRED"]
    refused = chair(
        REFUSE, {"input": {"orgUnitId": unit, "subjectCode": "task.fire_survey", "reason": "未经准入，也无经费"}}
    )
    assert refused["refuseUnadmitted"]["refusal"] == {
        "subjectCode": "task.fire_survey",
        "subjectKind": "task",
        "reason": "未经准入，也无经费",
    }
    again = chair(REFUSE, {"input": {"orgUnitId": unit, "subjectCode": "task.fire_survey", "reason": "再次"}})
    assert _codes(again["refuseUnadmitted"]) == ["ALREADY_REFUSED"]
    worker = sign_in("community_worker", tree["a"])
    assert _codes(
        worker(REFUSE, {"input": {"orgUnitId": unit, "subjectCode": "task.x", "reason": "r"}})["refuseUnadmitted"]
    ) == ["FORBIDDEN"]


def test_refused_and_unadmitted_obligations_are_not_missing(
    deployment: Deployment, tree: dict[str, int], sign_in: SignIn
) -> None:
    with deployment.session_factory() as session, session.begin():
        reporting.materialize(session, deployment.host, on=date(2026, 3, 10))
    today = date(2026, 3, 20)

    def missing() -> tuple[int, int]:
        with deployment.session_factory() as session:
            street = org_service.get_unit(session, tree["street"])
            found = reporting.completeness(session, street, period_end=date(2026, 2, 28), today=today)
            return found.missing, found.not_admitted

    # February: two board disclosures for each of two communities, none submitted.
    assert missing() == (4, 0)
    chair = sign_in("committee_chair", tree["a"])
    refused = chair(
        REFUSE,
        {
            "input": {
                "orgUnitId": encode_global_id("OrgUnit", tree["a"]),
                "subjectCode": "board.community_affairs",
                "reason": "未经准入",
            }
        },
    )
    assert refused["refuseUnadmitted"]["userErrors"] == []
    assert missing() == (3, 1)
    with deployment.session_factory() as session, session.begin():
        street = org_service.get_unit(session, tree["street"])
        policy.set_value(
            session, street, COUNT_UNADMITTED, False, effective_from=date(2026, 1, 1), set_by="test", reason="001"
        )
    assert missing() == (0, 4)
    _approve(deployment, tree["street"], ["board.government_affairs", "board.community_affairs"])
    # Admitted now: owed again, and the refusal of the unadmitted subject lapses.
    assert missing() == (4, 0)
    burden = chair(BURDEN, {"u": encode_global_id("OrgUnit", tree["a"])})["admissionBurden"]
    assert burden == [
        {
            "orgUnit": {"name": "太平角社区"},
            "obligations": 2,
            "forms": 0,
            "unadmitted": 0,
            "refused": 0,
            "byIssuer": [{"issuer": "区民政局", "count": 2}],
        }
    ]


def test_an_expired_requirement_admits_nothing(deployment: Deployment, tree: dict[str, int]) -> None:
    with deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, tree["street"])
        data = admission.RequirementInput(
            issuer="区民政局",
            title="老事项",
            content="c",
            authority="a",
            staff="s",
            funds_note="f",
            valid_from=date(2025, 1, 1),
            valid_until=date(2025, 12, 31),
            deadline=date(2025, 6, 30),
            subjects=["task.old"],
        )
        admission.approve(session, None, admission.register(session, None, unit, data), today=date(2025, 1, 1))
        community = org_service.get_unit(session, tree["a"])
        assert admission.covering(session, community, "task.old", date(2025, 6, 1)) is not None
        assert admission.covering(session, community, "task.old", date(2026, 1, 1)) is None
        # Asked of another subtree: nothing here.
        assert (
            admission.covering(session, org_service.get_unit(session, tree["district"]), "task.old", date(2025, 6, 1))
            is None
        )
