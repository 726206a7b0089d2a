"""SQLite has one writer at a time: concurrent mutations through the HTTP
app must wait for each other (BEGIN IMMEDIATE and a busy timeout) instead of
failing with "database is locked"."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import create_app
from tests.conftest import (
    DatabaseFactory,
    make_root_unit,
    migrated_deployment,
    sign_in_as,
)

WRITERS = 8
MUTATIONS_EACH = 6
CREATE_UNIT = """
mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id } userErrors { field code message } }
}
"""
READ = "query { orgUnits(first: 5) { edges { node { id name } } } }"


def test_eight_concurrent_writers_on_sqlite_all_succeed(database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create("sqlite"))
    try:
        root = make_root_unit(deployment)
        parent = encode_global_id("OrgUnit", root)
        with TestClient(create_app(deployment=deployment)) as client:
            writers = [sign_in_as(deployment, client, "admin", root) for _ in range(WRITERS)]
            start = threading.Barrier(WRITERS)

            def write(index: int) -> list[str]:
                writer = writers[index]
                headers = {"Authorization": f"Bearer {writer.token}"}
                problems = []
                start.wait()
                for step in range(MUTATIONS_EACH):
                    variables = {"input": {"name": f"区{index}-{step}", "level": "district", "parentId": parent}}
                    response = client.post(
                        "/graphql", json={"query": CREATE_UNIT, "variables": variables}, headers=headers
                    )
                    body: dict[str, Any] = (
                        response.json() if response.status_code in (200, 503) else {"status": response.status_code}
                    )
                    if response.status_code != 200 or body.get("errors") or body["data"]["createOrgUnit"]["userErrors"]:
                        problems.append(str(body))
                    # Readers in between must not make writers fail either.
                    read = client.post("/graphql", json={"query": READ}, headers=headers)
                    if read.status_code != 200 or read.json().get("errors"):
                        problems.append(read.text)
                return problems

            with ThreadPoolExecutor(WRITERS) as pool:
                results = list(pool.map(write, range(WRITERS)))
        assert [p for problems in results for p in problems] == []
        with deployment.session_factory() as session:
            from core.org.models import OrgUnit

            assert session.query(OrgUnit).filter(OrgUnit.parent_id == root).count() == WRITERS * MUTATIONS_EACH
    finally:
        deployment.dispose()
