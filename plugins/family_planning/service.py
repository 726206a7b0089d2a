"""The rules of family planning: records of women of childbearing age,
births, certificates, service follow-ups, agreements, benefits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import scope_condition
from core.grid_events import GridEventNotice
from core.meetings.models import MeetingResolution
from core.meetings.service import check_decision, link_subject
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Household, HouseholdMember, Resident
from core.people.service import age_bounds
from core.policy.service import resolve
from plugins.family_planning import declarations as d
from plugins.family_planning.models import (
    Agreement,
    Benefit,
    Birth,
    Breach,
    Certificate,
    FollowUp,
    GoverningText,
    Profile,
)

TEXT_LIMIT = 4000


def raise_if(problems: list[ErrorDetail]) -> None:
    if problems:
        raise UserInputError(errors=problems)


def text(
    value: str | None,
    field: str,
    label: str,
    problems: list[ErrorDetail],
    *,
    required: bool = True,
    limit: int = TEXT_LIMIT,
) -> str:
    clean = (value or "").strip()
    if required and not clean:
        problems.append(ErrorDetail("REQUIRED", f"请填写{label}。", field))
    elif len(clean) > limit:
        problems.append(ErrorDetail("TOO_LONG", f"{label}不能超过 {limit} 个字。", field))
    return clean


def choice(value: str, options: dict[str, str], field: str, label: str, problems: list[ErrorDetail]) -> None:
    if value not in options:
        problems.append(
            ErrorDetail(
                "UNKNOWN_CHOICE", f"{label}须为：" + "、".join(f"{k}（{v}）" for k, v in options.items()) + "。", field
            )
        )


def not_future(day: date | None, today: date, field: str, problems: list[ErrorDetail]) -> None:
    if day is not None and day > today:
        problems.append(ErrorDetail("IN_FUTURE", "日期不能晚于今天。", field))


def unit_of(session: Session, row: Any) -> OrgUnit:
    unit = session.get(OrgUnit, row.org_unit_id)
    assert unit is not None
    return unit


# --- women of childbearing age: a view of the registry ----------------------------------------


@dataclass(frozen=True)
class AgeRange:
    low: int
    high: int


def age_range(session: Session, unit: OrgUnit, today: date) -> AgeRange:
    return AgeRange(int(resolve(session, unit, d.AGE_MIN, today)), int(resolve(session, unit, d.AGE_MAX, today)))


def childbearing(session: Session, unit: OrgUnit, today: date) -> ColumnElement[bool]:
    """Women of the registry within the unit's age range (both ends included)."""
    ages = age_range(session, unit, today)
    earliest, latest = age_bounds(today, ages.low, ages.high)
    return and_(
        Resident.sex == "female",
        Resident.moved_out_on.is_(None),
        Resident.birth_date.is_not(None),
        Resident.birth_date >= earliest,
        Resident.birth_date <= latest,
    )


def women_statement(session: Session, who: Any, root: OrgUnit, today: date) -> Any:
    """The women of childbearing age under ``root`` the caller may read, with their 婚育信息 where recorded."""
    return (
        select(Resident, Profile)
        .outerjoin(Profile, Profile.resident_id == Resident.id)
        .where(
            in_subtree(Resident.org_path, root.path),
            scope_condition(who, d.READ.code, Resident.org_path),
            childbearing(session, root, today),
        )
    )


# --- 婚育信息 -------------------------------------------------------------------------------


def record_profile(
    session: Session,
    resident: Resident,
    *,
    marital_status: str,
    married_on: date | None,
    children: int,
    contraception: str | None,
    pregnant: bool,
    expected_on: date | None,
    user_id: int | None,
    today: date,
) -> Profile:
    problems: list[ErrorDetail] = []
    if resident.sex != "female":
        problems.append(ErrorDetail("NOT_A_WOMAN", "婚育信息只为育龄妇女登记。", "residentId"))
    choice(marital_status, d.MARITAL_STATUSES, "maritalStatus", "婚姻状况", problems)
    if contraception is not None:
        choice(contraception, d.CONTRACEPTION, "contraception", "避孕节育情况", problems)
    if children < 0 or children > 30:
        problems.append(ErrorDetail("OUT_OF_RANGE", "子女数须在 0—30 之间。", "children"))
    not_future(married_on, today, "marriedOn", problems)
    if married_on is not None and marital_status == "unmarried":
        problems.append(ErrorDetail("INCONSISTENT", "未婚者不填写结婚日期。", "marriedOn"))
    if expected_on is not None and not pregnant:
        problems.append(ErrorDetail("INCONSISTENT", "未怀孕时不填写预产期。", "expectedOn"))
    raise_if(problems)
    profile = session.scalar(select(Profile).where(Profile.resident_id == resident.id))
    if profile is None:
        profile = Profile(resident_id=resident.id)
        session.add(profile)
    profile.org_unit_id, profile.org_path = resident.org_unit_id, resident.org_path
    profile.marital_status, profile.married_on, profile.children = marital_status, married_on, children
    profile.contraception, profile.pregnant, profile.expected_on = contraception, pregnant, expected_on
    profile.updated_by_id = user_id
    session.flush()
    return profile


