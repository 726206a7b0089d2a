"""Two people acting at once on PostgreSQL: the unique indexes turn a lost
race into the same refusal as the check made first, and a development case
is locked so two steps recorded at once are taken in turn."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from core.api.errors import UserInputError
from core.app import Deployment
from plugins.party_building import service
from plugins.party_building.models import (
    BRANCH,
    EVALUATED,
    NOT_ACCEPTED,
    SECRETARY,
    PartyMember,
)
from tests.plugins.party_building.conftest import World, members, resident

pytestmark = pytest.mark.postgresql_only

HOLD_SECONDS = 0.4
DAY = date(2026, 1, 10)


def race(deployment: Deployment, *actions: Callable[[Any], Any]) -> list[str]:
    barrier = threading.Barrier(len(actions))
    results = [""] * len(actions)

    def run(index: int) -> None:
        with deployment.session_factory() as session:
            barrier.wait()
            try:
                with session.begin():
                    actions[index](session)
                    time.sleep(HOLD_SECONDS)
                results[index] = "ok"
            except UserInputError as error:
                results[index] = error.errors[0].code

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_one_resident_admitted_twice_at_once(deployment: Deployment, world: World) -> None:
    with deployment.session_factory() as session, session.begin():
        orgs = [
            service.create_organization(
                session, name=name, org_type=BRANCH, org_unit_id=world.community, parent_id=None
            ).id
            for name in ("第一党支部", "第二党支部")
        ]
        person = resident(session, world.grid).id

    def admit(org_id: int) -> Callable[[Any], Any]:
        return lambda session: service.admit_member(
            session,
            resident_id=person,
            organization=service.get_organization(session, org_id),
            status="full",
            joined_on=DAY,
        )

    assert sorted(race(deployment, admit(orgs[0]), admit(orgs[1]))) == ["ALREADY_MEMBER", "ok"]
    with deployment.session_factory() as session:
        assert (
            session.scalar(select(func.count()).select_from(PartyMember).where(PartyMember.resident_id == person)) == 1
        )


def test_two_secretaries_appointed_at_once(deployment: Deployment, world: World) -> None:
    with deployment.session_factory() as session, session.begin():
        org = service.create_organization(
            session, name="党支部", org_type=BRANCH, org_unit_id=world.community, parent_id=None
        )
        ids = [m.id for m in members(session, org, 2)]

    def appoint(member_id: int) -> Callable[[Any], Any]:
        return lambda session: service.set_committee_role(session, service.get_member(session, member_id), SECRETARY)

    assert sorted(race(deployment, appoint(ids[0]), appoint(ids[1]))) == ["SECRETARY_TAKEN", "ok"]


def test_two_evaluations_of_one_case(deployment: Deployment, world: World) -> None:
    with deployment.session_factory() as session, session.begin():
        org = service.create_organization(
            session, name="党支部", org_type=BRANCH, org_unit_id=world.community, parent_id=None
        )
        case = service.start_development(
            session, resident_id=resident(session, world.grid).id, organization=org, today=DAY
        )
        service.record_member_nomination(session, case, on=DAY, count=3, today=DAY)
        service.record_representative_nomination(session, case, on=DAY, count=3, today=DAY)
        case_id = case.id

    def evaluate(approvals: int) -> Callable[[Any], Any]:
        return lambda session: service.record_evaluation(
            session,
            service.get_case(session, case_id, lock=True),
            on=DAY,
            approvals=approvals,
            participants=10,
            today=DAY,
        )

    assert sorted(race(deployment, evaluate(9), evaluate(2))) == ["STEP_OUT_OF_ORDER", "ok"]
    with deployment.session_factory() as session:
        stage = service.get_case(session, case_id).stage
    assert stage in (EVALUATED, NOT_ACCEPTED)
