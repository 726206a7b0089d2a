"""平安村/零案村 (seed 000): judged on what occurred in the year — recorded
incidents and the surveyed satisfaction with public security, the
percentage and its comparator being policy — never on risk flags of cases."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from core.policy.service import local_today
from tests.plugins.mediation.conftest import (
    REGISTER,
    Env,
    case_input,
    gid,
    ok,
    set_policy,
)

SAFE = """query($unit: ID!, $year: Int!) { safeVillages(orgUnitId: $unit, year: $year) {
  orgUnit { name } qualified collectivePetitions groupIncidents criminalCases cultActivity
  satisfactionPercent minSatisfactionPercent satisfactionComparator reasons survey { respondents } } }"""
INCIDENT = """mutation($input: RecordMediationIncidentInput!) { recordMediationIncident(input: $input) {
  incident { id kind kindName occurredOn summary orgUnit { name } } userErrors { field code message } } }"""
SURVEY = """mutation($input: RecordSafetySatisfactionSurveyInput!) { recordSafetySatisfactionSurvey(input: $input) {
  survey { satisfactionPercent } userErrors { field code message } } }"""
INCIDENTS = """query($unit: ID!, $year: Int!) { mediationIncidents(orgUnitId: $unit, year: $year) { kind summary } }"""


def _incident(call: Any, unit: int, kind: str, on: date, summary: str = "某某入室盗窃，已立案") -> dict[str, Any]:
    payload = {"orgUnitId": gid("OrgUnit", unit), "kind": kind, "occurredOn": on.isoformat(), "summary": summary}
    return call(INCIDENT, {"input": payload})["recordMediationIncident"]


def _survey(call: Any, unit: int, year: int, respondents: int, satisfied: int, basically: int) -> dict[str, Any]:
    payload = {
        "orgUnitId": gid("OrgUnit", unit),
        "year": year,
        "surveyedOn": date(year, 1, 1).isoformat(),
        "respondents": respondents,
        "satisfied": satisfied,
        "basicallySatisfied": basically,
    }
    return call(SURVEY, {"input": payload})["recordSafetySatisfactionSurvey"]


def test_safe_villages_are_judged_on_incidents_and_the_survey(env: Env) -> None:
    year = local_today().year
    today = local_today()
    worker = env.call("community_worker", env.tree.neighbour)
    other_worker = env.call("community_worker", env.tree.other_community)
    supervisor = env.call("district_supervisor", env.tree.district)
    # A dispute flagged as a risk of a mass petition is not a petition that happened.
    ok(
        other_worker(REGISTER, {"input": case_input(env.tree.other_community, emergency="mass_petition")}),
        "registerDisputeCase",
    )
    # 95 of 100 satisfied or basically satisfied: "达95%以上" includes 95.
    assert _survey(supervisor, env.tree.other_community, year, 100, 80, 15)["userErrors"] == []
    assert _survey(supervisor, env.tree.community, year, 100, 70, 24)["userErrors"] == []
    assert _survey(supervisor, env.tree.neighbour, year, 50, 50, 0)["userErrors"] == []
    # Incidents that occurred this year at 延安路社区; last year's do not count.
    recorded = _incident(worker, env.tree.neighbour, "collective_petition", today)
    assert recorded["userErrors"] == [] and recorded["incident"]["kindName"] == "集体上访"
    assert "入室" not in recorded["incident"]["summary"]
    ok({"x": _incident(worker, env.tree.neighbour, "criminal_case", today)}, "x")
    ok(
        {
            "x": _incident(
                env.call("community_worker", env.tree.community),
                env.tree.community,
                "criminal_case",
                date(year - 1, 12, 31),
            )
        },
        "x",
    )
    result = {
        v["orgUnit"]["name"]: v
        for v in supervisor(SAFE, {"unit": gid("OrgUnit", env.tree.district), "year": year})["safeVillages"]
    }
    assert set(result) == {"宁安路社区", "延安路社区", "辽宁社区"}
    liaoning = result["辽宁社区"]
    assert liaoning["qualified"] and liaoning["satisfactionPercent"] == 95.0 and liaoning["reasons"] == []
    assert (liaoning["groupIncidents"], liaoning["collectivePetitions"], liaoning["satisfactionComparator"]) == (
        0,
        0,
        ">=",
    )
    ningan = result["宁安路社区"]
    assert not ningan["qualified"] and ningan["criminalCases"] == 0
    assert ningan["reasons"] == ["群众对治安满意和基本满意率 94.0%，未达到 95%"]
    yanan = result["延安路社区"]
    assert (yanan["collectivePetitions"], yanan["criminalCases"], yanan["qualified"]) == (1, 1, False)
    assert yanan["reasons"] == ["发生集体上访 1 起", "发生刑事案件 1 起"]
    # The percentage and its comparator are policy.
    set_policy(env.deployment, env.tree.other_street, "mediation.safe_village.satisfaction_comparator", ">")
    set_policy(env.deployment, env.tree.community, "mediation.safe_village.min_satisfaction_percent", 90)
    again = {
        v["orgUnit"]["name"]: v
        for v in supervisor(SAFE, {"unit": gid("OrgUnit", env.tree.district), "year": year})["safeVillages"]
    }
    assert not again["辽宁社区"]["qualified"] and again["辽宁社区"]["reasons"] == [
        "群众对治安满意和基本满意率 95.0%，未超过 95%"
    ]
    assert again["宁安路社区"]["qualified"]
    # Without a survey the year cannot qualify.
    last_year = {
        v["orgUnit"]["name"]: v
        for v in supervisor(SAFE, {"unit": gid("OrgUnit", env.tree.street), "year": year - 1})["safeVillages"]
    }
    assert last_year["延安路社区"]["reasons"] == [f"{year - 1} 年没有登记群众对治安满意度调查结果"]
    assert last_year["宁安路社区"]["reasons"][0] == "发生刑事案件 1 起"


def test_incidents_and_surveys_refuse_bad_input(env: Env) -> None:
    year = local_today().year
    worker = env.call("community_worker", env.tree.neighbour)
    supervisor = env.call("district_supervisor", env.tree.district)
    bad = _incident(worker, env.tree.neighbour, "risk_flag", local_today())
    assert [(e["field"], e["code"]) for e in bad["userErrors"]] == [("kind", "INVALID_VALUE")]
    assert re.search("[A-Za-z]", bad["userErrors"][0]["message"]) is None, bad["userErrors"][0]["message"]
    too_many = _survey(supervisor, env.tree.neighbour, year, 10, 8, 3)
    assert [(e["field"], e["code"]) for e in too_many["userErrors"]] == [("satisfied", "INVALID_VALUE")]
    assert _survey(supervisor, env.tree.neighbour, year, 10, 8, 2)["userErrors"] == []
    again = _survey(supervisor, env.tree.neighbour, year, 10, 8, 2)
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [("year", "ALREADY_RECORDED")]
    # A community worker records incidents but not the survey.
    assert [e["code"] for e in _survey(worker, env.tree.neighbour, year - 1, 10, 8, 2)["userErrors"]] == ["FORBIDDEN"]
    # The summary of an incident is masked in lists too.
    ok({"x": _incident(worker, env.tree.neighbour, "cult_activity", local_today(), "张某组织非法聚会")}, "x")
    listed = worker(INCIDENTS, {"unit": gid("OrgUnit", env.tree.neighbour), "year": year})["mediationIncidents"]
    assert [row["kind"] for row in listed] == ["cult_activity"] and "张某" not in listed[0]["summary"]
