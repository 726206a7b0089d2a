"""GraphQL of self-governance by contract: the charter and agreement
template versions, agreements (audited) with both sides' duties and
breaches, the supervisory board and the association."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Annotated

import strawberry
from sqlalchemy import select

from core.api.choices import optional_code, required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, object_in_scope
from core.api.mutations import atomic
from core.api.relay import MAX_INTEGER_PK, Connection, Node, encode_global_id, model_type
from core.api.rows import row_as, rows_as
from core.auth.permissions import (
    require,
    require_signed_in,
    require_somewhere,
    scope_condition,
)
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.people.models import Household
from core.policy.service import local_today
from core.privacy.audited import audited_page
from plugins.family_planning import declarations as d
from plugins.family_planning import governance, service
from plugins.family_planning.enums import FamilyPlanningActivityKind, FamilyPlanningBreachParty, FamilyPlanningTextKind
from plugins.family_planning.models import (
    Activity,
    Agreement,
    AssociationMember,
    Breach,
    Finding,
    GoverningText,
    Review,
)
from plugins.family_planning.schema_common import (
    org_unit_of,
    resident_input,
    resident_name,
    unit_arg,
    unit_input,
)


@model_type(
    GoverningText,
    name="FamilyPlanningText",
    description="计划生育自治章程或协议书范本的一个版本，经居民（代表）会议决议通过。",
)
class GoverningTextType(Node):
    kind: str = strawberry.field(
        description="charter（自治章程）或 agreement_template（协议书范本）。",
        deprecation_reason="改用 textKind（枚举）。",
    )

    @strawberry.field(description="文本种类。")
    def text_kind(self) -> FamilyPlanningTextKind:
        return FamilyPlanningTextKind(self.kind)

    version: int = strawberry.field(description="版本号，从 1 起。")
    title: str
    body: str
    adopted_on: date = strawberry.field(description="通过日期。")
    assembly_resolution_ref: str = strawberry.field(
        description="通过该文本的居民（代表）会议及决议：会议名称、日期和决议。"
    )

    @strawberry.field(description="通过该文本的会议决议（MeetingResolution 的全局 ID）。")
    def assembly_resolution_id(self, root: GoverningText) -> strawberry.ID:
        return strawberry.ID(encode_global_id("MeetingResolution", root.assembly_resolution_id))

    @strawberry.field(description="文本类别名称。")
    def kind_label(self, root: GoverningText) -> str:
        return d.TEXT_KINDS.get(root.kind, root.kind)

    @strawberry.field(description="所属单位。")
    def org_unit(self, root: GoverningText, info: strawberry.Info) -> OrgUnitType:
        return org_unit_of(info, root)


@strawberry.type(name="FamilyPlanningBreach", description="协议一方的违约及处理结果。")
class BreachType:
    party: str = strawberry.field(
        description="household（户方）或 committee（居委会/村委会及其成员）。",
        deprecation_reason="改用 breachParty（枚举）。",
    )

    @strawberry.field(description="违约方。")
    def breach_party(self) -> FamilyPlanningBreachParty:
        return FamilyPlanningBreachParty(self.party)

    occurred_on: date
    description: str
    outcome: str = strawberry.field(description="处理结果。")

    @strawberry.field(description="违约方。")
    def party_label(self) -> str:
        return d.BREACH_PARTIES.get(self.party, self.party)


@model_type(
    Agreement,
    name="FamilyPlanningAgreement",
    description="计划生育协议书：双方的权利义务（居委会的服务义务和违约责任同样载明）。每次查阅记入审计。",
)
class AgreementType(Node):
    signed_on: date
    valid_until: date | None
    household_duties: str = strawberry.field(description="户方的义务。")
    household_rights: str = strawberry.field(description="户方的权利。")
    committee_duties: str = strawberry.field(description="居委会（村委会）的服务义务。")
    committee_liability: str = strawberry.field(description="居委会（村委会）及其成员的违约责任。")

    @strawberry.field(description="签约人姓名。")
    def signatory_name(self, root: Agreement, info: strawberry.Info) -> str:
        return resident_name(info, root)

    @strawberry.field(description="所依据的协议书范本版本。")
    def template_version(self, root: Agreement, info: strawberry.Info) -> int:
        template = info.context.session.get(GoverningText, root.template_id)
        return template.version if template else 0

    @strawberry.field(description="违约记录（双方）。")
    def breaches(self, root: Agreement, info: strawberry.Info) -> list[BreachType]:
        rows = info.context.session.scalars(
            select(Breach).where(Breach.agreement_id == root.id).order_by(Breach.occurred_on, Breach.id)
        )
        return [
            BreachType(party=b.party, occurred_on=b.occurred_on, description=b.description, outcome=b.outcome)
            for b in rows
        ]


@strawberry.type(name="FamilyPlanningMember", description="计划生育监事会成员或计生协会会员（来自人口库）。")
class BoardMemberType:
    row: strawberry.Private[object]
    name: str
    seat: str = strawberry.field(
        description="监事会席位（resident_representative 居民代表、association_member 计生协会会员）或会内职务（president、vice_president、member）。"
    )
    joined_on: date
    holds_post: bool = strawberry.field(description="是否在核心职务中任职（如居民小组长、居民代表）。")


@model_type(Finding, name="SupervisoryFinding", description="监督检查发现的问题及整改。")
class FindingType(Node):
    description: str
    due_on: date | None = strawberry.field(description="整改期限。")
    follow_up: str | None = strawberry.field(description="整改情况。")
    resolved_on: date | None = strawberry.field(description="整改完成日期。")


@model_type(Review, name="SupervisoryReview", description="计划生育监事会的一次监督检查。")
class ReviewType(Node):
    reviewed_on: date
    disclosure_complete: bool = strawberry.field(description="公开是否全面。")
    disclosure_true: bool = strawberry.field(description="公开是否真实。")
    disclosure_timely: bool = strawberry.field(description="公开是否及时。")
    problems_solved_in_time: bool = strawberry.field(description="居民反映的问题是否及时解决。")
    cadres_keep_rules: bool = strawberry.field(description="干部是否遵守自治章程和协议。")
    summary: str

    @strawberry.field(description="发现的问题。")
    def findings(self, root: Review, info: strawberry.Info) -> list[FindingType]:
        return rows_as(
            FindingType,
            info.context.session.scalars(select(Finding).where(Finding.review_id == root.id).order_by(Finding.id)),
        )


@strawberry.type(name="FamilyPlanningActivity", description="计生协会的一次活动。")
class FamilyPlanningActivityType:
    title: str
    kind: str = strawberry.field(deprecation_reason="改用 activityKind（枚举）。")

    @strawberry.field(description="活动种类。")
    def activity_kind(self) -> FamilyPlanningActivityKind:
        return FamilyPlanningActivityKind(self.kind)

    held_on: date
    participants: int


@strawberry.type(name="FamilyPlanningAssociation", description="计划生育协会：会员和活动。")
class AssociationType:
    members: list[BoardMemberType] = strawberry.field(description="会员（seat 为会内职务）。")
    activities: list[FamilyPlanningActivityType] = strawberry.field(description="活动，最新的在前。")


@strawberry.type(name="SupervisoryBoard", description="计划生育监事会：成员和监督检查。")
class SupervisoryBoardType:
    members: list[BoardMemberType]
    reviews: list[ReviewType]


def _names(context: RequestContext, ids: list[int]) -> dict[int, str]:
    from core.people.models import Resident

    if not ids:
        return {}
    return dict(context.session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids))).all())


def _view_unit(context: RequestContext, org_unit_id: strawberry.ID) -> OrgUnit:
    require_somewhere(context, d.VIEW.code)
    unit = unit_arg(context, org_unit_id, "orgUnitId")
    require(context, d.VIEW.code, unit)
    return unit


@strawberry.type
class GovernanceQuery:
    @strawberry.field(
        description="计划生育自治章程和协议书范本的全部版本（本单位），最新的在前。须有 family_planning.view 权限。"
    )
    def family_planning_texts(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        kind: Annotated[str | None, strawberry.argument(deprecation_reason="改用 textKind（枚举）。")] = None,
        text_kind: Annotated[
            FamilyPlanningTextKind | None, strawberry.argument(description="只列此种类的文本。")
        ] = None,
    ) -> list[GoverningTextType]:
        kind = optional_code(kind, text_kind, legacy_field="kind", field="textKind")
        context: RequestContext = info.context
        unit = _view_unit(context, org_unit_id)
        statement = select(GoverningText).where(GoverningText.org_unit_id == unit.id)
        if kind is not None:
            statement = statement.where(GoverningText.kind == kind)
        return rows_as(
            GoverningTextType,
            context.session.scalars(statement.order_by(GoverningText.kind, GoverningText.version.desc())),
        )

    @strawberry.field(
        description="计划生育协议书：某单位及其下级。须有 family_planning.read 权限并说明用途，记入审计。"
    )
    def family_planning_agreements(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        purpose: str,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AgreementType]:
        context: RequestContext = info.context
        require_somewhere(context, d.READ.code)
        root = unit_arg(context, under)
        statement = select(Agreement).where(
            in_subtree(Agreement.org_path, root.path), scope_condition(context, d.READ.code, Agreement.org_path)
        )
        return audited_page(
            context,
            d.AGREEMENT,
            statement,
            (Agreement.signed_on, Agreement.id),
            purpose=purpose,
            first=first,
            after=after,
            org_unit_id=root.id,
        )

    @strawberry.field(description="计划生育监事会：现任成员和监督检查（本单位）。须有 family_planning.view 权限。")
    def supervisory_board(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> SupervisoryBoardType:
        context: RequestContext = info.context
        unit = _view_unit(context, org_unit_id)
        members = governance.current_board(context.session, unit, local_today())
        names = _names(context, [m.resident_id for m in members])
        reviews = context.session.scalars(
            select(Review).where(Review.org_unit_id == unit.id).order_by(Review.reviewed_on.desc(), Review.id.desc())
        )
        return SupervisoryBoardType(
            members=[
                BoardMemberType(
                    row=m,
                    name=names.get(m.resident_id, ""),
                    seat=m.seat,
                    joined_on=m.joined_on,
                    holds_post=m.post_assignment_id is not None,
                )
                for m in members
            ],
            reviews=rows_as(ReviewType, reviews),
        )

    @strawberry.field(description="计划生育协会的会员和活动（本单位）。须有 family_planning.view 权限。")
    def family_planning_association(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> AssociationType:
        context: RequestContext = info.context
        unit = _view_unit(context, org_unit_id)
        members = list(
            context.session.scalars(
                select(AssociationMember).where(AssociationMember.org_unit_id == unit.id).order_by(AssociationMember.id)
            )
        )
        names = _names(context, [m.resident_id for m in members])
        activities = context.session.scalars(
            select(Activity)
            .where(Activity.org_unit_id == unit.id)
            .order_by(Activity.held_on.desc(), Activity.id.desc())
        )
        return AssociationType(
            members=[
                BoardMemberType(
                    row=m, name=names.get(m.resident_id, ""), seat=m.role, joined_on=m.joined_on, holds_post=False
                )
                for m in members
            ],
            activities=[
                FamilyPlanningActivityType(title=a.title, kind=a.kind, held_on=a.held_on, participants=a.participants)
                for a in activities
            ],
        )


# --- mutations ----------------------------------------------------------------------------


@strawberry.input(
    description="登记自治章程或协议书范本的新版本（版本号自动递增），以通过它的居民（代表）会议决议为据，通过日期为会议日期。"
)
class AdoptTextInput:
    org_unit_id: strawberry.ID
    kind: str | None = strawberry.field(
        default=None, description="charter 或 agreement_template。", deprecation_reason="改用 textKind（枚举）。"
    )
    text_kind: FamilyPlanningTextKind | None = strawberry.field(default=None, description="文本种类。")
    title: str
    body: str
    assembly_resolution_id: strawberry.ID = strawberry.field(
        description="通过该文本的会议决议（MeetingResolution 的全局 ID）：本单位或上级的居民（代表）会议（类别见策略 family_planning.adopting_meeting_kinds），到会人数达到规定且决议通过。"
    )


@strawberry.type
class TextPayload:
    text: GoverningTextType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="与重点户签订计划生育协议书：双方的权利义务都须载明。")
class SignAgreementInput:
    household_id: strawberry.ID
    resident_id: strawberry.ID = strawberry.field(description="代表该户签约的户内成员。")
    template_id: strawberry.ID = strawberry.field(description="签订日现行的协议书范本版本。")
    signed_on: date
    household_duties: str
    household_rights: str
    committee_duties: str
    committee_liability: str
    valid_until: date | None = None


@strawberry.input(description="登记协议一方的违约及处理结果。")
class RecordBreachInput:
    agreement_id: strawberry.ID
    party: str | None = strawberry.field(
        default=None, description="household 或 committee。", deprecation_reason="改用 breachParty（枚举）。"
    )
    breach_party: FamilyPlanningBreachParty | None = strawberry.field(default=None, description="违约方。")
    occurred_on: date
    description: str
    outcome: str


@strawberry.type
class AgreementPayload:
    agreement: AgreementType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="增加监事会成员：居民代表或计生协会会员。")
class AddBoardMemberInput:
    org_unit_id: strawberry.ID
    resident_id: strawberry.ID
    seat: str
    joined_on: date


@strawberry.input(description="增加计生协会会员。")
class AddAssociationMemberInput:
    org_unit_id: strawberry.ID
    resident_id: strawberry.ID
    role: str = "member"
    joined_on: date = strawberry.field(default_factory=local_today)


@strawberry.type
class MemberPayload:
    ok: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记计生协会活动。")
class RecordActivityInput:
    org_unit_id: strawberry.ID
    title: str
    kind: str | None = strawberry.field(default=None, deprecation_reason="改用 activityKind（枚举）。")
    activity_kind: FamilyPlanningActivityKind | None = strawberry.field(default=None, description="活动种类。")
    held_on: date
    participants: int = 0


@strawberry.input(description="监督检查发现的一个问题。")
class FindingInput:
    description: str
    due_on: date | None = None


@strawberry.input(description="登记监事会的一次监督检查。")
class RecordReviewInput:
    org_unit_id: strawberry.ID
    reviewed_on: date
    disclosure_complete: bool
    disclosure_true: bool
    disclosure_timely: bool
    problems_solved_in_time: bool
    cadres_keep_rules: bool
    summary: str
    findings: list[FindingInput] = strawberry.field(default_factory=list)


@strawberry.type
class ReviewPayload:
    review: ReviewType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记问题的整改情况。")
class ResolveFindingInput:
    finding_id: strawberry.ID
    follow_up: str
    resolved_on: date


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(
        description="登记经居民（代表）会议决议通过的计划生育自治章程或协议书范本新版本：须有 family_planning.govern 权限。"
    )
    @atomic
    def adopt_family_planning_text(self, info: strawberry.Info, input: AdoptTextInput) -> TextPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        unit = unit_input(context, input.org_unit_id, d.GOVERN.code)
        resolution = object_for(
            context,
            input.assembly_resolution_id,
            "MeetingResolution",
            None,
            field="assemblyResolutionId",
            what="会议决议",
        )
        adopted = service.adopt_text(
            context.session,
            unit,
            kind=required_code(input.kind, input.text_kind, legacy_field="kind", field="textKind"),
            title=input.title,
            body=input.body,
            resolution=resolution,
            user_id=principal.user_id,
            today=local_today(),
        )
        return TextPayload(text=row_as(GoverningTextType, adopted))

    @strawberry.mutation(
        description="与重点户签订计划生育协议书：须有 family_planning.serve 权限；范本须为签订日现行版本。"
    )
    @atomic
    def sign_family_planning_agreement(self, info: strawberry.Info, input: SignAgreementInput) -> AgreementPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        household = object_in_scope(
            context, input.household_id, Household, "Household", (d.SERVE.code,), field="householdId", what="户"
        )
        resident = resident_input(context, input.resident_id, d.SERVE.code)
        template = object_for(
            context, input.template_id, "FamilyPlanningText", None, field="templateId", what="协议书范本"
        )
        agreement = service.sign_agreement(
            context.session,
            household,
            resident,
            template,
            signed_on=input.signed_on,
            valid_until=input.valid_until,
            household_duties=input.household_duties,
            household_rights=input.household_rights,
            committee_duties=input.committee_duties,
            committee_liability=input.committee_liability,
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject(d.AGREEMENT.type_name, agreement.id, agreement.org_unit_id)
        return AgreementPayload(agreement=row_as(AgreementType, agreement))

    @strawberry.mutation(description="登记协议一方（户方或居委会及其成员）的违约及处理结果。")
    @atomic
    def record_family_planning_breach(self, info: strawberry.Info, input: RecordBreachInput) -> AgreementPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        agreement = object_for(
            context, input.agreement_id, d.AGREEMENT.type_name, d.SERVE.code, field="agreementId", what="协议"
        )
        context.audit_subject(d.AGREEMENT.type_name, agreement.id, agreement.org_unit_id)
        service.record_breach(
            context.session,
            agreement,
            party=required_code(input.party, input.breach_party, legacy_field="party", field="breachParty"),
            occurred_on=input.occurred_on,
            description=input.description,
            outcome=input.outcome,
            user_id=principal.user_id,
            today=local_today(),
        )
        return AgreementPayload(agreement=agreement)

    @strawberry.mutation(
        description="增加监事会成员（来自人口库；在核心职务中任职的自动关联）。须有 family_planning.govern 权限。"
    )
    @atomic
    def add_supervisory_board_member(self, info: strawberry.Info, input: AddBoardMemberInput) -> MemberPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        unit = unit_input(context, input.org_unit_id, d.GOVERN.code)
        resident = resident_input(context, input.resident_id, d.GOVERN.code)
        member = governance.add_board_member(
            context.session, unit, resident, seat=input.seat, joined_on=input.joined_on, today=local_today()
        )
        context.audit_subject("OrgUnit", unit.id, unit.id, detail={"boardMember": member.id})
        return MemberPayload(ok=True)

    @strawberry.mutation(description="增加计生协会会员。须有 family_planning.govern 权限。")
    @atomic
    def add_family_planning_association_member(
        self, info: strawberry.Info, input: AddAssociationMemberInput
    ) -> MemberPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        unit = unit_input(context, input.org_unit_id, d.GOVERN.code)
        resident = resident_input(context, input.resident_id, d.GOVERN.code)
        member = governance.add_association_member(
            context.session, unit, resident, role=input.role, joined_on=input.joined_on, today=local_today()
        )
        context.audit_subject("OrgUnit", unit.id, unit.id, detail={"associationMember": member.id})
        return MemberPayload(ok=True)

    @strawberry.mutation(description="登记计生协会活动。须有 family_planning.govern 权限。")
    @atomic
    def record_family_planning_activity(self, info: strawberry.Info, input: RecordActivityInput) -> MemberPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        unit = unit_input(context, input.org_unit_id, d.GOVERN.code)
        activity = governance.record_activity(
            context.session,
            unit,
            title=input.title,
            kind=required_code(input.kind, input.activity_kind, legacy_field="kind", field="activityKind"),
            held_on=input.held_on,
            participants=input.participants,
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject("OrgUnit", unit.id, unit.id, detail={"activity": activity.id})
        return MemberPayload(ok=True)

    @strawberry.mutation(
        description="登记监事会监督检查：不符合要求的须登记问题以便跟进。须有 family_planning.supervise 权限。"
    )
    @atomic
    def record_supervisory_review(self, info: strawberry.Info, input: RecordReviewInput) -> ReviewPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        unit = unit_input(context, input.org_unit_id, d.SUPERVISE.code)
        checks = {
            "disclosure_complete": input.disclosure_complete,
            "disclosure_true": input.disclosure_true,
            "disclosure_timely": input.disclosure_timely,
            "problems_solved_in_time": input.problems_solved_in_time,
            "cadres_keep_rules": input.cadres_keep_rules,
        }
        review = governance.record_review(
            context.session,
            unit,
            reviewed_on=input.reviewed_on,
            checks=checks,
            summary=input.summary,
            findings=[governance.FindingInput(f.description, f.due_on) for f in input.findings],
            user_id=principal.user_id,
            today=local_today(),
        )
        return ReviewPayload(review=row_as(ReviewType, review))

    @strawberry.mutation(description="登记监督检查所发现问题的整改情况。须有 family_planning.govern 权限。")
    @atomic
    def resolve_supervisory_finding(self, info: strawberry.Info, input: ResolveFindingInput) -> ReviewPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        finding = object_for(
            context, input.finding_id, "SupervisoryFinding", d.GOVERN.code, field="findingId", lock=True, what="问题"
        )
        review = context.session.get(Review, finding.review_id)
        governance.resolve_finding(
            context.session, finding, follow_up=input.follow_up, resolved_on=input.resolved_on, today=local_today()
        )
        return ReviewPayload(review=row_as(ReviewType, review))


# --- node loaders (not audited: no personal reproductive data) ------------------------------


def load_texts(context: RequestContext, keys: Sequence[int]) -> Mapping[int, object]:
    pks = [pk for pk in keys if 0 <= pk <= MAX_INTEGER_PK]
    rows = context.session.scalars(
        select(GoverningText).where(
            GoverningText.id.in_(pks), scope_condition(context, d.VIEW.code, GoverningText.org_path)
        )
    )
    return {r.id: r for r in rows}


def load_reviews(context: RequestContext, keys: Sequence[int]) -> Mapping[int, object]:
    pks = [pk for pk in keys if 0 <= pk <= MAX_INTEGER_PK]
    rows = context.session.scalars(
        select(Review).where(Review.id.in_(pks), scope_condition(context, d.VIEW.code, Review.org_path))
    )
    return {r.id: r for r in rows}


def load_findings(context: RequestContext, keys: Sequence[int]) -> Mapping[int, object]:
    pks = [pk for pk in keys if 0 <= pk <= MAX_INTEGER_PK]
    rows = context.session.scalars(
        select(Finding).where(Finding.id.in_(pks), scope_condition(context, d.VIEW.code, Finding.org_path))
    )
    return {r.id: r for r in rows}
