"""Results of a meeting on the public board (DOMAIN 3.1, 3.3): where the
kind says so, the adopted resolutions are drafted as a notice on the
meeting's unit's board (``core.board``), due within the kind's policy number
of days after the meeting. The notice follows the board's own review and
publication; the meeting shows whether it was on time."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.board import service as board
from core.board.models import PUBLISHED, Notice
from core.meetings.kinds import MeetingKind
from core.meetings.models import Meeting, MeetingResolution
from core.policy.service import CHINA_STANDARD_TIME

SOURCE = "meetings"
CATEGORY = "community_affairs"


def draft_results(session: Session, who: Any, meeting: Meeting, kind: MeetingKind, *, registry: Any = None) -> Notice:
    """Draft the notice of the meeting's results (drafter: ``board.draft``)."""
    if kind.publish_within is None:
        raise UserInputError("NOT_PUBLISHED_KIND", f"“{kind.name}”的结果不在公开栏公开。", "meetingId")
    if meeting.closed_at is None:
        raise UserInputError("MEETING_NOT_CLOSED", "会议结束归档后方可公开结果。", "meetingId")
    if meeting.results_notice_id is not None:
        raise UserInputError("ALREADY_DRAFTED", "该会议的结果公告已拟好。", "meetingId")
    resolutions = list(
        session.scalars(
            select(MeetingResolution).where(MeetingResolution.meeting_id == meeting.id).order_by(MeetingResolution.id)
        )
    )
    lines = [
        f"{meeting.held_on} 召开{kind.name}“{meeting.title}”，应到 {meeting.expected_count} 人，实到 {meeting.present_count} 人。"
    ]
    for index, item in enumerate(resolutions, start=1):
        outcome = "通过" if item.adopted else "未通过"
        lines.append(
            f"{index}. {item.text}（赞成 {item.votes_for}，反对 {item.votes_against}，弃权 {item.abstentions}，{outcome}）"
        )
    if not resolutions:
        lines.append("本次会议未作出决议。")
    notice = board.draft_notice(
        session,
        who,
        org_unit=meeting.org_unit_id,
        title=f"{kind.name}决定公告（{meeting.held_on}）"[:200],
        body="\n".join(lines),
        category=CATEGORY,
        publisher_label=kind.name[:100],
        source_plugin=SOURCE,
        source_key=f"meeting:{meeting.id}",
        registry=registry,
    )
    meeting.results_notice_id = notice.id
    session.flush()
    return notice


def published_on(session: Session, meeting: Meeting) -> date | None:
    """The day the results notice went on the board, if it has."""
    if meeting.results_notice_id is None:
        return None
    notice = session.get(Notice, meeting.results_notice_id)
    if notice is None or notice.published_at is None or notice.status != PUBLISHED:
        return None
    return notice.published_at.astimezone(CHINA_STANDARD_TIME).date()


def results_late(session: Session, meeting: Meeting, today: date) -> bool:
    """Whether the results are (or went) on the board after they were due."""
    if meeting.results_due_on is None:
        return False
    on = published_on(session, meeting)
    return (on or today) > meeting.results_due_on
