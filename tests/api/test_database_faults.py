"""Requests while the database is out of reach, or after it dropped the
app's pooled connections, against real databases (no mocks).

- Database gone: every request (GraphQL signed in or not, a mutation, the
  public board) gets 503 with code DATABASE_UNAVAILABLE and a Chinese
  message, and the log gets exactly one line per request, without traceback.
- Backends killed (``pg_terminate_backend``): the next requests succeed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment, build_deployment, create_app
from tests.conftest import (
    POSTGRES_ADMIN_URL,
    DatabaseFactory,
    make_root_unit,
    make_settings,
    migrated_deployment,
    sign_in_as,
)

ORG_QUERY = "query { orgUnits(first: 5) { edges { node { id name } } } }"
CREATE_UNIT = """
mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id name } userErrors { field code message } }
}
"""


def _admin_connection_run(sql: str, **params: object) -> None:
    engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()


def _post(client: TestClient, query: str, variables: dict | None = None, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


def _assert_unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/")
    body = response.json()
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "DATABASE_UNAVAILABLE"
    assert "数据库" in error["message"]
    assert "data" not in body


def _problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def own_database(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    """A deployment on a database of its own, which the test may destroy."""
    url = database_factory.create(backend)
    deployment = migrated_deployment(url)
    yield deployment
    deployment.dispose()


def _requests_during_outage(client: TestClient, token: str, unit_gid: str) -> list:
    return [
        lambda: _post(client, ORG_QUERY),
        lambda: _post(client, ORG_QUERY, token=token),
        lambda: _post(
            client, CREATE_UNIT, {"input": {"name": "市南区", "level": "district", "parentId": unit_gid}}, token
        ),
        lambda: client.get("/board/370200"),
    ]


def _expect_one_line_each(caplog: pytest.LogCaptureFixture, calls: list) -> None:
    for call in calls:
        caplog.clear()
        _assert_unavailable(call())
        problems = _problems(caplog)
        assert len(problems) == 1, [r.getMessage() for r in problems]
        assert problems[0].exc_info is None
        assert "database unavailable" in problems[0].getMessage()


def test_dropped_postgresql_database_gives_503_and_one_log_line(
    own_database: Deployment, caplog: pytest.LogCaptureFixture
) -> None:
    if own_database.engine.dialect.name != "postgresql":
        pytest.skip("dropping a database mid-test is the PostgreSQL outage; SQLite has its own test")
    root = make_root_unit(own_database)
    unit_gid = encode_global_id("OrgUnit", root)
    with TestClient(create_app(deployment=own_database), raise_server_exceptions=False) as client:
        admin = sign_in_as(own_database, client, "admin", root)
        assert _post(client, ORG_QUERY, token=admin.token).status_code == 200
        name = own_database.engine.url.database
        _admin_connection_run(f'DROP DATABASE "{name}" WITH (FORCE)')
        _expect_one_line_each(caplog, _requests_during_outage(client, admin.token, unit_gid))


def test_unreadable_sqlite_file_gives_503_and_one_log_line(
    own_database: Deployment, caplog: pytest.LogCaptureFixture
) -> None:
    if own_database.engine.dialect.name != "sqlite":
        pytest.skip("the PostgreSQL outage has its own test")
    root = make_root_unit(own_database)
    unit_gid = encode_global_id("OrgUnit", root)
    with TestClient(create_app(deployment=own_database)) as client:
        token = sign_in_as(own_database, client, "admin", root).token
    own_database.dispose()
    # The database file is replaced by something SQLite cannot open (as
    # root, permission bits would not stop it).
    path = Path(own_database.engine.url.database or "")
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if leftover.exists():
            os.remove(leftover)
    path.mkdir()
    outage = build_deployment(make_settings(str(own_database.engine.url)))
    with TestClient(create_app(deployment=outage), raise_server_exceptions=False) as client:
        _expect_one_line_each(caplog, _requests_during_outage(client, token, unit_gid))
    outage.dispose()


@pytest.mark.postgresql_only
def test_requests_after_backends_were_killed_succeed(own_database: Deployment) -> None:
    root = make_root_unit(own_database)
    parent = encode_global_id("OrgUnit", root)
    with TestClient(create_app(deployment=own_database)) as client:
        admin = sign_in_as(own_database, client, "admin", root)
        # Fill the pool with several connections, as concurrent requests do.
        held = [own_database.engine.connect() for _ in range(4)]
        for connection in held:
            connection.execute(text("SELECT 1"))
        for connection in held:
            connection.close()
        assert _post(client, ORG_QUERY, token=admin.token).status_code == 200
        database = make_url(str(own_database.engine.url)).database
        _admin_connection_run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()",
            name=database,
        )
        for index in range(3):
            for token in (None, admin.token):
                response = _post(client, ORG_QUERY, token=token)
                assert response.status_code == 200, response.text
                assert "errors" not in response.json()
            created = _post(
                client,
                CREATE_UNIT,
                {"input": {"name": f"区{index}", "level": "district", "parentId": parent}},
                admin.token,
            )
            assert created.status_code == 200, created.text
            assert created.json()["data"]["createOrgUnit"]["userErrors"] == []
        # Each mutation ran once: a retried request does not write twice.
        listed = _post(client, "query { orgUnits(first: 20) { edges { node { name } } } }", token=admin.token).json()
        names = [e["node"]["name"] for e in listed["data"]["orgUnits"]["edges"]]
        assert sorted(n for n in names if n.startswith("区")) == ["区0", "区1", "区2"]
