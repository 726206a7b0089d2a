"""Demo records of residents' self-governance in the demo community (the one
the ``community_worker`` demo account works in) and, for the committee
election, its first sibling community (so that the demo committee posts of
other modules stay as they are):

- a general election closed with its election committee (one member stood
  and the reserve filled in), voter register, candidates, ballots and the
  elected holding their posts; the year's democratic appraisal of them by the
  representatives (one judged 不称职); a recall passed and the by-election it calls;
- initiatives: one collecting signatures, one reached whose meeting is owed,
  one whose owed meeting is already missing, one answered by a meeting;
- hearings: one complete (five steps, vote, result drafted for the board,
  sent to the street office), one halfway;
- the residents' convention adopted and a draft charter;
- building heads: one appointed after publicity and an answered objection,
  one in its publicity period.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.permissions import Principal
from core.auth.service import principal_for_user
from core.board.categories import categories_for
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.meetings import service as meetings
from core.meetings.builtin import ASSEMBLY_KIND
from core.meetings.demo import ensure_representatives
from core.meetings.kinds import kinds_for
from core.meetings.models import Meeting
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.plugin_host import PluginHost, load_plugin_host
from core.policy.service import local_today
from core.posts import service as posts
from core.settings import Settings
from plugins.self_governance import (
    appraisals,
    building_heads,
    elections,
    hearings,
    initiatives,
    representatives,
    texts,
)
from plugins.self_governance.common import residents_taking_part
from plugins.self_governance.meeting_kinds import HEARING_VOTE
from plugins.self_governance.models import BY_ELECTION, GENERAL, SelfgovElection


def _adults(session: Session, community: OrgUnit, today: date, limit: int) -> list[Resident]:
    """Adults of the community taking part in self-governance (born here or moved in long ago)."""
    rows = session.scalars(
        select(Resident).where(residents_taking_part(session, community, today)).order_by(Resident.id).limit(limit * 2)
    )
    since = today - timedelta(days=800)
    return [r for r in rows if (elections.residence_since(r) or today) <= since][:limit]


def load_demo_self_governance(
    session: Session, settings: Settings, progress: Progress, *, today: date | None = None
) -> None:
    found = demo_account(session, "community_worker")
    if found is None:
        return
    user, community = found
    who = principal_for_user(session, user.id)
    today = today or local_today()
    host = load_plugin_host(settings.plugins)
    people = _adults(session, community, today, 16)
    if len(people) < 16:
        return
    _election(session, host, community, today)
    ensure_representatives(session, community)
    _initiatives(session, host, community, people, today, user.id)
    _hearings(session, who, host, community, people, today, user.id)
    _texts(session, who, host, community, today, user.id)
    _building_heads(session, community, people, today, user.id)
    session.flush()


def _election(session: Session, host: PluginHost, home: OrgUnit, today: date) -> None:
    sibling = session.scalars(
        select(OrgUnit)
        .where(OrgUnit.parent_id == home.parent_id, OrgUnit.level == home.level, OrgUnit.id != home.id)
        .order_by(OrgUnit.id)
    ).first()
    if sibling is None:
        return
    people = _adults(session, sibling, today, 8)
    if len(people) < 8:
        return
    day = today - timedelta(days=60)
    election = elections.create_election(
        session,
        sibling,
        title=f"{sibling.name}第十一届居民委员会换届选举",
        kind=GENERAL,
        seats=4,
        election_day=day,
        term_start=day + timedelta(days=1),
        term_end=day + timedelta(days=5 * 365),
        recall=None,
        user_id=None,
    )
    for index, person in enumerate(people[:4]):
        elections.add_committee_member(
            session,
            election,
            person,
            role="chair" if index == 0 else "member",
            vote_count=40 - index,
            serving=index < 3,
        )
    registered = elections.build_register(session, election)
    # The third committee member stands: they leave and the reserve fills in.
    candidates = [
        elections.nominate(
            session, election, people[2], post_code="chair", nomination="group", today=day - timedelta(days=20)
        ),
        *(
            elections.nominate(
                session, election, person, post_code=post, nomination=how, today=day - timedelta(days=20)
            )
            for person, post, how in (
                (people[4], "vice_chair", "civic"),
                (people[5], "member", "group"),
                (people[6], "member", "self"),
                (people[7], "member", "group"),
            )
        ),
    ]
    elections.publish_candidates(session, election, day - timedelta(days=15))
    returned = registered * 3 // 4 + 1
    valid = returned - 2
    # Four candidates with a majority of the valid ballots, one without.
    counts = (valid, valid - 1, valid - 2, valid - 2 if valid < 6 else valid - 3, 1)
    elections.record_result(
        session,
        election,
        held_on=day,
        ballots_issued=registered,
        ballots_returned=returned,
        invalid_ballots=2,
        votes={c.id: n for c, n in zip(candidates, counts, strict=False)},
        today=today,
    )
    # The year's democratic appraisal of the elected by the representatives (the community's adults).
    _seat_representatives(session, sibling, _adults(session, sibling, today, 31), today)
    appraisal_meeting = assembly_meeting(
        session, sibling, "社区成员代表大会年终评议会议", today - timedelta(days=20), today
    )
    elected = [posts.get_assignment(session, c.assignment_id) for c in candidates if c.assignment_id is not None]
    present = appraisal_meeting.present_count
    appraisals.record(
        session,
        host,
        sibling,
        appraisal_meeting,
        [
            appraisals.Rating(a, present - 2 - index, 1 + index, 1)
            if index < 3
            else appraisals.Rating(a, 2, 3, present - 5)
            for index, a in enumerate(elected)
        ],
        user_id=None,
        today=today,
    )
    member = candidates[3]
    if member.assignment_id is not None:
        assignment = posts.get_assignment(session, member.assignment_id)
        recall = elections.recall(
            session,
            sibling,
            assignment,
            decided_on=today - timedelta(days=10),
            eligible=36,
            votes_cast=31,
            votes_for=22,
            reason="长期不履行职责，经三分之一以上代表联名提出罢免。",
            user_id=None,
            today=today,
        )
        elections.create_election(
            session,
            sibling,
            title=f"{sibling.name}居民委员会委员补选",
            kind=BY_ELECTION,
            seats=1,
            election_day=today + timedelta(days=20),
            term_start=today + timedelta(days=21),
            term_end=election.term_end,
            recall=recall,
            user_id=None,
        )
    assert session.scalar(select(SelfgovElection.id).where(SelfgovElection.id == election.id))


def assembly_meeting(session: Session, community: OrgUnit, title: str, held_on: date, today: date) -> Meeting:
    """A quorate meeting of the community's representatives' assembly (core meetings):
    two thirds of the representatives present."""
    meeting = meetings.create_meeting(
        session,
        ASSEMBLY_KIND,
        community,
        title=title,
        held_on=held_on,
        notice_on=held_on - timedelta(days=5),
        today=today,
    )
    for index, attendance in enumerate(meetings.attendance_of(session, meeting)):
        if index % 3 == 2:
            meetings.sign_in(
                session, meeting, attendance.resident_id, status="absent", absence_reason="外出务工", today=today
            )
        else:
            meetings.sign_in(session, meeting, attendance.resident_id, today=today)
    return meeting


def _seat_representatives(session: Session, community: OrgUnit, people: list[Resident], today: date) -> None:
    body = representatives.assembly_body(session, community)
    if posts.holders(session, community, "representative", on=today):
        return
    for person in people:
        posts.assign(
            session,
            body_id=body.id,
            post_code="representative",
            resident_id=person.id,
            term_start=today - timedelta(days=400),
            note="居民小组推选的成员代表",
        )


def _initiatives(
    session: Session, host: PluginHost, community: OrgUnit, people: list[Resident], today: date, user_id: int
) -> None:
    collecting = initiatives.open_initiative(
        session,
        community,
        title="提议召开临时会议讨论小区停车位划分",
        purpose="小区停车位紧张，部分车位被长期占用，请求召开居民会议讨论划分办法。",
        basis="residents",
        today=today - timedelta(days=3),
        user_id=user_id,
    )
    for person in people[9:11]:
        initiatives.sign(session, host, collecting, person, today=today - timedelta(days=2))
    for title, days_ago, held in (
        ("提议召开临时会议审议加装电梯筹资方案", 5, None),
        ("提议召开临时会议讨论物业服务费调整", 45, None),
        ("提议召开临时会议罢免不履职的居委会委员", 200, 190),
    ):
        initiative = initiatives.open_initiative(
            session,
            community,
            title=title,
            purpose="五分之一以上的户联名提议。",
            basis="households",
            today=today - timedelta(days=days_ago + 2),
            user_id=user_id,
        )
        for person in people:
            if initiative.status != "collecting":
                break
            try:
                initiatives.sign(session, host, initiative, person, today=today - timedelta(days=days_ago))
            except UserInputError:
                continue  # another member of a household that has signed
        if held is not None:
            meeting = assembly_meeting(
                session, community, "社区成员代表大会临时会议", today - timedelta(days=held), today
            )
            meetings.resolve(
                session,
                meeting,
                text="同意启动罢免程序，交由全体代表表决。",
                votes_for=meeting.present_count,
                today=today,
            )
            initiatives.record_meeting(session, host, initiative, meeting, today=today, user_id=user_id)


def _hearings(
    session: Session,
    who: Principal | None,
    host: PluginHost,
    community: OrgUnit,
    people: list[Resident],
    today: date,
    user_id: int,
) -> None:
    done = hearings.open_hearing(
        session,
        community,
        matter="沿街餐饮店油烟扰民整治方案",
        scope="fumes_noise",
        held_on=today - timedelta(days=2),
        user_id=user_id,
    )
    for person in people[9:14]:
        hearings.add_participant(session, done, resident=person, name=None, capacity="居民代表", may_vote=True)
    hearings.add_participant(session, done, resident=None, name="区生态环境分局", capacity="受邀部门", may_vote=False)
    for step in ("topic", "briefing", "discussion", "government_answers"):
        hearings.take_step(session, done, step, note=None, today=today - timedelta(days=2))
    vote = meetings.create_meeting(
        session,
        kinds_for(host)[HEARING_VOTE.code],
        community,
        title=f"听证表决：{done.matter}",
        held_on=today - timedelta(days=1),
        host_type="Hearing",
        host_id=done.id,
        today=today,
    )
    for attendance in meetings.attendance_of(session, vote):
        meetings.sign_in(session, vote, attendance.resident_id, today=today)
    resolution = meetings.resolve(
        session, vote, text="同意限期加装油烟净化设备", votes_for=3, votes_against=1, abstentions=1, today=today
    )
    hearings.record_vote(
        session, done, vote, resolution, result="同意限期加装油烟净化设备，逾期由城管部门依法处理。", today=today
    )
    hearings.publish_result(session, who, done, late_reason=None, today=today, categories=categories_for(host))
    hearings.record_sent(session, done, sent_to="街道办事处城市管理科", sent_on=today, today=today)
    halfway = hearings.open_hearing(
        session, community, matter="小区东门早市占道经营管理", scope="street_stalls", held_on=today, user_id=user_id
    )
    for person in people[14:16]:
        hearings.add_participant(session, halfway, resident=person, name=None, capacity="居民小组长", may_vote=True)
    hearings.take_step(session, halfway, "topic", note="居民反映早市堵塞消防通道", today=today)
    hearings.take_step(session, halfway, "briefing", note=None, today=today)


def _texts(
    session: Session, who: Principal | None, host: PluginHost, community: OrgUnit, today: date, user_id: int
) -> None:
    convention = texts.draft_version(
        session,
        community,
        kind="convention",
        title=f"{community.name}居民公约",
        body="一、爱护公共设施，保持环境整洁。\n二、邻里互助，文明礼让。\n三、遵守养犬规定，文明养犬。",
        discussion="经各居民小组讨论，收集意见 23 条。",
        today=today - timedelta(days=170),
        user_id=user_id,
    )
    meeting = assembly_meeting(session, community, "社区成员代表大会第三次会议", today - timedelta(days=160), today)
    resolution = meetings.resolve(
        session,
        meeting,
        text=f"通过《{community.name}居民公约》。",
        votes_for=meeting.present_count,
        votes_against=0,
        today=today,
    )
    texts.adopt(session, who, convention, resolution, today=today, categories=categories_for(host))
    texts.draft_version(
        session,
        community,
        kind="charter",
        title=f"{community.name}居民自治章程",
        body="第一条 本章程适用于本社区全体成员。\n第二条 社区成员代表大会是社区居民自治的决策机构。",
        discussion=None,
        today=today,
        user_id=user_id,
    )


def _building_heads(session: Session, community: OrgUnit, people: list[Resident], today: date, user_id: int) -> None:
    buildings = list(
        session.scalars(
            select(OrgUnit)
            .where(in_subtree(OrgUnit.path, community.path), OrgUnit.level == "building")
            .order_by(OrgUnit.id)
        )
    )
    placed = 0
    for building in buildings:
        if building_heads.current_head(session, building, today) is not None:
            continue
        residents = list(
            session.scalars(
                select(Resident)
                .where(residents_taking_part(session, community, today), in_subtree(Resident.org_path, building.path))
                .order_by(Resident.id)
                .limit(2)
            )
        )
        if len(residents) < 2:
            continue
        if placed == 0:
            nomination = building_heads.nominate(
                session,
                community,
                building,
                residents[0],
                method="co",
                recommenders=[residents[1]],
                today=today - timedelta(days=20),
                user_id=user_id,
            )
            objection = building_heads.object_to(
                session,
                community,
                nomination,
                residents[1],
                reason="该居民经常外出，恐难以履职。",
                today=today - timedelta(days=19),
            )
            building_heads.answer_objection(session, objection, "经核实，本人已退休常住本楼，可以履职。")
            building_heads.appoint(session, nomination, today=today, term_end=None)
        else:
            building_heads.nominate(
                session, community, building, residents[0], method="self", recommenders=[], today=today, user_id=user_id
            )
            return
        placed += 1
