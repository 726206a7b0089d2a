"""The ``jiceng`` pytest plugin: test fixtures for Jiceng and its plugins.

Installed with Jiceng (entry point ``pytest11``: ``jiceng = core.testing``), so
a plugin's own test suite has these fixtures without a conftest. Every test
that uses a database runs twice, on SQLite and on PostgreSQL: the server at
``JICENG_TEST_POSTGRES_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``, databases created
and dropped per run, named with the pytest-xdist worker). Without a reachable
server the PostgreSQL half is skipped with a message, except under
``CI=true``, where it fails. ``@pytest.mark.postgresql_only`` deselects a
test's SQLite half.

Fixtures (override ``jiceng_plugins`` in your conftest to enable your plugin)::

    @pytest.fixture(scope="session")
    def jiceng_plugins() -> tuple[str, ...]:
        return ("volunteer",)

    def test_register(jiceng_sign_in, jiceng_root_unit):
        admin = jiceng_sign_in("admin", jiceng_root_unit)
        admin("{ me { user { username } } }")

- ``jiceng_backend``: ``"sqlite"`` or ``"postgresql"`` (the parameter).
- ``jiceng_database_url``: a database migrated for core and ``jiceng_plugins``,
  once per backend and session.
- ``jiceng_deployment``: the deployment on it; rows are deleted after each test.
- ``jiceng_client``: a Starlette ``TestClient`` of its app; ``jiceng_gql``: an
  anonymous GraphQL caller.
- ``jiceng_root_unit``: a city (青岛市, 370200) created as ``jiceng org add-root`` does.
- ``jiceng_sign_in(role_code, org_unit_id)``: a caller signed in as a new
  user holding that built-in role there (``admin``, ``street_staff``,
  ``community_worker`` … and the roles your plugin's permissions name);
  ``jiceng_admin``: the system administrator at the root unit.

The helpers (``DatabaseFactory``, ``make_settings``, ``sign_in_as``,
``make_root_unit``, ``graphql_caller``, ``plugin_module``, ``active_sheet`` …)
are importable for fixtures of your own.
Leave the plugin out of a run with ``-p no:jiceng``.
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
from types import ModuleType
from typing import Any

import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.testclient import TestClient

from core.app import Deployment, build_deployment, create_app
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.passwords import hash_password
from core.auth.permissions import registry_for
from core.auth.roles import ensure_default_roles
from core.hookspecs import PROJECT_NAME, hookimpl
from core.migrate import upgrade
from core.org import service as org_service
from core.settings import Settings, load_settings

POSTGRES_ADMIN_URL = os.environ.get("JICENG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# Under pytest-xdist each worker (gw0, gw1 …) is its own process with its own
# databases; the worker id in their names tells leftovers of a run apart.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
BACKENDS = ("sqlite", "postgresql")


@functools.cache
def documents_dir() -> str:
    """Attached files of test deployments go to one temporary directory per
    process, never the checkout; it is removed at exit."""
    path = tempfile.mkdtemp(prefix="jiceng-documents-")
    atexit.register(shutil.rmtree, path, True)
    return path


TEST_SECRET_KEY = "test-secret-key-of-the-jiceng-suite-0123456789"


def make_settings(database_url: str, **overrides: Any) -> Settings:
    """Settings isolated from the developer's config file and environment."""
    overrides.setdefault("documents_path", documents_dir())
    # Production refuses to start without one; it signs download links.
    overrides.setdefault("secret_key", TEST_SECRET_KEY)
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
            except (SQLAlchemyError, OSError) as exc:  # any connection failure means: no server here
                self._postgres_problem = f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}: {exc.__class__.__name__}"
        return self._postgres_problem

    def create(self, backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{self.tmp_dir / f'jiceng-{WORKER}-{uuid.uuid4().hex[:8]}.sqlite3'}"
        problem = self.postgres_problem()
        if problem:
            if IN_CI:
                pytest.fail(f"{problem} — CI=true requires PostgreSQL", pytrace=False)
            pytest.skip(f"{problem}; set JICENG_TEST_POSTGRES_URL to run the PostgreSQL tests")
        name = f"jiceng_test_{WORKER}_{uuid.uuid4().hex[:12]}"
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


def migrated_deployment(database_url: str, **overrides: Any) -> Deployment:
    deployment = build_deployment(make_settings(database_url, **overrides))
    upgrade(deployment, verbose=False)
    return deployment


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


def plugin_module(name: str, **hooks: Callable[..., Any]) -> ModuleType:
    """An in-process plugin: a module ``name`` holding ``hooks`` (hook name ->
    implementation, marked with ``hookimpl`` unless it is already), to
    register on a plugin manager."""
    module = ModuleType(name)
    for hook_name, function in hooks.items():
        setattr(module, hook_name, function if hasattr(function, f"{PROJECT_NAME}_impl") else hookimpl(function))
    return module


def active_sheet(workbook: Workbook) -> Worksheet:
    """The sheet ``workbook`` opens on, such as a download's only sheet
    (openpyxl types ``Workbook.active`` as possibly no sheet, or a chart sheet)."""
    sheet = workbook.active
    assert isinstance(sheet, Worksheet), f"the active sheet is {sheet!r}"
    return sheet


@dataclass(frozen=True)
class SignedIn:
    """A GraphQL caller that sends a user's session token."""

    call: GraphQLCall
    user_id: int
    username: str
    token: str

    def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, expect_errors: bool = False
    ) -> dict[str, Any]:
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


