"""Core meetings through the service: the roster comes from the posts, the
notice is checked against policy, each person signs in once, below quorum
nothing is resolved, resolutions are adopted by the kind's rule, closing
needs minutes and marks the rest absent."""

from __future__ import annotations

from datetime import date

import pytest

from core.api.errors import UserInputError
from core.app import Deployment
from core.meetings import publication, rules, service
from core.meetings.builtin import ASSEMBLY_KIND, ASSEMBLY_MAJORITY
from core.meetings.kinds import ROLL_CALL, MeetingKind, NamedRoster
from core.meetings.models import ABSENT, PROXY, MeetingResolutionLink, MeetingVote
from core.meetings.rules import AT_LEAST_FRACTION, MORE_THAN_HALF, PRESENT, rule_keys
from core.plugin_host import host_for_plugins
from core.policy import service as policy
from tests.meetings.helpers import HELD_ON, TODAY, make_assembly, unit_of


def _code(excinfo: pytest.ExceptionInfo[UserInputError]) -> str:
    return excinfo.value.errors[0].code


def _create(session, unit, **kwargs):
    values = {
        "title": "2026年上半年代表大会",
        "held_on": HELD_ON,
        "notice_on": date(2026, 6, 15),
        "agenda": ["工作报告", "经费使用"],
    }
    values.update(kwargs)
    return service.create_meeting(session, ASSEMBLY_KIND, unit, today=TODAY, **values)


