"""掌管社区经费的社区居委会正、副主任和职业社区工作者离岗时要接受审计 (seed 000):
a chair or vice-chair whose term is marked as managing the funds is a fund
holder like the accountant and the cashier, and is due a departure audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.api.errors import UserInputError
from core.posts import service as posts
from plugins.finance import service
from tests.plugins.finance.conftest import TODAY, World, gid

ASSIGN = """mutation($input: AssignPostInput!) { assignPost(input: $input) { assignment { id managesFunds } userErrors { field code message } } }"""
MARK = """mutation($input: SetPostManagesFundsInput!) { setPostManagesFunds(input: $input) { assignment { managesFunds } userErrors { field code } } }"""
DUE = """query($unit: ID!, $since: Date!) { financeDeparturesDue(orgUnitId: $unit, since: $since) { postCode residentName } }"""


def test_a_departing_chair_who_managed_the_funds_is_audited(world: World) -> None:
    left_on = TODAY - timedelta(days=3)
    with world.deployment.session_factory() as session, session.begin():
        (chair,) = posts.holders(session, world.community, "chair")
        (vice,) = posts.holders(session, world.community, "vice_chair")
        posts.set_manages_funds(session, chair, True)
        posts.end_term(session, chair, ended_on=left_on, reason="任期届满")
        posts.end_term(session, vice, ended_on=left_on, reason="辞职")
        chair_id, vice_id = chair.id, vice.id
        funds = [a.post_code for a in posts.who_holds_funds(session, world.community, left_on - timedelta(days=1))]
        assert sorted(funds) == ["accountant", "cashier", "chair"]
    due = world.users["supervisor"](
        DUE, {"unit": gid("OrgUnit", world.community), "since": str(left_on - timedelta(days=30))}
    )
    # The vice-chair did not manage the funds: no departure audit for them.
    assert due["financeDeparturesDue"] == [{"postCode": "chair", "residentName": "王芳"}]
    with world.deployment.session_factory() as session, session.begin():
        audit = service.start_audit(
            session,
            world.principal(session, "supervisor"),
            world.unit(session),
            kind="departure",
            assignment_id=chair_id,
        )
        assert (audit.period_end, audit.post_assignment_id) == (left_on, chair_id)
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session, session.begin():
        service.start_audit(
            session,
            world.principal(session, "supervisor"),
            world.unit(session),
            kind="departure",
            assignment_id=vice_id,
        )
    assert [e.code for e in caught.value.errors] == ["NOT_FUNDS_HOLDER"]


def test_the_funds_mark_through_the_api(world: World) -> None:
    admin = world.users["street_staff"]
    body, resident = gid("Body", world.committee), gid("Resident", world.residents["孙丽"])
    member = {
        "bodyId": body,
        "postCode": "member",
        "residentId": resident,
        "termStart": str(TODAY),
        "managesFunds": True,
    }
    refused = admin(ASSIGN, {"input": member})["assignPost"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("managesFunds", "NOT_A_FUNDS_POST")]
    vice = admin(ASSIGN, {"input": {**member, "postCode": "vice_chair"}})["assignPost"]
    assert vice["userErrors"] == [] and vice["assignment"]["managesFunds"] is True
    unmarked = admin(MARK, {"input": {"id": vice["assignment"]["id"], "managesFunds": False}})["setPostManagesFunds"]
    assert unmarked == {"assignment": {"managesFunds": False}, "userErrors": []}
    with world.deployment.session_factory() as session:
        (cashier,) = posts.holders(session, world.community, "cashier")
    always = admin(MARK, {"input": {"id": gid("PostAssignment", cashier.id), "managesFunds": False}})[
        "setPostManagesFunds"
    ]
    assert [(e["field"], e["code"]) for e in always["userErrors"]] == [("managesFunds", "ALWAYS_MANAGES_FUNDS")]


def test_a_chair_who_manages_the_funds_does_not_audit_them(world: World) -> None:
    chair_as_auditor = world.extra_user("supervisor", world.community, resident="王芳")
    with world.deployment.session_factory() as session, session.begin():
        (chair,) = posts.holders(session, world.community, "chair")
        posts.set_manages_funds(session, chair, True)
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session, session.begin():
        service.start_audit(
            session,
            world.principal(session, str(chair_as_auditor.user_id)),
            world.unit(session),
            kind="quarterly",
            period_start=TODAY.replace(month=1, day=1),
            period_end=TODAY,
        )
    assert [e.code for e in caught.value.errors] == ["AUDITOR_HANDLES_FUNDS"]
