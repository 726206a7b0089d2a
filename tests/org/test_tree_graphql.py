"""The organization tree through GraphQL: create, update, paging, subtree,
ancestors, counts and moves (区划调整), and who may change it. Every test
runs on SQLite and PostgreSQL.

``gql`` here is the system administrator of the root unit 青岛市, so that
the rules of the tree are tested apart from permissions; reading the tree
is public and answers everyone the same (``test_reading_the_tree_is_public``).
A new database gets its first root unit from ``jiceng org add-root``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from core import cli
from core.api.relay import decode_pk, encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.org import service
from core.org.models import OrgUnit, OrgUnitMove
from tests.conftest import TEST_PASSWORD, GraphQLCall, SignedIn, SignIn, graphql_caller

CREATE = """
mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id name level depth divisionCode } userErrors { field code message } }
}
"""

UPDATE = """
mutation($input: UpdateOrgUnitInput!) {
  updateOrgUnit(input: $input) {
    orgUnit { id name divisionCode establishedOn dissolvedOn }
    userErrors { field code message }
  }
}
"""

MOVE = """
mutation($input: MoveOrgUnitInput!) {
  moveOrgUnit(input: $input) {
    orgUnit { id name depth parent { name } ancestors { name } }
    move { fromParentName toParentName reason effectiveOn fromParent { name } }
    userErrors { field code message }
  }
}
"""

CHILDREN = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) {
    ... on OrgUnit {
      children(first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { name } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }
}
"""


def gid(type_name: str, pk: object) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def create(gql: Any, name: str, level: str, parent_id: str | None = None, **extra: Any) -> str:
    data = gql(CREATE, {"input": {"name": name, "level": level, "parentId": parent_id, **extra}})
    payload = data["createOrgUnit"]
    assert payload["userErrors"] == []
    return str(payload["orgUnit"]["id"])


@pytest.fixture
def gql(admin_gql: SignedIn) -> GraphQLCall:
    """The administrator of 青岛市 (``root_unit``)."""
    return admin_gql


def add_units(
    deployment: Deployment, units: list[tuple[str, str, str | None, str | None]], root: int | None = None
) -> dict[str, str]:
    """Create ``(name, level, parent name, division code)`` units in one
    transaction, through the same service the mutation uses; returns global
    IDs. ``root`` is an existing unit that the first parent names refer to."""
    created: dict[str, OrgUnit] = {}
    with deployment.session_factory() as session, session.begin():
        if root is not None:
            existing = session.get(OrgUnit, root)
            assert existing is not None
            created[existing.name] = existing
        for name, level, parent, code in units:
            created[name] = service.create_unit(
                session,
                deployment.settings,
                name=name,
                level=level,
                parent_id=created[parent].id if parent else None,
                division_code=code,
            )
        return {name: encode_global_id("OrgUnit", unit.id) for name, unit in created.items()}


@pytest.fixture
def tree(deployment: Deployment, root_unit: int) -> dict[str, str]:
    """青岛市 > 市南区 (八大关街道 > 太平角社区 > 第一网格 > 1号楼, 汇泉社区; 香港中路街道), 崂山区."""
    return add_units(
        deployment,
        [
            ("市南区", "district", "青岛市", "370202"),
            ("崂山区", "district", "青岛市", "370212"),
            ("八大关街道", "street", "市南区", "370202005"),
            ("香港中路街道", "street", "市南区", None),
            ("太平角社区", "community", "八大关街道", None),
            ("汇泉社区", "community", "八大关街道", None),
            ("第一网格", "grid", "太平角社区", None),
            ("1号楼", "building", "第一网格", None),
        ],
        root=root_unit,
    )


def unit_count(deployment: Deployment) -> int:
    with deployment.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(OrgUnit)) or 0)


def snapshot(deployment: Deployment) -> dict[str, tuple[int | None, str, int]]:
    with deployment.session_factory() as session:
        return {u.name: (u.parent_id, u.path, u.depth) for u in session.scalars(select(OrgUnit))}


def assert_tree_consistent(deployment: Deployment) -> dict[str, OrgUnit]:
    """Every path is its parent's path plus its own id; every depth is its parent's plus one."""
    with deployment.session_factory() as session:
        units = {u.id: u for u in session.scalars(select(OrgUnit))}
    for unit in units.values():
        if unit.parent_id is None:
            assert (unit.path, unit.depth) == (f"/{unit.id}/", 0), unit
        else:
            parent = units[unit.parent_id]
            assert unit.path == f"{parent.path}{unit.id}/", unit
            assert unit.depth == parent.depth + 1, unit
    return {u.name: u for u in units.values()}


def error_codes(body: dict[str, Any]) -> list[tuple[str | None, str | None]]:
    return [(e.get("extensions", {}).get("code"), e.get("extensions", {}).get("field")) for e in body["errors"]]


# --- create -----------------------------------------------------------------


def test_create_and_read_tree(gql: Any, root_unit: int) -> None:
    city = gid("OrgUnit", root_unit)
    district = create(gql, "市南区", "district", city, divisionCode="370202")
    street = create(gql, "八大关街道", "street", district)
    data = gql(
        """query($id: ID!) { node(id: $id) { ... on OrgUnit { name depth levelName ancestors { name } parent { name } } } }""",
        {"id": street},
    )
    assert data["node"] == {
        "name": "八大关街道",
        "depth": 2,
        "levelName": "街道/乡镇",
        "ancestors": [{"name": "青岛市"}, {"name": "市南区"}],
        "parent": {"name": "市南区"},
    }


