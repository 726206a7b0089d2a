"""The rules of dispute mediation (矛盾纠纷排查调处), seed 000/001/004.

Cases move up the organization tree (三级调处): the unit holding a case is
accountable for it; which level may finalize (resolve or close) a case of a
given risk level is locality policy ("小事不出村、一般不出乡镇、重大不出县").
A case at risk of a group incident or mass petition goes at once to the
level policy names (the street by default). Every step is kept as a
transition (who, when, why, from where to where).

Services take the session and plain values and raise ``UserInputError``
with Chinese messages; permission checks are the schema's job.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from core.api.errors import ErrorDetail, UserInputError
from core.db import get_row, utcnow
from core.org.models import OrgUnit
from core.org.service import ancestors, get_unit, in_subtree
from core.people.identity import check_phone, parse_id_number
from core.people.models import Resident
from core.plugin_host import PluginHost
from core.policy import service as policy
from core.policy.registry import registry_for as policy_registry_for
from core.reporting import service as reporting
from core.reporting.calendar import TIMES_A_MONTH, month_end, period_of
from core.reporting.models import OPEN, ObligationInstance
from core.reporting.obligations import registry_for as obligations_for
from core.settings import ROLE_GRASSROOTS, Settings, settings_of
from plugins.mediation import declarations as d
from plugins.mediation.models import (
    Appeal,
    CaseTransition,
    DisputeCase,
    DisputeParty,
    FollowUpVisit,
    GridEvent,
    Incident,
    MonthlySummary,
    SatisfactionSurvey,
    Screening,
)

TITLE_MAX = 200
TEXT_MAX = 5000
NAME_MAX = 50
MAX_PARTIES = 20
MAX_MEDIATORS = 10


# --- small checks ---------------------------------------------------------------------------


def _text(
    value: str | None,
    field: str,
    label: str,
    problems: list[ErrorDetail],
    *,
    limit: int = TEXT_MAX,
    required: bool = True,
) -> str | None:
    cleaned = (value or "").strip() or None
    if cleaned is None:
        if required:
            problems.append(ErrorDetail("REQUIRED", f"请填写{label}。", field))
        return None
    if len(cleaned) > limit:
        problems.append(ErrorDetail("TOO_LONG", f"{label}不能超过 {limit} 个字。", field))
    return cleaned


def _choice(value: str | None, choices: dict[str, str], field: str, label: str, problems: list[ErrorDetail]) -> None:
    # The message names the choices in Chinese; their codes are in the schema's descriptions.
    if value not in choices:
        allowed = "、".join(choices.values())
        problems.append(ErrorDetail("INVALID_VALUE", f"{label}不在可选范围内，须为以下之一：{allowed}。", field))


def _raise(problems: list[ErrorDetail]) -> None:
    if problems:
        raise UserInputError(errors=problems)


def _required_reason(reason: str | None, field: str = "reason") -> str:
    problems: list[ErrorDetail] = []
    cleaned = _text(reason, field, "理由", problems, limit=2000)
    _raise(problems)
    assert cleaned is not None
    return cleaned


def _check_unit_open(unit: OrgUnit, today: date, field: str = "orgUnitId") -> None:
    if unit.dissolved_on is not None and unit.dissolved_on <= today:
        raise UserInputError("ORG_UNIT_DISSOLVED", f"“{unit.name}”已撤销。", field)


def rank(settings: Settings, level: str) -> int:
    """The rank of a level code or role (0 at the top; core.settings.Settings.rank_of)."""
    return settings.rank_of(level)


def grassroots_levels(session: Session) -> tuple[str, ...]:
    """The level codes of communities and villages in this deployment."""
    return settings_of(session).level_codes((ROLE_GRASSROOTS,))


def level_code(settings: Settings, role: str) -> str:
    """The configured level a role (or code) of a policy value stands for."""
    found = settings.rank_of(role)
    return settings.org_levels[found].code if 0 <= found < len(settings.org_levels) else role


def nearest_at_or_above(session: Session, settings: Settings, unit: OrgUnit, level: str) -> OrgUnit:
    """``unit`` when it is at ``level`` or above; else its nearest ancestor
    that is (a locality may skip levels)."""
    wanted = rank(settings, level)
    if rank(settings, unit.level) <= wanted:
        return unit
    for ancestor in reversed(ancestors(session, unit)):
        if rank(settings, ancestor.level) <= wanted:
            return ancestor
    return unit


def community_of(session: Session, settings: Settings, unit: OrgUnit) -> OrgUnit:
    """The community (village) of ``unit``, or ``unit`` when it lies above that level."""
    return nearest_at_or_above(session, settings, unit, ROLE_GRASSROOTS)


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in China Standard Time, for timestamp columns."""
    # Stored timestamps are UTC (SQLite keeps the UTC wall time without an offset).
    return (
        datetime.combine(start, time(), policy.CHINA_STANDARD_TIME).astimezone(UTC),
        datetime.combine(end + timedelta(days=1), time(), policy.CHINA_STANDARD_TIME).astimezone(UTC),
    )


def _between(column: InstrumentedAttribute[datetime | None], start: date, end: date) -> ColumnElement[bool]:
    low, high = day_bounds(start, end)
    return and_(column >= low, column < high)


def _resolve(session: Session, unit: OrgUnit, key: policy.KeyRef, on: date) -> object:
    return policy.resolve(session, unit, key, on)


def _resolve_int(session: Session, unit: OrgUnit, key: policy.KeyRef, on: date) -> int:
    return int(policy.resolve(session, unit, key, on))


# --- cases -----------------------------------------------------------------------------------


@dataclass
class PartyInput:
    role: str
    resident_id: int | None = None
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None


def _transition(
    session: Session,
    case: DisputeCase,
    action: str,
    to_status: str,
    *,
    user_id: int | None,
    reason: str | None = None,
    to_unit: OrgUnit | None = None,
) -> CaseTransition:
    from_status = case.status if case.id is not None and action != "register" else None
    from_unit = case.org_unit_id if action != "register" else None
    if to_unit is not None:
        case.org_unit_id = to_unit.id
        case.org_path = to_unit.path
    case.status = to_status
    row = CaseTransition(
        case_id=case.id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        from_unit_id=from_unit,
        to_unit_id=case.org_unit_id,
        reason=reason,
        user_id=user_id,
    )
    session.add(row)
    session.flush()
    return row


