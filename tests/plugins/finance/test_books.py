"""Books: exact money, vouchers with documents, no informal IOU (白条), and
who may book (the accountant, never the cashier: 钱账分离)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from core.api.errors import PermissionDeniedError, UserInputError
from plugins.finance import service
from plugins.finance.models import LedgerEntry
from tests.plugins.finance.conftest import OPENED, World


def codes(error: UserInputError) -> list[str]:
    return [e.code for e in error.errors]


def test_money_is_exact_fen() -> None:
    assert service.to_fen(Decimal("19.99")) == 1999
    assert service.to_fen("0.10") + service.to_fen("0.20") == service.to_fen("0.30")
    assert service.yuan(1999) == Decimal("19.99")
    with pytest.raises(UserInputError) as caught:
        service.to_fen(Decimal("1.001"))
    assert codes(caught.value) == ["INVALID_AMOUNT"]
    with pytest.raises(UserInputError):
        service.to_fen(Decimal(0))
    with pytest.raises(UserInputError):
        service.to_fen(Decimal(-5))
    untyped: Any = 0.1  # what a caller without type checking might pass
    with pytest.raises(TypeError):
        service.to_fen(untyped)


def test_income_is_booked_with_its_receipt_and_numbered(world: World) -> None:
    first = world.income("5000.00", OPENED.replace(day=5))
    second = world.income("120.50", OPENED.replace(day=6), account="cash")
    with world.deployment.session_factory() as session:
        a, b = session.get(LedgerEntry, first), session.get(LedgerEntry, second)
        assert a is not None and b is not None
        assert (a.amount_fen, a.voucher_number) == (500_000, f"记{OPENED.year}-0001")
        assert b.voucher_number == f"记{OPENED.year}-0002"
        assert a.documents[0]["kind"] == "receipt" and a.documents[0]["amountFen"] == 500_000
        cash = service.get_account(session, world.cash)
        assert service.account_balance(session, cash, OPENED.replace(day=6)) == 100_000 + 12_050


def test_an_entry_without_a_document_is_an_informal_iou(world: World) -> None:
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session, session.begin():
        service.post_income(
            session,
            world.principal(session, "accountant"),
            world.unit(session),
            account_id=world.bank,
            category_id=world.categories["401"],
            amount_fen=100,
            entry_date=OPENED,
            summary="无凭证",
            documents=[],
        )
    assert codes(caught.value) == ["INFORMAL_IOU"]


def test_expenses_are_not_booked_directly(world: World) -> None:
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session, session.begin():
        service.post_income(
            session,
            world.principal(session, "accountant"),
            world.unit(session),
            account_id=world.cash,
            category_id=world.categories["501"],
            amount_fen=100,
            entry_date=OPENED,
            summary="办公费",
            documents=[world.doc(100, OPENED)],
        )
    assert codes(caught.value) == ["WRONG_DIRECTION"]


def _book_income_as(world: World, user_id: int) -> None:
    with world.deployment.session_factory() as session, session.begin():
        service.post_income(
            session,
            world.principal(session, str(user_id)),
            world.unit(session),
            account_id=world.bank,
            category_id=world.categories["401"],
            amount_fen=100,
            entry_date=OPENED,
            summary="经费",
            documents=[world.doc(100, OPENED, "receipt")],
        )


def test_the_cashier_cannot_book(world: World) -> None:
    # The cashier's role carries no booking permission …
    with pytest.raises(PermissionDeniedError):
        _book_income_as(world, world.users["cashier"].user_id)
    # … and someone holding the cashier post is refused even with an accountant's role.
    cashier_as_accountant = world.extra_user("accountant", world.street, resident="陈静")
    with pytest.raises(UserInputError) as caught:
        _book_income_as(world, cashier_as_accountant.user_id)
    assert codes(caught.value) == ["CASHIER_CANNOT_BOOK"]


def test_only_the_accountant_in_post_books(world: World) -> None:
    no_post = world.extra_user("accountant", world.street)
    with pytest.raises(UserInputError) as caught:
        _book_income_as(world, no_post.user_id)
    assert codes(caught.value) == ["NOT_ACCOUNTANT"]
    _book_income_as(world, world.users["accountant"].user_id)


def test_books_open_once_per_community(world: World) -> None:
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session, session.begin():
        service.open_books(session, world.principal(session, "accountant"), world.unit(session), opened_on=OPENED)
    assert codes(caught.value) == ["ALREADY_OPEN"]
    with pytest.raises(UserInputError) as caught, world.deployment.session_factory() as session:
        service.community(session, world.street)
    assert codes(caught.value) == ["NOT_A_COMMUNITY"]
