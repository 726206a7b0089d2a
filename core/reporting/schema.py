"""GraphQL for the reporting calendar.

Reads need ``reporting.view`` where the instance's unit is (lists are
narrowed with ``scope_condition`` on ``ObligationInstance.org_path``);
submitting and zero reports need ``reporting.submit`` at the owing unit;
reopening needs ``reporting.reopen`` there and is audited with its reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import Enum

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_in_scope
from core.api.loaders import related, remember_page
from core.api.mutations import atomic
from core.api.relay import Node, decode_pk, model_type
from core.api.rows import required_row_as, row_as, rows_as
from core.auth.permissions import registry_for as permissions_registry_for
from core.auth.permissions import require, scope_condition
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.plugin_host import host_of
from core.policy.service import local_today
from core.reporting import service
from core.reporting.enums import ObligationKind, ObligationRecurrence, ObligationStatus
from core.reporting.models import ObligationInstance
from core.reporting.obligations import (
    KINDS,
    RECURRENCES,
    ObligationRegistry,
    registry_for,
)

REPORTING_VIEW = "reporting.view"
REPORTING_SUBMIT = "reporting.submit"
REPORTING_REOPEN = "reporting.reopen"
MAX_WITHIN_DAYS = 366


def _types(info: strawberry.Info) -> ObligationRegistry:
    return registry_for(host_of(info.context))


def _require(context: RequestContext, code: str, unit: OrgUnit | str) -> None:
    require(context, code, unit, registry=permissions_registry_for(host_of(context)))


def load_instances(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for instances the caller may see."""
    if not pks:
        return {}
    rows = context.session.scalars(
        select(ObligationInstance).where(
            ObligationInstance.id.in_(pks), scope_condition(context, REPORTING_VIEW, ObligationInstance.org_path)
        )
    )
    return {row.id: row for row in rows}


# --- types ------------------------------------------------------------------------------------


@strawberry.type(name="ObligationType", description="应报事项类型（由插件声明）：报表、会议、公开或走访。")
class ObligationTypeType:
    code: str = strawberry.field(description="类型代码，以声明插件的名称开头。")
    name: str = strawberry.field(description="中文名称。")
    kind: str = strawberry.field(
        description="report（报表）、meeting（会议）、disclosure（公开）或 visit（走访）。",
        deprecation_reason="改用 obligationKind（枚举）。",
    )

    @strawberry.field(description="事项种类。")
    def obligation_kind(self) -> ObligationKind:
        return ObligationKind(self.kind)

    kind_name: str = strawberry.field(description="种类的中文名称。")
    levels: list[str] = strawberry.field(
        description="应报的组织层级代码（按本部署配置的层级，由事项声明的层级角色换算）。"
    )
    recurrence: str = strawberry.field(
        description="周期：times_a_month（每月次数按地方策略）、half_monthly、monthly、quarterly、half_yearly、yearly 或 per_event。",
        deprecation_reason="改用 obligationRecurrence（枚举）。",
    )

    @strawberry.field(description="周期。")
    def obligation_recurrence(self) -> ObligationRecurrence:
        return ObligationRecurrence(self.recurrence)

    recurrence_name: str = strawberry.field(description="周期的中文名称。")
    due_day_key: str | None = strawberry.field(description="截止日所读的策略项（每月的日期）。")
    due_month_offset: int | None = strawberry.field(
        description="截止日在期末所在月之后第几个月：1 为次月，0 为当月（由 dueNextMonthKey 决定时不用）。"
    )
    due_next_month_key: str | None = strawberry.field(
        description="决定是否次月报送的策略项（是/否）；为空时按 dueMonthOffset。"
    )
    generic_submission: bool = strawberry.field(
        description="能否用 submitObligation/submitZeroReport 直接报送；否时须在所属业务模块中填报内容后报送。"
    )
    description: str = strawberry.field(description="说明。")
    plugin: str = strawberry.field(description="声明此类型的插件。")