def _check_parties(
    session: Session, parties: Sequence[PartyInput], today: date, problems: list[ErrorDetail]
) -> list[DisputeParty]:
    rows: list[DisputeParty] = []
    if len(parties) > MAX_PARTIES:
        problems.append(ErrorDetail("TOO_MANY", f"当事人最多 {MAX_PARTIES} 人。", "parties"))
        return rows
    for index, party in enumerate(parties):
        where = f"parties.{index}"
        _choice(party.role, d.PARTY_ROLES, f"{where}.role", "当事人身份", problems)
        if party.resident_id is not None:
            if session.get(Resident, party.resident_id) is None:
                problems.append(
                    ErrorDetail(
                        "UNKNOWN_PARTY", "实有人口中没有这名居民，请核对或按外来人员登记。", f"{where}.residentId"
                    )
                )
            if party.name or party.id_number or party.phone:
                problems.append(
                    ErrorDetail(
                        "DUPLICATE_IDENTITY",
                        "登记在册的居民从实有人口读取身份信息，不要另填姓名、身份证号或电话。",
                        f"{where}.residentId",
                    )
                )
            rows.append(DisputeParty(role=party.role, resident_id=party.resident_id))
            continue
        name = _text(party.name, f"{where}.name", "当事人姓名", problems, limit=NAME_MAX)
        id_number = None
        if party.id_number and party.id_number.strip():
            parsed = parse_id_number(party.id_number, field=f"{where}.idNumber", today=today)
            if isinstance(parsed, ErrorDetail):
                problems.append(parsed)
            else:
                id_number = parsed.id_number
        phone = None
        if party.phone and party.phone.strip():
            checked = check_phone(party.phone, field=f"{where}.phone")
            if isinstance(checked, ErrorDetail):
                problems.append(checked)
            else:
                phone = checked
        rows.append(DisputeParty(role=party.role, name=name, id_number=id_number, phone=phone))
    return rows


def register_case(
    session: Session,
    settings: Settings,
    *,
    unit: OrgUnit,
    title: str,
    category: str,
    source: str,
    risk_level: str,
    facts: str,
    parties: Sequence[PartyInput],
    emergency: str | None = None,
    registered_on: date | None = None,
    user_id: int | None,
    today: date | None = None,
) -> DisputeCase:
    """登记一件个案 at ``unit``, which holds it; an emergency escalates at once."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    clean_title = _text(title, "title", "案由", problems, limit=TITLE_MAX)
    clean_facts = _text(facts, "facts", "纠纷事实", problems)
    _choice(category, d.CATEGORIES, "category", "纠纷类别", problems)
    _choice(source, d.SOURCES, "source", "来源", problems)
    _choice(risk_level, d.RISK_LEVELS, "riskLevel", "风险等级", problems)
    if emergency is not None:
        _choice(emergency, d.EMERGENCIES, "emergency", "紧急情形", problems)
    if registered_on is not None and registered_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "登记日期不能晚于今天。", "registeredOn"))
    # Parties may be unknown only when the dispute was found, not brought (screening, grid).
    if not parties and source not in ("screening", "grid_report"):
        problems.append(ErrorDetail("REQUIRED", "请至少登记一名当事人。", "parties"))
    party_rows = _check_parties(session, parties, today, problems)
    _raise(problems)
    _check_unit_open(unit, today)
    case = DisputeCase(
        case_number=f"tmp-{uuid.uuid4().hex}",
        title=clean_title,
        category=category,
        source=source,
        risk_level=risk_level,
        facts=clean_facts,
        org_unit_id=unit.id,
        org_path=unit.path,
        origin_unit_id=unit.id,
        status=d.REGISTERED,
        registered_on=registered_on or today,
        mediators=[],
        registered_by_id=user_id,
    )
    session.add(case)
    session.flush()
    # The number reads on paper forms: 调字〔2026〕000123号 style, unique by id.
    case.case_number = f"调〔{case.registered_on.year}〕{case.id:06d}号"
    for row in party_rows:
        row.case_id = case.id
        session.add(row)
    _transition(session, case, "register", d.REGISTERED, user_id=user_id, to_unit=unit, reason=None)
    if emergency is not None:
        flag_emergency(
            session, settings, case, emergency=emergency, reason="登记时即判定为紧急情形", user_id=user_id, today=today
        )
    session.flush()
    return case


def get_case(session: Session, case_id: int, *, field: str = "caseId", lock: bool = False) -> DisputeCase:
    """The case; with ``lock`` locked and re-read (see ``core.db.get_row``)."""
    return get_row(session, DisputeCase, case_id, what="纠纷个案", field=field, lock=lock)


def _require_status(case: DisputeCase, allowed: Sequence[str], doing: str) -> None:
    if case.status not in allowed:
        now = d.CASE_STATUSES.get(case.status, case.status)
        raise UserInputError("INVALID_STATUS", f"个案当前为“{now}”，不能{doing}。", "caseId")


def accept(session: Session, case: DisputeCase, *, user_id: int | None) -> DisputeCase:
    _require_status(case, (d.REGISTERED, d.ESCALATED, d.HANDED_DOWN), "受理")
    _transition(session, case, "accept", d.ACCEPTED, user_id=user_id)
    return case


def start_mediation(
    session: Session, case: DisputeCase, *, mediation_type: str, mediators: Sequence[str], user_id: int | None
) -> DisputeCase:
    _require_status(case, (d.ACCEPTED,), "开始调处")
    problems: list[ErrorDetail] = []
    _choice(mediation_type, d.MEDIATION_TYPES, "mediationType", "调解方式", problems)
    names = [m.strip() for m in mediators if m and m.strip()]
    if not names:
        problems.append(ErrorDetail("REQUIRED", "请填写调解员。", "mediators"))
    elif len(names) > MAX_MEDIATORS or any(len(n) > NAME_MAX for n in names):
        problems.append(
            ErrorDetail("INVALID_VALUE", f"调解员最多 {MAX_MEDIATORS} 人，姓名不超过 {NAME_MAX} 个字。", "mediators")
        )
    _raise(problems)
    case.mediation_type = mediation_type
    case.mediators = list(dict.fromkeys(names))
    _transition(
        session, case, "start_mediation", d.MEDIATING, user_id=user_id, reason=d.MEDIATION_TYPES[mediation_type]
    )
    return case


def finalize_level(session: Session, case: DisputeCase, holder: OrgUnit, on: date) -> str:
    """The lowest level allowed to finalize ``case`` at ``holder`` (policy)."""
    return str(_resolve(session, holder, d.FINALIZE_KEYS[case.risk_level], on))


def check_remit(session: Session, settings: Settings, case: DisputeCase, holder: OrgUnit, on: date, doing: str) -> None:
    """Refuse to finalize a case above the holder level's remit."""
    needed = finalize_level(session, case, holder, on)
    if rank(settings, holder.level) > rank(settings, needed):
        raise UserInputError(
            "ABOVE_REMIT",
            f"{d.RISK_LEVELS[case.risk_level]}按规定须由{settings.level_name(needed)}一级{doing}，"
            f"{holder.name}（{settings.level_name(holder.level)}）不能{doing}，请逐级上报。",
            "caseId",
        )


