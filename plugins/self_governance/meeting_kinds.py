"""The meetings of self-governance, declared to core meetings
(``register_meeting_kinds``) with the cadences they owe (DOMAIN 2.7, 3.3):

- the members' representative assembly is core's built-in kind; this plugin
  attaches its half-yearly cadence ("每半年召开一次", 000);
- the residents' committee's plenary and each working committee meet
  monthly (000), rosters from core posts;
- the 议事协调会 (004): the community's building heads plus the party
  secretary who chairs it, "原则上每月不少于一次"; its adopted resolutions are
  its 一事一约 agreements;
- a hearing's vote (听证会, 000): a meeting held for the hearing whose roster
  is the participants the committee gave a vote.

Quorum and majority of each kind are policy (DOMAIN 3.2); the seeds give
"过半数" for the assembly and name no rule for the others, so the defaults
follow the assembly's reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from core.meetings.builtin import REPRESENTATIVES_ASSEMBLY
from core.meetings.kinds import (
    MeetingKind,
    MeetingObligation,
    PluginRoster,
    PostRoster,
    RosterContext,
    RosterEntry,
)
from core.meetings.rules import EXPECTED, MORE_THAN_HALF, PRESENT, rule_keys
from core.org.service import in_subtree
from core.people.models import Resident
from core.policy.keys import PolicyKey, ValueType
from core.posts import service as posts
from core.posts.kinds import RESIDENTS_COMMITTEE
from core.posts.models import Body, PostAssignment
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS
from plugins.self_governance.declarations import MANAGE, VIEW

BUILDING_HEAD = "building_head"
SECRETARY = "secretary"


def _day_key(code: str, name: str, default: int) -> PolicyKey:
    return PolicyKey(
        key=f"self_governance.{code}.due_day",
        type=ValueType.DAY_OF_MONTH,
        default=default,
        description=f"{name}的登记截止日：期末次月第几日前登记会议（种子材料只规定会议周期，未规定登记期限；由地方确定）",
    )


ASSEMBLY_DUE_DAY = _day_key("assembly", "社区成员代表大会半年例会", 10)
COMMITTEE_DUE_DAY = _day_key("committee_meeting", "居委会全体会议", 5)
WORKING_DUE_DAY = _day_key("working_committee_meeting", "居委会下属委员会会议", 5)
COUNCIL_DUE_DAY = _day_key("deliberation_council", "议事协调会", 5)

APPRAISAL_DUE_DAY = PolicyKey(
    key="self_governance.appraisal.due_day",
    type=ValueType.DAY_OF_MONTH,
    default=31,
    description="年度民主评议的登记截止日：次年一月第几日前登记（种子材料 000 只要求年终评议，未规定期限；由地方确定）",
)
DEMOCRATIC_APPRAISAL = ObligationType(
    code="self_governance.democratic_appraisal",
    name="居委会成员年度民主评议",
    kind="meeting",
    levels=(ROLE_GRASSROOTS,),
    recurrence="yearly",
    due=DueRule(APPRAISAL_DUE_DAY.key, month_offset=1),
    description="年终由成员代表对居委会成员进行民主评议（种子材料 000、001），在社区成员代表大会上进行并登记结果。",
    generic_submission=False,
)
ASSEMBLY_HALF_YEARLY = ObligationType(
    code="self_governance.assembly_half_yearly",
    name="社区成员代表大会半年例会",
    kind="meeting",
    levels=(ROLE_GRASSROOTS,),
    recurrence="half_yearly",
    due=DueRule(ASSEMBLY_DUE_DAY.key, month_offset=1),
    description="社区成员代表大会由居委会召集，每半年召开一次（种子材料 000）；到会过半数的代表大会会议即履行本期义务。",
    generic_submission=False,
)
COMMITTEE_MONTHLY = ObligationType(
    code="self_governance.committee_monthly",
    name="居委会全体会议",
    kind="meeting",
    levels=(ROLE_GRASSROOTS,),
    recurrence="monthly",
    due=DueRule(COMMITTEE_DUE_DAY.key, month_offset=1),
    description="居民委员会全体成员会议每月召开一次（种子材料 000）。",
    generic_submission=False,
)
WORKING_MONTHLY = ObligationType(
    code="self_governance.working_committee_monthly",
    name="居委会下属委员会会议",
    kind="meeting",
    levels=(ROLE_GRASSROOTS,),
    recurrence="monthly",
    due=DueRule(WORKING_DUE_DAY.key, month_offset=1),
    description="居委会下属各工作委员会每月召开一次会议（种子材料 000）。",
    generic_submission=False,
)
COUNCIL_MONTHLY = ObligationType(
    code="self_governance.deliberation_council_monthly",
    name="议事协调会",
    kind="meeting",
    levels=(ROLE_GRASSROOTS,),
    recurrence="monthly",
    due=DueRule(COUNCIL_DUE_DAY.key, month_offset=1),
    description="议事协调会“原则上每月不少于一次”（种子材料 004）。",
    generic_submission=False,
)

COMMITTEE_MEETING = MeetingKind(
    code="self_governance.committee_meeting",
    name="居委会全体会议",
    roster=PostRoster(("chair", "vice_chair", "member"), body_kind=RESIDENTS_COMMITTEE),
    quorum=rule_keys(
        "self_governance.committee_meeting.quorum", rule=MORE_THAN_HALF, base=None, what="居委会全体会议到会人数要求"
    ),
    resolution=rule_keys(
        "self_governance.committee_meeting.majority",
        rule=MORE_THAN_HALF,
        base=PRESENT,
        what="居委会全体会议决定所需赞成票",
    ),
    minutes_required=True,
    obligation=COMMITTEE_MONTHLY.code,
    view_permission=VIEW.code,
    manage_permission=MANAGE.code,
    description="居民委员会主任、副主任和委员（核心职务）每月召开的全体会议。",
)
WORKING_COMMITTEE_MEETING = MeetingKind(
    code="self_governance.working_committee_meeting",
    name="居委会下属委员会会议",
    roster=PostRoster(("chair", "member"), body_kind="working_committee"),
    quorum=rule_keys(
        "self_governance.working_committee_meeting.quorum",
        rule=MORE_THAN_HALF,
        base=None,
        what="下属委员会会议到会人数要求",
    ),
    resolution=rule_keys(
        "self_governance.working_committee_meeting.majority",
        rule=MORE_THAN_HALF,
        base=PRESENT,
        what="下属委员会会议决定所需赞成票",
    ),
    minutes_required=True,
    obligation=WORKING_MONTHLY.code,
    view_permission=VIEW.code,
    manage_permission=MANAGE.code,
    description="服务、治安调解、计划生育等工作委员会（由一名居委会成员牵头、居民代表参加）每月的会议。",
)


def council_roster(context: RosterContext) -> list[RosterEntry]:
    """议事协调会: the party secretary of the community (chair) and the building
    heads of the community's buildings, on the meeting's day (core posts)."""
    session, unit, on = context.session, context.unit, context.on
    entries: list[RosterEntry] = []
    seen: set[int] = set()

    def add(rows: Sequence[Row[int, str]], role: str) -> None:
        for resident_id, name in rows:
            if resident_id not in seen:
                seen.add(resident_id)
                entries.append(RosterEntry(resident_id, name, role))

    add(_holders(session, unit.path, SECRETARY, on, exact_unit=unit.id), "召集人（党组织书记）")
    add(_holders(session, unit.path, BUILDING_HEAD, on, exact_unit=None), "楼栋长")
    return entries


def _holders(session: Session, path: str, post: str, on: date, *, exact_unit: int | None) -> Sequence[Row[int, str]]:
    statement = (
        select(PostAssignment.resident_id, Resident.name)
        .join(Body, Body.id == PostAssignment.body_id)
        .join(Resident, Resident.id == PostAssignment.resident_id)
        .where(PostAssignment.post_code == post, posts.holds_on(on))
        .order_by(PostAssignment.term_start, PostAssignment.id)
    )
    statement = (
        statement.where(Body.org_unit_id == exact_unit)
        if exact_unit is not None
        else statement.where(in_subtree(Body.org_path, path))
    )
    return session.execute(statement).all()


DELIBERATION_COUNCIL = MeetingKind(
    code="self_governance.deliberation_council",
    name="议事协调会",
    roster=PluginRoster(council_roster),
    quorum=rule_keys(
        "self_governance.deliberation_council.quorum", rule=MORE_THAN_HALF, base=None, what="议事协调会到会人数要求"
    ),
    resolution=rule_keys(
        "self_governance.deliberation_council.majority",
        rule=MORE_THAN_HALF,
        base=PRESENT,
        what="议事协调会“一事一约”通过所需赞成票",
    ),
    minutes_required=True,
    obligation=COUNCIL_MONTHLY.code,
    view_permission=VIEW.code,
    manage_permission=MANAGE.code,
    description="楼栋长和社区党组织书记（主持）组成，受党组织和居委会授权议事、监督、协调；通过的决议即“一事一约”，向居民公布。",
)


def hearing_roster(context: RosterContext) -> list[RosterEntry]:
    """A hearing's vote: the participants the committee gave a vote (听证表决权由社区居委会确定)."""
    from plugins.self_governance.models import SelfgovHearing, SelfgovHearingParticipant

    if context.host_type != "Hearing" or context.host_id is None:
        return []
    hearing = context.session.get(SelfgovHearing, context.host_id)
    if hearing is None or hearing.org_unit_id != context.unit.id:
        return []
    rows = context.session.scalars(
        select(SelfgovHearingParticipant)
        .where(
            SelfgovHearingParticipant.hearing_id == hearing.id,
            SelfgovHearingParticipant.may_vote.is_(True),
            SelfgovHearingParticipant.resident_id.is_not(None),
        )
        .order_by(SelfgovHearingParticipant.id)
    )
    return [RosterEntry(row.resident_id, row.name, row.capacity) for row in rows if row.resident_id is not None]


