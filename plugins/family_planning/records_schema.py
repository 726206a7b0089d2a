"""GraphQL of the audited family-planning records: women of childbearing age
(a view of the registry), 婚育信息, births, certificates, service follow-ups
and benefits. Every list takes a required ``purpose`` and is logged before it
returns (``core.privacy.audited``); one record is read with
``auditedNode(id:, purpose:)``."""

from __future__ import annotations

from datetime import date
from typing import Annotated, TypeVar

import strawberry
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute

from core.api.choices import optional_code, required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for
from core.api.mutations import atomic
from core.api.relay import Connection, Edge, Node, encode_global_id, model_type, paginate
from core.api.rows import row_as
from core.auth.permissions import require_signed_in, require_somewhere, scope_condition
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.people.models import Resident
from core.people.service import age_on
from core.policy.service import local_today, require_plugin_active
from core.privacy.audited import ReadEntry, audited_page, clean_purpose, log_reads
from plugins.family_planning import declarations as d
from plugins.family_planning import service
from plugins.family_planning.enums import (
    ContraceptionMethod,
    FamilyPlanningBenefitKind,
    FamilyPlanningCertificateKind,
    FamilyPlanningCertificateStatus,
    FamilyPlanningFollowUpReason,
    FamilyPlanningFollowUpSource,
    FamilyPlanningFollowUpStatus,
    MaritalStatus,
)
from plugins.family_planning.models import (
    Benefit,
    Birth,
    Certificate,
    FollowUp,
    Profile,
)
from plugins.family_planning.schema_common import (
    org_unit_of,
    resident_input,
    resident_name,
    unit_arg,
)


@model_type(
    Profile, name="FamilyPlanningProfile", description="育龄妇女的婚育信息（婚、孕、育及节育）。每次查阅记入审计。"
)
class ProfileType(Node):
    marital_status: str = strawberry.field(description="婚姻状况代码。", deprecation_reason="改用 marriage（枚举）。")

    @strawberry.field(description="婚姻状况。")
    def marriage(self) -> MaritalStatus:
        return MaritalStatus(self.marital_status)

    married_on: date | None = strawberry.field(description="结婚日期。")
    children: int = strawberry.field(description="现有子女数。")
    contraception: str | None = strawberry.field(
        description="避孕节育情况代码。", deprecation_reason="改用 contraceptionMethod（枚举）。"
    )

    @strawberry.field(description="避孕节育情况。")
    def contraception_method(self) -> ContraceptionMethod | None:
        return None if self.contraception is None else ContraceptionMethod(self.contraception)

    pregnant: bool = strawberry.field(description="是否怀孕。")
    expected_on: date | None = strawberry.field(description="预产期。")

    @strawberry.field(description="婚姻状况。")
    def marital_status_label(self, root: Profile) -> str:
        return d.MARITAL_STATUSES.get(root.marital_status, root.marital_status)

    @strawberry.field(description="避孕节育情况。")
    def contraception_label(self, root: Profile) -> str | None:
        return d.CONTRACEPTION.get(root.contraception, root.contraception) if root.contraception else None

    @strawberry.field(description="本人姓名。")
    def resident_name(self, root: Profile, info: strawberry.Info) -> str:
        return resident_name(info, root)

    @strawberry.field(description="所在组织单位。")
    def org_unit(self, root: Profile, info: strawberry.Info) -> OrgUnitType:
        return org_unit_of(info, root)


@model_type(Birth, name="FamilyPlanningBirth", description="出生登记。每次查阅记入审计。")
class BirthType(Node):
    born_on: date = strawberry.field(description="出生日期。")
    birth_order: int = strawberry.field(description="孩次。")

    @strawberry.field(description="母亲姓名。")
    def mother_name(self, root: Birth, info: strawberry.Info) -> str:
        return resident_name(info, root)

    @strawberry.field(description="所在组织单位。")
    def org_unit(self, root: Birth, info: strawberry.Info) -> OrgUnitType:
        return org_unit_of(info, root)


