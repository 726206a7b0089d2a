"""Core meetings through the service: the roster comes from the posts, the
notice is checked against policy, each person signs in once, below quorum
nothing is resolved, resolutions are adopted by the kind's rule, closing
needs minutes and marks the rest absent."""

from __future__ import annotations

from datetime import date

import pytest

from core.api.errors import UserInputError
from core.app import Deployment
from core.meetings import service
from core.meetings.builtin import ASSEMBLY_KIND, ASSEMBLY_MAJORITY
from core.meetings.models import ABSENT, PRESENT, PROXY, MeetingResolutionLink
from core.org.models import OrgUnit
from core.plugin_host import host_for_plugins
from core.policy import service as policy
from tests.meetings.helpers import HELD_ON, TODAY, make_assembly


def _code(excinfo: pytest.ExceptionInfo[UserInputError]) -> str:
    return excinfo.value.errors[0].code


def _create(session, unit, **kwargs):  # type: ignore[no-untyped-def]
    values = {"title": "2026年上半年代表大会", "held_on": HELD_ON, "notice_on": date(2026, 6, 15), "agenda": ["工作报告", "经费使用"]}
    values.update(kwargs)
    return service.create_meeting(session, ASSEMBLY_KIND, unit, today=TODAY, **values)


def test_assembly_roster_quorum_and_resolution(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = session.get(OrgUnit, assembly.community)
        meeting = _create(session, unit)
        assert (meeting.expected_count, meeting.present_count, meeting.quorate) == (5, 0, False)
        # The outsider is not a representative: not on the sheet.
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, assembly.outsider, today=TODAY)
        assert _code(refused) == "NOT_ON_ROSTER"
        first, second, third = assembly.representatives[:3]
        service.sign_in(session, meeting, first, today=TODAY)
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, first, today=TODAY)
        assert _code(refused) == "ALREADY_SIGNED_IN"
        service.sign_in(session, meeting, second, today=TODAY)
        # 2 of 5 is not more than half: nothing can be resolved.
        assert (meeting.present_count, meeting.quorate) == (2, False)
        with pytest.raises(UserInputError) as refused:
            service.resolve(session, meeting, text="同意经费使用计划", votes_for=2, today=TODAY)
        assert _code(refused) == "QUORUM_NOT_MET"
        service.sign_in(session, meeting, third, today=TODAY)
        assert (meeting.present_count, meeting.quorate) == (3, True)
        with pytest.raises(UserInputError) as refused:
            service.resolve(session, meeting, text="同意", votes_for=3, votes_against=1, today=TODAY)
        assert _code(refused) == "VOTES_EXCEED_PRESENT"
        # More than half of those present (出席人过半数): 2 of 3 adopts, 1 of 3 does not.
        adopted = service.resolve(session, meeting, text="同意经费使用计划", votes_for=2, votes_against=1, today=TODAY,
                                  subjects=[("OrgUnit", unit.id)])
        rejected = service.resolve(session, meeting, text="更换物业", votes_for=1, votes_against=1, abstentions=1, today=TODAY)
        assert (adopted.adopted, rejected.adopted) == (True, False)
        assert service.resolutions_deciding(session, "OrgUnit", unit.id) == [adopted]
        assert session.query(MeetingResolutionLink).count() == 1


def test_majority_of_those_due_is_policy(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = session.get(OrgUnit, assembly.community)
        policy.set_value(session, unit, ASSEMBLY_MAJORITY.base, "expected", effective_from=date(2026, 1, 1),
                         set_by="测试", reason="以应到人数计")
        meeting = _create(session, unit)
        for rid in assembly.representatives[:3]:
            service.sign_in(session, meeting, rid, today=TODAY)
        # 2 of the 5 due is not more than half of those due.
        assert not service.resolve(session, meeting, text="同意", votes_for=2, votes_against=1, today=TODAY).adopted
        assert service.resolve(session, meeting, text="同意", votes_for=3, today=TODAY).adopted


def test_notice_is_checked_against_policy(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = session.get(OrgUnit, assembly.community)
        for notice_on, code in ((None, "NOTICE_REQUIRED"), (date(2026, 6, 18), "NOTICE_TOO_LATE")):
            with pytest.raises(UserInputError) as refused:
                _create(session, unit, notice_on=notice_on)
            assert _code(refused) == code
        # Exactly three days ahead (the default policy) is in time.
        assert _create(session, unit, notice_on=date(2026, 6, 17)).notice_on == date(2026, 6, 17)
        with pytest.raises(UserInputError) as refused:
            _create(session, unit, participant_ids=[assembly.outsider])
        assert _code(refused) == "ROSTER_FROM_RECORDS"


def test_sign_in_statuses(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = session.get(OrgUnit, assembly.community)
        meeting = _create(session, unit)
        one, two = assembly.representatives[:2]
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, one, status=ABSENT, today=TODAY)
        assert _code(refused) == "REQUIRED"
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, one, status=PROXY, proxy_name="王某", today=TODAY)
        assert _code(refused) == "PROXY_NOT_ALLOWED"
        row = service.sign_in(session, meeting, one, status=ABSENT, absence_reason="出差，已请假", today=TODAY)
        assert (row.status, meeting.present_count) == (ABSENT, 0)
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, two, today=HELD_ON.replace(day=19))
        assert _code(refused) == "NOT_HELD_YET"
        assert service.sign_in(session, meeting, two, status=PRESENT, today=TODAY).status == PRESENT


def test_close_needs_minutes_and_marks_the_rest_absent(deployment: Deployment, root_unit: int) -> None:
    host = host_for_plugins(deployment.settings.plugins)
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = session.get(OrgUnit, assembly.community)
        meeting = _create(session, unit)
        service.sign_in(session, meeting, assembly.representatives[0], today=TODAY)
        with pytest.raises(UserInputError) as refused:
            service.close_meeting(session, host, meeting, today=TODAY)
        assert _code(refused) == "MINUTES_REQUIRED"
        service.record_minutes(session, meeting, "会议听取了工作报告。", today=TODAY)
        service.close_meeting(session, host, meeting, today=TODAY)
        statuses = sorted(a.status for a in service.attendance_of(session, meeting))
        assert statuses == [ABSENT] * 4 + [PRESENT]
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, assembly.representatives[1], today=TODAY)
        assert _code(refused) == "MEETING_CLOSED"