def test_create_trims_name_and_accepts_statistical_codes(gql: Any, root_unit: int) -> None:
    city = gid("OrgUnit", root_unit)
    data = gql(
        CREATE, {"input": {"name": "  市南区 ", "level": "district", "parentId": city, "divisionCode": "370202000000"}}
    )
    assert data["createOrgUnit"]["orgUnit"]["name"] == "市南区"
    assert data["createOrgUnit"]["orgUnit"]["divisionCode"] == "370202000000"


CREATE_REFUSALS: list[tuple[str, str, str | None, str | None, list[tuple[str, str]]]] = [
    ("  ", "street", "市南区", None, [("name", "REQUIRED")]),
    ("市" * 101, "street", "市南区", None, [("name", "TOO_LONG")]),
    ("某省", "province", None, None, [("level", "UNKNOWN_LEVEL")]),
    ("错位街道", "street", "太平角社区", None, [("level", "LEVEL_NOT_BELOW_PARENT")]),
    ("同级区", "district", "市南区", None, [("level", "LEVEL_NOT_BELOW_PARENT")]),
    ("市南区", "district", "青岛市", "37020", [("divisionCode", "INVALID_DIVISION_CODE")]),
    ("市南区", "district", "青岛市", "37020A", [("divisionCode", "INVALID_DIVISION_CODE")]),
    ("孤儿街道", "street", "unknown", None, [("parentId", "NOT_FOUND")]),
    ("孤儿街道", "street", "malformed", None, [("parentId", "INVALID_ID")]),
    (
        "",
        "nowhere",
        None,
        "1",
        [("name", "REQUIRED"), ("level", "UNKNOWN_LEVEL"), ("divisionCode", "INVALID_DIVISION_CODE")],
    ),
]


def test_create_refuses_invalid_input_and_writes_nothing(
    gql: Any, tree: dict[str, str], deployment: Deployment
) -> None:
    ids = dict(tree)
    ids["unknown"] = gid("OrgUnit", 999_999)
    ids["malformed"] = "not-an-id"
    before = snapshot(deployment)
    for name, level, parent, division_code, expected in CREATE_REFUSALS:
        case = f"create {name!r} ({level}) under {parent}"
        data = gql(
            CREATE,
            {
                "input": {
                    "name": name,
                    "level": level,
                    "parentId": ids[parent] if parent else None,
                    "divisionCode": division_code,
                }
            },
        )
        payload = data["createOrgUnit"]
        assert payload["orgUnit"] is None, case
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == expected, case
        assert all(e["message"] for e in payload["userErrors"]), case
        assert snapshot(deployment) == before, case


def test_create_under_dissolved_parent_is_refused(gql: Any, tree: dict[str, str], deployment: Deployment) -> None:
    ids = dict(tree)
    gql(UPDATE, {"input": {"id": ids["香港中路街道"], "dissolvedOn": "2025-01-01"}})
    before = unit_count(deployment)
    payload = gql(CREATE, {"input": {"name": "新社区", "level": "community", "parentId": ids["香港中路街道"]}})[
        "createOrgUnit"
    ]
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("parentId", "PARENT_DISSOLVED")]
    assert unit_count(deployment) == before


# --- update -----------------------------------------------------------------


def test_update_renames_and_sets_dates(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    payload = gql(
        UPDATE,
        {
            "input": {
                "id": ids["汇泉社区"],
                "name": " 汇泉湾社区 ",
                "establishedOn": "2001-06-01",
                "dissolvedOn": "2024-12-31",
            }
        },
    )["updateOrgUnit"]
    assert payload["userErrors"] == []
    assert payload["orgUnit"] == {
        "id": ids["汇泉社区"],
        "name": "汇泉湾社区",
        "divisionCode": None,
        "establishedOn": "2001-06-01",
        "dissolvedOn": "2024-12-31",
    }
    # Fields not given stay as they are.
    payload = gql(UPDATE, {"input": {"id": ids["汇泉社区"], "divisionCode": "370202005001"}})["updateOrgUnit"]
    assert payload["orgUnit"]["name"] == "汇泉湾社区"
    assert payload["orgUnit"]["establishedOn"] == "2001-06-01"
    assert payload["orgUnit"]["divisionCode"] == "370202005001"


def test_update_refuses_dissolution_before_establishment(
    gql: Any, tree: dict[str, str], deployment: Deployment
) -> None:
    ids = dict(tree)
    gql(UPDATE, {"input": {"id": ids["汇泉社区"], "establishedOn": "2010-01-01"}})
    payload = gql(UPDATE, {"input": {"id": ids["汇泉社区"], "name": "改名社区", "dissolvedOn": "2009-12-31"}})[
        "updateOrgUnit"
    ]
    assert payload["orgUnit"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("dissolvedOn", "INVALID_DATE_RANGE")]
    # Nothing of the refused update was written, the name included.
    node = gql("query($id: ID!) { node(id: $id) { ... on OrgUnit { name dissolvedOn } } }", {"id": ids["汇泉社区"]})[
        "node"
    ]
    assert node == {"name": "汇泉社区", "dissolvedOn": None}
    # Both dates in one update are checked against each other too.
    payload = gql(
        UPDATE, {"input": {"id": ids["香港中路街道"], "establishedOn": "2020-01-01", "dissolvedOn": "2019-01-01"}}
    )["updateOrgUnit"]
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID_DATE_RANGE"]


def test_update_refuses_empty_name_and_unknown_unit(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    payload = gql(UPDATE, {"input": {"id": ids["汇泉社区"], "name": " "}})["updateOrgUnit"]
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("name", "REQUIRED")]
    payload = gql(UPDATE, {"input": {"id": gid("OrgUnit", 999_999), "name": "新名"}})["updateOrgUnit"]
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("id", "NOT_FOUND")]