def resolve(
    session: Session,
    settings: Settings,
    case: DisputeCase,
    *,
    outcome: str,
    agreement: str | None,
    user_id: int | None,
    today: date | None = None,
) -> DisputeCase:
    """调处完毕: the outcome (and the agreement text for an agreement); a
    follow-up visit is planned (policy ``mediation.follow_up.days``) unless
    the parties were referred to court or arbitration."""
    today = today or policy.local_today()
    _require_status(case, (d.MEDIATING,), "办结")
    problems: list[ErrorDetail] = []
    _choice(outcome, d.OUTCOMES, "outcome", "调处结果", problems)
    text = _text(agreement, "agreement", "调解协议内容", problems, required=outcome == "agreement")
    _raise(problems)
    holder = get_unit(session, case.org_unit_id)
    check_remit(session, settings, case, holder, today, "调结")
    case.outcome = outcome
    case.agreement = text
    case.resolved_on = today
    case.resolved_level = holder.level
    case.resolved_unit_id = holder.id
    if outcome != "referred":
        days = _resolve_int(session, holder, d.FOLLOW_UP_DAYS, today)
        session.add(FollowUpVisit(case_id=case.id, due_on=today + timedelta(days=days)))
    _transition(session, case, "resolve", d.RESOLVED, user_id=user_id, reason=d.OUTCOMES[outcome])
    return case


def record_follow_up(
    session: Session,
    case: DisputeCase,
    *,
    visited_on: date,
    agreement_kept: bool,
    note: str | None,
    user_id: int | None,
    today: date | None = None,
) -> FollowUpVisit:
    today = today or policy.local_today()
    _require_status(case, (d.RESOLVED, d.FOLLOWED_UP), "登记回访")
    problems: list[ErrorDetail] = []
    clean_note = _text(note, "note", "回访情况", problems, required=False)
    if visited_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "回访日期不能晚于今天。", "visitedOn"))
    if case.resolved_on is not None and visited_on < case.resolved_on:
        problems.append(ErrorDetail("BEFORE_RESOLUTION", "回访日期不能早于调结日期。", "visitedOn"))
    _raise(problems)
    visit = session.scalars(
        select(FollowUpVisit)
        .where(FollowUpVisit.case_id == case.id, FollowUpVisit.visited_on.is_(None))
        .order_by(FollowUpVisit.due_on, FollowUpVisit.id)
        .limit(1)
    ).first()
    if visit is None:
        # An extra visit beyond the planned one: due the day it happened.
        visit = FollowUpVisit(case_id=case.id, due_on=visited_on)
        session.add(visit)
    visit.visited_on = visited_on
    visit.agreement_kept = agreement_kept
    visit.note = clean_note
    visit.visited_by_id = user_id
    _transition(
        session,
        case,
        "follow_up",
        d.FOLLOWED_UP,
        user_id=user_id,
        reason="协议履行中" if agreement_kept else "协议未履行",
    )
    return visit


def close(
    session: Session,
    settings: Settings,
    case: DisputeCase,
    *,
    reason: str | None,
    user_id: int | None,
    today: date | None = None,
) -> DisputeCase:
    """结案: after the follow-up visit (or at once when referred to court);
    only at a level within the case's remit."""
    today = today or policy.local_today()
    _require_status(case, (d.RESOLVED, d.FOLLOWED_UP), "结案")
    if case.status == d.RESOLVED and case.outcome != "referred":
        raise UserInputError("FOLLOW_UP_REQUIRED", "达成协议或和解的个案须回访后才能结案。", "caseId")
    holder = get_unit(session, case.org_unit_id)
    check_remit(session, settings, case, holder, today, "结案")
    case.closed_on = today
    _transition(session, case, "close", d.CLOSED, user_id=user_id, reason=(reason or "").strip() or None)
    return case


def escalate(
    session: Session,
    settings: Settings,
    case: DisputeCase,
    *,
    reason: str | None,
    user_id: int | None,
    today: date | None = None,
) -> DisputeCase:
    """逐级上报 to the holder's parent, with a reason; not past the top level
    (policy). A case escalated to a unit is accepted there before it moves on,
    so that someone at each level has taken it (and a double click escalates once)."""
    today = today or policy.local_today()
    _require_status(case, (d.REGISTERED, d.HANDED_DOWN, d.ACCEPTED, d.MEDIATING), "上报")
    why = _required_reason(reason)
    holder = get_unit(session, case.org_unit_id)
    top = str(_resolve(session, holder, d.ESCALATION_TOP_LEVEL, today))
    if holder.parent_id is None or rank(settings, holder.level) <= rank(settings, top):
        raise UserInputError(
            "TOP_LEVEL_REACHED",
            f"{holder.name}已是三级调处的最高一级（{settings.level_name(top)}），不能再上报；请在本级调结或引导诉讼。",
            "caseId",
        )
    parent = get_unit(session, holder.parent_id)
    _transition(session, case, "escalate", d.ESCALATED, user_id=user_id, reason=why, to_unit=parent)
    return case


def hand_down(
    session: Session,
    case: DisputeCase,
    target: OrgUnit,
    *,
    reason: str | None,
    user_id: int | None,
    today: date | None = None,
) -> DisputeCase:
    """下交 to a unit below the holder (人随案走: the holder names who takes it)."""
    today = today or policy.local_today()
    _require_status(case, d.OPEN_CASE_STATUSES, "下交")
    why = _required_reason(reason)
    holder = get_unit(session, case.org_unit_id)
    if target.id == holder.id or not target.path.startswith(holder.path):
        raise UserInputError("NOT_BELOW_HOLDER", f"只能下交给“{holder.name}”的下级单位。", "toOrgUnitId")
    _check_unit_open(target, today, "toOrgUnitId")
    if case.emergency is not None:
        raise UserInputError("EMERGENCY_CASE", "可能引发群体性事件或集体上访的个案由领导包案处置，不能下交。", "caseId")
    _transition(session, case, "hand_down", d.HANDED_DOWN, user_id=user_id, reason=why, to_unit=target)
    return case


