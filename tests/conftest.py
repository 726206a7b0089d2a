"""Test fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is the server at ``JICENG_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); each run creates
fresh databases and drops them afterwards. Without a reachable server the
PostgreSQL half is skipped with a message, except under ``CI=true``, where
it fails instead.

Signing in: ``gql`` is anonymous (the public organization tree needs no
sign-in). ``sign_in(role_code, org_unit_id)`` creates a user holding that
built-in role at that unit, signs in and returns a caller that sends the
session token; ``root_unit`` is a city created as the command line creates
a first root unit, and ``admin_gql`` acts as the system administrator there.
For deployments built inside a test, ``make_root_unit`` and
``sign_in_as(deployment, test_client, role_code, org_unit_id)`` do the same.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from core.app import Deployment, build_deployment, create_app
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.passwords import hash_password
from core.auth.permissions import registry_for
from core.auth.roles import ensure_default_roles
from core.cli import builtin_plugin_names
from core.demo import load_demo
from core.demo.progress import Progress
from core.migrate import upgrade
from core.org import service as org_service
from core.settings import Settings, load_settings

POSTGRES_ADMIN_URL = os.environ.get(
    "JICENG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BACKENDS = ("sqlite", "postgresql")


# Attached files of test deployments go to one temporary directory, never the checkout.
DOCUMENTS_DIR = tempfile.mkdtemp(prefix="jiceng-documents-")
atexit.register(shutil.rmtree, DOCUMENTS_DIR, True)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings isolated from the developer's config file and environment."""
    overrides.setdefault("documents_path", DOCUMENTS_DIR)
    return load_settings(config_path="/nonexistent/jiceng.toml", environ={}, database_url=database_url, **overrides)


