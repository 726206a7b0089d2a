"""The supervisory board (监事会) and the association (计划生育协会): members
from the registry and posts, reviews with findings and their follow-up,
activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail
from core.org.models import OrgUnit
from core.people.models import Resident
from core.posts.models import PostAssignment
from plugins.family_planning import declarations as d
from plugins.family_planning.models import (
    Activity,
    AssociationMember,
    BoardMember,
    Finding,
    Review,
)
from plugins.family_planning.service import choice, not_future, raise_if, text


def _current_association_member(session: Session, unit: OrgUnit, resident_id: int) -> AssociationMember | None:
    return session.scalar(
        select(AssociationMember).where(
            AssociationMember.org_unit_id == unit.id, AssociationMember.resident_id == resident_id
        )
    )


def add_association_member(
    session: Session, unit: OrgUnit, resident: Resident, *, role: str, joined_on: date, today: date
) -> AssociationMember:
    problems: list[ErrorDetail] = []
    choice(role, d.ASSOCIATION_ROLES, "role", "会内职务", problems)
    not_future(joined_on, today, "joinedOn", problems)
    if not resident.org_path.startswith(unit.path):
        problems.append(ErrorDetail("OUTSIDE_UNIT", "会员须为本社区（村）的居民。", "residentId"))
    if _current_association_member(session, unit, resident.id) is not None:
        problems.append(ErrorDetail("ALREADY_MEMBER", "该居民已是本会会员。", "residentId"))
    raise_if(problems)
    member = AssociationMember(
        org_unit_id=unit.id, org_path=unit.path, resident_id=resident.id, role=role, joined_on=joined_on
    )
    session.add(member)
    session.flush()
    return member


def record_activity(
    session: Session,
    unit: OrgUnit,
    *,
    title: str,
    kind: str,
    held_on: date,
    participants: int,
    user_id: int | None,
    today: date,
) -> Activity:
    problems: list[ErrorDetail] = []
    clean = text(title, "title", "活动名称", problems, limit=200)
    choice(kind, d.ACTIVITY_KINDS, "kind", "活动类别", problems)
    not_future(held_on, today, "heldOn", problems)
    if participants < 0:
        problems.append(ErrorDetail("OUT_OF_RANGE", "参加人数不能为负数。", "participants"))
    raise_if(problems)
    activity = Activity(
        org_unit_id=unit.id,
        org_path=unit.path,
        title=clean,
        kind=kind,
        held_on=held_on,
        participants=participants,
        recorded_by_id=user_id,
    )
    session.add(activity)
    session.flush()
    return activity


def current_board(session: Session, unit: OrgUnit, on: date) -> list[BoardMember]:
    return list(
        session.scalars(
            select(BoardMember)
            .where(BoardMember.org_unit_id == unit.id, BoardMember.joined_on <= on)
            .where((BoardMember.left_on.is_(None)) | (BoardMember.left_on > on))
            .order_by(BoardMember.id)
        )
    )


def add_board_member(
    session: Session, unit: OrgUnit, resident: Resident, *, seat: str, joined_on: date, today: date
) -> BoardMember:
    """A resident representative or an association member of the unit; the
    post the resident holds (if any) is linked from core posts."""
    problems: list[ErrorDetail] = []
    choice(seat, d.BOARD_SEATS, "seat", "席位", problems)
    not_future(joined_on, today, "joinedOn", problems)
    if not resident.org_path.startswith(unit.path):
        problems.append(ErrorDetail("OUTSIDE_UNIT", "监事会成员须为本社区（村）的居民。", "residentId"))
    if seat == "association_member" and _current_association_member(session, unit, resident.id) is None:
        problems.append(ErrorDetail("NOT_ASSOCIATION_MEMBER", "以计生协会会员身份加入，须先是本会会员。", "residentId"))
    if any(m.resident_id == resident.id for m in current_board(session, unit, today)):
        problems.append(ErrorDetail("ALREADY_MEMBER", "该居民已是监事会成员。", "residentId"))
    raise_if(problems)
    post = session.scalar(
        select(PostAssignment.id)
        .where(PostAssignment.resident_id == resident.id, PostAssignment.ended_on.is_(None))
        .order_by(PostAssignment.id)
        .limit(1)
    )
    member = BoardMember(
        org_unit_id=unit.id,
        org_path=unit.path,
        resident_id=resident.id,
        seat=seat,
        post_assignment_id=post,
        joined_on=joined_on,
    )
    session.add(member)
    session.flush()
    return member


@dataclass(frozen=True)
class FindingInput:
    description: str
    due_on: date | None


def record_review(
    session: Session,
    unit: OrgUnit,
    *,
    reviewed_on: date,
    checks: dict[str, bool],
    summary: str,
    findings: list[FindingInput],
    user_id: int | None,
    today: date,
) -> Review:
    """A review by a sitting board; every check answered, a failed check
    needs at least one finding to follow up."""
    problems: list[ErrorDetail] = []
    clean = text(summary, "summary", "检查结论", problems)
    not_future(reviewed_on, today, "reviewedOn", problems)
    if not current_board(session, unit, reviewed_on):
        problems.append(ErrorDetail("NO_BOARD", "本社区（村）在检查日没有监事会成员，不能登记监督检查。", "orgUnitId"))
    if not all(checks.values()) and not findings:
        problems.append(
            ErrorDetail("FINDINGS_REQUIRED", "检查发现不符合要求的，须登记发现的问题以便跟进整改。", "findings")
        )
    for index, finding in enumerate(findings):
        text(finding.description, f"findings.{index}.description", "问题描述", problems)
    raise_if(problems)
    review = Review(
        org_unit_id=unit.id,
        org_path=unit.path,
        reviewed_on=reviewed_on,
        summary=clean,
        recorded_by_id=user_id,
        **checks,
    )
    session.add(review)
    session.flush()
    for finding in findings:
        session.add(
            Finding(
                review_id=review.id,
                org_unit_id=unit.id,
                org_path=unit.path,
                description=finding.description.strip(),
                due_on=finding.due_on,
            )
        )
    session.flush()
    return review


def resolve_finding(session: Session, finding: Finding, *, follow_up: str, resolved_on: date, today: date) -> Finding:
    problems: list[ErrorDetail] = []
    if finding.resolved_on is not None:
        problems.append(ErrorDetail("ALREADY_RESOLVED", "该问题已整改完毕。", "findingId"))
    clean = text(follow_up, "followUp", "整改情况", problems)
    not_future(resolved_on, today, "resolvedOn", problems)
    raise_if(problems)
    finding.follow_up, finding.resolved_on = clean, resolved_on
    session.flush()
    return finding