def flag_emergency(
    session: Session,
    settings: Settings,
    case: DisputeCase,
    *,
    emergency: str,
    reason: str | None,
    user_id: int | None,
    today: date | None = None,
) -> DisputeCase:
    """应急处置: mark the risk and move the case at once to the level policy
    names (the street by default) when it is held below it."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    _choice(emergency, d.EMERGENCIES, "emergency", "紧急情形", problems)
    _raise(problems)
    _require_status(case, d.OPEN_CASE_STATUSES, "标记为紧急")
    why = _required_reason(reason)
    case.emergency = emergency
    case.emergency_at = utcnow()
    holder = get_unit(session, case.org_unit_id)
    level = str(_resolve(session, holder, d.EMERGENCY_LEVEL, today))
    target = nearest_at_or_above(session, settings, holder, level)
    if target.id != holder.id:
        _transition(
            session,
            case,
            "emergency_escalate",
            d.ESCALATED,
            user_id=user_id,
            reason=f"{d.EMERGENCIES[emergency]}：{why}",
            to_unit=target,
        )
    else:
        _transition(
            session, case, "flag_emergency", case.status, user_id=user_id, reason=f"{d.EMERGENCIES[emergency]}：{why}"
        )
    return case


def transitions(session: Session, case_ids: Sequence[int]) -> dict[int, list[CaseTransition]]:
    grouped: dict[int, list[CaseTransition]] = {cid: [] for cid in case_ids}
    rows = session.scalars(
        select(CaseTransition)
        .where(CaseTransition.case_id.in_(case_ids))
        .order_by(CaseTransition.case_id, CaseTransition.id)
    )
    for row in rows:
        grouped[row.case_id].append(row)
    return grouped


# --- obligations: instances owned by this plugin's types ------------------------------------


def ensure_instance(
    session: Session, host: PluginHost, type_code: str, unit: OrgUnit, period: tuple[date, date]
) -> ObligationInstance:
    """The instance of ``type_code`` owed by ``unit`` for ``period``,
    created when the calendar has not materialized it yet."""
    kind = obligations_for(host).require(type_code)
    statement = select(ObligationInstance).where(
        ObligationInstance.type_code == kind.code,
        ObligationInstance.org_unit_id == unit.id,
        ObligationInstance.period_start == period[0],
    )
    existing = session.scalars(statement).first()
    if existing is not None:
        return existing
    if unit.level not in settings_of(session).level_codes(kind.levels):
        raise UserInputError("NOT_OWED", f"“{unit.name}”不报送“{kind.name}”。", "orgUnitId")
    policy.require_plugin_active(session, unit, d.PLUGIN, on=period[0])
    instance = ObligationInstance(
        type_code=kind.code,
        org_unit_id=unit.id,
        org_path=unit.path,
        period_start=period[0],
        period_end=period[1],
        due_on=_due(session, host, kind.code, unit, period[1]),
        status=OPEN,
    )
    try:
        with session.begin_nested():
            session.add(instance)
            session.flush()
    except IntegrityError:
        # The calendar (or another request) created it meanwhile.
        found = session.scalars(statement).first()
        assert found is not None
        return found
    return instance


def _submit(
    session: Session,
    host: PluginHost,
    instance: ObligationInstance,
    *,
    field: str,
    user_id: int | None,
    note: str | None,
    zero_report: bool,
    today: date | None,
) -> None:
    """Submit through the reporting calendar; its refusals (locked, already
    submitted, not started) name this mutation's input ``field``, not the
    calendar's instance the caller never gave."""
    try:
        reporting.submit(session, host, instance, user_id=user_id, note=note, zero_report=zero_report, today=today)
    except UserInputError as error:
        raise UserInputError(
            errors=[replace(e, field=field) if e.field == "instanceId" else e for e in error.errors]
        ) from None


def _due(session: Session, host: PluginHost, type_code: str, unit: OrgUnit, period_end: date) -> date:
    # The calendar's rule, including whether this locality reports in the next month.
    return reporting.compute_due(session, host, obligations_for(host).require(type_code), unit, period_end)


# --- screening -------------------------------------------------------------------------------


NO_FINDINGS_NOTE = "本期排查未发现矛盾纠纷和不稳定因素。"


def screening_period(session: Session, unit: OrgUnit, on: date) -> tuple[date, date]:
    """The screening period containing ``on`` for ``unit``: the month split
    into as many periods as policy ``mediation.screening.per_month`` says."""
    count = _resolve_int(session, unit, d.SCREENING_PER_MONTH, on)
    return period_of(TIMES_A_MONTH, on, count)


