"""Demo party building in the demo community (where the demo party secretary
works): a community party committee with a branch per grid, members drawn
from the community's residents, this year's 三会一课 with one month missed,
a planned democratic life meeting, a candidate on the public board, in-service
members, household contact, appraisals and a big party committee with member
units (one still without a committee member)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.relay import encode_global_id
from core.auth.service import principal_for_user
from core.board import service as board
from core.board.categories import categories_for
from core.board.models import PENDING_APPROVAL, Notice
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.meetings.models import Meeting
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Household, Resident
from core.plugin_host import host_for_plugins
from core.policy.service import local_today
from core.posts.models import PostAssignment
from core.reporting.calendar import period_of
from core.settings import Settings
from plugins.party_building import service
from plugins.party_building.models import (
    BIG_COMMITTEE,
    BRANCH,
    COMMITTEE,
    COMMITTEE_MEETING,
    CORRECTION,
    DEPUTY_SECRETARY,
    FULL,
    MEMBERS_MEETING,
    PARTY_LECTURE,
    PROBATIONARY,
    SECRETARY,
    PartyMember,
    PartyOrganization,
)

BRANCH_SIZE = 6
MAX_BRANCHES = 3


def _adults(
    session: Session,
    unit: OrgUnit,
    today: date,
    limit: int,
    *,
    outside: OrgUnit | None = None,
    last_first: bool = False,
) -> list[Resident]:
    cutoff = date(today.year - 18, today.month, 1)
    statement = select(Resident).where(
        in_subtree(Resident.org_path, unit.path), Resident.birth_date <= cutoff, Resident.moved_out_on.is_(None)
    )
    if outside is not None:
        statement = statement.where(~in_subtree(Resident.org_path, outside.path))
    order = (Resident.org_path.desc(), Resident.id.desc()) if last_first else (Resident.org_path, Resident.id)
    return list(session.scalars(statement.order_by(*order).limit(limit)))


DISCLOSED_CATEGORIES = ("government_affairs", "community_affairs", "finance")


def _approve_pending_disclosures(
    session: Session, host: Any, community: OrgUnit, meeting: Meeting | None, today: date
) -> str | None:
    """Adopt the month's disclosure resolution at ``meeting`` and approve and
    publish core's pending demo disclosures with it; returns the resolution's ID."""
    worker_account = demo_account(session, "community_worker")
    secretary_account = demo_account(session, "party_secretary")
    if meeting is None or worker_account is None or secretary_account is None:
        return None
    resolution = service.add_resolution(
        session,
        meeting,
        service.ResolutionInput("同意本月政务、居务和财务公开事项，先党内后党外公布", votes_for=meeting.present_count),
    )
    decided = encode_global_id("MeetingResolution", resolution.id)
    worker = principal_for_user(session, worker_account[0].id)
    secretary = principal_for_user(session, secretary_account[0].id)
    pending = session.scalars(
        select(Notice)
        .where(
            Notice.org_unit_id == community.id,
            Notice.status == PENDING_APPROVAL,
            Notice.source_plugin.is_(None),
            Notice.category.in_(DISCLOSED_CATEGORIES),
        )
        .order_by(Notice.id)
    )
    for notice in pending:
        board.approve(session, secretary, notice, host=host, resolution_id=decided, today=today)
        board.publish(session, worker, notice, host=host, on=today)
    return decided


def load_demo(session: Session, settings: Settings, progress: Progress, *, today: date | None = None) -> None:
    secretary_account = demo_account(session, "party_secretary")
    worker_account = demo_account(session, "community_worker")
    if secretary_account is None or worker_account is None or secretary_account[1].id != worker_account[1].id:
        return
    today = today or local_today()
    host = host_for_plugins(settings.plugins)
    community = secretary_account[1]
    grids = list(
        session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == community.id, OrgUnit.level == "grid").order_by(OrgUnit.id)
        )
    )[:MAX_BRANCHES]
    used: set[int] = set()

    def take(unit: OrgUnit, count: int, *, outside: OrgUnit | None = None, last_first: bool = False) -> list[Resident]:
        adults = _adults(session, unit, today, count + len(used) + 50, outside=outside, last_first=last_first)
        found = [r for r in adults if r.id not in used][:count]
        used.update(r.id for r in found)
        return found

    def admit(org: PartyOrganization, person: Resident, n: int, role: str | None = None) -> PartyMember:
        probationary = n % 11 == 10
        return service.admit_member(
            session,
            resident_id=person.id,
            organization=org,
            status=PROBATIONARY if probationary else FULL,
            joined_on=date(today.year - 1, 7, 1) if probationary else date(1985 + n % 35, 7, 1),
            full_on=None if probationary else date(1986 + n % 35, 7, 1),
            committee_role=role,
            today=today,
        )

    # Demo communities are small: the few people with a part to play first.
    candidates = take(community, 2, last_first=True)
    in_service = take(community, 2, last_first=True)
    leaders = take(community, 3, last_first=True)
    # Member units' committee members live anywhere in the street.
    street = session.get(OrgUnit, community.parent_id) if community.parent_id else None
    reps = take(street, 4, outside=community) if street is not None else []

    committee = service.create_organization(
        session,
        name=f"{community.name}党委",
        org_type=COMMITTEE,
        org_unit_id=community.id,
        parent_id=None,
        established_on=date(2008, 7, 1),
        today=today,
    )
    leader_members = [
        admit(committee, person, n, role)
        for n, (person, role) in enumerate(
            zip(leaders, (SECRETARY, DEPUTY_SECRETARY, "committee_member"), strict=False)
        )
    ]
    # The committee's core posts (written by the admission) date from the last
    # election, and the secretary's signs in as the demo secretary.
    for n, leader in enumerate(leader_members):
        post = session.get(PostAssignment, leader.post_assignment_id) if leader.post_assignment_id else None
        if post is not None:
            post.term_start = date(today.year - 3, 1, 1)
            post.user_id = secretary_account[0].id if n == 0 else None

    branches: list[tuple[PartyOrganization, list[PartyMember]]] = []
    for index, grid in enumerate(grids or [community], start=1):
        people_ = take(grid, BRANCH_SIZE)
        if not people_:
            continue
        org = service.create_organization(
            session,
            name=f"{community.name}第{index}党支部",
            org_type=BRANCH,
            org_unit_id=grid.id,
            parent_id=committee.id,
            established_on=date(2010, 3, 1),
            today=today,
        )
        # Fewer than 7 members: a secretary only, no branch committee (003).
        branch_members = [admit(org, p, n + 1, SECRETARY if n == 0 else None) for n, p in enumerate(people_)]
        branches.append((org, branch_members))
    if branches and len(branches[0][1]) > 2:
        service.set_flowing(session, branches[0][1][2], True, "深圳市南山区（务工）")

    meetings = 0
    latest_committee_meeting: Meeting | None = None
    # The community committee meets monthly; it missed March.
    month = date(today.year, 1, 1)
    while leader_members and month <= today:
        start, end = period_of("monthly", month)
        held_on = min(start + timedelta(days=9), today)
        if start.month != 3:
            latest_committee_meeting = service.record_meeting(
                session,
                host,
                committee,
                meeting_type=COMMITTEE_MEETING,
                held_on=held_on,
                topic=f"{start.month}月党委会：研究本月党建工作",
                agenda="一、学习传达上级精神；二、研究党员教育管理；三、安排联户走访",
                minutes="会议由党委书记主持。",
                present_member_ids=[m.id for m in leader_members],
                today=today,
            )
            meetings += 1
        month = end + timedelta(days=1)
    # Branches: a members' meeting every quarter.
    for number, (org, branch_members) in enumerate(branches):
        full = [m for m in branch_members if m.status == FULL]
        quarter = date(today.year, 1, 1)
        while quarter <= today:
            start, end = period_of("quarterly", quarter)
            held_on = min(end - timedelta(days=5), today)
            if full:
                present = full[: len(full) // 2 + 1]
                service.record_meeting(
                    session,
                    host,
                    org,
                    meeting_type=MEMBERS_MEETING,
                    held_on=held_on,
                    topic=f"第{(start.month + 2) // 3}季度支部党员大会",
                    agenda="一、通报季度工作；二、讨论表决事项",
                    present_member_ids=[m.id for m in present],
                    resolutions=[service.ResolutionInput("通过本季度支部工作总结", votes_for=len(present))],
                    today=today,
                )
                meetings += 1
            quarter = end + timedelta(days=1)
        # A lecture every two months (policy default); the second branch missed the first.
        for first_month in range(1, 13, 2):
            start = date(today.year, first_month, 1)
            if start > today or (number == 1 and first_month == 1):
                continue
            service.record_meeting(
                session,
                host,
                org,
                meeting_type=PARTY_LECTURE,
                held_on=min(start + timedelta(days=40), today),
                topic=("书记讲党课：践行全心全意为人民服务的根本宗旨", "党课：学习党章，做合格党员")[
                    first_month // 2 % 2
                ],
                present_member_ids=[m.id for m in branch_members],
                today=today,
            )
            meetings += 1

    service.plan_democratic_life(
        session,
        host,
        committee,
        planned_on=today + timedelta(days=20),
        topic="年度民主生活会：对照检查、批评与自我批评",
        today=today,
    )

    # What goes on the public board is decided by the committee (000): the
    # latest committee meeting approves the month's disclosures, and core's
    # demo notices waiting for that decision are approved with it.
    decided = _approve_pending_disclosures(session, host, community, latest_committee_meeting, today)

    # Member development: one candidate on the public board, one evaluated.
    if branches and candidates:
        org = branches[0][0]
        worker = principal_for_user(session, worker_account[0].id)
        secretary = principal_for_user(session, secretary_account[0].id)
        started = today - timedelta(days=40)
        for n, person in enumerate(candidates):
            case = service.start_development(session, resident_id=person.id, organization=org, today=started)
            service.record_member_nomination(session, case, on=started + timedelta(days=3), count=5, today=today)
            service.record_representative_nomination(
                session, case, on=started + timedelta(days=10), count=14, today=today
            )
            service.record_evaluation(
                session, case, on=started + timedelta(days=20), approvals=16, participants=20, today=today
            )
            if n == 0 and worker is not None and secretary is not None and decided is not None:
                service.record_exam(session, case, on=started + timedelta(days=25), score=86, today=today)
                notice = service.draft_development_notice(
                    session, worker, case, categories=categories_for(host), today=today
                )
                board.approve(session, secretary, notice, host=host, resolution_id=decided, today=today)
                board.publish(session, worker, notice, host=host, on=today)

    # In-service members registered at the community.
    for n, person in enumerate(in_service):
        registration = service.register_in_service(
            session,
            resident_id=person.id,
            org_unit_id=community.id,
            workplace=("市南区人民法院", "青岛市第一人民医院", "市南区财政局")[n],
            workplace_organization=("市南区人民法院机关党委", "青岛市第一人民医院党委", "市南区财政局机关党支部")[n],
            registered_on=date(today.year, 1, 1),
            today=today,
        )
        quarter_start = period_of("quarterly", today)[0]
        if quarter_start.month > 1:
            previous = (quarter_start.month - 1) // 3
            service.add_in_service_entry(
                session,
                registration,
                kind="contact",
                on=quarter_start - timedelta(days=20),
                description="参加社区党委组织的报到座谈",
                today=today,
            )
            service.issue_feedback_slip(session, registration, year=today.year, quarter=previous, today=today)
        if n < 2:
            service.add_in_service_entry(
                session,
                registration,
                kind="contact",
                on=quarter_start,
                description="到社区党委报到，认领服务岗位",
                today=today,
            )
        if n == 0:
            service.add_in_service_entry(
                session,
                registration,
                kind="activity",
                on=quarter_start,
                description="参加“双报到”志愿服务：义诊",
                today=today,
            )

    # Household contact: each branch committee member contacts three households of the grid.
    for org, branch_members in branches:
        unit = session.get(OrgUnit, org.org_unit_id)
        assert unit is not None
        households = list(
            session.scalars(
                select(Household).where(in_subtree(Household.org_path, unit.path)).order_by(Household.id).limit(9)
            )
        )
        contacts = [m for m in branch_members if m.committee_role] or branch_members
        for n, household in enumerate(households):
            member = contacts[n % len(contacts)]
            assignment = service.assign_household(session, member, household.id, on=date(today.year, 1, 1), today=today)
            if n % 3 != 2:
                service.log_household_contact(
                    session,
                    assignment,
                    on=today.replace(day=1),
                    method="visit" if n % 2 else "phone",
                    note="了解家庭情况，宣传政策",
                    today=today,
                )

    # Appraisal of the last completed half year.
    year, half = (today.year, 1) if today.month > 6 else (today.year - 1, 2)
    for _org, branch_members in branches[:1]:
        for n, member in enumerate(m for m in branch_members if m.left_on is None):
            points = 92 - n * 3 if n < 10 else 55
            service.appraise_member(
                session,
                member,
                year=year,
                half=half,
                points=points,
                outcome=CORRECTION if points < 60 else None,
                comment="参加组织生活不经常，限期三个月改正" if points < 60 else None,
                correction_until=today + timedelta(days=90) if points < 60 else None,
                today=today,
            )

    # The big party committee and its member units.
    big = service.create_organization(
        session,
        name=f"{community.name}大党委",
        org_type=BIG_COMMITTEE,
        org_unit_id=community.id,
        parent_id=None,
        established_on=date(2015, 6, 1),
        today=today,
    )
    units = (
        ("市南区实验小学", "school", "dual", "市南区教育和体育局党委"),
        ("青岛市第一人民医院", "agency", "dual", "青岛市卫生健康委员会党组"),
        ("海之韵物业服务有限公司", "two_new", "direct", None),
        ("市南区税务局第一税务所", "agency", "dual", "国家税务总局青岛市市南区税务局党委"),
    )
    # The community party secretary leads the big committee too, keeping the
    # membership in the community committee (a seat, not a transfer).
    if leaders:
        service.admit_member(
            session,
            resident_id=leaders[0].id,
            organization=big,
            status=FULL,
            joined_on=date(1998, 7, 1),
            committee_role=SECRETARY,
            today=today,
        )
    # The full-time deputy secretary comes from the community committee (002).
    if len(leaders) > 1:
        service.admit_member(
            session,
            resident_id=leaders[1].id,
            organization=big,
            status=FULL,
            joined_on=date(1998, 7, 1),
            committee_role=DEPUTY_SECRETARY,
            today=today,
        )
    for n, (name, kind, management, home) in enumerate(units):
        member_unit = service.add_member_unit(
            session,
            big,
            name=name,
            unit_kind=kind,
            management=management,
            home_organization=home,
            joined_on=date(2015, 6, 1),
            today=today,
        )
        # The property company has no committee member yet: shown as a warning.
        if n < len(reps) and n != 2:
            service.admit_member(
                session,
                resident_id=reps[n].id,
                organization=big,
                status=FULL,
                joined_on=date(1995 + n, 7, 1),
                committee_role=DEPUTY_SECRETARY if n < 1 else "committee_member",
                member_unit_id=member_unit.id,
                today=today,
            )
        if today.year > 2015:
            service.appraise_member_unit(
                session,
                member_unit,
                year=today.year - 1,
                score=(95, 88, 76, 90)[n],
                grade=("excellent", "good", "qualified", "good")[n],
                comment="积极参与共驻共建",
                today=today,
            )
    big_committee = list(service.committee_of(session, big))
    month = date(today.year, 1, 1)
    while big_committee and month <= today:
        start, end = period_of("monthly", month)
        service.record_meeting(
            session,
            host,
            big,
            meeting_type="enlarged_meeting",
            held_on=min(start + timedelta(days=14), today),
            topic=f"{start.month}月大党委扩大会议：共驻共建项目推进",
            present_member_ids=[m.id for m in big_committee],
            today=today,
        )
        meetings += 1
        month = end + timedelta(days=1)
    progress.note(f"党建：党组织 {len(branches) + 2} 个，会议 {meetings} 次，大党委成员单位 {len(units)} 个")
