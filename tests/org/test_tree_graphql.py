"""The organization tree through GraphQL: create, list, subtree, ancestors, move."""

from __future__ import annotations

from typing import Any

CREATE = """
mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id name level depth } userErrors { field code message } }
}
"""


def create(gql: Any, name: str, level: str, parent_id: str | None = None, **extra: Any) -> str:
    data = gql(CREATE, {"input": {"name": name, "level": level, "parentId": parent_id, **extra}})
    payload = data["createOrgUnit"]
    assert payload["userErrors"] == []
    return str(payload["orgUnit"]["id"])


def test_create_and_read_tree(gql: Any) -> None:
    city = create(gql, "青岛市", "city", divisionCode="370200")
    district = create(gql, "市南区", "district", city, divisionCode="370202")
    street = create(gql, "八大关街道", "street", district)
    data = gql(
        """query($id: ID!) { node(id: $id) { ... on OrgUnit { name depth ancestors { name } parent { name } } } }""",
        {"id": street},
    )
    assert data["node"] == {"name": "八大关街道", "depth": 2, "ancestors": [{"name": "青岛市"}, {"name": "市南区"}], "parent": {"name": "市南区"}}