def record_screening(
    session: Session,
    host: PluginHost,
    unit: OrgUnit,
    *,
    screened_on: date,
    disputes_found: int,
    instability_factors: int,
    note: str | None,
    user_id: int | None,
    today: date | None = None,
) -> Screening:
    """One period's screening (the periods follow ``mediation.screening.per_month``);
    submits that period's screening obligation (a zero report when nothing was found)."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    if screened_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "排查日期不能晚于今天。", "screenedOn"))
    if disputes_found < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "发现的矛盾纠纷数不能为负数。", "disputesFound"))
    if instability_factors < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "发现的不稳定因素数不能为负数。", "instabilityFactors"))
    clean_note = _text(note, "note", "排查情况", problems, required=False)
    _raise(problems)
    _check_unit_open(unit, today)
    start, end = screening_period(session, unit, screened_on)
    if session.scalar(select(Screening.id).where(Screening.org_unit_id == unit.id, Screening.period_start == start)):
        raise UserInputError("ALREADY_RECORDED", f"{start} 至 {end} 这一期的排查已登记。", "screenedOn")
    zero = disputes_found == 0 and instability_factors == 0
    row = Screening(
        org_unit_id=unit.id,
        org_path=unit.path,
        period_start=start,
        period_end=end,
        screened_on=screened_on,
        disputes_found=disputes_found,
        instability_factors=instability_factors,
        note=clean_note,
        recorded_by_id=user_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise UserInputError("ALREADY_RECORDED", f"{start} 至 {end} 这一期的排查已登记。", "screenedOn") from None
    kind = obligations_for(host).require(d.SCREENING)
    if unit.level in settings_of(session).level_codes(kind.levels):
        instance = ensure_instance(session, host, d.SCREENING, unit, (start, end))
        summary = f"排查发现矛盾纠纷 {disputes_found} 件、不稳定因素 {instability_factors} 个。"
        _submit(
            session,
            host,
            instance,
            field="screenedOn",
            user_id=user_id,
            note=(clean_note or NO_FINDINGS_NOTE) if zero else f"{summary}{clean_note or ''}",
            zero_report=zero,
            today=today,
        )
    return row


# --- the monthly summary (统计表) ---------------------------------------------------------------


def month_period(month: str, *, field: str = "month") -> tuple[date, date]:
    try:
        year_text, month_text = month.strip().split("-")
        first = date(int(year_text), int(month_text), 1)
    except (ValueError, AttributeError):
        raise UserInputError("INVALID_MONTH", "月份格式应为“年-月”，如 2026-10。", field) from None
    return first, month_end(first.year, first.month)


# The rows of the 统计表, in the order an office hands them in.
SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("screenings", "开展排查（次）"),
    ("screenings_required", "应排查（次）"),
    ("disputes_found", "排查发现矛盾纠纷（件）"),
    ("instability_factors", "排查发现不稳定因素（个）"),
    ("registered", "新登记个案（件）"),
    ("resolved", "调处成功（件）"),
    ("agreements", "其中达成调解协议（件）"),
    ("escalated_out", "上报上级（件）"),
    ("emergencies", "可能引发群体性事件或集体上访（件）"),
    ("pending", "月末在办（件）"),
    ("follow_ups_done", "回访（次）"),
    ("appeals_received", "受理居民诉求（件）"),
    ("appeals_closed", "办结并反馈居民诉求（件）"),
)
# Any of these non-zero makes the month one with something to report.
ACTIVITY_KEYS = (
    "disputes_found",
    "instability_factors",
    "registered",
    "resolved",
    "escalated_out",
    "emergencies",
    "pending",
    "appeals_received",
)


@dataclass
class SummaryFigures:
    unit: OrgUnit
    period: tuple[date, date]
    figures: dict[str, int]
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def is_zero(self) -> bool:
        return all(self.figures.get(key, 0) == 0 for key in ACTIVITY_KEYS)


def origin_in(unit: OrgUnit) -> ColumnElement[bool]:
    origin = select(OrgUnit.id).where(in_subtree(OrgUnit.path, unit.path))
    return DisputeCase.origin_unit_id.in_(origin)


def summary_figures(session: Session, unit: OrgUnit, period: tuple[date, date]) -> SummaryFigures:
    """The 统计表 of ``unit``'s subtree for ``period``: cases by the unit where
    they were registered, resolutions by the unit that resolved them,
    escalations leaving the subtree, screenings, appeals."""
    start, end = period
    inside = select(OrgUnit.id).where(in_subtree(OrgUnit.path, unit.path))

    def count(statement):
        return int(session.scalar(statement) or 0)

    registered_in = and_(origin_in(unit), DisputeCase.registered_on >= start, DisputeCase.registered_on <= end)
    by_category = dict(
        session.execute(
            select(DisputeCase.category, func.count()).where(registered_in).group_by(DisputeCase.category)
        ).all()
    )
    resolved_in = and_(
        DisputeCase.resolved_unit_id.in_(inside), DisputeCase.resolved_on >= start, DisputeCase.resolved_on <= end
    )
    screening_rows = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Screening.disputes_found), 0),
            func.coalesce(func.sum(Screening.instability_factors), 0),
        ).where(in_subtree(Screening.org_path, unit.path), Screening.period_start >= start, Screening.period_end <= end)
    ).one()
    communities = list(
        session.scalars(
            select(OrgUnit).where(in_subtree(OrgUnit.path, unit.path), OrgUnit.level.in_(grassroots_levels(session)))
        )
    )
    per_month = policy.resolve_for_units(session, communities, d.SCREENING_PER_MONTH, start) if communities else {}
    transitions_out = count(
        select(func.count())
        .select_from(CaseTransition)
        .where(
            CaseTransition.action.in_(("escalate", "emergency_escalate")),
            CaseTransition.from_unit_id.in_(inside),
            CaseTransition.to_unit_id.not_in(inside),
            _between(CaseTransition.at, start, end),
        )
    )
    # Counts that share a table are read together, each from its own index (one round trip each).
    resolved, agreements = session.execute(
        select(func.count(), func.count(sql_case((DisputeCase.outcome == "agreement", 1))))
        .select_from(DisputeCase)
        .where(resolved_in)
    ).one()
    # Registered by month end and not resolved by then: still open, or resolved later. Each
    # part is one range of ix_dispute_case_open; for the second the subtree is checked on its
    # index entries (``org_path || ''`` keeps the planner from walking the district's whole
    # history through the path index instead).
    still_open = (
        select(func.count())
        .select_from(DisputeCase)
        .where(
            DisputeCase.resolved_on.is_(None),
            in_subtree(DisputeCase.org_path, unit.path),
            DisputeCase.registered_on <= end,
        )
        .scalar_subquery()
    )
    resolved_later = (
        select(func.count())
        .select_from(DisputeCase)
        .where(
            DisputeCase.resolved_on > end,
            in_subtree(DisputeCase.org_path.concat(""), unit.path),
            DisputeCase.registered_on <= end,
        )
        .scalar_subquery()
    )

    def appeals(column):
        return (
            select(func.count())
            .select_from(Appeal)
            .where(in_subtree(Appeal.org_path, unit.path), column >= start, column <= end)
            .scalar_subquery()
        )

    pending, appeals_received, appeals_closed = session.execute(
        select(still_open + resolved_later, appeals(Appeal.received_on), appeals(Appeal.feedback_on))
    ).one()
    figures = {
        "screenings": int(screening_rows[0]),
        "screenings_required": sum(int(v.value) for v in per_month.values()),
        "disputes_found": int(screening_rows[1]),
        "instability_factors": int(screening_rows[2]),
        "registered": sum(by_category.values()),
        "resolved": int(resolved),
        "agreements": int(agreements),
        "escalated_out": transitions_out,
        "emergencies": count(
            select(func.count())
            .select_from(DisputeCase)
            .where(origin_in(unit), _between(DisputeCase.emergency_at, start, end))
        ),
        "pending": int(pending or 0),
        "follow_ups_done": count(
            select(func.count())
            .select_from(FollowUpVisit)
            .join(DisputeCase, DisputeCase.id == FollowUpVisit.case_id)
            .where(
                in_subtree(DisputeCase.org_path, unit.path),
                FollowUpVisit.visited_on >= start,
                FollowUpVisit.visited_on <= end,
            )
        ),
        "appeals_received": int(appeals_received or 0),
        "appeals_closed": int(appeals_closed or 0),
    }
    return SummaryFigures(unit=unit, period=period, figures=figures, by_category=by_category)


ZERO_REPORT_NOTE = "本月辖区内无矛盾纠纷，零报告。"


def submit_monthly_summary(
    session: Session,
    host: PluginHost,
    unit: OrgUnit,
    month: str,
    *,
    note: str | None,
    user_id: int | None,
    today: date | None = None,
) -> tuple[MonthlySummary, ObligationInstance]:
    """Submit the 统计表 through the reporting calendar: a zero report when
    nothing happened and the locality runs the zero-report rule."""
    today = today or policy.local_today()
    period = month_period(month)
    problems: list[ErrorDetail] = []
    clean_note = _text(note, "note", "说明", problems, limit=2000, required=False)
    _raise(problems)
    next_month = bool(_resolve(session, unit, d.MONTHLY_SUMMARY_DUE_NEXT_MONTH, period[1]))
    if next_month and today <= period[1]:
        raise UserInputError("MONTH_NOT_OVER", f"{month} 尚未结束，次月再报送本月统计表。", "month")
    instance = ensure_instance(session, host, d.MONTHLY_SUMMARY, unit, period)
    # Two submissions at once: the second waits here and then finds it submitted.
    locked = session.get(ObligationInstance, instance.id, with_for_update=True, populate_existing=True)
    assert locked is not None
    instance = locked
    result = summary_figures(session, unit, period)
    zero = result.is_zero and bool(_resolve(session, unit, d.ZERO_REPORT_REQUIRED, period[1]))
    if zero and clean_note is None:
        clean_note = ZERO_REPORT_NOTE
    _submit(session, host, instance, field="month", user_id=user_id, note=clean_note, zero_report=zero, today=today)
    figures = dict(result.figures)
    figures.update({f"category.{k}": v for k, v in result.by_category.items()})
    row = session.scalars(
        select(MonthlySummary).where(MonthlySummary.org_unit_id == unit.id, MonthlySummary.period_start == period[0])
    ).first()
    if row is None:
        row = MonthlySummary(
            org_unit_id=unit.id,
            org_path=unit.path,
            period_start=period[0],
            period_end=period[1],
            instance_id=instance.id,
        )
        session.add(row)
    row.figures = figures
    row.zero_report = zero
    row.note = clean_note
    row.submitted_by_id = user_id
    row.submitted_at = utcnow()
    session.flush()
    return row, instance


# --- appeals ---------------------------------------------------------------------------------


def intake_appeal(
    session: Session,
    unit: OrgUnit,
    *,
    channel: str,
    resident_id: int | None,
    appellant_name: str | None,
    phone: str | None,
    subject: str,
    content: str,
    received_on: date | None,
    user_id: int | None,
    today: date | None = None,
) -> Appeal:
    """受理 an appeal: the receiving unit is its first handler and stays
    responsible; the deadline is policy ``mediation.appeal.deadline_days``."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    _choice(channel, d.APPEAL_CHANNELS, "channel", "诉求渠道", problems)
    clean_subject = _text(subject, "subject", "诉求事项", problems, limit=TITLE_MAX)
    clean_content = _text(content, "content", "诉求内容", problems)
    received = received_on or today
    if received > today:
        problems.append(ErrorDetail("IN_FUTURE", "受理日期不能晚于今天。", "receivedOn"))
    name = None
    if resident_id is not None:
        if session.get(Resident, resident_id) is None:
            problems.append(ErrorDetail("UNKNOWN_RESIDENT", "实有人口中没有这名居民。", "residentId"))
    else:
        name = _text(appellant_name, "appellantName", "诉求人姓名", problems, limit=NAME_MAX)
    clean_phone = None
    if phone and phone.strip():
        checked = check_phone(phone)
        if isinstance(checked, ErrorDetail):
            problems.append(checked)
        else:
            clean_phone = checked
    _raise(problems)
    _check_unit_open(unit, today)
    days = _resolve_int(session, unit, d.APPEAL_DEADLINE_DAYS, received)
    appeal = Appeal(
        org_unit_id=unit.id,
        org_path=unit.path,
        channel=channel,
        resident_id=resident_id,
        appellant_name=name,
        phone=clean_phone,
        subject=clean_subject,
        content=clean_content,
        received_on=received,
        due_on=received + timedelta(days=days),
        status=d.APPEAL_RECEIVED,
        first_handler_id=user_id,
    )
    session.add(appeal)
    session.flush()
    return appeal


