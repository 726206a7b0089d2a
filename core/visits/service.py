"""Enrolling, visiting and the derived schedule (next due = last visit +
interval, or the day the resident joined the group + interval when never
visited)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import require, scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.policy.registry import PolicyRegistry
from core.policy.service import require_plugin_active, resolve_for_units
from core.visits.models import METHODS, Visit, VisitEnrolment, VisitSchedule
from core.visits.programmes import RuleContext, VisitProgramme

SCHEDULE_ORDER = (VisitSchedule.due_on, VisitSchedule.id)
FINDINGS_LENGTH = 4000


def _enrolled(programme: VisitProgramme, category: str, today: date) -> ColumnElement[bool]:
    active = select(VisitEnrolment.resident_id).where(
        VisitEnrolment.programme == programme.code,
        VisitEnrolment.category == category,
        VisitEnrolment.enrolled_from <= today,
        or_(VisitEnrolment.enrolled_until.is_(None), VisitEnrolment.enrolled_until >= today),
    )
    return Resident.id.in_(active)


@dataclass
class _Member:
    org_unit_id: int
    org_path: str
    category: str
    interval_days: int
    since: date


def _intervals(
    session: Session, programme: VisitProgramme, unit_ids: Iterable[int], today: date, registry: PolicyRegistry | None
) -> dict[tuple[str, int], int]:
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.id.in_(set(unit_ids)))))
    found: dict[tuple[str, int], int] = {}
    if not units:
        return found
    for category in programme.categories:
        for unit_id, resolved in resolve_for_units(session, units, category.interval, today, registry=registry).items():
            found[(category.code, unit_id)] = int(resolved.value)
    return found


def _members(
    session: Session,
    programme: VisitProgramme,
    unit: OrgUnit,
    today: date,
    registry: PolicyRegistry | None,
    resident_ids: Sequence[int] | None,
) -> dict[int, _Member]:
    """Who is in the target group under ``unit`` today, each with the
    category whose interval is shortest."""
    rule_context = RuleContext(session=session, unit=unit, today=today)
    rows: list[tuple[str, int, int, str]] = []
    for category in programme.categories:
        condition = _enrolled(programme, category.code, today)
        if category.rule is not None:
            condition = or_(category.rule(rule_context), condition)
        statement = select(Resident.id, Resident.org_unit_id, Resident.org_path).where(
            in_subtree(Resident.org_path, unit.path), Resident.moved_out_on.is_(None), condition
        )
        if resident_ids is not None:
            statement = statement.where(Resident.id.in_(resident_ids))
        rows.extend((category.code, rid, uid, path) for rid, uid, path in session.execute(statement))
    intervals = _intervals(session, programme, {r[2] for r in rows}, today, registry)
    enrolled_since = dict(
        session.execute(
            select(VisitEnrolment.resident_id, func.min(VisitEnrolment.enrolled_from))
            .where(
                VisitEnrolment.programme == programme.code,
                in_subtree(VisitEnrolment.org_path, unit.path),
                VisitEnrolment.enrolled_from <= today,
            )
            .group_by(VisitEnrolment.resident_id)
        ).all()
    )
    members: dict[int, _Member] = {}
    for code, rid, uid, path in rows:
        days = intervals[(code, uid)]
        current = members.get(rid)
        if current is None or days < current.interval_days:
            members[rid] = _Member(uid, path, code, days, enrolled_since.get(rid, today))
    return members


def refresh_schedule(
    session: Session,
    programme: VisitProgramme,
    unit: OrgUnit,
    *,
    today: date,
    registry: PolicyRegistry | None = None,
    resident_ids: Sequence[int] | None = None,
) -> int:
    """Rebuild the schedule rows of ``programme`` under ``unit`` (or of the
    given residents) from the registry, the enrolments, the visits and the
    policy in force ``today``. Rule-based members keep the day they first
    joined the group. Returns how many residents are scheduled."""
    members = _members(session, programme, unit, today, registry, resident_ids)
    existing_statement = select(VisitSchedule).where(
        VisitSchedule.programme == programme.code, in_subtree(VisitSchedule.org_path, unit.path)
    )
    last_statement = (
        select(Visit.resident_id, func.max(Visit.visited_on))
        .where(Visit.programme == programme.code, in_subtree(Visit.org_path, unit.path))
        .group_by(Visit.resident_id)
    )
    if resident_ids is not None:
        existing_statement = existing_statement.where(VisitSchedule.resident_id.in_(resident_ids))
        last_statement = last_statement.where(Visit.resident_id.in_(resident_ids))
    existing = {row.resident_id: row for row in session.scalars(existing_statement)}
    last_visits: dict[int, date] = dict(session.execute(last_statement).all())
    gone = [row.id for rid, row in existing.items() if rid not in members]
    if gone:
        session.execute(delete(VisitSchedule).where(VisitSchedule.id.in_(gone)))
    for rid, member in members.items():
        row = existing.get(rid)
        if row is None:
            row = VisitSchedule(programme=programme.code, resident_id=rid, since=member.since)
            session.add(row)
        elif member.since < row.since:
            row.since = member.since
        row.org_unit_id, row.org_path = member.org_unit_id, member.org_path
        row.category, row.interval_days = member.category, member.interval_days
        row.last_visited_on = last_visits.get(rid)
        row.due_on = (row.last_visited_on or row.since) + timedelta(days=member.interval_days)
    session.flush()
    return len(members)


def _text(value: str | None, field: str, code: str, message: str) -> str:
    if value is None or not value.strip():
        raise UserInputError(code, message, field)
    return value.strip()


def _scheduled(
    session: Session,
    context: Any,
    programme: VisitProgramme,
    resident: Resident,
    today: date,
    registry: PolicyRegistry | None,
) -> VisitSchedule | None:
    unit = session.get(OrgUnit, resident.org_unit_id)
    assert unit is not None
    refresh_schedule(session, programme, unit, today=today, registry=registry, resident_ids=[resident.id])
    return session.scalar(
        select(VisitSchedule).where(VisitSchedule.programme == programme.code, VisitSchedule.resident_id == resident.id)
    )


def record_visit(
    session: Session,
    context: Any,
    programme: VisitProgramme,
    resident: Resident,
    *,
    visited_on: date,
    method: str,
    findings: str,
    follow_up_needed: bool,
    follow_up_note: str | None,
    visitor_id: int,
    today: date,
    registry: PolicyRegistry | None = None,
) -> Visit:
    """Log a visit to a resident of the programme's target group and move
    the resident's next due date."""
    require(context, programme.record_permission, resident.org_path)
    require_plugin_active(
        context if hasattr(context, "session") else session, resident.org_unit_id, programme.plugin, field="residentId"
    )
    problems: list[ErrorDetail] = []
    if method not in METHODS:
        problems.append(
            ErrorDetail("UNKNOWN_METHOD", "走访方式须为入户（home）、电话（phone）或视频（video）。", "method")
        )
    if visited_on > today:
        problems.append(ErrorDetail("VISIT_IN_FUTURE", "走访日期不能晚于今天。", "visitedOn"))
    if not findings or not findings.strip():
        problems.append(ErrorDetail("FINDINGS_REQUIRED", "请填写走访情况。", "findings"))
    elif len(findings) > FINDINGS_LENGTH:
        problems.append(ErrorDetail("FINDINGS_TOO_LONG", f"走访情况不能超过 {FINDINGS_LENGTH} 字。", "findings"))
    if follow_up_needed and not (follow_up_note or "").strip():
        problems.append(ErrorDetail("FOLLOW_UP_NOTE_REQUIRED", "需要跟进时请写明跟进事项。", "followUpNote"))
    if problems:
        raise UserInputError(errors=problems)
    if _scheduled(session, context, programme, resident, today, registry) is None:
        raise UserInputError("NOT_IN_TARGET_GROUP", f"该居民不在“{programme.name}”的走访对象中。", "residentId")
    visit = Visit(
        programme=programme.code,
        resident_id=resident.id,
        org_unit_id=resident.org_unit_id,
        org_path=resident.org_path,
        visited_on=visited_on,
        visitor_id=visitor_id,
        method=method,
        findings=findings.strip(),
        follow_up_needed=follow_up_needed,
        follow_up_note=(follow_up_note or "").strip() or None,
    )
    session.add(visit)
    session.flush()
    _scheduled(session, context, programme, resident, today, registry)
    return visit


