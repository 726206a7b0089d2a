"""Hearings (听证会, DOMAIN 2.7; seed 000).

Convened and chaired by the residents' committee on a matter residents care
about. The committee decides who takes part and who votes
("听证表决权,由社区居委会确定"). The five steps are taken in order: topic →
the committee's briefing → discussion → the government's answers on law
and policy → the vote. The result is published on the public board within
the policy's days ("三日内") and sent in writing to the department or street
office concerned, with the date. The vote itself is a core meeting of the
kind ``self_governance.hearing`` held for the hearing: its roster is those
with a vote, and core's quorum and majority rules (policy) decide.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.board import service as board
from core.board.models import Notice
from core.meetings import service as meetings
from core.meetings.models import Meeting, MeetingResolution
from core.org.models import OrgUnit
from core.people.models import Resident
from core.policy.service import resolve
from plugins.self_governance.common import check_taking_part, clean_text
from plugins.self_governance.declarations import HEARING_PUBLICATION_DAYS, PLUGIN
from plugins.self_governance.meeting_kinds import HEARING_VOTE
from plugins.self_governance.models import (
    ANSWERS,
    HEARING_SCOPES,
    HEARING_STEPS,
    NAME_LENGTH,
    REASON_LENGTH,
    TITLE_LENGTH,
    VOTE,
    SelfgovHearing,
    SelfgovHearingParticipant,
    SelfgovHearingStep,
)

STEP_ORDER = tuple(HEARING_STEPS)


def open_hearing(
    session: Session, community: OrgUnit, *, matter: str, scope: str, held_on: date, user_id: int | None
) -> SelfgovHearing:
    clean = clean_text(matter, field="matter", what="听证事项", limit=TITLE_LENGTH)
    if scope not in HEARING_SCOPES:
        raise UserInputError(
            "UNKNOWN_SCOPE", f"听证范围须为：{'、'.join(f'{k}（{v}）' for k, v in HEARING_SCOPES.items())}。", "scope"
        )
    hearing = SelfgovHearing(
        org_unit_id=community.id,
        org_path=community.path,
        matter=clean,
        scope=scope,
        held_on=held_on,
        created_by_id=user_id,
    )
    session.add(hearing)
    session.flush()
    return hearing


def add_participant(
    session: Session,
    hearing: SelfgovHearing,
    *,
    resident: Resident | None,
    name: str | None,
    capacity: str,
    may_vote: bool,
) -> SelfgovHearingParticipant:
    """A participant named by the committee: a resident from the registry,
    or by name a department, street-office or unit representative (who
    attend when invited, without a vote)."""
    if hearing.step == VOTE:
        raise UserInputError("ALREADY_VOTED", "听证已表决，不能再调整参加人员。", "hearingId")
    role = clean_text(
        capacity, field="capacity", what="参加身份（如居民代表、居民小组长、街道办事处）", limit=NAME_LENGTH
    )
    if (resident is None) == (name is None or not name.strip()):
        raise UserInputError("RESIDENT_OR_NAME", "请在居民和单位（部门）名称中选填一项。", "residentId")
    if resident is None and may_vote:
        raise UserInputError("OUTSIDE_VOTER", "受邀列席的部门、街道和单位代表没有听证表决权。", "mayVote")
    if resident is not None:
        community = session.get(OrgUnit, hearing.org_unit_id)
        assert community is not None
        check_taking_part(session, community, resident, hearing.held_on, field="residentId", who="听证人员")
        duplicate = session.scalar(
            select(SelfgovHearingParticipant.id).where(
                SelfgovHearingParticipant.hearing_id == hearing.id, SelfgovHearingParticipant.resident_id == resident.id
            )
        )
        if duplicate is not None:
            raise UserInputError("DUPLICATE", f"{resident.name}已在听证人员名单中。", "residentId")
    participant = SelfgovHearingParticipant(
        hearing_id=hearing.id,
        resident_id=resident.id if resident else None,
        name=resident.name
        if resident
        else clean_text(name, field="name", what="单位（部门）名称", limit=NAME_LENGTH) or "",
        capacity=role or "",
        may_vote=may_vote,
    )
    session.add(participant)
    session.flush()
    return participant


def voters(session: Session, hearing_id: int) -> int:
    return int(
        session.scalar(
            select(func.count()).where(
                SelfgovHearingParticipant.hearing_id == hearing_id, SelfgovHearingParticipant.may_vote.is_(True)
            )
        )
        or 0
    )


def _next_step(hearing: SelfgovHearing) -> str | None:
    index = -1 if hearing.step is None else STEP_ORDER.index(hearing.step)
    return STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None


def take_step(session: Session, hearing: SelfgovHearing, step: str, *, note: str | None, today: date) -> SelfgovHearing:
    """Take one of the first four steps; only the next one in order."""
    if step not in STEP_ORDER or step == VOTE:
        raise UserInputError(
            "UNKNOWN_STEP", "步骤须为 topic、briefing、discussion 或 government_answers；表决另行登记。", "step"
        )
    if today < hearing.held_on:
        raise UserInputError("NOT_YET_HELD", f"听证会定于 {hearing.held_on} 召开，尚不能登记程序。", "hearingId")
    expected = _next_step(hearing)
    if step != expected:
        raise UserInputError(
            "STEP_OUT_OF_ORDER",
            f"听证程序须依次进行；下一步应为“{HEARING_STEPS[expected] if expected else '（已完成）'}”，不能进行“{HEARING_STEPS[step]}”。",
            "step",
        )
    if step == STEP_ORDER[0] and voters(session, hearing.id) == 0:
        raise UserInputError("NO_VOTERS", "请先确定有表决权的听证人员，再开始听证。", "hearingId")
    session.add(SelfgovHearingStep(hearing_id=hearing.id, step=step, note=(note or "").strip() or None))
    hearing.step = step
    session.flush()
    return hearing


def record_vote(
    session: Session,
    hearing: SelfgovHearing,
    meeting: Meeting,
    resolution: MeetingResolution,
    *,
    result: str,
    today: date,
) -> SelfgovHearing:
    """The fifth step, only after the government's answers: the resolution of
    the hearing's vote, a core meeting held for this hearing whose roster is
    those with a vote (below quorum core resolves nothing). Its counts and
    whether it was adopted are the hearing's."""
    if hearing.step != ANSWERS:
        expected = _next_step(hearing)
        raise UserInputError(
            "STEP_OUT_OF_ORDER",
            f"表决须在政府部门解答之后进行；下一步应为“{HEARING_STEPS[expected] if expected else '（已完成）'}”。",
            "hearingId",
        )
    if meeting.kind != HEARING_VOTE.code or meeting.host_type != "Hearing" or meeting.host_id != hearing.id:
        raise UserInputError("WRONG_MEETING", "须为本次听证会召开的表决会议的决议。", "resolutionId")
    if resolution.meeting_id != meeting.id or not meeting.quorate:
        raise UserInputError("QUORUM_NOT_MET", "该次表决到会人数未达到规定，不能作出决定。", "resolutionId")
    text = clean_text(result, field="result", what="听证结果", limit=None)
    session.add(SelfgovHearingStep(hearing_id=hearing.id, step=VOTE))
    hearing.step = VOTE
    hearing.votes_for, hearing.votes_against, hearing.abstentions = (
        resolution.votes_for,
        resolution.votes_against,
        resolution.abstentions,
    )
    hearing.passed = resolution.adopted
    hearing.result = text
    hearing.decided_on = meeting.held_on
    meetings.link_subject(session, resolution, "Hearing", hearing.id)
    session.flush()
    return hearing


