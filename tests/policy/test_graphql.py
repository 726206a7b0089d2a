"""Policy through GraphQL: keys, effective values with their source, history,
setting and clearing, and the user errors of setPolicyValue."""

from __future__ import annotations

from typing import Any

from core.api.relay import encode_global_id
from tests.policy.conftest import Tree

SET = """
mutation($input: SetPolicyValueInput!) {
  setPolicyValue(input: $input) {
    record { key value valueJson effectiveFrom setBy reason status orgUnit { name } }
    effective { value inherited sourceUnit { name } }
    userErrors { field code message }
  }
}
"""

VALUES = """
query($unit: ID!, $on: Date, $keys: [String!]) {
  policyValues(orgUnitId: $unit, on: $on, keys: $keys) {
    key value valueJson display effectiveFrom inherited isDefault sourceUnit { name }
    policyKey { type plugin unit }
  }
}
"""


def gid(pk: int) -> str:
    return encode_global_id("OrgUnit", pk)


def set_value(gql: Any, unit: int, key: str, value: Any, effective_from: str = "2024-01-01", reason: str = "市政府文件") -> dict[str, Any]:
    data = gql(SET, {"input": {"orgUnitId": gid(unit), "key": key, "value": value, "effectiveFrom": effective_from, "reason": reason}})
    return data["setPolicyValue"]  # type: ignore[no-any-return]


def test_policy_keys_lists_core_declarations(gql: Any) -> None:
    data = gql("{ policyKeys { key type default description plugin unit min max } }")
    keys = {k["key"]: k for k in data["policyKeys"]}
    grid = keys["org.grid.max_households"]
    assert grid == {
        "key": "org.grid.max_households",
        "type": "INT",
        "default": 300,
        "description": grid["description"],
        "plugin": "core",
        "unit": "户",
        "min": 1,
        "max": 10000,
    }
    assert "网格" in grid["description"]
    assert {"org.community.households_min", "org.community.households_max"} <= set(keys)
    assert gql('{ policyKeys(plugin: "nobody") { key } }')["policyKeys"] == []


def test_set_then_read_inherited_values(gql: Any, tree: Tree) -> None:
    payload = set_value(gql, tree.city, "org.grid.max_households", 250)
    assert payload["userErrors"] == []
    assert payload["record"] == {
        "key": "org.grid.max_households",
        "value": 250,
        "valueJson": "250",
        "effectiveFrom": "2024-01-01",
        "setBy": "graphql",
        "reason": "市政府文件",
        "status": "IN_FORCE",
        "orgUnit": {"name": "吉林市"},
    }
    assert payload["effective"] == {"value": 250, "inherited": False, "sourceUnit": {"name": "吉林市"}}

    data = gql(VALUES, {"unit": gid(tree.grid), "on": "2024-06-01", "keys": ["org.grid.max_households", "org.community.households_min"]})
    grid, community_min = data["policyValues"]
    assert grid == {
        "key": "org.grid.max_households",
        "value": 250,
        "valueJson": "250",
        "display": "250 户",
        "effectiveFrom": "2024-01-01",
        "inherited": True,
        "isDefault": False,
        "sourceUnit": {"name": "吉林市"},
        "policyKey": {"type": "INT", "plugin": "core", "unit": "户"},
    }
    assert community_min["isDefault"] and community_min["sourceUnit"] is None and community_min["value"] == 1500

    before = gql(VALUES, {"unit": gid(tree.grid), "on": "2023-12-31", "keys": ["org.grid.max_households"]})
    assert before["policyValues"][0]["isDefault"]
    everything = gql(VALUES, {"unit": gid(tree.grid)})["policyValues"]
    assert [v["key"] for v in everything] == sorted(v["key"] for v in everything)


def test_history_and_clearing(gql: Any, tree: Tree) -> None:
    set_value(gql, tree.city, "org.grid.max_households", 250)
    set_value(gql, tree.community, "org.grid.max_households", 350, "2024-01-01")
    set_value(gql, tree.community, "org.grid.max_households", 320, "2024-01-01", reason="更正")
    set_value(gql, tree.community, "org.grid.max_households", 330, "2999-01-01", reason="将来")
    history = gql(
        """query($unit: ID!) { policyHistory(orgUnitId: $unit, key: "org.grid.max_households", includeAncestors: true) {
             orgUnit { name } value effectiveFrom status reason supersededAt clears } }""",
        {"unit": gid(tree.community)},
    )["policyHistory"]
    assert [(h["orgUnit"]["name"], h["value"], h["status"]) for h in history] == [
        ("吉林市", 250, "IN_FORCE"),
        ("文庙社区", 350, "SUPERSEDED"),
        ("文庙社区", 320, "IN_FORCE"),
        ("文庙社区", 330, "SCHEDULED"),
    ]
    assert history[1]["supersededAt"] is not None and history[2]["supersededAt"] is None

    cleared = gql(
        """mutation($input: ClearPolicyValueInput!) { clearPolicyValue(input: $input) {
             record { clears value status } effective { value inherited sourceUnit { name } } userErrors { code field } } }""",
        {"input": {"orgUnitId": gid(tree.community), "key": "org.grid.max_households", "effectiveFrom": "2024-06-01", "reason": "恢复执行市里标准"}},
    )["clearPolicyValue"]
    assert cleared == {
        "record": {"clears": True, "value": None, "status": "IN_FORCE"},
        "effective": {"value": 250, "inherited": True, "sourceUnit": {"name": "吉林市"}},
        "userErrors": [],
    }


def test_set_policy_value_user_errors(gql: Any, tree: Tree) -> None:
    def errors(**changes: Any) -> list[tuple[str | None, str]]:
        variables = {"orgUnitId": gid(tree.street), "key": "org.grid.max_households", "value": 200, "reason": "文件", **changes}
        payload = gql(SET, {"input": variables})["setPolicyValue"]
        assert payload["record"] is None
        for error in payload["userErrors"]:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error
        return [(e["field"], e["code"]) for e in payload["userErrors"]]

    assert errors(key="org.grid.nope") == [("key", "UNKNOWN_KEY")]
    assert errors(value="二百") == [("value", "WRONG_TYPE")]
    assert errors(value=[200]) == [("value", "WRONG_TYPE")]
    assert errors(value=20000) == [("value", "OUT_OF_RANGE")]
    assert errors(orgUnitId=gid(999999)) == [("orgUnitId", "NOT_FOUND")]
    assert errors(orgUnitId="garbage") == [("orgUnitId", "INVALID_ID")]
    assert errors(reason=" ") == [("reason", "REQUIRED")]
    # Every problem at once.
    assert errors(key="org.grid.nope", orgUnitId=gid(999999), reason="") == [
        ("key", "UNKNOWN_KEY"),
        ("orgUnitId", "NOT_FOUND"),
        ("reason", "REQUIRED"),
    ]
    # Nothing was written.
    history = gql(
        """query($unit: ID!) { policyHistory(orgUnitId: $unit, key: "org.grid.max_households") { value } }""",
        {"unit": gid(tree.street)},
    )
    assert history["policyHistory"] == []


def test_queries_refuse_unknown_keys_and_units(gql: Any, tree: Tree) -> None:
    body = gql(VALUES, {"unit": gid(tree.grid), "keys": ["org.nope"]}, expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "UNKNOWN_KEY", "field": "keys"}
    body = gql(VALUES, {"unit": gid(424242)}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