@model_type(ObligationInstance, name="ObligationInstance", description="某单位某一期的应报事项。")
class ObligationInstanceType(Node):
    type_code: str = strawberry.field(description="事项类型代码，见 obligationTypes。")
    period_start: date = strawberry.field(description="本期第一天。")
    period_end: date = strawberry.field(description="本期最后一天。")
    due_on: date = strawberry.field(description="截止日（生成时按地方策略和节假日计算）。")
    submitted_on: date | None = strawberry.field(description="报送日期（北京时间）。")
    note: str | None = strawberry.field(description="报送说明（零报告时为无事项可报的说明）。")
    reopen_reason: str | None = strawberry.field(description="最近一次重新开放的原因。")

    @strawberry.field(description="事项类型的中文名称。")
    def type_name(self, info: strawberry.Info) -> str:
        found = _types(info).get(self.type_code)
        return found.name if found else self.type_code

    @strawberry.field(
        description="状态：open（待报）、submitted（按时报送）、zero_report（零报告，按时或逾期见 isLate）、late（逾期补报）、missing（逾期未报）。",
        deprecation_reason="改用 obligationStatus（枚举）。",
    )
    def status(self, root: ObligationInstance) -> str:
        return service.effective_status(root, local_today())

    @strawberry.field(description="报送状态（按查询日期得出：期满未报的为 MISSING）。")
    def obligation_status(self, root: ObligationInstance) -> ObligationStatus:
        return ObligationStatus(service.effective_status(root, local_today()))

    @strawberry.field(
        description="是否逾期：截止日后才报送（含逾期的零报告），或截止日已过仍未报送。与 status 并列：逾期的零报告 status 为 zero_report，isLate 为 true。"
    )
    def is_late(self, root: ObligationInstance) -> bool:
        return service.is_late(root, local_today())

    @strawberry.field(description="是否为零报告（本期无事项可报）；按时与否见 isLate。")
    def is_zero(self, root: ObligationInstance) -> bool:
        return service.is_zero_report(root)

    @strawberry.field(description="是否已锁定：锁定后不能再报送，须上级重新开放。")
    def locked(self, root: ObligationInstance, info: strawberry.Info) -> bool:
        context: RequestContext = info.context
        return service.is_locked(context.session, host_of(context), root, local_today())

    @strawberry.field(description="是否曾被重新开放。")
    def reopened(self, root: ObligationInstance) -> bool:
        return root.reopened_at is not None

    @strawberry.field(description="应报单位。")
    def org_unit(self, root: ObligationInstance, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))


@strawberry.enum(description="报送完成情况统计的范围。")
class CompletenessScope(Enum):
    ALL = strawberry.enum_value(service.SCOPE_ALL, description="本单位及其全部下级。")
    OWN = strawberry.enum_value(service.SCOPE_OWN, description="只统计本单位自身的应报事项。")
    SUBORDINATES = strawberry.enum_value(
        service.SCOPE_SUBORDINATES, description="只统计全部下级单位的应报事项（不含本单位）。"
    )