def publication_due(session: Session, hearing: SelfgovHearing) -> date | None:
    if hearing.decided_on is None:
        return None
    community = session.get(OrgUnit, hearing.org_unit_id)
    assert community is not None
    return hearing.decided_on + timedelta(
        days=int(resolve(session, community, HEARING_PUBLICATION_DAYS, hearing.decided_on))
    )


def publish_result(
    session: Session, who: Any, hearing: SelfgovHearing, *, late_reason: str | None, today: date, categories: Any
) -> Notice:
    """Draft the result's notice on the community's board (it then goes
    through the party organization's approval like every notice). After the
    policy's days it is refused unless the delay is explained."""
    if hearing.step != VOTE or hearing.decided_on is None:
        raise UserInputError("NOT_VOTED", "听证尚未表决，没有可公布的结果。", "hearingId")
    if hearing.notice_id is not None:
        raise UserInputError("ALREADY_DRAFTED", "听证结果公告已起草。", "hearingId")
    due = publication_due(session, hearing)
    assert due is not None
    reason = clean_text(late_reason, field="lateReason", what="逾期原因", limit=REASON_LENGTH, required=False)
    if today > due and reason is None:
        raise UserInputError(
            "PUBLICATION_LATE",
            f"听证结果应于 {due} 前在公开栏公布，已逾期；请填写逾期原因后再公布。",
            "lateReason",
        )
    if today <= due and reason is not None:
        raise UserInputError("LATE_REASON_UNUSED", "未逾期，不填写逾期原因。", "lateReason")
    outcome = "通过" if hearing.passed else "未通过"
    body = (
        f"听证事项：{hearing.matter}\n听证日期：{hearing.held_on}\n"
        f"表决结果：赞成 {hearing.votes_for} 票，反对 {hearing.votes_against} 票，弃权 {hearing.abstentions} 票，{outcome}。\n"
        f"{hearing.result}"
    )
    notice = board.draft_notice(
        session,
        who,
        org_unit=hearing.org_unit_id,
        title=f"听证结果公告：{hearing.matter}"[:TITLE_LENGTH],
        body=body,
        category="community_affairs",
        publisher_label="社区居民委员会",
        source_plugin=PLUGIN,
        source_key=f"hearing:{hearing.id}",
        categories=categories,
    )
    hearing.notice_id = notice.id
    hearing.publication_drafted_on = today
    hearing.late_reason = reason
    session.flush()
    return notice


def record_sent(
    session: Session, hearing: SelfgovHearing, *, sent_to: str, sent_on: date, today: date
) -> SelfgovHearing:
    """The written result sent to the department or street office concerned."""
    if hearing.decided_on is None:
        raise UserInputError("NOT_VOTED", "听证尚未表决，没有可送达的结果。", "hearingId")
    if sent_on < hearing.decided_on or sent_on > today:
        raise UserInputError("INVALID_DATE", f"送达日期须在表决日（{hearing.decided_on}）和今天之间。", "sentOn")
    hearing.sent_to = clean_text(sent_to, field="sentTo", what="送达的部门或街道办事处", limit=TITLE_LENGTH)
    hearing.sent_on = sent_on
    session.flush()
    return hearing
