"""Elderly visits through core/visits: the target group drawn from the
registry and from enrolments, intervals as policy, the derived due date,
recording visits, a worker's own list, a supervisor's overdue list and
coverage, masking of sensitive categories."""

from __future__ import annotations

from datetime import timedelta

from core.policy.service import local_today
from tests.plugins.elderly_services.conftest import Env, gid, set_policy

PROGRAMME = "elderly_services.elderly_visits"

MY_LIST = """
query($p: String!, $first: Int, $after: String) {
  myVisitList(programme: $p, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id residentName category categoryName intervalDays since lastVisitedOn dueOn daysOverdue }
  }
}
"""

RECORD = """
mutation($input: RecordVisitInput!) {
  recordVisit(input: $input) {
    visit { id visitedOn method methodName findings followUpNeeded followUpNote residentName }
    userErrors { field code message }
  }
}
"""

ENROL = """
mutation($input: EnrolInVisitProgrammeInput!) {
  enrolInVisitProgramme(input: $input) {
    enrolment { id category categoryName reason enrolledFrom enrolledUntil }
    userErrors { field code message }
  }
}
"""


def _names(result: dict) -> dict[str, dict]:
    return {n["residentName"]: n for n in result["myVisitList"]["nodes"]}


def test_target_group_comes_from_age_and_household_composition(env: Env) -> None:
    assert env.refresh() == 4
    worker = env.call("community_worker", env.tree.community)
    rows = _names(worker(MY_LIST, {"p": PROGRAMME}))
    # 独居 (alone85), 空巢 (pair70, pair68), 高龄 (old85, living with a son); not
    # the 65-year-old living with a son, nor the 40-year-old living alone.
    assert set(rows) == {"居民alone85", "居民pair70", "居民pair68", "居民old85"}
    # The shortest interval of the resident's categories governs: 独居 14 < 高龄 30.
    assert rows["居民alone85"]["category"] == "living_alone"
    assert rows["居民alone85"]["intervalDays"] == 14
    assert rows["居民pair70"]["category"] == "empty_nest"
    assert rows["居民old85"]["category"] == "very_old"
    today = local_today()
    assert rows["居民alone85"]["dueOn"] == (today + timedelta(days=14)).isoformat()
    assert rows["居民alone85"]["lastVisitedOn"] is None


def test_intervals_and_thresholds_are_locality_policy(env: Env) -> None:
    set_policy(env.deployment, env.tree.community, "elderly_services.visit_interval.living_alone", 7)
    # 高龄 from 85 "超过": an 85-year-old is no longer 高龄.
    set_policy(env.deployment, env.tree.street, "elderly_services.very_old_age", 85)
    set_policy(env.deployment, env.tree.street, "elderly_services.very_old_age.comparator", ">")
    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    rows = _names(worker(MY_LIST, {"p": PROGRAMME}))
    assert rows["居民alone85"]["intervalDays"] == 7
    assert "居民old85" not in rows
    set_policy(env.deployment, env.tree.street, "elderly_services.very_old_age.comparator", ">=")
    env.refresh()
    assert "居民old85" in _names(worker(MY_LIST, {"p": PROGRAMME}))


def test_recording_a_visit_moves_the_due_date(env: Env) -> None:
    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    visited = (local_today() - timedelta(days=20)).isoformat()
    result = worker(
        RECORD,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("alone85"),
                "visitedOn": visited,
                "method": "home",
                "findings": "身体尚可",
                "followUpNeeded": True,
                "followUpNote": "联系助餐服务",
            }
        },
    )["recordVisit"]
    assert result["userErrors"] == []
    assert result["visit"]["methodName"] == "入户走访"
    rows = _names(worker(MY_LIST, {"p": PROGRAMME}))
    due = local_today() - timedelta(days=6)
    assert rows["居民alone85"]["lastVisitedOn"] == visited
    assert rows["居民alone85"]["dueOn"] == due.isoformat()
    assert rows["居民alone85"]["daysOverdue"] == 6
    # Most overdue first.
    assert worker(MY_LIST, {"p": PROGRAMME})["myVisitList"]["nodes"][0]["residentName"] == "居民alone85"