def deselect_postgresql_only(config: pytest.Config, items: list[pytest.Item], params: tuple[str, ...]) -> None:
    """``@pytest.mark.postgresql_only`` tests (concurrent writers and row
    locks: SQLite has one writer at a time) run only on PostgreSQL; their
    SQLite variants (a ``params`` parameter of ``"sqlite"``) are deselected
    rather than skipped."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_sqlite = callspec is not None and any(callspec.params.get(name) == "sqlite" for name in params)
        (dropped if on_sqlite and item.get_closest_marker("postgresql_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# --- the pytest plugin ------------------------------------------------------------------


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql_only: runs only against PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_postgresql_only(config, items, ("jiceng_backend",))


@pytest.fixture(scope="session")
def jiceng_plugins() -> tuple[str, ...]:
    """The plugins enabled in the test deployments: override it to name yours."""
    return ()


@pytest.fixture(scope="session", params=BACKENDS)
def jiceng_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def jiceng_database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("jiceng-databases"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def jiceng_database_url(
    jiceng_backend: str, jiceng_database_factory: DatabaseFactory, jiceng_plugins: tuple[str, ...]
) -> str:
    url = jiceng_database_factory.create(jiceng_backend)
    migrated_deployment(url, plugins=tuple(jiceng_plugins)).dispose()
    return url


@pytest.fixture
def jiceng_deployment(jiceng_database_url: str, jiceng_plugins: tuple[str, ...]) -> Iterator[Deployment]:
    deployment = build_deployment(make_settings(jiceng_database_url, plugins=tuple(jiceng_plugins)))
    yield deployment
    empty_tables(deployment)
    deployment.dispose()


@pytest.fixture
def jiceng_client(jiceng_deployment: Deployment) -> Iterator[TestClient]:
    with TestClient(create_app(deployment=jiceng_deployment)) as test_client:
        yield test_client


@pytest.fixture
def jiceng_gql(jiceng_client: TestClient) -> GraphQLCall:
    return graphql_caller(jiceng_client)


@pytest.fixture
def jiceng_root_unit(jiceng_deployment: Deployment) -> int:
    return make_root_unit(jiceng_deployment)


@pytest.fixture
def jiceng_sign_in(jiceng_deployment: Deployment, jiceng_client: TestClient) -> SignIn:
    def make(role_code: str, org_unit_id: int, *, username: str | None = None) -> SignedIn:
        return sign_in_as(jiceng_deployment, jiceng_client, role_code, org_unit_id, username=username)

    return make


@pytest.fixture
def jiceng_admin(jiceng_sign_in: SignIn, jiceng_root_unit: int) -> SignedIn:
    return jiceng_sign_in("admin", jiceng_root_unit, username="admin")