class DatabaseFactory:
    """Creates empty databases for one test session and drops them at the end."""

    def __init__(self, tmp_dir: Any) -> None:
        self.tmp_dir = tmp_dir
        self.created: list[str] = []
        self._postgres_problem: str | None = None
        self._postgres_checked = False

    def postgres_problem(self) -> str | None:
        if not self._postgres_checked:
            self._postgres_checked = True
            try:
                engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                engine.dispose()
            except Exception as exc:  # any connection failure means: no server here
                self._postgres_problem = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc.__class__.__name__}"
        return self._postgres_problem

    def create(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp_dir / f'jiceng-{uuid.uuid4().hex[:8]}.sqlite3'}"
        problem = self.postgres_problem()
        if problem:
            if IN_CI:
                pytest.fail(f"{problem} — CI=true requires PostgreSQL", pytrace=False)
            pytest.skip(f"{problem}; set JICENG_TEST_POSTGRES_URL to run the PostgreSQL tests")
        name = f"jiceng_test_{uuid.uuid4().hex[:12]}"
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        self.created.append(name)
        return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.created:
            return
        engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``@pytest.mark.postgresql_only`` tests (concurrent writers and row
    locks: SQLite has one writer at a time) run only on PostgreSQL; their
    SQLite variants are deselected rather than skipped."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and callspec.params.get("backend") == "sqlite"
        (dropped if on_sqlite and item.get_closest_marker("postgresql_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def migrated_deployment(database_url: str, **overrides: Any) -> Deployment:
    deployment = build_deployment(make_settings(database_url, **overrides))
    upgrade(deployment, verbose=False)
    return deployment


@pytest.fixture(scope="session")
def core_database_url(backend: str, database_factory: DatabaseFactory) -> str:
    """A database with core's tables, shared by the tests of one backend."""
    url = database_factory.create(backend)
    migrated_deployment(url).dispose()
    return url


@pytest.fixture
def deployment(core_database_url: str) -> Iterator[Deployment]:
    """Core with no plugins, on an empty database; rows are deleted afterwards."""
    deployment = build_deployment(make_settings(core_database_url))
    yield deployment
    empty_tables(deployment)
    deployment.dispose()


# A county of townships and villages (DOMAIN.md section 1): the same rules must hold as
# in the default city of streets and communities.
TOWNSHIP_LEVELS: tuple[dict[str, str], ...] = (
    {"code": "city", "name": "市"},
    {"code": "county", "name": "县"},
    {"code": "township", "name": "乡镇"},
    {"code": "village", "name": "行政村"},
    {"code": "grid", "name": "网格"},
)


PluginDatabase = Callable[[tuple[str, ...]], str]


@pytest.fixture(scope="session")
def plugin_database_url(backend: str, database_factory: DatabaseFactory) -> PluginDatabase:
    """``plugin_database_url(("mediation",))``: a database migrated for core
    and those plugins, created once per plugin set and backend."""
    created: dict[tuple[str, ...], str] = {}

    def get(plugins: tuple[str, ...]) -> str:
        key = tuple(sorted(plugins))
        if key not in created:
            url = database_factory.create(backend)
            migrated_deployment(url, plugins=key).dispose()
            created[key] = url
        return created[key]

    return get


def plugin_deployment(plugin_database_url: PluginDatabase, *plugins: str, **overrides: Any) -> Iterator[Deployment]:
    """Core with ``plugins`` enabled, on an empty database; rows are deleted
    afterwards. A plugin's tests override ``deployment`` with it in their
    conftest, so ``client``, ``sign_in``, ``root_unit`` and ``admin_gql``
    work unchanged::

        @pytest.fixture
        def deployment(plugin_database_url):
            yield from plugin_deployment(plugin_database_url, "mediation")

    ``overrides`` are settings, such as another tree's ``org_levels``.
    """
    deployment = build_deployment(make_settings(plugin_database_url(plugins), plugins=plugins, **overrides))
    yield deployment
    empty_tables(deployment)
    deployment.dispose()


def empty_tables(deployment: Deployment) -> None:
    """Delete every row, then put back the rows migrations seed (the
    revocation generation of core.auth.sign_in_cache)."""
    _delete_rows(deployment)
    with deployment.engine.begin() as connection:
        connection.execute(text("INSERT INTO auth_generation (id, value) VALUES (1, 0)"))


def _delete_rows(deployment: Deployment) -> None:
    tables = deployment.metadata.sorted_tables
    if deployment.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        with deployment.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        return
    raw = deployment.engine.raw_connection()
    try:
        cursor = raw.cursor()
        # Self-references (org_unit.parent_id) make row-by-row deletes trip the foreign keys.
        cursor.execute("PRAGMA foreign_keys=OFF")
        for table in reversed(tables):
            cursor.execute(f'DELETE FROM "{table.name}"')
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()


@pytest.fixture
def client(deployment: Deployment) -> Iterator[TestClient]:
    with TestClient(create_app(deployment=deployment)) as test_client:
        yield test_client


GraphQLCall = Callable[..., dict[str, Any]]


def graphql_caller(test_client: TestClient, token: str | None = None) -> GraphQLCall:
    """Run a GraphQL document (as the holder of ``token``, if given); fails
    the test on any error unless ``expect_errors``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(query: str, variables: dict[str, Any] | None = None, *, expect_errors: bool = False) -> dict[str, Any]:
        response = test_client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)
        body = response.json()
        if expect_errors:
            assert body.get("errors"), body
            return body
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    return call


@pytest.fixture
def gql(client: TestClient) -> GraphQLCall:
    """Run a GraphQL document, not signed in; fails the test on any error unless told otherwise."""
    return graphql_caller(client)


# --- signing in -----------------------------------------------------------------------

TEST_PASSWORD = "测试口令-长城长江-2026"


@functools.cache
def hashed(password: str = TEST_PASSWORD) -> str:
    """``password`` hashed once per test run (argon2id is slow on purpose);
    pass it to ``create_user(password_hash=...)``."""
    return hash_password(password)


def make_root_unit(
    deployment: Deployment, name: str = "青岛市", level: str = "city", division_code: str | None = "370200"
) -> int:
    """A root unit, created through the service as the command line does
    (through GraphQL a root unit needs an administrator at an existing root)."""
    with deployment.session_factory() as session, session.begin():
        unit = org_service.create_unit(
            session, deployment.settings, name=name, level=level, parent_id=None, division_code=division_code
        )
        return unit.id


@dataclass(frozen=True)
class SignedIn:
    """A GraphQL caller that sends a user's session token."""

    call: GraphQLCall
    user_id: int
    username: str
    token: str

    def __call__(self, query: str, variables: dict[str, Any] | None = None, *, expect_errors: bool = False) -> dict[str, Any]:
        return self.call(query, variables, expect_errors=expect_errors)


def sign_in_as(
    deployment: Deployment,
    test_client: TestClient,
    role_code: str,
    org_unit_id: int,
    *,
    username: str | None = None,
) -> SignedIn:
    """Create a user holding the built-in role ``role_code`` at
    ``org_unit_id``, sign in and return a caller sending the token. The
    built-in roles are brought up to date with the deployment's declared
    permissions first (as ``jiceng user sync-roles`` does)."""
    registry = registry_for(deployment.host)
    config = AuthConfig.from_settings(deployment.settings)
    username = username or f"{role_code.replace('_', '-')}-{uuid.uuid4().hex[:8]}"
    with deployment.session_factory() as session, session.begin():
        ensure_default_roles(session, registry)
        user = auth_service.create_user(
            session, config, username=username, display_name=username, password=TEST_PASSWORD, password_hash=hashed()
        )
        auth_service.grant_role(session, registry, None, user_id=user.id, role_code=role_code, org_unit_id=org_unit_id)
        # The password check itself is tested in tests/auth; here it would only cost time.
        signed_in = auth_service.open_session(session, config, user)
        user_id, token = user.id, signed_in.token
    return SignedIn(call=graphql_caller(test_client, token), user_id=user_id, username=username, token=token)


SignIn = Callable[..., SignedIn]


@pytest.fixture
def sign_in(deployment: Deployment, client: TestClient) -> SignIn:
    """``sign_in(role_code, org_unit_id, username=None)``: a caller signed in
    as a new user holding that role at that unit."""

    def make(role_code: str, org_unit_id: int, *, username: str | None = None) -> SignedIn:
        return sign_in_as(deployment, client, role_code, org_unit_id, username=username)

    return make


@pytest.fixture
def root_unit(deployment: Deployment) -> int:
    """青岛市 (city, 370200), the root of the tree; returns its id."""
    return make_root_unit(deployment)


@pytest.fixture
def admin_gql(sign_in: SignIn, root_unit: int) -> SignedIn:
    """The system administrator of ``root_unit``: every declared permission in the whole tree."""
    return sign_in("admin", root_unit, username="admin")


@pytest.fixture(scope="session")
def demo_deployment(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    """A read-only database with the demo locality loaded, with every
    built-in plugin enabled (as ``jiceng serve --demo`` runs it)."""
    deployment = migrated_deployment(database_factory.create(backend), plugins=builtin_plugin_names())
    with deployment.session_factory() as session, session.begin():
        load_demo(session, deployment.settings, deployment.host, Progress(quiet=True))
    yield deployment
    deployment.dispose()


@pytest.fixture
def demo_gql(demo_deployment: Deployment) -> Iterator[GraphQLCall]:
    with TestClient(create_app(deployment=demo_deployment)) as test_client:
        yield graphql_caller(test_client)
