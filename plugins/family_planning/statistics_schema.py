"""GraphQL of the aggregates: statistics per unit, the yearly report to the
assembly, 四公开 drafts for the board and the quarterly report. Counts only;
no person's record is read, so nothing here needs a purpose."""

from __future__ import annotations

from datetime import date

import strawberry

from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.mutations import atomic
from core.api.rows import row_as
from core.auth.permissions import require, require_signed_in, require_somewhere
from core.board.schema import NoticeType
from core.org.schema import OrgUnitType
from core.plugin_host import host_of
from core.policy.service import local_today, require_plugin_active
from core.reporting.enums import ObligationStatus
from plugins.family_planning import declarations as d
from plugins.family_planning.disclosure import draft_disclosure, year_report
from plugins.family_planning.enums import FamilyPlanningDisclosureKind
from plugins.family_planning.schema_common import unit_arg, unit_input
from plugins.family_planning.statistics import (
    UnitFigures,
    benefit_name,
    certificate_name,
    unit_statistics,
)


@strawberry.type(name="FamilyPlanningCount", description="一项计数。")
class CountType:
    key: str
    label: str
    count: int
    amount: str | None = strawberry.field(default=None, description="金额（元），仅奖励扶助。")


@strawberry.type(name="FamilyPlanningStatistics", description="一个单位的计划生育汇总数（不含任何个人信息）。")
class StatisticsType:
    org_unit: OrgUnitType
    women: int = strawberry.field(description="育龄妇女数（年龄范围为地方政策）。")
    married_women: int = strawberry.field(description="其中已婚（含再婚）。")
    pregnant: int = strawberry.field(description="现孕人数。")
    births: int = strawberry.field(description="期间出生数。")
    certificates_applied: int = strawberry.field(description="期间受理证明申请数。")
    certificates_issued: list[CountType] = strawberry.field(description="期间按类别的发证数。")
    follow_ups_open: int = strawberry.field(description="尚在跟进的服务数。")
    follow_ups_closed: int = strawberry.field(description="期间结束的服务跟进数。")
    agreements: int = strawberry.field(description="期间在执行的协议数。")
    breaches_household: int = strawberry.field(description="期间户方违约次数。")
    breaches_committee: int = strawberry.field(description="期间居委会（村委会）及其成员违约次数。")
    benefits: list[CountType] = strawberry.field(description="期间按项目的奖励扶助人次和金额。")


def statistics_type(row: UnitFigures) -> StatisticsType:
    return StatisticsType(
        org_unit=row_as(OrgUnitType, row.org_unit),
        women=row.women,
        married_women=row.married_women,
        pregnant=row.pregnant,
        births=row.births,
        certificates_applied=row.certificates_applied,
        certificates_issued=[
            CountType(key=k, label=certificate_name(k), count=c) for k, c in sorted(row.certificates_issued.items())
        ],
        follow_ups_open=row.follow_ups_open,
        follow_ups_closed=row.follow_ups_closed,
        agreements=row.agreements,
        breaches_household=row.breaches_household,
        breaches_committee=row.breaches_committee,
        benefits=[
            CountType(key=k, label=benefit_name(k), count=c, amount=f"{a:.2f}")
            for k, (c, a) in sorted(row.benefits.items())
        ],
    )


@strawberry.type(
    name="FamilyPlanningYearReport", description="向居民（代表）会议所作的年度计划生育工作报告：数字和文字都取自记录。"
)
class YearReportType:
    year: int
    text: str
    figures: list[CountType]


@strawberry.type
class StatisticsQuery:
    @strawberry.field(
        description="计划生育汇总统计：该单位本身（第一项）及各直属下级；期间默认为今年。须有 family_planning.view 权限。"
    )
    def family_planning_statistics(
        self, info: strawberry.Info, under: strawberry.ID, start: date | None = None, end: date | None = None
    ) -> list[StatisticsType]:
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code)
        root = unit_arg(context, under)
        require(context, d.VIEW.code, root)
        require_plugin_active(context, root, d.PLUGIN, field="under")
        today = local_today()
        rows = unit_statistics(context.session, root, start or date(today.year, 1, 1), end or today, today)
        return [statistics_type(r) for r in rows]

    @strawberry.field(
        description="年度计划生育工作报告（提交居民（代表）会议）：由记录生成。须有 family_planning.view 权限。"
    )
    def family_planning_year_report(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, year: int
    ) -> YearReportType:
        context: RequestContext = info.context
        require_somewhere(context, d.VIEW.code)
        unit = unit_arg(context, org_unit_id, "orgUnitId")
        require(context, d.VIEW.code, unit)
        figures, text = year_report(context.session, unit, year, local_today())
        return YearReportType(
            year=year, text=text, figures=[CountType(key=k, label=k, count=v) for k, v in figures.items()]
        )


