"""GraphQL of home-based care: providers, enrolments and service records
(day-care attendance included)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypeVar

import strawberry
from sqlalchemy import ColumnElement, func, or_, select

from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for, resident_pk_for
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import (
    MAX_INTEGER_PK,
    Connection,
    Node,
    NodeLoader,
    decode_pk,
    model_type,
    paginate,
)
from core.auth.permissions import require_signed_in, require_somewhere, scope_condition
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.policy.service import local_today
from plugins.elderly_services import care
from plugins.elderly_services.declarations import CARE, VIEW
from plugins.elderly_services.models import (
    CARE_SERVICES,
    CareEnrolment,
    CareProvider,
    CareServiceRecord,
)

# The models of home-based care: each has an ``id`` and an ``org_path``.
_Row = TypeVar("_Row", CareProvider, CareEnrolment, CareServiceRecord)


def _visible(model: type[_Row], context: RequestContext) -> ColumnElement[bool]:
    return or_(scope_condition(context, VIEW.code, model.org_path), scope_condition(context, CARE.code, model.org_path))


def _loader(model: type[_Row]) -> NodeLoader:
    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
        if not wanted:
            return {}
        rows = context.session.scalars(select(model).where(model.id.in_(wanted), _visible(model, context)))
        return {row.id: row for row in rows}

    return load


load_providers = _loader(CareProvider)
load_care_enrolments = _loader(CareEnrolment)
load_service_records = _loader(CareServiceRecord)


def _unit(context: RequestContext, global_id: str, field: str) -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


@model_type(CareProvider, name="CareProvider", description="居家养老服务商。")
class CareProviderType(Node):
    name: str
    phone: str | None = strawberry.field(description="联系电话（机构电话，不属个人敏感信息）。")

    @strawberry.field(description="提供的服务项目代码：meals、cleaning、escort、day_care。")
    def services(self, root: CareProvider) -> list[str]:
        return root.services.split(",")

    @strawberry.field(description="服务项目的中文名称。")
    def service_names(self, root: CareProvider) -> list[str]:
        return [CARE_SERVICES.get(s, s) for s in root.services.split(",")]

    @strawberry.field(description="所在组织单位。", graphql_type=OrgUnitType)
    def org_unit(self, root: CareProvider, info: strawberry.Info) -> OrgUnit | None:
        return related(info.context, root, "org_unit_id", OrgUnit)


@model_type(CareServiceRecord, name="CareServiceRecord", description="一次居家养老服务（日间照料即一天出勤）。")
class CareServiceRecordType(Node):
    served_on: date
    note: str | None


@model_type(CareEnrolment, name="CareEnrolment", description="居民登记的一项居家养老服务。")
class CareEnrolmentType(Node):
    service: str = strawberry.field(description="服务项目代码。")
    enrolled_from: date
    enrolled_until: date | None

    @strawberry.field(description="服务项目的中文名称。")
    def service_name(self) -> str:
        return CARE_SERVICES.get(self.service, self.service)

    @strawberry.field(description="居民姓名（来自核心人口库）。")
    def resident_name(self, root: CareEnrolment, info: strawberry.Info) -> str:
        resident = related(info.context, root, "resident_id", Resident)
        return resident.name if resident else ""

    @strawberry.field(description="服务商。", graphql_type=CareProviderType)
    def provider(self, root: CareEnrolment, info: strawberry.Info) -> CareProvider | None:
        return related(info.context, root, "provider_id", CareProvider)

    @strawberry.field(description="某期间内的服务记录，最近的在前。")
    def records(
        self,
        root: CareEnrolment,
        info: strawberry.Info,
        since: date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CareServiceRecordType]:
        context: RequestContext = info.context
        statement = select(CareServiceRecord).where(CareServiceRecord.enrolment_id == root.id)
        if since is not None:
            statement = statement.where(CareServiceRecord.served_on >= since)
        return paginate(
            context,
            statement,
            (CareServiceRecord.served_on, CareServiceRecord.id),
            first=first,
            after=after,
            descending=True,
        )


@strawberry.type(name="CareServiceCount", description="某项服务在期间内的服务对象数和服务次数。")
class CareServiceCountType:
    service: str
    service_name: str
    enrolled: int = strawberry.field(description="期间内在册的服务对象数。")
    delivered: int = strawberry.field(description="期间内的服务次数（日间照料为出勤人次）。")


@strawberry.type
class CareQuery:
    @strawberry.field(description="某单位及其下级的居家养老服务商。")
    def care_providers(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[CareProviderType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        statement = select(CareProvider).where(
            org_service.in_subtree(CareProvider.org_path, root.path), _visible(CareProvider, context)
        )
        return paginate(context, statement, (CareProvider.org_path, CareProvider.id), first=first, after=after)

    @strawberry.field(description="某单位及其下级登记的居家养老服务对象；可按服务项目筛选。")
    def care_enrolments(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        service: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CareEnrolmentType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        root = _unit(context, under, "under")
        statement = select(CareEnrolment).where(
            org_service.in_subtree(CareEnrolment.org_path, root.path), _visible(CareEnrolment, context)
        )
        if service is not None:
            statement = statement.where(CareEnrolment.service == service)
        return paginate(context, statement, (CareEnrolment.org_path, CareEnrolment.id), first=first, after=after)

    @strawberry.field(description="某单位及其下级各项居家养老服务在期间内的服务对象数和服务次数。")
    def care_service_counts(
        self, info: strawberry.Info, under: strawberry.ID, start: date, end: date
    ) -> list[CareServiceCountType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code)
        if end < start:
            raise UserInputError("INVALID_DATES", "结束日期不能早于开始日期。", "end")
        root = _unit(context, under, "under")
        enrolled = dict(
            context.session.execute(
                select(CareEnrolment.service, func.count())
                .where(
                    org_service.in_subtree(CareEnrolment.org_path, root.path),
                    _visible(CareEnrolment, context),
                    CareEnrolment.enrolled_from <= end,
                    or_(CareEnrolment.enrolled_until.is_(None), CareEnrolment.enrolled_until >= start),
                )
                .group_by(CareEnrolment.service)
            ).all()
        )
        delivered = dict(
            context.session.execute(
                select(CareEnrolment.service, func.count())
                .join(CareEnrolment, CareEnrolment.id == CareServiceRecord.enrolment_id)
                .select_from(CareServiceRecord)
                .where(
                    org_service.in_subtree(CareServiceRecord.org_path, root.path),
                    _visible(CareServiceRecord, context),
                    CareServiceRecord.served_on >= start,
                    CareServiceRecord.served_on <= end,
                )
                .group_by(CareEnrolment.service)
            ).all()
        )
        return [
            CareServiceCountType(
                service=code,
                service_name=name,
                enrolled=int(enrolled.get(code, 0)),
                delivered=int(delivered.get(code, 0)),
            )
            for code, name in CARE_SERVICES.items()
        ]


@strawberry.input(description="登记居家养老服务商。")
class AddCareProviderInput:
    org_unit_id: strawberry.ID
    name: str
    services: list[str] = strawberry.field(
        description="服务项目代码：meals（助餐）、cleaning（助洁）、escort（陪同就医）、day_care（日间照料）。"
    )
    phone: str | None = None


@strawberry.input(description="登记居民的一项居家养老服务。")
class EnrolInCareInput:
    resident_id: strawberry.ID
    provider_id: strawberry.ID
    service: str
    enrolled_from: date
    enrolled_until: date | None = None


@strawberry.input(description="登记一次居家养老服务（日间照料即登记当日出勤）。")
class RecordCareServiceInput:
    enrolment_id: strawberry.ID
    served_on: date
    note: str | None = None


@strawberry.type
class CareProviderPayload:
    provider: CareProvider | None = strawberry.field(default=None, graphql_type=CareProviderType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CareEnrolmentPayload:
    enrolment: CareEnrolment | None = strawberry.field(default=None, graphql_type=CareEnrolmentType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CareServiceRecordPayload:
    record: CareServiceRecord | None = strawberry.field(default=None, graphql_type=CareServiceRecordType | None)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CareMutation:
    @strawberry.mutation(description="登记居家养老服务商：须在该单位拥有 elderly_services.care 权限。")
    @atomic
    def add_care_provider(self, info: strawberry.Info, input: AddCareProviderInput) -> CareProviderPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        unit = _unit(context, input.org_unit_id, "orgUnitId")
        context.audit_subject("CareProvider", None, unit.id)
        provider = care.add_provider(
            context.session, context, unit, name=input.name, services=input.services, phone=input.phone
        )
        context.audit_subject("CareProvider", provider.id, unit.id)
        return CareProviderPayload(provider=provider)

    @strawberry.mutation(
        description="登记居民的居家养老服务：须在居民所在单位拥有 elderly_services.care 权限；居民须达老年人年龄。"
    )
    @atomic
    def enrol_in_care(self, info: strawberry.Info, input: EnrolInCareInput) -> CareEnrolmentPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        pk = resident_pk_for(context, input.resident_id, field="residentId", permission=CARE.code)
        resident = context.session.get(Resident, pk)
        assert resident is not None
        provider = object_for(context, input.provider_id, "CareProvider", None, field="providerId", what="服务商")
        context.audit_subject("CareEnrolment", None, resident.org_unit_id)
        enrolment = care.enrol(
            context.session,
            context,
            resident,
            provider,
            service=input.service,
            enrolled_from=input.enrolled_from,
            enrolled_until=input.enrolled_until,
        )
        context.audit_subject("CareEnrolment", enrolment.id, resident.org_unit_id)
        return CareEnrolmentPayload(enrolment=enrolment)

    @strawberry.mutation(description="登记一次居家养老服务：须有 elderly_services.care 权限。")
    @atomic
    def record_care_service(self, info: strawberry.Info, input: RecordCareServiceInput) -> CareServiceRecordPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        enrolment = object_for(
            context, input.enrolment_id, "CareEnrolment", CARE.code, field="enrolmentId", what="服务登记"
        )
        context.audit_subject("CareServiceRecord", None, enrolment.org_unit_id)
        record = care.record_service(
            context.session,
            context,
            enrolment,
            served_on=input.served_on,
            note=input.note,
            user_id=principal.user_id,
            today=local_today(),
        )
        context.audit_subject("CareServiceRecord", record.id, enrolment.org_unit_id)
        return CareServiceRecordPayload(record=record)
