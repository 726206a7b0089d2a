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

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.app import Deployment, build_deployment, create_app
from core.cli import builtin_plugin_names
from core.demo import load_demo
from core.demo.progress import Progress

# The machinery is shared with plugin authors through the jiceng pytest plugin.
from core.testing import (  # noqa: F401 (re-exported for the tests' imports)
    BACKENDS,
    IN_CI,
    POSTGRES_ADMIN_URL,
    TEST_PASSWORD,
    TEST_SECRET_KEY,
    WORKER,
    DatabaseFactory,
    GraphQLCall,
    SignedIn,
    SignIn,
    deselect_postgresql_only,
    empty_tables,
    graphql_caller,
    hashed,
    make_root_unit,
    make_settings,
    migrated_deployment,
    sign_in_as,
)


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_postgresql_only(config, items, ("backend",))


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


@pytest.fixture
def client(deployment: Deployment) -> Iterator[TestClient]:
    with TestClient(create_app(deployment=deployment)) as test_client:
        yield test_client


@pytest.fixture
def gql(client: TestClient) -> GraphQLCall:
    """Run a GraphQL document, not signed in; fails the test on any error unless told otherwise."""
    return graphql_caller(client)


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