@strawberry.input(
    description="由记录生成一项计划生育四公开的公告草稿（只含汇总数和规定须公开的姓名），再经党组织审核后公开。"
)
class DraftDisclosureInput:
    org_unit_id: strawberry.ID
    kind: str | None = strawberry.field(
        default=None,
        description="policies、births、benefits 或 participation（四公开的四项内容）。",
        deprecation_reason="改用 disclosureKind（枚举）。",
    )
    disclosure_kind: FamilyPlanningDisclosureKind | None = strawberry.field(
        default=None, description="四公开的哪一项内容。"
    )
    year: int


@strawberry.type
class DraftDisclosurePayload:
    notice: NoticeType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="把监事会的一次监督检查结果生成公开栏公告草稿（地方规定公开时），经党组织审核后公开。")
class DraftReviewNoticeInput:
    review_id: strawberry.ID


@strawberry.input(description="报送计划生育季度统计报表：数字取自记录。")
class SubmitReportInput:
    instance_id: strawberry.ID
    note: str | None = None


@strawberry.type
class SubmitReportPayload:
    status: str | None = strawberry.field(default=None, deprecation_reason="改用 obligationStatus（枚举）。")

    @strawberry.field(description="报送后的状态；出错时为空。")
    def obligation_status(self) -> ObligationStatus | None:
        return None if self.status is None else ObligationStatus(self.status)

    figures: list[CountType] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class StatisticsMutation:
    @strawberry.mutation(
        description="生成计划生育四公开公告草稿：须有 family_planning.govern 和 board.draft 权限；之后经党组织审核（approveNotice）方可公开。"
    )
    @atomic
    def draft_family_planning_disclosure(
        self, info: strawberry.Info, input: DraftDisclosureInput
    ) -> DraftDisclosurePayload:
        context: RequestContext = info.context
        require_signed_in(context)
        unit = unit_input(context, input.org_unit_id, d.GOVERN.code)
        notice = draft_disclosure(
            context.session,
            context,
            host_of(context),
            unit,
            kind=required_code(input.kind, input.disclosure_kind, legacy_field="kind", field="disclosureKind"),
            year=input.year,
            today=local_today(),
        )
        return DraftDisclosurePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(
        description="生成监事会监督检查结果的公开栏公告草稿：须有 family_planning.supervise 和 board.draft 权限；地方规定不公开时拒绝。"
    )
    @atomic
    def draft_supervisory_review_notice(
        self, info: strawberry.Info, input: DraftReviewNoticeInput
    ) -> DraftDisclosurePayload:
        from core.api.ids import object_for
        from plugins.family_planning.disclosure import draft_review_notice

        context: RequestContext = info.context
        require_signed_in(context)
        review = object_for(
            context,
            input.review_id,
            "SupervisoryReview",
            d.SUPERVISE.code,
            field="reviewId",
            lock=True,
            what="监督检查",
        )
        notice = draft_review_notice(context.session, context, host_of(context), review, local_today())
        return DraftDisclosurePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(
        description="报送计划生育季度统计报表：须在本单位拥有 reporting.submit 权限；数字按记录自动生成，不含个人信息。"
    )
    @atomic
    def submit_family_planning_report(self, info: strawberry.Info, input: SubmitReportInput) -> SubmitReportPayload:
        from core.api.ids import object_in_scope
        from core.reporting.models import ObligationInstance
        from plugins.family_planning.report import submit_report

        context: RequestContext = info.context
        principal = require_signed_in(context)
        instance = object_in_scope(
            context,
            input.instance_id,
            ObligationInstance,
            "ObligationInstance",
            ("reporting.submit",),
            field="instanceId",
            what="报送事项",
        )
        require_plugin_active(context, instance.org_unit_id, d.PLUGIN, field="instanceId")
        context.audit_subject("ObligationInstance", instance.id, instance.org_unit_id)
        report = submit_report(
            context.session, host_of(context), instance, user_id=principal.user_id, note=input.note, today=local_today()
        )
        return SubmitReportPayload(
            status=instance.status, figures=[CountType(key=k, label=k, count=v) for k, v in report.figures.items()]
        )
