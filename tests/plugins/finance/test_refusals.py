"""对不符合规定的支出项目，财会人员有权拒绝支付或报销，必要时可向街道办事处反映
(seed 000): the accountant as well as the cashier refuses, and a refusal
reported to the street is in the street's to-do list until it answers."""

from __future__ import annotations

import pytest

from core.api.errors import UserInputError
from plugins.finance import service
from plugins.finance.models import REFUSED
from tests.plugins.finance.conftest import World, gid

REFUSE = """mutation($input: RefuseExpensePaymentInput!) { refuseExpensePayment(input: $input) {
  request { status refusalReason refusalReportedAt } userErrors { field code message } } }"""
REVIEW = """mutation($input: ReviewRefusedPaymentInput!) { reviewRefusedPayment(input: $input) {
  request { refusalReviewNote refusalReviewedAt } userErrors { field code } } }"""
REPORTED = """query($under: ID!) { financeReportedRefusals(under: $under) { edges { node { title refusalReason waitingFor { action } } } } }"""
TODO = """{ financeTodo { action actionName request { title } } }"""


def test_the_accountant_refuses_and_reports_to_the_street(world: World) -> None:
    request_id = world.request("80")
    world.approve_all(request_id)
    payload = world.users["accountant"](
        REFUSE,
        {
            "input": {
                "requestId": gid("FinanceExpenseRequest", request_id),
                "reason": "招待费不得列支",
                "reportToStreet": True,
            }
        },
    )["refuseExpensePayment"]
    assert payload["userErrors"] == []
    assert payload["request"]["status"] == REFUSED and payload["request"]["refusalReportedAt"] is not None
    street = gid("OrgUnit", world.street)
    listed = world.users["street_leader"](REPORTED, {"under": street})["financeReportedRefusals"]["edges"]
    assert listed == [
        {
            "node": {
                "title": "开支 80 元",
                "refusalReason": "招待费不得列支",
                "waitingFor": [{"action": "review_refusal"}],
            }
        }
    ]
    overview = world.users["street_leader"](
        """query($under: ID!) { financeOverview(under: $under) { refusedPayments unreviewedRefusals } }""",
        {"under": street},
    )["financeOverview"]
    assert overview == [{"refusedPayments": 1, "unreviewedRefusals": 1}]
    todo = world.users["street_staff"](TODO)["financeTodo"]
    assert [(i["action"], i["actionName"]) for i in todo] == [("review_refusal", "待我处理财会人员反映的拒付")]
    # Another street's officer sees nothing of it.
    other = world.sign_in("street_leader", world.other_community)
    assert other(REPORTED, {"under": street})["financeReportedRefusals"]["edges"] == []
    # Someone holding a street role at the community itself does not answer for the street.
    local = world.extra_user("street_leader", world.community)
    local_try = local(REVIEW, {"input": {"requestId": gid("FinanceExpenseRequest", request_id), "note": "同意拒付"}})[
        "reviewRefusedPayment"
    ]
    assert [(e["field"], e["code"]) for e in local_try["userErrors"]] == [("requestId", "NOT_STREET_OFFICIAL")]
    reviewed = world.users["street_leader"](
        REVIEW, {"input": {"requestId": gid("FinanceExpenseRequest", request_id), "note": "拒付正确，已提醒社区"}}
    )["reviewRefusedPayment"]
    assert reviewed["userErrors"] == [] and reviewed["request"]["refusalReviewNote"] == "拒付正确，已提醒社区"
    assert world.users["street_staff"](TODO)["financeTodo"] == []
    assert world.users["street_leader"](REPORTED, {"under": street})["financeReportedRefusals"]["edges"] == []


def test_a_refusal_reported_later_and_only_by_financial_staff(world: World) -> None:
    request_id = world.request("80")
    with pytest.raises(UserInputError) as caught:
        impostor = world.extra_user("accountant", world.community)
        world.act(str(impostor.user_id), service.refuse_payment, request_id, reason="不合规")
    assert [e.code for e in caught.value.errors] == ["NOT_FINANCIAL_STAFF"]
    world.act("cashier", service.refuse_payment, request_id, reason="发票抬头不符")
    world.act("accountant", service.report_refusal, request_id)
    with pytest.raises(UserInputError) as again:
        world.act("cashier", service.report_refusal, request_id)
    assert [e.code for e in again.value.errors] == ["ALREADY_REPORTED"]
    assert [i["action"] for i in world.users["street_leader"](TODO)["financeTodo"]] == ["review_refusal"]
