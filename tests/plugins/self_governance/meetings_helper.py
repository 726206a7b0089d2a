"""Representatives and quorate assembly meetings (core meetings) for the tests."""

from __future__ import annotations

from datetime import date, timedelta

from core.meetings import service as meetings
from core.meetings.builtin import ASSEMBLY_KIND
from core.org import service as org_service
from core.policy.service import local_today
from core.posts import service as posts
from tests.plugins.self_governance.conftest import Env

REPRESENTATIVE_KEYS = ("a1", "a2", "a3", "a4", "a5", "a6")


def add_representatives(env: Env, keys: tuple[str, ...] = REPRESENTATIVE_KEYS) -> None:
    with env.deployment.session_factory() as session, session.begin():
        body = posts.create_body(
            session, org_unit_id=env.tree.community, kind="representatives_assembly", name="成员代表大会"
        )
        for key in keys:
            posts.assign(
                session,
                body_id=body.id,
                post_code="representative",
                resident_id=env.tree.people[key],
                term_start=local_today() - timedelta(days=300),
            )


def assembly_meeting(
    env: Env, *, present: int = 4, held_on: date | None = None, resolved: bool = True, unit_id: int | None = None
) -> tuple[int, int | None]:
    """(meeting id, resolution id): the first ``present`` representatives sign in;
    with ``resolved`` a resolution adopted by all present."""
    today = local_today()
    held_on = held_on or today
    with env.deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, unit_id or env.tree.community)
        meeting = meetings.create_meeting(
            session,
            ASSEMBLY_KIND,
            unit,
            title="社区成员代表大会",
            held_on=held_on,
            notice_on=held_on - timedelta(days=5),
            today=today,
        )
        for index, attendance in enumerate(meetings.attendance_of(session, meeting)):
            if index < present:
                meetings.sign_in(session, meeting, attendance.resident_id, today=today)
        resolution_id = None
        if resolved and meeting.quorate:
            resolution_id = meetings.resolve(session, meeting, text="同意", votes_for=present, today=today).id
        return meeting.id, resolution_id


def resolved_meeting(env: Env, *, present: int = 4) -> tuple[int, int]:
    """(meeting id, resolution id) of a quorate assembly meeting whose resolution
    all present adopted."""
    meeting_id, resolution_id = assembly_meeting(env, present=present)
    assert resolution_id is not None, "the meeting did not reach its quorum"
    return meeting_id, resolution_id
