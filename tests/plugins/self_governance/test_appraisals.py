"""Yearly democratic appraisal of the committee's members by the
representatives at a quorate assembly meeting, every member rated, the
grade with the most votes (a tie goes to the lower), the year's obligation
fulfilled."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.policy.service import local_today
from core.posts import service as posts
from core.reporting import service as reporting
from tests.plugins.self_governance.conftest import Env, codes, gid
from tests.plugins.self_governance.meetings_helper import (
    add_representatives,
    assembly_meeting,
)

RECORD = """
mutation($input: RecordDemocraticAppraisalInput!) {
  recordDemocraticAppraisal(input: $input) {
    appraisal { year ratings { residentName postCode gradeName grade } }
    userErrors { field code message }
  }
}"""


def _committee(env: Env) -> dict[str, str]:
    start = local_today() - timedelta(days=200)
    ids = {}
    with env.deployment.session_factory() as session, session.begin():
        body = posts.create_body(session, org_unit_id=env.tree.community, kind="residents_committee", name="居委会")
        for key, post in (("a5", "chair"), ("a6", "member")):
            ids[key] = gid(
                "PostAssignment",
                posts.assign(
                    session, body_id=body.id, post_code=post, resident_id=env.tree.people[key], term_start=start
                ).id,
            )
        group = posts.create_body(session, org_unit_id=env.tree.buildings[0], kind="building_group", name="楼院")
        ids["head"] = gid(
            "PostAssignment",
            posts.assign(
                session,
                body_id=group.id,
                post_code="building_head",
                resident_id=env.tree.people["a1"],
                term_start=start,
            ).id,
        )
    return ids


def _rating(assignment: str, satisfied: int, basic: int, unsatisfied: int) -> dict[str, Any]:
    return {"assignmentId": assignment, "satisfied": satisfied, "basicallySatisfied": basic, "unsatisfied": unsatisfied}


def test_every_member_is_rated_at_a_quorate_assembly(env: Env) -> None:
    posts_ = _committee(env)
    add_representatives(env)
    worker = env.call("community_worker")
    short, _ = assembly_meeting(env, present=3, resolved=False)
    below = worker(
        RECORD,
        {
            "input": {
                "meetingId": gid("Meeting", short),
                "ratings": [_rating(posts_["a5"], 3, 0, 0), _rating(posts_["a6"], 3, 0, 0)],
            }
        },
    )
    assert codes(below["recordDemocraticAppraisal"]) == ["QUORUM_NOT_MET"]
    meeting, _ = assembly_meeting(env, present=4, resolved=False)
    mid = gid("Meeting", meeting)
    missing = worker(RECORD, {"input": {"meetingId": mid, "ratings": [_rating(posts_["a5"], 4, 0, 0)]}})[
        "recordDemocraticAppraisal"
    ]
    assert codes(missing) == ["MEMBER_NOT_APPRAISED"]
    bad = worker(
        RECORD,
        {
            "input": {
                "meetingId": mid,
                "ratings": [
                    _rating(posts_["a5"], 4, 1, 0),
                    _rating(posts_["a6"], 1, 1, 1),
                    _rating(posts_["head"], 1, 0, 0),
                ],
            }
        },
    )["recordDemocraticAppraisal"]
    assert codes(bad) == ["TOO_MANY_VOTES", "NOT_A_MEMBER"]
    good = worker(
        RECORD,
        {"input": {"meetingId": mid, "ratings": [_rating(posts_["a5"], 3, 1, 0), _rating(posts_["a6"], 0, 2, 2)]}},
    )
    result = good["recordDemocraticAppraisal"]
    assert result["userErrors"] == [] and result["appraisal"]["year"] == local_today().year
    assert [(r["residentName"], r["gradeName"]) for r in result["appraisal"]["ratings"]] == [
        ("居民a5", "称职"),
        ("居民a6", "不称职"),
    ]
    again, _ = assembly_meeting(env, present=4, resolved=False)
    twice = worker(
        RECORD,
        {
            "input": {
                "meetingId": gid("Meeting", again),
                "ratings": [_rating(posts_["a5"], 4, 0, 0), _rating(posts_["a6"], 4, 0, 0)],
            }
        },
    )
    assert codes(twice["recordDemocraticAppraisal"]) == ["ALREADY_APPRAISED"]


def test_the_appraisal_fulfils_the_years_obligation(env: Env) -> None:
    posts_ = _committee(env)
    add_representatives(env)
    with env.deployment.session_factory() as session, session.begin():
        reporting.materialize(session, env.deployment.host, local_today())
    meeting, _ = assembly_meeting(env, present=5, resolved=False)
    worker = env.call("community_worker")
    worker(
        RECORD,
        {
            "input": {
                "meetingId": gid("Meeting", meeting),
                "ratings": [_rating(posts_["a5"], 5, 0, 0), _rating(posts_["a6"], 5, 0, 0)],
            }
        },
    )
    status = env.sql(
        "SELECT status FROM obligation_instance WHERE type_code = 'self_governance.democratic_appraisal' AND org_unit_id = :u "
        "AND period_start = :d",
        u=env.tree.community,
        d=local_today().replace(month=1, day=1).isoformat(),
    )
    assert status == [("submitted",)]
