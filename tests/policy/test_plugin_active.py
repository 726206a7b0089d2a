"""Whether a plugin is in use is policy of the same kind: per subtree, with
effective dates, and a plugin's fields refuse to work outside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import strawberry

from core.api.errors import UserError
from core.api.mutations import atomic
from core.api.relay import encode_global_id
from core.org.models import OrgUnit
from core.policy import PolicyKey, ValueType, is_plugin_active, require_plugin_active
from core.policy.registry import registry_for
from core.testing import plugin_module
from tests.policy.conftest import PluginDeployment, Tree, build_tree

DUE_DAY = PolicyKey(
    key="mediation.monthly_summary.due_day",
    type=ValueType.DAY_OF_MONTH,
    default=5,
    description="矛盾纠纷月度汇总的上报截止日",
)


@strawberry.type
class MediationQuery:
    @strawberry.field
    def mediation_due_day(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> int:
        from core.api.relay import decode_pk
        from core.policy import resolve

        unit = require_plugin_active(info, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId"), "mediation")
        return int(resolve(info.context.session, unit, DUE_DAY))


@strawberry.input
class OpenCaseInput:
    org_unit_id: strawberry.ID


@strawberry.type
class OpenCasePayload:
    ok: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MediationMutation:
    @strawberry.mutation
    @atomic
    def open_mediation_case(self, info: strawberry.Info, input: OpenCaseInput) -> OpenCasePayload:
        from core.api.relay import decode_pk

        require_plugin_active(info, decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId"), "mediation")
        return OpenCasePayload(ok=True)


MEDIATION = plugin_module(
    "mediation",
    register_policy_keys=lambda: [DUE_DAY],
    register_query_fields=lambda: [MediationQuery],
    register_mutation_fields=lambda: [MediationMutation],
)
OTHER = plugin_module("volunteer", register_policy_keys=lambda: [])

SET = """mutation($input: SetPolicyValueInput!) { setPolicyValue(input: $input) { userErrors { code field } } }"""
DUE = """query($unit: ID!) { mediationDueDay(orgUnitId: $unit) }"""
OPEN = (
    """mutation($unit: ID!) { openMediationCase(input: {orgUnitId: $unit}) { ok userErrors { code field message } } }"""
)


def gid(pk: int) -> str:
    return encode_global_id("OrgUnit", pk)


def switch(gql: Callable[..., Any], unit: int, active: bool, effective_from: str = "2024-01-01") -> None:
    payload = gql(
        SET,
        {
            "input": {
                "orgUnitId": gid(unit),
                "key": "plugin.mediation.active",
                "value": active,
                "effectiveFrom": effective_from,
                "reason": "试点范围调整",
            }
        },
    )
    assert payload["setPolicyValue"]["userErrors"] == []


def test_active_per_subtree(plugin_deployment: Callable[..., PluginDeployment]) -> None:
    made = plugin_deployment(("mediation", MEDIATION), ("volunteer", OTHER))
    tree = build_tree(made.deployment)
    gql = made.sign_in("admin", tree.city)

    # Enabled plugins are active everywhere by default.
    assert gql(DUE, {"unit": gid(tree.grid)}) == {"mediationDueDay": 5}
    active = gql("query($u: ID!) { activePlugins(orgUnitId: $u) }", {"u": gid(tree.grid)})
    assert active == {"activePlugins": ["mediation", "volunteer"]}

    # Off for one district; a street inside it opts back in.
    switch(gql, tree.district, False)
    switch(gql, tree.street, True)
    switch(gql, tree.other_district, False)
    assert gql(DUE, {"unit": gid(tree.grid)}) == {"mediationDueDay": 5}
    body = gql(DUE, {"unit": gid(tree.district)}, expect_errors=True)
    error = body["errors"][0]
    assert error["extensions"] == {"code": "PLUGIN_NOT_ACTIVE", "field": "orgUnitId"}
    assert "mediation" in error["message"] and "昌邑区" in error["message"] and "未启用" in error["message"]
    assert body["data"] is None

    refused = gql(OPEN, {"unit": gid(tree.other_community)})["openMediationCase"]
    assert refused["ok"] is False
    assert [(e["code"], e["field"]) for e in refused["userErrors"]] == [("PLUGIN_NOT_ACTIVE", "orgUnitId")]
    assert "新安社区" in refused["userErrors"][0]["message"]
    assert gql(OPEN, {"unit": gid(tree.community)})["openMediationCase"] == {"ok": True, "userErrors": []}
    assert gql("query($u: ID!) { activePlugins(orgUnitId: $u) }", {"u": gid(tree.other_community)}) == {
        "activePlugins": ["volunteer"]
    }
    # Any signed-in user may ask which plugins are in use at a unit (the interface shows its menus by it).
    resident = made.sign_in("resident", tree.grid)
    assert resident("query($u: ID!) { activePlugins(orgUnitId: $u) }", {"u": gid(tree.grid)}) == {
        "activePlugins": ["mediation", "volunteer"]
    }


def test_a_plugin_off_at_a_unit_is_named_by_its_chinese_title(
    plugin_deployment: Callable[..., PluginDeployment],
) -> None:
    titled = plugin_module(
        "mediation",
        plugin_title=lambda: "矛盾纠纷排查调处",
        register_policy_keys=lambda: [DUE_DAY],
        register_query_fields=lambda: [MediationQuery],
        register_mutation_fields=lambda: [MediationMutation],
    )
    made = plugin_deployment(("mediation", titled))
    tree = build_tree(made.deployment)
    gql = made.sign_in("admin", tree.city)
    switch(gql, tree.district, False)
    refused = gql(OPEN, {"unit": gid(tree.community)})["openMediationCase"]["userErrors"]
    assert [e["code"] for e in refused] == ["PLUGIN_NOT_ACTIVE"]
    message = refused[0]["message"]
    assert "“矛盾纠纷排查调处”模块" in message and "未启用" in message
    # Neither the plugin's code name nor its policy key.
    assert "mediation" not in message and "active" not in message
    described = gql("{ policyKeys { key description } }")["policyKeys"]
    assert {
        "key": "plugin.mediation.active",
        "description": "“矛盾纠纷排查调处”模块在本单位及其下级是否启用",
    } in described


def test_activation_follows_effective_dates(plugin_deployment: Callable[..., PluginDeployment]) -> None:
    made = plugin_deployment(("mediation", MEDIATION))
    tree: Tree = build_tree(made.deployment)
    gql = made.sign_in("admin", tree.city)
    switch(gql, tree.city, False, "2024-01-01")
    switch(gql, tree.district, True, "2024-07-01")
    registry = registry_for(made.deployment.host)
    with made.deployment.session_factory() as session:
        community = session.get(OrgUnit, tree.community)
        assert community is not None
        assert not is_plugin_active(session, community, "mediation", date(2024, 6, 30), registry=registry)
        assert is_plugin_active(session, community, "mediation", date(2024, 7, 1), registry=registry)
        # Not enabled in this deployment: never active, whatever the policy says.
        assert not is_plugin_active(session, community, "finance", date(2024, 7, 1), registry=registry)


def test_plugin_policy_values_are_checked_by_their_declaration(
    plugin_deployment: Callable[..., PluginDeployment],
) -> None:
    made = plugin_deployment(("mediation", MEDIATION))
    tree = build_tree(made.deployment)
    gql = made.sign_in("admin", tree.city)
    payload = gql(
        SET,
        {
            "input": {
                "orgUnitId": gid(tree.city),
                "key": "mediation.monthly_summary.due_day",
                "value": 32,
                "reason": "月报",
            }
        },
    )
    assert payload["setPolicyValue"]["userErrors"] == [{"code": "OUT_OF_RANGE", "field": "value"}]
    payload = gql(
        SET,
        {
            "input": {
                "orgUnitId": gid(tree.city),
                "key": "mediation.monthly_summary.due_day",
                "value": 25,
                "reason": "洮南市要求每月25日前上报",
                "effectiveFrom": "2024-01-01",
            }
        },
    )
    assert payload["setPolicyValue"]["userErrors"] == []
    assert gql(DUE, {"unit": gid(tree.grid)}) == {"mediationDueDay": 25}