def test_bad_visits_are_refused_with_reasons(env: Env) -> None:
    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    errors = worker(
        RECORD,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("alone85"),
                "visitedOn": tomorrow,
                "method": "letter",
                "findings": " ",
                "followUpNeeded": True,
            }
        },
    )["recordVisit"]["userErrors"]
    assert {e["code"] for e in errors} == {
        "VISIT_IN_FUTURE",
        "UNKNOWN_METHOD",
        "FINDINGS_REQUIRED",
        "FOLLOW_UP_NOTE_REQUIRED",
    }
    today = local_today().isoformat()
    base = {"programme": PROGRAMME, "visitedOn": today, "method": "phone", "findings": "问候"}
    not_member = worker(RECORD, {"input": {**base, "residentId": env.rid("alone40")}})["recordVisit"]["userErrors"]
    assert [e["code"] for e in not_member] == ["NOT_IN_TARGET_GROUP"]
    elsewhere = worker(RECORD, {"input": {**base, "residentId": env.rid("far80")}})["recordVisit"]["userErrors"]
    assert [e["code"] for e in elsewhere] == ["NOT_FOUND"]
    unknown = worker(
        RECORD, {"input": {**base, "programme": "elderly_services.nothing", "residentId": env.rid("alone85")}}
    )
    assert [e["code"] for e in unknown["recordVisit"]["userErrors"]] == ["UNKNOWN_PROGRAMME"]
    # A supervisor without the visit permission records nothing.
    supervisor = env.call("supervisor", env.tree.community)
    refused = supervisor(RECORD, {"input": {**base, "residentId": env.rid("alone85")}})["recordVisit"]["userErrors"]
    assert refused and refused[0]["code"] in {"NOT_FOUND", "FORBIDDEN"}


def test_enrolment_adds_sensitive_categories_masked_without_permission(env: Env) -> None:
    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    since = (local_today() - timedelta(days=30)).isoformat()
    enrolled = worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "extreme_poverty",
                "reason": "民政认定特困供养",
                "enrolledFrom": since,
            }
        },
    )["enrolInVisitProgramme"]
    assert enrolled["userErrors"] == []
    assert enrolled["enrolment"]["categoryName"] == "特困老人"
    rows = _names(worker(MY_LIST, {"p": PROGRAMME}))
    # Enrolled 30 days ago, interval 14: due 16 days ago.
    assert rows["居民with_child65"]["dueOn"] == (local_today() - timedelta(days=16)).isoformat()
    assert rows["居民with_child65"]["category"] == "extreme_poverty"
    grid_worker = env.call("grid_worker", env.tree.grid)
    masked = _names(grid_worker(MY_LIST, {"p": PROGRAMME}))["居民with_child65"]
    assert masked["category"] == "***" and masked["categoryName"] == "***"
    node = grid_worker(
        "query($id: ID!) { node(id: $id) { ... on VisitEnrolment { reason category } } }",
        {"id": enrolled["enrolment"]["id"]},
    )["node"]
    assert node == {"reason": "***", "category": "***"}
    bad = worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "rich",
                "reason": " ",
                "enrolledFrom": since,
            }
        },
    )["enrolInVisitProgramme"]["userErrors"]
    assert [e["code"] for e in bad] == ["UNKNOWN_CATEGORY"]
    no_reason = worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "no_family",
                "reason": " ",
                "enrolledFrom": since,
                "enrolledUntil": "2000-01-01",
            }
        },
    )["enrolInVisitProgramme"]["userErrors"]
    assert [e["code"] for e in no_reason] == ["REASON_REQUIRED"]


def test_expired_enrolment_leaves_the_group(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "no_family",
                "reason": "核实孤寡",
                "enrolledFrom": "2025-01-01",
                "enrolledUntil": (local_today() - timedelta(days=1)).isoformat(),
            }
        },
    )
    env.refresh()
    assert "居民with_child65" not in _names(worker(MY_LIST, {"p": PROGRAMME}))


OVERDUE = """
query($p: String!, $under: ID!, $first: Int, $after: String) {
  overdueVisits(programme: $p, under: $under, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { residentName dueOn }
  }
  visitCoverage(programme: $p, under: $under) { orgUnit { name } scheduled overdue visited }
}
"""


