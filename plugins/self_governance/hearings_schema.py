"""GraphQL of hearings (听证会) and of the convention and charter (居民公约、自治章程)."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy import select

from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for
from core.api.loaders import related, related_required
from core.api.mutations import atomic
from core.api.relay import Connection, Node, encode_global_id, model_type
from core.api.rows import row_as, rows_as
from core.auth.permissions import require_signed_in
from core.board.categories import categories_for_context
from core.board.models import Notice
from core.meetings.models import Meeting, MeetingResolution
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.policy.service import local_today
from plugins.self_governance import hearings, texts
from plugins.self_governance.declarations import MANAGE, VIEW
from plugins.self_governance.enums import (
    HearingScope,
    HearingStep,
    SelfGovernanceTextKind,
    SelfGovernanceTextVersionStatus,
)
from plugins.self_governance.models import (
    HEARING_SCOPES,
    HEARING_STEPS,
    TEXT_KINDS,
    VERSION_STATUSES,
    SelfgovHearing,
    SelfgovHearingParticipant,
    SelfgovHearingStep,
    SelfgovText,
    SelfgovTextVersion,
)
from plugins.self_governance.schema_common import (
    community_input,
    loader,
    page_under,
    user_id,
)

READ = (VIEW.code, MANAGE.code)
load_hearings = loader(SelfgovHearing, READ)
load_texts = loader(SelfgovText, READ)
load_text_versions = loader(SelfgovTextVersion, READ)


def _notice_id(pk: int | None) -> strawberry.ID | None:
    return strawberry.ID(encode_global_id("Notice", pk)) if pk is not None else None


def _published_on(info: strawberry.Info, row: SelfgovHearing | SelfgovTextVersion) -> date | None:
    notice = related(info.context, row, "notice_id", Notice)
    if notice is None or notice.published_at is None:
        return None
    from core.policy.service import CHINA_STANDARD_TIME

    return notice.published_at.astimezone(CHINA_STANDARD_TIME).date()


@strawberry.type(description="听证人员：居民或受邀列席的部门、单位；表决权由居委会确定。")
class HearingParticipantType:
    name: str
    capacity: str = strawberry.field(description="参加身份。")
    may_vote: bool = strawberry.field(description="是否有听证表决权。")


@strawberry.type(description="已进行的听证程序步骤。")
class HearingStepType:
    step: str = strawberry.field(deprecation_reason="改用 hearingStep（枚举）。")

    @strawberry.field(description="步骤。")
    def hearing_step(self) -> HearingStep:
        return HearingStep(self.step)

    note: str | None

    @strawberry.field(description="步骤的中文名称。")
    def step_name(self) -> str:
        return HEARING_STEPS.get(self.step, self.step)


@model_type(
    SelfgovHearing, name="Hearing", description="听证会：议题、情况介绍、讨论、政府部门解答、表决五个步骤依次进行。"
)
class HearingType(Node):
    matter: str
    scope: str = strawberry.field(deprecation_reason="改用 hearingScope（枚举）。")

    @strawberry.field(description="听证事项范围。")
    def hearing_scope(self) -> HearingScope:
        return HearingScope(self.scope)

    held_on: date
    step: str | None = strawberry.field(description="最近完成的步骤。", deprecation_reason="改用 lastStep（枚举）。")

    @strawberry.field(description="最近完成的步骤；尚未开始时为空。")
    def last_step(self) -> HearingStep | None:
        return None if self.step is None else HearingStep(self.step)

    votes_for: int | None
    votes_against: int | None
    abstentions: int | None
    passed: bool | None
    result: str | None
    decided_on: date | None = strawberry.field(description="表决日期。")
    publication_drafted_on: date | None = strawberry.field(description="结果公告起草日期。")
    late_reason: str | None = strawberry.field(description="结果逾期公布的原因。")
    sent_to: str | None = strawberry.field(description="书面送达的部门或街道办事处。")
    sent_on: date | None = strawberry.field(description="送达日期。")

    @strawberry.field(description="听证范围的中文名称。")
    def scope_name(self) -> str:
        return HEARING_SCOPES.get(self.scope, self.scope)

    @strawberry.field(description="所在社区。")
    def org_unit(self, root: SelfgovHearing, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(
        description="下一步应进行的步骤，已表决时为空。", deprecation_reason="改用 upcomingStep（枚举）。"
    )
    def next_step(self) -> str | None:
        order = tuple(HEARING_STEPS)
        index = -1 if self.step is None else order.index(self.step)
        return order[index + 1] if index + 1 < len(order) else None

    @strawberry.field(description="下一步应进行的步骤，已表决时为空。")
    def upcoming_step(self) -> HearingStep | None:
        order = tuple(HEARING_STEPS)
        index = -1 if self.step is None else order.index(self.step)
        return HearingStep(order[index + 1]) if index + 1 < len(order) else None

    @strawberry.field(description="听证人员。")
    def participants(self, root: SelfgovHearing, info: strawberry.Info) -> list[HearingParticipantType]:
        return rows_as(
            HearingParticipantType,
            info.context.session.scalars(
                select(SelfgovHearingParticipant)
                .where(SelfgovHearingParticipant.hearing_id == root.id)
                .order_by(SelfgovHearingParticipant.id)
            ),
        )

    @strawberry.field(description="已进行的步骤，依次排列。")
    def steps(self, root: SelfgovHearing, info: strawberry.Info) -> list[HearingStepType]:
        return rows_as(
            HearingStepType,
            info.context.session.scalars(
                select(SelfgovHearingStep)
                .where(SelfgovHearingStep.hearing_id == root.id)
                .order_by(SelfgovHearingStep.id)
            ),
        )

    @strawberry.field(description="结果应在公开栏公布的截止日（表决日加地方策略天数）。")
    def publication_due_on(self, root: SelfgovHearing, info: strawberry.Info) -> date | None:
        return hearings.publication_due(info.context.session, root)

    @strawberry.field(description="结果公告（公开栏）的 ID。")
    def result_notice_id(self, root: SelfgovHearing) -> strawberry.ID | None:
        return _notice_id(root.notice_id)

    @strawberry.field(description="结果在公开栏公开的日期（经党组织审核后公开）。")
    def result_published_on(self, root: SelfgovHearing, info: strawberry.Info) -> date | None:
        return _published_on(info, root)


@model_type(SelfgovTextVersion, name="SelfGovernanceTextVersion", description="居民公约或自治章程的一个版本。")
class SelfGovernanceTextVersionType(Node):
    number: int = strawberry.field(description="版本号（自 1 起）。")
    body: str
    status: str = strawberry.field(
        description="draft、adopted 或 superseded。", deprecation_reason="改用 versionStatus（枚举）。"
    )

    @strawberry.field(description="版本状态。")
    def version_status(self) -> SelfGovernanceTextVersionStatus:
        return SelfGovernanceTextVersionStatus(self.status)

    drafted_on: date
    discussion: str | None = strawberry.field(description="居民讨论情况。")
    adopted_on: date | None
    adopted_by: str | None = strawberry.field(description="通过的会议。")

    @strawberry.field(description="通过该版本的社区成员代表大会决议（核心会议）的 ID。")
    def adoption_resolution_id(self, root: SelfgovTextVersion) -> strawberry.ID | None:
        pk = root.adoption_resolution_id
        return strawberry.ID(encode_global_id("MeetingResolution", pk)) if pk is not None else None

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return VERSION_STATUSES.get(self.status, self.status)

    @strawberry.field(description="公开栏公告的 ID。")
    def notice_id(self, root: SelfgovTextVersion) -> strawberry.ID | None:
        return _notice_id(root.notice_id)

    @strawberry.field(description="在公开栏公开的日期。")
    def published_on(self, root: SelfgovTextVersion, info: strawberry.Info) -> date | None:
        return _published_on(info, root)


@model_type(SelfgovText, name="SelfGovernanceText", description="社区的居民公约或居民自治章程。")
class SelfGovernanceTextType(Node):
    kind: str = strawberry.field(description="convention 或 charter。", deprecation_reason="改用 textKind（枚举）。")

    @strawberry.field(description="文本种类。")
    def text_kind(self) -> SelfGovernanceTextKind:
        return SelfGovernanceTextKind(self.kind)

    title: str

    @strawberry.field(description="类型的中文名称。")
    def kind_name(self) -> str:
        return TEXT_KINDS.get(self.kind, self.kind)

    @strawberry.field(description="所在社区。")
    def org_unit(self, root: SelfgovText, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="全部版本，最新的在前。")
    def versions(self, root: SelfgovText, info: strawberry.Info) -> list[SelfGovernanceTextVersionType]:
        return rows_as(
            SelfGovernanceTextVersionType,
            info.context.session.scalars(
                select(SelfgovTextVersion)
                .where(SelfgovTextVersion.text_id == root.id)
                .order_by(SelfgovTextVersion.number.desc())
            ),
        )

    @strawberry.field(description="现行版本。")
    def current_version(self, root: SelfgovText, info: strawberry.Info) -> SelfGovernanceTextVersionType | None:
        return row_as(
            SelfGovernanceTextVersionType,
            info.context.session.scalars(
                select(SelfgovTextVersion).where(
                    SelfgovTextVersion.text_id == root.id, SelfgovTextVersion.status == "adopted"
                )
            ).first(),
        )


@strawberry.type
class HearingQuery:
    @strawberry.field(description="某单位及其下级社区的听证会，最近的在前。")
    def hearings(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[HearingType]:
        return page_under(
            info.context,
            under,
            SelfgovHearing,
            VIEW.code,
            READ,
            (SelfgovHearing.held_on, SelfgovHearing.id),
            first=first,
            after=after,
            descending=True,
        )

    @strawberry.field(description="某单位及其下级社区的居民公约和自治章程。")
    def self_governance_texts(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[SelfGovernanceTextType]:
        return page_under(
            info.context, under, SelfgovText, VIEW.code, READ, (SelfgovText.id,), first=first, after=after
        )


@strawberry.input(description="居委会召集听证会。")
class OpenHearingInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区。")
    matter: str
    scope: str | None = strawberry.field(
        default=None,
        description="security、environment、fumes_noise、street_stalls、illegal_building、facilities、hardship_donation、public_works_funds 或 other。",
        deprecation_reason="改用 hearingScope（枚举）。",
    )
    hearing_scope: HearingScope | None = strawberry.field(default=None, description="听证事项范围。")
    held_on: date


@strawberry.input(description="居委会确定听证人员及其表决权。")
class AddHearingParticipantInput:
    hearing_id: strawberry.ID
    resident_id: strawberry.ID | None = strawberry.field(default=None, description="居民（人口库）。")
    name: str | None = strawberry.field(default=None, description="受邀列席的部门、街道或单位名称（不是居民时）。")
    capacity: str = strawberry.field(description="参加身份，如居民代表、居民小组长、街道办事处。")
    may_vote: bool = False


@strawberry.input(description="进行听证程序的下一步。")
class AdvanceHearingInput:
    hearing_id: strawberry.ID
    step: str | None = strawberry.field(
        default=None,
        description="topic、briefing、discussion 或 government_answers，须依次进行。",
        deprecation_reason="改用 hearingStep（枚举）。",
    )
    hearing_step: HearingStep | None = strawberry.field(
        default=None, description="要完成的步骤（TOPIC、BRIEFING、DISCUSSION 或 GOVERNMENT_ANSWERS），须依次进行。"
    )
    note: str | None = None


@strawberry.input(
    description="登记听证表决（第五步）：本次听证会表决会议（核心会议，会议类型 self_governance.hearing，召集方为本听证会）的决议。"
)
class RecordHearingVoteInput:
    hearing_id: strawberry.ID
    resolution_id: strawberry.ID = strawberry.field(
        description="表决会议的决议；其赞成、反对、弃权票和是否通过即听证结果。"
    )
    result: str


@strawberry.input(description="起草听证结果公告（随后经党组织审核公开）。")
class PublishHearingResultInput:
    hearing_id: strawberry.ID
    late_reason: str | None = strawberry.field(default=None, description="超过公布期限时须说明原因。")


@strawberry.input(description="登记听证结果书面送达有关部门或街道办事处。")
class RecordHearingResultSentInput:
    hearing_id: strawberry.ID
    sent_to: str
    sent_on: date


@strawberry.input(description="起草居民公约或自治章程（首版或修订草案），附居民讨论情况。")
class DraftSelfGovernanceTextInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区。")
    kind: str | None = strawberry.field(
        default=None,
        description="convention（居民公约）或 charter（社区居民自治章程）。",
        deprecation_reason="改用 textKind（枚举）。",
    )
    text_kind: SelfGovernanceTextKind | None = strawberry.field(default=None, description="文本种类。")
    title: str
    body: str
    discussion: str | None = strawberry.field(default=None, description="居民讨论情况（通过前须填写）。")


@strawberry.input(description="登记成员代表大会（居民会议）通过草案，并起草公开栏公告。")
class AdoptSelfGovernanceTextInput:
    version_id: strawberry.ID
    resolution_id: strawberry.ID = strawberry.field(
        description="通过草案的社区成员代表大会决议（核心会议，须到会过半数并获通过）。"
    )


@strawberry.type
class HearingPayload:
    hearing: HearingType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SelfGovernanceTextVersionPayload:
    version: SelfGovernanceTextVersionType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _hearing(context: RequestContext, global_id: str) -> SelfgovHearing:
    hearing: SelfgovHearing = object_for(
        context, global_id, "Hearing", MANAGE.code, field="hearingId", lock=True, what="听证会"
    )
    return hearing


@strawberry.type
class HearingMutation:
    @strawberry.mutation(description="召集听证会（须在社区有 self_governance.manage 权限）。")
    @atomic
    def open_hearing(self, info: strawberry.Info, input: OpenHearingInput) -> HearingPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        _, community = community_input(context, input.org_unit_id, MANAGE.code)
        hearing = hearings.open_hearing(
            context.session,
            community,
            matter=input.matter,
            scope=required_code(input.scope, input.hearing_scope, legacy_field="scope", field="hearingScope"),
            held_on=input.held_on,
            user_id=user_id(context),
        )
        return HearingPayload(hearing=row_as(HearingType, hearing))

    @strawberry.mutation(description="确定听证人员及其表决权（表决前）。")
    @atomic
    def add_hearing_participant(self, info: strawberry.Info, input: AddHearingParticipantInput) -> HearingPayload:
        context: RequestContext = info.context
        hearing = _hearing(context, input.hearing_id)
        resident = None
        if input.resident_id is not None:
            from plugins.self_governance.schema_common import resident_input

            resident = resident_input(context, input.resident_id, MANAGE.code, field="residentId")
        hearings.add_participant(
            context.session,
            hearing,
            resident=resident,
            name=input.name,
            capacity=input.capacity,
            may_vote=input.may_vote,
        )
        return HearingPayload(hearing=row_as(HearingType, hearing))

    @strawberry.mutation(description="进行听证程序的下一步；不按顺序的步骤被拒绝（STEP_OUT_OF_ORDER）。")
    @atomic
    def advance_hearing(self, info: strawberry.Info, input: AdvanceHearingInput) -> HearingPayload:
        context: RequestContext = info.context
        hearing = _hearing(context, input.hearing_id)
        return HearingPayload(
            hearing=row_as(
                HearingType,
                hearings.take_step(
                    context.session,
                    hearing,
                    required_code(input.step, input.hearing_step, legacy_field="step", field="hearingStep"),
                    note=input.note,
                    today=local_today(),
                ),
            )
        )

    @strawberry.mutation(
        description="登记听证表决（第五步，须在政府部门解答之后）：引用本听证会表决会议的决议（到会不足法定人数时核心会议不作决议）。"
    )
    @atomic
    def record_hearing_vote(self, info: strawberry.Info, input: RecordHearingVoteInput) -> HearingPayload:
        context: RequestContext = info.context
        hearing = _hearing(context, input.hearing_id)
        resolution: MeetingResolution = object_for(
            context, input.resolution_id, "MeetingResolution", None, field="resolutionId", what="会议决议"
        )
        meeting = context.session.get_one(Meeting, resolution.meeting_id)
        result = hearings.record_vote(
            context.session, hearing, meeting, resolution, result=input.result, today=local_today()
        )
        return HearingPayload(hearing=row_as(HearingType, result))

    @strawberry.mutation(
        description="起草听证结果公告；超过公布期限（地方策略，默认表决后 3 日）须说明原因（PUBLICATION_LATE）。"
    )
    @atomic
    def publish_hearing_result(self, info: strawberry.Info, input: PublishHearingResultInput) -> HearingPayload:
        context: RequestContext = info.context
        hearing = _hearing(context, input.hearing_id)
        hearings.publish_result(
            context.session,
            context,
            hearing,
            late_reason=input.late_reason,
            today=local_today(),
            categories=categories_for_context(context),
        )
        return HearingPayload(hearing=row_as(HearingType, hearing))

    @strawberry.mutation(description="登记听证结果书面送达有关部门或街道办事处的日期。")
    @atomic
    def record_hearing_result_sent(self, info: strawberry.Info, input: RecordHearingResultSentInput) -> HearingPayload:
        context: RequestContext = info.context
        hearing = _hearing(context, input.hearing_id)
        result = hearings.record_sent(
            context.session, hearing, sent_to=input.sent_to, sent_on=input.sent_on, today=local_today()
        )
        return HearingPayload(hearing=row_as(HearingType, result))

    @strawberry.mutation(description="起草居民公约或自治章程（首版或修订），同一文本同时只有一份草案。")
    @atomic
    def draft_self_governance_text(
        self, info: strawberry.Info, input: DraftSelfGovernanceTextInput
    ) -> SelfGovernanceTextVersionPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        _, community = community_input(context, input.org_unit_id, MANAGE.code)
        version = texts.draft_version(
            context.session,
            community,
            kind=required_code(input.kind, input.text_kind, legacy_field="kind", field="textKind"),
            title=input.title,
            body=input.body,
            discussion=input.discussion,
            today=local_today(),
            user_id=user_id(context),
        )
        return SelfGovernanceTextVersionPayload(version=row_as(SelfGovernanceTextVersionType, version))

    @strawberry.mutation(description="登记草案经成员代表大会通过：即日生效，原现行版本失效，并起草公开栏公告。")
    @atomic
    def adopt_self_governance_text(
        self, info: strawberry.Info, input: AdoptSelfGovernanceTextInput
    ) -> SelfGovernanceTextVersionPayload:
        context: RequestContext = info.context
        version = object_for(
            context,
            input.version_id,
            "SelfGovernanceTextVersion",
            MANAGE.code,
            field="versionId",
            lock=True,
            what="文本版本",
        )
        resolution = object_for(
            context, input.resolution_id, "MeetingResolution", None, field="resolutionId", what="会议决议"
        )
        result = texts.adopt(
            context.session,
            context,
            version,
            resolution,
            today=local_today(),
            categories=categories_for_context(context),
        )
        return SelfGovernanceTextVersionPayload(version=row_as(SelfGovernanceTextVersionType, result))
