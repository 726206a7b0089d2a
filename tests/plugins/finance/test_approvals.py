"""Approval by amount (policy thresholds, chain frozen at creation),
signatures (一肩挑), separation of duties at approval and payment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from core.api.errors import PermissionDeniedError, UserInputError
from core.meetings.models import Meeting, MeetingResolution
from core.meetings.service import resolutions_deciding
from core.org import service as org_service
from core.policy.service import set_value
from core.posts import service as posts
from plugins.finance import declarations as d
from plugins.finance import service
from plugins.finance.models import (
    APPROVED,
    BOOKED,
    PAID,
    PENDING,
    REJECTED,
    ExpenseRequest,
    LedgerEntry,
)
from tests.meetings.helpers import assembly_resolution
from tests.plugins.finance.conftest import TODAY, World


def codes(error: UserInputError) -> list[str]:
    return [e.code for e in error.errors]


def refused(world: World, name: str, fn: Callable[..., object], *args: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(UserInputError) as caught:
        world.act(name, fn, *args, **kwargs)
    return codes(caught.value)


def load(world: World, request_id: int) -> ExpenseRequest:
    with world.deployment.session_factory() as session:
        request = service.get_request(session, request_id)
        session.expunge(request)
        return request


@pytest.mark.parametrize(
    ("amount", "steps"),
    [
        ("100.00", ["chair"]),
        ("100.01", ["chair", "street"]),
        ("499.99", ["chair", "street"]),
        # "500元以上" includes 500 (DOMAIN 3.2): the boundary belongs to the assembly's band.
        ("500.00", ["chair", "assembly", "street", "filing"]),
    ],
)
def test_chain_by_amount_from_policy(world: World, amount: str, steps: list[str]) -> None:
    request = load(world, world.request(amount))
    assert request.chain["steps"] == steps
    assert request.chain["signatures"] == ["handler", "chair", "secretary"]


def test_a_600_yuan_expense_approved_by_the_chair_alone_is_not_payable(world: World) -> None:
    request_id = world.request("600")
    world.act("chair", service.approve_step, request_id)
    assert load(world, request_id).status == PENDING
    world.sign_all(request_id)
    assert refused(world, "cashier", service.pay, request_id) == ["NOT_APPROVED"]
    # The chair cannot stand in for the assembly either.
    assert refused(world, "chair", service.approve_step, request_id) == ["ASSEMBLY_RESOLUTION_REQUIRED"]


def test_nobody_approves_their_own_request(world: World) -> None:
    request_id = world.request("2600", by="worker")
    world.act("chair", service.approve_step, request_id)
    # The worker may record assembly resolutions, but not for their own request.
    resolution = {"number": "代〔2026〕2号", "resolution_id": world.assembly_resolution()}
    assert refused(world, "worker", service.record_resolution, request_id, **resolution) == ["APPROVER_IS_REQUESTER"]
    assert refused(world, "worker", service.reject, request_id, reason="不批") == ["APPROVER_IS_REQUESTER"]
    assert load(world, request_id).status == PENDING
    world.act("chair", service.record_resolution, request_id, **resolution)


def test_the_chairs_own_expense_goes_to_the_street_and_a_vice_chair_countersigns(world: World) -> None:
    request_id = world.request("80", by="chair")
    request = load(world, request_id)
    assert request.chain["steps"] == ["street"]
    assert request.chain["signatures"] == ["handler", "vice_chair", "secretary"]
    with pytest.raises(PermissionDeniedError):
        world.act("chair", service.approve_step, request_id)
    assert load(world, request_id).chain["steps"] == ["street"]
    big = load(world, world.request("2600", by="chair"))
    assert big.chain["steps"] == ["assembly", "street", "filing"]
    world.act("street_leader", service.approve_step, request_id)
    world.act("chair", service.sign, request_id, role="handler")
    assert refused(world, "chair", service.sign, request_id, role="vice_chair") == ["NOT_POST_HOLDER"]
    world.act("worker", service.sign, request_id, role="vice_chair")
    world.act("secretary", service.sign, request_id, role="secretary")
    world.act("cashier", service.pay, request_id)
    assert load(world, request_id).status == PAID


def test_the_chair_step_needs_the_chair_in_post(world: World) -> None:
    request_id = world.request("80")
    impostor = world.extra_user("committee_chair", world.community)
    assert refused(world, str(impostor.user_id), service.approve_step, request_id) == ["NOT_POST_HOLDER"]
    with pytest.raises(PermissionDeniedError):
        world.act("accountant", service.approve_step, request_id)
    world.act("chair", service.approve_step, request_id)
    assert load(world, request_id).status == APPROVED


def test_the_street_step_needs_a_grant_above_the_community(world: World) -> None:
    request_id = world.request("300")
    world.act("chair", service.approve_step, request_id)
    local = world.extra_user("street_leader", world.community)
    assert refused(world, str(local.user_id), service.approve_step, request_id) == ["NOT_STREET_OFFICIAL"]
    # The chair cannot take the street's step.
    with pytest.raises(PermissionDeniedError):
        world.act("chair", service.approve_step, request_id)
    world.act("street_leader", service.approve_step, request_id)
    assert load(world, request_id).status == APPROVED


def test_assembly_resolution_is_checked_against_the_quorum(world: World) -> None:
    """The assembly's decision is a resolution of a real assembly meeting of
    this community, its roster the representatives in the posts: adopted,
    quorate, large enough; counts typed in are refused."""
    request_id = world.request("2600")
    world.act("chair", service.approve_step, request_id)
    common = {"number": "代〔2026〕3号"}
    assert refused(world, "chair", service.record_resolution, request_id, **common) == ["ASSEMBLY_MEETING_REQUIRED"]
    adopted = world.assembly_resolution(present=19, votes_for=10)
    typed = refused(
        world, "chair", service.record_resolution, request_id, resolution_id=adopted, attendance=31, **common
    )
    assert typed == ["ATTENDANCE_FROM_MEETING"]
    # 9 of 19 present is not more than half of those present.
    not_passed = refused(
        world,
        "chair",
        service.record_resolution,
        request_id,
        resolution_id=world.assembly_resolution(present=19, votes_for=9, votes_against=5),
        **common,
    )
    assert not_passed == ["RESOLUTION_NOT_ADOPTED"]
    with world.deployment.session_factory() as session, session.begin():
        stale = assembly_resolution(session, world.unit(session), held_on=TODAY, present=20, votes_for=15)
        resolution = session.get(MeetingResolution, stale)
        assert resolution is not None
        meeting = session.get(Meeting, resolution.meeting_id)
        assert meeting is not None
        meeting.quorate = False
        # The policy asks for at least 40 representatives: 31 are too few.
        set_value(
            session,
            world.unit(session),
            d.ASSEMBLY_MIN_REPRESENTATIVES,
            40,
            effective_from=TODAY - timedelta(days=1),
            set_by="test",
            reason="代表不少于40名",
        )
    assert refused(world, "chair", service.record_resolution, request_id, resolution_id=stale, **common) == [
        "QUORUM_NOT_MET"
    ]
    assert refused(world, "chair", service.record_resolution, request_id, resolution_id=adopted, **common) == [
        "TOO_FEW_REPRESENTATIVES"
    ]
    with world.deployment.session_factory() as session, session.begin():
        set_value(
            session,
            world.unit(session),
            d.ASSEMBLY_MIN_REPRESENTATIVES,
            30,
            effective_from=TODAY - timedelta(days=1),
            set_by="test",
            reason="恢复为30名",
        )
    world.act("chair", service.record_resolution, request_id, resolution_id=adopted, **common)
    request = load(world, request_id)
    assert (
        request.assembly_attendance,
        request.assembly_votes_for,
        request.assembly_representatives,
        request.status,
    ) == (19, 10, 31, PENDING)
    assert request.assembly_resolution_id == adopted
    with world.deployment.session_factory() as session:
        assert [r.id for r in resolutions_deciding(session, "ExpenseRequest", request_id)] == [adopted]


def test_another_communitys_assembly_is_not_found(world: World) -> None:
    request_id = world.request("2600")
    world.act("chair", service.approve_step, request_id)
    with world.deployment.session_factory() as session, session.begin():
        other = org_service.create_unit(
            session,
            world.deployment.settings,
            name="小港社区",
            level="community",
            parent_id=world.unit(session).parent_id,
        )
        elsewhere = assembly_resolution(session, other, held_on=TODAY)
    found = refused(
        world, "chair", service.record_resolution, request_id, resolution_id=elsewhere, number="代〔2026〕4号"
    )
    assert found == ["NOT_FOUND"]


def test_a_policy_change_does_not_change_a_chain_under_way(world: World) -> None:
    before = world.request("300")
    with world.deployment.session_factory() as session, session.begin():
        set_value(session, world.unit(session), d.CHAIR_MAX, Decimal(1000), set_by="test", reason="提高主任审批额度")
    after = world.request("300")
    assert load(world, before).chain["steps"] == ["chair", "street"]
    assert load(world, after).chain["steps"] == ["chair"]
    world.act("chair", service.approve_step, before)
    assert load(world, before).status == PENDING  # the street must still agree
    world.act("chair", service.approve_step, after)
    assert load(world, after).status == APPROVED


def test_signatures_handler_chair_secretary(world: World) -> None:
    request_id = world.request("80")
    world.approve_all(request_id)
    assert refused(world, "chair", service.sign, request_id, role="handler") == ["NOT_HANDLER"]
    assert refused(world, "chair", service.sign, request_id, role="secretary") == ["NOT_POST_HOLDER"]
    assert refused(world, "worker", service.sign, request_id, role="vice_chair") == ["SIGNATURE_NOT_REQUIRED"]
    world.act("worker", service.sign, request_id, role="handler")
    world.act("chair", service.sign, request_id, role="chair")
    assert refused(world, "chair", service.sign, request_id, role="chair") == ["ALREADY_SIGNED"]
    assert refused(world, "cashier", service.pay, request_id) == ["SIGNATURES_MISSING"]
    world.act("secretary", service.sign, request_id, role="secretary")
    world.act("cashier", service.pay, request_id)
    assert load(world, request_id).status == PAID


def test_one_person_chair_and_secretary_then_a_vice_chair_signs(world: World) -> None:
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
    request_id = world.request("80", by="accountant")
    assert load(world, request_id).chain["signatures"] == ["handler", "chair", "vice_chair"]
    assert load(world, request_id).chain["chairIsSecretary"] is True
    world.approve_all(request_id)
    world.act("accountant", service.sign, request_id, role="handler")
    world.act("chair", service.sign, request_id, role="chair")
    assert refused(world, "chair", service.sign, request_id, role="vice_chair") == ["NOT_POST_HOLDER"]
    assert refused(world, "secretary", service.sign, request_id, role="secretary") == ["SIGNATURE_NOT_REQUIRED"]
    world.act("worker", service.sign, request_id, role="vice_chair")
    world.act("cashier", service.pay, request_id)


def test_the_same_person_signs_in_one_capacity_only(world: World) -> None:
    with world.deployment.session_factory() as session, session.begin():
        posts.assign(
            session,
            body_id=world.party,
            post_code="deputy_secretary",
            resident_id=world.residents["李娜"],
            term_start=TODAY,
        )
    # The vice-chair (worker) is the handler here; in a 一肩挑 chain they could not also sign as vice-chair.
    request_id = world.request("80")
    world.act("worker", service.sign, request_id, role="handler")
    with world.deployment.session_factory() as session, session.begin():
        request = service.get_request(session, request_id)
        request.chain = {**request.chain, "signatures": ["handler", "chair", "vice_chair"]}
    assert refused(world, "worker", service.sign, request_id, role="vice_chair") == ["SIGNER_ALREADY_SIGNED"]


def test_the_chair_cannot_pay(world: World) -> None:
    request_id = world.request("80")
    world.approve_all(request_id)
    world.sign_all(request_id)
    with pytest.raises(PermissionDeniedError):
        world.act("chair", service.pay, request_id)
    chair_with_cashier_role = world.extra_user("cashier", world.street, resident="王芳")
    assert refused(world, str(chair_with_cashier_role.user_id), service.pay, request_id) == ["CHAIR_CANNOT_PAY"]
    accountant_with_cashier_role = world.extra_user("cashier", world.street, resident="刘洋")
    assert refused(world, str(accountant_with_cashier_role.user_id), service.pay, request_id) == [
        "ACCOUNTANT_CANNOT_PAY"
    ]
    nobody = world.extra_user("cashier", world.street)
    assert refused(world, str(nobody.user_id), service.pay, request_id) == ["NOT_CASHIER"]
    world.act("cashier", service.pay, request_id)
    assert refused(world, "cashier", service.pay, request_id) == ["ALREADY_PAID"]


def test_documents_must_cover_the_amount(world: World) -> None:
    request_id = world.request("80", documents=False)
    world.act("worker", service.add_documents, request_id, [world.doc(5000)])
    world.approve_all(request_id)
    world.sign_all(request_id)
    assert refused(world, "cashier", service.pay, request_id) == ["DOCUMENTS_SHORT"]
    world.act("worker", service.add_documents, request_id, [world.doc(3000)])
    world.act("cashier", service.pay, request_id)


def test_the_handler_withdraws_an_unpaid_request(world: World) -> None:
    request_id = world.request("80")
    assert refused(world, "chair", service.cancel_request, request_id, reason="不需要了") == ["NOT_HANDLER"]
    world.act("worker", service.cancel_request, request_id, reason="活动取消")
    assert load(world, request_id).status == "cancelled"
    assert refused(world, "chair", service.approve_step, request_id) == ["INVALID_STATUS"]
    assert refused(world, "worker", service.cancel_request, request_id, reason="再撤") == ["INVALID_STATUS"]


def test_no_payment_without_documents(world: World) -> None:
    request_id = world.request("80", documents=False)
    world.approve_all(request_id)
    world.sign_all(request_id)
    assert refused(world, "cashier", service.pay, request_id) == ["INFORMAL_IOU"]
    assert refused(world, "chair", service.add_documents, request_id, [world.doc(8000)]) == ["NOT_HANDLER"]
    world.act("worker", service.add_documents, request_id, [world.doc(8000)])
    world.act("cashier", service.pay, request_id)


def test_rejection_and_refusal_are_final_and_recorded(world: World) -> None:
    rejected = world.request("300")
    world.act("chair", service.approve_step, rejected)
    assert refused(world, "street_leader", service.reject, rejected, reason=" ") == ["REQUIRED"]
    world.act("street_leader", service.reject, rejected, reason="超出预算")
    assert (load(world, rejected).status, load(world, rejected).rejection_reason) == (REJECTED, "超出预算")
    assert refused(world, "street_leader", service.approve_step, rejected) == ["INVALID_STATUS"]
    assert refused(world, "cashier", service.pay, rejected) == ["NOT_APPROVED"]
    refused_id = world.request("80")
    world.approve_all(refused_id)
    world.act("cashier", service.refuse_payment, refused_id, reason="发票抬头不符")
    assert load(world, refused_id).refusal_reason == "发票抬头不符"
    assert refused(world, "cashier", service.pay, refused_id) == ["NOT_APPROVED"]


def test_paid_expense_is_booked_once_by_the_accountant(world: World) -> None:
    request_id = world.paid("80")
    with pytest.raises(PermissionDeniedError):
        world.act("cashier", service.book_expense, request_id)
    entry_id = world.act("accountant", service.book_expense, request_id)
    assert refused(world, "accountant", service.book_expense, request_id) == ["ALREADY_BOOKED"]
    with world.deployment.session_factory() as session:
        entry = session.get(LedgerEntry, entry_id)
        assert entry is not None and entry.request_id == request_id and entry.amount_fen == 8000
        assert service.get_request(session, request_id).status == BOOKED
        cash = service.get_account(session, world.cash)
        assert service.account_balance(session, cash, TODAY) == 100_000 - 8000
    unpaid = world.request("80")
    assert refused(world, "accountant", service.book_expense, unpaid) == ["NOT_PAID"]


@pytest.mark.parametrize("preset", ["qingdao-sifang", "jilin"])
def test_locality_presets_set_the_finance_keys(world: World, preset: str) -> None:
    from core.policy.presets import apply_preset, find_preset, load_preset
    from core.policy.registry import registry_for

    with world.deployment.session_factory() as session, session.begin():
        report = apply_preset(
            session,
            registry_for(world.deployment.host),
            load_preset(find_preset(preset)),
            world.unit(session, world.city),
            effective_from=TODAY - timedelta(days=1),
            set_by="test",
        )
        assert report.ok, [(i.key, i.status, i.message) for i in report.items if i.status not in ("set", "unchanged")]
        finance_items = {i.key: i.status for i in report.items if i.key.startswith("finance.")}
        assert finance_items and set(finance_items.values()) <= {"set", "unchanged"}
        unit = world.unit(session)
        chain = service.compute_chain(session, unit, 50_001, TODAY)
        standard = service.funding_standard(session, unit)
    if preset == "qingdao-sifang":
        assert chain["steps"] == ["chair", "assembly", "street", "filing"]  # over 500 yuan
    else:
        assert standard.per_100_households_fen == 150_000 and standard.chair_monthly_fen == 120_000
