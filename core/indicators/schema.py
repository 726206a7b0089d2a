"""GraphQL for indicators and report forms (一表通)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import strawberry
from sqlalchemy import ColumnElement, or_, select

from core.admission.models import Requirement
from core.admission.schema import RequirementType
from core.api.choices import optional_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for
from core.api.loaders import related_required
from core.api.mutations import atomic
from core.api.relay import Node, model_type
from core.api.rows import row_as, rows_as
from core.auth.permissions import (
    principal_of,
    registry_for_context,
    require,
    scope_condition,
)
from core.indicators import forms
from core.indicators.enums import ReportFieldSource, ReportFieldValueType, ReportSubmissionStatus, ReportValueSource
from core.indicators.models import (
    ReportForm,
    ReportFormField,
    ReportSubmission,
    ReportValue,
)
from core.indicators.registry import registry_for_context as indicators_of
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.plugin_host import host_of
from core.reporting.enums import ObligationRecurrence

MAX_LIST = 200


def _ancestor_paths(path: str) -> list[str]:
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def _visible_forms(context: RequestContext) -> ColumnElement[bool]:
    """A form is seen where it is defined and by the units it reaches."""
    principal = principal_of(context)
    paths = principal.paths(forms.VIEW.code) if principal is not None else ()
    if not paths:
        return ReportForm.id.is_(None)
    conditions = [in_subtree(ReportForm.org_path, path) for path in paths]
    conditions.append(ReportForm.org_path.in_([a for path in paths for a in _ancestor_paths(path)]))
    return or_(*conditions)


def load_forms(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(select(ReportForm).where(ReportForm.id.in_(pks), _visible_forms(context)))
    return {row.id: row for row in rows}


def load_submissions(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(
        select(ReportSubmission).where(
            ReportSubmission.id.in_(pks), scope_condition(context, forms.VIEW.code, ReportSubmission.org_path)
        )
    )
    return {row.id: row for row in rows}


@strawberry.type(description="由业务记录计算的统计指标（插件通过 register_indicators 声明）。")
class IndicatorType:
    code: str
    name: str
    description: str
    unit: str = strawberry.field(description="计量单位：件、户、人、次……")
    aliases: list[str] = strawberry.field(description="同一数据的其他叫法（手工字段用这些名称时提示重复索要）。")
    plugin: str = strawberry.field(description="声明指标的模块。")


@strawberry.type(name="ReportFormField", description="报表字段：绑定指标（自动取数）或手工填写。")
class ReportFormFieldType:
    code: str
    label: str
    source: str = strawberry.field(
        description="indicator（由指标自动取数）或 manual（手工填写）。",
        deprecation_reason="改用 fieldSource（枚举）。",
    )

    @strawberry.field(description="取数方式。")
    def field_source(self) -> ReportFieldSource:
        return ReportFieldSource(self.source)

    indicator_code: str | None = strawberry.field(description="绑定的指标代码（见 indicators）；手工字段为空。")
    value_type: str = strawberry.field(
        description="int、decimal 或 text。", deprecation_reason="改用 fieldValueType（枚举）。"
    )

    @strawberry.field(description="值类型。")
    def field_value_type(self) -> ReportFieldValueType:
        return ReportFieldValueType(self.value_type)

    min_value: Decimal | None
    max_value: Decimal | None
    required: bool
    asks_twice: str | None = strawberry.field(
        description="手工字段所要的数据已有指标提供时，为该指标代码（重复索要数据）；否则为空。"
    )


def _field(item: ReportFormField, context: RequestContext) -> ReportFormFieldType:
    return ReportFormFieldType(
        code=item.code,
        label=item.label,
        source=item.source,
        indicator_code=item.indicator_code,
        value_type=item.value_type,
        min_value=item.min_value,
        max_value=item.max_value,
        required=item.required,
        asks_twice=forms.asks_twice(item, indicators_of(context)),
    )


@model_type(
    ReportForm, name="ReportForm", description="报表（一表通）：由上级在系统中定义，关联准入事项，按报送日历应报。"
)
class ReportFormType(Node):
    code: str
    name: str
    recurrence: str = strawberry.field(
        description="monthly、quarterly、half_yearly 或 yearly。", deprecation_reason="改用 formRecurrence（枚举）。"
    )

    @strawberry.field(description="报送周期。")
    def form_recurrence(self) -> ObligationRecurrence:
        return ObligationRecurrence(self.recurrence)

    due_day: int = strawberry.field(description="次月几日前报送。")
    levels: list[str] = strawberry.field(description="填报的层级代码。")

    @strawberry.field(description="在报送日历中的事项类型代码（form.<编号>，见 obligationTypes）。")
    def type_code(self, root: ReportForm) -> str:
        return f"form.{root.id}"

    @strawberry.field(description="定义报表的单位。")
    def org_unit(self, root: ReportForm, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="所依据的准入事项（调阅须有 admission.view 权限）。")
    def requirement(self, root: ReportForm, info: strawberry.Info) -> RequirementType | None:
        from core.admission.schema import load_requirements

        return row_as(RequirementType, load_requirements(info.context, [root.requirement_id]).get(root.requirement_id))

    @strawberry.field(description="字段，按顺序。")
    def fields(self, root: ReportForm, info: strawberry.Info) -> list[ReportFormFieldType]:
        return [_field(item, info.context) for item in forms.fields_of(info.context.session, root)]

    @strawberry.field(description="由业务记录自动取数的字段占全部字段的比例（0–1）。")
    def fill_share(self, root: ReportForm, info: strawberry.Info) -> float:
        return forms.share(info.context.session, [root]).ratio


@strawberry.type(name="ReportValue", description="一个字段的填报值。")
class ReportValueType:
    field_code: str
    label: str
    source: str = strawberry.field(
        description="indicator（自动取数）、manual（手工填写）或 override（改动了自动取数，附理由）。",
        deprecation_reason="改用 valueSource（枚举）。",
    )

    @strawberry.field(description="数值来源。")
    def value_source(self) -> ReportValueSource:
        return ReportValueSource(self.source)

    number: Decimal | None
    text: str | None
    computed: Decimal | None = strawberry.field(description="按业务记录计算的数值（仅指标字段）。")
    reason: str | None = strawberry.field(description="改动自动取数的理由。")
    changed_at: datetime | None


@model_type(ReportSubmission, name="ReportSubmission", description="一个单位一期的报表填报。")
class ReportSubmissionType(Node):
    period_start: date
    period_end: date
    status: str = strawberry.field(
        description="draft（填报中）或 submitted（已报送）。", deprecation_reason="改用 submissionStatus（枚举）。"
    )

    @strawberry.field(description="填报状态。")
    def submission_status(self) -> ReportSubmissionStatus:
        return ReportSubmissionStatus(self.status)

    submitted_at: datetime | None

    @strawberry.field(description="填报单位。")
    def org_unit(self, root: ReportSubmission, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="报表。")
    def form(self, root: ReportSubmission, info: strawberry.Info) -> ReportFormType:
        return row_as(ReportFormType, info.context.session.get(ReportForm, root.form_id))

    @strawberry.field(description="各字段的值，按字段顺序。")
    def values(self, root: ReportSubmission, info: strawberry.Info) -> list[ReportValueType]:
        session = info.context.session
        rows = session.execute(
            select(ReportFormField, ReportValue)
            .outerjoin(
                ReportValue, (ReportValue.field_id == ReportFormField.id) & (ReportValue.submission_id == root.id)
            )
            .where(ReportFormField.form_id == root.form_id)
            .order_by(ReportFormField.position)
        )
        return [
            ReportValueType(
                field_code=item.code,
                label=item.label,
                source=value.source if value else item.source,
                number=value.number if value else None,
                text=value.text if value else None,
                computed=value.computed if value else None,
                reason=value.reason if value else None,
                changed_at=value.changed_at if value else None,
            )
            for item, value in rows
        ]


@strawberry.type(description="报表汇总表的一行：一个下级单位（及其辖区）或合计。")
class ReportTableRow:
    org_unit: OrgUnitType
    values: list[str | None] = strawberry.field(description="按字段顺序的值（数字以文本给出）。")
    submitted: int = strawberry.field(description="辖区内已报送的单位数。")
    owed: int = strawberry.field(description="辖区内应报的单位数。")


@strawberry.type(description="报表的汇总表：下级单位逐行、合计一行；指标字段按各辖区计算，手工字段为已填报数之和。")
class ReportTable:
    period_start: date
    period_end: date
    headers: list[str]
    rows: list[ReportTableRow]
    total: ReportTableRow


@strawberry.type(description="报表由业务记录自动取数的比例。")
class FormShare:
    form: ReportFormType
    fields: int
    from_records: int
    share: float


@strawberry.type(description="所选单位可见的各报表及总体的自动取数比例（目标 ≥ 90%）。")
class ReportFormShare:
    forms: list[FormShare]
    fields: int
    from_records: int
    share: float


def _text(value: Decimal | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _row(row: forms.TableRow) -> ReportTableRow:
    return ReportTableRow(
        org_unit=row_as(OrgUnitType, row.unit),
        values=[_text(v) for v in row.values],
        submitted=row.submitted,
        owed=row.owed,
    )


def _unit(context: RequestContext, global_id: strawberry.ID, permission: str, field: str) -> OrgUnit:
    unit: OrgUnit = object_for(context, global_id, "OrgUnit", None, field=field)
    require(context, permission, unit, registry=registry_for_context(context))
    return unit


def _report_forms(context: RequestContext, under: strawberry.ID) -> list[ReportForm]:
    """The forms the selected unit defined and those sent down to it."""
    unit = _unit(context, under, forms.VIEW.code, "under")
    rows = context.session.scalars(
        select(ReportForm)
        .where(
            _visible_forms(context),
            or_(in_subtree(ReportForm.org_path, unit.path), ReportForm.org_path.in_(_ancestor_paths(unit.path))),
        )
        .order_by(ReportForm.id)
        .limit(MAX_LIST)
    )
    return list(rows)


@strawberry.type
class IndicatorQuery:
    @strawberry.field(description="本部署声明的统计指标（由已启用的模块提供）。")
    def indicators(self, info: strawberry.Info) -> list[IndicatorType]:
        return [
            IndicatorType(
                code=i.code,
                name=i.name,
                description=i.description,
                unit=i.unit,
                aliases=list(i.aliases),
                plugin=i.plugin,
            )
            for i in indicators_of(info.context).all()
        ]

    @strawberry.field(description="一个指标在某单位辖区、某期间的数值；须在该单位有 forms.view 权限。")
    def indicator_value(
        self, info: strawberry.Info, code: str, under: strawberry.ID, period_start: date, period_end: date
    ) -> Decimal:
        context: RequestContext = info.context
        unit = _unit(context, under, forms.VIEW.code, "under")
        if period_end < period_start:
            raise UserInputError("INVALID_RANGE", "结束日期不能早于开始日期。", "periodEnd")
        return indicators_of(context).require(code, field="code").value(context.session, unit, period_start, period_end)

    @strawberry.field(description="所选单位定义的、以及下达给它的报表（须有 forms.view 权限）。")
    def report_forms(self, info: strawberry.Info, under: strawberry.ID) -> list[ReportFormType]:
        return rows_as(ReportFormType, _report_forms(info.context, under))

    @strawberry.field(description="所选单位可见的报表由业务记录自动取数的比例，逐表和总体。")
    def report_form_share(self, info: strawberry.Info, under: strawberry.ID) -> ReportFormShare:
        context: RequestContext = info.context
        found = _report_forms(context, under)
        session = context.session
        items = []
        for form in found:
            share = forms.share(session, [form])
            items.append(
                FormShare(
                    form=row_as(ReportFormType, form),
                    fields=share.fields,
                    from_records=share.from_records,
                    share=share.ratio,
                )
            )
        overall = forms.share(session, found)
        return ReportFormShare(
            forms=items, fields=overall.fields, from_records=overall.from_records, share=overall.ratio
        )

    @strawberry.field(description="报表在所选单位一期的汇总表（下级逐行、合计一行）。")
    def report_table(
        self, info: strawberry.Info, form_id: strawberry.ID, under: strawberry.ID, period_start: date
    ) -> ReportTable:
        context: RequestContext = info.context
        form = object_for(context, form_id, "ReportForm", None, field="formId", what="报表")
        unit = _unit(context, under, forms.VIEW.code, "under")
        items, rows, total = forms.table(context.session, form, unit, period_start, indicators=indicators_of(context))
        start, end = forms.period_of(form.recurrence, period_start)
        return ReportTable(
            period_start=start,
            period_end=end,
            headers=[item.label for item in items],
            rows=[_row(r) for r in rows],
            total=_row(total),
        )


@strawberry.input
class ReportFieldInput:
    code: str
    label: str
    indicator_code: str | None = strawberry.field(
        default=None, description="绑定的指标（见 indicators）；为空时手工填写。"
    )
    value_type: str | None = strawberry.field(
        default=None,
        description="手工字段的类型：int、decimal、text。",
        deprecation_reason="改用 fieldValueType（枚举）。",
    )
    field_value_type: ReportFieldValueType | None = strawberry.field(
        default=None, description="手工字段的值类型；默认 INT。"
    )
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    required: bool = True


@strawberry.input
class DefineReportFormInput:
    org_unit_id: strawberry.ID = strawberry.field(
        description="定义报表的单位：报表下达到其辖区内 levels 所列层级的单位。"
    )
    requirement_id: strawberry.ID = strawberry.field(description="已批准的准入事项。")
    code: str
    name: str
    levels: list[str]
    recurrence: str | None = strawberry.field(default=None, deprecation_reason="改用 formRecurrence（枚举）。")
    form_recurrence: ObligationRecurrence | None = strawberry.field(
        default=None, description="报送周期：MONTHLY、QUARTERLY、HALF_YEARLY 或 YEARLY。"
    )
    due_day: int = 5
    fields: list[ReportFieldInput] = strawberry.field(default_factory=list)


@strawberry.input
class FillReportFormInput:
    form_id: strawberry.ID
    org_unit_id: strawberry.ID
    period_start: date


@strawberry.input
class SetReportValueInput:
    submission_id: strawberry.ID
    field_code: str
    value: str | None = None
    reason: str | None = strawberry.field(default=None, description="改动自动取数的字段时必填。")


@strawberry.input
class SubmitReportFormInput:
    submission_id: strawberry.ID


@strawberry.type
class ReportFormPayload:
    report_form: ReportFormType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ReportSubmissionPayload:
    submission: ReportSubmissionType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class IndicatorMutation:
    @strawberry.mutation(
        description="定义报表（无须部署）：字段绑定指标或手工填写，关联已准入事项；须有 forms.define 权限。"
    )
    @atomic
    def define_report_form(self, info: strawberry.Info, input: DefineReportFormInput) -> ReportFormPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", forms.DEFINE.code, field="orgUnitId")
        requirement = object_for(
            context, input.requirement_id, "AdmissionRequirement", None, field="requirementId", what="准入事项"
        )
        assert isinstance(requirement, Requirement)
        data = forms.FormInput(
            code=input.code,
            name=input.name,
            levels=input.levels,
            recurrence=(
                optional_code(
                    input.recurrence, input.form_recurrence, legacy_field="recurrence", field="formRecurrence"
                )
                or "monthly"
            ),
            due_day=input.due_day,
            fields=[
                forms.FieldInput(
                    code=f.code,
                    label=f.label,
                    indicator_code=f.indicator_code,
                    value_type=optional_code(
                        f.value_type,
                        f.field_value_type,
                        legacy_field=f"fields.{n}.valueType",
                        field=f"fields.{n}.fieldValueType",
                    )
                    or "int",
                    min_value=f.min_value,
                    max_value=f.max_value,
                    required=f.required,
                )
                for n, f in enumerate(input.fields)
            ],
        )
        form = forms.define(
            context.session,
            context,
            unit,
            requirement,
            data,
            indicators=indicators_of(context),
            host=host_of(context),
            registry=registry_for_context(context),
        )
        return ReportFormPayload(report_form=row_as(ReportFormType, form))

    @strawberry.mutation(
        description="填报：指标字段按业务记录自动取数（已说明理由改动的除外）；须在本单位有 forms.fill 权限。"
    )
    @atomic
    def fill_report_form(self, info: strawberry.Info, input: FillReportFormInput) -> ReportSubmissionPayload:
        context: RequestContext = info.context
        form = object_for(context, input.form_id, "ReportForm", None, field="formId", what="报表")
        unit = object_for(context, input.org_unit_id, "OrgUnit", forms.FILL.code, field="orgUnitId")
        row = forms.fill(
            context.session,
            context,
            form,
            unit,
            input.period_start,
            indicators=indicators_of(context),
            registry=registry_for_context(context),
        )
        return ReportSubmissionPayload(submission=row_as(ReportSubmissionType, row))

    @strawberry.mutation(description="填写手工字段，或说明理由后改动自动取数的字段（理由和原数值均留存）。")
    @atomic
    def set_report_value(self, info: strawberry.Info, input: SetReportValueInput) -> ReportSubmissionPayload:
        context: RequestContext = info.context
        row = object_for(
            context,
            input.submission_id,
            "ReportSubmission",
            forms.FILL.code,
            field="submissionId",
            lock=True,
            what="报表填报",
        )
        forms.set_value(
            context.session,
            context,
            row,
            input.field_code,
            input.value,
            input.reason,
            registry=registry_for_context(context),
        )
        return ReportSubmissionPayload(submission=row_as(ReportSubmissionType, row))

    @strawberry.mutation(description="报送：必填字段须已填写；记入报送日历（按时或逾期）。")
    @atomic
    def submit_report_form(self, info: strawberry.Info, input: SubmitReportFormInput) -> ReportSubmissionPayload:
        context: RequestContext = info.context
        row = object_for(
            context,
            input.submission_id,
            "ReportSubmission",
            forms.FILL.code,
            field="submissionId",
            lock=True,
            what="报表填报",
        )
        forms.submit(context.session, context, host_of(context), row, registry=registry_for_context(context))
        return ReportSubmissionPayload(submission=row_as(ReportSubmissionType, row))
