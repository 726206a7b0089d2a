"""Defining report forms, owing them through the reporting calendar, filling
them from indicators, changing a filled figure with a reason, submitting, and
the table of a subtree (aggregated up the tree).

Rules:
- a form is tied to an approved requirement asked of a subtree holding the
  form's unit (``REQUIREMENT_NOT_APPROVED``, ``REQUIREMENT_NOT_COVERING``),
  and the requirement then covers ``form.<id>`` (``core.admission``);
- a field bound to an indicator is filled from records; changing it needs a
  reason (``REASON_REQUIRED``), recorded with the computed figure;
- a hand-entered field is checked by its type and bounds; a required one
  must be filled before submission (``INCOMPLETE``);
- a hand-entered field that an indicator already provides (same code, name
  or alias) is flagged ``asks_twice``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.admission import service as admission
from core.admission.models import APPROVED, Requirement
from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import Permission, PermissionRegistry, require
from core.db import utcnow
from core.indicators.models import (
    DRAFT,
    FORM_TYPE_PREFIX,
    INDICATOR,
    MANUAL,
    OVERRIDE,
    SUBMITTED,
    VALUE_TYPES,
    ReportForm,
    ReportFormField,
    ReportSubmission,
    ReportValue,
)
from core.indicators.registry import IndicatorRegistry
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.plugin_host import PluginHost
from core.policy import service as policy
from core.reporting import service as reporting
from core.reporting.calendar import WorkingDays, due_day, period_of, previous_period
from core.reporting.models import OPEN, ObligationInstance
from core.reporting.policy_keys import HOLIDAY_SHIFT
from core.settings import settings_of

VIEW = Permission(
    "forms.view",
    "查看报表（一表通）的定义、填报和汇总，导出报表",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
        "auditor",
    ),
)
DEFINE = Permission(
    "forms.define",
    "定义报表：字段绑定指标或手工填写，关联准入事项",
    default_roles=("district_supervisor", "street_leader"),
)
FILL = Permission(
    "forms.fill",
    "填报本单位的报表（指标自动取数，改动须说明理由）",
    default_roles=("community_worker", "committee_chair"),
)
PERMISSIONS = (VIEW, DEFINE, FILL)
RECURRENCES = ("monthly", "quarterly", "half_yearly", "yearly")
MAX_FIELDS = 200


@dataclass
class FieldInput:
    code: str
    label: str
    indicator_code: str | None = None
    value_type: str = "int"
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    required: bool = True


@dataclass
class FormInput:
    code: str
    name: str
    levels: Sequence[str]
    recurrence: str
    due_day: int
    fields: Sequence[FieldInput] = field(default_factory=tuple)


def form_of_type(session: Session, type_code: str) -> ReportForm | None:
    if not type_code.startswith(FORM_TYPE_PREFIX):
        return None
    try:
        pk = int(type_code[len(FORM_TYPE_PREFIX) :])
    except ValueError:
        return None
    return session.get(ReportForm, pk)


def fields_of(session: Session, form: ReportForm) -> list[ReportFormField]:
    return list(
        session.scalars(
            select(ReportFormField).where(ReportFormField.form_id == form.id).order_by(ReportFormField.position)
        )
    )


def define(
    session: Session,
    who: Any,
    unit: OrgUnit,
    requirement: Requirement,
    data: FormInput,
    *,
    indicators: IndicatorRegistry,
    host: PluginHost,
    registry: PermissionRegistry | None = None,
    today: date | None = None,
) -> ReportForm:
    """A form owed by the units of ``data.levels`` in ``unit``'s subtree from
    the current period on. ``who`` None: a locality preset."""
    principal = require(who, DEFINE.code, unit, registry=registry) if who is not None else None
    today = today or policy.local_today()
    problems: list[ErrorDetail] = []
    if requirement.status != APPROVED:
        problems.append(ErrorDetail("REQUIREMENT_NOT_APPROVED", "报表须关联已经准入审批的事项。", "requirementId"))
    elif not unit.path.startswith(requirement.org_path):
        problems.append(
            ErrorDetail("REQUIREMENT_NOT_COVERING", "所关联的准入事项不涉及本单位及其下级。", "requirementId")
        )
    code = (data.code or "").strip()
    name = (data.name or "").strip()
    if not code or len(code) > 64:
        problems.append(ErrorDetail("INVALID_VALUE", "报表代码不能为空，且不超过 64 个字符。", "code"))
    elif session.scalar(select(ReportForm.id).where(ReportForm.org_unit_id == unit.id, ReportForm.code == code)):
        problems.append(ErrorDetail("DUPLICATE", f"本单位已有代码为“{code}”的报表。", "code"))
    if not name or len(name) > 200:
        problems.append(ErrorDetail("REQUIRED", "请填写报表名称（不超过 200 字）。", "name"))
    if data.recurrence not in RECURRENCES:
        problems.append(ErrorDetail("INVALID_VALUE", f"周期须为 {'、'.join(RECURRENCES)} 之一。", "recurrence"))
    if not 1 <= data.due_day <= 31:
        problems.append(ErrorDetail("INVALID_VALUE", "报送截止日须为每月 1 至 31 日。", "dueDay"))
    known = {level.code for level in settings_of(session).org_levels}
    levels = list(dict.fromkeys(data.levels))
    if not levels:
        problems.append(ErrorDetail("REQUIRED", "请指定填报的层级。", "levels"))
    for index, level in enumerate(levels):
        if level not in known:
            problems.append(ErrorDetail("UNKNOWN_LEVEL", f"没有“{level}”这一层级。", f"levels.{index}"))
    if not data.fields or len(data.fields) > MAX_FIELDS:
        problems.append(ErrorDetail("REQUIRED", f"报表须有 1 至 {MAX_FIELDS} 个字段。", "fields"))
    seen: set[str] = set()
    for index, item in enumerate(data.fields):
        where = f"fields.{index}"
        item_code = (item.code or "").strip()
        if not item_code or len(item_code) > 64 or item_code in seen:
            problems.append(
                ErrorDetail("INVALID_VALUE", "字段代码不能为空、不超过 64 个字符且不能重复。", f"{where}.code")
            )
        seen.add(item_code)
        if not (item.label or "").strip() or len(item.label) > 200:
            problems.append(ErrorDetail("REQUIRED", "请填写字段名称（不超过 200 字）。", f"{where}.label"))
        if item.indicator_code is not None:
            if indicators.get(item.indicator_code) is None:
                problems.append(
                    ErrorDetail(
                        "UNKNOWN_INDICATOR",
                        f"没有“{item.indicator_code}”这个指标（或其所属模块未启用）。",
                        f"{where}.indicatorCode",
                    )
                )
        elif item.value_type not in VALUE_TYPES:
            problems.append(ErrorDetail("INVALID_VALUE", "字段类型须为 int、decimal 或 text。", f"{where}.valueType"))
        if item.min_value is not None and item.max_value is not None and item.min_value > item.max_value:
            problems.append(ErrorDetail("INVALID_VALUE", "最小值不能大于最大值。", f"{where}.maxValue"))
    if problems:
        raise UserInputError(errors=problems)
    form = ReportForm(
        org_unit_id=unit.id,
        org_path=unit.path,
        code=code,
        name=name,
        requirement_id=requirement.id,
        levels=levels,
        recurrence=data.recurrence,
        due_day=data.due_day,
        created_by_id=principal.id if principal else None,
    )
    session.add(form)
    session.flush()
    for position, item in enumerate(data.fields):
        session.add(
            ReportFormField(
                form_id=form.id,
                position=position,
                code=item.code.strip(),
                label=item.label.strip(),
                source=INDICATOR if item.indicator_code is not None else MANUAL,
                indicator_code=item.indicator_code,
                value_type="decimal" if item.indicator_code is not None else item.value_type,
                min_value=item.min_value,
                max_value=item.max_value,
                required=item.required,
            )
        )
    admission.link(session, requirement, form.type_code)
    session.flush()
    materialize_form(session, host, form, today)
    return form


def _owing_units(session: Session, form: ReportForm, period: tuple[date, date]) -> list[OrgUnit]:
    start = period[0]
    return list(
        session.scalars(
            select(OrgUnit)
            .where(
                in_subtree(OrgUnit.path, form.org_path),
                OrgUnit.level.in_(form.levels),
                or_(OrgUnit.established_on.is_(None), OrgUnit.established_on <= start),
                or_(OrgUnit.dissolved_on.is_(None), OrgUnit.dissolved_on > start),
            )
            .order_by(OrgUnit.path)
        )
    )


def materialize_form(session: Session, host: PluginHost, form: ReportForm, on: date) -> int:
    """The instances of ``form`` for the period containing ``on`` and the one
    before (not before the form existed); idempotent."""
    current = period_of(form.recurrence, on)
    periods = [current]
    created_on = form.created_at.date() if form.created_at else on
    previous = previous_period(form.recurrence, current)
    if previous[1] >= created_on:
        periods.insert(0, previous)
    created = 0
    for period in periods:
        existing = set(
            session.scalars(
                select(ObligationInstance.org_unit_id).where(
                    ObligationInstance.type_code == form.type_code, ObligationInstance.period_start == period[0]
                )
            )
        )
        units = [u for u in _owing_units(session, form, period) if u.id not in existing]
        if not units:
            continue
        raw = due_day(period[1], form.due_day, 1)
        days = WorkingDays(session, raw - timedelta(days=40), raw + timedelta(days=40))
        shifts = policy.resolve_for_units(session, units, HOLIDAY_SHIFT, period[1])
        for unit in units:
            session.add(
                ObligationInstance(
                    type_code=form.type_code,
                    org_unit_id=unit.id,
                    org_path=unit.path,
                    period_start=period[0],
                    period_end=period[1],
                    due_on=days.shift(raw, unit.path, shifts[unit.id].value),
                    status=OPEN,
                )
            )
            created += 1
    session.flush()
    return created


def materialize_all(session: Session, host: PluginHost, on: date) -> int:
    return sum(
        materialize_form(session, host, form, on)
        for form in session.scalars(select(ReportForm).order_by(ReportForm.id))
    )


def _instance(session: Session, form: ReportForm, unit: OrgUnit, period_start: date) -> ObligationInstance:
    found = session.scalars(
        select(ObligationInstance).where(
            ObligationInstance.type_code == form.type_code,
            ObligationInstance.org_unit_id == unit.id,
            ObligationInstance.period_start == period_start,
        )
    ).first()
    if found is None:
        raise UserInputError("NOT_OWED", f"“{unit.name}”在该期不须填报“{form.name}”。", "periodStart")
    return found


def fill(
    session: Session,
    who: Any,
    form: ReportForm,
    unit: OrgUnit,
    period_start: date,
    *,
    indicators: IndicatorRegistry,
    registry: PermissionRegistry | None = None,
) -> ReportSubmission:
    """Fill (or refill) ``unit``'s period: every indicator field from records,
    except figures changed with a reason; hand-entered values are kept."""
    if who is not None:
        require(who, FILL.code, unit, registry=registry)
    instance = _instance(session, form, unit, period_start)
    submission = session.scalars(
        select(ReportSubmission).where(
            ReportSubmission.form_id == form.id,
            ReportSubmission.org_unit_id == unit.id,
            ReportSubmission.period_start == instance.period_start,
        )
    ).first()
    if submission is None:
        submission = ReportSubmission(
            form_id=form.id,
            org_unit_id=unit.id,
            org_path=unit.path,
            period_start=instance.period_start,
            period_end=instance.period_end,
            instance_id=instance.id,
            status=DRAFT,
        )
        session.add(submission)
        session.flush()
    elif submission.status == SUBMITTED and instance.reopened_at is None:
        raise UserInputError("ALREADY_SUBMITTED", "本期报表已报送。", "periodStart")
    values = {
        v.field_id: v for v in session.scalars(select(ReportValue).where(ReportValue.submission_id == submission.id))
    }
    for item in fields_of(session, form):
        if item.source != INDICATOR:
            continue
        assert item.indicator_code is not None
        figure = indicators.require(item.indicator_code).value(
            session, unit, instance.period_start, instance.period_end
        )
        value = values.get(item.id)
        if value is None:
            session.add(
                ReportValue(
                    submission_id=submission.id, field_id=item.id, number=figure, source=INDICATOR, computed=figure
                )
            )
        else:
            value.computed = figure
            if value.source == INDICATOR:
                value.number = figure
    submission.filled_at = utcnow()
    session.flush()
    return submission


def _parse(item: ReportFormField, raw: str | None) -> tuple[Decimal | None, str | None]:
    text = (raw or "").strip()
    if not text:
        return None, None
    if item.value_type == "text":
        if len(text) > 2000:
            raise UserInputError("TOO_LONG", "内容不能超过 2000 字。", "value")
        return None, text
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise UserInputError("INVALID_VALUE", f"“{item.label}”须填数字。", "value") from None
    if not number.is_finite():
        raise UserInputError("INVALID_VALUE", f"“{item.label}”须填数字。", "value")
    if item.value_type == "int" and number != number.to_integral_value():
        raise UserInputError("INVALID_VALUE", f"“{item.label}”须填整数。", "value")
    if item.min_value is not None and number < item.min_value:
        raise UserInputError("OUT_OF_RANGE", f"“{item.label}”不能小于 {item.min_value}。", "value")
    if item.max_value is not None and number > item.max_value:
        raise UserInputError("OUT_OF_RANGE", f"“{item.label}”不能大于 {item.max_value}。", "value")
    return number, None


def set_value(
    session: Session,
    who: Any,
    submission: ReportSubmission,
    field_code: str,
    raw: str | None,
    reason: str | None,
    *,
    registry: PermissionRegistry | None = None,
) -> ReportValue:
    principal = require(who, FILL.code, submission.org_path, registry=registry)
    instance = session.get(ObligationInstance, submission.instance_id)
    assert instance is not None
    if submission.status == SUBMITTED and instance.reopened_at is None:
        raise UserInputError("ALREADY_SUBMITTED", "本期报表已报送，不能再修改。", "submissionId")
    item = session.scalars(
        select(ReportFormField).where(ReportFormField.form_id == submission.form_id, ReportFormField.code == field_code)
    ).first()
    if item is None:
        raise UserInputError("UNKNOWN_FIELD", f"报表没有“{field_code}”这个字段。", "fieldCode")
    number, text = _parse(item, raw)
    value = session.scalars(
        select(ReportValue).where(ReportValue.submission_id == submission.id, ReportValue.field_id == item.id)
    ).first()
    if value is None:
        value = ReportValue(submission_id=submission.id, field_id=item.id, source=MANUAL)
        session.add(value)
    why = (reason or "").strip() or None
    if item.source == INDICATOR:
        if why is None:
            raise UserInputError(
                "REASON_REQUIRED", f"“{item.label}”由系统按业务记录自动取数，修改须说明理由。", "reason"
            )
        if number is None:
            raise UserInputError("REQUIRED", f"请填写“{item.label}”。", "value")
        value.source = OVERRIDE
    value.number, value.text, value.reason = number, text, why
    value.changed_by_id = principal.id
    value.changed_at = utcnow()
    session.flush()
    return value


def submit(
    session: Session,
    who: Any,
    host: PluginHost,
    submission: ReportSubmission,
    *,
    today: date | None = None,
    registry: PermissionRegistry | None = None,
) -> ReportSubmission:
    principal = require(who, FILL.code, submission.org_path, registry=registry)
    values = {
        v.field_id: v for v in session.scalars(select(ReportValue).where(ReportValue.submission_id == submission.id))
    }
    problems = []
    form = session.get(ReportForm, submission.form_id)
    assert form is not None
    for item in fields_of(session, form):
        value = values.get(item.id)
        if item.required and (value is None or (value.number is None and value.text is None)):
            problems.append(
                ErrorDetail("INCOMPLETE", f"报送前请填写“{item.label}”（字段 {item.code}）。", "submissionId")
            )
    if problems:
        raise UserInputError(errors=problems)
    instance = session.get(ObligationInstance, submission.instance_id)
    assert instance is not None
    reporting.submit(session, host, instance, user_id=principal.id, today=today)
    submission.status = SUBMITTED
    submission.submitted_by_id = principal.id
    submission.submitted_at = utcnow()
    session.flush()
    return submission


# --- reading ------------------------------------------------------------------------------


def asks_twice(item: ReportFormField, indicators: IndicatorRegistry) -> str | None:
    """The code of the indicator a hand-entered field asks for again, if any."""
    if item.source == INDICATOR:
        return None
    found = indicators.matching(item.code, item.label)
    return found.code if found else None


@dataclass(frozen=True)
class Share:
    fields: int
    from_records: int

    @property
    def ratio(self) -> float:
        return self.from_records / self.fields if self.fields else 0.0


def share(session: Session, forms: Sequence[ReportForm]) -> Share:
    """Fields filled from records (bound to an indicator) among all fields of ``forms``."""
    ids = [form.id for form in forms]
    if not ids:
        return Share(0, 0)
    total, bound = session.execute(
        select(func.count(), func.count(ReportFormField.indicator_code)).where(ReportFormField.form_id.in_(ids))
    ).one()
    return Share(int(total), int(bound))


@dataclass
class TableRow:
    unit: OrgUnit
    values: list[Decimal | str | None]
    submitted: int = 0
    owed: int = 0


def table(
    session: Session, form: ReportForm, unit: OrgUnit, period_start: date, *, indicators: IndicatorRegistry
) -> tuple[list[ReportFormField], list[TableRow], TableRow]:
    """The form for ``unit``'s period, one row per child unit and a total:
    indicator fields computed for each child's subtree (so they sum up the
    tree), hand-entered numbers summed over the submissions below it."""
    period = period_of(form.recurrence, period_start)
    items = fields_of(session, form)
    children = list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit.id).order_by(OrgUnit.path)))
    if unit.level in form.levels or not children:
        children = []
    rows = [_row(session, form, items, child, period, indicators) for child in children]
    total = _row(session, form, items, unit, period, indicators)
    return items, rows, total


def _row(
    session: Session,
    form: ReportForm,
    items: list[ReportFormField],
    unit: OrgUnit,
    period: tuple[date, date],
    indicators: IndicatorRegistry,
) -> TableRow:
    sums = dict(
        session.execute(
            select(ReportValue.field_id, func.sum(ReportValue.number))
            .join(ReportSubmission, ReportSubmission.id == ReportValue.submission_id)
            .where(
                ReportSubmission.form_id == form.id,
                ReportSubmission.period_start == period[0],
                in_subtree(ReportSubmission.org_path, unit.path),
            )
            .group_by(ReportValue.field_id)
        ).all()
    )
    values: list[Decimal | str | None] = []
    for item in items:
        if item.source == INDICATOR:
            assert item.indicator_code is not None
            values.append(indicators.require(item.indicator_code).value(session, unit, period[0], period[1]))
        elif item.value_type == "text":
            values.append(None)
        else:
            values.append(sums.get(item.id))
    counts = session.execute(
        select(func.count(), func.count(ObligationInstance.submitted_on)).where(
            ObligationInstance.type_code == form.type_code,
            ObligationInstance.period_start == period[0],
            in_subtree(ObligationInstance.org_path, unit.path),
        )
    ).one()
    return TableRow(unit=unit, values=values, owed=int(counts[0]), submitted=int(counts[1]))