def enrol(
    session: Session,
    context: Any,
    programme: VisitProgramme,
    resident: Resident,
    *,
    category: str,
    reason: str,
    enrolled_from: date,
    enrolled_until: date | None,
    enrolled_by_id: int,
    today: date,
    registry: PolicyRegistry | None = None,
) -> VisitEnrolment:
    """Enrol a resident in a category of the programme with the reason
    (evidence) and the dates it holds."""
    require(context, programme.record_permission, resident.org_path)
    require_plugin_active(
        context if hasattr(context, "session") else session, resident.org_unit_id, programme.plugin, field="residentId"
    )
    if programme.category(category) is None:
        raise UserInputError("UNKNOWN_CATEGORY", f"“{programme.name}”没有类别“{category}”。", "category")
    reason = _text(reason, "reason", "REASON_REQUIRED", "请写明认定依据。")
    if enrolled_until is not None and enrolled_until < enrolled_from:
        raise UserInputError("INVALID_DATES", "截止日期不能早于起始日期。", "enrolledUntil")
    enrolment = VisitEnrolment(
        programme=programme.code,
        category=category,
        resident_id=resident.id,
        org_unit_id=resident.org_unit_id,
        org_path=resident.org_path,
        reason=reason,
        enrolled_from=enrolled_from,
        enrolled_until=enrolled_until,
        enrolled_by_id=enrolled_by_id,
    )
    session.add(enrolment)
    session.flush()
    _scheduled(session, context, programme, resident, today, registry)
    return enrolment


# --- lists -------------------------------------------------------------------------


def overdue_statement(context: Any, programme: VisitProgramme, root: OrgUnit, today: date) -> Any:
    return select(VisitSchedule).where(
        VisitSchedule.programme == programme.code,
        in_subtree(VisitSchedule.org_path, root.path),
        scope_condition(context, programme.view_permission, VisitSchedule.org_path),
        VisitSchedule.due_on < today,
    )


@dataclass(frozen=True)
class Coverage:
    org_unit: OrgUnit
    scheduled: int
    overdue: int
    visited: int


def coverage(session: Session, context: Any, programme: VisitProgramme, root: OrgUnit, today: date) -> list[Coverage]:
    """Counts per child unit of ``root`` (and ``root`` itself first): residents
    scheduled, overdue, and visited at least once and not overdue."""
    children = list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == root.id).order_by(OrgUnit.path)))
    scope = scope_condition(context, programme.view_permission, VisitSchedule.org_path)
    result = []
    for unit in [root, *children]:
        scheduled, overdue, visited = session.execute(
            select(
                func.count(),
                func.count().filter(VisitSchedule.due_on < today),
                func.count().filter(and_(VisitSchedule.last_visited_on.is_not(None), VisitSchedule.due_on >= today)),
            ).where(VisitSchedule.programme == programme.code, in_subtree(VisitSchedule.org_path, unit.path), scope)
        ).one()
        result.append(Coverage(unit, int(scheduled), int(overdue), int(visited)))
    return result
