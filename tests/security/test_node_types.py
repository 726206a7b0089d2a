"""``node(id:)`` resolves every type that implements ``Node``, within scope.

The implementers are read from the assembled schema (every built-in plugin
enabled), so a new plugin's type is covered the day it is added: its own
street's administrator gets it back from ``node``, another street's gets null.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.api.relay import encode_global_id
from tests.security.test_cross_street_matrix import (
    EXTRA_TYPES,
    Matrix,
    _node_types,
    _schema,
)

NODE_TYPES = _node_types(_schema())
VISIT_TYPES = ("VisitDue", "Visit", "VisitEnrolment")


def _node(matrix: Matrix, global_id: str) -> Any:
    """``node(id:)``, or ``auditedNode(id:, purpose:)`` for a type whose every
    read is audited (``node`` refuses a permitted reader without a purpose)."""
    from core.api.relay import decode_global_id
    from core.privacy.audited import audited_types_for

    type_name = decode_global_id(global_id)[0]
    # Visits may belong to an audited programme (family-planning services).
    audited = type_name in VISIT_TYPES or audited_types_for(matrix.deployment.host).get(type_name) is not None
    query = (
        'query($id: ID!) { node: auditedNode(id: $id, purpose: "跨街道检查") { __typename id } }'
        if audited
        else "query($id: ID!) { node(id: $id) { __typename id } }"
    )
    response = matrix.client.post(
        "/graphql",
        json={"query": query, "variables": {"id": global_id}},
        headers={"Authorization": f"Bearer {matrix.token}"},
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]["node"]


def test_every_node_implementer_is_registered() -> None:
    from core.app import build_deployment
    from core.cli import builtin_plugin_names
    from tests.conftest import make_settings

    registered = build_deployment(make_settings("sqlite://", plugins=builtin_plugin_names())).schema.registry.node_types
    assert [t for t in NODE_TYPES if t not in registered] == []
    assert not set(EXTRA_TYPES) & set(NODE_TYPES)


@pytest.mark.parametrize("type_name", NODE_TYPES)
def test_node_resolves_own_street_and_hides_another(matrix: Matrix, type_name: str) -> None:
    own = matrix.own.get(type_name)
    assert own is not None, f"no {type_name} record in the attacker's street: add one to tests/security/world.py"
    global_id = encode_global_id(type_name, own)
    assert _node(matrix, global_id) == {"__typename": type_name, "id": global_id}
    victims = matrix.victims.get(type_name)
    assert victims, f"no {type_name} record in the victim street"
    if type_name != "OrgUnit":  # the organization tree is public
        assert _node(matrix, encode_global_id(type_name, victims[0])) is None
