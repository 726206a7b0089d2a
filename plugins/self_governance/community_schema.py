"""GraphQL of building heads (楼栋长推选) and residents' initiatives (临时会议提议)."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy import select

from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for
from core.api.loaders import related, related_required
from core.api.mutations import atomic
from core.api.relay import Connection, Node, encode_global_id, model_type
from core.api.rows import row_as
from core.auth.permissions import require_signed_in
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.plugin_host import host_of
from core.policy.service import local_today
from core.reporting import service as reporting
from core.reporting.enums import ObligationStatus
from core.reporting.models import ObligationInstance
from plugins.self_governance import building_heads, initiatives
from plugins.self_governance.common import community_of
from plugins.self_governance.declarations import MANAGE, VIEW
from plugins.self_governance.enums import (
    BuildingHeadNominationMethod,
    BuildingHeadNominationStatus,
    ResidentInitiativeBasis,
    ResidentInitiativeStatus,
)
from plugins.self_governance.models import (
    BASES,
    INITIATIVE_STATUSES,
    NOMINATION_METHODS,
    NOMINATION_STATUSES,
    SelfgovBuildingHeadNomination,
    SelfgovBuildingHeadObjection,
    SelfgovInitiative,
    SelfgovInitiativeSignature,
)
from plugins.self_governance.schema_common import (
    community_input,
    loader,
    page_under,
    resident_input,
    user_id,
)

READ = (VIEW.code, MANAGE.code)
load_nominations = loader(SelfgovBuildingHeadNomination, READ)
load_initiatives = loader(SelfgovInitiative, READ)


def _name(info: strawberry.Info, row: object, key: str = "resident_id") -> str:
    resident = related(info.context, row, key, Resident)
    return resident.name if resident is not None else ""


@strawberry.type(description="公示期间居民实名提出的异议及答复。")
class BuildingHeadObjectionType:
    id: strawberry.ID
    reason: str
    answer: str | None
    raised_on: date
    resident_name: str


@model_type(
    SelfgovBuildingHeadNomination,
    name="BuildingHeadNomination",
    description="楼栋长人选：自荐或联名推荐，公示期满后任命。",
)
class BuildingHeadNominationType(Node):
    method: str = strawberry.field(
        description="self（自荐）或 co（联名推荐）。", deprecation_reason="改用 nominationMethod（枚举）。"
    )

    @strawberry.field(description="推荐方式。")
    def nomination_method(self) -> BuildingHeadNominationMethod:
        return BuildingHeadNominationMethod(self.method)

    publicity_from: date
    publicity_until: date = strawberry.field(description="公示截止日（按工作日计算，含）。")
    status: str = strawberry.field(
        description="publicity 或 appointed。", deprecation_reason="改用 nominationStatus（枚举）。"
    )

    @strawberry.field(description="推荐状态。")
    def nomination_status(self) -> BuildingHeadNominationStatus:
        return BuildingHeadNominationStatus(self.status)

    appointed_on: date | None

    @strawberry.field(description="人选姓名。")
    def resident_name(self, root: SelfgovBuildingHeadNomination, info: strawberry.Info) -> str:
        return _name(info, root)

    @strawberry.field(description="推选方式的中文名称。")
    def method_name(self) -> str:
        return NOMINATION_METHODS.get(self.method, self.method)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return NOMINATION_STATUSES.get(self.status, self.status)

    @strawberry.field(description="楼栋。")
    def building(self, root: SelfgovBuildingHeadNomination, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="联名推荐人的姓名。")
    def recommender_names(self, root: SelfgovBuildingHeadNomination, info: strawberry.Info) -> list[str]:
        raw = root.recommender_ids
        if not raw:
            return []
        ids = [int(x) for x in raw.split(",")]
        names = dict(info.context.session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids))).all())
        return [names.get(pk, "") for pk in ids]

    @strawberry.field(description="异议及答复。")
    def objections(self, root: SelfgovBuildingHeadNomination, info: strawberry.Info) -> list[BuildingHeadObjectionType]:
        rows = info.context.session.execute(
            select(SelfgovBuildingHeadObjection, Resident.name)
            .join(Resident, Resident.id == SelfgovBuildingHeadObjection.resident_id)
            .where(SelfgovBuildingHeadObjection.nomination_id == root.id)
            .order_by(SelfgovBuildingHeadObjection.id)
        )
        return [
            BuildingHeadObjectionType(
                id=strawberry.ID(str(row.id)),
                reason=row.reason,
                answer=row.answer,
                raised_on=row.raised_on,
                resident_name=name,
            )
            for row, name in rows
        ]

    @strawberry.field(description="任命后在核心职务中的任职记录 ID。")
    def post_assignment_id(self, root: SelfgovBuildingHeadNomination) -> strawberry.ID | None:
        pk = root.assignment_id
        return strawberry.ID(encode_global_id("PostAssignment", pk)) if pk is not None else None


@model_type(
    SelfgovInitiative, name="ResidentInitiative", description="居民联名提议召开成员代表大会（居民会议）临时会议。"
)
class ResidentInitiativeType(Node):
    title: str
    purpose: str
    basis: str = strawberry.field(
        description="residents、households、groups 或 representatives。",
        deprecation_reason="改用 initiativeBasis（枚举）。",
    )

    @strawberry.field(description="联名依据。")
    def initiative_basis(self) -> ResidentInitiativeBasis:
        return ResidentInitiativeBasis(self.basis)

    opened_on: date
    status: str = strawberry.field(
        description="collecting、reached 或 met。", deprecation_reason="改用 initiativeStatus（枚举）。"
    )

    @strawberry.field(description="提议进度。")
    def initiative_status(self) -> ResidentInitiativeStatus:
        return ResidentInitiativeStatus(self.status)

    reached_on: date | None = strawberry.field(description="联名达到法定比例之日。")
    meeting_held_on: date | None = strawberry.field(description="临时会议召开日期。")

    @strawberry.field(description="应提议召开的会议（核心会议）的 ID。")
    def meeting_id(self, root: SelfgovInitiative) -> strawberry.ID | None:
        pk = root.meeting_id
        return strawberry.ID(encode_global_id("Meeting", pk)) if pk is not None else None

    @strawberry.field(description="提议方式的中文名称。")
    def basis_name(self) -> str:
        return BASES.get(self.basis, self.basis)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return INITIATIVE_STATUSES.get(self.status, self.status)

    @strawberry.field(description="所在社区。")
    def org_unit(self, root: SelfgovInitiative, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="已签名（提议）数。")
    def signature_count(self, root: SelfgovInitiative, info: strawberry.Info) -> int:
        return initiatives.signature_count(info.context.session, root)

    @strawberry.field(description="按今天的人口库和地方策略，达到法定比例所需的签名数；达到后为达到时的数。")
    def signatures_needed(self, root: SelfgovInitiative, info: strawberry.Info) -> int:
        if root.signature_count is not None and root.reached_on is not None:
            return root.signature_count
        return initiatives.needed_count(info.context.session, root, local_today())[0]

    @strawberry.field(description="计算比例的基数：居民、户、居民小组或代表的总数（达到时固定）。")
    def base_count(self, root: SelfgovInitiative, info: strawberry.Info) -> int:
        if root.base_count is not None:
            return root.base_count
        return initiatives.needed_count(info.context.session, root, local_today())[1]

    @strawberry.field(description="签名人姓名，按签名先后。")
    def signer_names(self, root: SelfgovInitiative, info: strawberry.Info) -> list[str]:
        return list(
            info.context.session.scalars(
                select(Resident.name)
                .join(SelfgovInitiativeSignature, SelfgovInitiativeSignature.resident_id == Resident.id)
                .where(SelfgovInitiativeSignature.initiative_id == root.id)
                .order_by(SelfgovInitiativeSignature.id)
            )
        )

    @strawberry.field(description="居委会应召集临时会议的截止日。")
    def meeting_due_on(self, root: SelfgovInitiative, info: strawberry.Info) -> date | None:
        instance = related(info.context, root, "obligation_instance_id", ObligationInstance)
        return instance.due_on if instance is not None else None

    @strawberry.field(
        description="应召开会议的报送状态（核心报送日历）：open、submitted、late 或 missing。",
        deprecation_reason="改用 meetingObligation（枚举）。",
    )
    def meeting_obligation_status(self, root: SelfgovInitiative, info: strawberry.Info) -> str | None:
        instance = related(info.context, root, "obligation_instance_id", ObligationInstance)
        return reporting.effective_status(instance, local_today()) if instance is not None else None

    @strawberry.field(description="应召开会议的报送状态（核心报送日历）；尚未达到法定人数时为空。")
    def meeting_obligation(self, info: strawberry.Info) -> ObligationStatus | None:
        instance = related(info.context, self, "obligation_instance_id", ObligationInstance)
        return ObligationStatus(reporting.effective_status(instance, local_today())) if instance is not None else None


@strawberry.type
class CommunityQuery:
    @strawberry.field(description="某单位及其下级的楼栋长人选，最近的在前。")
    def building_head_nominations(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[BuildingHeadNominationType]:
        return page_under(
            info.context,
            under,
            SelfgovBuildingHeadNomination,
            VIEW.code,
            READ,
            (SelfgovBuildingHeadNomination.publicity_from, SelfgovBuildingHeadNomination.id),
            first=first,
            after=after,
            descending=True,
        )

    @strawberry.field(description="某单位及其下级社区的临时会议提议，最近的在前。")
    def resident_initiatives(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[ResidentInitiativeType]:
        return page_under(
            info.context,
            under,
            SelfgovInitiative,
            VIEW.code,
            READ,
            (SelfgovInitiative.opened_on, SelfgovInitiative.id),
            first=first,
            after=after,
            descending=True,
        )


@strawberry.input(description="推选楼栋长人选（自荐或联名推荐），自今日起公示。")
class NominateBuildingHeadInput:
    building_id: strawberry.ID = strawberry.field(description="楼栋（社区以下的单位）。")
    resident_id: strawberry.ID = strawberry.field(description="人选：住在该楼栋的成年居民。")
    method: str | None = strawberry.field(
        default=None,
        description="self（自荐）或 co（联名推荐）。",
        deprecation_reason="改用 nominationMethod（枚举）。",
    )
    nomination_method: BuildingHeadNominationMethod | None = strawberry.field(default=None, description="推荐方式。")
    recommender_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="联名推荐的居民。")


@strawberry.input(description="公示期间居民实名提出异议。")
class ObjectToBuildingHeadInput:
    nomination_id: strawberry.ID
    resident_id: strawberry.ID = strawberry.field(description="提出异议的居民（实名）。")
    reason: str


@strawberry.input(description="答复异议。")
class AnswerBuildingHeadObjectionInput:
    nomination_id: strawberry.ID
    objection_number: int = strawberry.field(description="异议在该人选异议列表中的序号（自 1 起）。")
    answer: str


@strawberry.input(description="公示期满后任命楼栋长。")
class AppointBuildingHeadInput:
    nomination_id: strawberry.ID
    term_end: date | None = None


@strawberry.input(description="登记居民联名提议召开临时会议。")
class OpenResidentInitiativeInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区。")
    title: str
    purpose: str
    basis: str | None = strawberry.field(
        default=None,
        description="residents（居民联名）、households（户）、groups（居民小组）或 representatives（代表）。",
        deprecation_reason="改用 initiativeBasis（枚举）。",
    )
    initiative_basis: ResidentInitiativeBasis | None = strawberry.field(default=None, description="联名依据。")


@strawberry.input(description="登记一个联名签名。")
class SignResidentInitiativeInput:
    initiative_id: strawberry.ID
    resident_id: strawberry.ID


@strawberry.input(description="登记应提议召开的临时会议已经召开。")
class RecordInitiativeMeetingInput:
    initiative_id: strawberry.ID
    meeting_id: strawberry.ID = strawberry.field(
        description="本社区召开的社区成员代表大会会议（核心会议，须到会过半数）。"
    )


@strawberry.type
class BuildingHeadNominationPayload:
    nomination: BuildingHeadNominationType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ResidentInitiativePayload:
    initiative: ResidentInitiativeType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _nomination(context: RequestContext, global_id: str) -> SelfgovBuildingHeadNomination:
    nomination: SelfgovBuildingHeadNomination = object_for(
        context, global_id, "BuildingHeadNomination", MANAGE.code, field="nominationId", lock=True, what="楼栋长人选"
    )
    return nomination


def _initiative(context: RequestContext, global_id: str) -> SelfgovInitiative:
    initiative: SelfgovInitiative = object_for(
        context, global_id, "ResidentInitiative", MANAGE.code, field="initiativeId", lock=True, what="提议"
    )
    return initiative


@strawberry.type
class CommunityMutation:
    @strawberry.mutation(
        description="推选楼栋长人选（须在楼栋所在单位有 self_governance.manage 权限）；公示期按工作日计算。"
    )
    @atomic
    def nominate_building_head(
        self, info: strawberry.Info, input: NominateBuildingHeadInput
    ) -> BuildingHeadNominationPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        building, community = community_input(context, input.building_id, MANAGE.code, field="buildingId", below=True)
        resident = resident_input(context, input.resident_id, MANAGE.code, field="residentId")
        recommenders = [
            resident_input(context, rid, MANAGE.code, field=f"recommenderIds.{index}")
            for index, rid in enumerate(input.recommender_ids)
        ]
        nomination = building_heads.nominate(
            context.session,
            community,
            building,
            resident,
            method=required_code(
                input.method, input.nomination_method, legacy_field="method", field="nominationMethod"
            ),
            recommenders=recommenders,
            today=local_today(),
            user_id=user_id(context),
        )
        return BuildingHeadNominationPayload(nomination=row_as(BuildingHeadNominationType, nomination))

    @strawberry.mutation(description="登记居民在公示期间实名提出的异议。")
    @atomic
    def object_to_building_head(
        self, info: strawberry.Info, input: ObjectToBuildingHeadInput
    ) -> BuildingHeadNominationPayload:
        context: RequestContext = info.context
        nomination = _nomination(context, input.nomination_id)
        resident = resident_input(context, input.resident_id, MANAGE.code, field="residentId")
        building = org_service.get_unit(context.session, nomination.org_unit_id)
        community = community_of(context.session, building, below=True)
        building_heads.object_to(
            context.session, community, nomination, resident, reason=input.reason, today=local_today()
        )
        return BuildingHeadNominationPayload(nomination=row_as(BuildingHeadNominationType, nomination))

    @strawberry.mutation(description="答复楼栋长人选公示期间的异议。")
    @atomic
    def answer_building_head_objection(
        self, info: strawberry.Info, input: AnswerBuildingHeadObjectionInput
    ) -> BuildingHeadNominationPayload:
        context: RequestContext = info.context
        nomination = _nomination(context, input.nomination_id)
        rows = list(
            context.session.scalars(
                select(SelfgovBuildingHeadObjection)
                .where(SelfgovBuildingHeadObjection.nomination_id == nomination.id)
                .order_by(SelfgovBuildingHeadObjection.id)
            )
        )
        if not 1 <= input.objection_number <= len(rows):
            raise UserInputError("NOT_FOUND", "该人选没有这一序号的异议。", "objectionNumber")
        building_heads.answer_objection(context.session, rows[input.objection_number - 1], input.answer)
        return BuildingHeadNominationPayload(nomination=row_as(BuildingHeadNominationType, nomination))

    @strawberry.mutation(description="公示期满、异议均已答复后任命楼栋长（核心职务 building_head）。")
    @atomic
    def appoint_building_head(
        self, info: strawberry.Info, input: AppointBuildingHeadInput
    ) -> BuildingHeadNominationPayload:
        context: RequestContext = info.context
        nomination = _nomination(context, input.nomination_id)
        result = building_heads.appoint(context.session, nomination, today=local_today(), term_end=input.term_end)
        return BuildingHeadNominationPayload(nomination=row_as(BuildingHeadNominationType, result))

    @strawberry.mutation(description="登记居民联名提议召开临时会议（须在社区有 self_governance.manage 权限）。")
    @atomic
    def open_resident_initiative(
        self, info: strawberry.Info, input: OpenResidentInitiativeInput
    ) -> ResidentInitiativePayload:
        context: RequestContext = info.context
        require_signed_in(context)
        _, community = community_input(context, input.org_unit_id, MANAGE.code)
        initiative = initiatives.open_initiative(
            context.session,
            community,
            title=input.title,
            purpose=input.purpose,
            basis=required_code(input.basis, input.initiative_basis, legacy_field="basis", field="initiativeBasis"),
            today=local_today(),
            user_id=user_id(context),
        )
        return ResidentInitiativePayload(initiative=row_as(ResidentInitiativeType, initiative))

    @strawberry.mutation(
        description="登记联名签名：按人口库核对（本社区成年居民，每人一次；按户每户一次；按居民小组每组一次；按代表须为在任代表）；达到法定比例时居委会即负有限期召集会议的义务。"
    )
    @atomic
    def sign_resident_initiative(
        self, info: strawberry.Info, input: SignResidentInitiativeInput
    ) -> ResidentInitiativePayload:
        context: RequestContext = info.context
        initiative = _initiative(context, input.initiative_id)
        resident = resident_input(context, input.resident_id, MANAGE.code, field="residentId")
        initiatives.sign(context.session, host_of(context), initiative, resident, today=local_today())
        return ResidentInitiativePayload(initiative=row_as(ResidentInitiativeType, initiative))

    @strawberry.mutation(description="登记应提议召开的临时会议已召开，履行报送日历中的会议义务（超过期限为逾期）。")
    @atomic
    def record_initiative_meeting(
        self, info: strawberry.Info, input: RecordInitiativeMeetingInput
    ) -> ResidentInitiativePayload:
        context: RequestContext = info.context
        initiative = _initiative(context, input.initiative_id)
        meeting = object_for(context, input.meeting_id, "Meeting", None, field="meetingId", what="会议")
        result = initiatives.record_meeting(
            context.session, host_of(context), initiative, meeting, today=local_today(), user_id=user_id(context)
        )
        return ResidentInitiativePayload(initiative=row_as(ResidentInitiativeType, result))
