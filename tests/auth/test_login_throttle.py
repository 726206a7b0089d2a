"""Sign-in throttling under concurrency, per account and per client address,
without a second pool connection per attempt."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select
from starlette.testclient import TestClient

from core.api.errors import UserInputError
from core.app import Deployment, create_app
from core.auth import passwords, service
from core.auth.config import AuthConfig
from core.auth.models import LoginFailure
from tests.auth.conftest import PASSWORD, MakeUser, at
from tests.conftest import make_settings

WRONG = "wrong-password-2026!"


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many passwords were checked (a known user's or the dummy work for an unknown one)."""
    checks: Counter[str] = Counter()
    lock = threading.Lock()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with lock:
                checks[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(passwords, "verify_password", counting("verify", passwords.verify_password))
    monkeypatch.setattr(passwords, "burn_verification_time", counting("burn", passwords.burn_verification_time))
    yield checks


def attempt(
    deployment: Deployment,
    config: AuthConfig,
    username: str,
    password: str,
    address: str | None = None,
    now: Any = None,
) -> str:
    """``OK`` or the refusal's code."""
    with deployment.session_factory() as session:
        try:
            service.login(session, config, username, password, client_address=address, now=now)
        except UserInputError as error:
            session.rollback()
            return error.errors[0].code
        session.commit()
        return "OK"


def in_parallel(count: int, action: Callable[[], str]) -> list[str]:
    """Run ``action`` in ``count`` threads released at once; their results
    (an exception's class name for anything unexpected)."""
    barrier = threading.Barrier(count)
    results: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            outcome = action()
        except Exception as error:
            outcome = type(error).__name__
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_parallel_wrong_passwords_get_no_more_checks_than_allowed(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser, password_checks: Counter[str]
) -> None:
    make_user("ma.jun")
    results = in_parallel(48, lambda: attempt(deployment, config, "ma.jun", WRONG))
    outcome = Counter(results)
    assert set(outcome) <= {"INVALID_CREDENTIALS", "LOGIN_THROTTLED"}, outcome
    assert 1 <= outcome["INVALID_CREDENTIALS"] <= config.max_failures
    assert sum(password_checks.values()) == outcome["INVALID_CREDENTIALS"]
    # Refused attempts are not counted: the failures are exactly the checked guesses.
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == outcome["INVALID_CREDENTIALS"]


def test_parallel_guesses_at_an_unknown_username_are_throttled_too(
    deployment: Deployment, config: AuthConfig, roles: None, password_checks: Counter[str]
) -> None:
    results = Counter(in_parallel(24, lambda: attempt(deployment, config, "nobody.here", WRONG, "198.51.100.7")))
    assert results["INVALID_CREDENTIALS"] <= config.max_failures
    assert password_checks["burn"] == results["INVALID_CREDENTIALS"]


def test_a_failed_sign_in_holds_one_pool_connection_and_none_while_checking(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("gao.fei")
    held = {"now": 0, "most": 0, "during_check": -1}

    def checkout(*_args: Any) -> None:
        held["now"] += 1
        held["most"] = max(held["most"], held["now"])

    def checkin(*_args: Any) -> None:
        held["now"] -= 1

    verify = passwords.verify_password

    def watched(stored: str, password: str) -> bool:
        held["during_check"] = held["now"]
        return verify(stored, password)

    monkeypatch.setattr(passwords, "verify_password", watched)
    pool = deployment.engine.pool
    event.listen(pool, "checkout", checkout)
    event.listen(pool, "checkin", checkin)
    try:
        assert attempt(deployment, config, "gao.fei", WRONG) == "INVALID_CREDENTIALS"
    finally:
        event.remove(pool, "checkout", checkout)
        event.remove(pool, "checkin", checkin)
    assert held["most"] == 1
    assert held["during_check"] == 0


def test_one_address_guessing_many_usernames_is_locked_out(deployment: Deployment, make_user: MakeUser) -> None:
    make_user("tian.yu")
    config = AuthConfig(max_failures=5, max_failures_per_address=6)
    for minute in range(6):
        assert (
            attempt(deployment, config, f"guess{minute}", WRONG, "203.0.113.9", at(2, minute)) == "INVALID_CREDENTIALS"
        )
    # The address is locked for every username, even with the right password ...
    with deployment.session_factory() as session, pytest.raises(UserInputError) as refused:
        service.login(session, config, "tian.yu", PASSWORD, client_address="203.0.113.9", now=at(2, 7))
    assert refused.value.errors[0].code == "LOGIN_THROTTLED"
    assert "网络地址" in refused.value.errors[0].message
    # ... while another address signs in to the same account.
    assert attempt(deployment, config, "tian.yu", PASSWORD, "203.0.113.10", at(2, 7)) == "OK"
    # The lock ends lockout after the last failure.
    assert attempt(deployment, config, "tian.yu", PASSWORD, "203.0.113.9", at(2, 20)) == "OK"


def test_one_account_guessed_from_many_addresses_is_locked(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("he.ping")
    for minute in range(config.max_failures):
        assert (
            attempt(deployment, config, "he.ping", WRONG, f"192.0.2.{minute}", at(3, minute)) == "INVALID_CREDENTIALS"
        )
    assert attempt(deployment, config, "he.ping", PASSWORD, "192.0.2.200", at(3, 6)) == "LOGIN_THROTTLED"


def test_a_success_clears_the_account_but_not_the_address(deployment: Deployment, make_user: MakeUser) -> None:
    make_user("luo.bin")
    config = AuthConfig(max_failures=5, max_failures_per_address=3)
    address = "203.0.113.50"
    assert attempt(deployment, config, "someone.else", WRONG, address, at(4, 0)) == "INVALID_CREDENTIALS"
    assert attempt(deployment, config, "luo.bin", WRONG, address, at(4, 1)) == "INVALID_CREDENTIALS"
    assert attempt(deployment, config, "luo.bin", PASSWORD, address, at(4, 2)) == "OK"
    with deployment.session_factory() as session:
        left = session.execute(select(LoginFailure.username, LoginFailure.client_address)).all()
    assert [tuple(row) for row in left] == [("someone.else", address)]


def test_sign_in_over_http_is_throttled_per_forwarded_client_address(deployment: Deployment, roles: None) -> None:
    settings = make_settings(
        deployment.settings.database_url, trusted_proxies="127.0.0.1", auth={"max_failures_per_address": 3}
    )
    login = (
        "mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { userErrors { code } } }"
    )
    with TestClient(create_app(settings), client=("127.0.0.1", 4000)) as client:

        def code(username: str, address: str) -> str:
            body = client.post(
                "/graphql",
                json={"query": login, "variables": {"u": username, "p": WRONG}},
                headers={"x-forwarded-for": address},
            )
            return str(body.json()["data"]["login"]["userErrors"][0]["code"])

        assert [code(f"spray{i}", "203.0.113.5") for i in range(3)] == ["INVALID_CREDENTIALS"] * 3
        assert code("spray9", "203.0.113.5") == "LOGIN_THROTTLED"
        assert code("spray9", "203.0.113.6") == "INVALID_CREDENTIALS"
    with deployment.session_factory() as session:
        addresses = Counter(session.scalars(select(LoginFailure.client_address)))
    assert addresses == {"203.0.113.5": 3, "203.0.113.6": 1}
