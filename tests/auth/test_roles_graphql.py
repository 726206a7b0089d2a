"""Custom roles through GraphQL: defined and adjusted by the system
administrator (``role.manage`` at a root unit), only with declared
permissions the caller holds, built-in roles left as shipped, every change
audited."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth.permissions import PermissionRegistry
from tests.auth.conftest import MakeUser, Tree, ok, principal, run

DEFINE = """
mutation($input: DefineRoleInput!) { defineRole(input: $input) {
  role { code name description isBuiltin permissions { code declared } }
  userErrors { field code message }
} }
"""
UPDATE = """
mutation($input: UpdateRoleInput!) { updateRole(input: $input) {
  role { code name permissions { code } }
  userErrors { field code message }
} }
"""


def errors(payload: dict[str, Any]) -> list[tuple[object, object]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


def test_the_administrator_defines_and_adjusts_a_role(
    deployment: Deployment, make_user: MakeUser, tree: Tree, registry: PermissionRegistry
) -> None:
    admin = principal(deployment, make_user("city.admin", ("admin", tree.city)))
    mediator = {"code": "mediator", "name": "人民调解员", "permissions": ["people.view", "org.unit.view"]}
    defined = ok(run(deployment, DEFINE, {"input": mediator}, user=admin))["defineRole"]
    assert defined["userErrors"] == []
    assert defined["role"]["isBuiltin"] is False and defined["role"]["name"] == "人民调解员"
    assert [p["code"] for p in defined["role"]["permissions"]] == ["org.unit.view", "people.view"]

    again = ok(run(deployment, DEFINE, {"input": mediator}, user=admin))["defineRole"]
    assert errors(again) == [("code", "ROLE_EXISTS")]
    unknown = {**mediator, "code": "helper", "permissions": ["people.view", "dispute.case.manage"]}
    refused = ok(run(deployment, DEFINE, {"input": unknown}, user=admin))["defineRole"]
    assert errors(refused) == [("permissions", "UNKNOWN_PERMISSION")]
    assert "dispute.case.manage" in refused["userErrors"][0]["message"]

    adjusted = ok(
        run(
            deployment,
            UPDATE,
            {"input": {"role": "mediator", "permissions": ["people.view", "people.manage"]}},
            user=admin,
        )
    )["updateRole"]
    assert adjusted["userErrors"] == []
    assert [p["code"] for p in adjusted["role"]["permissions"]] == ["people.manage", "people.view"]
    # The holder of the role gets the new permissions at once.
    holder = make_user("tiaojie.yuan", ("mediator", tree.community))
    held = principal(deployment, holder)
    assert held.holds_anywhere("people.manage") and not held.holds_anywhere("org.unit.view")

    # Built-in roles stay as shipped.
    builtin = ok(
        run(deployment, UPDATE, {"input": {"role": "grid_worker", "permissions": ["people.view"]}}, user=admin)
    )
    assert errors(builtin["updateRole"]) == [("role", "BUILTIN_ROLE")]
    missing = ok(run(deployment, UPDATE, {"input": {"role": "emperor", "name": "皇帝"}}, user=admin))
    assert errors(missing["updateRole"]) == [("role", "UNKNOWN_ROLE")]

    with deployment.session_factory() as session:
        records = list(
            session.scalars(
                select(AuditRecord)
                .where(AuditRecord.action.in_(("mutation:defineRole", "mutation:updateRole")))
                .order_by(AuditRecord.seq)
            )
        )
    assert [(r.action, r.outcome) for r in records] == [
        ("mutation:defineRole", "success"),
        ("mutation:defineRole", "refused"),
        ("mutation:defineRole", "refused"),
        ("mutation:updateRole", "success"),
        ("mutation:updateRole", "refused"),
        ("mutation:updateRole", "refused"),
    ]
    change = json.loads(records[3].detail or "{}")
    assert change["before"] == ["org.unit.view", "people.view"] and change["permissions"] == [
        "people.manage",
        "people.view",
    ]


def test_only_the_administrator_manages_roles_and_never_beyond_their_own_permissions(
    deployment: Deployment, make_user: MakeUser, tree: Tree, registry: PermissionRegistry
) -> None:
    admin = principal(deployment, make_user("city.admin", ("admin", tree.city)))
    role = {"code": "mediator", "name": "人民调解员", "permissions": ["people.view"]}

    leader = principal(deployment, make_user("street.leader", ("street_leader", tree.street)))
    assert errors(ok(run(deployment, DEFINE, {"input": role}, user=leader))["defineRole"]) == [(None, "FORBIDDEN")]
    assert errors(ok(run(deployment, DEFINE, {"input": role}))["defineRole"]) == [(None, "UNAUTHENTICATED")]
    # role.manage held below the root reaches only part of the tree: not enough.
    steward = {"code": "role_steward", "name": "角色管理员", "permissions": ["role.manage", "org.unit.view"]}
    assert ok(run(deployment, DEFINE, {"input": steward}, user=admin))["defineRole"]["userErrors"] == []
    below = principal(deployment, make_user("district.steward", ("role_steward", tree.district)))
    assert errors(ok(run(deployment, DEFINE, {"input": role}, user=below))["defineRole"]) == [(None, "FORBIDDEN")]

    # At the root, a steward may not hand out what they do not hold.
    at_root = principal(deployment, make_user("city.steward", ("role_steward", tree.city)))
    escalated = ok(run(deployment, DEFINE, {"input": role}, user=at_root))["defineRole"]
    assert errors(escalated) == [("permissions", "PERMISSION_NOT_HELD")]
    assert "查看居民" in escalated["userErrors"][0]["message"]
    mine = {"code": "viewer", "name": "查看员", "permissions": ["org.unit.view"]}
    assert ok(run(deployment, DEFINE, {"input": mine}, user=at_root))["defineRole"]["userErrors"] == []
    widened = ok(
        run(
            deployment,
            UPDATE,
            {"input": {"role": "viewer", "permissions": ["org.unit.view", "user.manage"]}},
            user=at_root,
        )
    )
    assert errors(widened["updateRole"]) == [("permissions", "PERMISSION_NOT_HELD")]
