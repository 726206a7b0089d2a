"""GraphQL for assessment and standardization titles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import strawberry
from sqlalchemy import ColumnElement, and_, or_, select

from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, optional_object_for
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import Node, model_type
from core.auth.permissions import registry_for_context, require, scope_condition
from core.indicators.registry import registry_for_context as indicators_of
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.policy.service import require_plugin_active
from plugins.assessment import declarations as d
from plugins.assessment import service, titles
from plugins.assessment.enums import (
    AssessmentCycle,
    AssessmentGrade,
    AssessmentItemKind,
    CommunityTitle,
    TitleApplicationStatus,
    TitleApplicationStep,
)
from plugins.assessment.models import (
    Item,
    Result,
    Scheme,
    Score,
    TitleApplication,
)

MAX_LIST = 200


def load_schemes(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(
        select(Scheme).where(
            Scheme.id.in_(pks),
            or_(
                scope_condition(context, d.MANAGE.code, Scheme.org_path),
                scope_condition(context, d.VIEW_RESULTS.code, Scheme.org_path),
            ),
        )
    )
    return {row.id: row for row in rows}


def _results_visible(context: RequestContext) -> ColumnElement[bool]:
    return or_(
        scope_condition(context, d.MANAGE.code, Result.org_path),
        and_(Result.published_at.is_not(None), scope_condition(context, d.VIEW_RESULTS.code, Result.org_path)),
    )


def load_results(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(select(Result).where(Result.id.in_(pks), _results_visible(context)))
    return {row.id: row for row in rows}


def load_applications(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(
        select(TitleApplication).where(
            TitleApplication.id.in_(pks), scope_condition(context, d.VIEW_RESULTS.code, TitleApplication.org_path)
        )
    )
    return {row.id: row for row in rows}


@strawberry.type(name="AssessmentItem", description="考核项：分值、计分方式（按指标、人工附依据、一票否决）。")
class ItemType:
    code: str
    name: str
    kind: str = strawberry.field(
        description="indicator（按指标计分）、manual（人工评分，须附依据）或 veto（一票否决）。",
        deprecation_reason="改用 itemKind（枚举）。",
    )

    @strawberry.field(description="计分方式。")
    def item_kind(self) -> AssessmentItemKind:
        return AssessmentItemKind(self.kind)

    points: Decimal
    indicator_code: str | None = strawberry.field(description="按指标计分时的指标代码，见 indicators。")
    target: Decimal | None = strawberry.field(description="指标项得满分的数值（不足按比例）；否决项达到即否决的数值。")


@model_type(
    Scheme, name="AssessmentScheme", description="考核方案：考核单位、被考核层级、周期（按地方策略）和百分制考核项。"
)
class SchemeType(Node):
    name: str
    target_level: str = strawberry.field(description="被考核的层级代码，见 orgLevels。")
    cycle: str = strawberry.field(
        description="考核周期（按考核单位所在层级的地方策略）：monthly、quarterly、half_yearly、yearly。",
        deprecation_reason="改用 assessmentCycle（枚举）。",
    )

    @strawberry.field(description="考核周期（按考核单位所在层级的地方策略）。")
    def assessment_cycle(self) -> AssessmentCycle:
        return AssessmentCycle(self.cycle)

    @strawberry.field(description="考核单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: Scheme, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)

    @strawberry.field(description="考核项，按顺序。")
    def items(self, root: Scheme, info: strawberry.Info) -> list[ItemType]:
        return [
            ItemType(
                code=i.code, name=i.name, kind=i.kind, points=i.points, indicator_code=i.indicator_code, target=i.target
            )
            for i in service.items_of(info.context.session, root.id)
        ]


@strawberry.type(name="AssessmentScore", description="一个考核项的得分及依据。")
class ScoreType:
    item_code: str
    item_name: str
    value: Decimal | None = strawberry.field(description="指标值（按业务记录）。")
    score: Decimal | None
    vetoed: bool
    evidence: str | None
    scored_at: datetime | None


@model_type(Result, name="AssessmentResult", description="一个单位一期的考核结果；公布后被考核单位可见。")
class ResultType(Node):
    period_start: date
    period_end: date
    vetoed: bool = strawberry.field(description="是否被一票否决（否决时总分计 0，只能评为不称职）。")
    grade: str | None = strawberry.field(
        description="等次：excellent、good、pass、basic、fail。", deprecation_reason="改用 resultGrade（枚举）。"
    )

    @strawberry.field(description="等次；未定等次时为空。")
    def result_grade(self) -> AssessmentGrade | None:
        return None if self.grade is None else AssessmentGrade(self.grade)

    published_at: datetime | None
    award_yuan: int = strawberry.field(description="按等次增加的工作经费（元，公布时按地方策略确定）。")

    @strawberry.field(description="等次的中文名称。")
    def grade_name(self) -> str | None:
        return d.GRADES.get(self.grade) if self.grade else None

    @strawberry.field(description="总分（被一票否决时为 0）。")
    def score(self, root: Result, info: strawberry.Info) -> Decimal:
        return service.total_score(info.context.session, root)

    @strawberry.field(description="被考核单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: Result, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)

    @strawberry.field(description="方案名称。")
    def scheme_name(self, root: Result, info: strawberry.Info) -> str:
        scheme = info.context.session.get(Scheme, root.scheme_id)
        return scheme.name if scheme else ""

    @strawberry.field(description="各项得分及依据。")
    def scores(self, root: Result, info: strawberry.Info) -> list[ScoreType]:
        rows = info.context.session.execute(
            select(Item, Score)
            .outerjoin(Score, (Score.item_id == Item.id) & (Score.result_id == root.id))
            .where(Item.scheme_id == root.scheme_id)
            .order_by(Item.position)
        )
        return [
            ScoreType(
                item_code=item.code,
                item_name=item.name,
                value=s.value if s else None,
                score=s.score if s else None,
                vetoed=bool(s and s.vetoed),
                evidence=s.evidence if s else None,
                scored_at=s.scored_at if s else None,
            )
            for item, s in rows
        ]


@strawberry.type(name="TitleStep", description="规范化创建的一个步骤的记录。")
class TitleStepType:
    step: str = strawberry.field(deprecation_reason="改用 titleStep（枚举）。")

    @strawberry.field(description="步骤。")
    def title_step(self) -> TitleApplicationStep:
        return TitleApplicationStep(self.step)

    step_name: str
    passed: bool
    note: str
    votes_for: int | None
    votes_total: int | None
    recorded_at: datetime


@model_type(
    TitleApplication,
    name="TitleApplication",
    description="规范化社区（合格、示范）创建申报：自荐自评、街道初审、民主测评、公示、区级验收、审批，逐级进行。",
)
class TitleApplicationType(Node):
    title: str = strawberry.field(
        description="qualified（合格社区）、model（示范社区）或 standardized（规范化社区）。",
        deprecation_reason="改用 communityTitle（枚举）。",
    )

    @strawberry.field(description="申请的称号。")
    def community_title(self) -> CommunityTitle:
        return CommunityTitle(self.title)

    year: int
    status: str = strawberry.field(
        description="in_progress（创建中）、approved（已命名）、rejected（未通过）。",
        deprecation_reason="改用 applicationStatus（枚举）。",
    )

    @strawberry.field(description="申请状态。")
    def application_status(self) -> TitleApplicationStatus:
        return TitleApplicationStatus(self.status)

    @strawberry.field(description="称号的中文名称。")
    def title_name(self) -> str:
        return d.TITLES[self.title]

    @strawberry.field(description="下一步骤代码；已结束时为空。", deprecation_reason="改用 upcomingStep（枚举）。")
    def next_step(self, root: TitleApplication, info: strawberry.Info) -> str | None:
        return titles.next_step(info.context.session, root)

    @strawberry.field(description="下一步骤；已结束时为空。")
    def upcoming_step(self, root: TitleApplication, info: strawberry.Info) -> TitleApplicationStep | None:
        step = titles.next_step(info.context.session, root)
        return None if step is None else TitleApplicationStep(step)

    @strawberry.field(description="申报社区。", graphql_type=OrgUnitType)
    def org_unit(self, root: TitleApplication, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)

    @strawberry.field(description="已完成的步骤，按顺序。")
    def steps(self, root: TitleApplication, info: strawberry.Info) -> list[TitleStepType]:
        return [
            TitleStepType(
                step=s.step,
                step_name=d.STEP_NAMES[s.step],
                passed=s.passed,
                note=s.note,
                votes_for=s.votes_for,
                votes_total=s.votes_total,
                recorded_at=s.recorded_at,
            )
            for s in titles.steps_of(info.context.session, root)
        ]


def _unit(context: RequestContext, global_id: strawberry.ID, permission: str) -> OrgUnit:
    unit: OrgUnit = object_for(context, global_id, "OrgUnit", None, field="under")
    require(context, permission, unit, registry=registry_for_context(context))
    return unit


@strawberry.type
class AssessmentQuery:
    @strawberry.field(
        description="所选单位及其辖区的考核方案（须有 assessment.manage 或 assessment.view_results 权限）。",
        graphql_type=list[SchemeType],
    )
    def assessment_schemes(self, info: strawberry.Info, under: strawberry.ID) -> list[Scheme]:
        context: RequestContext = info.context
        unit = _unit(context, under, d.VIEW_RESULTS.code)
        rows = context.session.scalars(
            select(Scheme)
            .where(
                in_subtree(Scheme.org_path, unit.path),
                or_(
                    scope_condition(context, d.MANAGE.code, Scheme.org_path),
                    scope_condition(context, d.VIEW_RESULTS.code, Scheme.org_path),
                ),
            )
            .order_by(Scheme.id)
            .limit(MAX_LIST)
        )
        return list(rows)

    @strawberry.field(
        description="所选单位辖区内的考核结果：考核单位看到全部，被考核单位只看到已公布的。",
        graphql_type=list[ResultType],
    )
    def assessment_results(
        self, info: strawberry.Info, under: strawberry.ID, period_start: date | None = None
    ) -> list[Result]:
        context: RequestContext = info.context
        unit = _unit(context, under, d.VIEW_RESULTS.code)
        statement = select(Result).where(in_subtree(Result.org_path, unit.path), _results_visible(context))
        if period_start is not None:
            statement = statement.where(Result.period_start <= period_start, Result.period_end >= period_start)
        return list(
            context.session.scalars(statement.order_by(Result.period_start.desc(), Result.org_path).limit(MAX_LIST))
        )

    @strawberry.field(description="所选单位辖区内的规范化创建申报。", graphql_type=list[TitleApplicationType])
    def title_applications(self, info: strawberry.Info, under: strawberry.ID) -> list[TitleApplication]:
        context: RequestContext = info.context
        unit = _unit(context, under, d.VIEW_RESULTS.code)
        rows = context.session.scalars(
            select(TitleApplication)
            .where(
                in_subtree(TitleApplication.org_path, unit.path),
                scope_condition(context, d.VIEW_RESULTS.code, TitleApplication.org_path),
            )
            .order_by(TitleApplication.id)
            .limit(MAX_LIST)
        )
        return list(rows)


@strawberry.input
class AssessmentItemInput:
    code: str
    name: str
    kind: str | None = strawberry.field(default=None, deprecation_reason="改用 itemKind（枚举）。")
    item_kind: AssessmentItemKind | None = strawberry.field(default=None, description="计分方式。")
    points: Decimal = Decimal(0)
    indicator_code: str | None = strawberry.field(default=None, description="按指标计分时的指标代码，见 indicators。")
    target: Decimal | None = None


@strawberry.input
class CreateAssessmentSchemeInput:
    org_unit_id: strawberry.ID = strawberry.field(description="考核单位（街道、区或市）；周期按其层级的地方策略。")
    name: str
    target_level: str = strawberry.field(description="被考核的层级代码（见 orgLevels），如 community。")
    items: list[AssessmentItemInput]


@strawberry.input
class AssessmentPeriodInput:
    scheme_id: strawberry.ID
    period_start: date = strawberry.field(description="期间内任意一天。")


@strawberry.input
class ScoreAssessmentItemInput:
    result_id: strawberry.ID
    item_code: str
    score: Decimal | None = None
    vetoed: bool = False
    evidence: str = ""


@strawberry.input
class SetAssessmentGradeInput:
    result_id: strawberry.ID
    grade: str | None = strawberry.field(default=None, deprecation_reason="改用 resultGrade（枚举）。")
    result_grade: AssessmentGrade | None = strawberry.field(default=None, description="等次。")


@strawberry.input
class ApplyForTitleInput:
    org_unit_id: strawberry.ID
    title: str | None = strawberry.field(default=None, deprecation_reason="改用 communityTitle（枚举）。")
    community_title: CommunityTitle | None = strawberry.field(default=None, description="申请的称号。")
    self_assessment: str = strawberry.field(description="自荐自评情况。")


@strawberry.input
class RecordTitleStepInput:
    application_id: strawberry.ID
    step: str | None = strawberry.field(default=None, deprecation_reason="改用 titleStep（枚举）。")
    title_step: TitleApplicationStep | None = strawberry.field(default=None, description="步骤。")
    passed: bool
    note: str
    votes_for: int | None = None
    votes_total: int | None = None
    notice_id: strawberry.ID | None = None


@strawberry.type
class AssessmentSchemePayload:
    scheme: Scheme | None = strawberry.field(default=None, graphql_type=SchemeType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AssessmentResultsPayload:
    results: list[Result] = strawberry.field(default_factory=list, graphql_type=list[ResultType])
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AssessmentResultPayload:
    result: Result | None = strawberry.field(default=None, graphql_type=ResultType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TitleApplicationPayload:
    application: TitleApplication | None = strawberry.field(default=None, graphql_type=TitleApplicationType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AssessmentMutation:
    @strawberry.mutation(
        description="制定考核方案：各项分值之和须为地方策略规定的总分（默认 100 分）；须有 assessment.manage 权限。"
    )
    @atomic
    def create_assessment_scheme(
        self, info: strawberry.Info, input: CreateAssessmentSchemeInput
    ) -> AssessmentSchemePayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", d.MANAGE.code, field="orgUnitId")
        require_plugin_active(context, unit, d.PLUGIN)
        scheme = service.create_scheme(
            context.session,
            context,
            unit,
            name=input.name,
            target_level=input.target_level,
            items=[
                service.ItemInput(
                    i.code,
                    i.name,
                    required_code(i.kind, i.item_kind, legacy_field=f"items.{n}.kind", field=f"items.{n}.itemKind"),
                    i.points,
                    i.indicator_code,
                    i.target,
                )
                for n, i in enumerate(input.items)
            ],
            indicators=indicators_of(context),
            registry=registry_for_context(context),
        )
        return AssessmentSchemePayload(scheme=scheme)

    @strawberry.mutation(description="开始一期考核：为每个被考核单位建立结果，按业务记录计算指标项和否决项。")
    @atomic
    def open_assessment_period(self, info: strawberry.Info, input: AssessmentPeriodInput) -> AssessmentResultsPayload:
        context: RequestContext = info.context
        scheme = object_for(
            context, input.scheme_id, "AssessmentScheme", d.MANAGE.code, field="schemeId", what="考核方案"
        )
        rows = service.open_period(
            context.session,
            context,
            scheme,
            input.period_start,
            indicators=indicators_of(context),
            registry=registry_for_context(context),
        )
        return AssessmentResultsPayload(results=rows)

    @strawberry.mutation(description="人工评分或一票否决，须写明依据。")
    @atomic
    def score_assessment_item(self, info: strawberry.Info, input: ScoreAssessmentItemInput) -> AssessmentResultPayload:
        context: RequestContext = info.context
        result: Result = object_for(
            context, input.result_id, "AssessmentResult", d.MANAGE.code, field="resultId", lock=True, what="考核结果"
        )
        service.score_item(
            context.session,
            context,
            result,
            input.item_code,
            score=input.score,
            vetoed=input.vetoed,
            evidence=input.evidence,
            registry=registry_for_context(context),
        )
        return AssessmentResultPayload(result=result)

    @strawberry.mutation(
        description="评定等次：优秀、良好的比例不超过地方策略规定的限额（默认 10%、30% 以内）；被否决的只能评为不称职。"
    )
    @atomic
    def set_assessment_grade(self, info: strawberry.Info, input: SetAssessmentGradeInput) -> AssessmentResultPayload:
        context: RequestContext = info.context
        result: Result = object_for(
            context, input.result_id, "AssessmentResult", d.MANAGE.code, field="resultId", lock=True, what="考核结果"
        )
        service.set_grade(
            context.session,
            context,
            result,
            required_code(input.grade, input.result_grade, legacy_field="grade", field="resultGrade"),
            registry=registry_for_context(context),
        )
        return AssessmentResultPayload(result=result)

    @strawberry.mutation(description="公布一期考核结果：全部评分和定等完成后，被考核单位可见，奖励经费按等次确定。")
    @atomic
    def publish_assessment(self, info: strawberry.Info, input: AssessmentPeriodInput) -> AssessmentResultsPayload:
        context: RequestContext = info.context
        scheme = object_for(
            context, input.scheme_id, "AssessmentScheme", d.MANAGE.code, field="schemeId", lock=True, what="考核方案"
        )
        rows = service.publish(
            context.session, context, scheme, input.period_start, registry=registry_for_context(context)
        )
        return AssessmentResultsPayload(results=rows)

    @strawberry.mutation(description="社区申报规范化称号并记录自荐自评（第一步）。")
    @atomic
    def apply_for_title(self, info: strawberry.Info, input: ApplyForTitleInput) -> TitleApplicationPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", d.TITLE_APPLY.code, field="orgUnitId")
        require_plugin_active(context, unit, d.PLUGIN)
        row = titles.apply(
            context.session,
            context,
            unit,
            required_code(input.title, input.community_title, legacy_field="title", field="communityTitle"),
            input.self_assessment,
            registry=registry_for_context(context),
        )
        return TitleApplicationPayload(application=row)

    @strawberry.mutation(description="记录规范化创建的下一步骤（须按顺序；每步由相应层级办理）。")
    @atomic
    def record_title_step(self, info: strawberry.Info, input: RecordTitleStepInput) -> TitleApplicationPayload:
        context: RequestContext = info.context
        row: TitleApplication = object_for(
            context, input.application_id, "TitleApplication", None, field="applicationId", lock=True, what="创建申报"
        )
        notice = optional_object_for(context, input.notice_id, "Notice", None, field="noticeId", what="公告")
        titles.record_step(
            context.session,
            context,
            row,
            required_code(input.step, input.title_step, legacy_field="step", field="titleStep"),
            passed=input.passed,
            note=input.note,
            votes_for=input.votes_for,
            votes_total=input.votes_total,
            notice=notice,
            registry=registry_for_context(context),
        )
        return TitleApplicationPayload(application=row)
