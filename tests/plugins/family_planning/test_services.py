"""A grid's 新增怀孕 report opens a service follow-up here (never a
sanction); the worker takes the service to the door through core visits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from plugins.family_planning.models import FollowUp
from plugins.mediation.models import GridEvent
from tests.plugins.family_planning.conftest import PURPOSE, Env, codes, gid, ok

REPORT = """mutation($input: ReportGridEventInput!) { reportGridEvent(input: $input) {
  gridEvent { route routingStatus routingNote } userErrors { field code } } }"""
FOLLOW_UPS = """query($u: ID!, $p: String!) { familyPlanningFollowUps(under: $u, purpose: $p) {
  nodes { id reason reasonLabel source status residentName servicesOffered } } }"""
START = """mutation($input: StartServiceInput!) { startFamilyPlanningService(input: $input) {
  followUp { status } userErrors { field code message } } }"""
CLOSE = """mutation($input: CloseFollowUpInput!) { closeFamilyPlanningFollowUp(input: $input) {
  followUp { status servicesOffered closedOn } userErrors { field code message } } }"""
MY_VISITS = '{ myVisitList(programme: "family_planning.services", first: 10, purpose: "安排本周上门服务") { nodes { residentName category } } }'


def report(env: Env, resident: str | None) -> dict[str, Any]:
    grid_worker = env.call("grid_worker", env.tree.grid)
    values: dict[str, Any] = {
        "orgUnitId": gid("OrgUnit", env.tree.grid),
        "eventType": "new_pregnancy",
        "description": "一名育龄妇女新怀孕。",
    }
    if resident:
        values["residentId"] = resident
    return ok(grid_worker(REPORT, {"input": values})["reportGridEvent"])["gridEvent"]


def test_a_new_pregnancy_opens_a_service_follow_up_never_a_sanction(env: Env) -> None:
    event = report(env, env.rid("wife30"))
    assert event["route"] == "family_planning" and event["routingStatus"] == "routed"
    assert "孕期服务" in event["routingNote"] and "不涉及任何处罚" in event["routingNote"]
    with env.session() as session:
        follow_up = session.scalars(select(FollowUp)).one()
        assert (follow_up.reason, follow_up.source, follow_up.status) == ("new_pregnancy", "grid_event", "open")
        assert follow_up.resident_id == env.tree.people["wife30"]
        # The grid's description stays with the grid event; nothing of it is copied here.
        assert session.scalars(select(GridEvent)).one().description == "一名育龄妇女新怀孕。"
    worker = env.worker()
    listed = worker(FOLLOW_UPS, {"u": env.unit(), "p": PURPOSE})["familyPlanningFollowUps"]["nodes"]
    assert [(n["reasonLabel"], n["status"], n["residentName"]) for n in listed] == [
        ("新增怀孕：孕期服务", "open", "居民wife30")
    ]
    # The grid worker who reported it cannot read the follow-up.
    grid_worker = env.call("grid_worker", env.tree.grid)
    body = grid_worker(FOLLOW_UPS, {"u": env.unit(), "p": PURPOSE}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_worker_takes_the_service_to_the_door_and_closes_it(env: Env) -> None:
    report(env, env.rid("wife30"))
    worker = env.worker()
    follow_up = worker(FOLLOW_UPS, {"u": env.unit(), "p": PURPOSE})["familyPlanningFollowUps"]["nodes"][0]["id"]
    started = ok(worker(START, {"input": {"id": follow_up, "category": "pregnancy"}})["startFamilyPlanningService"])
    assert started["followUp"]["status"] == "in_service"
    # The category is sensitive: even the worker's own list shows it masked (the follow-up says why).
    assert worker(MY_VISITS)["myVisitList"]["nodes"] == [{"residentName": "居民wife30", "category": "***"}]
    # The core visit list of this programme belongs to the family-planning role.
    assert codes_of(env.call("grid_worker", env.tree.grid)(MY_VISITS, expect_errors=True)) == ["FORBIDDEN"]
    # Visits of this programme are audited reads: without a purpose, nothing; with one, logged.
    no_purpose = worker('{ myVisitList(programme: "family_planning.services") { nodes { id } } }', expect_errors=True)
    assert codes_of(no_purpose) == ["PURPOSE_REQUIRED"]
    visit_reads = [
        (r.record_type, r.kind, r.purpose, r.subject_resident_id)
        for r in env.reads()
        if r.record_type == "FamilyPlanningVisit"
    ]
    assert visit_reads == [("FamilyPlanningVisit", "list", "安排本周上门服务", env.tree.people["wife30"])]
    again = worker(START, {"input": {"id": follow_up, "category": "pregnancy"}})["startFamilyPlanningService"]
    assert codes(again) == ["INVALID_STATUS"]
    assert codes(
        worker(CLOSE, {"input": {"id": follow_up, "servicesOffered": " "}})["closeFamilyPlanningFollowUp"]
    ) == ["REQUIRED"]
    closed = ok(
        worker(CLOSE, {"input": {"id": follow_up, "servicesOffered": "送孕期保健资料，预约产检。"}})[
            "closeFamilyPlanningFollowUp"
        ]
    )
    assert closed["followUp"]["status"] == "closed"


def test_a_report_without_a_resident_is_confirmed_by_the_worker(env: Env) -> None:
    report(env, None)
    worker = env.worker()
    follow_up = worker(FOLLOW_UPS, {"u": env.unit(), "p": PURPOSE})["familyPlanningFollowUps"]["nodes"][0]
    assert follow_up["residentName"] is None
    refused = worker(START, {"input": {"id": follow_up["id"], "category": "pregnancy"}})["startFamilyPlanningService"]
    assert codes(refused) == ["RESIDENT_REQUIRED"]
    far = worker(START, {"input": {"id": follow_up["id"], "category": "pregnancy", "residentId": env.rid("far30")}})
    assert codes(far["startFamilyPlanningService"]) == ["NOT_FOUND"]
    done = worker(START, {"input": {"id": follow_up["id"], "category": "pregnancy", "residentId": env.rid("wife30")}})
    assert ok(done["startFamilyPlanningService"])["followUp"]["status"] == "in_service"


def codes_of(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body["errors"]]


def test_where_the_module_is_off_the_report_is_not_routed(env: Env) -> None:
    from tests.plugins.family_planning.conftest import set_policy

    set_policy(env.deployment, env.tree.community, "plugin.family_planning.active", False)
    grid_worker = env.call("grid_worker", env.tree.grid)
    values = {
        "orgUnitId": gid("OrgUnit", env.tree.grid),
        "eventType": "new_pregnancy",
        "description": "新怀孕。",
        "residentId": env.rid("wife30"),
    }
    event = ok(grid_worker(REPORT, {"input": values})["reportGridEvent"])["gridEvent"]
    assert event["routingStatus"] == "not_routed"
    with env.session() as session:
        assert session.scalars(select(FollowUp)).all() == []


DOCUMENTS = "query($o: ID!, $p: String) { documents(ownerId: $o, purpose: $p) { id } }"
APPLY = """mutation($input: ApplyCertificateInput!) { applyFamilyPlanningCertificate(input: $input) {
  certificate { id } userErrors { code } } }"""


def test_documents_of_a_certificate_are_listed_with_a_purpose(env: Env) -> None:
    from core.policy.service import local_today

    worker = env.worker()
    certificate = ok(
        worker(
            APPLY,
            {"input": {"residentId": env.rid("wife30"), "kind": "birth_registration", "appliedOn": str(local_today())}},
        )["applyFamilyPlanningCertificate"]
    )["certificate"]["id"]
    assert codes_of(worker(DOCUMENTS, {"o": certificate}, expect_errors=True)) == ["PURPOSE_REQUIRED"]
    assert worker(DOCUMENTS, {"o": certificate, "p": "核对申请材料"})["documents"] == []
    assert [(r.kind, r.purpose, r.record_type) for r in env.reads()] == [
        ("node", "核对申请材料", "FamilyPlanningCertificate")
    ]
    grid_worker = env.call("grid_worker", env.tree.grid)
    assert codes_of(grid_worker(DOCUMENTS, {"o": certificate, "p": "核对申请材料"}, expect_errors=True)) == [
        "NOT_FOUND"
    ]