@model_type(Certificate, name="FamilyPlanningCertificate", description="计划生育证明的申请和办理。每次查阅记入审计。")
class CertificateType(Node):
    kind: str = strawberry.field(
        description="证明类别代码（本地现行办理的见策略 family_planning.certificate_kinds）。",
        deprecation_reason="改用 certificateKind（枚举）。",
    )

    @strawberry.field(description="证明类别。")
    def certificate_kind(self) -> FamilyPlanningCertificateKind:
        return FamilyPlanningCertificateKind(self.kind)

    status: str = strawberry.field(
        description="applied（已受理）、issued（已发证）、refused（不予办理）或 withdrawn（已撤回）。",
        deprecation_reason="改用 certificateStatus（枚举）。",
    )

    @strawberry.field(description="办理状态。")
    def certificate_status(self) -> FamilyPlanningCertificateStatus:
        return FamilyPlanningCertificateStatus(self.status)

    applied_on: date = strawberry.field(description="受理日期。")
    decided_on: date | None = strawberry.field(description="办结日期。")
    certificate_number: str | None = strawberry.field(description="证明编号。")
    decision_note: str | None = strawberry.field(description="不予办理的理由等。")

    @strawberry.field(description="证明名称。")
    def kind_label(self, root: Certificate) -> str:
        return d.CERTIFICATE_KINDS.get(root.kind, root.kind)

    @strawberry.field(description="办理状态。")
    def status_label(self, root: Certificate) -> str:
        return d.CERTIFICATE_STATUSES.get(root.status, root.status)

    @strawberry.field(description="申请人姓名。")
    def applicant_name(self, root: Certificate, info: strawberry.Info) -> str:
        return resident_name(info, root)

    @strawberry.field(description="所在组织单位。")
    def org_unit(self, root: Certificate, info: strawberry.Info) -> OrgUnitType:
        return org_unit_of(info, root)


@model_type(
    FollowUp,
    name="FamilyPlanningFollowUp",
    description="计划生育服务跟进（如网格上报新增怀孕后的孕期服务）：只提供服务，不涉及处罚。每次查阅记入审计。",
)
class FollowUpType(Node):
    reason: str = strawberry.field(description="跟进事由代码。", deprecation_reason="改用 followUpReason（枚举）。")

    @strawberry.field(description="跟进事由。")
    def follow_up_reason(self) -> FamilyPlanningFollowUpReason:
        return FamilyPlanningFollowUpReason(self.reason)

    source: str = strawberry.field(
        description="来源：grid_event（网格上报）或 worker（工作人员登记）。",
        deprecation_reason="改用 followUpSource（枚举）。",
    )

    @strawberry.field(description="来源。")
    def follow_up_source(self) -> FamilyPlanningFollowUpSource:
        return FamilyPlanningFollowUpSource(self.source)

    opened_on: date = strawberry.field(description="开启日期。")
    status: str = strawberry.field(
        description="open（待跟进）、in_service（服务中）或 closed（已结束）。",
        deprecation_reason="改用 followUpStatus（枚举）。",
    )

    @strawberry.field(description="跟进状态。")
    def follow_up_status(self) -> FamilyPlanningFollowUpStatus:
        return FamilyPlanningFollowUpStatus(self.status)

    services_offered: str | None = strawberry.field(description="提供的服务。")
    closed_on: date | None = strawberry.field(description="结束日期。")

    @strawberry.field(description="跟进事由。")
    def reason_label(self, root: FollowUp) -> str:
        return d.FOLLOW_UP_REASONS.get(root.reason, root.reason)

    @strawberry.field(description="服务对象姓名；网格上报未指明居民时为空。")
    def resident_name(self, root: FollowUp, info: strawberry.Info) -> str | None:
        return resident_name(info, root) if root.resident_id else None

    @strawberry.field(description="所在组织单位。")
    def org_unit(self, root: FollowUp, info: strawberry.Info) -> OrgUnitType:
        return org_unit_of(info, root)


