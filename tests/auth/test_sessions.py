"""Sign-in, throttling, sessions, logout and password change (service level,
with an injected clock)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from core.api.errors import UserInputError
from core.app import Deployment
from core.auth import passwords, service
from core.auth.config import AuthConfig
from core.auth.models import LoginFailure, User, UserSession
from core.auth.permissions import Principal
from core.db import as_utc
from tests.auth.conftest import PASSWORD, MakeUser, Tree, at


def _login(
    deployment: Deployment, config: AuthConfig, username: str, password: str, now: datetime | None = None
) -> service.SignIn:
    with deployment.session_factory() as session:
        try:
            signed_in = service.login(session, config, username, password, now=now)
        except BaseException:
            session.rollback()
            raise
        session.commit()
        return signed_in


def _refusal(
    deployment: Deployment, config: AuthConfig, username: str, password: str, now: datetime | None = None
) -> tuple[str, str, str | None]:
    with pytest.raises(UserInputError) as excinfo:
        _login(deployment, config, username, password, now)
    error = excinfo.value.errors[0]
    return error.code, error.message, error.field


def _principal(deployment: Deployment, token: str | None, now: datetime | None = None) -> Principal | None:
    with deployment.session_factory() as session:
        return service.principal_for_token(session, token, now=now)


def test_login_returns_a_token_of_which_only_the_hash_is_stored(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser, tree: Tree
) -> None:
    user_id = make_user("Wang.Li", ("grid_worker", tree.grid), display_name="王丽")
    signed_in = _login(deployment, config, "  WANG.LI ", PASSWORD)
    assert signed_in.token.startswith("jcs_") and len(signed_in.token) == 47
    with deployment.session_factory() as session:
        stored = session.scalars(select(UserSession)).one()
        assert stored.token_hash == hashlib.sha256(signed_in.token.encode()).hexdigest()
        assert signed_in.token not in {str(v) for v in vars(stored).values()}
    found = _principal(deployment, signed_in.token)
    assert found is not None
    assert (found.id, found.username, found.display_name) == (user_id, "wang.li", "王丽")
    assert found.session_id == stored.id


def test_wrong_password_and_unknown_user_get_the_same_error(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("zhang.wei")
    wrong_password = _refusal(deployment, config, "zhang.wei", PASSWORD + "x")
    unknown_user = _refusal(deployment, config, "no.such.person", PASSWORD)
    assert wrong_password == unknown_user == ("INVALID_CREDENTIALS", "用户名或密码错误。", None)


def test_deactivated_user_cannot_sign_in_and_loses_sessions_at_once(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    user_id = make_user("li.na")
    token = _login(deployment, config, "li.na", PASSWORD).token
    with deployment.session_factory() as session, session.begin():
        session.get_one(User, user_id).is_active = False
    assert _principal(deployment, token) is None
    assert _refusal(deployment, config, "li.na", PASSWORD)[0] == "INVALID_CREDENTIALS"


def test_throttling_locks_after_five_failures_and_unlocks_after_the_lockout(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("chen.jing")
    for minute in range(5):
        assert _refusal(deployment, config, "chen.jing", "wrong-password!", at(2, minute))[0] == "INVALID_CREDENTIALS"
    # Locked: even the right password is refused, with the time to come back (北京时间 = UTC+8).
    code, message, _ = _refusal(deployment, config, "chen.jing", PASSWORD, at(2, 5))
    assert code == "LOGIN_THROTTLED"
    assert "10:19" in message and "约 14 分钟后" in message
    # Attempts while locked are not counted, so they cannot extend the lock.
    _refusal(deployment, config, "chen.jing", "wrong-password!", at(2, 10))
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 5
    assert _refusal(deployment, config, "chen.jing", PASSWORD, at(2, 18, 59))[0] == "LOGIN_THROTTLED"
    # 15 minutes after the last failure it opens again, and a success clears the count.
    assert _login(deployment, config, "chen.jing", PASSWORD, at(2, 19)).token
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).where(LoginFailure.username == "chen.jing")) == 0


def test_failures_spread_beyond_the_window_do_not_lock(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("zhao.lei")
    for minute in (0, 5, 10, 15, 20, 25):  # never 5 within 15 minutes
        _refusal(deployment, config, "zhao.lei", "wrong-password!", at(3, minute))
    assert _login(deployment, config, "zhao.lei", PASSWORD, at(3, 26)).token


def test_unknown_usernames_are_throttled_too(deployment: Deployment, config: AuthConfig, roles: None) -> None:
    for minute in range(5):
        _refusal(deployment, config, "ghost", "whatever-password", at(4, minute))
    assert _refusal(deployment, config, "ghost", "whatever-password", at(4, 6))[0] == "LOGIN_THROTTLED"


def test_throttle_settings_come_from_the_config(deployment: Deployment, make_user: MakeUser) -> None:
    make_user("sun.yu")
    strict = AuthConfig(max_failures=2, failure_window_minutes=5, lockout_minutes=60)
    for minute in range(2):
        _refusal(deployment, strict, "sun.yu", "wrong-password!", at(5, minute))
    assert _refusal(deployment, strict, "sun.yu", PASSWORD, at(5, 50))[0] == "LOGIN_THROTTLED"
    assert _login(deployment, strict, "sun.yu", PASSWORD, at(6, 2)).token


def test_logout_revokes_the_session_immediately(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("liu.yang")
    first = _login(deployment, config, "liu.yang", PASSWORD).token
    second = _login(deployment, config, "liu.yang", PASSWORD).token
    me = _principal(deployment, first)
    assert me is not None
    with deployment.session_factory() as session, session.begin():
        assert service.logout(session, me) == 1
    assert _principal(deployment, first) is None
    other = _principal(deployment, second)
    assert other is not None  # other devices stay signed in
    with deployment.session_factory() as session, session.begin():
        assert service.logout(session, other, everywhere=True) == 1
    assert _principal(deployment, second) is None


def test_password_change_revokes_the_other_sessions(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("huang.min")
    here = _login(deployment, config, "huang.min", PASSWORD).token
    elsewhere = _login(deployment, config, "huang.min", PASSWORD).token
    me = _principal(deployment, here)
    assert me is not None
    new_password = "新的密码-足够长-2026"
    with deployment.session_factory() as session:
        service.change_password(session, config, me, PASSWORD, new_password)
        session.commit()
    assert _principal(deployment, here) is not None
    assert _principal(deployment, elsewhere) is None
    assert _refusal(deployment, config, "huang.min", PASSWORD)[0] == "INVALID_CREDENTIALS"
    assert _login(deployment, config, "huang.min", new_password).token


def test_password_change_checks_the_current_password_and_the_rules(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("zhou.tao")
    me = _principal(deployment, _login(deployment, config, "zhou.tao", PASSWORD).token)
    assert me is not None
    for current, new, code in (
        ("wrong-current-password", "另一个足够长的密码2026", "INVALID_CREDENTIALS"),
        (PASSWORD, "短密码", "PASSWORD_TOO_SHORT"),
        (PASSWORD, PASSWORD, "SAME_PASSWORD"),
    ):
        with deployment.session_factory() as session, pytest.raises(UserInputError) as excinfo:
            service.change_password(session, config, me, current, new)
        assert excinfo.value.errors[0].code == code


def test_sessions_end_at_expiry_and_after_idling(deployment: Deployment, make_user: MakeUser) -> None:
    make_user("wu.fang")
    config = AuthConfig(session_hours=8, idle_minutes=30)
    token = _login(deployment, config, "wu.fang", PASSWORD, at(0)).token
    # Activity every 20 minutes keeps it alive (last_seen_at is recorded)...
    for minutes in range(20, 8 * 60, 20):
        assert _principal(deployment, token, at(0) + timedelta(minutes=minutes)) is not None, minutes
    # ... until the absolute end.
    assert _principal(deployment, token, at(8)) is None
    idle = _login(deployment, config, "wu.fang", PASSWORD, at(9)).token
    assert _principal(deployment, idle, at(9, 29)) is not None
    assert _principal(deployment, idle, at(10, 0)) is None  # 31 minutes after the last request


def test_activity_is_recorded_at_most_once_a_minute(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    make_user("ma.chao")
    token = _login(deployment, config, "ma.chao", PASSWORD, at(1)).token

    def last_seen() -> object:
        with deployment.session_factory() as session:
            return as_utc(session.scalars(select(UserSession.last_seen_at)).one())

    _principal(deployment, token, at(1, 0, 30))
    assert last_seen() == at(1)
    _principal(deployment, token, at(1, 2))
    assert last_seen() == at(1, 2)


def test_malformed_or_unknown_tokens_give_no_principal(deployment: Deployment, roles: None) -> None:
    for token in (None, "", "Bearer x", "jcs_short", "jcs_" + "A" * 43, "x" * 10_000):
        assert _principal(deployment, token) is None
    assert service.bearer_token("Bearer jcs_abc") == "jcs_abc"
    assert service.bearer_token("bearer  jcs_abc ") == "jcs_abc"
    assert service.bearer_token("Basic dXNlcjpwYXNz") is None
    assert service.bearer_token(None) is None


def test_login_upgrades_a_weaker_hash(deployment: Deployment, config: AuthConfig, make_user: MakeUser) -> None:
    user_id = make_user("gao.yan")
    weak = passwords.HashParameters(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    with deployment.session_factory() as session, session.begin():
        session.get_one(User, user_id).password_hash = passwords.hash_password(PASSWORD, weak)
    _login(deployment, config, "gao.yan", PASSWORD)
    with deployment.session_factory() as session:
        stored = session.get_one(User, user_id).password_hash
    assert passwords.parameters_of(stored) == passwords.CURRENT
    assert passwords.verify_password(stored, PASSWORD)


def test_create_user_validates(deployment: Deployment, config: AuthConfig, make_user: MakeUser) -> None:
    make_user("taken")
    with deployment.session_factory() as session:
        for username, display_name, password, code in (
            ("TAKEN", "某人", PASSWORD, "USERNAME_TAKEN"),
            ("有中文", "某人", PASSWORD, "INVALID_USERNAME"),
            ("ok.name", " ", PASSWORD, "REQUIRED"),
            ("ok.name", "某人", "1234567", "PASSWORD_TOO_SHORT"),
        ):
            with pytest.raises(UserInputError) as excinfo:
                service.create_user(session, config, username=username, display_name=display_name, password=password)
            assert excinfo.value.errors[0].code == code, username


def test_recording_activity_in_a_query_session_waits_for_other_writers(
    deployment: Deployment, config: AuthConfig, make_user: MakeUser
) -> None:
    """Queries run in read sessions (on SQLite a deferred transaction, which
    cannot wait for the write lock once it has read). Another writer
    committing between the token lookup and the activity update must not
    make the request fail with "database is locked"."""
    make_user("he.jing")
    token = _login(deployment, config, "he.jing", PASSWORD, at(1)).token
    with deployment.read_session_factory() as session:
        # The read has begun (as the token lookup begins it) ...
        session.execute(select(func.count()).select_from(UserSession)).scalar_one()
        # ... and meanwhile another request commits a change.
        make_user("lu.ping")
        assert service.principal_for_token(session, token, now=at(1, 5)) is not None
    with deployment.session_factory() as session:
        seen = session.scalars(select(UserSession.last_seen_at).where(UserSession.revoked_at.is_(None))).all()
        assert at(1, 5) in [as_utc(s) for s in seen]