def get_appeal(session: Session, appeal_id: int, *, field: str = "appealId", lock: bool = False) -> Appeal:
    return get_row(session, Appeal, appeal_id, what="居民诉求", field=field, lock=lock)


def _appeal_status(appeal: Appeal, allowed: Sequence[str], doing: str) -> None:
    if appeal.status not in allowed:
        raise UserInputError(
            "INVALID_STATUS",
            f"诉求当前为“{d.APPEAL_STATUSES.get(appeal.status, appeal.status)}”，不能{doing}。",
            "appealId",
        )


def forward_appeal(session: Session, appeal: Appeal, *, office: str, today: date | None = None) -> Appeal:
    """转办 to the responsible office; the first handler stays responsible
    (the appeal keeps its unit) and records the result and the feedback."""
    today = today or policy.local_today()
    _appeal_status(appeal, (d.APPEAL_RECEIVED,), "转办")
    problems: list[ErrorDetail] = []
    clean = _text(office, "office", "承办部门", problems, limit=TITLE_MAX)
    _raise(problems)
    appeal.forwarded_to = clean
    appeal.forwarded_on = today
    appeal.status = d.APPEAL_FORWARDED
    session.flush()
    return appeal


def resolve_appeal(session: Session, appeal: Appeal, *, resolution: str, today: date | None = None) -> Appeal:
    today = today or policy.local_today()
    _appeal_status(appeal, (d.APPEAL_RECEIVED, d.APPEAL_FORWARDED), "办结")
    problems: list[ErrorDetail] = []
    appeal.resolution = _text(resolution, "resolution", "办理结果", problems)
    _raise(problems)
    appeal.resolved_on = today
    appeal.status = d.APPEAL_RESOLVED
    session.flush()
    return appeal


def feedback_appeal(
    session: Session, appeal: Appeal, *, feedback: str, satisfaction: str, today: date | None = None
) -> Appeal:
    """Feedback to the resident and their satisfaction rating."""
    today = today or policy.local_today()
    _appeal_status(appeal, (d.APPEAL_RESOLVED,), "反馈")
    problems: list[ErrorDetail] = []
    text = _text(feedback, "feedback", "反馈内容", problems)
    _choice(satisfaction, d.SATISFACTION, "satisfaction", "满意度", problems)
    _raise(problems)
    appeal.feedback = text
    appeal.satisfaction = satisfaction
    appeal.feedback_on = today
    appeal.status = d.APPEAL_CLOSED
    session.flush()
    return appeal


def is_overdue(appeal: Appeal, today: date) -> bool:
    return appeal.status in (d.APPEAL_RECEIVED, d.APPEAL_FORWARDED) and appeal.due_on < today


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(Appeal.status.in_((d.APPEAL_RECEIVED, d.APPEAL_FORWARDED)), Appeal.due_on < today)


# --- grid events -------------------------------------------------------------------------------