@strawberry.type(
    description="报送完成情况：所选范围内在所选期间的应报、已报、按时、零报告、逾期和未报数；own 和 subordinates 分列本单位自身与下级单位。"
)
class ReportingCompleteness:
    expected: int = strawberry.field(description="应报数。")
    submitted: int = strawberry.field(description="已报数（含零报告和逾期补报）。")
    on_time: int = strawberry.field(description="按时报送数（截止日当天及以前）。")
    zero_reports: int = strawberry.field(description="零报告数（含逾期的零报告）。")
    late: int = strawberry.field(description="逾期补报数（截止日后报送，含逾期的零报告）。")
    late_zero_reports: int = strawberry.field(description="逾期的零报告数：既计入零报告数，也计入逾期补报数。")
    missing: int = strawberry.field(description="逾期未报数。")
    open: int = strawberry.field(description="尚未到截止日的待报数。")
    not_admitted: int = strawberry.field(
        description="不计入的事项数：社区已拒绝的，或（地方策略规定时）未经准入审批的报表和事项，既不算应报也不算缺报。"
    )
    reporting_rate: float = strawberry.field(description="报送率：已报数 / 应报数（应报数为 0 时为 0）。")
    on_time_rate: float = strawberry.field(description="按时报送率：按时报送数 / 应报数。")
    problems: list[ObligationInstanceType] = strawberry.field(
        description="逾期补报（含逾期的零报告，见 isLate、isZero）和逾期未报的明细，按单位排列。"
    )
    own: ReportingCompleteness | None = strawberry.field(
        default=None, description="本单位自身的应报情况（不含下级）；不随 scope 变化。分列项内为空。"
    )
    subordinates: ReportingCompleteness | None = strawberry.field(
        default=None, description="全部下级单位的应报情况（不含本单位）；不随 scope 变化。分列项内为空。"
    )

    @classmethod
    def of(cls, result: service.Completeness) -> ReportingCompleteness:
        return cls(
            expected=result.expected,
            submitted=result.submitted,
            on_time=result.on_time,
            zero_reports=result.zero_reports,
            late=result.late,
            late_zero_reports=result.late_zero_reports,
            missing=result.missing,
            open=result.open,
            not_admitted=result.not_admitted,
            reporting_rate=result.reporting_rate,
            on_time_rate=result.on_time_rate,
            problems=rows_as(ObligationInstanceType, result.problems),
            own=cls.of(result.own) if result.own is not None else None,
            subordinates=cls.of(result.subordinates) if result.subordinates is not None else None,
        )


# --- queries ----------------------------------------------------------------------------------


@strawberry.type
class ReportingQuery:
    @strawberry.field(description="本部署声明的应报事项类型。")
    def obligation_types(self, info: strawberry.Info) -> list[ObligationTypeType]:
        return [
            ObligationTypeType(
                code=k.code,
                name=k.name,
                kind=k.kind,
                kind_name=KINDS[k.kind],
                levels=list(info.context.settings.level_codes(k.levels)),
                recurrence=k.recurrence,
                recurrence_name=RECURRENCES[k.recurrence],
                due_day_key=k.due.day_key if k.due else None,
                due_month_offset=k.due.month_offset if k.due else None,
                due_next_month_key=k.due.next_month_key if k.due else None,
                generic_submission=k.generic_submission,
                description=k.description,
                plugin=k.plugin,
            )
            for k in _types(info).all()
        ]

    @strawberry.field(
        description="近期应报：调用者有 reporting.view 权限的范围内尚未报送、截止日在 withinDays 天内（含已逾期未锁定）的事项，截止日早的在前。"
    )
    def due_soon(self, info: strawberry.Info, within_days: int = 7) -> list[ObligationInstanceType]:
        context: RequestContext = info.context
        within_days = max(0, min(within_days, MAX_WITHIN_DAYS))
        statement = service.due_soon_statement(local_today(), within_days).where(
            scope_condition(context, REPORTING_VIEW, ObligationInstance.org_path)
        )
        rows = list(context.session.scalars(statement.limit(500)))
        remember_page(context, rows)
        return rows_as(ObligationInstanceType, rows)

    @strawberry.field(
        description="某单位的报送完成情况，可按事项类型和期间筛选；须在该单位有 reporting.view 权限。"
        "scope 默认 ALL（本单位及其全部下级）；上级只看下级单位时用 SUBORDINATES，只看本单位自身用 OWN。"
        "结果的 own 和 subordinates 总是分列本单位自身与下级单位。"
    )
    def reporting_completeness(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        type_code: str | None = None,
        period_start: date | None = None,
        period_end: date | None = None,
        scope: CompletenessScope = CompletenessScope.ALL,
    ) -> ReportingCompleteness:
        context: RequestContext = info.context
        unit = org_service.get_unit(
            context.session, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId"), field="orgUnitId"
        )
        _require(context, REPORTING_VIEW, unit)
        if type_code is not None:
            _types(info).require(type_code)
        result = service.completeness(
            context.session,
            unit,
            type_code=type_code,
            period_start=period_start,
            period_end=period_end,
            scope=scope.name.lower(),
        )
        pages = [
            *result.problems,
            *(result.own.problems if result.own else []),
            *(result.subordinates.problems if result.subordinates else []),
        ]
        remember_page(context, pages)
        return ReportingCompleteness.of(result)