@model_type(Benefit, name="FamilyPlanningBenefit", description="计划生育奖励扶助的发放记录。每次查阅记入审计。")
class BenefitType(Node):
    kind: str = strawberry.field(
        description="项目代码（本地现行项目见策略 family_planning.benefit_kinds）。",
        deprecation_reason="改用 benefitKind（枚举）。",
    )

    @strawberry.field(description="奖励扶助项目。")
    def benefit_kind(self) -> FamilyPlanningBenefitKind:
        return FamilyPlanningBenefitKind(self.kind)

    granted_on: date = strawberry.field(description="发放日期。")
    decision_ref: str = strawberry.field(description="发放依据。")

    @strawberry.field(description="金额（元）。")
    def amount(self, root: Benefit) -> str:
        return f"{root.amount:.2f}"

    @strawberry.field(description="项目名称。")
    def kind_label(self, root: Benefit) -> str:
        return d.BENEFIT_KINDS.get(root.kind, root.kind)

    @strawberry.field(description="领取人姓名。")
    def recipient_name(self, root: Benefit, info: strawberry.Info) -> str:
        return resident_name(info, root)


@strawberry.type(name="ChildbearingWoman", description="育龄妇女：人口库居民的视图（年龄范围为地方政策），附婚育信息。")
class ChildbearingWomanType:
    resident_row: strawberry.Private[Resident]
    age: int = strawberry.field(description="周岁。")
    profile: ProfileType | None = strawberry.field(description="婚育信息；尚未登记时为空。")

    @strawberry.field(description="居民的全局 ID。")
    def resident_id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Resident", self.resident_row.id))

    @strawberry.field(description="姓名。")
    def name(self) -> str:
        return self.resident_row.name

    @strawberry.field(description="所在组织单位。")
    def org_unit(self, info: strawberry.Info) -> OrgUnitType:
        return org_unit_of(info, self.resident_row)


def _scoped(
    path_column: InstrumentedAttribute[str], context: RequestContext, root_path: str
) -> list[ColumnElement[bool]]:
    return [in_subtree(path_column, root_path), scope_condition(context, d.READ.code, path_column)]


def _woman(resident: Resident, today: date, profile: Profile | None) -> ChildbearingWomanType:
    assert resident.birth_date is not None  # women of childbearing age are chosen by birth date
    return ChildbearingWomanType(
        resident_row=resident, age=age_on(resident.birth_date, today), profile=row_as(ProfileType, profile)
    )


PURPOSE = "查阅用途，必填，记入审计（如“上门送避孕药具前核对”）。"