def report_grid_event(
    session: Session,
    settings: Settings,
    host: PluginHost,
    unit: OrgUnit,
    *,
    event_type: str,
    description: str,
    occurred_on: date | None,
    resident_id: int | None,
    user_id: int | None,
    today: date | None = None,
) -> GridEvent:
    """Record an 八必报 event and route it by type (``EVENT_ROUTES``)."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    _choice(event_type, d.EVENT_TYPES, "eventType", "事件类型", problems)
    text = _text(description, "description", "事件描述", problems)
    occurred = occurred_on or today
    if occurred > today:
        problems.append(ErrorDetail("IN_FUTURE", "发生日期不能晚于今天。", "occurredOn"))
    if resident_id is not None and session.get(Resident, resident_id) is None:
        problems.append(ErrorDetail("UNKNOWN_RESIDENT", "实有人口中没有这名居民。", "residentId"))
    _raise(problems)
    _check_unit_open(unit, today)
    route = d.EVENT_ROUTES[event_type]
    event = GridEvent(
        org_unit_id=unit.id,
        org_path=unit.path,
        event_type=event_type,
        description=text,
        occurred_on=occurred,
        resident_id=resident_id,
        route=route,
        routing_status=d.ROUTED,
        reported_by_id=user_id,
    )
    community = community_of(session, settings, unit)
    label = d.EVENT_TYPES[event_type]
    if route == d.ROUTE_APPEAL:
        appeal = intake_appeal(
            session,
            community,
            channel="grid",
            resident_id=resident_id,
            appellant_name=None if resident_id else f"{unit.name}网格上报",
            phone=None,
            subject=f"{label}：{unit.name}",
            content=text or "",
            received_on=occurred,
            user_id=user_id,
            today=today,
        )
        event.appeal_id = appeal.id
        event.routing_note = f"已转{community.name}居民诉求办理，办理时限至 {appeal.due_on}。"
    elif route == d.ROUTE_CASE:
        case = register_case(
            session,
            settings,
            unit=community,
            title=f"{label}：{unit.name}",
            category="other",
            source="grid_report",
            risk_level="ordinary",
            facts=text or "",
            parties=[PartyInput(role="applicant", resident_id=resident_id)] if resident_id else [],
            registered_on=occurred,
            user_id=user_id,
            today=today,
        )
        event.case_id = case.id
        event.routing_note = f"已在{community.name}登记为矛盾纠纷个案 {case.case_number}。"
    elif route == d.ROUTE_PEOPLE:
        event.routing_status = d.PENDING_REVIEW
        event.routing_note = f"请{community.name}核实后在实有人口中登记（{label}）。"
    elif route == d.ROUTE_VISIT:
        event.routing_note = f"已告知{community.name}安排走访慰问。"
    elif route == d.ROUTE_FAMILY_PLANNING:
        # The family-planning module takes it over through core's grid-event hook
        # (core.grid_events): a service follow-up, never a sanction.
        from core.grid_events import GridEventNotice, dispatch

        notice = GridEventNotice(
            event_type=event_type,
            org_unit_id=unit.id,
            occurred_on=occurred,
            resident_id=resident_id,
            reported_by_id=user_id,
        )
        note = dispatch(session, host, notice, today=today, registry=policy_registry_for(host))
        if note is not None:
            event.routing_note = note
        else:
            event.routing_status = d.NOT_ROUTED
            event.routing_note = "未分派：计划生育模块在本单位未启用。"
    session.add(event)
    session.flush()
    return event


def review_grid_event(session: Session, event: GridEvent, *, note: str | None, user_id: int | None) -> GridEvent:
    """The community has checked a newcomer or rental report (and updated the
    people registry through core): the event is done."""
    if event.routing_status != d.PENDING_REVIEW:
        raise UserInputError("INVALID_STATUS", "该事件不需要核实。", "eventId")
    problems: list[ErrorDetail] = []
    clean = _text(note, "note", "核实情况", problems, limit=2000)
    _raise(problems)
    event.routing_status = d.ROUTED
    event.routing_note = f"{event.routing_note or ''}已核实：{clean}"
    session.flush()
    return event


def record_incident(
    session: Session,
    unit: OrgUnit,
    *,
    kind: str,
    occurred_on: date,
    summary: str,
    user_id: int | None,
    today: date | None = None,
) -> Incident:
    """An incident that occurred in ``unit`` (a 平安村 criterion counts it)."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    _choice(kind, d.INCIDENT_KINDS, "kind", "事件类别", problems)
    text = _text(summary, "summary", "简要情况", problems)
    if occurred_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "发生日期不能晚于今天。", "occurredOn"))
    _raise(problems)
    _check_unit_open(unit, today)
    row = Incident(
        org_unit_id=unit.id,
        org_path=unit.path,
        kind=kind,
        occurred_on=occurred_on,
        summary=text,
        recorded_by_id=user_id,
    )
    session.add(row)
    session.flush()
    return row


MAX_RESPONDENTS = 1_000_000


