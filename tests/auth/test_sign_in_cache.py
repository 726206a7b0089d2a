"""Sign-ins cached per app, revoked at once (``core.auth.sign_in_cache``).

Each app keeps the principals it looked up; every request reads the
revocation generation, which every change to sessions, users, grants, roles
or unit paths moves on in its own transaction. So logout, a password
change, a revoked grant or a deactivated user take effect at the very next
request — in this app and in a second app with its own engine and cache on
the same database (as another worker process would be)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select, text, update
from starlette.testclient import TestClient

from core.app import Deployment, build_deployment, create_app
from core.auth import service
from core.auth.config import AuthConfig
from core.auth.models import RoleGrant, User, UserSession
from core.auth.sign_in_cache import SignInCache, current_generation
from core.db import utcnow
from tests.conftest import TEST_PASSWORD, SignIn, graphql_caller, make_settings

ME = "{ me { user { username } scopes { permission { code } } } }"
LOGOUT = "mutation { logout { endedSessions userErrors { code } } }"
CHANGE_PASSWORD = """
mutation ($current: String!, $new: String!) {
  changePassword(input: {currentPassword: $current, newPassword: $new}) { userErrors { code message } }
}
"""


def _me(client: TestClient, token: str) -> tuple[int, dict[str, Any]]:
    response = client.post("/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"})
    return response.status_code, response.json()


def _scopes(body: dict[str, Any]) -> set[str]:
    return {s["permission"]["code"] for s in body["data"]["me"]["scopes"]}


@contextmanager
def _statements(deployment: Deployment) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(deployment.engine, "before_cursor_execute", note)


def _generation(deployment: Deployment) -> int | None:
    with deployment.session_factory() as session:
        return current_generation(session)


@contextmanager
def _second_app(deployment: Deployment) -> Iterator[TestClient]:
    """Another app on the same database, with its own engine, pool and cache."""
    other = build_deployment(make_settings(deployment.settings.database_url))
    try:
        with TestClient(create_app(deployment=other)) as client:
            yield client
    finally:
        other.dispose()


def test_a_sign_in_is_looked_up_once_then_served_from_the_cache(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    with _statements(deployment) as first:
        assert _me(client, caller.token)[0] == 200
    with _statements(deployment) as second:
        status, body = _me(client, caller.token)
    assert status == 200 and body["data"]["me"]["user"]["username"] == caller.username
    assert any("user_session" in s for s in first)
    # The second request reads the generation instead of the session, user and grants.
    assert not any("user_session" in s for s in second)
    assert any("auth_generation" in s for s in second)


def test_logout_ends_a_cached_sign_in_at_once_here_and_in_another_app(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    with _second_app(deployment) as other:
        for app in (client, other):
            assert _me(app, caller.token)[0] == 200 and _me(app, caller.token)[0] == 200  # cached in both
        assert caller(LOGOUT)["logout"]["endedSessions"] == 1
        for app in (client, other):
            status, body = _me(app, caller.token)
            assert status == 401 and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_password_change_ends_the_other_cached_sessions_at_once(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    with deployment.session_factory() as session, session.begin():
        user = session.get(User, caller.user_id)
        assert user is not None
        laptop = service.open_session(session, AuthConfig.from_settings(deployment.settings), user).token
    with _second_app(deployment) as other:
        for app in (client, other):
            assert _me(app, laptop)[0] == 200 and _me(app, caller.token)[0] == 200
        result = caller(CHANGE_PASSWORD, {"current": TEST_PASSWORD, "new": "新的口令-泰山黄山-2027"})
        assert result["changePassword"]["userErrors"] == []
        for app in (client, other):
            assert _me(app, laptop)[0] == 401
            assert _me(app, caller.token)[0] == 200  # the session that changed it stays


def test_a_revoked_grant_narrows_a_cached_sign_in_at_once(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    with _second_app(deployment) as other:
        for app in (client, other):
            assert "people.view" in _scopes(_me(app, caller.token)[1])
        with deployment.session_factory() as session, session.begin():
            grant = session.scalar(select(RoleGrant).where(RoleGrant.user_id == caller.user_id))
            assert grant is not None
            grant.revoked_at = utcnow()
        for app in (client, other):
            status, body = _me(app, caller.token)
            assert status == 200 and _scopes(body) == set()


def test_a_deactivated_user_is_refused_at_once(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    with _second_app(deployment) as other:
        for app in (client, other):
            assert _me(app, caller.token)[0] == 200
        with deployment.session_factory() as session, session.begin():
            session.execute(update(User).where(User.id == caller.user_id).values(is_active=False))
        for app in (client, other):
            assert _me(app, caller.token)[0] == 401


def test_activity_and_sign_ins_do_not_move_the_generation_but_auth_changes_do(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    start = _generation(deployment)
    assert start is not None
    # Recording activity (the once-a-minute touch) and a new sign-in change nothing.
    with deployment.session_factory() as session, session.begin():
        session.execute(update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
    assert _generation(deployment) == start + 1  # a bulk update of sessions by hand counts…
    with deployment.session_factory() as session:
        assert service.principal_for_token(session, caller.token) is not None  # …the touch does not
    assert _generation(deployment) == start + 1
    other = sign_in("street_staff", root_unit)
    assert _generation(deployment) == start + 2  # a new grant does (a new session alone would not)
    assert _me(client, other.token)[0] == 200
    with deployment.session_factory() as session, session.begin():
        user = session.get(User, other.user_id)
        assert user is not None
        user.last_login_at = utcnow()  # not part of a sign-in's rights
    assert _generation(deployment) == start + 2
    # A rolled-back change moves nothing.
    with deployment.session_factory() as session:
        session.execute(update(User).where(User.id == other.user_id).values(display_name="改名"))
        session.rollback()
    assert _generation(deployment) == start + 2


def test_an_expired_or_idle_session_is_not_served_from_the_cache(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    cache = SignInCache()
    with deployment.session_factory() as session:
        assert service.cached_principal(session, f"Bearer {caller.token}", cache) is not None
        session.commit()
    assert len(cache._entries) == 1
    entry = next(iter(cache._entries.values()))
    now = utcnow()
    # Fresh for at most the touch interval, and never past the session's end.
    assert entry.fresh_until <= now + service.TOUCH_INTERVAL
    with deployment.session_factory() as session:
        later = entry.fresh_until + timedelta(seconds=1)
        assert cache.get(next(iter(cache._entries)), current_generation(session), later) is None


def test_without_a_generation_row_nothing_is_cached(deployment: Deployment, sign_in: SignIn, root_unit: int) -> None:
    caller = sign_in("street_staff", root_unit)
    with deployment.engine.begin() as connection:
        connection.execute(text("DELETE FROM auth_generation"))
    cache = SignInCache()
    for _ in range(2):
        with deployment.session_factory() as session:
            assert service.cached_principal(session, f"Bearer {caller.token}", cache) is not None
    assert cache._entries == {} and cache.hits == 0


def test_a_client_signed_in_again_after_logout_works(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    caller = sign_in("street_staff", root_unit)
    assert _me(client, caller.token)[0] == 200
    caller(LOGOUT)
    with deployment.session_factory() as session, session.begin():
        user = session.get(User, caller.user_id)
        assert user is not None
        token = service.open_session(session, AuthConfig.from_settings(deployment.settings), user).token
    assert graphql_caller(client, token)(ME)["me"]["user"]["username"] == caller.username
