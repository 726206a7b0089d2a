"""Registering, approving and linking requirements; refusals; what counts.

``covering(session, unit, code, on)`` is the approved requirement that admits
a subject (an obligation type code, ``form.<id>``, ``task.<code>``) for a unit
on a day: approved, valid on the day, asked of a subtree holding the unit and
of the unit's level. ``not_counted`` tells the reporting calendar which
instances are no debt: refused ones always, unadmitted ones where
``admission.count_unadmitted`` is off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.admission.declarations import (
    APPROVAL_LEVEL,
    APPROVE,
    COUNT_UNADMITTED,
    REFUSE,
    REGISTER,
)
from core.admission.models import (
    APPROVED,
    DRAFT,
    OBLIGATION_TYPE,
    REPORT_FORM,
    STATUS_NAMES,
    TASK,
    Refusal,
    Requirement,
    RequirementLink,
)
from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import PermissionRegistry, require
from core.db import utcnow
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.policy import service as policy
from core.settings import settings_of

TEXT_LIMIT = 2000
CADENCES = ("once", "monthly", "quarterly", "half_yearly", "yearly", "per_event")


def subject_kind(code: str) -> str:
    if code.startswith("form."):
        return REPORT_FORM
    if code.startswith("task."):
        return TASK
    return OBLIGATION_TYPE


def _text(value: str | None, field: str, label: str, problems: list[ErrorDetail], limit: int = TEXT_LIMIT) -> str:
    text = (value or "").strip()
    if not text:
        problems.append(ErrorDetail("REQUIRED", f"请填写{label}。", field))
    elif len(text) > limit:
        problems.append(ErrorDetail("TOO_LONG", f"{label}不能超过 {limit} 字。", field))
    return text


@dataclass
class RequirementInput:
    issuer: str
    title: str
    content: str
    authority: str
    staff: str
    funds_note: str
    valid_from: date
    funds_yuan: int = 0
    levels: Sequence[str] = field(default_factory=tuple)
    cadence: str | None = None
    deadline: date | None = None
    valid_until: date | None = None
    subjects: Sequence[str] = field(default_factory=tuple)


def register(
    session: Session,
    who: Any,
    unit: OrgUnit,
    data: RequirementInput,
    *,
    host: Any = None,
    registry: PermissionRegistry | None = None,
) -> Requirement:
    """A requirement asked of ``unit``'s subtree, waiting for approval. ``who``
    None: a locality preset (no permission check)."""
    principal = require(who, REGISTER.code, unit, registry=registry) if who is not None else None
    problems: list[ErrorDetail] = []
    issuer = _text(data.issuer, "issuer", "提出事项的单位", problems, 200)
    title = _text(data.title, "title", "事项名称", problems, 200)
    content = _text(data.content, "content", "授权内容（要求社区做什么）", problems)
    authority = _text(data.authority, "authority", "权限和依据", problems)
    staff = _text(data.staff, "staff", "人员保障", problems)
    funds_note = _text(data.funds_note, "fundsNote", "经费保障", problems)
    if data.funds_yuan < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "经费不能为负数。", "fundsYuan"))
    if data.cadence is None and data.deadline is None:
        problems.append(ErrorDetail("REQUIRED", "请写明时限：截止日期或周期。", "cadence"))
    if data.cadence is not None and data.cadence not in CADENCES:
        problems.append(ErrorDetail("INVALID_VALUE", f"周期须为 {'、'.join(CADENCES)} 之一。", "cadence"))
    if data.valid_until is not None and data.valid_until < data.valid_from:
        problems.append(ErrorDetail("INVALID_VALUE", "有效期止不能早于有效期起。", "validUntil"))
    settings = settings_of(session)
    known = {level.code for level in settings.org_levels}
    levels = list(dict.fromkeys(data.levels))
    for index, level in enumerate(levels):
        if level not in known:
            problems.append(ErrorDetail("UNKNOWN_LEVEL", f"没有“{level}”这一层级。", f"levels.{index}"))
    if problems:
        raise UserInputError(errors=problems)
    requirement = Requirement(
        org_unit_id=unit.id,
        org_path=unit.path,
        levels=levels,
        issuer=issuer,
        title=title,
        content=content,
        authority=authority,
        cadence=data.cadence,
        deadline=data.deadline,
        staff=staff,
        funds_yuan=data.funds_yuan,
        funds_note=funds_note,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        status=DRAFT,
        created_by_id=principal.id if principal else None,
    )
    session.add(requirement)
    session.flush()
    for index, code in enumerate(dict.fromkeys(data.subjects)):
        link(session, requirement, code, host=host, field=f"subjects.{index}")
    return requirement


def link(
    session: Session, requirement: Requirement, code: str, *, host: Any = None, field: str = "subjectCode"
) -> RequirementLink:
    """``requirement`` covers the subject ``code``; an obligation type must be declared."""
    code = (code or "").strip()
    kind = subject_kind(code)
    if not code or len(code) > 100:
        raise UserInputError("INVALID_VALUE", "事项代码不能为空，且不超过 100 个字符。", field)
    if kind == OBLIGATION_TYPE and host is not None:
        from core.reporting.obligations import registry_for

        registry_for(host).require(code, field=field)
    found = session.scalars(
        select(RequirementLink).where(
            RequirementLink.requirement_id == requirement.id, RequirementLink.subject_code == code
        )
    ).first()
    if found is not None:
        return found
    row = RequirementLink(requirement_id=requirement.id, subject_kind=kind, subject_code=code)
    session.add(row)
    session.flush()
    return row


def approving_unit(session: Session, unit: OrgUnit, on: date) -> OrgUnit:
    """The unit that approves what is asked of ``unit``'s subtree: the nearest
    of the unit and its ancestors at the level ``admission.approval_level``
    names or above."""
    settings = settings_of(session)
    role = str(policy.resolve(session, unit, APPROVAL_LEVEL, on))
    wanted = settings.rank_of(role)
    for candidate in [unit, *reversed(org_service.ancestors(session, unit))]:
        if settings.rank_of(candidate.level) <= wanted:
            return candidate
    return org_service.ancestors(session, unit)[0] if unit.parent_id else unit


def approve(
    session: Session,
    who: Any,
    requirement: Requirement,
    *,
    today: date | None = None,
    registry: PermissionRegistry | None = None,
) -> Requirement:
    """Approval at the level policy names: the approver holds ``admission.approve`` there."""
    today = today or policy.local_today()
    if requirement.status != DRAFT:
        raise UserInputError("INVALID_STATUS", f"该事项当前为“{STATUS_NAMES[requirement.status]}”。", "id")
    unit = org_service.get_unit(session, requirement.org_unit_id)
    approver = approving_unit(session, unit, today)
    principal = require(who, APPROVE.code, approver, registry=registry) if who is not None else None
    requirement.status = APPROVED
    requirement.approving_unit_id = approver.id
    requirement.approved_by_id = principal.id if principal else None
    requirement.approved_at = utcnow()
    _withdraw_refusals(session, requirement)
    session.flush()
    return requirement


def _withdraw_refusals(session: Session, requirement: Requirement) -> None:
    """Refusals of what ``requirement`` now admits lapse: the subject is owed again."""
    codes = list(
        session.scalars(select(RequirementLink.subject_code).where(RequirementLink.requirement_id == requirement.id))
    )
    if not codes:
        return
    rows = session.execute(
        select(Refusal, OrgUnit)
        .join(OrgUnit, OrgUnit.id == Refusal.org_unit_id)
        .where(
            Refusal.subject_code.in_(codes),
            Refusal.withdrawn_at.is_(None),
            in_subtree(Refusal.org_path, requirement.org_path),
        )
    )
    now = utcnow()
    for refusal, unit in rows:
        if _applies(requirement, unit.path, unit.level):
            refusal.withdrawn_at = now


def _valid_on(requirement: Requirement, on: date) -> bool:
    return requirement.valid_from <= on and (requirement.valid_until is None or requirement.valid_until >= on)


def _applies(requirement: Requirement, unit_path: str, level: str) -> bool:
    return unit_path.startswith(requirement.org_path) and (not requirement.levels or level in requirement.levels)


def approved_links(session: Session, codes: Iterable[str]) -> dict[str, list[Requirement]]:
    """Approved requirements by the subject codes they cover."""
    codes = list(set(codes))
    found: dict[str, list[Requirement]] = {}
    if not codes:
        return found
    rows = session.execute(
        select(RequirementLink.subject_code, Requirement)
        .join(Requirement, Requirement.id == RequirementLink.requirement_id)
        .where(RequirementLink.subject_code.in_(codes), Requirement.status == APPROVED)
    )
    for code, requirement in rows:
        found.setdefault(code, []).append(requirement)
    return found


def covering(session: Session, unit: OrgUnit, code: str, on: date) -> Requirement | None:
    for requirement in approved_links(session, [code]).get(code, []):
        if _valid_on(requirement, on) and _applies(requirement, unit.path, unit.level):
            return requirement
    return None


def active_refusals(session: Session, unit_ids: Iterable[int], codes: Iterable[str]) -> set[tuple[int, str]]:
    unit_ids, codes = list(set(unit_ids)), list(set(codes))
    if not unit_ids or not codes:
        return set()
    rows = session.execute(
        select(Refusal.org_unit_id, Refusal.subject_code).where(
            Refusal.org_unit_id.in_(unit_ids), Refusal.subject_code.in_(codes), Refusal.withdrawn_at.is_(None)
        )
    )
    return {(unit_id, code) for unit_id, code in rows}


def refuse(
    session: Session,
    who: Any,
    unit: OrgUnit,
    code: str,
    reason: str,
    *,
    today: date | None = None,
    registry: PermissionRegistry | None = None,
) -> Refusal:
    """A community refuses a subject no approved requirement covers (001: 未经批准的事项,社区有权拒绝协助)."""
    principal = require(who, REFUSE.code, unit, registry=registry)
    today = today or policy.local_today()
    code = (code or "").strip()
    if not code:
        raise UserInputError("REQUIRED", "请指明拒绝的事项。", "subjectCode")
    text = (reason or "").strip()
    if not text:
        raise UserInputError("REQUIRED", "请写明拒绝的理由。", "reason")
    if len(text) > TEXT_LIMIT:
        raise UserInputError("TOO_LONG", f"理由不能超过 {TEXT_LIMIT} 字。", "reason")
    found = covering(session, unit, code, today)
    if found is not None:
        raise UserInputError(
            "ADMITTED", f"该事项已经“{found.issuer}”提出、依准入程序批准（{found.title}），不能拒绝。", "subjectCode"
        )
    if active_refusals(session, [unit.id], [code]):
        raise UserInputError("ALREADY_REFUSED", "本单位已拒绝该事项。", "subjectCode")
    row = Refusal(
        org_unit_id=unit.id,
        org_path=unit.path,
        subject_kind=subject_kind(code),
        subject_code=code,
        reason=text,
        refused_by_id=principal.id,
    )
    session.add(row)
    session.flush()
    return row


def not_counted(session: Session, rows: Sequence[Any]) -> set[int]:
    """Ids of obligation instances that are no debt: refused by their unit,
    or (where ``admission.count_unadmitted`` is off) admitted by no approved
    requirement valid at the period's end."""
    if not rows:
        return set()
    unit_ids = {row.org_unit_id for row in rows}
    codes = {row.type_code for row in rows}
    refused = active_refusals(session, unit_ids, codes)
    units = {u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))}
    counting = policy.resolve_for_units(session, list(units.values()), COUNT_UNADMITTED)
    links = approved_links(session, codes)
    skipped: set[int] = set()
    for row in rows:
        if (row.org_unit_id, row.type_code) in refused:
            skipped.add(row.id)
            continue
        unit = units[row.org_unit_id]
        if counting[unit.id].value:
            continue
        if not any(
            _valid_on(r, row.period_end) and _applies(r, unit.path, unit.level) for r in links.get(row.type_code, [])
        ):
            skipped.add(row.id)
    return skipped


