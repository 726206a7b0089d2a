"""The query cost limit: list sizes times depth, measured before execution.

The HTTP tests use the real app on an unmigrated SQLite file: a refused
document never reaches a table, so an answer without a database error shows
that nothing was executed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.api.limits import ReadRecorder, query_cost
from core.app import build_deployment, create_app
from core.settings import Settings
from graphql import GraphQLSchema, OperationDefinitionNode, parse
from tests.conftest import make_settings

GRAPHQL_RESPONSE = "application/graphql-response+json"

FLOOD = (
    "{ "
    + " ".join(
        f"a{i}: orgUnits {{ nodes {{ descendants {{ nodes {{ descendants {{ nodes {{ name }} }} }} }} }} }}"
        for i in range(30)
    )
    + " }"
)


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return build_deployment(make_settings("sqlite://")).schema.graphql_schema


def cost(
    schema: GraphQLSchema, document: str, variables: Mapping[str, Any] | None = None, *, max_page_size: int = 100
) -> int:
    parsed = parse(document)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    return query_cost(schema, parsed, operation, variables or {}, default_page_size=20, max_page_size=max_page_size)


def test_each_field_counts_once_per_item_of_the_lists_above_it(schema: GraphQLSchema) -> None:
    # descendants: 1 + 3 × (nodes 1 + name 1) = 7; a unit: id 1 + 7 = 8; nodes: 1 + 8 = 9; orgUnits: 1 + 5 × 9.
    assert cost(schema, "{ orgUnits(first: 5) { nodes { id descendants(first: 3) { nodes { name } } } } }") == 46
    # Without first, a connection counts a default page (20); edges inside the page count once.
    assert cost(schema, "{ orgUnits { edges { node { name } } } }") == 1 + 20 * (1 + 1 + 1)
    # A plain list of objects (ancestors) counts a default page too; a scalar field is 1.
    assert cost(schema, "{ orgUnits(first: 2) { nodes { ancestors { name } } } }") == 1 + 2 * (1 + 1 + 20 * 1)
    # pageInfo and totalCount are fields of the connection: counted per item as an upper bound.
    assert cost(schema, "{ orgUnits(first: 1) { totalCount pageInfo { hasNextPage } } }") == 1 + 1 * (1 + 2)


def test_page_sizes_come_from_variables_last_and_the_largest_page(schema: GraphQLSchema) -> None:
    document = "query($n: Int) { orgUnits(first: $n) { nodes { name } } }"
    assert cost(schema, document, {"n": 4}) == 1 + 4 * 2
    assert cost(schema, document, {"n": None}) == 1 + 20 * 2
    assert cost(schema, "{ orgUnits(last: 7) { nodes { name } } }") == 1 + 7 * 2
    # A larger page is refused by the list itself; the cost counts what could be read.
    assert cost(schema, "{ orgUnits(first: 5000) { nodes { name } } }", max_page_size=100) == 1 + 100 * 2


def test_fragments_count_each_time_they_are_used_and_introspection_is_free(schema: GraphQLSchema) -> None:
    document = (
        "{ a: orgUnits(first: 2) { nodes { ...U } } b: orgUnits(first: 3) { nodes { ...U } } }"
        " fragment U on OrgUnit { name ... on OrgUnit { id } }"
    )
    assert cost(schema, document) == (1 + 2 * 3) + (1 + 3 * 3)
    assert cost(schema, "{ __schema { types { fields { name args { name } } } } }") == 0


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    directory: Path = tmp_path_factory.mktemp("cost")
    with TestClient(create_app(make_settings(f"sqlite:///{directory / 'jiceng.sqlite3'}"))) as client:
        yield client


def test_the_nested_descendants_flood_is_refused_before_executing(app: TestClient) -> None:
    response = app.post("/graphql", json={"query": FLOOD}, headers={"accept": GRAPHQL_RESPONSE})
    assert response.status_code == 400
    payload = response.json()
    assert "data" not in payload
    [error] = payload["errors"]
    limit = Settings().max_query_cost
    expected = 30 * (1 + 20 * (1 + 1 + 20 * (1 + 1 + 20 * 2)))
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": expected, "limit": limit}
    assert f"查询成本 {expected} 超过上限 {limit}" in error["message"]


def test_the_limit_is_a_setting(tmp_path: Path) -> None:
    document = "query($n: Int!) { orgLevels { code } orgUnits(first: $n) { nodes { name } } }"
    settings = make_settings(f"sqlite:///{tmp_path / 'small.sqlite3'}", max_query_cost=(1 + 20 * 1) + (1 + 10 * 2))
    with TestClient(create_app(settings)) as client:
        allowed = client.post("/graphql", json={"query": document, "variables": {"n": 10}})
        assert "QUERY_TOO_COSTLY" not in allowed.text
        refused = client.post("/graphql", json={"query": document, "variables": {"n": 11}})
        assert refused.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


def test_the_cost_reads_only_the_page_size_variables(schema: GraphQLSchema) -> None:
    """What the endpoint remembers a cost by: the values of the variables the measure read."""
    document = "query($n: Int!, $level: String) { orgUnits(first: $n, level: $level) { nodes { name } } }"
    variables = ReadRecorder({"n": 5, "level": "street"})
    assert cost(schema, document, variables) == 1 + 5 * (1 + 1)
    assert variables.read == {"n"}
    unread = ReadRecorder({"input": {"name": "改名"}})
    cost(schema, "mutation($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) { orgUnit { id } } }", unread)
    assert unread.read == set()