HEARING_VOTE = MeetingKind(
    code="self_governance.hearing",
    name="听证会表决",
    roster=PluginRoster(hearing_roster),
    quorum=rule_keys(
        "self_governance.hearing.quorum", rule=MORE_THAN_HALF, base=None, what="听证会有表决权人员到会要求"
    ),
    resolution=rule_keys(
        "self_governance.hearing.majority",
        rule=MORE_THAN_HALF,
        base=EXPECTED,
        fraction="1/2",
        what="听证事项通过所需赞成票（种子材料 000 未给比例，默认有表决权人员过半数）",
    ),
    minutes_required=True,
    host_type="Hearing",
    view_permission=VIEW.code,
    manage_permission=MANAGE.code,
    description="听证会的第五步：由居委会确定的有表决权的听证人员签到表决；居民可以旁听。",
)

MEETING_KINDS = (COMMITTEE_MEETING, WORKING_COMMITTEE_MEETING, DELIBERATION_COUNCIL, HEARING_VOTE)
ATTACHED = (MeetingObligation(kind=REPRESENTATIVES_ASSEMBLY, obligation=ASSEMBLY_HALF_YEARLY.code),)
OBLIGATION_TYPES = (DEMOCRATIC_APPRAISAL, ASSEMBLY_HALF_YEARLY, COMMITTEE_MONTHLY, WORKING_MONTHLY, COUNCIL_MONTHLY)
POLICY_KEYS = (
    APPRAISAL_DUE_DAY,
    ASSEMBLY_DUE_DAY,
    COMMITTEE_DUE_DAY,
    WORKING_DUE_DAY,
    COUNCIL_DUE_DAY,
    *(key for kind in MEETING_KINDS for key in kind.policy_keys()),
)
