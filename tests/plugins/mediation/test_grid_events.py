"""Grid events (八必报): reported from buildings and grids, routed by type;
a new pregnancy goes to family planning only where that module is active."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from plugins.mediation.models import Appeal, DisputeCase, GridEvent
from tests.plugins.mediation.conftest import Env, codes, gid, ok

REPORT = """mutation($input: ReportGridEventInput!) { reportGridEvent(input: $input) { gridEvent {
  id eventType eventTypeName route routingStatus routingNote orgUnit { name }
  disputeCase { id source orgUnit { name } } appeal { id channel orgUnit { name } } } userErrors { field code } } }"""
LIST = "query($status: String) { gridEvents(routingStatus: $status, first: 20) { totalCount nodes { eventType routingStatus } } }"


def report(call: Any, unit: int, event_type: str, description: str = "楼道堆放杂物。", **extra: Any) -> dict[str, Any]:
    return call(
        REPORT,
        {"input": {"orgUnitId": gid("OrgUnit", unit), "eventType": event_type, "description": description, **extra}},
    )["reportGridEvent"]


def test_each_type_routes_to_its_handler(env: Env) -> None:
    head = env.call("building_head", env.tree.building)
    routes = {}
    for event_type in (
        "facility_damage",
        "dirty_alley",
        "new_pregnancy",
        "newcomer",
        "hospitalized",
        "house_rented",
        "safety_hazard",
        "instability",
    ):
        event = ok({"x": report(head, env.tree.building, event_type)}, "x")["gridEvent"]
        routes[event_type] = (event["route"], event["routingStatus"])
        assert event["orgUnit"]["name"] == "1号楼"
    assert routes == {
        "facility_damage": ("appeal", "routed"),
        "dirty_alley": ("appeal", "routed"),
        "new_pregnancy": ("family_planning", "not_routed"),
        "newcomer": ("people_registry", "pending_review"),
        "hospitalized": ("community_visit", "routed"),
        "house_rented": ("people_registry", "pending_review"),
        "safety_hazard": ("appeal", "routed"),
        "instability": ("dispute_case", "routed"),
    }
    with env.session() as session:
        appeals = session.scalars(select(Appeal)).all()
        assert len(appeals) == 3 and {a.channel for a in appeals} == {"grid"}
        # The community, not the building, holds what the grid reports.
        cases = session.scalars(select(DisputeCase)).all()
        assert len(cases) == 1 and cases[0].source == "grid_report"
        assert {a.org_unit_id for a in appeals} == {cases[0].org_unit_id} == {env.tree.community}


def test_a_pregnancy_is_not_routed_without_the_family_planning_module(env: Env) -> None:
    grid_worker = env.call("grid_worker", env.tree.grid)
    event = ok({"x": report(grid_worker, env.tree.grid, "new_pregnancy", "辖区一名育龄妇女新怀孕。")}, "x")["gridEvent"]
    assert event["routingStatus"] == "not_routed"
    assert "计划生育模块在本单位未启用" in event["routingNote"]
    with env.session() as session:
        stored = session.scalars(select(GridEvent)).one()
        assert stored.case_id is None and stored.appeal_id is None
    assert grid_worker(LIST, {"status": "not_routed"})["gridEvents"]["totalCount"] == 1
    # Reproductive data: the description is masked, revealed with permission and audited.
    shown = grid_worker("{ gridEvents(first: 5) { nodes { id description } } }")["gridEvents"]["nodes"][0]
    assert "怀孕" not in shown["description"] and "已脱敏" in shown["description"]
    reveal = """mutation($input: RevealSensitiveFieldInput!) { revealSensitiveField(input: $input) { value userErrors { code } } }"""
    refused = grid_worker(reveal, {"input": {"objectId": shown["id"], "field": "description", "purpose": "了解"}})
    assert [e["code"] for e in refused["revealSensitiveField"]["userErrors"]] == ["FORBIDDEN"]
    worker = env.call("community_worker", env.tree.community)
    revealed = worker(reveal, {"input": {"objectId": shown["id"], "field": "description", "purpose": "安排孕期服务"}})
    assert revealed["revealSensitiveField"]["value"] == "辖区一名育龄妇女新怀孕。"


def test_grid_event_permissions_and_bad_input(env: Env) -> None:
    head = env.call("building_head", env.tree.building)
    # A building head reports from the own building only.
    assert codes({"x": report(head, env.tree.grid, "dirty_alley")}, "x") == ["FORBIDDEN"]
    assert codes({"x": report(head, env.tree.building, "ufo")}, "x") == ["INVALID_VALUE"]
    assert codes({"x": report(head, env.tree.building, "newcomer", residentId=gid("Resident", 999999))}, "x") == [
        "NOT_FOUND"
    ]
    ok({"x": report(head, env.tree.building, "instability", "多名业主在群里串联。")}, "x")
    # The building head sees the events reported there; the case register stays with the community.
    assert head(LIST, {"status": None})["gridEvents"]["totalCount"] == 1
    event = head(LIST, {"status": None})["gridEvents"]["nodes"][0]
    assert event["eventType"] == "instability"
    # Other types are not health data: readable as reported.
    described = head("{ gridEvents(first: 5) { nodes { description } } }")["gridEvents"]["nodes"][0]
    assert described["description"] == "多名业主在群里串联。"
    outsider = env.call("grid_worker", env.tree.other_community)
    assert outsider(LIST, {"status": None})["gridEvents"]["totalCount"] == 0


REVIEW = """mutation($input: ReviewGridEventInput!) { reviewGridEvent(input: $input) { gridEvent { routingStatus routingNote } userErrors { code } } }"""


def test_a_newcomer_report_is_reviewed_by_the_community(env: Env) -> None:
    head = env.call("building_head", env.tree.building)
    newcomer = ok({"x": report(head, env.tree.building, "newcomer", "401 新迁入一户三口。")}, "x")["gridEvent"]
    hazard = ok({"x": report(head, env.tree.building, "safety_hazard", "电动车楼道充电。")}, "x")["gridEvent"]
    assert codes(head(REVIEW, {"input": {"eventId": newcomer["id"], "note": "已登记"}}), "reviewGridEvent") == [
        "FORBIDDEN"
    ]
    worker = env.call("community_worker", env.tree.community)
    assert codes(worker(REVIEW, {"input": {"eventId": hazard["id"], "note": "x"}}), "reviewGridEvent") == [
        "INVALID_STATUS"
    ]
    done = ok(worker(REVIEW, {"input": {"eventId": newcomer["id"], "note": "已在实有人口中登记"}}), "reviewGridEvent")[
        "gridEvent"
    ]
    assert done["routingStatus"] == "routed" and done["routingNote"].endswith("已核实：已在实有人口中登记")
    assert codes(worker(REVIEW, {"input": {"eventId": newcomer["id"], "note": "again"}}), "reviewGridEvent") == [
        "INVALID_STATUS"
    ]
