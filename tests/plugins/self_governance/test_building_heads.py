"""Building heads: self- or co-nomination of a resident of the building, five
working days of publicity from the holiday calendar, objections by real
name answered, then the post in core."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core.policy.service import local_today
from core.reporting.calendar import add_holiday
from plugins.self_governance.building_heads import add_working_days
from tests.plugins.self_governance.conftest import Env, codes, gid

NOMINATE = """
mutation($input: NominateBuildingHeadInput!) {
  nominateBuildingHead(input: $input) {
    nomination { id residentName methodName publicityFrom publicityUntil recommenderNames status }
    userErrors { field code message }
  }
}"""
OBJECT = """
mutation($input: ObjectToBuildingHeadInput!) {
  objectToBuildingHead(input: $input) { nomination { objections { residentName reason answer } } userErrors { code } }
}"""
ANSWER = """
mutation($input: AnswerBuildingHeadObjectionInput!) {
  answerBuildingHeadObjection(input: $input) { nomination { objections { answer } } userErrors { code } }
}"""
APPOINT = """
mutation($input: AppointBuildingHeadInput!) {
  appointBuildingHead(input: $input) { nomination { status appointedOn postAssignmentId } userErrors { field code message } }
}"""


def _nominate(
    env: Env, who: Any, key: str, *, building: int = 0, method: str = "self", recommenders: tuple[str, ...] = ()
) -> dict[str, Any]:
    return who(
        NOMINATE,
        {
            "input": {
                "buildingId": gid("OrgUnit", env.tree.buildings[building]),
                "residentId": env.rid(key),
                "method": method,
                "recommenderIds": [env.rid(k) for k in recommenders],
            }
        },
    )["nominateBuildingHead"]


def test_working_days_skip_weekends_and_holidays(env: Env) -> None:
    with env.deployment.session_factory() as session, session.begin():
        path = f"/{env.tree.street}/"
        # Monday 2026-09-28: Mon, Tue, Wed; 1 October (Thursday) a holiday; Fri; Mon.
        add_holiday(session, date(2026, 10, 1), "国庆节")
        assert add_working_days(session, date(2026, 9, 28), 5, path) == date(2026, 10, 5)
        # A Saturday made a working day (调休) counts.
        add_holiday(session, date(2026, 10, 3), "调休上班", is_workday=True)
        assert add_working_days(session, date(2026, 9, 28), 5, path) == date(2026, 10, 3)
        # Starting on a Sunday: the first working day is Monday.
        assert add_working_days(session, date(2026, 9, 27), 1, path) == date(2026, 9, 28)


def test_nominations_are_checked_against_the_building_and_the_registry(env: Env) -> None:
    worker = env.call("community_worker")
    assert codes(_nominate(env, worker, "a4")) == ["NOT_OF_BUILDING"]  # lives in 2号楼
    assert codes(_nominate(env, worker, "minor")) == ["NOT_ADULT"]
    assert codes(_nominate(env, worker, "a1", method="co")) == ["RECOMMENDERS_REQUIRED"]
    assert codes(_nominate(env, worker, "a1", recommenders=("a2",))) == ["RECOMMENDERS_UNUSED"]
    assert codes(_nominate(env, worker, "a1", method="co", recommenders=("a1",))) == ["SELF_RECOMMENDED"]
    assert codes(_nominate(env, worker, "a1", method="co", recommenders=("minor",))) == ["NOT_ADULT"]
    result = _nominate(env, worker, "a1", method="co", recommenders=("a2", "a3"))
    assert result["userErrors"] == []
    nomination = result["nomination"]
    assert nomination["methodName"] == "联名推荐" and nomination["recommenderNames"] == ["居民a2", "居民a3"]
    with env.deployment.session_factory() as session:
        expected = add_working_days(session, local_today(), 5, f"/{env.tree.street}/")
    assert nomination["publicityUntil"] == expected.isoformat()
    assert codes(_nominate(env, worker, "a1")) == ["DUPLICATE"]
    unit = worker(NOMINATE, {"input": {"buildingId": env.community_id, "residentId": env.rid("a1"), "method": "self"}})
    assert codes(unit["nominateBuildingHead"]) == ["NOT_A_COMMUNITY"]


def test_the_publicity_period_follows_policy(env: Env) -> None:
    env.set_policy("self_governance.building_head.publicity_working_days", 1)
    worker = env.call("community_worker")
    nomination = _nominate(env, worker, "a1")["nomination"]
    with env.deployment.session_factory() as session:
        expected = add_working_days(session, local_today(), 1, f"/{env.tree.street}/")
    assert nomination["publicityUntil"] == expected.isoformat()


def test_appointment_waits_for_the_publicity_and_answered_objections(env: Env) -> None:
    worker = env.call("community_worker")
    nomination = _nominate(env, worker, "a1")["nomination"]["id"]
    early = worker(APPOINT, {"input": {"nominationId": nomination}})["appointBuildingHead"]
    assert codes(early) == ["PUBLICITY_NOT_OVER"]
    objected = worker(
        OBJECT, {"input": {"nominationId": nomination, "residentId": env.rid("a3"), "reason": "经常不在家"}}
    )
    assert objected["objectToBuildingHead"]["nomination"]["objections"] == [
        {"residentName": "居民a3", "reason": "经常不在家", "answer": None}
    ]
    env.sql(
        "UPDATE selfgov_building_head_nomination SET publicity_until = :d",
        d=(local_today() - timedelta(days=1)).isoformat(),
    )
    late_objection = worker(OBJECT, {"input": {"nominationId": nomination, "residentId": env.rid("a2"), "reason": "x"}})
    assert codes(late_objection["objectToBuildingHead"]) == ["PUBLICITY_OVER"]
    assert codes(worker(APPOINT, {"input": {"nominationId": nomination}})["appointBuildingHead"]) == [
        "OBJECTION_UNANSWERED"
    ]
    worker(ANSWER, {"input": {"nominationId": nomination, "objectionNumber": 1, "answer": "已退休常住"}})
    again = worker(ANSWER, {"input": {"nominationId": nomination, "objectionNumber": 1, "answer": "x"}})
    assert codes(again["answerBuildingHeadObjection"]) == ["ALREADY_ANSWERED"]
    appointed = worker(APPOINT, {"input": {"nominationId": nomination}})["appointBuildingHead"]
    assert appointed["userErrors"] == [] and appointed["nomination"]["status"] == "appointed"
    holders = env.sql(
        "SELECT r.name, p.post_code, b.kind, b.org_unit_id FROM post_assignment p JOIN resident r ON r.id = p.resident_id "
        "JOIN body b ON b.id = p.body_id"
    )
    assert holders == [("居民a1", "building_head", "building_group", env.tree.buildings[0])]
    # One head per building.
    second = _nominate(env, worker, "a3")["nomination"]["id"]
    env.sql(
        "UPDATE selfgov_building_head_nomination SET publicity_until = :d",
        d=(local_today() - timedelta(days=1)).isoformat(),
    )
    assert codes(worker(APPOINT, {"input": {"nominationId": second}})["appointBuildingHead"]) == ["BUILDING_HAS_HEAD"]
