"""Policy through GraphQL: keys, effective values with their source, history,
setting and clearing, the user errors of setPolicyValue, and who may read
and set policy where. ``gql`` is the administrator of 吉林市."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.policy.models import PolicyValue
from tests.conftest import SignIn, graphql_caller
from tests.policy.conftest import ADMIN, Tree

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


def set_value(
    gql: Any, unit: int, key: str, value: Any, effective_from: str = "2024-01-01", reason: str = "市政府文件"
) -> dict[str, Any]:
    data = gql(
        SET,
        {
            "input": {
                "orgUnitId": gid(unit),
                "key": key,
                "value": value,
                "effectiveFrom": effective_from,
                "reason": reason,
            }
        },
    )
    return data["setPolicyValue"]


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
        "setBy": f"graphql:{ADMIN}",
        "reason": "市政府文件",
        "status": "IN_FORCE",
        "orgUnit": {"name": "吉林市"},
    }
    assert payload["effective"] == {"value": 250, "inherited": False, "sourceUnit": {"name": "吉林市"}}

    data = gql(
        VALUES,
        {
            "unit": gid(tree.grid),
            "on": "2024-06-01",
            "keys": ["org.grid.max_households", "org.community.households_min"],
        },
    )
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
        {
            "input": {
                "orgUnitId": gid(tree.community),
                "key": "org.grid.max_households",
                "effectiveFrom": "2024-06-01",
                "reason": "恢复执行市里标准",
            }
        },
    )["clearPolicyValue"]
    assert cleared == {
        "record": {"clears": True, "value": None, "status": "IN_FORCE"},
        "effective": {"value": 250, "inherited": True, "sourceUnit": {"name": "吉林市"}},
        "userErrors": [],
    }


def test_set_policy_value_user_errors(gql: Any, tree: Tree) -> None:
    def errors(**changes: Any) -> list[tuple[str | None, str]]:
        variables = {
            "orgUnitId": gid(tree.street),
            "key": "org.grid.max_households",
            "value": 200,
            "reason": "文件",
            **changes,
        }
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


# --- who may read and set policy where ---------------------------------------------


CLEAR = """
mutation($input: ClearPolicyValueInput!) {
  clearPolicyValue(input: $input) { record { clears } userErrors { field code message } }
}
"""
HISTORY = """query($unit: ID!) { policyHistory(orgUnitId: $unit, key: "org.grid.max_households") { value } }"""


def record_count(deployment: Deployment) -> int:
    with deployment.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(PolicyValue)) or 0)


def forbidden(gql: Any, document: str, variables: dict[str, Any] | None = None, *, code: str = "FORBIDDEN") -> str:
    """The message of a query refused with ``code``."""
    body = gql(document, variables, expect_errors=True)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code, body
    return str(body["errors"][0]["message"])


def test_not_signed_in_reads_nothing_and_changes_nothing(
    client: TestClient, gql: Any, tree: Tree, deployment: Deployment
) -> None:
    set_value(gql, tree.city, "org.grid.max_households", 250)
    anonymous = graphql_caller(client)
    for document, variables in (
        ("{ policyKeys { key } }", None),
        (VALUES, {"unit": gid(tree.grid)}),
        (HISTORY, {"unit": gid(tree.city)}),
        ("query($u: ID!) { activePlugins(orgUnitId: $u) }", {"u": gid(tree.grid)}),
    ):
        assert forbidden(anonymous, document, variables, code="UNAUTHENTICATED") == "请先登录。"
    before = record_count(deployment)
    payload = set_value(anonymous, tree.grid, "org.grid.max_households", 200)
    assert payload["record"] is None
    assert [(e["field"], e["code"], e["message"]) for e in payload["userErrors"]] == [
        (None, "UNAUTHENTICATED", "请先登录。")
    ]
    cleared = anonymous(
        CLEAR, {"input": {"orgUnitId": gid(tree.city), "key": "org.grid.max_households", "reason": "撤销"}}
    )
    assert [e["code"] for e in cleared["clearPolicyValue"]["userErrors"]] == ["UNAUTHENTICATED"]
    assert record_count(deployment) == before
    with deployment.session_factory() as session:
        refused = list(
            session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused").order_by(AuditRecord.seq))
        )
    assert [(r.action, r.actor_label, r.detail) for r in refused] == [
        ("mutation:setPolicyValue", "anonymous", '{"codes":["UNAUTHENTICATED"]}'),
        ("mutation:clearPolicyValue", "anonymous", '{"codes":["UNAUTHENTICATED"]}'),
    ]


def test_community_officer_cannot_set_policy_at_the_street(
    gql: Any, sign_in: SignIn, tree: Tree, deployment: Deployment
) -> None:
    set_value(gql, tree.street, "org.grid.max_households", 280)
    # Full rights at the community (the administrator role granted there) ...
    officer = sign_in("admin", tree.community)
    before = record_count(deployment)
    for unit in (tree.street, tree.district, tree.other_community):
        payload = set_value(officer, unit, "org.grid.max_households", 200)
        assert payload["record"] is None
        assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"], unit
        assert "设定或撤销本单位的地方策略" in payload["userErrors"][0]["message"]
        cleared = officer(
            CLEAR, {"input": {"orgUnitId": gid(unit), "key": "org.grid.max_households", "reason": "撤销"}}
        )
        assert [e["code"] for e in cleared["clearPolicyValue"]["userErrors"]] == ["FORBIDDEN"], unit
    # ... and even with a bad key and value, the scope is what is reported.
    payload = set_value(officer, tree.street, "org.grid.nope", "二百")
    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]
    assert record_count(deployment) == before
    assert forbidden(officer, VALUES, {"unit": gid(tree.street)}).startswith("无权执行此操作")
    # At their own community and below: allowed.
    payload = set_value(officer, tree.community, "org.grid.max_households", 200)
    assert payload["userErrors"] == [] and payload["record"]["setBy"].startswith("graphql:admin-")
    grid = officer(VALUES, {"unit": gid(tree.grid), "keys": ["org.grid.max_households"]})["policyValues"][0]
    assert (grid["value"], grid["sourceUnit"]) == (200, {"name": "文庙社区"})
    # Where the value came from is visible, whoever set it: the street's record shows in the history with ancestors.
    history = officer(
        """query($unit: ID!) { policyHistory(orgUnitId: $unit, key: "org.grid.max_households", includeAncestors: true) {
             orgUnit { name } value } }""",
        {"unit": gid(tree.community)},
    )["policyHistory"]
    assert [(h["orgUnit"]["name"], h["value"]) for h in history] == [("文庙街道", 280), ("文庙社区", 200)]


def test_reading_needs_policy_view_at_the_unit(gql: Any, sign_in: SignIn, tree: Tree) -> None:
    set_value(gql, tree.city, "org.grid.max_households", 250)
    worker = sign_in("community_worker", tree.community)  # policy.view, not policy.manage
    assert (
        worker(VALUES, {"unit": gid(tree.grid), "keys": ["org.grid.max_households"]})["policyValues"][0]["value"] == 250
    )
    assert worker(HISTORY, {"unit": gid(tree.community)})["policyHistory"] == []
    for unit in (tree.street, tree.other_community):
        forbidden(worker, VALUES, {"unit": gid(unit)})
        forbidden(worker, HISTORY, {"unit": gid(unit)})
    payload = set_value(worker, tree.community, "org.grid.max_households", 200)
    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]

    # Without policy.view (a grid worker): no values, but the declared keys and active plugins.
    grid_worker = sign_in("grid_worker", tree.grid)
    assert "查看地方策略" in forbidden(grid_worker, VALUES, {"unit": gid(tree.grid)})
    assert grid_worker("{ policyKeys { key } }")["policyKeys"]
    assert grid_worker("query($u: ID!) { activePlugins(orgUnitId: $u) }", {"u": gid(tree.grid)}) == {
        "activePlugins": []
    }
