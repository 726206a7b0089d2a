"""Queries refuse where the plugin is not active, as mutations do (one
mechanism in the schema for every plugin's root query fields)."""

from __future__ import annotations

import re

from tests.plugins.mediation.conftest import Env, gid, set_policy

SUMMARY = 'query($unit: ID!) { mediationMonthlySummary(orgUnitId: $unit, month: "2026-03") { month } }'
CASES = "query($unit: ID) { disputeCases(orgUnitId: $unit) { totalCount } }"
SAFE = "query($unit: ID!) { safeVillages(orgUnitId: $unit, year: 2025) { qualified } }"


def _error_codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body["errors"]]


def test_queries_refuse_where_mediation_is_not_active(env: Env) -> None:
    admin = env.call("admin", env.tree.city)
    off = gid("OrgUnit", env.tree.other_community)
    on = gid("OrgUnit", env.tree.community)
    # Before: both answer.
    admin(SUMMARY, {"unit": off})
    set_policy(env.deployment, env.tree.other_street, "plugin.mediation.active", False)
    for query in (SUMMARY, CASES, SAFE):
        body = admin(query, {"unit": off}, expect_errors=True)
        assert _error_codes(body) == ["PLUGIN_NOT_ACTIVE"], body
        assert body["errors"][0]["extensions"]["field"] == "orgUnitId"
        assert re.search("[A-Za-z]", body["errors"][0]["message"]) is None
    assert admin(SUMMARY, {"unit": on})["mediationMonthlySummary"]["month"] == "2026-03"
    assert admin(CASES, {"unit": on})["disputeCases"]["totalCount"] == 0
    # No unit named: the caller's scope, as before.
    assert admin(CASES, {"unit": None})["disputeCases"]["totalCount"] == 0


def test_lists_over_the_callers_scope_refuse_where_none_of_it_is_active(env: Env) -> None:
    outside = env.call("community_worker", env.tree.other_community)
    inside = env.call("community_worker", env.tree.community)
    assert outside(CASES, {"unit": None})["disputeCases"]["totalCount"] == 0
    set_policy(env.deployment, env.tree.other_street, "plugin.mediation.active", False)
    body = outside(CASES, {"unit": None}, expect_errors=True)
    assert _error_codes(body) == ["PLUGIN_NOT_ACTIVE"]
    grid_events = outside("{ gridEvents { totalCount } }", expect_errors=True)
    assert _error_codes(grid_events) == ["PLUGIN_NOT_ACTIVE"]
    assert inside(CASES, {"unit": None})["disputeCases"]["totalCount"] == 0
