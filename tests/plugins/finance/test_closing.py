"""Daily cash reconciliation (日清) and monthly closing (月结): a closed month
is immutable; corrections are reversing entries in an open month."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from core.api.errors import PermissionDeniedError, UserInputError
from plugins.finance import service
from plugins.finance.models import LedgerEntry
from tests.plugins.finance.conftest import OPENED, TODAY, World

JAN = OPENED
FEB = date(OPENED.year, 2, 1)


def codes(error: UserInputError) -> list[str]:
    return [e.code for e in error.errors]


def refused(world: World, name: str, fn: Callable[..., object], *args: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(UserInputError) as caught:
        world.act(name, fn, *args, **kwargs)
    return codes(caught.value)


def close(world: World, month: date, name: str = "accountant") -> int:
    with world.deployment.session_factory() as session, session.begin():
        return service.close_month(session, world.principal(session, name), world.unit(session), month).id


def close_refused(world: World, month: date, name: str = "accountant") -> list[str]:
    with pytest.raises(UserInputError) as caught:
        close(world, month, name)
    return codes(caught.value)


def test_posting_into_a_closed_month_is_refused(world: World) -> None:
    entry = world.income("1000", JAN.replace(day=10))
    close(world, JAN)
    with pytest.raises(UserInputError) as caught:
        world.income("50", JAN.replace(day=20))
    assert codes(caught.value) == ["MONTH_CLOSED"]
    # A correction: a reversing entry in an open month; the original stays.
    assert refused(world, "accountant", service.reverse_entry, entry, entry_date=JAN.replace(day=31), reason="x") == [
        "MONTH_CLOSED"
    ]
    reversal = world.act("accountant", service.reverse_entry, entry, entry_date=FEB.replace(day=3), reason="金额记错")
    with world.deployment.session_factory() as session:
        original, fix = session.get(LedgerEntry, entry), session.get(LedgerEntry, reversal)
        assert original is not None and fix is not None
        assert (original.amount_fen, fix.amount_fen, fix.reverses_id) == (100_000, -100_000, entry)
        bank = service.get_account(session, world.bank)
        assert service.account_balance(session, bank, FEB.replace(day=3)) == 0
    assert refused(world, "accountant", service.reverse_entry, entry, entry_date=FEB.replace(day=4), reason="再冲") == [
        "ALREADY_REVERSED"
    ]
    assert refused(
        world, "accountant", service.reverse_entry, reversal, entry_date=FEB.replace(day=4), reason="再冲"
    ) == ["IS_REVERSAL"]


def test_months_close_in_order_once_and_only_when_over(world: World) -> None:
    world.income("1000", JAN.replace(day=10))
    assert close_refused(world, FEB) == ["EARLIER_MONTH_OPEN"]
    closing = close(world, JAN)
    assert close_refused(world, JAN) == ["ALREADY_CLOSED"]
    assert close_refused(world, TODAY) == ["MONTH_NOT_OVER"]
    with world.deployment.session_factory() as session:
        from plugins.finance.models import MonthClose

        row = session.get(MonthClose, closing)
        assert row is not None and (row.income_fen, row.expense_fen, row.closing_balance_fen) == (100_000, 0, 200_000)


def test_only_the_accountant_closes(world: World) -> None:
    with pytest.raises(PermissionDeniedError):
        close(world, JAN, "cashier")
    cashier_as_accountant = world.extra_user("accountant", world.street, resident="陈静")
    assert close_refused(world, JAN, str(cashier_as_accountant.user_id)) == ["CASHIER_CANNOT_BOOK"]


def test_a_paid_but_unbooked_expense_blocks_closing(world: World) -> None:
    request_id = world.paid("80")
    last_month = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
    with world.deployment.session_factory() as session, session.begin():
        request = service.get_request(session, request_id)
        request.requested_on = request.paid_on = last_month
    month = JAN
    while month < last_month:
        close(world, month)
        month = service.month_end(month) + timedelta(days=1)
    assert close_refused(world, last_month) == ["UNBOOKED_PAYMENTS"]
    world.act("accountant", service.book_expense, request_id)
    close(world, last_month)
    # Paying into the closed month is refused too.
    other = world.request("50")
    world.approve_all(other)
    world.sign_all(other)
    with world.deployment.session_factory() as session, session.begin():
        request = service.get_request(session, other)
        request.requested_on = last_month
        request.decided_at = datetime.combine(last_month, datetime.min.time(), UTC)
    assert refused(world, "cashier", service.pay, other, paid_on=last_month) == ["MONTH_CLOSED"]


def test_daily_cash_count(world: World) -> None:
    day = JAN.replace(day=15)
    count = world.act("cashier", service.record_cash_count, world.cash, count_date=day, counted_fen=100_000)
    with world.deployment.session_factory() as session:
        from plugins.finance.models import CashCount

        row = session.get(CashCount, count)
        assert row is not None and (row.book_fen, row.difference_fen) == (100_000, 0)
    assert refused(world, "cashier", service.record_cash_count, world.cash, count_date=day, counted_fen=100_000) == [
        "ALREADY_COUNTED"
    ]
    short = JAN.replace(day=16)
    assert refused(world, "cashier", service.record_cash_count, world.cash, count_date=short, counted_fen=99_000) == [
        "DIFFERENCE_UNEXPLAINED"
    ]
    world.act(
        "cashier",
        service.record_cash_count,
        world.cash,
        count_date=short,
        counted_fen=99_000,
        note="找零差 10 元，已报告主任",
    )
    with pytest.raises(PermissionDeniedError):
        world.act(
            "accountant", service.record_cash_count, world.cash, count_date=JAN.replace(day=17), counted_fen=100_000
        )
    close(world, JAN)
    assert refused(
        world, "cashier", service.record_cash_count, world.cash, count_date=JAN.replace(day=20), counted_fen=1
    ) == ["MONTH_CLOSED"]


MAR = date(OPENED.year, 3, 1)


def test_a_closing_covers_every_earlier_month(world: World) -> None:
    """January and February are empty; closing March covers them: nothing
    can be booked into them afterwards, and they need no closing of their own."""
    world.income("300", MAR.replace(day=5))
    close(world, MAR)
    with pytest.raises(UserInputError) as caught:
        world.income("50", JAN.replace(day=20))
    assert codes(caught.value) == ["LATER_MONTH_CLOSED"]
    assert caught.value.errors[0].field == "entryDate"
    assert "3 月已月结" in caught.value.errors[0].message
    day = FEB.replace(day=10)
    assert refused(world, "cashier", service.record_cash_count, world.cash, count_date=day, counted_fen=100_000) == [
        "LATER_MONTH_CLOSED"
    ]
    assert close_refused(world, FEB) == ["ALREADY_CLOSED"]


def test_an_earlier_month_with_entries_must_be_closed_first(world: World) -> None:
    world.income("100", JAN.replace(day=10))
    world.income("300", MAR.replace(day=5))
    # February is empty and needs no closing; January has entries and does.
    assert close_refused(world, MAR) == ["EARLIER_MONTH_OPEN"]
    close(world, JAN)
    close(world, MAR)


def test_nothing_is_dated_before_the_books_were_opened(world: World) -> None:
    before = OPENED - timedelta(days=1)
    with pytest.raises(UserInputError) as caught:
        world.income("100", before)
    assert codes(caught.value) == ["BEFORE_BOOKS_OPENED"]
    assert refused(world, "cashier", service.record_cash_count, world.cash, count_date=before, counted_fen=1) == [
        "BEFORE_BOOKS_OPENED"
    ]
    assert close_refused(world, before) == ["BEFORE_BOOKS_OPENED"]
    request_id = world.request("80")
    world.approve_all(request_id)
    world.sign_all(request_id)
    with world.deployment.session_factory() as session, session.begin():
        request = service.get_request(session, request_id)
        request.requested_on = before
        request.decided_at = datetime.combine(before, datetime.min.time(), UTC)
    assert refused(world, "cashier", service.pay, request_id, paid_on=before) == ["BEFORE_BOOKS_OPENED"]


def test_payment_follows_approval_and_booking_follows_payment(world: World) -> None:
    request_id = world.request("80")
    world.approve_all(request_id)
    world.sign_all(request_id)
    yesterday = TODAY - timedelta(days=1)
    with world.deployment.session_factory() as session, session.begin():
        service.get_request(session, request_id).requested_on = yesterday - timedelta(days=1)
    # Approved today: a payment dated yesterday is before the approval.
    assert refused(world, "cashier", service.pay, request_id, paid_on=yesterday) == ["PAID_BEFORE_APPROVAL"]
    assert refused(world, "cashier", service.pay, request_id, paid_on=yesterday - timedelta(days=2)) == [
        "PAID_BEFORE_REQUEST"
    ]
    world.act("cashier", service.pay, request_id, paid_on=TODAY)
    with pytest.raises(UserInputError) as caught:
        world.act("accountant", service.book_expense, request_id, entry_date=yesterday)
    assert codes(caught.value) == ["BOOKED_BEFORE_PAYMENT"] and caught.value.errors[0].field == "entryDate"
    world.act("accountant", service.book_expense, request_id, entry_date=TODAY)
