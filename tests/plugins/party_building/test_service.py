"""The rules of party building, through the services, on both databases:
organization type and committee size against membership (warnings), members
and transfers, meetings with quorum and resolutions fulfilling the reporting
calendar, the democratic life meeting reported ahead, member development as
an enforced sequence with the public notice, in-service members, household
contact, appraisal and the big party committee."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.permissions import Principal
from core.board import service as board
from core.board.categories import categories_for
from core.meetings.models import Meeting, MeetingResolution
from core.org.models import OrgUnit
from core.people import service as people
from core.policy import service as policy
from core.policy.keys import plugin_active_key
from core.posts import service as posts
from core.reporting import service as reporting
from core.reporting.models import LATE, OPEN, SUBMITTED, ObligationInstance
from plugins.party_building import declarations as d
from plugins.party_building import service
from plugins.party_building.models import (
    ADMITTED,
    BIG_COMMITTEE,
    BRANCH,
    COMMITTEE_MEETING,
    CORRECTION,
    DEMOCRATIC_LIFE,
    DEPUTY_SECRETARY,
    EVALUATED,
    EXAM_FAILED,
    EXAMINED,
    FULL,
    GENERAL_BRANCH,
    MEMBERS_MEETING,
    NOT_ACCEPTED,
    NOTICE_DRAFTED,
    PARTY_LECTURE,
    PROBATIONARY,
    QUALIFIED,
    REMOVED,
    SECRETARY,
    PartyMemberTransfer,
)
from tests.conftest import TEST_PASSWORD
from tests.plugins.party_building.conftest import World, members, resident

MARCH_10 = date(2026, 3, 10)


def codes(error: pytest.ExceptionInfo[UserInputError]) -> list[str]:
    return [e.code for e in error.value.errors]


def branch(
    session: Session,
    world: World,
    name: str = "宁安路社区第一党支部",
    *,
    org_type: str = BRANCH,
    has_groups: bool = False,
    established_on: date | None = None,
) -> service.PartyOrganization:
    return service.create_organization(
        session,
        name=name,
        org_type=org_type,
        org_unit_id=world.community,
        parent_id=None,
        has_groups=has_groups,
        established_on=established_on,
    )


def warning_codes(session: Session, org: service.PartyOrganization) -> list[str]:
    return [w.code for w in service.organization_warnings(session, org)]


# --- 1. organizations ------------------------------------------------------------------------


def test_type_and_committee_are_checked_against_membership(session: Session, world: World) -> None:
    org = branch(session, world)
    people_ = members(session, org, 8)
    # 8 members: a branch with a committee of 3–5, and a secretary.
    assert warning_codes(session, org) == ["NO_SECRETARY", "COMMITTEE_SIZE"]
    service.set_committee_role(session, people_[0], SECRETARY)
    service.set_committee_role(session, people_[1], "committee_member")
    assert warning_codes(session, org) == ["COMMITTEE_SIZE"]
    service.set_committee_role(session, people_[2], "committee_member")
    assert warning_codes(session, org) == []
    # 50 members: 党员50人以下的建立党支部 includes 50 — still a branch.
    members(session, org, 42)
    assert warning_codes(session, org) == []
    # 51: 超过50名的，建立社区党总支.
    members(session, org, 1)
    found = service.organization_warnings(session, org)
    assert found[0].code == "TYPE_MISMATCH" and "党总支" in found[0].message
    service.change_organization_type(session, org, GENERAL_BRANCH)
    # A general branch needs a committee of 5–7.
    assert warning_codes(session, org) == ["COMMITTEE_SIZE"]


def test_a_party_committee_is_allowed_from_100_members_never_required(session: Session, world: World) -> None:
    org = branch(session, world, org_type=GENERAL_BRANCH)
    people_ = members(session, org, 99)
    for member, role in zip(people_[:5], (SECRETARY, *["committee_member"] * 4), strict=True):
        service.set_committee_role(session, member, role)
    assert warning_codes(session, org) == []
    # A party committee of 99 members is not allowed yet.
    service.change_organization_type(session, org, "committee")
    assert warning_codes(session, org) == ["TYPE_MISMATCH"]
    service.change_organization_type(session, org, GENERAL_BRANCH)
    # 100人以上 includes 100: a general branch of 100 gets a hint, not a mismatch.
    members(session, org, 1)
    found = service.organization_warnings(session, org)
    assert [(w.code, w.hint) for w in found] == [("COMMITTEE_ALLOWED", True)]
    service.change_organization_type(session, org, "committee")
    assert warning_codes(session, org) == []


def test_under_seven_members_a_secretary_only(session: Session, world: World) -> None:
    org = branch(session, world)
    people_ = members(session, org, 6)
    service.set_committee_role(session, people_[0], SECRETARY)
    assert warning_codes(session, org) == []
    # 必要时增设1名副书记: one deputy secretary is allowed, a second is not.
    service.set_committee_role(session, people_[1], DEPUTY_SECRETARY)
    assert warning_codes(session, org) == []
    service.set_committee_role(session, people_[2], DEPUTY_SECRETARY)
    assert warning_codes(session, org) == ["COMMITTEE_NOT_ALLOWED"]
    service.set_committee_role(session, people_[2], "committee_member")
    assert warning_codes(session, org) == ["COMMITTEE_NOT_ALLOWED"]
    service.set_committee_role(session, people_[2], None)
    # 不足7名 excludes 7: at 7 members a committee is due.
    members(session, org, 1)
    assert warning_codes(session, org) == ["COMMITTEE_SIZE"]


def test_thresholds_are_locality_policy(session: Session, world: World) -> None:
    org = branch(session, world)
    members(session, org, 10)
    assert "TYPE_MISMATCH" not in warning_codes(session, org)
    unit = session.get(OrgUnit, world.street)
    assert unit is not None
    policy.set_value(
        session, unit, d.BRANCH_MAX_MEMBERS, 10, set_by="test", reason="测试", effective_from=date(2020, 1, 1)
    )
    assert "TYPE_MISMATCH" not in warning_codes(session, org)
    # The comparator is policy too: "不足10人" leaves 10 members outside the branch band.
    policy.set_value(
        session, unit, d.BRANCH_MAX_COMPARATOR, "<", set_by="test", reason="测试", effective_from=date(2020, 1, 1)
    )
    assert "TYPE_MISMATCH" in warning_codes(session, org)


def test_party_tree_is_its_own_and_maps_onto_the_unit_tree(session: Session, world: World) -> None:
    committee = service.create_organization(
        session, name="宁安路社区党委", org_type="committee", org_unit_id=world.community, parent_id=None
    )
    grid_branch = service.create_organization(
        session, name="第一网格党支部", org_type=BRANCH, org_unit_id=world.grid, parent_id=committee.id
    )
    assert grid_branch.party_path == f"{committee.party_path}{grid_branch.id}/"
    members(session, grid_branch, 3)
    # The committee counts the members of the organizations under it.
    assert service.member_count(session, committee) == 3
    with pytest.raises(UserInputError) as refused:
        service.create_organization(
            session, name="越界支部", org_type=BRANCH, org_unit_id=world.neighbour, parent_id=committee.id
        )
    assert codes(refused) == ["UNIT_OUTSIDE_PARENT"]
    with pytest.raises(UserInputError) as refused:
        service.create_organization(session, name="x", org_type="club", org_unit_id=world.grid, parent_id=None)
    assert codes(refused) == ["UNKNOWN_TYPE"]
    # Dissolving: not while members or sub-organizations remain.
    now = policy.local_today()
    with pytest.raises(UserInputError) as refused:
        service.dissolve_organization(session, committee, on=now, today=now)
    assert codes(refused) == ["HAS_SUBORGANIZATIONS"]
    with pytest.raises(UserInputError) as refused:
        service.dissolve_organization(session, grid_branch, on=now, today=now)
    assert codes(refused) == ["HAS_MEMBERS"]
    for member in session.scalars(service.current_members_statement(grid_branch)).all():
        service.transfer_member(session, member, committee, on=now, reason="支部合并", today=now)
    service.dissolve_organization(session, grid_branch, on=now, today=now)
    assert service.member_count(session, committee) == 3
    with pytest.raises(UserInputError) as refused:
        members(session, grid_branch, 1)
    assert codes(refused) == ["ORGANIZATION_DISSOLVED"]


# --- 2. members ------------------------------------------------------------------------------


def test_members_link_residents_and_transfer_with_history(session: Session, world: World) -> None:
    first = branch(session, world)
    second = branch(session, world, "宁安路社区第二党支部")
    person = resident(session, world.grid, "王建国")
    member = service.admit_member(
        session, resident_id=person.id, organization=first, status=PROBATIONARY, joined_on=date(2025, 7, 1)
    )
    with pytest.raises(UserInputError) as refused:
        service.admit_member(
            session, resident_id=person.id, organization=second, status=FULL, joined_on=date(2020, 1, 1)
        )
    assert codes(refused) == ["ALREADY_MEMBER"]
    service.set_committee_role(session, member, SECRETARY)
    other = members(session, first, 1)[0]
    with pytest.raises(UserInputError) as refused:
        service.set_committee_role(session, other, SECRETARY)
    assert codes(refused) == ["SECRETARY_TAKEN"]

    service.transfer_member(
        session, member, second, on=date(2026, 3, 1), reason="搬家到第二支部所在网格", today=MARCH_10
    )
    assert (member.organization_id, member.committee_role) == (second.id, None)
    history = session.scalars(select(PartyMemberTransfer).where(PartyMemberTransfer.member_id == member.id)).all()
    assert [(h.from_organization_id, h.to_organization_id) for h in history] == [(first.id, second.id)]
    with pytest.raises(UserInputError) as refused:
        service.transfer_member(session, member, second, on=date(2026, 3, 1), reason="再转", today=MARCH_10)
    assert codes(refused) == ["SAME_ORGANIZATION"]

    service.confirm_full_membership(session, member, date(2026, 7, 1), today=date(2026, 7, 2))
    assert member.status == FULL
    with pytest.raises(UserInputError) as refused:
        service.confirm_full_membership(session, member, date(2026, 7, 1), today=date(2026, 7, 2))
    assert codes(refused) == ["NOT_PROBATIONARY"]

    with pytest.raises(UserInputError) as refused:
        service.set_flowing(session, member, True, None)
    assert codes(refused) == ["REQUIRED"]
    service.set_flowing(session, member, True, "深圳市南山区某科技公司")
    assert member.flowing


# --- 3. meetings -------------------------------------------------------------------------------


def _committee(session: Session, org: service.PartyOrganization, size: int) -> list[service.PartyMember]:
    people_ = members(session, org, size)
    for index, member in enumerate(people_):
        service.set_committee_role(session, member, SECRETARY if index == 0 else "committee_member")
    return people_


def _decision(
    session: Session, deployment: Deployment, org: service.PartyOrganization, committee: list[service.PartyMember]
) -> str:
    """The global ID of an adopted resolution of a quorate committee meeting of ``org``."""
    meeting = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=MARCH_10,
        topic="研究公开事项",
        present_member_ids=[m.id for m in committee],
        today=MARCH_10,
        resolutions=[service.ResolutionInput("同意公开", votes_for=len(committee))],
    )
    resolution = session.scalars(select(MeetingResolution).where(MeetingResolution.meeting_id == meeting.id)).one()
    return encode_global_id("MeetingResolution", resolution.id)


def test_quorum_and_resolutions(session: Session, deployment: Deployment, world: World) -> None:
    org = branch(session, world)
    committee = _committee(session, org, 4)
    full = members(session, org, 5)
    # 半数以上的委员到会: 1 of 4 is below; the meeting cannot decide.
    with pytest.raises(UserInputError) as refused:
        service.record_meeting(
            session,
            deployment.host,
            org,
            meeting_type=COMMITTEE_MEETING,
            held_on=MARCH_10,
            topic="研究工作",
            present_member_ids=[committee[0].id],
            resolutions=[service.ResolutionInput("同意", votes_for=1)],
            today=MARCH_10,
        )
    assert codes(refused) == ["QUORUM_NOT_MET"]
    below = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=MARCH_10,
        topic="研究工作",
        present_member_ids=[committee[0].id],
        today=MARCH_10,
    )
    assert (below.expected_count, below.present_count, service.is_quorate(below)) == (4, 1, False)
    with pytest.raises(UserInputError) as refused:
        service.add_resolution(session, below, service.ResolutionInput("同意", votes_for=1))
    assert codes(refused) == ["QUORUM_NOT_MET"]
    # Exactly half present is 半数以上.
    held = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=MARCH_10,
        topic="研究工作",
        present_member_ids=[m.id for m in committee[:2]],
        today=MARCH_10,
    )
    assert service.is_quorate(held)
    # Support must exceed half of those due (4): 2 votes of 2 present do not decide.
    failed = service.add_resolution(session, held, service.ResolutionInput("同意", votes_for=2))
    assert failed.adopted is False
    with pytest.raises(UserInputError) as refused:
        service.add_resolution(session, held, service.ResolutionInput("超票", votes_for=2, votes_against=1))
    assert codes(refused) == ["VOTES_EXCEED_PRESENT"]
    # A locality may read the quorum as more than half (policy per meeting kind).
    unit = session.get(OrgUnit, world.street)
    assert unit is not None
    policy.set_value(
        session,
        unit,
        d.QUORUM_KEYS[COMMITTEE_MEETING],
        "more_than_half",
        set_by="test",
        reason="测试",
        effective_from=date(2020, 1, 1),
    )
    stricter = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=MARCH_10,
        topic="研究工作",
        present_member_ids=[m.id for m in committee[:2]],
        today=MARCH_10,
    )
    assert not service.is_quorate(stricter)
    # Members' meetings, lectures and group meetings have no quorum in the seeds.
    lecture = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=PARTY_LECTURE,
        held_on=MARCH_10,
        topic="党课",
        present_member_ids=[full[0].id],
        today=MARCH_10,
    )
    assert (lecture.expected_count, lecture.present_count, service.is_quorate(lecture)) == (9, 1, True)
    members_meeting = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=MEMBERS_MEETING,
        held_on=MARCH_10,
        topic="讨论发展党员",
        present_member_ids=[m.id for m in full[:3]],
        resolutions=[service.ResolutionInput("同意接收", votes_for=3)],
        today=MARCH_10,
    )
    assert service.is_quorate(members_meeting)
    with pytest.raises(UserInputError) as refused:
        service.record_meeting(
            session,
            deployment.host,
            org,
            meeting_type=MEMBERS_MEETING,
            held_on=MARCH_10,
            topic="x",
            present_member_ids=[999999],
            today=MARCH_10,
        )
    assert codes(refused) == ["NOT_A_MEMBER"]


def test_a_meeting_fulfils_the_reporting_calendar(session: Session, deployment: Deployment, world: World) -> None:
    org = branch(session, world)
    full = members(session, org, 8)
    for member, role in zip(full[:3], (SECRETARY, "committee_member", "committee_member"), strict=True):
        service.set_committee_role(session, member, role)
    reporting.materialize(session, deployment.host, MARCH_10)

    def instance(code: str, start: date) -> ObligationInstance:
        found = session.scalar(
            select(ObligationInstance).where(
                ObligationInstance.type_code == code,
                ObligationInstance.org_unit_id == world.community,
                ObligationInstance.period_start == start,
            )
        )
        assert found is not None
        return found

    committee = instance("party_building.committee_meeting", date(2026, 3, 1))
    assert committee.due_on == date(2026, 3, 31) and committee.status == OPEN
    # Below quorum (1 of 3): recorded, fulfils nothing.
    below = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=MARCH_10,
        topic="研究工作",
        present_member_ids=[full[0].id],
        today=MARCH_10,
    )
    assert below.obligation_instance_id is None and committee.status == OPEN
    held = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=MARCH_10,
        topic="研究工作",
        present_member_ids=[m.id for m in full[:2]],
        today=MARCH_10,
    )
    assert held.obligation_instance_id == committee.id and committee.status == SUBMITTED
    # February's committee meeting held late, in March: the February instance is late.
    february = instance("party_building.committee_meeting", date(2026, 2, 1))
    service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=COMMITTEE_MEETING,
        held_on=date(2026, 2, 27),
        topic="补记",
        present_member_ids=[m.id for m in full[:3]],
        today=MARCH_10,
    )
    assert february.status == LATE

    # A grid branch under the community's organization keeps its own record
    # without fulfilling the community's calendar.
    grid_branch = service.create_organization(
        session, name="第一网格党支部", org_type=BRANCH, org_unit_id=world.grid, parent_id=org.id
    )
    # 党课一般每两个月举行一次: the calendar owes March–April as one period.
    lecture = instance("party_building.party_lecture", date(2026, 3, 1))
    assert (lecture.period_end, lecture.due_on) == (date(2026, 4, 30), date(2026, 4, 30))
    grid_members = members(session, grid_branch, 3)
    grid_meeting = service.record_meeting(
        session,
        deployment.host,
        grid_branch,
        meeting_type=PARTY_LECTURE,
        held_on=MARCH_10,
        topic="党课",
        present_member_ids=[m.id for m in grid_members],
        today=MARCH_10,
    )
    assert grid_meeting.obligation_instance_id is None and lecture.status == OPEN
    items = service.meeting_compliance(session, [org], 2026, today=MARCH_10)
    status = {(i.meeting_type, i.period_start): i.status for i in items}
    assert status[(COMMITTEE_MEETING, date(2026, 1, 1))] == "overdue"
    assert status[(COMMITTEE_MEETING, date(2026, 2, 1))] == "done"
    assert status[(COMMITTEE_MEETING, date(2026, 3, 1))] == "done"
    assert status[(MEMBERS_MEETING, date(2026, 1, 1))] == "due"
    assert (DEMOCRATIC_LIFE, date(2026, 1, 1)) in status
    # The compliance view owes the same two-month periods as the calendar.
    assert status[(PARTY_LECTURE, date(2026, 1, 1))] == "overdue"
    assert status[(PARTY_LECTURE, date(2026, 3, 1))] == "due"
    lectures = [i for i in items if i.meeting_type == PARTY_LECTURE]
    assert [(i.period_start, i.period_end) for i in lectures] == [
        (date(2026, 1, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 4, 30)),
    ]


def test_democratic_life_topic_is_reported_ahead(session: Session, deployment: Deployment, world: World) -> None:
    org = branch(session, world)
    committee = _committee(session, org, 3)
    members(session, org, 5)
    # The democratic life meeting is the leadership team's: the committee, not every member.
    assert [m.id for m in service.expected_attendees(session, org, DEMOCRATIC_LIFE)] == [m.id for m in committee]
    today = date(2026, 12, 1)
    with pytest.raises(UserInputError) as refused:
        service.plan_democratic_life(
            session, deployment.host, org, planned_on=date(2026, 12, 4), topic="对照检查", today=today
        )
    assert codes(refused) == ["TOO_LATE_TO_REPORT"]
    plan = service.plan_democratic_life(
        session, deployment.host, org, planned_on=date(2026, 12, 10), topic="对照检查", today=today
    )
    report = session.get(ObligationInstance, plan.report_instance_id)
    assert report is not None and report.type_code == "party_building.democratic_life_topic"
    assert report.due_on == date(2026, 12, 5) and report.status == OPEN
    present = [m.id for m in service.expected_attendees(session, org, DEMOCRATIC_LIFE)]
    # Not reported: the meeting cannot be held.
    with pytest.raises(UserInputError) as refused:
        service.record_meeting(
            session,
            deployment.host,
            org,
            meeting_type=DEMOCRATIC_LIFE,
            held_on=date(2026, 12, 10),
            topic="对照检查",
            present_member_ids=present,
            today=date(2026, 12, 10),
        )
    assert codes(refused) == ["TOPIC_NOT_REPORTED"]
    service.report_democratic_life_topic(session, deployment.host, plan, user_id=None, today=date(2026, 12, 3))
    assert report.status == SUBMITTED
    # Held sooner than five days after the report: refused.
    with pytest.raises(UserInputError) as refused:
        service.record_meeting(
            session,
            deployment.host,
            org,
            meeting_type=DEMOCRATIC_LIFE,
            held_on=date(2026, 12, 7),
            topic="对照检查",
            present_member_ids=present,
            today=date(2026, 12, 7),
        )
    assert codes(refused) == ["TOPIC_NOT_REPORTED"]
    reporting.materialize(session, deployment.host, date(2026, 12, 10))
    meeting = service.record_meeting(
        session,
        deployment.host,
        org,
        meeting_type=DEMOCRATIC_LIFE,
        held_on=date(2026, 12, 10),
        topic="对照检查",
        present_member_ids=present,
        today=date(2026, 12, 10),
    )
    assert plan.meeting_id == meeting.id
    # The yearly democratic life meeting owed by the community is fulfilled.
    yearly = session.get(ObligationInstance, meeting.obligation_instance_id)
    assert yearly is not None and yearly.type_code == "party_building.democratic_life" and yearly.status == SUBMITTED


# --- 6. member development --------------------------------------------------------------------


def _principal(session: Session, deployment: Deployment, name: str, unit_path: str, *codes_: str) -> Principal:
    user = auth_service.create_user(
        session, AuthConfig.from_settings(deployment.settings), username=name, display_name=name, password=TEST_PASSWORD
    )
    return Principal.build(id=user.id, username=name, display_name=name, permissions=[(c, unit_path) for c in codes_])


def test_development_steps_in_order_with_the_public_notice(
    session: Session, deployment: Deployment, world: World
) -> None:
    org = branch(session, world)
    members(session, org, 5)
    candidate = resident(session, world.grid, "李小红")
    case = service.start_development(session, resident_id=candidate.id, organization=org, today=date(2026, 1, 5))
    day = date(2026, 1, 10)
    # Skipping a step is refused: the evaluation before the nominations.
    with pytest.raises(UserInputError) as refused:
        service.record_evaluation(session, case, on=day, approvals=9, participants=10, today=day)
    assert codes(refused) == ["STEP_OUT_OF_ORDER"]
    with pytest.raises(UserInputError) as refused:
        service.record_representative_nomination(session, case, on=day, count=12, today=day)
    assert codes(refused) == ["STEP_OUT_OF_ORDER"]
    service.record_member_nomination(session, case, on=day, count=4, today=day)
    service.record_representative_nomination(session, case, on=day, count=12, today=day)
    with pytest.raises(UserInputError) as refused:
        service.record_exam(session, case, on=day, score=90, today=day)
    assert codes(refused) == ["STEP_OUT_OF_ORDER"]
    service.record_evaluation(session, case, on=day, approvals=7, participants=10, today=day)
    assert case.stage == EVALUATED

    community = session.get(OrgUnit, world.community)
    assert community is not None
    worker = _principal(session, deployment, "worker", community.path, "board.draft", "board.publish")
    secretary = _principal(session, deployment, "secretary", community.path, "board.approve")
    categories = categories_for(deployment.host)
    with pytest.raises(UserInputError) as refused:
        service.draft_development_notice(session, worker, case, categories=categories)
    assert codes(refused) == ["STEP_OUT_OF_ORDER"]
    service.record_exam(session, case, on=day, score=85, today=day)
    assert case.stage == EXAMINED
    notice = service.draft_development_notice(session, worker, case, categories=categories)
    assert case.stage == NOTICE_DRAFTED and notice.names_persons and "李小红" in notice.title
    assert notice.source_plugin == "party_building" and notice.status == "pending_approval"

    today = policy.local_today()
    # The branch meeting before the notice is published is refused.
    with pytest.raises(UserInputError) as refused:
        service.record_branch_meeting(session, case, on=today, approved=True, today=today)
    assert codes(refused) == ["NOTICE_NOT_PUBLISHED"]
    decided = _decision(session, deployment, org, _committee(session, org, 3))
    board.approve(session, secretary, notice, host=deployment.host, resolution_id=decided)
    board.publish(session, worker, notice, host=deployment.host)
    # Published today: the 7-day notice period is not over for 6 more days.
    for early in (today, today + timedelta(days=6)):
        with pytest.raises(UserInputError) as refused:
            service.record_branch_meeting(session, case, on=early, approved=True, today=early)
        assert codes(refused) == ["NOTICE_PERIOD_NOT_OVER"]
    later = today + timedelta(days=7)
    service.record_branch_meeting(session, case, on=later, approved=True, today=later)
    assert case.stage == ADMITTED


def test_development_ends_below_the_thresholds(session: Session, world: World) -> None:
    org = branch(session, world)
    day = date(2026, 1, 10)

    def nominated() -> service.DevelopmentCase:
        case = service.start_development(
            session, resident_id=resident(session, world.grid).id, organization=org, today=day
        )
        service.record_member_nomination(session, case, on=day, count=3, today=day)
        service.record_representative_nomination(session, case, on=day, count=3, today=day)
        return case

    # 003: approvals not exceeding 60 % (here exactly 6 of 10) are not enough.
    low = nominated()
    service.record_evaluation(session, low, on=day, approvals=6, participants=10, today=day)
    assert low.stage == NOT_ACCEPTED
    with pytest.raises(UserInputError) as refused:
        service.record_exam(session, low, on=day, score=99, today=day)
    assert codes(refused) == ["STEP_OUT_OF_ORDER"]
    failed = nominated()
    service.record_evaluation(session, failed, on=day, approvals=9, participants=9, today=day)
    service.record_exam(session, failed, on=day, score=59, today=day)
    assert failed.stage == EXAM_FAILED


# --- 4, 5, 7, 8 ------------------------------------------------------------------------------------


def test_in_service_members(session: Session, world: World) -> None:
    person = resident(session, world.grid, "孙在职")
    registration = service.register_in_service(
        session,
        resident_id=person.id,
        org_unit_id=world.community,
        workplace="市北区税务局",
        workplace_organization="市北区税务局机关党支部",
        registered_on=date(2026, 1, 5),
        today=date(2026, 1, 5),
    )
    with pytest.raises(UserInputError) as refused:
        service.register_in_service(
            session,
            resident_id=person.id,
            org_unit_id=world.community,
            workplace="x",
            workplace_organization="y",
            today=date(2026, 1, 5),
        )
    assert codes(refused) == ["ALREADY_REGISTERED"]
    elsewhere = resident(session, world.neighbour, "周外住")
    with pytest.raises(UserInputError) as refused:
        service.register_in_service(
            session,
            resident_id=elsewhere.id,
            org_unit_id=world.community,
            workplace="x",
            workplace_organization="y",
            today=date(2026, 1, 5),
        )
    assert codes(refused) == ["NOT_RESIDENT_HERE"]
    status = service.in_service_status(session, registration, 2026, 1, today=date(2026, 2, 1))
    assert len(status.shortfalls) == 2
    service.add_in_service_entry(
        session, registration, kind="contact", on=date(2026, 1, 20), description="到社区报到", today=date(2026, 2, 1)
    )
    service.add_in_service_entry(
        session, registration, kind="activity", on=date(2026, 1, 25), description="参加环境整治", today=date(2026, 2, 1)
    )
    status = service.in_service_status(session, registration, 2026, 1, today=date(2026, 2, 1))
    assert status.contacts_in_quarter == 1 and status.activities_in_year == 1
    assert status.shortfalls == ["本年度参加社区活动 1 次，少于规定的 2 次。"]
    with pytest.raises(UserInputError) as refused:
        service.issue_feedback_slip(session, registration, year=2026, quarter=1, today=date(2026, 3, 31))
    assert codes(refused) == ["QUARTER_NOT_OVER"]
    slip = service.issue_feedback_slip(session, registration, year=2026, quarter=1, today=date(2026, 4, 2))
    assert slip.contacts == 1 and "市北区税务局机关党支部" in slip.content and "参加环境整治" in slip.content
    with pytest.raises(UserInputError) as refused:
        service.issue_feedback_slip(session, registration, year=2026, quarter=1, today=date(2026, 4, 2))
    assert codes(refused) == ["SLIP_EXISTS"]


def test_household_contact_coverage(session: Session, world: World) -> None:
    org = branch(session, world)
    member = members(session, org, 1)[0]
    homes = [people.register_household(session, org_unit_id=world.grid, address=f"宁安路{n}号") for n in (1, 2)]
    elsewhere = people.register_household(session, org_unit_id=world.neighbour, address="延安路1号")
    first = service.assign_household(session, member, homes[0].id, on=date(2026, 1, 1), today=MARCH_10)
    service.assign_household(session, member, homes[1].id, on=date(2026, 1, 1), today=MARCH_10)
    with pytest.raises(UserInputError) as refused:
        service.assign_household(session, member, homes[0].id, today=MARCH_10)
    assert codes(refused) == ["HOUSEHOLD_ALREADY_ASSIGNED"]
    with pytest.raises(UserInputError) as refused:
        service.assign_household(session, member, elsewhere.id, today=MARCH_10)
    assert codes(refused) == ["HOUSEHOLD_OUTSIDE_ORGANIZATION"]
    service.log_household_contact(
        session, first, on=date(2026, 3, 2), method="visit", note="了解就业需求", today=MARCH_10
    )
    rows = service.household_coverage(session, org, 2026, 3)
    assert [(r.assignment.household_id, r.covered) for r in rows] == [(homes[0].id, True), (homes[1].id, False)]
    assert not any(r.covered for r in service.household_coverage(session, org, 2026, 2))
    third = people.register_household(session, org_unit_id=world.grid, address="宁安路3号")
    assert list(session.scalars(service.unassigned_households_statement(org))) == [third]


def test_appraisal_outcomes(session: Session, world: World) -> None:
    org = branch(session, world)
    good, weak, bad = members(session, org, 3)
    service.set_committee_role(session, bad, SECRETARY, today=date(2026, 1, 1))
    today = date(2026, 7, 5)
    assert (
        service.appraise_member(
            session, good, year=2026, half=1, points=80, outcome=None, comment=None, today=today
        ).outcome
        == QUALIFIED
    )
    with pytest.raises(UserInputError) as refused:
        service.appraise_member(session, good, year=2026, half=1, points=80, outcome=None, comment=None, today=today)
    assert codes(refused) == ["APPRAISAL_EXISTS"]
    with pytest.raises(UserInputError) as refused:
        service.appraise_member(session, weak, year=2026, half=1, points=50, outcome=None, comment=None, today=today)
    assert codes(refused) == ["REQUIRED"]
    with pytest.raises(UserInputError) as refused:
        service.appraise_member(
            session, weak, year=2026, half=1, points=70, outcome=CORRECTION, comment=None, today=today
        )
    assert codes(refused) == ["OUTCOME_MISMATCH"]
    corrected = service.appraise_member(
        session,
        weak,
        year=2026,
        half=1,
        points=50,
        outcome=None,
        comment="限期三个月",
        correction_until=date(2026, 10, 5),
        today=today,
    )
    assert corrected.outcome == CORRECTION
    service.advance_disposal(session, corrected, step="corrected", on=date(2026, 9, 1), today=date(2026, 9, 1))
    assert corrected.outcome == "corrected" and weak.left_on is None
    # 除名 is the last step of a procedure, not an outcome of the appraisal.
    with pytest.raises(UserInputError) as refused:
        service.appraise_member(session, bad, year=2026, half=1, points=10, outcome=REMOVED, comment=None, today=today)
    assert codes(refused) == ["PROCEDURE_STEP_REQUIRED"]
    appraisal = service.appraise_member(
        session,
        bad,
        year=2026,
        half=1,
        points=10,
        outcome=None,
        comment=None,
        correction_until=date(2026, 8, 31),
        today=today,
    )
    with pytest.raises(UserInputError) as refused:
        service.advance_disposal(session, appraisal, step=REMOVED, on=date(2026, 9, 5), today=date(2026, 9, 5))
    assert codes(refused) == ["STEP_OUT_OF_ORDER"]
    with pytest.raises(UserInputError) as refused:
        service.advance_disposal(
            session, appraisal, step="persuaded_to_leave", on=date(2026, 8, 20), today=date(2026, 8, 20)
        )
    assert codes(refused) == ["CORRECTION_PERIOD_NOT_OVER"]
    service.advance_disposal(session, appraisal, step="persuaded_to_leave", on=date(2026, 9, 2), today=date(2026, 9, 2))
    assert bad.left_on is None
    service.advance_disposal(session, appraisal, step=REMOVED, on=date(2026, 9, 20), today=date(2026, 9, 20))
    assert (bad.left_on, appraisal.removed_on, bad.committee_role) == (date(2026, 9, 20), date(2026, 9, 20), None)
    # The secretary's core post ends with the membership.
    assert posts.holders(session, world.community, "secretary", on=date(2026, 9, 20)) == []
    with pytest.raises(UserInputError) as refused:
        service.appraise_member(
            session, good, year=2026, half=2, points=80, outcome=None, comment=None, today=date(2026, 6, 30)
        )
    assert codes(refused) == ["PERIOD_NOT_STARTED"]


def test_big_committee_member_units(session: Session, deployment: Deployment, world: World) -> None:
    big = service.create_organization(
        session, name="宁安路社区大党委", org_type=BIG_COMMITTEE, org_unit_id=world.community, parent_id=None
    )
    community_committee = branch(session, world, "宁安路社区党委", org_type="committee")
    # The community secretary keeps the membership and also sits on the big committee.
    secretary_person = resident(session, world.grid, "吴书记")
    own = service.admit_member(
        session,
        resident_id=secretary_person.id,
        organization=community_committee,
        status=FULL,
        joined_on=date(2000, 7, 1),
        committee_role=SECRETARY,
    )
    with pytest.raises(UserInputError) as refused:
        service.admit_member(
            session, resident_id=secretary_person.id, organization=big, status=FULL, joined_on=date(2000, 7, 1)
        )
    assert codes(refused) == ["BIG_COMMITTEE_MEMBERSHIP"]
    seat = service.admit_member(
        session,
        resident_id=secretary_person.id,
        organization=big,
        status=FULL,
        joined_on=date(2000, 7, 1),
        committee_role=SECRETARY,
    )
    assert seat.seat_only and own.left_on is None
    # A seat is not a membership: not counted, not transferable.
    assert service.member_count(session, big) == 0 and service.member_count(session, community_committee) == 1
    with pytest.raises(UserInputError) as refused:
        service.transfer_member(session, seat, community_committee, on=MARCH_10, reason="x", today=MARCH_10)
    assert codes(refused) == ["SEAT_NOT_MEMBERSHIP"]
    with pytest.raises(UserInputError) as refused:
        service.admit_member(
            session,
            resident_id=secretary_person.id,
            organization=big,
            status=FULL,
            joined_on=date(2000, 7, 1),
            committee_role="committee_member",
        )
    assert codes(refused) == ["ALREADY_SEATED"]

    school = service.add_member_unit(
        session,
        big,
        name="宁安路小学",
        unit_kind="school",
        management="dual",
        home_organization="市北区教育局党委",
        today=MARCH_10,
    )
    with pytest.raises(UserInputError) as refused:
        service.add_member_unit(
            session,
            big,
            name="某公司",
            unit_kind="enterprise",
            management="dual",
            home_organization=None,
            today=MARCH_10,
        )
    assert codes(refused) == ["REQUIRED"]
    company = service.add_member_unit(
        session,
        big,
        name="宁安路物业公司",
        unit_kind="two_new",
        management="direct",
        home_organization=None,
        today=MARCH_10,
    )
    with pytest.raises(UserInputError) as refused:
        service.add_member_unit(
            session, community_committee, name="x", unit_kind="other", management="direct", home_organization=None
        )
    assert codes(refused) == ["NOT_BIG_COMMITTEE"]
    service.admit_member(
        session,
        resident_id=resident(session, world.neighbour, "周校长").id,
        organization=big,
        status=FULL,
        joined_on=date(1995, 7, 1),
        committee_role=DEPUTY_SECRETARY,
        member_unit_id=school.id,
    )
    found = [w for w in service.organization_warnings(session, big) if w.code == "MEMBER_UNIT_WITHOUT_REPRESENTATIVE"]
    assert [w.message for w in found] == ["成员单位“宁安路物业公司”在大党委的委员 0 名，至少应有 1 名。"]
    manager = service.admit_member(
        session,
        resident_id=resident(session, world.grid, "郑经理").id,
        organization=big,
        status=FULL,
        joined_on=date(2005, 7, 1),
        committee_role=DEPUTY_SECRETARY,
    )
    service.set_seat_member_unit(session, manager, company.id)
    warnings_ = [w.code for w in service.organization_warnings(session, big)]
    assert "MEMBER_UNIT_WITHOUT_REPRESENTATIVE" not in warnings_ and "DEPUTY_SECRETARIES" not in warnings_
    with pytest.raises(UserInputError) as refused:
        service.set_seat_member_unit(session, own, company.id)
    assert codes(refused) == ["NOT_BIG_COMMITTEE"]

    appraisal = service.appraise_member_unit(
        session, school, year=2025, score=92, grade="excellent", comment="共建成效好", today=MARCH_10
    )
    service.send_unit_appraisal(session, appraisal, today=MARCH_10)
    assert appraisal.sent_to_home_on == MARCH_10
    with pytest.raises(UserInputError) as refused:
        service.send_unit_appraisal(session, appraisal, today=MARCH_10)
    assert codes(refused) == ["ALREADY_SENT"]
    direct = service.appraise_member_unit(
        session, company, year=2025, score=80, grade="good", comment=None, today=MARCH_10
    )
    with pytest.raises(UserInputError) as refused:
        service.send_unit_appraisal(session, direct, today=MARCH_10)
    assert codes(refused) == ["NO_HOME_ORGANIZATION"]

    # The enlarged meeting is the big committee's, monthly, and fulfils its obligation.
    reporting.materialize(session, deployment.host, MARCH_10)
    meeting = service.record_meeting(
        session,
        deployment.host,
        big,
        meeting_type="enlarged_meeting",
        held_on=MARCH_10,
        topic="共驻共建",
        present_member_ids=[seat.id, manager.id],
        today=MARCH_10,
    )
    assert meeting.expected_count == 3 and meeting.obligation_instance_id is not None
    with pytest.raises(UserInputError) as refused:
        service.record_meeting(
            session,
            deployment.host,
            big,
            meeting_type=MEMBERS_MEETING,
            held_on=MARCH_10,
            topic="x",
            present_member_ids=[seat.id],
            today=MARCH_10,
        )
    assert codes(refused) == ["MEETING_TYPE_NOT_FOR_ORGANIZATION"]


def test_a_community_led_by_grid_branches_fulfils_through_them(
    session: Session, deployment: Deployment, world: World
) -> None:
    from core.org import service as org_service

    grid = org_service.create_unit(
        session, deployment.settings, name="延安路第一网格", level="grid", parent_id=world.neighbour
    )
    top = service.create_organization(
        session, name="延安路第一网格党支部", org_type=BRANCH, org_unit_id=grid.id, parent_id=None
    )
    people_ = members(session, top, 3)
    reporting.materialize(session, deployment.host, MARCH_10)
    meeting = service.record_meeting(
        session,
        deployment.host,
        top,
        meeting_type=PARTY_LECTURE,
        held_on=MARCH_10,
        topic="党课",
        present_member_ids=[m.id for m in people_],
        today=MARCH_10,
    )
    instance = session.get(ObligationInstance, meeting.obligation_instance_id)
    assert instance is not None and instance.org_unit_id == world.neighbour and instance.status == SUBMITTED


def test_a_lost_race_on_a_unique_index_is_a_refusal(session: Session, world: World) -> None:
    """What the pre-checks cannot see (a concurrent insert) the unique index
    refuses; the savepoint keeps the rest of the transaction usable."""
    org = branch(session, world)
    first = members(session, org, 1)[0]
    twin = service.PartyMember(
        resident_id=first.resident_id,
        organization_id=org.id,
        org_unit_id=org.org_unit_id,
        org_path=org.org_path,
        status=FULL,
        joined_on=date(2010, 7, 1),
        flowing=False,
        seat_only=False,
    )
    with pytest.raises(UserInputError) as refused:
        service._save(session, twin, "ALREADY_MEMBER", "该居民已是党员。", "residentId")
    assert codes(refused) == ["ALREADY_MEMBER"]
    assert service.member_count(session, org) == 1
    members(session, org, 1)
    assert service.member_count(session, org) == 2


def test_only_communities_with_the_organization_owe_its_meetings(
    session: Session, deployment: Deployment, world: World
) -> None:
    # 宁安路社区: a branch without party groups; 延安路社区: no party organization yet.
    branch(session, world)
    later = branch(session, world, name="宁安路社区第二党支部", established_on=date(2026, 3, 20), has_groups=True)
    reporting.materialize(session, deployment.host, MARCH_10)
    owed = {
        (row.type_code.removeprefix("party_building."), row.org_unit_id, row.period_start)
        for row in session.scalars(
            select(ObligationInstance).where(ObligationInstance.type_code.like("party_building.%"))
        )
    }
    units = {unit for _code, unit, _start in owed}
    assert units == {world.community}
    codes_owed = {code for code, _unit, _start in owed}
    assert {"members_meeting", "committee_meeting", "party_lecture", "democratic_life"} <= codes_owed
    # Groups appear with the second branch, established in March: owed for March, not February.
    assert ("group_meeting", world.community, date(2026, 3, 1)) in owed
    assert ("group_meeting", world.community, date(2026, 2, 1)) not in owed
    assert "enlarged_meeting" not in codes_owed
    assert later.has_groups


# --- one fact, one record: committee posts in core ---------------------------------------------


def test_the_secretary_is_recorded_once_in_core_posts(session: Session, world: World) -> None:
    # A party-organization body entered through core's posts before the plugin is adopted, not doubled.
    earlier = posts.create_body(session, org_unit_id=world.community, kind="party_organization", name="社区党组织")
    org = branch(session, world)
    people_ = members(session, org, 8)
    service.set_committee_role(session, people_[0], SECRETARY, today=date(2026, 1, 1))
    [held] = posts.holders(session, world.community, "secretary", on=date(2026, 1, 2))
    assert (held.resident_id, held.body_id, org.body_id) == (people_[0].resident_id, earlier.id, earlier.id)
    # The chair recorded in core: 一肩挑 is recognised from core's posts (finance's signature rule).
    committee = posts.create_body(
        session, org_unit_id=world.community, kind="residents_committee", name="宁安路社区居民委员会"
    )
    posts.assign(
        session,
        body_id=committee.id,
        post_code="chair",
        resident_id=people_[0].resident_id,
        term_start=date(2026, 1, 1),
    )
    assert posts.is_same_person_holding(session, world.community, "chair", "secretary", on=date(2026, 1, 2))
    # A new secretary: the old term ends, the new one starts, one holder at a time.
    service.set_committee_role(session, people_[0], None, today=date(2026, 2, 1))
    service.set_committee_role(session, people_[1], SECRETARY, today=date(2026, 2, 1))
    service.set_committee_role(session, people_[2], DEPUTY_SECRETARY, today=date(2026, 2, 1))
    assert [a.resident_id for a in posts.holders(session, world.community, "secretary", on=date(2026, 2, 1))] == [
        people_[1].resident_id
    ]
    assert [
        a.resident_id for a in posts.holders(session, world.community, "deputy_secretary", on=date(2026, 2, 1))
    ] == [people_[2].resident_id]
    assert not posts.is_same_person_holding(session, world.community, "chair", "secretary", on=date(2026, 2, 1))
    # Leaving the organization ends the post.
    service.transfer_member(
        session,
        people_[1],
        branch(session, world, "宁安路社区第二党支部"),
        on=date(2026, 3, 1),
        reason="调整",
        today=MARCH_10,
    )
    assert posts.holders(session, world.community, "secretary", on=date(2026, 3, 1)) == []


def test_big_committee_deputies_and_scores_are_policy(session: Session, world: World) -> None:
    big = service.create_organization(
        session, name="宁安路社区大党委", org_type=BIG_COMMITTEE, org_unit_id=world.community, parent_id=None
    )
    community_committee = branch(session, world, "宁安路社区党委", org_type="committee")
    [deputy_here] = members(session, community_committee, 1)
    service.set_committee_role(session, deputy_here, DEPUTY_SECRETARY)
    service.admit_member(
        session,
        resident_id=resident(session, world.neighbour).id,
        organization=big,
        status=FULL,
        joined_on=date(2000, 7, 1),
        committee_role=SECRETARY,
    )
    for _ in range(2):
        service.admit_member(
            session,
            resident_id=resident(session, world.neighbour).id,
            organization=big,
            status=FULL,
            joined_on=date(2000, 7, 1),
            committee_role=DEPUTY_SECRETARY,
        )
    # 2 deputies, none from the community party organization: the full-time deputy is missing.
    assert warning_codes(session, big) == ["FULL_TIME_DEPUTY_SECRETARY"]
    service.admit_member(
        session,
        resident_id=deputy_here.resident_id,
        organization=big,
        status=FULL,
        joined_on=date(2000, 7, 1),
        committee_role=DEPUTY_SECRETARY,
    )
    assert warning_codes(session, big) == []
    unit = session.get(OrgUnit, world.street)
    assert unit is not None
    policy.set_value(
        session, unit, d.DEPUTY_SECRETARIES_MAX, 2, set_by="test", reason="测试", effective_from=date(2020, 1, 1)
    )
    assert warning_codes(session, big) == ["DEPUTY_SECRETARIES"]
    school = service.add_member_unit(
        session,
        big,
        name="宁安路小学",
        unit_kind="school",
        management="direct",
        home_organization=None,
        today=MARCH_10,
    )
    policy.set_value(
        session, unit, d.UNIT_SCORE_MAX, 120, set_by="test", reason="测试", effective_from=date(2020, 1, 1)
    )
    assert (
        service.appraise_member_unit(
            session, school, year=2025, score=110, grade="excellent", comment=None, today=MARCH_10
        ).score
        == 110
    )


def test_the_development_notice_leaves_the_board_after_its_period(
    session: Session, deployment: Deployment, world: World
) -> None:
    org = branch(session, world)
    community = session.get(OrgUnit, world.community)
    assert community is not None
    worker = _principal(session, deployment, "worker", community.path, "board.draft", "board.publish")
    secretary = _principal(session, deployment, "secretary", community.path, "board.approve")
    case = service.start_development(
        session, resident_id=resident(session, world.grid).id, organization=org, today=MARCH_10
    )
    service.record_member_nomination(session, case, on=MARCH_10, count=4, today=MARCH_10)
    service.record_representative_nomination(session, case, on=MARCH_10, count=12, today=MARCH_10)
    service.record_evaluation(session, case, on=MARCH_10, approvals=7, participants=10, today=MARCH_10)
    service.record_exam(session, case, on=MARCH_10, score=85, today=MARCH_10)
    notice = service.draft_development_notice(session, worker, case, categories=categories_for(deployment.host))
    assert notice.display_days == 7 and "期满下架" in notice.body
    board.approve(
        session,
        secretary,
        notice,
        host=deployment.host,
        resolution_id=_decision(session, deployment, org, _committee(session, org, 3)),
    )
    today = policy.local_today()
    board.publish(session, worker, notice, host=deployment.host, on=today)
    assert notice.expires_on == today + timedelta(days=6)
    assert notice in board.published_notices(session, world.community, on=today + timedelta(days=6))
    assert notice not in board.published_notices(session, world.community, on=today + timedelta(days=7))


def test_a_notice_is_approved_on_a_quorate_committee_resolution(
    session: Session, deployment: Deployment, world: World
) -> None:
    org = branch(session, world, "宁安路社区党委", org_type="committee")
    committee = _committee(session, org, 4)
    community = session.get(OrgUnit, world.community)
    assert community is not None
    worker = _principal(session, deployment, "worker", community.path, "board.draft", "board.publish")
    secretary = _principal(session, deployment, "secretary", community.path, "board.approve")

    def pending() -> board.Notice:
        notice = board.draft_notice(
            session,
            worker,
            org_unit=world.community,
            title="三月居务公开",
            body="本月办理事项。",
            category="community_affairs",
            publisher_label="宁安路社区居民委员会",
            categories=categories_for(deployment.host),
        )
        return board.submit_for_approval(session, worker, notice)

    def refused(
        notice: board.Notice,
        *,
        resolution_id: str | None = None,
        meeting_reference: str | None = None,
        meeting_on: date | None = None,
    ) -> list[str]:
        with pytest.raises(UserInputError) as error:
            board.approve(
                session,
                secretary,
                notice,
                host=deployment.host,
                resolution_id=resolution_id,
                meeting_reference=meeting_reference,
                meeting_on=meeting_on,
            )
        return codes(error)

    notice = pending()
    # A meeting named in words is not enough where the committee's meetings are kept here.
    assert refused(notice, meeting_reference="党委会", meeting_on=MARCH_10) == ["DECISION_REQUIRED"]

    def resolution_of(
        meeting_type: str, present: list[service.PartyMember], votes: int, org_: service.PartyOrganization = org
    ) -> tuple[Meeting, str]:
        meeting = service.record_meeting(
            session,
            deployment.host,
            org_,
            meeting_type=meeting_type,
            held_on=MARCH_10,
            topic="公开事项",
            present_member_ids=[m.id for m in present],
            today=MARCH_10,
            resolutions=[service.ResolutionInput("同意公开", votes_for=votes)],
        )
        resolution = session.scalars(select(MeetingResolution).where(MeetingResolution.meeting_id == meeting.id)).one()
        return meeting, encode_global_id("MeetingResolution", resolution.id)

    # Not adopted (2 of 4 due), not a committee meeting, another community's organization.
    assert refused(notice, resolution_id=resolution_of(COMMITTEE_MEETING, committee[:2], 2)[1]) == [
        "RESOLUTION_NOT_ADOPTED"
    ]
    assert refused(notice, resolution_id=resolution_of(MEMBERS_MEETING, committee, 4)[1]) == ["NOT_A_COMMITTEE_MEETING"]
    neighbour = service.create_organization(
        session, name="延安路社区党支部", org_type=BRANCH, org_unit_id=world.neighbour, parent_id=None
    )
    other = _committee(session, neighbour, 3)
    # Another community's resolution answers as a missing one: nothing about it shows.
    assert refused(notice, resolution_id=resolution_of(COMMITTEE_MEETING, other, 3, neighbour)[1]) == ["NOT_FOUND"]
    assert refused(notice, resolution_id=encode_global_id("MeetingResolution", 10**6)) == ["NOT_FOUND"]
    # A meeting kept as not quorate (recorded under a stricter rule, or before this one) decides nothing.
    meeting, stale = resolution_of(COMMITTEE_MEETING, committee[:3], 3)
    meeting.quorate = False
    assert refused(notice, resolution_id=stale) == ["QUORUM_NOT_MET"]
    decided = resolution_of(COMMITTEE_MEETING, committee[:3], 3)[1]
    board.approve(session, secretary, notice, host=deployment.host, resolution_id=decided)
    assert notice.decision_source == "party_building" and notice.decision_on == MARCH_10
    assert notice.decision_reference == "宁安路社区党委支部委员会（2026-03-10）决议：同意公开"
    # Where the plugin is off for the street, the approver records the meeting instead.
    street = session.get(OrgUnit, world.street)
    assert street is not None
    policy.set_value(
        session,
        street,
        plugin_active_key("party_building"),
        False,
        set_by="test",
        reason="测试",
        effective_from=date(2020, 1, 1),
    )
    off = pending()
    board.approve(session, secretary, off, host=deployment.host, meeting_reference="社区党委会议", meeting_on=MARCH_10)
    assert (off.decision_source, off.decision_reference) == (None, "社区党委会议")
