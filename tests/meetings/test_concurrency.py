"""Two clerks signing people in to the same meeting at once, on PostgreSQL:
the same person is counted once (the second sign-in is refused), and two
different people are both counted (no lost update of the present count)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from core.api.errors import UserInputError
from core.app import Deployment
from core.meetings import service
from core.meetings.builtin import ASSEMBLY_KIND
from core.meetings.models import PRESENT, Meeting, MeetingAttendance
from tests.meetings.helpers import HELD_ON, TODAY, make_assembly, unit_of

pytestmark = pytest.mark.postgresql_only

HOLD_SECONDS = 0.3


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


def _meeting(deployment: Deployment, root_unit: int) -> tuple[int, list[int]]:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = unit_of(session, assembly.community)
        meeting = service.create_meeting(
            session,
            ASSEMBLY_KIND,
            unit,
            title="代表大会",
            held_on=HELD_ON,
            notice_on=HELD_ON.replace(day=10),
            today=TODAY,
        )
        return meeting.id, assembly.representatives


def _sign_in(meeting_id: int, resident_id: int) -> Callable[[Any], Any]:
    def act(session: Any) -> None:
        meeting = session.get(Meeting, meeting_id)
        service.sign_in(session, meeting, resident_id, today=TODAY, kind=ASSEMBLY_KIND)

    return act


def test_the_same_person_signed_in_twice_at_once_counts_once(deployment: Deployment, root_unit: int) -> None:
    meeting_id, people = _meeting(deployment, root_unit)
    assert sorted(race(deployment, _sign_in(meeting_id, people[0]), _sign_in(meeting_id, people[0]))) == [
        "ALREADY_SIGNED_IN",
        "ok",
    ]
    with deployment.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.present_count == 1
        present = session.scalar(
            select(func.count())
            .select_from(MeetingAttendance)
            .where(MeetingAttendance.meeting_id == meeting_id, MeetingAttendance.status == PRESENT)
        )
        assert present == 1


def test_two_people_signed_in_at_once_both_count(deployment: Deployment, root_unit: int) -> None:
    meeting_id, people = _meeting(deployment, root_unit)
    # 2 present after 1: three of five, and the meeting becomes quorate.
    with deployment.session_factory() as session, session.begin():
        _sign_in(meeting_id, people[0])(session)
    assert race(deployment, _sign_in(meeting_id, people[1]), _sign_in(meeting_id, people[2])) == ["ok", "ok"]
    with deployment.session_factory() as session:
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None and (meeting.present_count, meeting.quorate) == (3, True)