def record_birth(
    session: Session, mother: Resident, *, born_on: date, child: Resident | None, user_id: int | None, today: date
) -> Birth:
    problems: list[ErrorDetail] = []
    if mother.sex != "female":
        problems.append(ErrorDetail("NOT_A_WOMAN", "出生登记的母亲须为女性居民。", "motherId"))
    not_future(born_on, today, "bornOn", problems)
    if child is not None and child.birth_date is not None and child.birth_date != born_on:
        problems.append(ErrorDetail("INCONSISTENT", "出生日期与人口库中孩子的出生日期不一致。", "bornOn"))
    raise_if(problems)
    before = session.scalar(select(func.count()).select_from(Birth).where(Birth.resident_id == mother.id)) or 0
    birth = Birth(
        resident_id=mother.id,
        child_resident_id=child.id if child else None,
        org_unit_id=mother.org_unit_id,
        org_path=mother.org_path,
        born_on=born_on,
        birth_order=int(before) + 1,
        recorded_by_id=user_id,
    )
    session.add(birth)
    profile = session.scalar(select(Profile).where(Profile.resident_id == mother.id))
    if profile is not None:
        profile.children = max(profile.children, birth.birth_order)
        profile.pregnant, profile.expected_on = False, None
    session.flush()
    return birth


# --- certificates -------------------------------------------------------------------------------


def certificates_in_use(session: Session, unit: OrgUnit, on: date) -> list[str]:
    return [k for k in resolve(session, unit, d.CERTIFICATES_IN_USE, on) if k in d.CERTIFICATE_KINDS]


def apply_certificate(
    session: Session, resident: Resident, *, kind: str, applied_on: date, user_id: int | None, today: date
) -> Certificate:
    problems: list[ErrorDetail] = []
    not_future(applied_on, today, "appliedOn", problems)
    unit = unit_of(session, resident)
    in_use = certificates_in_use(session, unit, applied_on)
    if kind not in in_use:
        names = "、".join(d.CERTIFICATE_KINDS[k] for k in in_use) or "无"
        problems.append(
            ErrorDetail("CERTIFICATE_NOT_IN_USE", f"本地在该日期不办理此类证明；现行办理的证明：{names}。", "kind")
        )
    raise_if(problems)
    certificate = Certificate(
        resident_id=resident.id,
        org_unit_id=resident.org_unit_id,
        org_path=resident.org_path,
        kind=kind,
        status="applied",
        applied_on=applied_on,
        handled_by_id=user_id,
    )
    session.add(certificate)
    session.flush()
    return certificate


def decide_certificate(
    session: Session,
    certificate: Certificate,
    *,
    decision: str,
    number: str | None,
    note: str | None,
    user_id: int | None,
    today: date,
) -> Certificate:
    problems: list[ErrorDetail] = []
    if certificate.status != "applied":
        problems.append(ErrorDetail("INVALID_STATUS", "只能办理已受理、尚未办结的申请。", "id"))
    if decision not in ("issued", "refused", "withdrawn"):
        problems.append(
            ErrorDetail(
                "UNKNOWN_CHOICE", "办理结果须为 issued（发证）、refused（不予办理）或 withdrawn（撤回）。", "decision"
            )
        )
    clean_number = text(number, "certificateNumber", "证明编号", problems, required=decision == "issued", limit=64)
    clean_note = text(note, "note", "不予办理的理由", problems, required=decision == "refused")
    raise_if(problems)
    certificate.status = decision
    certificate.decided_on = today
    certificate.certificate_number = clean_number or None
    certificate.decision_note = clean_note or None
    certificate.handled_by_id = user_id
    session.flush()
    return certificate


# --- service follow-ups -------------------------------------------------------------------------