@dataclass
class Burden:
    """What one unit carries: subjects owed in the last year, by the issuer that asked for them."""

    unit: OrgUnit
    obligations: int = 0
    forms: int = 0
    unadmitted: int = 0
    refused: int = 0
    by_issuer: dict[str, int] = field(default_factory=dict)


UNADMITTED_ISSUER = "（未经准入）"


def burden(session: Session, units: Sequence[OrgUnit], today: date | None = None) -> list[Burden]:
    """Per unit: how many obligation types and report forms it owed in the
    year before ``today``, and from whom (the issuer of the covering requirement)."""
    from core.reporting.models import ObligationInstance

    today = today or policy.local_today()
    if not units:
        return []
    ids = [unit.id for unit in units]
    owed = session.execute(
        select(ObligationInstance.org_unit_id, ObligationInstance.type_code)
        .where(ObligationInstance.org_unit_id.in_(ids), ObligationInstance.period_end >= today - timedelta(days=366))
        .distinct()
    ).all()
    codes = {code for _, code in owed}
    links = approved_links(session, codes)
    refused = active_refusals(session, ids, codes)
    result = {unit.id: Burden(unit=unit) for unit in units}
    for unit_id, code in owed:
        item = result[unit_id]
        unit = item.unit
        if subject_kind(code) == REPORT_FORM:
            item.forms += 1
        else:
            item.obligations += 1
        if (unit_id, code) in refused:
            item.refused += 1
            continue
        found = next(
            (r for r in links.get(code, []) if _valid_on(r, today) and _applies(r, unit.path, unit.level)), None
        )
        issuer = found.issuer if found else UNADMITTED_ISSUER
        if found is None:
            item.unadmitted += 1
        item.by_issuer[issuer] = item.by_issuer.get(issuer, 0) + 1
    return [result[unit.id] for unit in units]
