"""GraphQL of elderly services: the senior card worklist, issuance and the
on-time count per unit. Visits go through core's ``recordVisit`` and lists
(programme ``elderly_services.elderly_visits``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import strawberry
from sqlalchemy import or_, select

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import resident_pk_for
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import (
    MAX_INTEGER_PK,
    Connection,
    Edge,
    Node,
    decode_pk,
    encode_global_id,
    model_type,
    paginate,
)
from core.auth.permissions import (
    can,
    require_signed_in,
    require_somewhere,
    scope_condition,
)
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.people.schema import ResidentType
from core.policy.service import local_today
from core.reporting.enums import ObligationStatus
from plugins.elderly_services import service
from plugins.elderly_services.declarations import ISSUE_CARD, VIEW
from plugins.elderly_services.models import SeniorCard

if TYPE_CHECKING:
    from plugins.elderly_services.statistics import UnitStatistics

PEOPLE_VIEW = "people.view"


def load_cards(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
    if not wanted:
        return {}
    rows = context.session.scalars(
        select(SeniorCard).where(
            SeniorCard.id.in_(wanted),
            or_(
                scope_condition(context, VIEW.code, SeniorCard.org_path),
                scope_condition(context, ISSUE_CARD.code, SeniorCard.org_path),
            ),
        )
    )
    return {row.id: row for row in rows}


def _unit(context: RequestContext, global_id: str, field: str) -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


def _visible_resident(context: RequestContext, resident: Resident | None) -> Resident | None:
    return resident if resident is not None and can(context, PEOPLE_VIEW, resident.org_path) else None


@model_type(SeniorCard, name="SeniorCard", description="老年人优待证发证记录。")
class SeniorCardType(Node):
    card_number: str = strawberry.field(description="优待证编号。")
    issued_on: date = strawberry.field(description="发证日期。")
    eligible_on: date = strawberry.field(description="年满老年人年龄的日期。")
    on_time: bool = strawberry.field(description="是否在规定天数内及时办理（按发证时的地方政策）。")

    @strawberry.field(description="居民姓名（来自核心人口库）。")
    def resident_name(self, root: SeniorCard, info: strawberry.Info) -> str:
        resident = related(info.context, root, "resident_id", Resident)
        return resident.name if resident else ""

    @strawberry.field(
        description="核心人口库中的居民记录；无 people.view 权限时为空。", graphql_type=ResidentType | None
    )
    def resident(self, root: SeniorCard, info: strawberry.Info) -> Resident | None:
        return _visible_resident(info.context, related(info.context, root, "resident_id", Resident))

    @strawberry.field(description="发证人的用户 ID。")
    def issuer_id(self, root: SeniorCard) -> strawberry.ID | None:
        pk = root.issuer_id
        return strawberry.ID(encode_global_id("User", pk)) if pk else None

    @strawberry.field(description="居民所在组织单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: SeniorCard, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@strawberry.type(name="SeniorCardCandidate", description="应办未办老年人优待证的居民。")
class SeniorCardCandidateType:
    resident_row: strawberry.Private[Resident]
    eligible_on: date = strawberry.field(description="年满老年人年龄的日期。")
    due_by: date = strawberry.field(description="应办理的最后日期。")
    overdue: bool = strawberry.field(description="是否已超过应办理日期。")

    @strawberry.field(description="居民姓名。")
    def resident_name(self) -> str:
        return self.resident_row.name

    @strawberry.field(
        description="核心人口库中的居民记录；无 people.view 权限时为空。", graphql_type=ResidentType | None
    )
    def resident(self, info: strawberry.Info) -> Resident | None:
        return _visible_resident(info.context, self.resident_row)

    @strawberry.field(description="居民的全局 ID（办理时使用）。")
    def resident_id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Resident", self.resident_row.id))


@strawberry.type(name="SeniorCardCount", description="一个单位某年的优待证办理情况。")
class SeniorCardCountType:
    org_unit: OrgUnit = strawberry.field(graphql_type=OrgUnitType)
    issued: int = strawberry.field(description="发证数。")
    on_time: int = strawberry.field(description="其中及时办理数。")


@strawberry.type
class ElderlyQuery:
    @strawberry.field(
        description="老年人优待证待办名单：某单位及其下级已达老年人年龄（或 turningThisMonth 时本月达到）而未办证的居民，等待最久的在前。"
    )
    def senior_card_worklist(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        turning_this_month: bool = False,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SeniorCardCandidateType]:
        context: RequestContext = info.context
        if not can_issue_somewhere(context):
            require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        today = local_today()
        policy = service.policy_at(context.session, root, today)
        statement = service.card_worklist_statement(
            context.session, context, root, today, turning_this_month=turning_this_month
        )
        page = paginate(context, statement, (Resident.birth_date, Resident.id), first=first, after=after)
        edges = []
        for edge in page.edges:
            resident: Resident = edge.node
            assert resident.birth_date is not None
            eligible_on = policy.eligible_on(resident.birth_date)
            due_by = eligible_on + timedelta(days=policy.card_due_days)
            node = SeniorCardCandidateType(
                resident_row=resident, eligible_on=eligible_on, due_by=due_by, overdue=due_by < today
            )
            edges.append(Edge(cursor=edge.cursor, node=node))
        return Connection(edges=edges, page_info=page.page_info, count_total=page.count_total)

    @strawberry.field(description="某年老年人优待证发证数和及时办理数：该单位本身（第一项）及各直属下级。")
    def senior_card_counts(
        self, info: strawberry.Info, under: strawberry.ID, year: int | None = None
    ) -> list[SeniorCardCountType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        counts = service.card_counts(context.session, context, root, year or local_today().year)
        return [SeniorCardCountType(org_unit=c.org_unit, issued=c.issued, on_time=c.on_time) for c in counts]

    @strawberry.field(description="某单位及其下级的老年人优待证发证记录，按单位排列。")
    def senior_cards(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[SeniorCardType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        statement = select(SeniorCard).where(
            org_service.in_subtree(SeniorCard.org_path, root.path),
            scope_condition(context, VIEW.code, SeniorCard.org_path),
        )
        return paginate(context, statement, (SeniorCard.org_path, SeniorCard.id), first=first, after=after)


def can_issue_somewhere(context: RequestContext) -> bool:
    principal = require_signed_in(context)
    return principal.holds_anywhere(ISSUE_CARD.code)


@strawberry.input(description="登记老年人优待证发证。")
class IssueSeniorCardInput:
    resident_id: strawberry.ID
    card_number: str = strawberry.field(description="优待证编号。")
    issued_on: date = strawberry.field(description="发证日期。")


@strawberry.type
class IssueSeniorCardPayload:
    card: SeniorCard | None = strawberry.field(default=None, graphql_type=SeniorCardType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ElderlyMutation:
    @strawberry.mutation(
        description="登记老年人优待证发证：须在居民所在单位拥有 elderly_services.issue_card 权限；居民须已达老年人年龄。"
    )
    @atomic
    def issue_senior_card(self, info: strawberry.Info, input: IssueSeniorCardInput) -> IssueSeniorCardPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        pk = resident_pk_for(context, input.resident_id, field="residentId", permission=ISSUE_CARD.code)
        resident = context.session.get(Resident, pk)
        assert resident is not None
        context.audit_subject("SeniorCard", None, resident.org_unit_id)
        card = service.issue_card(
            context.session,
            context,
            resident,
            card_number=input.card_number,
            issued_on=input.issued_on,
            issuer_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject("SeniorCard", card.id, resident.org_unit_id)
        return IssueSeniorCardPayload(card=card)


# --- statistics and the register ---------------------------------------------------------


@strawberry.type(name="ElderlyAgeBandCount", description="一个年龄段的人数。")
class AgeBandCountType:
    band: str = strawberry.field(description="年龄段，如 60—69岁、90岁以上（宽度为地方政策）。")
    count: int


@strawberry.type(name="ElderlyStatistics", description="一个单位的老龄基础数据。")
class ElderlyStatisticsType:
    org_unit: OrgUnit = strawberry.field(graphql_type=OrgUnitType)
    elderly: int = strawberry.field(description="老年人数（达到老年人年龄）。")
    bands: list[AgeBandCountType] = strawberry.field(description="按年龄段的人数。")
    very_old: int = strawberry.field(description="高龄老人数。")
    living_alone: int = strawberry.field(description="独居老人数。")
    empty_nest: int = strawberry.field(description="空巢老人数。")
    extreme_poverty: int | None = strawberry.field(description="特困老人数；无 people.view_sensitive 权限时为空。")
    no_family: int | None = strawberry.field(description="孤寡老人数；无 people.view_sensitive 权限时为空。")
    visits_scheduled: int = strawberry.field(description="走访对象人数。")
    visits_overdue: int = strawberry.field(description="逾期未走访人数。")
    visits_done_this_month: int = strawberry.field(description="本月已走访次数。")
    cards_issued: int = strawberry.field(description="已办理优待证人数。")


def statistics_types(rows: Sequence[UnitStatistics]) -> list[ElderlyStatisticsType]:
    return [
        ElderlyStatisticsType(
            org_unit=s.org_unit,
            elderly=s.elderly,
            bands=[AgeBandCountType(band=b.band, count=b.count) for b in s.bands],
            very_old=s.very_old,
            living_alone=s.living_alone,
            empty_nest=s.empty_nest,
            extreme_poverty=s.extreme_poverty,
            no_family=s.no_family,
            visits_scheduled=s.visits_scheduled,
            visits_overdue=s.visits_overdue,
            visits_done_this_month=s.visits_done_this_month,
            cards_issued=s.cards_issued,
        )
        for s in rows
    ]


@strawberry.type
class ElderlyStatisticsQuery:
    @strawberry.field(
        description="老龄基础数据：该单位本身（第一项）及各直属下级，按年龄段、类别、居住状况、走访和优待证统计。"
    )
    def elderly_statistics(self, info: strawberry.Info, under: strawberry.ID) -> list[ElderlyStatisticsType]:
        from plugins.elderly_services.statistics import unit_statistics

        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        return statistics_types(unit_statistics(context.session, context, root, local_today()))


@strawberry.type(name="ElderlyCategory", description="老年人类别。")
class ElderlyCategoryType:
    code: str = strawberry.field(description="very_old、living_alone、empty_nest、extreme_poverty 或 no_family。")
    name: str = strawberry.field(description="中文名称：高龄、独居、空巢、特困、孤寡。")


@strawberry.type(name="ElderlyPerson", description="老年人名册中的一人：人口库居民的视图，不另存副本。")
class ElderlyPersonType:
    resident_row: strawberry.Private[Resident]
    age: int = strawberry.field(description="周岁。")
    age_band: str = strawberry.field(description="年龄段（宽度为地方政策）。")
    categories: list[ElderlyCategoryType] = strawberry.field(
        description="类别：高龄按年龄、独居和空巢按住户成员得出；特困、孤寡为认定的敏感类别，无 people.view_sensitive 权限时不列出。"
    )
    living_arrangement: str = strawberry.field(
        description="居住状况：living_alone（独居）、empty_nest（空巢）或 with_family（与家人同住）。"
    )

    @strawberry.field(description="居民姓名。")
    def resident_name(self) -> str:
        return self.resident_row.name

    @strawberry.field(description="居民的全局 ID。")
    def resident_id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Resident", self.resident_row.id))

    @strawberry.field(
        description="核心人口库中的居民记录；无 people.view 权限时为空。", graphql_type=ResidentType | None
    )
    def resident(self, info: strawberry.Info) -> Resident | None:
        return _visible_resident(info.context, self.resident_row)

    @strawberry.field(description="所在组织单位。", graphql_type=OrgUnitType)
    def org_unit(self, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, self.resident_row, "org_unit_id", OrgUnit)


@strawberry.type
class ElderlyRegisterQuery:
    @strawberry.field(
        description="老年人名册：某单位及其下级达到老年人年龄的居民，按单位和登记先后排列；可按年龄段或类别筛选（特困、孤寡须有 people.view_sensitive 权限）。"
    )
    def elderly_register(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        age_band: str | None = None,
        category: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ElderlyPersonType]:
        from core.people.service import age_on
        from plugins.elderly_services import register

        context: RequestContext = info.context
        if not can_issue_somewhere(context):
            require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        today = local_today()
        statement = register.register_statement(
            context.session, context, root, today, age_band=age_band, category=category
        )
        page = paginate(context, statement, (Resident.org_path, Resident.id), first=first, after=after)
        policy = service.policy_at(context.session, root, today)
        residents: list[Resident] = [edge.node for edge in page.edges]
        found = register.categories_of(context.session, root, today, [r.id for r in residents])
        edges = []
        for edge, resident in zip(page.edges, residents, strict=True):
            assert resident.birth_date is not None
            codes = found[resident.id]
            shown = [
                c
                for c in codes
                if c not in register.ASSIGNED or can(context, "people.view_sensitive", resident.org_path)
            ]
            age = age_on(resident.birth_date, today)
            arrangement = next((c for c in ("living_alone", "empty_nest") if c in codes), "with_family")
            node = ElderlyPersonType(
                resident_row=resident,
                age=age,
                age_band=policy.band(age),
                categories=[ElderlyCategoryType(code=c, name=register.CATEGORY_NAMES[c]) for c in shown],
                living_arrangement=arrangement,
            )
            edges.append(Edge(cursor=edge.cursor, node=node))
        return Connection(edges=edges, page_info=page.page_info, count_total=page.count_total)


@strawberry.type(name="ElderlyReportFigure", description="报表中的一项数字。")
class ElderlyReportFigureType:
    key: str = strawberry.field(description="如 elderly、living_alone、band.60—69岁。")
    value: int


@strawberry.input(description="报送老龄工作季度统计报表：数字取自名册和记录。")
class SubmitElderlyReportInput:
    instance_id: strawberry.ID = strawberry.field(
        description="本单位该季度的报送事项（ObligationInstance），见 dueSoon。"
    )
    note: str | None = None


@strawberry.type
class SubmitElderlyReportPayload:
    status: str | None = strawberry.field(
        default=None,
        description="报送后的状态：submitted 或 late。",
        deprecation_reason="改用 obligationStatus（枚举）。",
    )

    @strawberry.field(description="报送后的状态：SUBMITTED 或 LATE；出错时为空。")
    def obligation_status(self) -> ObligationStatus | None:
        return None if self.status is None else ObligationStatus(self.status)

    figures: list[ElderlyReportFigureType] | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ElderlyReportMutation:
    @strawberry.mutation(
        description="报送老龄工作季度统计报表：须在本单位拥有 reporting.submit 权限；数字按名册和记录自动生成。"
    )
    @atomic
    def submit_elderly_report(
        self, info: strawberry.Info, input: SubmitElderlyReportInput
    ) -> SubmitElderlyReportPayload:
        from core.api.ids import object_in_scope
        from core.plugin_host import host_of
        from core.policy.service import require_plugin_active
        from core.reporting.models import ObligationInstance
        from plugins.elderly_services.declarations import PLUGIN
        from plugins.elderly_services.report import submit_report

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
        require_plugin_active(context, instance.org_unit_id, PLUGIN, field="instanceId")
        context.audit_subject("ObligationInstance", instance.id, instance.org_unit_id)
        report = submit_report(
            context.session,
            host_of(context),
            context,
            instance,
            user_id=principal.user_id,
            note=input.note,
            today=local_today(),
        )
        return SubmitElderlyReportPayload(
            status=instance.status, figures=[ElderlyReportFigureType(key=k, value=v) for k, v in report.figures.items()]
        )
