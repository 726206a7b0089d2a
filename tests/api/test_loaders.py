"""Nested fields of a page load in one query for the whole page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from core.app import Deployment

QUERY = """
query($first: Int!) {
  orgUnits(level: "grid", first: $first) { edges { node { name parent { name parent { name } } } } }
}
"""


@pytest.fixture
def statements(demo_deployment: Deployment) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(demo_deployment.engine, "before_cursor_execute", count)
    yield seen
    event.remove(demo_deployment.engine, "before_cursor_execute", count)


def test_parents_of_a_page_load_in_one_query_per_level(demo_gql: Any, statements: list[str]) -> None:
    data = demo_gql(QUERY, {"first": 50})
    edges = data["orgUnits"]["edges"]
    assert len(edges) == 50
    assert all(edge["node"]["parent"]["parent"]["name"] for edge in edges)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The page, the grids' communities, the communities' streets.
    assert len(selects) == 3, selects
