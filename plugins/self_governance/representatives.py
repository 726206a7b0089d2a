"""The members' representative assembly's representatives (社区成员代表,
DOMAIN 2.7; seed 000): residents 18+ with electoral rights, "每个居民小组
2至3名" plus representatives of resident units (驻区单位), "不少于30名", for
the committee's term. Each is a ``representative`` post in the community's
``representatives_assembly`` body (core posts, so the assembly's roster in
core meetings is these posts); the seat remembers its residents' group, so
that a vacancy is filled from the same group. The numbers are policy; the
composition is checked as warnings, a full group is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.policy.service import resolve
from core.posts import service as posts
from core.posts.models import Body, PostAssignment
from plugins.self_governance.common import check_taking_part, clean_text
from plugins.self_governance.declarations import (
    REPRESENTATIVES_MINIMUM,
    REPRESENTATIVES_PER_GROUP_MAX,
    REPRESENTATIVES_PER_GROUP_MIN,
)
from plugins.self_governance.initiatives import (
    ASSEMBLY,
    REPRESENTATIVE,
    _group_levels,
    group_of,
)
from plugins.self_governance.models import NAME_LENGTH, SelfgovRepresentativeSeat


def assembly_body(session: Session, community: OrgUnit) -> Body:
    found = session.scalars(
        select(Body).where(Body.org_unit_id == community.id, Body.kind == ASSEMBLY).order_by(Body.id)
    ).first()
    return found or posts.create_body(
        session, org_unit_id=community.id, kind=ASSEMBLY, name=f"{community.name}成员代表大会"
    )


def _group_count(session: Session, body: Body, group_id: int, on: date) -> int:
    return len(
        session.scalars(
            select(PostAssignment.id)
            .join(SelfgovRepresentativeSeat, SelfgovRepresentativeSeat.assignment_id == PostAssignment.id)
            .where(
                PostAssignment.body_id == body.id,
                SelfgovRepresentativeSeat.group_unit_id == group_id,
                posts.holds_on(on),
            )
        ).all()
    )


def appoint(
    session: Session,
    community: OrgUnit,
    resident: Resident,
    *,
    term_start: date,
    term_end: date | None,
    resident_unit: str | None,
) -> SelfgovRepresentativeSeat:
    """A representative of the resident's residents' group, or (``resident_unit``) of a resident unit."""
    check_taking_part(session, community, resident, term_start, field="residentId", who="成员代表")
    unit_name = clean_text(resident_unit, field="residentUnit", what="驻区单位名称", limit=NAME_LENGTH, required=False)
    body = assembly_body(session, community)
    group = None
    if unit_name is None:
        group = group_of(session, resident, community)
        if group is None:
            raise UserInputError(
                "NO_GROUP", f"{resident.name}不属于任何居民小组；驻区单位代表请填写单位名称。", "residentId"
            )
        most = int(resolve(session, community, REPRESENTATIVES_PER_GROUP_MAX, term_start))
        if _group_count(session, body, group.id, term_start) >= most:
            raise UserInputError("GROUP_FULL", f"“{group.name}”已有 {most} 名代表，达到每组上限。", "residentId")
    assignment = posts.assign(
        session,
        body_id=body.id,
        post_code=REPRESENTATIVE,
        resident_id=resident.id,
        term_start=term_start,
        term_end=term_end,
        note=f"{group.name}推选" if group else f"驻区单位代表：{unit_name}",
    )
    seat = SelfgovRepresentativeSeat(
        assignment_id=assignment.id,
        org_path=community.path,
        group_unit_id=group.id if group else None,
        resident_unit=unit_name,
    )
    session.add(seat)
    session.flush()
    return seat


def fill_vacancy(
    session: Session, community: OrgUnit, assignment: PostAssignment, resident: Resident, *, on: date, reason: str
) -> SelfgovRepresentativeSeat:
    """A by-election in the same group: the successor holds the seat for the rest of the term."""
    seat = session.scalar(
        select(SelfgovRepresentativeSeat).where(SelfgovRepresentativeSeat.assignment_id == assignment.id)
    )
    body = session.get(Body, assignment.body_id)
    if seat is None or body is None or body.org_unit_id != community.id:
        raise UserInputError("NOT_A_SEAT", "该任职不是本社区的成员代表席位。", "assignmentId")
    check_taking_part(session, community, resident, on, field="residentId", who="成员代表")
    if seat.group_unit_id is not None:
        group = group_of(session, resident, community)
        if group is None or group.id != seat.group_unit_id:
            wanted = session.get(OrgUnit, seat.group_unit_id)
            raise UserInputError(
                "NOT_SAME_GROUP", f"代表出缺须由原居民小组（{wanted.name if wanted else ''}）的居民补选。", "residentId"
            )
    clean = clean_text(reason, field="reason", what="出缺原因", limit=None) or ""
    if assignment.ended_on is None:
        _, successor = posts.transfer(session, assignment, resident_id=resident.id, on=on, reason=clean)
    else:
        successor = posts.assign(
            session,
            body_id=body.id,
            post_code=REPRESENTATIVE,
            resident_id=resident.id,
            term_start=on,
            term_end=assignment.term_end,
            predecessor_id=assignment.id,
            note="补选",
        )
    new_seat = SelfgovRepresentativeSeat(
        assignment_id=successor.id,
        org_path=seat.org_path,
        group_unit_id=seat.group_unit_id,
        resident_unit=seat.resident_unit,
    )
    session.add(new_seat)
    session.flush()
    return new_seat


@dataclass(frozen=True)
class GroupShare:
    group: OrgUnit
    count: int


@dataclass(frozen=True)
class Composition:
    total: int
    minimum: int
    per_group: list[GroupShare]
    resident_units: int
    warnings: list[str]


def composition(session: Session, community: OrgUnit, on: date) -> Composition:
    """Who holds a seat on ``on``, per group, with the policy's numbers as warnings."""
    rows = session.execute(
        select(SelfgovRepresentativeSeat.group_unit_id, SelfgovRepresentativeSeat.resident_unit)
        .join(PostAssignment, PostAssignment.id == SelfgovRepresentativeSeat.assignment_id)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(Body.org_unit_id == community.id, Body.kind == ASSEMBLY, posts.holds_on(on))
    ).all()
    total = len(
        session.scalars(
            select(PostAssignment.id)
            .join(Body, Body.id == PostAssignment.body_id)
            .where(
                Body.org_unit_id == community.id,
                Body.kind == ASSEMBLY,
                PostAssignment.post_code == REPRESENTATIVE,
                posts.holds_on(on),
            )
        ).all()
    )
    groups = list(
        session.scalars(
            select(OrgUnit)
            .where(
                in_subtree(OrgUnit.path, community.path),
                OrgUnit.level.in_(_group_levels(session)),
                OrgUnit.dissolved_on.is_(None),
            )
            .order_by(OrgUnit.path)
        )
    )
    counts = {g.id: 0 for g in groups}
    for group_id, _unit in rows:
        if group_id in counts:
            counts[group_id] += 1
    minimum = int(resolve(session, community, REPRESENTATIVES_MINIMUM, on))
    least = int(resolve(session, community, REPRESENTATIVES_PER_GROUP_MIN, on))
    warnings = []
    if total < minimum:
        warnings.append(f"成员代表 {total} 名，少于 {minimum} 名。")
    warnings += [f"“{g.name}”只有 {counts[g.id]} 名代表，少于 {least} 名。" for g in groups if counts[g.id] < least]
    return Composition(
        total=total,
        minimum=minimum,
        per_group=[GroupShare(g, counts[g.id]) for g in groups],
        resident_units=sum(1 for group_id, unit in rows if unit is not None),
        warnings=warnings,
    )