def test_assembly_roster_quorum_and_resolution(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = unit_of(session, assembly.community)
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
        adopted = service.resolve(
            session,
            meeting,
            text="同意经费使用计划",
            votes_for=2,
            votes_against=1,
            today=TODAY,
            subjects=[("OrgUnit", unit.id)],
        )
        rejected = service.resolve(
            session, meeting, text="更换物业", votes_for=1, votes_against=1, abstentions=1, today=TODAY
        )
        assert (adopted.adopted, rejected.adopted) == (True, False)
        assert service.resolutions_deciding(session, "OrgUnit", unit.id) == [adopted]
        assert session.query(MeetingResolutionLink).count() == 1


def test_majority_of_those_due_is_policy(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = unit_of(session, assembly.community)
        policy.set_value(
            session,
            unit,
            ASSEMBLY_MAJORITY.base,
            "expected",
            effective_from=date(2026, 1, 1),
            set_by="测试",
            reason="以应到人数计",
        )
        meeting = _create(session, unit)
        for rid in assembly.representatives[:3]:
            service.sign_in(session, meeting, rid, today=TODAY)
        # 2 of the 5 due is not more than half of those due.
        assert not service.resolve(session, meeting, text="同意", votes_for=2, votes_against=1, today=TODAY).adopted
        assert service.resolve(session, meeting, text="同意", votes_for=3, today=TODAY).adopted


def test_notice_is_checked_against_policy(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = unit_of(session, assembly.community)
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
        unit = unit_of(session, assembly.community)
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
        assert service.sign_in(session, meeting, two, status="present", today=TODAY).status == "present"


def test_close_needs_minutes_and_marks_the_rest_absent(deployment: Deployment, root_unit: int) -> None:
    host = host_for_plugins(deployment.settings.plugins)
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = unit_of(session, assembly.community)
        meeting = _create(session, unit)
        service.sign_in(session, meeting, assembly.representatives[0], today=TODAY)
        with pytest.raises(UserInputError) as refused:
            service.close_meeting(session, host, meeting, today=TODAY)
        assert _code(refused) == "MINUTES_REQUIRED"
        service.record_minutes(session, meeting, "会议听取了工作报告。", today=TODAY)
        service.close_meeting(session, host, meeting, today=TODAY)
        statuses = sorted(a.status for a in service.attendance_of(session, meeting))
        assert statuses == [ABSENT] * 4 + ["present"]
        # Results are due on the board 7 days (policy) after the meeting: not there by then is late.
        assert meeting.results_due_on == date(2026, 6, 27)
        assert not publication.results_late(session, meeting, date(2026, 6, 27))
        assert publication.results_late(session, meeting, TODAY)
        with pytest.raises(UserInputError) as refused:
            service.sign_in(session, meeting, assembly.representatives[1], today=TODAY)
        assert _code(refused) == "MEETING_CLOSED"


VOTE_KIND = MeetingKind(
    code="hearing_test",
    name="听证会（测试）",
    roster=NamedRoster(),
    quorum=rule_keys("meetings.test.quorum", rule=AT_LEAST_FRACTION, fraction="2/3", base=None, what="测试到会"),
    resolution=rule_keys("meetings.test.majority", rule=MORE_THAN_HALF, base=PRESENT, what="测试表决"),
    proxies_allowed=True,
    voting=ROLL_CALL,
    minutes_required=False,
)


def test_named_roster_fraction_quorum_proxy_and_roll_call(deployment: Deployment, root_unit: int) -> None:
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit, representatives=3)
        unit = unit_of(session, assembly.community)
        people = [*assembly.representatives, assembly.outsider]
        with pytest.raises(UserInputError) as refused:
            service.create_meeting(session, VOTE_KIND, unit, title="停车收费听证", held_on=HELD_ON, today=TODAY)
        assert _code(refused) == "NO_PARTICIPANTS"
        meeting = service.create_meeting(
            session, VOTE_KIND, unit, title="停车收费听证", held_on=HELD_ON, participant_ids=people, today=TODAY
        )
        assert meeting.expected_count == 4
        service.sign_in(session, meeting, people[0], today=TODAY, kind=VOTE_KIND)
        service.sign_in(
            session, meeting, people[1], status=PROXY, proxy_name="代表1的家属", today=TODAY, kind=VOTE_KIND
        )
        # 2 of 4 is short of two thirds (8/3 needed).
        assert (meeting.present_count, meeting.quorate) == (2, False)
        service.sign_in(session, meeting, people[2], today=TODAY, kind=VOTE_KIND)
        assert meeting.quorate
        with pytest.raises(UserInputError) as refused:
            service.resolve(session, meeting, text="同意", votes_for=3, today=TODAY, kind=VOTE_KIND)
        assert _code(refused) == "ROLL_CALL_REQUIRED"
        with pytest.raises(UserInputError) as refused:
            service.resolve(session, meeting, text="同意", roll_call={people[3]: "for"}, today=TODAY, kind=VOTE_KIND)
        assert _code(refused) == "NOT_A_VOTER"
        votes = {people[0]: "for", people[1]: "for", people[2]: "against"}
        resolution = service.resolve(
            session, meeting, text="同意收费方案", roll_call=votes, today=TODAY, kind=VOTE_KIND
        )
        assert (resolution.votes_for, resolution.votes_against, resolution.adopted, resolution.roll_call) == (
            2,
            1,
            True,
            True,
        )
        assert session.query(MeetingVote).filter_by(resolution_id=resolution.id).count() == 3


def test_rules_read_the_boundary() -> None:
    """半数以上 includes half, 过半数 does not; a fraction reads ≥ or > as declared."""
    from fractions import Fraction

    assert rules.meets(rules.AT_LEAST_HALF, 2, 4) and not rules.meets(rules.MORE_THAN_HALF, 2, 4)
    assert rules.meets(rules.AT_LEAST_FRACTION, 2, 3, Fraction(2, 3))
    assert not rules.meets(rules.MORE_THAN_FRACTION, 2, 3, Fraction(2, 3))
    assert not rules.meets(rules.MORE_THAN_HALF, 0, 0) and rules.meets(rules.NO_RULE, 0, 0)
    assert rules.RuleValues(rules.MORE_THAN_HALF, rules.PRESENT).meets(2, expected=10, present=3)


def test_a_minutes_file_counts_as_the_minutes(deployment: Deployment, root_unit: int) -> None:
    from core.documents.models import Document
    from core.meetings.documents import MINUTES

    host = host_for_plugins(deployment.settings.plugins)
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        unit = unit_of(session, assembly.community)
        meeting = _create(session, unit)
        # The scanned minutes, as attachDocument files them (class meetings.minutes, owner Meeting).
        session.add(
            Document(
                document_class=MINUTES.code,
                owner_type="Meeting",
                owner_id=meeting.id,
                org_unit_id=unit.id,
                org_path=unit.path,
                filename="会议记录.pdf",
                content_type="application/pdf",
                size_bytes=10,
                sha256="0" * 64,
                storage_key=f"m{meeting.id}",
            )
        )
        session.flush()
        service.close_meeting(session, host, meeting, today=TODAY)
        assert meeting.closed_at is not None
        check_owner = MINUTES.check_owner
        assert check_owner is not None
        with pytest.raises(UserInputError) as refused:
            check_owner(session, meeting)
        assert _code(refused) == "MEETING_CLOSED"
