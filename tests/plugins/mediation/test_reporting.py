"""Half-monthly screening and the monthly summary (统计表) through the
reporting calendar: zero reports, deadlines from locality policy, locked
periods, completeness."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from core.policy.service import local_today
from core.reporting import service as reporting
from core.reporting.calendar import add_months, month_end, period_of
from core.reporting.models import ObligationInstance
from plugins.mediation.models import MonthlySummary
from tests.plugins.mediation.conftest import ESCALATE, REGISTER, Env, case_input, codes, gid, ok, set_policy

SCREEN = """mutation($input: RecordMediationScreeningInput!) { recordMediationScreening(input: $input) {
  screening { periodStart periodEnd disputesFound instabilityFactors orgUnit { name } } userErrors { field code message } } }"""
SUMMARY_FIELDS = """month periodStart periodEnd nothingToReport submittedZeroReport
  rows { code label value } byCategory { code count } submittedRows { code value }
  instance { id status dueOn locked note }"""
SUBMIT = (
    "mutation($input: SubmitMonthlySummaryInput!) { submitMonthlySummary(input: $input) { summary {"
    + SUMMARY_FIELDS
    + "} userErrors { field code message } } }"
)
SUMMARY = (
    "query($unit: ID!, $month: String!) { mediationMonthlySummary(orgUnitId: $unit, month: $month) {"
    + SUMMARY_FIELDS
    + "} }"
)
COMPLETENESS = """query($unit: ID!, $start: Date, $end: Date) {
  reportingCompleteness(orgUnitId: $unit, typeCode: "mediation.monthly_summary", periodStart: $start, periodEnd: $end) {
  expected submitted onTime zeroReports late missing open } }"""
STATUS = """query($unit: ID!, $month: String!) { mediationReportingStatus(orgUnitId: $unit, month: $month) {
  orgUnit { name } monthlySummary { status dueOn submittedOn } screeningsRecorded screeningsRequired } }"""
REOPEN = """mutation($input: ReopenObligationInput!) { reopenObligation(input: $input) { instance { status } userErrors { code } } }"""


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def rows(summary: dict[str, Any], key: str = "rows") -> dict[str, int]:
    return {r["code"]: r["value"] for r in summary[key]}


def screening_instance(env: Env, unit_id: int, start: date) -> ObligationInstance:
    with env.session() as session:
        return session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.type_code == "mediation.screening",
                ObligationInstance.org_unit_id == unit_id,
                ObligationInstance.period_start == start,
            )
        ).one()


def test_screening_submits_the_half_month_and_a_zero_result_is_a_zero_report(env: Env) -> None:
    set_policy(env.deployment, env.tree.city, "reporting.holiday_shift", "unchanged")
    today = local_today()
    half = period_of("half_monthly", today)
    worker = env.call("community_worker", env.tree.community)
    neighbour = env.call("community_worker", env.tree.neighbour)
    zero = ok(
        worker(SCREEN, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "screenedOn": today.isoformat()}}),
        "recordMediationScreening",
    )["screening"]
    assert (zero["periodStart"], zero["periodEnd"]) == (half[0].isoformat(), half[1].isoformat())
    found = ok(
        neighbour(
            SCREEN,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", env.tree.neighbour),
                    "screenedOn": today.isoformat(),
                    "disputesFound": 2,
                    "note": "入户走访",
                }
            },
        ),
        "recordMediationScreening",
    )
    assert found["screening"]["disputesFound"] == 2
    zero_instance = screening_instance(env, env.tree.community, half[0])
    assert zero_instance.status == "zero_report" and zero_instance.note == "本期排查未发现矛盾纠纷和不稳定因素。"
    # Due by the policy day (default: the month's last day) of the same month.
    assert zero_instance.due_on == month_end(today.year, today.month)
    assert screening_instance(env, env.tree.neighbour, half[0]).status == "submitted"
    # Once per half month; no negative counts, no future dates; staff of the unit only.
    again = worker(
        SCREEN, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "screenedOn": today.isoformat()}}
    )
    assert codes(again, "recordMediationScreening") == ["ALREADY_RECORDED"]
    bad = worker(
        SCREEN,
        {
            "input": {
                "orgUnitId": gid("OrgUnit", env.tree.community),
                "screenedOn": (today + timedelta(days=1)).isoformat(),
                "disputesFound": -1,
            }
        },
    )
    assert codes(bad, "recordMediationScreening") == ["IN_FUTURE", "INVALID_VALUE"]
    grid_worker = env.call("grid_worker", env.tree.grid)
    denied = grid_worker(
        SCREEN, {"input": {"orgUnitId": gid("OrgUnit", env.tree.grid), "screenedOn": today.isoformat()}}
    )
    assert codes(denied, "recordMediationScreening") == ["FORBIDDEN"]


def test_the_summary_aggregates_cases_and_screenings_for_a_subtree(env: Env) -> None:
    today = local_today()
    worker = env.call("community_worker", env.tree.community)
    ok(worker(REGISTER, {"input": case_input(env.tree.community)}), "registerDisputeCase")
    escalated = ok(
        worker(REGISTER, {"input": case_input(env.tree.community, category="family", riskLevel="ordinary")}),
        "registerDisputeCase",
    )["disputeCase"]
    ok(worker(ESCALATE, {"input": {"caseId": escalated["id"], "reason": "超出权限"}}), "escalateDisputeCase")
    ok(
        worker(
            SCREEN,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", env.tree.community),
                    "screenedOn": today.isoformat(),
                    "disputesFound": 2,
                    "instabilityFactors": 1,
                }
            },
        ),
        "recordMediationScreening",
    )
    month = month_of(today)
    community = rows(
        worker(SUMMARY, {"unit": gid("OrgUnit", env.tree.community), "month": month})["mediationMonthlySummary"]
    )
    assert community["registered"] == 2
    assert community["escalated_out"] == 1
    assert community["screenings"] == 1 and community["screenings_required"] == 2
    assert community["disputes_found"] == 2 and community["instability_factors"] == 1
    # One case is still held in the community, the other moved to the street.
    assert community["pending"] == 1
    street_call = env.call("street_staff", env.tree.street)
    street_summary = street_call(SUMMARY, {"unit": gid("OrgUnit", env.tree.street), "month": month})[
        "mediationMonthlySummary"
    ]
    street = rows(street_summary)
    assert street["registered"] == 2 and street["escalated_out"] == 0 and street["pending"] == 2
    # Two communities owe two screenings each.
    assert street["screenings_required"] == 4
    by_category = {c["code"]: c["count"] for c in street_summary["byCategory"]}
    assert by_category["neighbour"] == 1 and by_category["family"] == 1 and by_category["labour"] == 0
    assert street_summary["nothingToReport"] is False and street_summary["submittedRows"] is None
    # Another street sees nothing of it.
    other = env.call("street_staff", env.tree.other_street)
    assert other(SUMMARY, {"unit": gid("OrgUnit", env.tree.street), "month": month}, expect_errors=True)["errors"]
    bad_month = worker(SUMMARY, {"unit": gid("OrgUnit", env.tree.community), "month": "2026-13"}, expect_errors=True)
    assert bad_month["errors"]


def test_submit_this_month_where_policy_says_the_same_month(env: Env) -> None:
    """Taonan: by the 25th (here: the last day) of the same month, zero
    reports required. The calendar materializes the next-month default; the
    plugin follows the locality's due_next_month."""
    for key, value in (
        ("reporting.holiday_shift", "unchanged"),
        ("mediation.monthly_summary.due_next_month", False),
        ("mediation.monthly_summary.due_day", 31),
        ("mediation.zero_report.required", True),
    ):
        set_policy(env.deployment, env.tree.city, key, value)
    today = local_today()
    with env.session() as session, session.begin():
        reporting.materialize(session, env.deployment.host, on=today)
    worker = env.call("community_worker", env.tree.community)
    ok(worker(REGISTER, {"input": case_input(env.tree.community)}), "registerDisputeCase")
    month = month_of(today)
    submitted = ok(
        worker(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": month}}),
        "submitMonthlySummary",
    )["summary"]
    assert submitted["instance"]["status"] == "submitted"
    assert submitted["instance"]["dueOn"] == month_end(today.year, today.month).isoformat()
    assert submitted["submittedZeroReport"] is False
    assert rows(submitted, "submittedRows") == rows(submitted) and rows(submitted)["registered"] == 1
    again = worker(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": month}})
    assert codes(again, "submitMonthlySummary") == ["ALREADY_SUBMITTED"]
    # Nothing happened in the neighbouring community: a zero report, not a missing one.
    neighbour = env.call("community_worker", env.tree.neighbour)
    zero = ok(
        neighbour(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.neighbour), "month": month}}),
        "submitMonthlySummary",
    )["summary"]
    assert zero["nothingToReport"] and zero["submittedZeroReport"] is True
    assert zero["instance"]["status"] == "zero_report" and zero["instance"]["note"] == "本月辖区内无矛盾纠纷，零报告。"
    leader = env.call("street_leader", env.tree.street)
    first = date(today.year, today.month, 1)
    seen = leader(
        COMPLETENESS,
        {
            "unit": gid("OrgUnit", env.tree.street),
            "start": first.isoformat(),
            "end": month_end(today.year, today.month).isoformat(),
        },
    )
    # The street itself owes one too, not yet submitted.
    assert seen["reportingCompleteness"] == {
        "expected": 3,
        "submitted": 2,
        "onTime": 2,
        "zeroReports": 1,
        "late": 0,
        "missing": 0,
        "open": 1,
    }
    with env.session() as session:
        stored = session.scalars(select(MonthlySummary).order_by(MonthlySummary.id)).all()
        assert [(s.zero_report, s.figures["registered"]) for s in stored] == [(False, 1), (True, 0)]
    overview = leader(STATUS, {"unit": gid("OrgUnit", env.tree.street), "month": month})["mediationReportingStatus"]
    assert [(u["orgUnit"]["name"], u["monthlySummary"]["status"], u["screeningsRequired"]) for u in overview] == [
        ("宁夏路街道", "open", None),
        ("宁安路社区", "submitted", 2),
        ("延安路社区", "zero_report", 2),
    ]


