"""The self-governance meeting kinds of core meetings: the residents'
committee and the 议事协调会 with rosters from core posts, their monthly
cadence and the assembly's half-yearly one fulfilled by quorate meetings."""

from __future__ import annotations

from datetime import timedelta

from core.api.errors import UserInputError
from core.meetings import service as meetings
from core.meetings.builtin import ASSEMBLY_KIND
from core.org import service as org_service
from core.policy.service import local_today
from core.posts import service as posts
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from plugins.self_governance.meeting_kinds import (
    COMMITTEE_MEETING,
    DELIBERATION_COUNCIL,
)
from tests.plugins.self_governance.conftest import Env
from tests.plugins.self_governance.meetings_helper import add_representatives


def _posts(env: Env) -> None:
    start = local_today() - timedelta(days=100)
    with env.deployment.session_factory() as session, session.begin():
        party = posts.create_body(session, org_unit_id=env.tree.community, kind="party_organization", name="社区党委")
        posts.assign(
            session, body_id=party.id, post_code="secretary", resident_id=env.tree.people["a5"], term_start=start
        )
        committee = posts.create_body(
            session, org_unit_id=env.tree.community, kind="residents_committee", name="居委会"
        )
        posts.assign(
            session, body_id=committee.id, post_code="chair", resident_id=env.tree.people["a5"], term_start=start
        )
        for key in ("a4", "a6"):
            posts.assign(
                session, body_id=committee.id, post_code="member", resident_id=env.tree.people[key], term_start=start
            )
        for key, building in (("a1", 0), ("a4", 1)):
            group = posts.create_body(
                session, org_unit_id=env.tree.buildings[building], kind="building_group", name="楼院自治小组"
            )
            posts.assign(
                session, body_id=group.id, post_code="building_head", resident_id=env.tree.people[key], term_start=start
            )


def test_the_council_is_the_building_heads_chaired_by_the_secretary(env: Env) -> None:
    _posts(env)
    today = local_today()
    with env.deployment.session_factory() as session, session.begin():
        community = org_service.get_unit(session, env.tree.community)
        meeting = meetings.create_meeting(
            session, DELIBERATION_COUNCIL, community, title="议事协调会", held_on=today, today=today
        )
        roster = [(a.name, a.role) for a in meetings.attendance_of(session, meeting)]
        assert roster == [("居民a5", "召集人（党组织书记）"), ("居民a1", "楼栋长"), ("居民a4", "楼栋长")]
        try:
            meetings.resolve(
                session, meeting, text="一事一约：楼道不堆放杂物", votes_for=1, kind=DELIBERATION_COUNCIL, today=today
            )
        except UserInputError as refused:
            assert refused.errors[0].code == "QUORUM_NOT_MET"
        else:
            raise AssertionError("resolved below quorum")
        for attendance in meetings.attendance_of(session, meeting)[:2]:
            meetings.sign_in(session, meeting, attendance.resident_id, today=today, kind=DELIBERATION_COUNCIL)
        agreement = meetings.resolve(
            session, meeting, text="一事一约：楼道不堆放杂物", votes_for=2, kind=DELIBERATION_COUNCIL, today=today
        )
        assert agreement.adopted


def test_quorate_meetings_fulfil_the_monthly_and_half_yearly_cadences(env: Env) -> None:
    _posts(env)
    add_representatives(env)
    today = local_today()
    host = env.deployment.host
    with env.deployment.session_factory() as session, session.begin():
        reporting.materialize(session, host, today)
        community = org_service.get_unit(session, env.tree.community)
        owed = {
            row.type_code: row
            for row in session.query(ObligationInstance).filter(
                ObligationInstance.org_unit_id == community.id, ObligationInstance.period_start <= today
            )
        }
        assert {
            "self_governance.committee_monthly",
            "self_governance.assembly_half_yearly",
            "self_governance.deliberation_council_monthly",
            "self_governance.working_committee_monthly",
        } <= set(owed)
        committee = meetings.create_meeting(
            session, COMMITTEE_MEETING, community, title="居委会全体会议", held_on=today, today=today
        )
        assert committee.expected_count == 3
        for attendance in meetings.attendance_of(session, committee)[:2]:
            meetings.sign_in(session, committee, attendance.resident_id, today=today, kind=COMMITTEE_MEETING)
        meetings.record_minutes(session, committee, "研究本月工作", today=today)
        meetings.close_meeting(session, host, committee, today=today, kind=COMMITTEE_MEETING)
        assembly = meetings.create_meeting(
            session,
            ASSEMBLY_KIND,
            community,
            title="半年例会",
            held_on=today,
            notice_on=today - timedelta(days=5),
            today=today,
        )
        for attendance in meetings.attendance_of(session, assembly)[:4]:
            meetings.sign_in(session, assembly, attendance.resident_id, today=today, kind=ASSEMBLY_KIND)
        meetings.record_minutes(session, assembly, "听取工作报告", today=today)
        # The kind as the deployment declares it, with the cadence this plugin attaches.
        meetings.close_meeting(session, host, assembly, today=today)
        session.flush()
        session.expire_all()
        status = {
            row.type_code: row.status
            for row in session.query(ObligationInstance).filter(
                ObligationInstance.org_unit_id == community.id, ObligationInstance.period_start <= today
            )
            if row.period_end >= today
        }
    assert status["self_governance.committee_monthly"] == "submitted"
    assert status["self_governance.assembly_half_yearly"] == "submitted"
    assert status["self_governance.deliberation_council_monthly"] == "open"