@strawberry.type
class RecordsQuery:
    @strawberry.field(
        description="育龄妇女名册：某单位及其下级年龄在地方政策范围内的女性居民及其婚育信息。须有 family_planning.read 权限并说明用途，记入审计。"
    )
    def childbearing_women(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        purpose: str,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ChildbearingWomanType]:
        context: RequestContext = info.context
        require_somewhere(context, d.READ.code)
        stated = clean_purpose(purpose)
        root = unit_arg(context, under)
        require_plugin_active(context, root, d.PLUGIN, field="under")
        today = local_today()
        statement = select(Resident).where(
            in_subtree(Resident.org_path, root.path),
            scope_condition(context, d.READ.code, Resident.org_path),
            service.childbearing(context.session, root, today),
        )
        page = paginate(context, statement, (Resident.org_path, Resident.id), first=first, after=after)
        residents: list[Resident] = [edge.node for edge in page.edges]
        profiles = (
            {
                p.resident_id: p
                for p in context.session.scalars(
                    select(Profile).where(Profile.resident_id.in_([r.id for r in residents]))
                )
            }
            if residents
            else {}
        )
        log_reads(
            context,
            d.PROFILE.type_name,
            [
                ReadEntry(profiles[r.id].id if r.id in profiles else None, r.id, r.org_unit_id, r.org_path)
                for r in residents
            ],
            kind="list",
            purpose=stated,
            org_unit_id=root.id,
        )
        edges = [
            Edge(cursor=edge.cursor, node=_woman(r, today, profiles.get(r.id)))
            for edge, r in zip(page.edges, residents, strict=True)
        ]
        return Connection(edges=edges, page_info=page.page_info, count_total=page.count_total)

    @strawberry.field(description="出生登记：某单位及其下级，按出生日期。须说明用途，记入审计。")
    def family_planning_births(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        purpose: str,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[BirthType]:
        context: RequestContext = info.context
        require_somewhere(context, d.READ.code)
        root = unit_arg(context, under)
        statement = select(Birth).where(*_scoped(Birth.org_path, context, root.path))
        return audited_page(
            context,
            d.BIRTH,
            statement,
            (Birth.born_on, Birth.id),
            purpose=purpose,
            first=first,
            after=after,
            org_unit_id=root.id,
        )

    @strawberry.field(description="计划生育证明申请：某单位及其下级，可按状态筛选。须说明用途，记入审计。")
    def family_planning_certificates(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        purpose: str,
        status: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 certificateStatus（枚举）。")
        ] = None,
        certificate_status: Annotated[
            FamilyPlanningCertificateStatus | None, strawberry.argument(description="只列此状态的。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CertificateType]:
        status = optional_code(status, certificate_status, legacy_field="status", field="certificateStatus")
        context: RequestContext = info.context
        require_somewhere(context, d.READ.code)
        root = unit_arg(context, under)
        statement = select(Certificate).where(*_scoped(Certificate.org_path, context, root.path))
        if status is not None:
            statement = statement.where(Certificate.status == status)
        return audited_page(
            context,
            d.CERTIFICATE,
            statement,
            (Certificate.applied_on, Certificate.id),
            purpose=purpose,
            first=first,
            after=after,
            org_unit_id=root.id,
        )

    @strawberry.field(description="计划生育服务跟进：某单位及其下级，可按状态筛选。须说明用途，记入审计。")
    def family_planning_follow_ups(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        purpose: str,
        status: Annotated[str | None, strawberry.argument(deprecation_reason="改用 followUpStatus（枚举）。")] = None,
        follow_up_status: Annotated[
            FamilyPlanningFollowUpStatus | None, strawberry.argument(description="只列此状态的。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[FollowUpType]:
        status = optional_code(status, follow_up_status, legacy_field="status", field="followUpStatus")
        context: RequestContext = info.context
        require_somewhere(context, d.READ.code)
        root = unit_arg(context, under)
        statement = select(FollowUp).where(*_scoped(FollowUp.org_path, context, root.path))
        if status is not None:
            statement = statement.where(FollowUp.status == status)
        return audited_page(
            context,
            d.FOLLOW_UP,
            statement,
            (FollowUp.opened_on, FollowUp.id),
            purpose=purpose,
            first=first,
            after=after,
            org_unit_id=root.id,
        )

    @strawberry.field(description="计划生育奖励扶助发放记录：某单位及其下级。须说明用途，记入审计。")
    def family_planning_benefits(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        purpose: str,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[BenefitType]:
        context: RequestContext = info.context
        require_somewhere(context, d.READ.code)
        root = unit_arg(context, under)
        statement = select(Benefit).where(*_scoped(Benefit.org_path, context, root.path))
        return audited_page(
            context,
            d.BENEFIT,
            statement,
            (Benefit.granted_on, Benefit.id),
            purpose=purpose,
            first=first,
            after=after,
            org_unit_id=root.id,
        )


# --- mutations ----------------------------------------------------------------------------


@strawberry.input(description="登记或更新一名育龄妇女的婚育信息。")
class RecordProfileInput:
    resident_id: strawberry.ID
    marital_status: str | None = strawberry.field(
        default=None,
        description="unmarried、married、divorced、widowed 或 remarried。",
        deprecation_reason="改用 marriage（枚举）。",
    )
    marriage: MaritalStatus | None = strawberry.field(default=None, description="婚姻状况。")
    children: int = 0
    married_on: date | None = None
    contraception: str | None = strawberry.field(
        default=None,
        description="none、iud、sterilization、implant、pill、condom 或 other。",
        deprecation_reason="改用 contraceptionMethod（枚举）。",
    )
    contraception_method: ContraceptionMethod | None = strawberry.field(default=None, description="避孕节育情况。")
    pregnant: bool = False
    expected_on: date | None = None


@strawberry.type
class ProfilePayload:
    profile: ProfileType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记出生。")
class RecordBirthInput:
    mother_id: strawberry.ID
    born_on: date
    child_id: strawberry.ID | None = strawberry.field(default=None, description="已在人口库登记的孩子。")


@strawberry.type
class BirthPayload:
    birth: BirthType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="受理计划生育证明申请（类别须为本地在申请日现行办理的）。")
class ApplyCertificateInput:
    resident_id: strawberry.ID
    kind: str | None = strawberry.field(default=None, deprecation_reason="改用 certificateKind（枚举）。")
    certificate_kind: FamilyPlanningCertificateKind | None = strawberry.field(
        default=None, description="证明类别（须为本地现行办理的，见策略 family_planning.certificate_kinds）。"
    )
    applied_on: date


@strawberry.input(
    description="办结证明申请：issued（发证，须填编号）、refused（不予办理，须写理由）或 withdrawn（申请人撤回）。"
)
class DecideCertificateInput:
    id: strawberry.ID
    decision: str
    certificate_number: str | None = None
    note: str | None = None


@strawberry.type
class CertificatePayload:
    certificate: CertificateType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="开始为服务跟进上门服务：居民列入计划生育服务上门随访（core visits）。")
class StartServiceInput:
    id: strawberry.ID
    category: str = strawberry.field(description="随访类别：pregnancy（孕期服务）或 contraception（避孕节育服务）。")
    resident_id: strawberry.ID | None = strawberry.field(
        default=None, description="网格上报未指明居民时，确认的服务对象。"
    )


@strawberry.input(description="结束服务跟进，写明提供的服务。")
class CloseFollowUpInput:
    id: strawberry.ID
    services_offered: str


@strawberry.type
class FollowUpPayload:
    follow_up: FollowUpType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记一次计划生育奖励扶助发放（项目须为本地现行的）。")
class GrantBenefitInput:
    resident_id: strawberry.ID
    kind: str | None = strawberry.field(default=None, deprecation_reason="改用 benefitKind（枚举）。")
    benefit_kind: FamilyPlanningBenefitKind | None = strawberry.field(
        default=None, description="奖励扶助项目（须为本地现行的，见策略 family_planning.benefit_kinds）。"
    )
    amount: str = strawberry.field(description='金额（元），如 "960.00"。')
    granted_on: date
    decision_ref: str = strawberry.field(description="发放依据：居民代表会议决定或上级文件。")


@strawberry.type
class BenefitPayload:
    benefit: BenefitType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


Record = TypeVar("Record", Certificate, FollowUp)


def _record(context: RequestContext, global_id: str, model: type[Record], type_name: str, field: str = "id") -> Record:
    """The ``model`` row (GraphQL type ``type_name``) a mutation changes, locked."""
    row: Record = object_for(context, global_id, type_name, d.SERVE.code, field=field, lock=True, what="记录")
    return row


@strawberry.type
class RecordsMutation:
    @strawberry.mutation(description="登记或更新婚育信息：须在居民所在单位拥有 family_planning.serve 权限。")
    @atomic
    def record_family_planning_profile(self, info: strawberry.Info, input: RecordProfileInput) -> ProfilePayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        resident = resident_input(context, input.resident_id, d.SERVE.code)
        context.audit_subject("Resident", resident.id, resident.org_unit_id)
        profile = service.record_profile(
            context.session,
            resident,
            marital_status=required_code(
                input.marital_status, input.marriage, legacy_field="maritalStatus", field="marriage"
            ),
            married_on=input.married_on,
            children=input.children,
            contraception=optional_code(
                input.contraception,
                input.contraception_method,
                legacy_field="contraception",
                field="contraceptionMethod",
            ),
            pregnant=input.pregnant,
            expected_on=input.expected_on,
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject(d.PROFILE.type_name, profile.id, profile.org_unit_id)
        return ProfilePayload(profile=row_as(ProfileType, profile))

    @strawberry.mutation(description="登记出生：母亲须为女性居民；孩次按已登记的出生自动计算。")
    @atomic
    def record_family_planning_birth(self, info: strawberry.Info, input: RecordBirthInput) -> BirthPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        mother = resident_input(context, input.mother_id, d.SERVE.code, field="motherId")
        child = resident_input(context, input.child_id, d.SERVE.code, field="childId") if input.child_id else None
        birth = service.record_birth(
            context.session, mother, born_on=input.born_on, child=child, user_id=principal.user_id, today=local_today()
        )
        context.audit_subject(d.BIRTH.type_name, birth.id, birth.org_unit_id)
        return BirthPayload(birth=row_as(BirthType, birth))

    @strawberry.mutation(description="受理计划生育证明申请。")
    @atomic
    def apply_family_planning_certificate(
        self, info: strawberry.Info, input: ApplyCertificateInput
    ) -> CertificatePayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        resident = resident_input(context, input.resident_id, d.SERVE.code)
        certificate = service.apply_certificate(
            context.session,
            resident,
            kind=required_code(input.kind, input.certificate_kind, legacy_field="kind", field="certificateKind"),
            applied_on=input.applied_on,
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject(d.CERTIFICATE.type_name, certificate.id, certificate.org_unit_id)
        return CertificatePayload(certificate=row_as(CertificateType, certificate))

    @strawberry.mutation(description="办结计划生育证明申请。")
    @atomic
    def decide_family_planning_certificate(
        self, info: strawberry.Info, input: DecideCertificateInput
    ) -> CertificatePayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        certificate = _record(context, input.id, Certificate, d.CERTIFICATE.type_name)
        context.audit_subject(d.CERTIFICATE.type_name, certificate.id, certificate.org_unit_id)
        service.decide_certificate(
            context.session,
            certificate,
            decision=input.decision,
            number=input.certificate_number,
            note=input.note,
            user_id=principal.user_id,
            today=local_today(),
        )
        return CertificatePayload(certificate=row_as(CertificateType, certificate))

    @strawberry.mutation(
        description="开始上门服务：把服务对象列入计划生育服务上门随访（随访周期为地方政策），跟进转为服务中。"
    )
    @atomic
    def start_family_planning_service(self, info: strawberry.Info, input: StartServiceInput) -> FollowUpPayload:
        from core.visits.programmes import programme_for
        from core.visits.service import enrol

        context: RequestContext = info.context
        principal = require_signed_in(context)
        follow_up = _record(context, input.id, FollowUp, d.FOLLOW_UP.type_name)
        context.audit_subject(d.FOLLOW_UP.type_name, follow_up.id, follow_up.org_unit_id)
        if input.resident_id is not None and follow_up.resident_id is None:
            resident = resident_input(context, input.resident_id, d.SERVE.code)
            if not resident.org_path.startswith(follow_up.org_path) and not follow_up.org_path.startswith(
                resident.org_path
            ):
                from core.api.errors import UserInputError

                raise UserInputError("OUTSIDE_UNIT", "服务对象须为上报网格所在社区（村）的居民。", "residentId")
            follow_up.resident_id = resident.id
        service.start_service(follow_up)
        served = context.session.get(Resident, follow_up.resident_id)
        assert served is not None
        today = local_today()
        enrol(
            context.session,
            context,
            programme_for(context, d.PROGRAMME_CODE),
            served,
            category=input.category,
            reason=f"计划生育服务跟进：{d.FOLLOW_UP_REASONS.get(follow_up.reason, follow_up.reason)}",
            enrolled_from=today,
            enrolled_until=None,
            enrolled_by_id=principal.user_id,
            today=today,
        )
        context.session.flush()
        return FollowUpPayload(follow_up=row_as(FollowUpType, follow_up))

    @strawberry.mutation(description="结束服务跟进，写明提供的服务。")
    @atomic
    def close_family_planning_follow_up(self, info: strawberry.Info, input: CloseFollowUpInput) -> FollowUpPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        follow_up = _record(context, input.id, FollowUp, d.FOLLOW_UP.type_name)
        context.audit_subject(d.FOLLOW_UP.type_name, follow_up.id, follow_up.org_unit_id)
        service.close_follow_up(
            context.session, follow_up, services_offered=input.services_offered, today=local_today()
        )
        return FollowUpPayload(follow_up=row_as(FollowUpType, follow_up))

    @strawberry.mutation(description="登记计划生育奖励扶助发放：项目和金额依本地政策和居民代表会议决定。")
    @atomic
    def grant_family_planning_benefit(self, info: strawberry.Info, input: GrantBenefitInput) -> BenefitPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        resident = resident_input(context, input.resident_id, d.SERVE.code)
        benefit = service.grant_benefit(
            context.session,
            resident,
            kind=required_code(input.kind, input.benefit_kind, legacy_field="kind", field="benefitKind"),
            amount=input.amount,
            granted_on=input.granted_on,
            decision_ref=input.decision_ref,
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject(d.BENEFIT.type_name, benefit.id, benefit.org_unit_id)
        return BenefitPayload(benefit=row_as(BenefitType, benefit))
