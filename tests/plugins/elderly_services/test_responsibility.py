"""Responsibility by post: a programme's residents under a unit belong to
whoever holds the post there (the list moves when the holder changes), or
to one user; residents under no responsibility stay with every worker
holding the visit permission."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from core.auth.models import User
from core.org.models import OrgUnit
from core.people.models import Resident
from core.policy.service import local_today
from core.posts import service as posts
from tests.plugins.elderly_services.conftest import Env, gid

PROGRAMME = "elderly_services.elderly_visits"
COUNT = "query($p: String!) { myVisitList(programme: $p, first: 50) { totalCount } }"
ASSIGN = """
mutation($input: AssignVisitResponsibilityInput!) {
  assignVisitResponsibility(input: $input) {
    responsibility { programme postCode postName responsibleNames orgUnit { name } }
    userErrors { field code message }
  }
}
"""
LIST = "query($p: String!, $u: ID!) { visitResponsibilities(programme: $p, under: $u) { postCode responsibleNames } }"


def _count(caller: Any) -> int:
    return caller(COUNT, {"p": PROGRAMME})["myVisitList"]["totalCount"]


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["assignVisitResponsibility"]["userErrors"]]


def _hold(env: Env, user_id: int, name: str, start: date) -> int:
    """The user's resident holds the grid worker post at the grid from ``start``."""
    with env.deployment.session_factory() as session, session.begin():
        resident = Resident(name=name, org_unit_id=env.tree.grid, org_path=_path(session, env))
        session.add(resident)
        session.flush()
        user = session.get(User, user_id)
        assert user is not None
        user.resident_id = resident.id
        body = session.scalars(posts.bodies_under(_unit(session, env), "grid_team")).first()
        if body is None:
            body = posts.create_body(session, org_unit_id=env.tree.grid, kind="grid_team", name="第一网格服务团队")
        return posts.assign(
            session, body_id=body.id, post_code="grid_worker", resident_id=resident.id, term_start=start
        ).id


def _unit(session: Session, env: Env) -> OrgUnit:
    from core.org import service as org_service

    return org_service.get_unit(session, env.tree.grid)


def _path(session: Session, env: Env) -> str:
    return _unit(session, env).path


def test_the_list_follows_the_holder_of_the_post(env: Env) -> None:
    env.refresh()
    first = env.call("grid_worker", env.tree.grid)
    second = env.call("grid_worker", env.tree.grid)
    chair = env.call("committee_chair", env.tree.community)
    # Nobody is named yet: every worker with the visit permission sees the grid's four.
    assert (_count(first), _count(second)) == (4, 4)
    made = chair(
        ASSIGN,
        {"input": {"programme": PROGRAMME, "orgUnitId": gid("OrgUnit", env.tree.grid), "postCode": "grid_worker"}},
    )
    assert made["assignVisitResponsibility"]["responsibility"]["postName"] == "网格员"
    # The post has no holder yet: the residents are nobody's own list.
    assert (_count(first), _count(second)) == (0, 0)
    today = local_today()
    assignment = _hold(env, first.user_id, "李网格", today - timedelta(days=30))
    assert (_count(first), _count(second)) == (4, 0)
    listed = chair(LIST, {"p": PROGRAMME, "u": gid("OrgUnit", env.tree.community)})["visitResponsibilities"]
    assert listed == [{"postCode": "grid_worker", "responsibleNames": ["李网格"]}]
    # The post changes hands today: the list goes with it.
    with env.deployment.session_factory() as session, session.begin():
        posts.end_term(session, posts.get_assignment(session, assignment), ended_on=today, reason="调岗")
    _hold(env, second.user_id, "王网格", today)
    assert (_count(first), _count(second)) == (0, 4)


def test_a_user_can_be_named_and_bad_assignments_are_refused(env: Env) -> None:
    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    other = env.call("community_worker", env.tree.community)
    chair = env.call("committee_chair", env.tree.community)
    supervisor = env.call("supervisor", env.tree.community)
    grid = gid("OrgUnit", env.tree.grid)
    base = {"programme": PROGRAMME, "orgUnitId": grid}
    assert _codes(chair(ASSIGN, {"input": base})) == ["ONE_RESPONSIBLE"]
    both = {**base, "postCode": "grid_worker", "userId": gid("User", worker.user_id)}
    assert _codes(chair(ASSIGN, {"input": both})) == ["ONE_RESPONSIBLE"]
    assert _codes(chair(ASSIGN, {"input": {**base, "postCode": "keeper"}})) == ["UNKNOWN_POST"]
    # A supervisor cannot visit, so cannot be the one responsible.
    assert _codes(chair(ASSIGN, {"input": {**base, "userId": gid("User", supervisor.user_id)}})) == ["NOT_A_VISITOR"]
    # Only a role holding the programme's supervising permission assigns.
    resident = env.call("resident", env.tree.community)
    assert _codes(resident(ASSIGN, {"input": {**base, "postCode": "grid_worker"}})) == ["FORBIDDEN"]
    named = chair(ASSIGN, {"input": {**base, "userId": gid("User", worker.user_id)}})["assignVisitResponsibility"]
    assert named["userErrors"] == [] and named["responsibility"]["responsibleNames"] == [worker.username]
    assert (_count(worker), _count(other)) == (4, 0)
    # Out of scope: another street's unit is not found.
    elsewhere = {**base, "orgUnitId": gid("OrgUnit", env.tree.other_community), "userId": gid("User", worker.user_id)}
    assert _codes(chair(ASSIGN, {"input": elsewhere})) in (["NOT_FOUND"], ["FORBIDDEN"])
