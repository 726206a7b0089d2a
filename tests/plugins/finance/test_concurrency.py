"""Two people acting at once on PostgreSQL: the request row is locked
(SELECT … FOR UPDATE) before its state is checked, so a second approval or
a second payment waits for the first and is then refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from core.api.errors import PermissionDeniedError, UserInputError
from plugins.finance import service
from plugins.finance.models import APPROVED, PAID
from tests.plugins.finance.conftest import World

pytestmark = pytest.mark.postgresql_only

# How long each transaction stays open after acting: long enough that,
# without the lock, the other would read the old state too.
HOLD_SECONDS = 0.4


def race(world: World, actors: list[tuple[str, Callable[..., Any]]], *args: Any, **kwargs: Any) -> list[str]:
    """Run each actor's call in its own session and thread, started together;
    returns "ok" or the refusal code of each."""
    barrier = threading.Barrier(len(actors))
    results: list[str] = [""] * len(actors)

    def run(index: int, name: str, fn: Callable[..., Any]) -> None:
        with world.deployment.session_factory() as session:
            principal = world.principal(session, name)
            session.commit()
            barrier.wait()
            try:
                with session.begin():
                    fn(session, principal, *args, **kwargs)
                    time.sleep(HOLD_SECONDS)
                results[index] = "ok"
            except UserInputError as error:
                results[index] = error.errors[0].code
            except PermissionDeniedError:
                results[index] = "FORBIDDEN"

    threads = [threading.Thread(target=run, args=(i, name, fn)) for i, (name, fn) in enumerate(actors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_street_leaders_cannot_both_approve(world: World) -> None:
    second = world.extra_user("street_leader", world.street)
    request_id = world.request("300")
    world.act("chair", service.approve_step, request_id)
    results = race(
        world, [("street_leader", service.approve_step), (str(second.user_id), service.approve_step)], request_id
    )
    assert sorted(results) == ["INVALID_STATUS", "ok"]
    with world.deployment.session_factory() as session:
        request = service.get_request(session, request_id)
        assert request.status == APPROVED
        acted = [s.acted_by_id for s in service.steps_of(session, request) if s.kind == "street"]
        assert len(acted) == 1 and acted[0] is not None


def test_the_same_approver_clicking_twice_approves_once(world: World) -> None:
    request_id = world.request("300")
    results = race(world, [("chair", service.approve_step), ("chair", service.approve_step)], request_id)
    # The first approves the chair step; the second then finds the street step and may not take it.
    assert sorted(results) == ["FORBIDDEN", "ok"]
    with world.deployment.session_factory() as session:
        steps = service.steps_of(session, service.get_request(session, request_id))
        assert [s.status for s in steps] == ["approved", "pending"]


def test_two_payments_at_once_pay_once(world: World) -> None:
    request_id = world.request("80")
    world.approve_all(request_id)
    world.sign_all(request_id)
    results = race(world, [("cashier", service.pay), ("cashier", service.pay)], request_id)
    assert sorted(results) == ["ALREADY_PAID", "ok"]
    with world.deployment.session_factory() as session:
        assert service.get_request(session, request_id).status == PAID


def test_two_bookings_at_once_book_once(world: World) -> None:
    request_id = world.paid("80")
    results = race(world, [("accountant", service.book_expense), ("accountant", service.book_expense)], request_id)
    assert sorted(results) == ["ALREADY_BOOKED", "ok"]
    with world.deployment.session_factory() as session:
        from sqlalchemy import func, select

        from plugins.finance.models import LedgerEntry

        assert (
            session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.request_id == request_id))
            == 1
        )


def test_closing_and_posting_into_the_month_at_once(world: World) -> None:
    """The books of a community are locked while posting and closing: a
    month's closing totals always include every entry dated in it."""
    from datetime import date

    from sqlalchemy import func, select

    from plugins.finance.models import LedgerEntry, MonthClose
    from tests.plugins.finance.conftest import OPENED

    day = date(OPENED.year, 3, 10)
    world.income("100", day)

    def close(session: Any, principal: Any) -> None:
        service.close_month(session, principal, service.community(session, world.community), day)

    def post(session: Any, principal: Any) -> None:
        service.post_income(
            session,
            principal,
            service.community(session, world.community),
            account_id=world.bank,
            category_id=world.categories["401"],
            amount_fen=5_000,
            entry_date=day,
            summary="补记",
            documents=[world.doc(5_000, day, "receipt")],
        )

    for month in (1, 2):
        with world.deployment.session_factory() as session, session.begin():
            service.close_month(
                session, world.principal(session, "accountant"), world.unit(session), date(OPENED.year, month, 1)
            )
    results = race(world, [("accountant", close), ("accountant", post)])
    assert results[0] == "ok" and results[1] in ("ok", "MONTH_CLOSED")
    with world.deployment.session_factory() as session:
        closing = session.scalars(select(MonthClose).where(MonthClose.month == date(OPENED.year, 3, 1))).one()
        booked = session.scalar(
            select(func.sum(LedgerEntry.amount_fen)).where(
                LedgerEntry.entry_date >= date(OPENED.year, 3, 1), LedgerEntry.entry_date <= date(OPENED.year, 3, 31)
            )
        )
        assert closing.income_fen == booked