# --- children: keyset paging ------------------------------------------------


def page(gql: Any, parent: str, **arguments: Any) -> tuple[list[str], dict[str, Any]]:
    connection = gql(CHILDREN, {"id": parent, **arguments})["node"]["children"]
    return [edge["node"]["name"] for edge in connection["edges"]], connection["pageInfo"]


@pytest.fixture
def seven_children(deployment: Deployment, root_unit: int) -> str:
    units: list[tuple[str, str, str | None, str | None]] = [("市南区", "district", "青岛市", None)]
    units += [(f"街道{i}", "street", "市南区", None) for i in range(1, 8)]
    # A child of another parent must never show up.
    units += [("崂山区", "district", "青岛市", None), ("街道X", "street", "崂山区", None)]
    return add_units(deployment, units, root=root_unit)["市南区"]


def test_children_forward_paging(gql: Any, seven_children: str) -> None:
    names, info = page(gql, seven_children, first=3)
    assert names == ["街道1", "街道2", "街道3"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (False, True)
    names, info = page(gql, seven_children, first=3, after=info["endCursor"])
    assert names == ["街道4", "街道5", "街道6"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (True, True)
    names, info = page(gql, seven_children, first=3, after=info["endCursor"])
    assert names == ["街道7"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (True, False)
    assert info["startCursor"] == info["endCursor"]
    names, info = page(gql, seven_children, first=3, after=info["endCursor"])
    assert names == []
    assert info["startCursor"] is None and info["endCursor"] is None
    assert info["hasNextPage"] is False
    # Exactly a full page at the end: no next page.
    names, info = page(gql, seven_children, first=7)
    assert len(names) == 7 and info["hasNextPage"] is False


def test_children_backward_paging(gql: Any, seven_children: str) -> None:
    names, info = page(gql, seven_children, last=3)
    assert names == ["街道5", "街道6", "街道7"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (True, False)
    names, info = page(gql, seven_children, last=3, before=info["startCursor"])
    assert names == ["街道2", "街道3", "街道4"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (True, True)
    names, info = page(gql, seven_children, last=3, before=info["startCursor"])
    assert names == ["街道1"]
    assert (info["hasPreviousPage"], info["hasNextPage"]) == (False, True)
    names, info = page(gql, seven_children, last=7)
    assert len(names) == 7 and info["hasPreviousPage"] is False


def test_children_between_two_cursors(gql: Any, seven_children: str) -> None:
    names, _ = page(gql, seven_children, first=7)
    connection = gql(CHILDREN, {"id": seven_children, "first": 7})["node"]["children"]
    cursors = {edge["node"]["name"]: edge["cursor"] for edge in connection["edges"]}
    names, info = page(gql, seven_children, first=10, after=cursors["街道2"], before=cursors["街道6"])
    assert names == ["街道3", "街道4", "街道5"]
    names, info = page(gql, seven_children, last=2, after=cursors["街道2"], before=cursors["街道6"])
    assert names == ["街道4", "街道5"]
    assert info["hasPreviousPage"] is True


def test_page_size_zero_and_default(gql: Any, seven_children: str) -> None:
    names, info = page(gql, seven_children, first=0)
    assert names == [] and info["hasNextPage"] is True
    names, _ = page(gql, seven_children)
    assert len(names) == 7


def test_page_size_out_of_range(gql: Any, seven_children: str) -> None:
    cases: list[tuple[dict[str, Any], tuple[str, str]]] = [
        ({"first": -1}, ("PAGE_SIZE_OUT_OF_RANGE", "first")),
        ({"first": 101}, ("PAGE_SIZE_OUT_OF_RANGE", "first")),
        ({"last": -1}, ("PAGE_SIZE_OUT_OF_RANGE", "last")),
        ({"last": 101}, ("PAGE_SIZE_OUT_OF_RANGE", "last")),
        ({"first": 1, "last": 1}, ("INVALID_ARGUMENTS", "last")),
    ]
    for arguments, expected in cases:
        body = gql(CHILDREN, {"id": seven_children, **arguments}, expect_errors=True)
        assert error_codes(body) == [expected], arguments
        body = gql(
            "query($first: Int, $last: Int) { orgUnits(first: $first, last: $last) { totalCount } }",
            arguments,
            expect_errors=True,
        )
        assert error_codes(body) == [expected], arguments
    # The configured maximum itself is allowed.
    names, _ = page(gql, seven_children, first=100)
    assert len(names) == 7


def forged_cursor(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


INVALID_CURSORS = [
    "not a cursor",
    "",
    forged_cursor({"id": 1}),
    forged_cursor([1, 2]),
    forged_cursor(["2"]),
    forged_cursor([None]),
    forged_cursor([True]),
    forged_cursor([1.5]),
    forged_cursor([{"id": 1}]),
    forged_cursor([10**30]),
    # Beyond the range of the INTEGER id column.
    forged_cursor([2**31]),
    forged_cursor([-(2**40)]),
    forged_cursor(["/1/"]),
]


def test_invalid_cursor(gql: Any, seven_children: str) -> None:
    for direction in ("after", "before"):
        for cursor in INVALID_CURSORS:
            body = gql(CHILDREN, {"id": seven_children, direction: cursor}, expect_errors=True)
            assert error_codes(body) == [("INVALID_CURSOR", direction)], (direction, cursor)


def test_cursor_of_another_connection_is_refused(gql: Any, seven_children: str) -> None:
    """Children are ordered by id, descendants by path: their cursors do not mix."""
    _, info = page(gql, seven_children, first=1)
    body = gql(
        "query($id: ID!, $after: String) { node(id: $id) { ... on OrgUnit { descendants(after: $after) { totalCount } } } }",
        {"id": seven_children, "after": info["endCursor"]},
        expect_errors=True,
    )
    assert error_codes(body) == [("INVALID_CURSOR", "after")]
    for cursor in (forged_cursor([0]), forged_cursor(["/1/\u0000"])):
        body = gql(
            "query($after: String) { orgUnits(after: $after) { totalCount } }", {"after": cursor}, expect_errors=True
        )
        assert error_codes(body) == [("INVALID_CURSOR", "after")], cursor
    # A path cursor is accepted by path-ordered connections.
    data = gql("query($after: String) { orgUnits(after: $after) { nodes { name } } }", {"after": forged_cursor(["/"])})
    assert len(data["orgUnits"]["nodes"]) == 11


@contextmanager
def recorded_statements(deployment: Deployment) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "org_unit" in statement:
            statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(deployment.engine, "before_cursor_execute", record)


def test_total_count_runs_only_when_requested(gql: Any, deployment: Deployment, seven_children: str) -> None:
    without = "query($id: ID!) { node(id: $id) { ... on OrgUnit { children(first: 2) { nodes { name } pageInfo { hasNextPage } } } } }"
    with_total = "query($id: ID!) { node(id: $id) { ... on OrgUnit { children(first: 2) { totalCount nodes { name } pageInfo { hasNextPage } } } } }"
    gql(without, {"id": seven_children})  # the sign-in is cached from here on: both runs below read the same
    with recorded_statements(deployment) as plain:
        data = gql(without, {"id": seven_children})
    assert [n["name"] for n in data["node"]["children"]["nodes"]] == ["街道1", "街道2"]
    with recorded_statements(deployment) as counted:
        data = gql(with_total, {"id": seven_children})
    assert data["node"]["children"]["totalCount"] == 7
    assert not any("count(" in s.lower() for s in plain), plain
    assert len(counted) == len(plain) + 1, (plain, counted)
    assert sum("count(" in s.lower() for s in counted) == 1, "\n=====\n".join(counted)


# --- subtree queries --------------------------------------------------------


DESCENDANTS = """
query($id: ID!, $level: String, $first: Int) {
  node(id: $id) { ... on OrgUnit { descendants(level: $level, first: $first) { totalCount nodes { name level } } } }
}
"""


def test_descendants_in_tree_order_and_by_level(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    connection = gql(DESCENDANTS, {"id": ids["市南区"]})["node"]["descendants"]
    names = [n["name"] for n in connection["nodes"]]
    assert connection["totalCount"] == 6
    assert set(names) == {"八大关街道", "香港中路街道", "太平角社区", "汇泉社区", "第一网格", "1号楼"}
    # Pre-order: every unit comes after its parent, a subtree is contiguous.
    assert names.index("八大关街道") < names.index("太平角社区") < names.index("第一网格") < names.index("1号楼")
    assert names[names.index("太平角社区") + 1 : names.index("太平角社区") + 3] == ["第一网格", "1号楼"]
    connection = gql(DESCENDANTS, {"id": ids["市南区"], "level": "community"})["node"]["descendants"]
    assert connection["totalCount"] == 2
    assert sorted(n["name"] for n in connection["nodes"]) == ["太平角社区", "汇泉社区"]
    assert {n["level"] for n in connection["nodes"]} == {"community"}
    connection = gql(DESCENDANTS, {"id": ids["崂山区"]})["node"]["descendants"]
    assert connection == {"totalCount": 0, "nodes": []}


def test_descendants_paging_by_path(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    query = """
    query($id: ID!, $after: String) {
      node(id: $id) { ... on OrgUnit { descendants(first: 4, after: $after) { nodes { name } pageInfo { endCursor hasNextPage } } } }
    }"""
    first = gql(query, {"id": ids["青岛市"]})["node"]["descendants"]
    second = gql(query, {"id": ids["青岛市"], "after": first["pageInfo"]["endCursor"]})["node"]["descendants"]
    everything = gql(DESCENDANTS, {"id": ids["青岛市"]})["node"]["descendants"]["nodes"]
    assert [n["name"] for n in first["nodes"] + second["nodes"]] == [n["name"] for n in everything]
    assert first["pageInfo"]["hasNextPage"] is True and second["pageInfo"]["hasNextPage"] is False


def test_org_units_under_and_level(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    data = gql(
        """query($under: ID!) {
          all: orgUnits { totalCount }
          districts: orgUnits(level: "district") { nodes { name divisionCode } }
          subtree: orgUnits(under: $under) { totalCount nodes { name } }
          grids: orgUnits(under: $under, level: "grid") { nodes { name } }
        }""",
        {"under": ids["八大关街道"]},
    )
    assert data["all"]["totalCount"] == 9
    assert sorted((n["name"], n["divisionCode"]) for n in data["districts"]["nodes"]) == [
        ("崂山区", "370212"),
        ("市南区", "370202"),
    ]
    # ``under`` includes the unit itself, first in tree order.
    assert data["subtree"]["totalCount"] == 5
    assert data["subtree"]["nodes"][0]["name"] == "八大关街道"
    assert data["grids"]["nodes"] == [{"name": "第一网格"}]


def test_ancestors_root_first(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    query = "query($id: ID!) { node(id: $id) { ... on OrgUnit { ancestors { name level } } } }"
    assert gql(query, {"id": ids["1号楼"]})["node"]["ancestors"] == [
        {"name": "青岛市", "level": "city"},
        {"name": "市南区", "level": "district"},
        {"name": "八大关街道", "level": "street"},
        {"name": "太平角社区", "level": "community"},
        {"name": "第一网格", "level": "grid"},
    ]
    assert gql(query, {"id": ids["青岛市"]})["node"]["ancestors"] == []


def test_subtree_counts_per_level(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    query = "query($id: ID!) { node(id: $id) { ... on OrgUnit { subtreeCounts { level count } } } }"
    assert gql(query, {"id": ids["青岛市"]})["node"]["subtreeCounts"] == [
        {"level": "district", "count": 2},
        {"level": "street", "count": 2},
        {"level": "community", "count": 2},
        {"level": "grid", "count": 1},
        {"level": "building", "count": 1},
    ]
    assert gql(query, {"id": ids["太平角社区"]})["node"]["subtreeCounts"] == [
        {"level": "grid", "count": 1},
        {"level": "building", "count": 1},
    ]
    assert gql(query, {"id": ids["1号楼"]})["node"]["subtreeCounts"] == []


def test_org_levels_and_division_code_lookup(gql: Any, tree: dict[str, str]) -> None:
    data = gql('{ orgLevels { code name rank } orgUnitByDivisionCode(divisionCode: "370202") { name level } }')
    assert [level["code"] for level in data["orgLevels"]] == [
        "city",
        "district",
        "street",
        "community",
        "grid",
        "resident_group",
        "building",
    ]
    assert [level["rank"] for level in data["orgLevels"]] == list(range(7))
    assert data["orgUnitByDivisionCode"] == {"name": "市南区", "level": "district"}
    assert gql('{ orgUnitByDivisionCode(divisionCode: "999999") { name } }')["orgUnitByDivisionCode"] is None


# --- moves (区划调整) ---------------------------------------------------------


def move(
    gql: Any, unit: str, new_parent: str, reason: str = "鲁政字〔2025〕1号", effective_on: str = "2025-07-01"
) -> dict[str, Any]:
    data = gql(MOVE, {"input": {"id": unit, "newParentId": new_parent, "reason": reason, "effectiveOn": effective_on}})
    return dict(data["moveOrgUnit"])


def test_move_carries_the_whole_subtree(gql: Any, tree: dict[str, str], deployment: Deployment) -> None:
    ids = dict(tree)
    payload = move(gql, ids["八大关街道"], ids["崂山区"], reason=" 区划调整：八大关街道划归崂山区 ")
    assert payload["userErrors"] == []
    assert payload["orgUnit"]["parent"] == {"name": "崂山区"}
    assert payload["orgUnit"]["ancestors"] == [{"name": "青岛市"}, {"name": "崂山区"}]
    assert payload["move"] == {
        "fromParentName": "市南区",
        "toParentName": "崂山区",
        "reason": "区划调整：八大关街道划归崂山区",
        "effectiveOn": "2025-07-01",
        "fromParent": {"name": "市南区"},
    }
    units = assert_tree_consistent(deployment)
    laoshan = units["崂山区"]
    for name in ("八大关街道", "太平角社区", "汇泉社区", "第一网格", "1号楼"):
        assert units[name].path.startswith(laoshan.path), name
    query = "query($id: ID!) { node(id: $id) { ... on OrgUnit { ancestors { name } subtreeCounts { level count } } } }"
    assert [a["name"] for a in gql(query, {"id": ids["1号楼"]})["node"]["ancestors"]] == [
        "青岛市",
        "崂山区",
        "八大关街道",
        "太平角社区",
        "第一网格",
    ]
    assert gql(query, {"id": ids["市南区"]})["node"]["subtreeCounts"] == [{"level": "street", "count": 1}]
    assert {c["level"]: c["count"] for c in gql(query, {"id": ids["崂山区"]})["node"]["subtreeCounts"]} == {
        "street": 1,
        "community": 2,
        "grid": 1,
        "building": 1,
    }
    # The unit records the move; its descendants do not.
    history = "query($id: ID!) { node(id: $id) { ... on OrgUnit { moves { fromParentName toParentName } } } }"
    assert gql(history, {"id": ids["八大关街道"]})["node"]["moves"] == [
        {"fromParentName": "市南区", "toParentName": "崂山区"}
    ]
    assert gql(history, {"id": ids["太平角社区"]})["node"]["moves"] == []


def test_move_changes_depths_and_keeps_history_in_order(gql: Any, tree: dict[str, str], deployment: Deployment) -> None:
    ids = dict(tree)
    # A community directly under the city: allowed, the city ranks above communities.
    payload = move(gql, ids["太平角社区"], ids["青岛市"], reason="直管社区", effective_on="2025-01-01")
    assert payload["userErrors"] == []
    assert payload["orgUnit"]["depth"] == 1
    units = assert_tree_consistent(deployment)
    assert (units["太平角社区"].depth, units["第一网格"].depth, units["1号楼"].depth) == (1, 2, 3)
    payload = move(gql, ids["太平角社区"], ids["香港中路街道"], reason="恢复街道管理", effective_on="2025-03-01")
    assert payload["userErrors"] == []
    units = assert_tree_consistent(deployment)
    assert (units["太平角社区"].depth, units["1号楼"].depth) == (3, 5)
    history = gql(
        "query($id: ID!) { node(id: $id) { ... on OrgUnit { moves { fromParentName toParentName reason effectiveOn } } } }",
        {"id": ids["太平角社区"]},
    )["node"]["moves"]
    assert history == [
        {"fromParentName": "八大关街道", "toParentName": "青岛市", "reason": "直管社区", "effectiveOn": "2025-01-01"},
        {
            "fromParentName": "青岛市",
            "toParentName": "香港中路街道",
            "reason": "恢复街道管理",
            "effectiveOn": "2025-03-01",
        },
    ]
    # The history keeps the names of the time.
    gql(UPDATE, {"input": {"id": ids["八大关街道"], "name": "八大关新街道"}})
    history = gql(
        "query($id: ID!) { node(id: $id) { ... on OrgUnit { moves { fromParentName fromParent { name } } } } }",
        {"id": ids["太平角社区"]},
    )["node"]["moves"]
    assert history[0] == {"fromParentName": "八大关街道", "fromParent": {"name": "八大关新街道"}}


MOVE_REFUSALS: list[tuple[str, str, str, tuple[str, str]]] = [
    ("市南区", "太平角社区", "调整", ("newParentId", "MOVE_INTO_OWN_SUBTREE")),
    ("八大关街道", "1号楼", "调整", ("newParentId", "MOVE_INTO_OWN_SUBTREE")),
    ("八大关街道", "八大关街道", "调整", ("newParentId", "MOVE_INTO_OWN_SUBTREE")),
    # A district under a street: the street ranks below the district.
    ("崂山区", "八大关街道", "调整", ("newParentId", "LEVEL_NOT_BELOW_PARENT")),
    ("太平角社区", "汇泉社区", "调整", ("newParentId", "LEVEL_NOT_BELOW_PARENT")),
    ("汇泉社区", "香港中路街道", "  ", ("reason", "REQUIRED")),
    ("汇泉社区", "八大关街道", "调整", ("newParentId", "ALREADY_THERE")),
    ("汇泉社区", "unknown", "调整", ("newParentId", "NOT_FOUND")),
    ("汇泉社区", "malformed", "调整", ("newParentId", "INVALID_ID")),
    ("unknown", "香港中路街道", "调整", ("id", "NOT_FOUND")),
]


def test_move_refusals_change_nothing(gql: Any, tree: dict[str, str], deployment: Deployment) -> None:
    ids = dict(tree)
    ids["unknown"] = gid("OrgUnit", 999_999)
    ids["malformed"] = gid("OrgUnitMove", 1)
    before = snapshot(deployment)
    for unit, new_parent, reason, expected in MOVE_REFUSALS:
        case = f"move {unit} under {new_parent}"
        payload = move(gql, ids[unit], ids[new_parent], reason=reason)
        assert payload["orgUnit"] is None and payload["move"] is None, case
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [expected], case
        assert snapshot(deployment) == before, case
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OrgUnitMove)) == 0


def test_move_under_dissolved_parent_is_refused(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    gql(UPDATE, {"input": {"id": ids["香港中路街道"], "dissolvedOn": "2025-01-01"}})
    payload = move(gql, ids["汇泉社区"], ids["香港中路街道"])
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("newParentId", "PARENT_DISSOLVED")]


# --- global IDs -------------------------------------------------------------


MALFORMED_IDS = [
    "",
    "not-an-id",
    "!!!",
    gid("OrgUnit", ""),
    gid("OrgUnit", "abc"),
    gid("OrgUnit", "-1"),
    gid("OrgUnit", "1.0"),
    gid("OrgUnit", "²"),
    gid("OrgUnit", "01"),
    gid("OrgUnit", 10**20),
    gid("OrgUnit", 2**31),
    gid("NoSuchType", 1),
    base64.urlsafe_b64encode(b"\xff\xfe:1").decode(),
]


def test_malformed_ids(gql: Any, tree: dict[str, str]) -> None:
    """``node`` answers null, as for an unknown object; ``orgUnits(under:)`` says INVALID_ID."""
    for global_id in MALFORMED_IDS:
        assert gql("query($id: ID!) { node(id: $id) { id } }", {"id": global_id}) == {"node": None}, global_id
        body = gql("query($id: ID!) { orgUnits(under: $id) { totalCount } }", {"id": global_id}, expect_errors=True)
        assert error_codes(body) == [("INVALID_ID", "under")], global_id
    # Another type's ID: said in Chinese, without the schema's English type names.
    body = gql("query($id: ID!) { orgUnits(under: $id) { totalCount } }", {"id": gid("User", 1)}, expect_errors=True)
    assert error_codes(body) == [("INVALID_ID", "under")]
    assert body["errors"][0]["message"] == "ID 与此处所需的对象类型不符。"


def test_node_and_nodes_by_id(gql: Any, tree: dict[str, str]) -> None:
    ids = dict(tree)
    unknown = gid("OrgUnit", 999_999)
    assert gql("query($id: ID!) { node(id: $id) { id } }", {"id": unknown}) == {"node": None}
    data = gql(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on OrgUnit { name } } }",
        {"ids": [ids["市南区"], "garbage", unknown, ids["青岛市"], gid("OrgUnit", 10**20)]},
    )
    assert data["nodes"] == [
        {"id": ids["市南区"], "name": "市南区"},
        None,
        None,
        {"id": ids["青岛市"], "name": "青岛市"},
        None,
    ]
    body = gql("query($id: ID!) { orgUnits(under: $id) { totalCount } }", {"id": unknown}, expect_errors=True)
    assert error_codes(body) == [("NOT_FOUND", "under")]
    assert decode_pk(ids["市南区"], "OrgUnit") > 0


# --- who may read and change the tree ---------------------------------------


READ_EVERYTHING = """
query($id: ID!) {
  orgLevels { code }
  orgUnits(first: 3) { totalCount nodes { name } }
  orgUnitByDivisionCode(divisionCode: "370202") { name }
  node(id: $id) {
    ... on OrgUnit {
      name levelName parent { name } ancestors { name } subtreeCounts { level count } moves { reason }
      children { totalCount nodes { name } }
      descendants(first: 2) { totalCount nodes { name } }
    }
  }
}
"""


def pk(global_id: str) -> int:
    return decode_pk(global_id, "OrgUnit")


def move_input(unit: str, new_parent: str) -> dict[str, Any]:
    return {"input": {"id": unit, "newParentId": new_parent, "reason": "区划调整", "effectiveOn": "2025-07-01"}}


def refusals(deployment: Deployment) -> list[tuple[str, str, str, str | None]]:
    with deployment.session_factory() as session:
        return [
            (r.action, r.outcome, r.actor_label, r.detail)
            for r in session.scalars(
                select(AuditRecord).where(AuditRecord.outcome == "refused").order_by(AuditRecord.seq)
            )
        ]


def test_reading_the_tree_is_public(client: Any, gql: Any, tree: dict[str, str], sign_in: SignIn) -> None:
    """The administrative division structure is public information: the
    public board reads it without signing in, and every user reads the same."""
    variables = {"id": tree["八大关街道"]}
    as_admin = gql(READ_EVERYTHING, variables)
    assert as_admin["node"]["children"]["totalCount"] == 2
    assert graphql_caller(client)(READ_EVERYTHING, variables) == as_admin
    assert sign_in("resident", pk(tree["1号楼"]))(READ_EVERYTHING, variables) == as_admin


def test_changes_need_a_signed_in_user_and_write_nothing(
    client: Any, tree: dict[str, str], deployment: Deployment
) -> None:
    anonymous = graphql_caller(client)
    before = snapshot(deployment)
    attempts = [
        ("createOrgUnit", CREATE, {"input": {"name": "新社区", "level": "community", "parentId": tree["八大关街道"]}}),
        ("createOrgUnit", CREATE, {"input": {"name": "烟台市", "level": "city"}}),
        ("updateOrgUnit", UPDATE, {"input": {"id": tree["汇泉社区"], "name": "改名社区"}}),
        ("moveOrgUnit", MOVE, move_input(tree["汇泉社区"], tree["香港中路街道"])),
    ]
    for field, document, variables in attempts:
        payload = anonymous(document, variables)[field]
        assert payload["orgUnit"] is None, field
        assert payload["userErrors"] == [{"field": None, "code": "UNAUTHENTICATED", "message": "请先登录。"}], field
    assert snapshot(deployment) == before
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OrgUnitMove)) == 0
    # Each refusal is audited; nothing else was.
    assert refusals(deployment) == [
        (f"mutation:{field}", "refused", "anonymous", '{"codes":["UNAUTHENTICATED"]}') for field, _, _ in attempts
    ]


def test_street_leader_changes_only_their_own_street(
    sign_in: SignIn, tree: dict[str, str], deployment: Deployment
) -> None:
    ids = dict(tree)
    ids.update(add_units(deployment, [("中山路社区", "community", "香港中路街道", None)], root=pk(ids["香港中路街道"])))
    leader = sign_in("street_leader", pk(ids["八大关街道"]))
    before = snapshot(deployment)
    attempts = [
        # Renaming a unit of another street, or that street itself.
        ("updateOrgUnit", UPDATE, {"input": {"id": ids["中山路社区"], "name": "改名社区"}}),
        ("updateOrgUnit", UPDATE, {"input": {"id": ids["香港中路街道"], "name": "改名街道"}}),
        # Moving a unit of another street into their own.
        ("moveOrgUnit", MOVE, move_input(ids["中山路社区"], ids["八大关街道"])),
        # Moving their own units out: the new parent is outside their street.
        ("moveOrgUnit", MOVE, move_input(ids["汇泉社区"], ids["香港中路街道"])),
        ("moveOrgUnit", MOVE, move_input(ids["八大关街道"], ids["崂山区"])),
        # Creating units elsewhere, or a new root unit.
        ("createOrgUnit", CREATE, {"input": {"name": "新社区", "level": "community", "parentId": ids["香港中路街道"]}}),
        ("createOrgUnit", CREATE, {"input": {"name": "新街道", "level": "street", "parentId": ids["市南区"]}}),
        ("createOrgUnit", CREATE, {"input": {"name": "烟台市", "level": "city"}}),
    ]
    for field, document, variables in attempts:
        payload = leader(document, variables)[field]
        assert payload["orgUnit"] is None, (field, variables)
        assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(None, "FORBIDDEN")], (field, variables)
        assert payload["userErrors"][0]["message"].startswith("无权执行此操作"), payload
    assert snapshot(deployment) == before
    assert len(refusals(deployment)) == len(attempts)

    # Within their street: allowed.
    renamed = leader(UPDATE, {"input": {"id": ids["汇泉社区"], "name": "汇泉湾社区"}})["updateOrgUnit"]
    assert renamed["userErrors"] == [] and renamed["orgUnit"]["name"] == "汇泉湾社区"
    moved = leader(MOVE, move_input(ids["第一网格"], ids["汇泉社区"]))["moveOrgUnit"]
    assert moved["userErrors"] == [] and moved["orgUnit"]["parent"] == {"name": "汇泉湾社区"}
    created = leader(CREATE, {"input": {"name": "第二网格", "level": "grid", "parentId": ids["太平角社区"]}})[
        "createOrgUnit"
    ]
    assert created["userErrors"] == []
    assert_tree_consistent(deployment)


def test_viewing_is_not_managing(sign_in: SignIn, tree: dict[str, str]) -> None:
    staff = sign_in("street_staff", pk(tree["八大关街道"]))
    payload = staff(UPDATE, {"input": {"id": tree["汇泉社区"], "name": "改名社区"}})["updateOrgUnit"]
    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]
    # The permission by its Chinese name, not its code.
    message = payload["userErrors"][0]["message"]
    assert "新建、修改和调整组织单位" in message and "org.unit.manage" not in message


def test_a_new_root_unit_needs_a_manager_at_a_root_unit(
    gql: Any, sign_in: SignIn, tree: dict[str, str], deployment: Deployment
) -> None:
    district_admin = sign_in("admin", pk(tree["市南区"]))
    new_city = {"input": {"name": "烟台市", "level": "city", "divisionCode": "370600"}}
    payload = district_admin(CREATE, new_city)["createOrgUnit"]
    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]
    assert "最上级单位" in payload["userErrors"][0]["message"]
    # Below their district they manage everything.
    assert (
        district_admin(CREATE, {"input": {"name": "新街道", "level": "street", "parentId": tree["市南区"]}})[
            "createOrgUnit"
        ]["userErrors"]
        == []
    )
    # The city's administrator may add another root.
    payload = gql(CREATE, new_city)["createOrgUnit"]
    assert payload["userErrors"] == [] and payload["orgUnit"]["depth"] == 0
    assert "烟台市" in {unit.name for unit in assert_tree_consistent(deployment).values() if unit.parent_id is None}


def test_a_new_database_gets_its_root_from_the_command_line(
    client: Any,
    deployment: Deployment,
    core_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """jiceng org add-root, then jiceng user create --role admin there; the
    administrator builds the rest of the tree through the API."""
    monkeypatch.setenv("JICENG_DATABASE_URL", core_database_url)
    monkeypatch.setenv("JICENG_USER_PASSWORD", TEST_PASSWORD)
    base = ["--config", "/nonexistent.toml"]
    assert cli.main([*base, "org", "add-root", "--name", "青岛", "--level", "galaxy"]) == 1
    assert "未知的层级" in capsys.readouterr().err
    assert cli.main([*base, "org", "add-root", "--name", "青岛市", "--level", "city", "--division-code", "370200"]) == 0
    assert "已创建根单位“青岛市”" in capsys.readouterr().out
    assert (
        cli.main([*base, "user", "create", "--username", "city.admin", "--org-unit", "370200", "--role", "admin"]) == 0
    )
    with deployment.session_factory() as session:
        record = session.scalars(select(AuditRecord).where(AuditRecord.action == "cli:org.add_root")).one()
        assert (record.actor_label, record.object_type) == ("cli", "OrgUnit")

    login = graphql_caller(client)(
        'mutation($p: String!) { login(input: {username: "city.admin", password: $p}) { token } }', {"p": TEST_PASSWORD}
    )
    admin = graphql_caller(client, login["login"]["token"])
    city = admin('{ orgUnitByDivisionCode(divisionCode: "370200") { id } }')["orgUnitByDivisionCode"]["id"]
    assert create(admin, "市南区", "district", city)
