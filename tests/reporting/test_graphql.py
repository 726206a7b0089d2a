"""The reporting calendar over GraphQL: what a caller owes, submitting,
zero reports, reopening (audited) and completeness, within the caller's scope."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from core.api.relay import decode_pk, encode_global_id
from core.audit.models import AuditRecord
from core.org.models import OrgUnit
from core.policy.service import local_today
from core.reporting.models import ObligationInstance
from tests.reporting.conftest import MEETING, REPORT, Env

DUE_SOON = """
query($within: Int) { dueSoon(withinDays: $within) {
  id typeCode typeName dueOn status locked orgUnit { name }
} }
"""
SUBMIT = """
mutation($input: SubmitObligationInput!) { submitObligation(input: $input) {
  instance { id status note submittedOn locked } userErrors { code field message }
} }
"""
ZERO = """
mutation($input: SubmitZeroReportInput!) { submitZeroReport(input: $input) {
  instance { id status note } userErrors { code field message }
} }
"""
REOPEN = """
mutation($input: ReopenObligationInput!) { reopenObligation(input: $input) {
  instance { id status locked reopened reopenReason } userErrors { code field message }
} }
"""
COMPLETENESS = """
query($unit: ID!, $type: String) { reportingCompleteness(orgUnitId: $unit, typeCode: $type) {
  expected submitted onTime zeroReports late missing open reportingRate onTimeRate
  problems { status orgUnit { name } }
} }
"""


def _add(env: Env, unit_id: int, due: date, code: str = REPORT, *, locked: bool = False) -> str:
    today = local_today()
    with env.session() as session, session.begin():
        unit = session.get(OrgUnit, unit_id)
        assert unit is not None
        instance = ObligationInstance(
            type_code=code,
            org_unit_id=unit_id,
            org_path=unit.path,
            period_start=min(today, due - timedelta(days=30)),
            period_end=min(today, due - timedelta(days=1)),
            due_on=due,
            status="open",
            locked=locked,
        )
        session.add(instance)
        session.flush()
        return encode_global_id("ObligationInstance", instance.id)


def _gid(unit_id: int) -> str:
    return encode_global_id("OrgUnit", unit_id)


def test_obligation_types_are_listed(env: Env) -> None:
    caller = env.sign_in("community_worker", env.tree.community)
    data = caller(
        "{ obligationTypes { code name kind kindName levels recurrence recurrenceName dueDayKey dueMonthOffset plugin } }"
    )
    by_code = {t["code"]: t for t in data["obligationTypes"]}
    assert by_code[REPORT] == {
        "code": REPORT,
        "name": "演练月报",
        "kind": "report",
        "kindName": "报表",
        "levels": ["community"],
        "recurrence": "monthly",
        "recurrenceName": "每月",
        "dueDayKey": "drill.report_day",
        "dueMonthOffset": 1,
        "plugin": "drill",
    }
    assert by_code[MEETING]["recurrence"] == "half_monthly"


def test_due_soon_lists_what_the_callers_scope_owes_by_deadline(env: Env) -> None:
    today = local_today()
    later = _add(env, env.tree.community, today + timedelta(days=5))
    sooner = _add(env, env.tree.community, today + timedelta(days=1), MEETING)
    overdue = _add(env, env.tree.community, today - timedelta(days=2))
    _add(env, env.tree.community, today + timedelta(days=20))
    _add(env, env.tree.community, today - timedelta(days=30), locked=True)
    neighbour = _add(env, env.tree.neighbour, today + timedelta(days=3))
    other = _add(env, env.tree.other_community, today + timedelta(days=3))

    worker = env.sign_in("community_worker", env.tree.community)
    rows = worker(DUE_SOON)["dueSoon"]
    assert [r["id"] for r in rows] == [overdue, sooner, later]
    assert rows[0]["status"] == "missing" and rows[1]["status"] == "open"
    assert rows[1]["typeName"] == "演练例会" and rows[1]["orgUnit"]["name"] == "宁安路社区"
    assert len(worker(DUE_SOON, {"within": 30})["dueSoon"]) == 4

    street = env.sign_in("street_staff", env.tree.street)
    ids = [r["id"] for r in street(DUE_SOON)["dueSoon"]]
    assert neighbour in ids and overdue in ids and other not in ids

    resident = env.sign_in("resident", env.tree.community)
    assert resident(DUE_SOON)["dueSoon"] == []


def test_submit_on_time_and_late(env: Env) -> None:
    today = local_today()
    on_time = _add(env, env.tree.community, today + timedelta(days=3))
    late = _add(env, env.tree.community, today - timedelta(days=1))
    worker = env.sign_in("community_worker", env.tree.community)

    result = worker(SUBMIT, {"input": {"instanceId": on_time, "note": "本月报表已上传"}})["submitObligation"]
    assert result["userErrors"] == []
    assert result["instance"]["status"] == "submitted" and result["instance"]["submittedOn"] == today.isoformat()

    result = worker(SUBMIT, {"input": {"instanceId": late}})["submitObligation"]
    assert result["instance"]["status"] == "late"

    again = worker(SUBMIT, {"input": {"instanceId": on_time}})["submitObligation"]
    assert again["instance"] is None and again["userErrors"][0]["code"] == "ALREADY_SUBMITTED"


def test_zero_report_counts_as_submitted(env: Env) -> None:
    today = local_today()
    instance = _add(env, env.tree.community, today + timedelta(days=3))
    worker = env.sign_in("committee_chair", env.tree.community)
    result = worker(ZERO, {"input": {"instanceId": instance, "note": "本月无矛盾纠纷"}})["submitZeroReport"]
    assert result["userErrors"] == [] and result["instance"]["status"] == "zero_report"

    blank = _add(env, env.tree.community, today + timedelta(days=4), MEETING)
    refused = worker(ZERO, {"input": {"instanceId": blank, "note": "  "}})["submitZeroReport"]
    assert refused["userErrors"][0]["code"] == "REQUIRED"

    district = env.sign_in("district_supervisor", env.tree.district)
    counts = district(COMPLETENESS, {"unit": _gid(env.tree.district), "type": REPORT})["reportingCompleteness"]
    assert (counts["expected"], counts["submitted"], counts["zeroReports"], counts["onTime"]) == (1, 1, 1, 1)
    assert counts["reportingRate"] == 1.0


def test_a_community_cannot_submit_for_another(env: Env) -> None:
    today = local_today()
    neighbour = _add(env, env.tree.neighbour, today + timedelta(days=3))
    worker = env.sign_in("community_worker", env.tree.community)
    for document, field in ((SUBMIT, "submitObligation"), (ZERO, "submitZeroReport")):
        result = worker(document, {"input": {"instanceId": neighbour, "note": "代报"}})[field]
        # Not theirs to see: as if it did not exist.
        assert result["instance"] is None and result["userErrors"][0]["code"] == "NOT_FOUND"
    # A street officer sees the communities' obligations but does not submit for them.
    street = env.sign_in("street_staff", env.tree.street)
    result = street(SUBMIT, {"input": {"instanceId": neighbour}})["submitObligation"]
    assert result["userErrors"][0]["code"] == "FORBIDDEN"


def test_reopening_is_scoped_and_audited(env: Env) -> None:
    today = local_today()
    locked = _add(env, env.tree.community, today - timedelta(days=40), locked=True)
    worker = env.sign_in("community_worker", env.tree.community)
    refused = worker(SUBMIT, {"input": {"instanceId": locked}})["submitObligation"]
    assert refused["userErrors"][0]["code"] == "LOCKED"
    assert (
        worker(REOPEN, {"input": {"instanceId": locked, "reason": "补报"}})["reopenObligation"]["userErrors"][0]["code"]
        == "FORBIDDEN"
    )

    other_leader = env.sign_in("street_leader", env.tree.other_street)
    assert (
        other_leader(REOPEN, {"input": {"instanceId": locked, "reason": "补报"}})["reopenObligation"]["userErrors"][0][
            "code"
        ]
        == "NOT_FOUND"
    )

    leader = env.sign_in("street_leader", env.tree.street)
    reopened = leader(REOPEN, {"input": {"instanceId": locked, "reason": "系统故障，准予补报"}})["reopenObligation"]
    assert reopened["userErrors"] == []
    assert reopened["instance"]["locked"] is False and reopened["instance"]["reopened"] is True
    assert reopened["instance"]["reopenReason"] == "系统故障，准予补报"

    with env.session() as session:
        records = list(
            session.scalars(
                select(AuditRecord).where(AuditRecord.action == "mutation:reopenObligation").order_by(AuditRecord.seq)
            )
        )
    assert [r.outcome for r in records] == ["refused", "refused", "success"]
    success = records[-1]
    assert success.object_type == "ObligationInstance" and success.org_unit_id == env.tree.community
    assert json.loads(success.detail or "{}")["reason"] == "系统故障，准予补报"

    submitted = worker(SUBMIT, {"input": {"instanceId": locked, "note": "补报"}})["submitObligation"]
    assert submitted["instance"]["status"] == "late" and submitted["instance"]["locked"] is True


def test_completeness_of_a_street_and_its_drill_down(env: Env) -> None:
    today = local_today()
    done = _add(env, env.tree.community, today + timedelta(days=2))
    _add(env, env.tree.neighbour, today - timedelta(days=3))
    _add(env, env.tree.other_community, today - timedelta(days=3))
    env.sign_in("community_worker", env.tree.community)(SUBMIT, {"input": {"instanceId": done}})

    street = env.sign_in("street_staff", env.tree.street)
    counts = street(COMPLETENESS, {"unit": _gid(env.tree.street)})["reportingCompleteness"]
    assert (counts["expected"], counts["submitted"], counts["onTime"], counts["missing"], counts["late"]) == (
        2,
        1,
        1,
        1,
        0,
    )
    assert counts["reportingRate"] == 0.5 and counts["onTimeRate"] == 0.5
    assert counts["problems"] == [{"status": "missing", "orgUnit": {"name": "延安路社区"}}]

    # A street sees only its own communities.
    body = street(COMPLETENESS, {"unit": _gid(env.tree.district)}, expect_errors=True)
    assert body["data"] is None or body["data"].get("reportingCompleteness") is None
    unknown = street(COMPLETENESS, {"unit": _gid(env.tree.street), "type": "drill.nothing"}, expect_errors=True)
    assert unknown["errors"]


def test_node_lookup_is_scoped(env: Env) -> None:
    instance = _add(env, env.tree.neighbour, local_today() + timedelta(days=2))
    query = "query($id: ID!) { node(id: $id) { ... on ObligationInstance { typeCode } } }"
    assert env.sign_in("street_staff", env.tree.street)(query, {"id": instance})["node"] == {"typeCode": REPORT}
    assert env.sign_in("community_worker", env.tree.community)(query, {"id": instance})["node"] is None


SCOPED = """
query($unit: ID!, $scope: CompletenessScope) { reportingCompleteness(orgUnitId: $unit, scope: $scope) {
  expected submitted missing lateZeroReports
  problems { status isLate isZero orgUnit { name } }
  own { expected missing problems { orgUnit { name } } own { expected } }
  subordinates { expected submitted missing }
} }
"""


def test_a_supervisor_sees_its_own_obligations_apart_from_its_subordinates(env: Env) -> None:
    today = local_today()
    _add(env, env.tree.street, today - timedelta(days=2))
    done = _add(env, env.tree.community, today + timedelta(days=2))
    _add(env, env.tree.neighbour, today - timedelta(days=3))
    env.sign_in("community_worker", env.tree.community)(SUBMIT, {"input": {"instanceId": done}})
    street = env.sign_in("street_staff", env.tree.street)

    def counts(scope: str | None) -> dict[str, Any]:
        variables = {"unit": _gid(env.tree.street), **({"scope": scope} if scope else {})}
        return street(SCOPED, variables)["reportingCompleteness"]

    everything = counts(None)
    assert (everything["expected"], everything["submitted"], everything["missing"]) == (3, 1, 2)
    assert everything["own"]["expected"] == 1 and everything["own"]["missing"] == 1
    assert everything["own"]["problems"] == [{"orgUnit": {"name": "宁夏路街道"}}]
    assert everything["own"]["own"] is None
    assert everything["subordinates"] == {"expected": 2, "submitted": 1, "missing": 1}

    subordinates = counts("SUBORDINATES")
    assert (subordinates["expected"], subordinates["submitted"], subordinates["missing"]) == (2, 1, 1)
    assert [p["orgUnit"]["name"] for p in subordinates["problems"]] == ["延安路社区"]
    # The split does not depend on the scope asked for.
    assert subordinates["own"]["expected"] == 1

    own = counts("OWN")
    assert (own["expected"], own["submitted"], own["missing"]) == (1, 0, 1)
    assert [p["orgUnit"]["name"] for p in own["problems"]] == ["宁夏路街道"]


def test_a_zero_report_filed_after_the_deadline_shows_as_late(env: Env) -> None:
    today = local_today()
    overdue = _add(env, env.tree.community, today - timedelta(days=2))
    on_time = _add(env, env.tree.neighbour, today + timedelta(days=2))
    result = env.sign_in("community_worker", env.tree.community)(
        ZERO, {"input": {"instanceId": overdue, "note": "本月无矛盾纠纷"}}
    )["submitZeroReport"]
    assert result["userErrors"] == []
    env.sign_in("community_worker", env.tree.neighbour)(ZERO, {"input": {"instanceId": on_time, "note": "本月无事项"}})

    query = "query($id: ID!) { node(id: $id) { ... on ObligationInstance { status isLate isZero } } }"
    street = env.sign_in("street_staff", env.tree.street)
    assert street(query, {"id": overdue})["node"] == {"status": "zero_report", "isLate": True, "isZero": True}
    assert street(query, {"id": on_time})["node"] == {"status": "zero_report", "isLate": False, "isZero": True}

    counts = street(SCOPED, {"unit": _gid(env.tree.street)})["reportingCompleteness"]
    assert counts["lateZeroReports"] == 1
    assert counts["problems"] == [
        {"status": "zero_report", "isLate": True, "isZero": True, "orgUnit": {"name": "宁安路社区"}}
    ]
    full = street(
        "query($unit: ID!) { reportingCompleteness(orgUnitId: $unit) { zeroReports late onTime lateZeroReports } }",
        {"unit": _gid(env.tree.street)},
    )["reportingCompleteness"]
    assert full == {"zeroReports": 2, "late": 1, "onTime": 1, "lateZeroReports": 1}


CREATE_UNIT = """
mutation($input: CreateOrgUnitInput!) { createOrgUnit(input: $input) {
  orgUnit { id establishedOn }
  owedObligations { typeCode typeName recurrenceName firstPeriodStart firstPeriodEnd firstDueOn }
  userErrors { field code message }
} }
"""


def test_a_unit_created_without_a_date_owes_nothing_from_before_it_existed(env: Env) -> None:
    from core.reporting import service
    from core.reporting.calendar import period_of

    leader = env.sign_in("street_leader", env.tree.street)
    payload = leader(
        CREATE_UNIT, {"input": {"name": "新建社区", "level": "community", "parentId": _gid(env.tree.street)}}
    )["createOrgUnit"]
    assert payload["userErrors"] == []
    today = local_today()
    assert payload["orgUnit"]["establishedOn"] == today.isoformat()
    unit_id = decode_pk(payload["orgUnit"]["id"], "OrgUnit")

    # The first period it owes: the current one if it began today, else the next.
    owed = {item["typeCode"]: item for item in payload["owedObligations"]}
    current = period_of("monthly", today)
    first = current if current[0] == today else period_of("monthly", current[1] + timedelta(days=1))
    assert owed[REPORT]["typeName"] == "演练月报" and owed[REPORT]["recurrenceName"] == "每月"
    assert (owed[REPORT]["firstPeriodStart"], owed[REPORT]["firstPeriodEnd"]) == (
        first[0].isoformat(),
        first[1].isoformat(),
    )
    assert owed["drill.visit"]["firstPeriodStart"] is None

    with env.session() as session, session.begin():
        service.materialize(session, env.host, today)
    with env.session() as session:
        rows = list(session.scalars(select(ObligationInstance).where(ObligationInstance.org_unit_id == unit_id)))
        assert all(row.period_start >= today for row in rows)
        assert not [row for row in rows if service.effective_status(row, today) == "missing"]
        counts = service.completeness(session, session.get(OrgUnit, unit_id), today=today)
        assert counts.missing == 0
