"""Yearly democratic appraisal (民主评议, DOMAIN 2.7 and 3.7; seeds 000, 001):
the representatives appraise each member of the residents' committee at a
meeting of the assembly (core meetings, quorate) — 称职, 基本称职 or 不称职 —
once a year, owed through the reporting calendar. A member's result is the
grade with the most votes (a tie goes to the lower grade)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.meetings.builtin import REPRESENTATIVES_ASSEMBLY
from core.meetings.models import Meeting
from core.org.models import OrgUnit
from core.plugin_host import PluginHost
from core.posts import service as posts
from core.posts.kinds import RESIDENTS_COMMITTEE
from core.posts.models import Body, PostAssignment
from core.reporting import service as reporting
from core.reporting.models import DONE_STATUSES, ObligationInstance
from plugins.self_governance.models import (
    ELECTED_POSTS,
    SelfgovAppraisal,
    SelfgovAppraisalRating,
)

APPRAISAL_OBLIGATION = "self_governance.democratic_appraisal"


@dataclass(frozen=True)
class Rating:
    assignment: PostAssignment
    satisfied: int
    basically_satisfied: int
    unsatisfied: int


def grade_of(rating: SelfgovAppraisalRating) -> str:
    counts = [
        ("unsatisfied", rating.unsatisfied),
        ("basically_satisfied", rating.basically_satisfied),
        ("satisfied", rating.satisfied),
    ]
    # The most votes; on a tie the lower grade (listed first) wins.
    return max(counts, key=lambda item: item[1])[0]


def _members_on(session: Session, community: OrgUnit, on: date) -> list[PostAssignment]:
    return list(
        session.scalars(
            select(PostAssignment)
            .join(Body, Body.id == PostAssignment.body_id)
            .where(
                Body.org_unit_id == community.id,
                Body.kind == RESIDENTS_COMMITTEE,
                PostAssignment.post_code.in_(ELECTED_POSTS),
                posts.holds_on(on),
            )
        )
    )


def record(
    session: Session,
    host: PluginHost,
    community: OrgUnit,
    meeting: Meeting,
    ratings: Sequence[Rating],
    *,
    user_id: int | None,
    today: date,
) -> SelfgovAppraisal:
    if meeting.kind != REPRESENTATIVES_ASSEMBLY or meeting.org_unit_id != community.id:
        raise UserInputError("WRONG_MEETING", "民主评议须在本社区的社区成员代表大会上进行。", "meetingId")
    if meeting.held_on > today:
        raise UserInputError("NOT_HELD_YET", "该次会议尚未召开。", "meetingId")
    if not meeting.quorate:
        raise UserInputError("QUORUM_NOT_MET", "该次会议到会代表未达到规定人数，不能进行民主评议。", "meetingId")
    year = meeting.held_on.year
    if session.scalar(
        select(SelfgovAppraisal.id).where(SelfgovAppraisal.org_unit_id == community.id, SelfgovAppraisal.year == year)
    ):
        raise UserInputError("ALREADY_APPRAISED", f"{year} 年的民主评议已经登记。", "meetingId")
    members = {a.id for a in _members_on(session, community, meeting.held_on)}
    problems: list[ErrorDetail] = []
    seen: set[int] = set()
    for index, rating in enumerate(ratings):
        field = f"ratings.{index}"
        if rating.assignment.id not in members:
            problems.append(
                ErrorDetail("NOT_A_MEMBER", "被评议人须为会议当日在任的本社区居委会成员。", f"{field}.assignmentId")
            )
        if rating.assignment.id in seen:
            problems.append(ErrorDetail("DUPLICATE", "同一成员只评议一次。", f"{field}.assignmentId"))
        seen.add(rating.assignment.id)
        votes = (rating.satisfied, rating.basically_satisfied, rating.unsatisfied)
        if min(votes) < 0 or sum(votes) > meeting.present_count:
            problems.append(
                ErrorDetail(
                    "TOO_MANY_VOTES",
                    f"票数须为非负数，合计不超过到会代表 {meeting.present_count} 人。",
                    f"{field}.satisfied",
                )
            )
    missing = members - seen
    if missing:
        problems.append(
            ErrorDetail("MEMBER_NOT_APPRAISED", f"还有 {len(missing)} 名在任居委会成员未评议，须逐一评议。", "ratings")
        )
    if problems:
        raise UserInputError(errors=problems)
    appraisal = SelfgovAppraisal(
        org_unit_id=community.id, org_path=community.path, year=year, meeting_id=meeting.id, recorded_by_id=user_id
    )
    session.add(appraisal)
    session.flush()
    for rating in ratings:
        session.add(
            SelfgovAppraisalRating(
                appraisal_id=appraisal.id,
                assignment_id=rating.assignment.id,
                satisfied=rating.satisfied,
                basically_satisfied=rating.basically_satisfied,
                unsatisfied=rating.unsatisfied,
            )
        )
    instance = session.scalar(
        select(ObligationInstance).where(
            ObligationInstance.type_code == APPRAISAL_OBLIGATION,
            ObligationInstance.org_unit_id == community.id,
            ObligationInstance.period_start == date(year, 1, 1),
        )
    )
    if (
        instance is not None
        and instance.status not in DONE_STATUSES
        and not reporting.is_locked(session, host, instance, today)
    ):
        reporting.submit(
            session, host, instance, user_id=user_id, note=f"{year} 年民主评议（{meeting.title}）", today=today
        )
    session.flush()
    return appraisal
