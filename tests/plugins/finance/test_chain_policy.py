"""The approval chain as policy: band boundaries with their comparators
(100元以内 / 100元至500元 / 500元以上 share 100 and 500, DOMAIN 3.2), the
steps of each band, and a village's procedure (两委联席会议 → 村民(代表)会议,
DOMAIN 2.9)."""

from __future__ import annotations

from typing import Any

import pytest

from core.api.errors import UserInputError
from core.policy.service import set_value
from core.posts import service as posts
from plugins.finance import declarations as d
from plugins.finance import service
from plugins.finance.models import APPROVED, PENDING
from tests.plugins.finance.conftest import TODAY, World, gid


def chain(world: World, amount: str, **kwargs: Any) -> dict[str, Any]:
    with world.deployment.session_factory() as session:
        return service.get_request(session, world.request(amount, **kwargs)).chain


def set_policy(world: World, key: Any, value: Any) -> None:
    with world.deployment.session_factory() as session, session.begin():
        set_value(session, world.unit(session), key, value, set_by="test", reason="地方规定")


def test_the_literal_reading_and_a_locality_that_reads_otherwise(world: World) -> None:
    assert chain(world, "100")["tier"] == "chair"
    assert chain(world, "500")["tier"] == "assembly"
    set_policy(world, d.CHAIR_COMPARATOR, "<")
    set_policy(world, d.ASSEMBLY_COMPARATOR, ">")
    assert chain(world, "100")["tier"] == "street"
    assert chain(world, "99.99")["tier"] == "chair"
    found = chain(world, "500")
    assert (found["tier"], found["assemblyComparator"]) == ("street", ">")
    assert chain(world, "500.01")["tier"] == "assembly"


def test_the_steps_of_a_band_come_from_policy(world: World) -> None:
    set_policy(world, d.ASSEMBLY_STEPS, ("assembly", "street"))
    assert chain(world, "2600")["steps"] == ["assembly", "street"]
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session, session.begin():
        set_value(session, world.unit(session), d.STREET_STEPS, ("chair", "mayor"), set_by="test", reason="x")
    assert "mayor" in caught.value.errors[0].message


RESOLVE = """mutation($input: RecordAssemblyResolutionInput!) { recordAssemblyResolution(input: $input) {
  request { status procedure tierName steps { kind kindName resolution { number attendance } } } userErrors { field code message } } }"""


def test_a_village_follows_the_village_procedure(world: World) -> None:
    """The community's residents' committee is replaced by a villagers' committee: a village."""
    with world.deployment.session_factory() as session, session.begin():
        village = posts.create_body(
            session, org_unit_id=world.community, kind="villagers_committee", name="太平角村村民委员会"
        )
        for assignment in posts.holders(session, world.community):
            if assignment.body_id == world.committee:
                posts.end_term(session, assignment, ended_on=TODAY, reason="撤居建村")
                posts.assign(
                    session,
                    body_id=village.id,
                    post_code=assignment.post_code,
                    resident_id=assignment.resident_id,
                    term_start=TODAY,
                    user_id=assignment.user_id,
                )
    assert chain(world, "80")["steps"] == ["chair"]
    assert chain(world, "300")["steps"] == ["joint_meeting"]
    # The head's own small expense goes to the joint meeting of the 两委, not to the township.
    assert chain(world, "80", by="chair")["steps"] == ["joint_meeting"]
    request_id = world.request("2600")
    with world.deployment.session_factory() as session:
        big = service.get_request(session, request_id).chain
    assert (big["steps"], big["procedure"]) == (["joint_meeting", "villagers_meeting"], "village")
    rid = gid("FinanceExpenseRequest", request_id)
    with pytest.raises(UserInputError) as caught:
        world.act("chair", service.approve_step, request_id)
    assert [e.code for e in caught.value.errors] == ["ASSEMBLY_RESOLUTION_REQUIRED"]
    joint = {
        "requestId": rid,
        "meetingDate": str(TODAY),
        "number": "两委〔2026〕5号",
        "representatives": 5,
        "attendance": 2,
        "votesFor": 2,
    }
    refused = world.users["secretary"](RESOLVE, {"input": joint})["recordAssemblyResolution"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("attendance", "NO_QUORUM")]
    assert "两委成员" in refused["userErrors"][0]["message"]
    done = world.users["secretary"](RESOLVE, {"input": {**joint, "attendance": 5, "votesFor": 4}})[
        "recordAssemblyResolution"
    ]
    assert done["userErrors"] == [] and done["request"]["status"] == PENDING
    assert done["request"]["procedure"] == "village" and done["request"]["tierName"].startswith(
        "大额：村“两委”联席会议"
    )
    assert done["request"]["steps"][0]["resolution"] == {"number": "两委〔2026〕5号", "attendance": 5}
    villagers = {**joint, "number": "村民代表会议〔2026〕2号", "representatives": 41, "attendance": 33, "votesFor": 30}
    final = world.users["chair"](RESOLVE, {"input": villagers})["recordAssemblyResolution"]
    assert final["userErrors"] == [] and final["request"]["status"] == APPROVED
    assert [s["kindName"] for s in final["request"]["steps"]] == [
        "村“两委”联席会议研究决定",
        "村民会议或村民代表会议表决通过",
    ]


def test_the_approval_chain_preview_names_the_procedure(world: World) -> None:
    query = """query($unit: ID!, $amount: Decimal!) { financeApprovalChain(orgUnitId: $unit, amount: $amount) { tier tierName steps procedure } }"""
    found = world.users["chair"](query, {"unit": gid("OrgUnit", world.community), "amount": "500"})[
        "financeApprovalChain"
    ]
    assert found["tier"] == "assembly" and found["procedure"] == "community"
    assert found["tierName"] == "大额：居（村）委会主任审批→社区成员代表大会决定→街道办事处分管主任同意→街道办事处备案"
