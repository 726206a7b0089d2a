"""Mediation's user errors: Chinese messages without English words (codes,
plugin names, policy keys) and a ``field`` naming the input at fault."""

from __future__ import annotations

import re
from typing import Any

from core.policy.service import local_today
from tests.plugins.mediation.conftest import (
    ACCEPT,
    REGISTER,
    Env,
    case_input,
    gid,
    ok,
    set_policy,
)
from tests.plugins.mediation.test_reporting import SCREEN, SUBMIT

LATIN = re.compile("[A-Za-z]")


def _errors(result: dict[str, Any], name: str) -> list[tuple[str | None, str, str]]:
    return [(e["field"], e["code"], e["message"]) for e in result[name]["userErrors"]]


def _chinese(errors: list[tuple[str | None, str, str]]) -> None:
    for _, code, message in errors:
        assert LATIN.search(message) is None, (code, message)


def test_refusals_name_the_input_and_speak_chinese(env: Env) -> None:
    admin = env.call("admin", env.tree.city)
    worker = env.call("community_worker", env.tree.other_community)
    case = ok(worker(REGISTER, {"input": case_input(env.tree.other_community)}), "registerDisputeCase")["disputeCase"]
    bad = _errors(
        worker(REGISTER, {"input": case_input(env.tree.other_community, category="ghost", source="rumour")}),
        "registerDisputeCase",
    )
    assert [(f, c) for f, c, _ in bad] == [("category", "INVALID_VALUE"), ("source", "INVALID_VALUE")]
    _chinese(bad)
    # The module switched off where the case lies: the case is the input at fault.
    set_policy(env.deployment, env.tree.other_street, "plugin.mediation.active", False)
    off = _errors(worker(ACCEPT, {"input": {"caseId": case["id"]}}), "acceptDisputeCase")
    assert [(f, c) for f, c, _ in off] == [("caseId", "PLUGIN_NOT_ACTIVE")]
    _chinese(off)
    assert "矛盾纠纷排查调处" in off[0][2]
    # A second submission of the month names the month, not the calendar's instance.
    set_policy(env.deployment, env.tree.city, "mediation.monthly_summary.due_next_month", False)
    month = local_today().strftime("%Y-%m")
    unit = gid("OrgUnit", env.tree.community)
    ok(admin(SUBMIT, {"input": {"orgUnitId": unit, "month": month}}), "submitMonthlySummary")
    again = _errors(admin(SUBMIT, {"input": {"orgUnitId": unit, "month": month}}), "submitMonthlySummary")
    assert [(f, c) for f, c, _ in again] == [("month", "ALREADY_SUBMITTED")]
    malformed = _errors(admin(SUBMIT, {"input": {"orgUnitId": unit, "month": "last month"}}), "submitMonthlySummary")
    assert [(f, c) for f, c, _ in malformed] == [("month", "INVALID_MONTH")]
    _chinese(malformed)
    screened = {"orgUnitId": unit, "screenedOn": local_today().isoformat()}
    ok(admin(SCREEN, {"input": screened}), "recordMediationScreening")
    twice = _errors(admin(SCREEN, {"input": screened}), "recordMediationScreening")
    assert [(f, c) for f, c, _ in twice] == [("screenedOn", "ALREADY_RECORDED")]