# --- mutations ------------------------------------------------------------------------------


@strawberry.input(description="报送一期应报事项。")
class SubmitObligationInput:
    instance_id: strawberry.ID
    note: str | None = strawberry.field(default=None, description="报送说明。")


@strawberry.input(description="零报告：本期无事项可报，计为已报。")
class SubmitZeroReportInput:
    instance_id: strawberry.ID
    note: str = strawberry.field(description="无事项可报的说明。")


@strawberry.input(description="重新开放一期事项，允许补报或更正。")
class ReopenObligationInput:
    instance_id: strawberry.ID
    reason: str = strawberry.field(description="重新开放的原因（记入审计）。")


@strawberry.type
class ObligationPayload:
    instance: ObligationInstanceType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _instance_for(context: RequestContext, global_id: str, permission: str, action: str) -> ObligationInstance:
    """An instance within the caller's reach (``permission`` or reporting.view
    at its unit; else NOT_FOUND, as for a missing one), then ``permission``."""
    instance: ObligationInstance = object_in_scope(
        context,
        global_id,
        ObligationInstance,
        "ObligationInstance",
        (permission, REPORTING_VIEW),
        field="instanceId",
        what="报送事项",
    )
    context.audit_subject("ObligationInstance", instance.id, instance.org_unit_id, detail={"action": action})
    _require(context, permission, instance.org_path)
    return instance


def _generic_submission_allowed(info: strawberry.Info, instance: ObligationInstance) -> None:
    kind = _types(info).get(instance.type_code)
    if kind is not None and not kind.generic_submission:
        raise UserInputError(
            "SUBMIT_THROUGH_MODULE",
            f"“{kind.name}”须在所属业务模块中填报内容后报送（含零报告），不能在此直接报送。",
            "instanceId",
        )


def _user_id(context: RequestContext) -> int | None:
    return getattr(context.user, "user_id", None)


@strawberry.type
class ReportingMutation:
    @strawberry.mutation(description="报送一期应报事项：截止日及以前为按时报送，之后为逾期补报；锁定后不能报送。")
    @atomic
    def submit_obligation(self, info: strawberry.Info, input: SubmitObligationInput) -> ObligationPayload:
        context: RequestContext = info.context
        instance = _instance_for(context, input.instance_id, REPORTING_SUBMIT, "submit")
        _generic_submission_allowed(info, instance)
        service.submit(context.session, host_of(context), instance, user_id=_user_id(context), note=input.note)
        return ObligationPayload(instance=row_as(ObligationInstanceType, instance))

    @strawberry.mutation(description="零报告：本期无事项可报，须说明情况；计为已报。")
    @atomic
    def submit_zero_report(self, info: strawberry.Info, input: SubmitZeroReportInput) -> ObligationPayload:
        context: RequestContext = info.context
        instance = _instance_for(context, input.instance_id, REPORTING_SUBMIT, "zero_report")
        _generic_submission_allowed(info, instance)
        service.submit(
            context.session, host_of(context), instance, user_id=_user_id(context), note=input.note, zero_report=True
        )
        return ObligationPayload(instance=row_as(ObligationInstanceType, instance))

    @strawberry.mutation(description="重新开放一期事项（已锁定或已报送），允许再报送一次；记入审计。")
    @atomic
    def reopen_obligation(self, info: strawberry.Info, input: ReopenObligationInput) -> ObligationPayload:
        context: RequestContext = info.context
        instance = _instance_for(context, input.instance_id, REPORTING_REOPEN, "reopen")
        context.audit_subject(
            "ObligationInstance", instance.id, instance.org_unit_id, detail={"action": "reopen", "reason": input.reason}
        )
        service.reopen(context.session, instance, user_id=_user_id(context), reason=input.reason)
        return ObligationPayload(instance=row_as(ObligationInstanceType, instance))