def test_supervisor_sees_overdue_and_coverage_down_the_subtree_only(env: Env) -> None:
    env.refresh(env.tree.street)
    env.refresh(env.tree.other_street)
    worker = env.call("community_worker", env.tree.community)
    long_ago = (local_today() - timedelta(days=50)).isoformat()
    recent = local_today().isoformat()
    base = {"programme": PROGRAMME, "method": "phone", "findings": "问候"}
    for key, on in (("alone85", long_ago), ("pair70", long_ago), ("pair68", recent)):
        assert (
            worker(RECORD, {"input": {**base, "residentId": env.rid(key), "visitedOn": on}})["recordVisit"][
                "userErrors"
            ]
            == []
        )
    staff = env.call("street_staff", env.tree.street)
    first = staff(OVERDUE, {"p": PROGRAMME, "under": gid("OrgUnit", env.tree.street), "first": 1})
    assert first["overdueVisits"]["totalCount"] == 2
    # alone85 (due 36 days ago) before pair70 (due 20 days ago), keyset-paged.
    assert [n["residentName"] for n in first["overdueVisits"]["nodes"]] == ["居民alone85"]
    cursor = first["overdueVisits"]["pageInfo"]["endCursor"]
    second = staff(OVERDUE, {"p": PROGRAMME, "under": gid("OrgUnit", env.tree.street), "first": 1, "after": cursor})
    assert [n["residentName"] for n in second["overdueVisits"]["nodes"]] == ["居民pair70"]
    coverage = first["visitCoverage"]
    assert coverage[0] == {"orgUnit": {"name": "宁夏路街道"}, "scheduled": 4, "overdue": 2, "visited": 1}
    assert coverage[1]["orgUnit"]["name"] == "宁安路社区" and coverage[1]["scheduled"] == 4
    # The other street's resident is never counted nor listed for this street's staff.
    other = staff(OVERDUE, {"p": PROGRAMME, "under": gid("OrgUnit", env.tree.other_street)})
    assert other["overdueVisits"]["totalCount"] == 0 and other["visitCoverage"][0]["scheduled"] == 0


def test_worker_list_stays_in_scope(env: Env) -> None:
    env.refresh(env.tree.street)
    env.refresh(env.tree.other_street)
    other_worker = env.call("community_worker", env.tree.other_community)
    assert set(_names(other_worker(MY_LIST, {"p": PROGRAMME}))) == {"居民far80"}


def test_rezoning_moves_schedules_visits_and_enrolments_along(env: Env) -> None:
    from core.org import service as org_service

    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    worker(
        RECORD,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("alone85"),
                "visitedOn": local_today().isoformat(),
                "method": "home",
                "findings": "问候",
            }
        },
    )
    worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "no_family",
                "reason": "核实孤寡",
                "enrolledFrom": local_today().isoformat(),
            }
        },
    )
    with env.deployment.session_factory() as session, session.begin():
        community = org_service.get_unit(session, env.tree.community)
        target = org_service.get_unit(session, env.tree.other_street)
        org_service.move_unit(
            session, env.deployment.settings, community, target, reason="区划调整", effective_on=local_today()
        )
    old_staff = env.call("street_staff", env.tree.street)
    new_staff = env.call("street_staff", env.tree.other_street)
    coverage = "query($p: String!, $u: ID!) { visitCoverage(programme: $p, under: $u) { scheduled visited } }"
    assert (
        old_staff(coverage, {"p": PROGRAMME, "u": gid("OrgUnit", env.tree.street)})["visitCoverage"][0]["scheduled"]
        == 0
    )
    moved = new_staff(coverage, {"p": PROGRAMME, "u": gid("OrgUnit", env.tree.other_street)})["visitCoverage"][0]
    assert moved == {"scheduled": 5, "visited": 1}


def test_refresh_command_rebuilds_every_schedule(env: Env, capsys) -> None:
    import argparse
    from pathlib import Path

    from sqlalchemy import func, select

    from core.visits.cli import cmd_refresh
    from core.visits.models import VisitSchedule

    config = Path(__file__).resolve().parents[3] / "config" / "jiceng.toml"
    args = argparse.Namespace(config=str(config), database_url=env.deployment.settings.database_url, on=None)
    assert cmd_refresh(args) == 0
    assert "elderly_services.elderly_visits" in capsys.readouterr().out
    with env.deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(VisitSchedule)) == 5


def test_visit_lists_refuse_where_the_programme_plugin_is_not_active(env: Env) -> None:
    set_policy(env.deployment, env.tree.other_street, "plugin.elderly_services.active", False)
    env.refresh(env.tree.other_street)
    other_worker = env.call("community_worker", env.tree.other_community)
    refused = other_worker(MY_LIST, {"p": PROGRAMME}, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "PLUGIN_NOT_ACTIVE"
    staff = env.call("street_staff", env.tree.other_street)
    overdue = staff(OVERDUE, {"p": PROGRAMME, "under": gid("OrgUnit", env.tree.other_street)}, expect_errors=True)
    assert overdue["errors"][0]["extensions"]["code"] == "PLUGIN_NOT_ACTIVE"
    # Where it is active, the same lists answer.
    env.refresh()
    assert env.call("community_worker", env.tree.community)(MY_LIST, {"p": PROGRAMME})["myVisitList"]["totalCount"] == 4