def record_satisfaction_survey(
    session: Session,
    unit: OrgUnit,
    *,
    year: int,
    surveyed_on: date,
    respondents: int,
    satisfied: int,
    basically_satisfied: int,
    note: str | None,
    user_id: int | None,
    today: date | None = None,
) -> SatisfactionSurvey:
    """The year's survey of public satisfaction with public security in a
    community or village; one per unit and year."""
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    if not 1900 <= year <= 9999:
        problems.append(ErrorDetail("INVALID_VALUE", "年份不正确。", "year"))
    if surveyed_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "调查日期不能晚于今天。", "surveyedOn"))
    if not 0 < respondents <= MAX_RESPONDENTS:
        problems.append(ErrorDetail("INVALID_VALUE", f"受访人数须为 1 到 {MAX_RESPONDENTS} 人。", "respondents"))
    if satisfied < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "满意人数不能为负数。", "satisfied"))
    if basically_satisfied < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "基本满意人数不能为负数。", "basicallySatisfied"))
    if satisfied >= 0 and basically_satisfied >= 0 and satisfied + basically_satisfied > respondents:
        problems.append(ErrorDetail("INVALID_VALUE", "满意和基本满意人数之和不能超过受访人数。", "satisfied"))
    clean_note = _text(note, "note", "调查说明", problems, required=False)
    _raise(problems)
    _check_unit_open(unit, today)
    taken = session.scalar(
        select(SatisfactionSurvey.id).where(SatisfactionSurvey.org_unit_id == unit.id, SatisfactionSurvey.year == year)
    )
    duplicate = UserInputError("ALREADY_RECORDED", f"“{unit.name}”{year} 年的治安满意度调查已登记。", "year")
    if taken is not None:
        raise duplicate
    row = SatisfactionSurvey(
        org_unit_id=unit.id,
        org_path=unit.path,
        year=year,
        surveyed_on=surveyed_on,
        respondents=respondents,
        satisfied=satisfied,
        basically_satisfied=basically_satisfied,
        note=clean_note,
        recorded_by_id=user_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise duplicate from None
    return row


# --- statistics --------------------------------------------------------------------------------


@dataclass
class LevelRate:
    level: str
    received: int
    resolved: int

    @property
    def rate(self) -> float | None:
        return self.resolved / self.received if self.received else None


@dataclass
class Statistics:
    by_category: dict[str, int]
    by_status: dict[str, int]
    by_month: list[int]
    per_level: list[LevelRate]
    follow_ups_due: int
    follow_ups_on_time: int

    @property
    def follow_up_on_time_rate(self) -> float | None:
        return self.follow_ups_on_time / self.follow_ups_due if self.follow_ups_due else None


def statistics(
    session: Session, settings: Settings, unit: OrgUnit, year: int, *, today: date | None = None
) -> Statistics:
    """Cases registered in ``year`` in ``unit``'s subtree: by category,
    current status and month; per level, how many cases it held and how
    many it resolved; follow-up visits due in the year done on time."""
    today = today or policy.local_today()
    start, end = date(year, 1, 1), date(year, 12, 31)
    cases = list(
        session.scalars(
            select(DisputeCase).where(
                origin_in(unit), DisputeCase.registered_on >= start, DisputeCase.registered_on <= end
            )
        )
    )
    by_category: dict[str, int] = {}
    by_status: dict[str, int] = {}
    by_month = [0] * 12
    for case in cases:
        by_category[case.category] = by_category.get(case.category, 0) + 1
        by_status[case.status] = by_status.get(case.status, 0) + 1
        by_month[case.registered_on.month - 1] += 1
    held: dict[str, set[int]] = {}
    if cases:
        rows = session.execute(
            select(CaseTransition.case_id, OrgUnit.level)
            .join(OrgUnit, OrgUnit.id == CaseTransition.to_unit_id)
            .where(CaseTransition.case_id.in_([c.id for c in cases]))
        )
        for case_id, level in rows:
            held.setdefault(level, set()).add(case_id)
    resolved: dict[str, int] = {}
    for case in cases:
        if case.resolved_level:
            resolved[case.resolved_level] = resolved.get(case.resolved_level, 0) + 1
    per_level = [
        LevelRate(level=level.code, received=len(held.get(level.code, ())), resolved=resolved.get(level.code, 0))
        for level in settings.org_levels
        if held.get(level.code)
    ]
    visits = session.execute(
        select(FollowUpVisit.due_on, FollowUpVisit.visited_on)
        .join(DisputeCase, DisputeCase.id == FollowUpVisit.case_id)
        .where(in_subtree(DisputeCase.org_path, unit.path), FollowUpVisit.due_on >= start, FollowUpVisit.due_on <= end)
    ).all()
    due = [v for v in visits if v.visited_on is not None or v.due_on < today]
    on_time = [v for v in due if v.visited_on is not None and v.visited_on <= v.due_on]
    return Statistics(
        by_category=by_category,
        by_status=by_status,
        by_month=by_month,
        per_level=per_level,
        follow_ups_due=len(due),
        follow_ups_on_time=len(on_time),
    )


@dataclass
class SafeVillage:
    """A community or village measured against the 平安村/零案村 criteria
    for one year: incidents that occurred there, and the surveyed satisfaction."""

    unit: OrgUnit
    year: int
    incidents: dict[str, int]
    survey: SatisfactionSurvey | None
    min_satisfaction_percent: int
    comparator: str

    @property
    def satisfaction_percent(self) -> float | None:
        if self.survey is None:
            return None
        return 100.0 * (self.survey.satisfied + self.survey.basically_satisfied) / self.survey.respondents

    @property
    def satisfaction_met(self) -> bool:
        rate = self.satisfaction_percent
        if rate is None:
            return False
        # Compared in whole respondents, not rounded percentages: 95 of 100 is "达95%".
        assert self.survey is not None
        content = (self.survey.satisfied + self.survey.basically_satisfied) * 100
        needed = self.min_satisfaction_percent * self.survey.respondents
        return content >= needed if self.comparator == d.AT_LEAST else content > needed

    @property
    def reasons(self) -> list[str]:
        out = [
            f"发生{d.INCIDENT_KINDS[kind]} {n} 起"
            for kind, n in self.incidents.items()
            if n and kind in d.INCIDENT_KINDS
        ]
        rate = self.satisfaction_percent
        wanted = f"{'达到' if self.comparator == d.AT_LEAST else '超过'} {self.min_satisfaction_percent}%"
        if rate is None:
            out.append(f"{self.year} 年没有登记群众对治安满意度调查结果")
        elif not self.satisfaction_met:
            out.append(f"群众对治安满意和基本满意率 {rate:.1f}%，未{wanted}")
        return out

    @property
    def qualified(self) -> bool:
        return not self.reasons


def safe_villages(session: Session, unit: OrgUnit, year: int) -> list[SafeVillage]:
    """平安村/零案村 (seed 000) for every community or village in ``unit``'s
    subtree (or ``unit`` itself): what occurred there in ``year`` — no
    collective petition or group incident, no cult or illegal religious
    activity, no criminal case, no major accident, no prominent
    public-security problem — and the year's surveyed satisfaction with
    public security reaching the policy percentage (with its comparator).
    Risk flags on dispute cases are not incidents and do not count."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    units = list(
        session.scalars(
            select(OrgUnit)
            .where(in_subtree(OrgUnit.path, unit.path), OrgUnit.level.in_(grassroots_levels(session)))
            .order_by(OrgUnit.path)
        )
    ) or [unit]
    minimum = policy.resolve_for_units(session, units, d.SAFE_VILLAGE_SATISFACTION, end)
    comparators = policy.resolve_for_units(session, units, d.SAFE_VILLAGE_SATISFACTION_COMPARATOR, end)
    surveys = {
        row.org_unit_id: row
        for row in session.scalars(
            select(SatisfactionSurvey).where(
                SatisfactionSurvey.org_unit_id.in_([u.id for u in units]), SatisfactionSurvey.year == year
            )
        )
    }
    out = []
    for village in units:
        counted = dict(
            session.execute(
                select(Incident.kind, func.count())
                .where(
                    in_subtree(Incident.org_path, village.path),
                    Incident.occurred_on >= start,
                    Incident.occurred_on <= end,
                )
                .group_by(Incident.kind)
            ).all()
        )
        out.append(
            SafeVillage(
                unit=village,
                year=year,
                incidents={kind: int(counted.get(kind, 0)) for kind in d.INCIDENT_KINDS},
                survey=surveys.get(village.id),
                min_satisfaction_percent=int(minimum[village.id].value),
                comparator=str(comparators[village.id].value),
            )
        )
    return out
