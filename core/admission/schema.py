"""GraphQL for work admission: the register of requirements, refusals, and
what each community carries and from whom."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Annotated

import strawberry
from sqlalchemy import ColumnElement, or_, select

from core.admission import service
from core.admission.declarations import REFUSE, REGISTER, VIEW
from core.admission.enums import AdmissionStatus, AdmissionSubjectKind
from core.admission.models import (
    STATUS_NAMES,
    SUBJECT_KINDS,
    Refusal,
    Requirement,
    RequirementLink,
)
from core.api.choices import optional_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for
from core.api.loaders import related, related_required
from core.api.mutations import atomic
from core.api.relay import Node, model_type
from core.api.rows import row_as, rows_as
from core.auth.permissions import (
    principal_of,
    registry_for_context,
    require,
    scope_condition,
)
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.plugin_host import host_of
from core.settings import settings_of

MAX_LIST = 200


def _ancestor_paths(path: str) -> list[str]:
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


def visible_requirements(context: RequestContext) -> ColumnElement[bool]:
    """A requirement is seen in the caller's scope and by the units below it
    that it is asked of (a community sees what its street or district admitted)."""
    principal = principal_of(context)
    paths = principal.paths(VIEW.code) if principal is not None else ()
    if not paths:
        return Requirement.id.is_(None)
    ancestors = [a for path in paths for a in _ancestor_paths(path)]
    return or_(*(in_subtree(Requirement.org_path, path) for path in paths), Requirement.org_path.in_(ancestors))


def load_requirements(context: RequestContext, pks: Sequence[int]) -> Mapping[int, Requirement]:
    if not pks:
        return {}
    rows = context.session.scalars(select(Requirement).where(Requirement.id.in_(pks), visible_requirements(context)))
    return {row.id: row for row in rows}


def load_refusals(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(
        select(Refusal).where(Refusal.id.in_(pks), scope_condition(context, VIEW.code, Refusal.org_path))
    )
    return {row.id: row for row in rows}


@model_type(
    Requirement,
    name="AdmissionRequirement",
    description="社区工作准入事项：授权内容、对象、权限、时限和经费保障，经规定层级审批后方可进入社区。",
)
class RequirementType(Node):
    issuer: str = strawberry.field(description="提出事项的单位（部门）。")
    title: str = strawberry.field(description="事项名称。")
    content: str = strawberry.field(description="授权内容：要求社区做什么。")
    authority: str = strawberry.field(description="权限和依据（文件、法规）。")
    levels: list[str] = strawberry.field(description="涉及的层级代码；为空时为该单位辖区内全部单位。")
    cadence: str | None = strawberry.field(
        description="周期：once、monthly、quarterly、half_yearly、yearly、per_event。"
    )
    deadline: date | None = strawberry.field(description="截止日期。")
    staff: str = strawberry.field(description="人员保障。")
    funds_yuan: int = strawberry.field(description="经费（元/年）。")
    funds_note: str = strawberry.field(description="经费保障说明（费随事转）。")
    valid_from: date = strawberry.field(description="有效期起。")
    valid_until: date | None = strawberry.field(description="有效期止；为空时长期有效。")
    status: str = strawberry.field(
        description="draft（待审批）、approved（已准入）、revoked（已撤销）。",
        deprecation_reason="改用 requirementStatus（枚举）。",
    )

    @strawberry.field(description="准入状态。")
    def requirement_status(self) -> AdmissionStatus:
        return AdmissionStatus(self.status)

    approved_at: datetime | None = strawberry.field(description="批准时间。")

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @strawberry.field(description="事项涉及的单位（其辖区）。")
    def org_unit(self, root: Requirement, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="批准单位（地方策略 admission.approval_level 规定的层级）。")
    def approving_unit(self, root: Requirement, info: strawberry.Info) -> OrgUnitType | None:
        return row_as(OrgUnitType, related(info.context, root, "approving_unit_id", OrgUnit))

    @strawberry.field(description="本事项准入的应报事项类型代码、报表（form.<id>）和工作任务（task.<代码>）。")
    def subjects(self, root: Requirement, info: strawberry.Info) -> list[str]:
        rows = info.context.session.scalars(
            select(RequirementLink.subject_code)
            .where(RequirementLink.requirement_id == root.id)
            .order_by(RequirementLink.id)
        )
        return list(rows)


@model_type(Refusal, name="AdmissionRefusal", description="社区对未经准入事项的拒绝及理由。")
class RefusalType(Node):
    subject_code: str = strawberry.field(description="被拒绝的事项代码。")
    subject_kind: str = strawberry.field(
        description="obligation_type（应报事项）、report_form（报表）或 task（工作任务）。",
        deprecation_reason="改用 refusedKind（枚举）。",
    )

    @strawberry.field(description="被拒绝事项的种类。")
    def refused_kind(self) -> AdmissionSubjectKind:
        return AdmissionSubjectKind(self.subject_kind)

    reason: str = strawberry.field(description="拒绝理由。")
    refused_at: datetime = strawberry.field(description="拒绝时间。")

    @strawberry.field(description="种类的中文名称。")
    def subject_kind_name(self) -> str:
        return SUBJECT_KINDS[self.subject_kind]

    @strawberry.field(description="拒绝的单位。")
    def org_unit(self, root: Refusal, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))


@strawberry.type(description="某一来源（提出单位）交给本单位的报表和事项数。")
class IssuerCount:
    issuer: str = strawberry.field(description="提出单位；“（未经准入）”为没有已批准准入事项的。")
    count: int


@strawberry.type(description="一个单位近一年承担的报表和应报事项：多少、来自谁、多少未经准入或已拒绝。")
class AdmissionBurden:
    org_unit: OrgUnitType
    obligations: int = strawberry.field(description="应报事项类型数（报表、会议、公开、走访）。")
    forms: int = strawberry.field(description="报表（一表通）数。")
    unadmitted: int = strawberry.field(description="其中未经准入的数目。")
    refused: int = strawberry.field(description="其中已拒绝的数目。")
    by_issuer: list[IssuerCount] = strawberry.field(description="按提出单位分列。")


def _unit(context: RequestContext, global_id: strawberry.ID, permission: str, field: str = "under") -> OrgUnit:
    unit: OrgUnit = object_for(context, global_id, "OrgUnit", None, field=field)
    require(context, permission, unit, registry=registry_for_context(context))
    return unit


@strawberry.type
class AdmissionQuery:
    @strawberry.field(
        description="准入事项清单：涉及所选单位及其辖区（或其上级辖区）的事项；须有 admission.view 权限。"
    )
    def admission_requirements(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        status: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 requirementStatus（枚举）。")
        ] = None,
        requirement_status: Annotated[AdmissionStatus | None, strawberry.argument(description="只列此状态的。")] = None,
    ) -> list[RequirementType]:
        status = optional_code(status, requirement_status, legacy_field="status", field="requirementStatus")
        context: RequestContext = info.context
        unit = _unit(context, under, VIEW.code)
        statement = select(Requirement).where(
            visible_requirements(context),
            or_(in_subtree(Requirement.org_path, unit.path), Requirement.org_path.in_(_ancestor_paths(unit.path))),
        )
        if status is not None:
            statement = statement.where(Requirement.status == status)
        return rows_as(RequirementType, context.session.scalars(statement.order_by(Requirement.id).limit(MAX_LIST)))

    @strawberry.field(description="所选单位辖区内社区对未经准入事项的拒绝记录。")
    def admission_refusals(self, info: strawberry.Info, under: strawberry.ID) -> list[RefusalType]:
        context: RequestContext = info.context
        unit = _unit(context, under, VIEW.code)
        rows = context.session.scalars(
            select(Refusal)
            .where(in_subtree(Refusal.org_path, unit.path), scope_condition(context, VIEW.code, Refusal.org_path))
            .order_by(Refusal.org_path, Refusal.id)
            .limit(MAX_LIST)
        )
        return rows_as(RefusalType, rows)

    @strawberry.field(
        description="所选单位辖区内各社区（或 level 指定的层级）近一年承担的报表和应报事项数及其来源；最多 200 个单位。"
    )
    def admission_burden(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        level: Annotated[
            str | None, strawberry.argument(description="按此层级的单位统计（层级代码，见 orgLevels）。")
        ] = None,
    ) -> list[AdmissionBurden]:
        context: RequestContext = info.context
        unit = _unit(context, under, VIEW.code)
        levels = settings_of(context.session).level_codes([level or "grassroots"])
        units = list(
            context.session.scalars(
                select(OrgUnit)
                .where(in_subtree(OrgUnit.path, unit.path), OrgUnit.level.in_(levels))
                .order_by(OrgUnit.path)
                .limit(MAX_LIST)
            )
        )
        return [
            AdmissionBurden(
                org_unit=row_as(OrgUnitType, b.unit),
                obligations=b.obligations,
                forms=b.forms,
                unadmitted=b.unadmitted,
                refused=b.refused,
                by_issuer=[IssuerCount(issuer=k, count=v) for k, v in sorted(b.by_issuer.items())],
            )
            for b in service.burden(context.session, units)
        ]


@strawberry.input
class RegisterRequirementInput:
    org_unit_id: strawberry.ID = strawberry.field(description="事项涉及的单位（其辖区）。")
    issuer: str
    title: str
    content: str
    authority: str
    staff: str
    funds_note: str
    valid_from: date
    funds_yuan: int = 0
    levels: list[str] = strawberry.field(default_factory=list)
    cadence: str | None = None
    deadline: date | None = None
    valid_until: date | None = None
    subjects: list[str] = strawberry.field(
        default_factory=list, description="准入的应报事项类型代码、form.<id>、task.<代码>。"
    )


@strawberry.input
class RequirementActionInput:
    id: strawberry.ID


@strawberry.input
class LinkRequirementSubjectInput:
    requirement_id: strawberry.ID
    subject_code: str


@strawberry.input
class RefuseUnadmittedInput:
    org_unit_id: strawberry.ID
    subject_code: str
    reason: str


@strawberry.type
class RequirementPayload:
    requirement: RequirementType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RefusalPayload:
    refusal: RefusalType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AdmissionMutation:
    @strawberry.mutation(description="登记拟进入社区的工作事项（待审批）：须有 admission.register 权限。")
    @atomic
    def register_requirement(self, info: strawberry.Info, input: RegisterRequirementInput) -> RequirementPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", REGISTER.code, field="orgUnitId")
        data = service.RequirementInput(
            issuer=input.issuer,
            title=input.title,
            content=input.content,
            authority=input.authority,
            staff=input.staff,
            funds_note=input.funds_note,
            valid_from=input.valid_from,
            funds_yuan=input.funds_yuan,
            levels=input.levels,
            cadence=input.cadence,
            deadline=input.deadline,
            valid_until=input.valid_until,
            subjects=input.subjects,
        )
        row = service.register(
            context.session, context, unit, data, host=host_of(context), registry=registry_for_context(context)
        )
        return RequirementPayload(requirement=row_as(RequirementType, row))

    @strawberry.mutation(description="批准准入事项：在地方策略规定的审批层级（默认区/县）须有 admission.approve 权限。")
    @atomic
    def approve_requirement(self, info: strawberry.Info, input: RequirementActionInput) -> RequirementPayload:
        context: RequestContext = info.context
        row = object_for(context, input.id, "AdmissionRequirement", None, field="id", lock=True, what="准入事项")
        service.approve(context.session, context, row, registry=registry_for_context(context))
        return RequirementPayload(requirement=row_as(RequirementType, row))

    @strawberry.mutation(description="为待审批的准入事项增加所准入的事项代码：须有 admission.register 权限。")
    @atomic
    def link_requirement_subject(self, info: strawberry.Info, input: LinkRequirementSubjectInput) -> RequirementPayload:
        context: RequestContext = info.context
        row = object_for(
            context, input.requirement_id, "AdmissionRequirement", REGISTER.code, field="requirementId", what="准入事项"
        )
        if row.status != "draft":
            raise UserInputError("INVALID_STATUS", "已批准的准入事项不能再增加内容，请另行登记。", "requirementId")
        service.link(context.session, row, input.subject_code, host=host_of(context))
        return RequirementPayload(requirement=row_as(RequirementType, row))

    @strawberry.mutation(
        description="社区拒绝未经准入的事项并记录理由：须有 admission.refuse 权限；已准入的事项不能拒绝。"
    )
    @atomic
    def refuse_unadmitted(self, info: strawberry.Info, input: RefuseUnadmittedInput) -> RefusalPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", REFUSE.code, field="orgUnitId")
        row = service.refuse(
            context.session, context, unit, input.subject_code, input.reason, registry=registry_for_context(context)
        )
        return RefusalPayload(refusal=row_as(RefusalType, row))