def open_follow_up(
    session: Session,
    unit: OrgUnit,
    *,
    resident_id: int | None,
    reason: str,
    source: str,
    opened_on: date,
    user_id: int | None,
) -> FollowUp:
    follow_up = FollowUp(
        resident_id=resident_id,
        org_unit_id=unit.id,
        org_path=unit.path,
        reason=reason,
        source=source,
        opened_on=opened_on,
        status="open",
        handled_by_id=user_id,
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def handle_pregnancy_event(session: Session, notice: GridEventNotice) -> str:
    """A grid's 新增怀孕 report: a service follow-up (孕期服务) for the family-planning
    worker; the report's description stays with the grid event."""
    unit = session.get(OrgUnit, notice.org_unit_id)
    assert unit is not None
    resident = session.get(Resident, notice.resident_id) if notice.resident_id else None
    # The follow-up lives where the woman is registered, else at the reporting grid.
    target = session.get(OrgUnit, resident.org_unit_id) if resident is not None else unit
    assert target is not None
    open_follow_up(
        session,
        target,
        resident_id=resident.id if resident else None,
        reason="new_pregnancy",
        source="grid_event",
        opened_on=notice.occurred_on,
        user_id=notice.reported_by_id,
    )
    return "已转计划生育服务：开启孕期服务跟进（送服务上门，不涉及任何处罚）。"


def start_service(follow_up: FollowUp) -> None:
    if follow_up.status != "open":
        raise UserInputError("INVALID_STATUS", "该跟进已在服务中或已结束。", "id")
    if follow_up.resident_id is None:
        raise UserInputError("RESIDENT_REQUIRED", "请先确认服务对象（人口库中的居民）。", "id")
    follow_up.status = "in_service"


def close_follow_up(session: Session, follow_up: FollowUp, *, services_offered: str, today: date) -> FollowUp:
    problems: list[ErrorDetail] = []
    if follow_up.status == "closed":
        problems.append(ErrorDetail("INVALID_STATUS", "该跟进已结束。", "id"))
    offered = text(services_offered, "servicesOffered", "提供的服务", problems)
    raise_if(problems)
    follow_up.status, follow_up.services_offered, follow_up.closed_on = "closed", offered, today
    session.flush()
    return follow_up


# --- charter and agreement template -------------------------------------------------------------


def adopt_text(
    session: Session,
    unit: OrgUnit,
    *,
    kind: str,
    title: str,
    body: str,
    resolution: MeetingResolution | None,
    user_id: int | None,
    today: date,
) -> GoverningText:
    """A new version of the charter or agreement template, adopted by
    ``resolution`` of an assembly (a kind the locality's policy names) held at
    the unit or above, quorate and adopted; adopted on the meeting's day."""
    problems: list[ErrorDetail] = []
    choice(kind, d.TEXT_KINDS, "kind", "文本类别", problems)
    clean_title = text(title, "title", "标题", problems, limit=200)
    clean_body = text(body, "body", "正文", problems, limit=50000)
    raise_if(problems)
    kinds = [str(k) for k in resolve(session, unit, d.ADOPTING_MEETINGS, today)]
    meeting, adopted_by = check_decision(
        session,
        resolution,
        kind_codes=kinds,
        unit_path=unit.path,
        field="assemblyResolutionId",
        what="居民（代表）会议",
    )
    latest = session.scalar(
        select(func.max(GoverningText.version)).where(GoverningText.org_unit_id == unit.id, GoverningText.kind == kind)
    )
    reference = f"{meeting.title}（{meeting.held_on}）决议：{adopted_by.text}"
    adopted = GoverningText(
        org_unit_id=unit.id,
        org_path=unit.path,
        kind=kind,
        version=int(latest or 0) + 1,
        title=clean_title,
        body=clean_body,
        adopted_on=meeting.held_on,
        assembly_resolution_id=adopted_by.id,
        assembly_resolution_ref=reference[:200],
        recorded_by_id=user_id,
    )
    session.add(adopted)
    session.flush()
    link_subject(session, adopted_by, "FamilyPlanningText", adopted.id)
    return adopted


def text_in_force(session: Session, unit: OrgUnit, kind: str, on: date) -> GoverningText | None:
    """The newest version adopted on or before ``on`` by ``unit`` or the nearest ancestor that adopted one."""
    ancestors = [int(p) for p in unit.path.strip("/").split("/")]
    rows = session.scalars(
        select(GoverningText)
        .where(GoverningText.org_unit_id.in_(ancestors), GoverningText.kind == kind, GoverningText.adopted_on <= on)
        .order_by(GoverningText.version.desc())
    ).all()
    for unit_id in reversed(ancestors):
        for row in rows:
            if row.org_unit_id == unit_id:
                return row
    return None


# --- agreements (协议书) --------------------------------------------------------------------------


def sign_agreement(
    session: Session,
    household: Household,
    resident: Resident,
    template: GoverningText,
    *,
    signed_on: date,
    valid_until: date | None,
    household_duties: str,
    household_rights: str,
    committee_duties: str,
    committee_liability: str,
    user_id: int | None,
    today: date,
) -> Agreement:
    """Both sides' duties: an agreement without the committee's service duties
    and its liability for breach is refused (“既要约民，又要约官”)."""
    problems: list[ErrorDetail] = []
    duties = text(household_duties, "householdDuties", "户方的义务", problems)
    rights = text(household_rights, "householdRights", "户方的权利", problems)
    service = text(committee_duties, "committeeDuties", "居委会（村委会）的服务义务", problems)
    liability = text(committee_liability, "committeeLiability", "居委会（村委会）及其成员的违约责任", problems)
    not_future(signed_on, today, "signedOn", problems)
    if valid_until is not None and valid_until < signed_on:
        problems.append(ErrorDetail("INVALID_DATES", "有效期不能早于签订日期。", "validUntil"))
    member = session.scalar(
        select(HouseholdMember.id).where(
            HouseholdMember.household_id == household.id,
            HouseholdMember.resident_id == resident.id,
            HouseholdMember.left_on.is_(None),
        )
    )
    if member is None:
        problems.append(ErrorDetail("NOT_A_MEMBER", "签约人须为该户的现有成员。", "residentId"))
    if template.kind != "agreement_template":
        problems.append(ErrorDetail("NOT_A_TEMPLATE", "须选择计划生育协议书范本。", "templateId"))
    else:
        current = text_in_force(session, unit_of(session, household), "agreement_template", signed_on)
        if current is None or current.id != template.id:
            problems.append(ErrorDetail("TEMPLATE_NOT_IN_FORCE", "签订日现行的协议书范本不是所选版本。", "templateId"))
    raise_if(problems)
    agreement = Agreement(
        household_id=household.id,
        resident_id=resident.id,
        org_unit_id=household.org_unit_id,
        org_path=household.org_path,
        template_id=template.id,
        signed_on=signed_on,
        valid_until=valid_until,
        household_duties=duties,
        household_rights=rights,
        committee_duties=service,
        committee_liability=liability,
        signed_by_id=user_id,
    )
    session.add(agreement)
    session.flush()
    return agreement


def record_breach(
    session: Session,
    agreement: Agreement,
    *,
    party: str,
    occurred_on: date,
    description: str,
    outcome: str,
    user_id: int | None,
    today: date,
) -> Breach:
    problems: list[ErrorDetail] = []
    choice(party, d.BREACH_PARTIES, "party", "违约方", problems)
    what = text(description, "description", "违约情况", problems)
    followed = text(outcome, "outcome", "处理结果（如整改、道歉、取消奖励、追究干部责任）", problems)
    not_future(occurred_on, today, "occurredOn", problems)
    if occurred_on < agreement.signed_on:
        problems.append(ErrorDetail("BEFORE_AGREEMENT", "违约日期不能早于协议签订日期。", "occurredOn"))
    raise_if(problems)
    breach = Breach(
        agreement_id=agreement.id,
        party=party,
        occurred_on=occurred_on,
        description=what,
        outcome=followed,
        recorded_by_id=user_id,
    )
    session.add(breach)
    session.flush()
    return breach


# --- rewards and aid ----------------------------------------------------------------------------


def grant_benefit(
    session: Session,
    resident: Resident,
    *,
    kind: str,
    amount: str,
    granted_on: date,
    decision_ref: str,
    user_id: int | None,
    today: date,
) -> Benefit:
    problems: list[ErrorDetail] = []
    not_future(granted_on, today, "grantedOn", problems)
    in_use = [
        k for k in resolve(session, unit_of(session, resident), d.BENEFITS_IN_USE, granted_on) if k in d.BENEFIT_KINDS
    ]
    if kind not in in_use:
        problems.append(
            ErrorDetail(
                "BENEFIT_NOT_IN_USE",
                "本地在该日期不实行此项奖励扶助；现行项目："
                + ("、".join(d.BENEFIT_KINDS[k] for k in in_use) or "无")
                + "。",
                "kind",
            )
        )
    try:
        value = Decimal(amount)
        if value <= 0 or value != value.quantize(Decimal("0.01")):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        problems.append(ErrorDetail("INVALID_AMOUNT", "金额须为大于 0 的数，最多两位小数。", "amount"))
        value = Decimal(0)
    reference = text(decision_ref, "decisionRef", "发放依据（居民代表会议决定或上级文件）", problems, limit=200)
    raise_if(problems)
    benefit = Benefit(
        resident_id=resident.id,
        org_unit_id=resident.org_unit_id,
        org_path=resident.org_path,
        kind=kind,
        amount=value,
        granted_on=granted_on,
        decision_ref=reference,
        recorded_by_id=user_id,
    )
    session.add(benefit)
    session.flush()
    return benefit