def test_without_the_zero_report_rule_an_empty_month_is_an_ordinary_submission(env: Env) -> None:
    set_policy(env.deployment, env.tree.city, "mediation.monthly_summary.due_next_month", False)
    set_policy(env.deployment, env.tree.city, "mediation.monthly_summary.due_day", 31)
    set_policy(env.deployment, env.tree.neighbour, "mediation.zero_report.required", False)
    neighbour = env.call("community_worker", env.tree.neighbour)
    done = ok(
        neighbour(
            SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.neighbour), "month": month_of(local_today())}}
        ),
        "submitMonthlySummary",
    )["summary"]
    assert done["nothingToReport"] and done["submittedZeroReport"] is False
    assert done["instance"]["status"] == "submitted"


def test_by_default_the_month_is_reported_after_it_ends(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    early = worker(
        SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": month_of(local_today())}}
    )
    assert codes(early, "submitMonthlySummary") == ["MONTH_NOT_OVER"]
    assert codes(
        worker(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": "2026/10"}}),
        "submitMonthlySummary",
    ) == ["INVALID_MONTH"]
    admin = env.call("admin", env.tree.city)
    grid = admin(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.grid), "month": "2025-01"}})
    assert codes(grid, "submitMonthlySummary") == ["NOT_OWED"]
    grid_worker = env.call("grid_worker", env.tree.grid)
    assert codes(
        grid_worker(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": "2025-01"}}),
        "submitMonthlySummary",
    ) == ["FORBIDDEN"]


def test_a_locked_period_refuses_submission_until_reopened(env: Env) -> None:
    today = local_today()
    year, month = add_months(today.year, today.month, -3)
    old = date(year, month, 1)
    with env.session() as session, session.begin():
        reporting.materialize(session, env.deployment.host, on=old)
        reporting.lock_due(session, env.deployment.host, today)
        instance_id = session.scalars(
            select(ObligationInstance.id).where(
                ObligationInstance.type_code == "mediation.monthly_summary",
                ObligationInstance.org_unit_id == env.tree.community,
                ObligationInstance.period_start == old,
            )
        ).one()
    worker = env.call("community_worker", env.tree.community)
    locked = worker(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": month_of(old)}})
    assert codes(locked, "submitMonthlySummary") == ["LOCKED"]
    with env.session() as session:
        assert session.scalars(select(MonthlySummary)).all() == []
    leader = env.call("street_leader", env.tree.street)
    ok(
        leader(REOPEN, {"input": {"instanceId": gid("ObligationInstance", instance_id), "reason": "补报"}}),
        "reopenObligation",
    )
    late = ok(
        worker(SUBMIT, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "month": month_of(old)}}),
        "submitMonthlySummary",
    )
    # Nothing happened that month: a zero report, submitted after the deadline.
    assert late["summary"]["instance"]["status"] == "zero_report"
    statuses = leader(
        COMPLETENESS,
        {
            "unit": gid("OrgUnit", env.tree.street),
            "start": old.isoformat(),
            "end": month_end(old.year, old.month).isoformat(),
        },
    )["reportingCompleteness"]
    # The neighbour and the street never reported: missing, which is not a zero report.
    assert statuses["zeroReports"] == 1 and statuses["missing"] == 2 and statuses["late"] == 1
