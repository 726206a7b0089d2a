"""一肩挑: when the chair is also the party secretary, a vice-chair signs
besides the handler and the chair; when the chair-secretary handles their own
expense, two vice-chairs sign besides them (三人以上签字), and a request that
could never be signed is refused at filing. ``financeTodo`` names who must act."""

from __future__ import annotations

import pytest

from core.api.errors import UserInputError
from core.posts import service as posts
from plugins.finance import service
from plugins.finance.models import PAID
from tests.plugins.finance.conftest import TODAY, World


def one_shoulder(world: World) -> None:
    """王芳, the chair, becomes party secretary too."""
    with world.deployment.session_factory() as session, session.begin():
        (secretary,) = posts.holders(session, world.community, "secretary")
        posts.end_term(session, secretary, ended_on=TODAY, reason="一肩挑")
        posts.assign(
            session,
            body_id=world.party,
            post_code="secretary",
            resident_id=world.residents["王芳"],
            term_start=TODAY,
            user_id=world.users["chair"].user_id,
        )


def second_vice_chair(world: World) -> str:
    """赵磊 becomes a second vice-chair with a user account; returns the account's name in ``world``."""
    signed = world.extra_user("community_worker", world.community)
    with world.deployment.session_factory() as session, session.begin():
        posts.assign(
            session,
            body_id=world.committee,
            post_code="vice_chair",
            resident_id=world.residents["赵磊"],
            term_start=TODAY,
            user_id=signed.user_id,
        )
    world.users["vice2"] = signed
    return "vice2"


def test_the_chair_secretary_handling_their_own_expense_needs_two_vice_chairs(world: World) -> None:
    one_shoulder(world)
    with pytest.raises(UserInputError) as caught:
        world.request("80", by="chair")
    (error,) = caught.value.errors
    assert error.code == "NO_SUBSTITUTE_SIGNER" and error.field == "orgUnitId"
    assert "副主任" in error.message and "1 名" in error.message
    vice2 = second_vice_chair(world)
    request_id = world.request("80", by="chair")
    with world.deployment.session_factory() as session:
        request = service.get_request(session, request_id)
        assert request.chain["signatures"] == ["handler", "vice_chair", "second_vice_chair"]
        assert request.chain["steps"] == ["street"]
    world.act("street_leader", service.approve_step, request_id)
    world.act("chair", service.sign, request_id, role="handler")
    world.act("worker", service.sign, request_id, role="vice_chair")
    with pytest.raises(UserInputError) as again:
        world.act("worker", service.sign, request_id, role="second_vice_chair")
    assert [e.code for e in again.value.errors] == ["SIGNER_ALREADY_SIGNED"]
    world.act(vice2, service.sign, request_id, role="second_vice_chair")
    world.act("cashier", service.pay, request_id)
    with world.deployment.session_factory() as session:
        assert service.get_request(session, request_id).status == PAID


TODO = """{ financeTodo { action request { title } waitingFor { action actionName capacity people note } } }"""
REQUESTS = (
    """{ financeExpenseRequests(first: 5) { edges { node { status waitingFor { action capacity people note } } } } }"""
)


def test_todo_and_requests_name_who_must_act(world: World) -> None:
    one_shoulder(world)
    second_vice_chair(world)
    request_id = world.request("80", by="chair")
    items = world.users["street_leader"](TODO)["financeTodo"]
    assert [i["action"] for i in items] == ["approve"]
    waiting = items[0]["waitingFor"]
    assert [(w["action"], w["capacity"]) for w in waiting] == [
        ("approve", "street"),
        ("sign", "handler"),
        ("sign", "vice_chair"),
        ("sign", "second_vice_chair"),
    ]
    vice = {w["capacity"]: w["people"] for w in waiting}
    # The chair-secretary is the handler: never offered as a countersigner.
    assert vice["vice_chair"] == ["李娜", "赵磊"] and "王芳" not in vice["second_vice_chair"]
    world.act("street_leader", service.approve_step, request_id)
    world.act("worker", service.sign, request_id, role="vice_chair")
    nodes = world.users["chair"](REQUESTS)["financeExpenseRequests"]["edges"]
    waiting = nodes[0]["node"]["waitingFor"]
    assert [(w["action"], w["capacity"], w["people"]) for w in waiting] == [
        ("sign", "handler", [world_name(world, "chair")]),
        ("sign", "second_vice_chair", ["赵磊"]),
    ]


def world_name(world: World, user: str) -> str:
    from core.auth.models import User

    with world.deployment.session_factory() as session:
        found = session.get(User, world.users[user].user_id)
        assert found is not None
        return found.display_name


def test_a_request_stuck_for_want_of_a_signer_says_so(world: World) -> None:
    """The vice-chair leaves after filing: the todo says nobody can sign."""
    one_shoulder(world)
    request_id = world.request("80", by="accountant")
    with world.deployment.session_factory() as session, session.begin():
        (vice,) = posts.holders(session, world.community, "vice_chair")
        posts.end_term(session, vice, ended_on=TODAY, reason="辞职")
    nodes = world.users["chair"](REQUESTS)["financeExpenseRequests"]["edges"]
    (vice_chair,) = [w for w in nodes[0]["node"]["waitingFor"] if w["capacity"] == "vice_chair"]
    assert vice_chair["people"] == [] and "无人能签" in vice_chair["note"]
    assert request_id


def test_the_handler_sees_their_own_request_waiting_for_others(world: World) -> None:
    one_shoulder(world)
    second_vice_chair(world)
    request_id = world.request("80", by="chair")
    # Before signing: the handler's signature is theirs to give; the
    # chair-secretary is never offered a countersignature on it.
    assert [i["action"] for i in world.users["chair"](TODO)["financeTodo"]] == ["sign_handler"]
    world.act("chair", service.sign, request_id, role="handler")
    (item,) = world.users["chair"](TODO)["financeTodo"]
    assert item["action"] == "await"
    assert [(w["action"], w["capacity"]) for w in item["waitingFor"]] == [
        ("approve", "street"),
        ("sign", "vice_chair"),
        ("sign", "second_vice_chair"),
    ]
