"""Mutations: calling a meeting, signing in, resolving, minutes, closing and
publishing the results. Each checks the kind's manage permission at the
meeting's unit and runs in one audited transaction."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy import select

from core.api.choices import optional_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for, objects_for
from core.api.mutations import atomic
from core.api.relay import decode_global_id
from core.api.rows import row_as
from core.auth.permissions import principal_of, registry_for_context, require
from core.meetings import publication, service
from core.meetings.enums import AttendanceStatus
from core.meetings.kinds import kind_for
from core.meetings.models import Meeting, MeetingAttendance
from core.meetings.schema.types import MeetingResolutionType, MeetingType
from core.plugin_host import host_of


def _user_id(context: RequestContext) -> int | None:
    principal = principal_of(context)
    return principal.id if principal is not None else None


def _meeting(
    context: RequestContext, meeting_id: strawberry.ID, *, lock: bool = False
) -> tuple[Meeting, service.MeetingKind]:
    """The meeting, if the caller may run meetings of its kind there."""
    meeting = object_for(context, meeting_id, "Meeting", None, field="meetingId", lock=lock, what="会议")
    kind = service.kind_of(context.session, meeting)
    require(context, kind.manage_permission, meeting.org_path, registry=registry_for_context(context))
    return meeting, kind


@strawberry.input
class CreateMeetingInput:
    org_unit_id: strawberry.ID
    kind: str = strawberry.field(description="会议类型代码（meetingKinds）。")
    title: str
    held_on: date = strawberry.field(description="会议日期。")
    notice_on: date | None = strawberry.field(default=None, description="发出通知的日期（须按会议类型提前的天数）。")
    agenda: list[str] = strawberry.field(default_factory=list, description="议程事项。")
    participant_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="逐次列明参会人员的会议类型：参会居民的全局 ID。"
    )
    host_id: strawberry.ID | None = strawberry.field(
        default=None, description="召开会议的组织（会议类型要求时）的全局 ID。"
    )


@strawberry.input
class SignInToMeetingInput:
    meeting_id: strawberry.ID
    resident_id: strawberry.ID = strawberry.field(description="签到表上应到人员的居民全局 ID。")
    status: str | None = strawberry.field(
        default=None,
        description="present（出席）、absent（缺席，须写明原因）、proxy（委托出席）。",
        deprecation_reason="改用 attendanceStatus（枚举）。",
    )
    attendance_status: AttendanceStatus | None = strawberry.field(
        default=None, description="PRESENT（出席）、ABSENT（缺席，须写明原因）或 PROXY（委托出席）。"
    )
    absence_reason: str | None = None
    proxy_name: str | None = strawberry.field(default=None, description="受托人姓名（委托出席时）。")


@strawberry.input
class RollCallVoteInput:
    resident_id: strawberry.ID
    choice: str = strawberry.field(description="for（赞成）、against（反对）、abstain（弃权）。")


@strawberry.input
class ResolveAtMeetingInput:
    meeting_id: strawberry.ID
    text: str = strawberry.field(description="决议内容。")
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0
    votes: list[RollCallVoteInput] | None = strawberry.field(
        default=None, description="逐人记名表决的会议类型：每人的表决意见。"
    )
    subject_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="决议所决定的事项（任意已登记记录的全局 ID）。"
    )


@strawberry.input
class MeetingMinutesInput:
    meeting_id: strawberry.ID
    minutes: str


@strawberry.input
class MeetingActionInput:
    meeting_id: strawberry.ID


@strawberry.type
class MeetingPayload:
    meeting: MeetingType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class MeetingResolutionPayload:
    resolution: MeetingResolutionType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _host_pk(
    context: RequestContext, kind: service.MeetingKind, host_id: strawberry.ID | None
) -> tuple[str | None, int | None]:
    if host_id is None:
        return None, None
    if kind.host_type is None:
        raise UserInputError("INVALID_VALUE", f"“{kind.name}”不由某一组织召集，不填写召集组织。", "hostId")
    host = object_for(context, host_id, kind.host_type, kind.manage_permission, field="hostId", what="召集组织")
    return kind.host_type, host.id


@strawberry.type
class MeetingsMutation:
    @strawberry.mutation(
        description="召集会议：按会议类型确定应到人员（名册）并生成签到表；通知须按地方策略提前。须有该类会议的管理权限。"
    )
    @atomic
    def create_meeting(self, info: strawberry.Info, input: CreateMeetingInput) -> MeetingPayload:
        context: RequestContext = info.context
        kind = kind_for(context, input.kind)
        unit = object_for(context, input.org_unit_id, "OrgUnit", kind.manage_permission, field="orgUnitId")
        host_type, host_pk = _host_pk(context, kind, input.host_id)
        participants = objects_for(
            context, [str(i) for i in input.participant_ids], "Resident", None, field="participantIds", what="居民"
        )
        meeting = service.create_meeting(
            context.session,
            kind,
            unit,
            title=input.title,
            held_on=input.held_on,
            notice_on=input.notice_on,
            agenda=input.agenda,
            participant_ids=[r.id for r in participants],
            host_type=host_type,
            host_id=host_pk,
            user_id=_user_id(context),
        )
        return MeetingPayload(meeting=row_as(MeetingType, meeting))

    @strawberry.mutation(
        description="登记一名应到人员的签到：出席、缺席（写明原因）或委托出席（会议类型允许时）。每人只能签到一次。"
    )
    @atomic
    def sign_in_to_meeting(self, info: strawberry.Info, input: SignInToMeetingInput) -> MeetingPayload:
        context: RequestContext = info.context
        meeting, kind = _meeting(context, input.meeting_id)
        resident_pk = _roster_pk(context, meeting, input.resident_id, "residentId")
        service.sign_in(
            context.session,
            meeting,
            resident_pk,
            status=(
                optional_code(input.status, input.attendance_status, legacy_field="status", field="attendanceStatus")
                or "present"
            ),
            absence_reason=input.absence_reason,
            proxy_name=input.proxy_name,
            user_id=_user_id(context),
            kind=kind,
        )
        return MeetingPayload(meeting=row_as(MeetingType, meeting))

    @strawberry.mutation(description="登记决议及表决结果：未达到法定人数的会议不能作出决议。")
    @atomic
    def resolve_at_meeting(self, info: strawberry.Info, input: ResolveAtMeetingInput) -> MeetingResolutionPayload:
        context: RequestContext = info.context
        meeting, kind = _meeting(context, input.meeting_id)
        roll_call = None
        if input.votes is not None:
            roll_call = {}
            for index, vote in enumerate(input.votes):
                pk = _roster_pk(context, meeting, vote.resident_id, f"votes.{index}.residentId")
                if pk in roll_call:
                    raise UserInputError("DUPLICATE_VOTE", "同一人只能表决一次。", f"votes.{index}.residentId")
                roll_call[pk] = vote.choice
        subjects = []
        for index, gid in enumerate(input.subject_ids):
            type_name, _ = decode_global_id(str(gid), field=f"subjectIds.{index}")
            if type_name not in context.registry.node_types:
                raise UserInputError("INVALID_ID", "决议所决定的事项须为已登记的记录。", f"subjectIds.{index}")
            # The record must lie where the caller runs meetings of this kind.
            row = object_for(context, gid, type_name, kind.manage_permission, field=f"subjectIds.{index}")
            subjects.append((type_name, row.id))
        resolution = service.resolve(
            context.session,
            meeting,
            text=input.text,
            votes_for=input.votes_for,
            votes_against=input.votes_against,
            abstentions=input.abstentions,
            roll_call=roll_call,
            subjects=subjects,
            user_id=_user_id(context),
            kind=kind,
        )
        return MeetingResolutionPayload(resolution=row_as(MeetingResolutionType, resolution))

    @strawberry.mutation(description="填写会议记录。")
    @atomic
    def record_meeting_minutes(self, info: strawberry.Info, input: MeetingMinutesInput) -> MeetingPayload:
        context: RequestContext = info.context
        meeting, _ = _meeting(context, input.meeting_id)
        service.record_minutes(context.session, meeting, input.minutes)
        return MeetingPayload(meeting=row_as(MeetingType, meeting))

    @strawberry.mutation(
        description="结束并归档会议：未签到的应到人员记为缺席；须有会议记录的类型要先有记录；达到法定人数的会议完成本期报送。"
    )
    @atomic
    def close_meeting(self, info: strawberry.Info, input: MeetingActionInput) -> MeetingPayload:
        context: RequestContext = info.context
        meeting, kind = _meeting(context, input.meeting_id, lock=True)
        service.close_meeting(context.session, host_of(context), meeting, user_id=_user_id(context), kind=kind)
        return MeetingPayload(meeting=row_as(MeetingType, meeting))

    @strawberry.mutation(description="拟写会议结果公告（公开栏草稿，经审核后公开）：须有 board.draft 权限。")
    @atomic
    def draft_meeting_results(self, info: strawberry.Info, input: MeetingActionInput) -> MeetingPayload:
        context: RequestContext = info.context
        meeting, kind = _meeting(context, input.meeting_id, lock=True)
        publication.draft_results(context.session, context, meeting, kind, registry=registry_for_context(context))
        return MeetingPayload(meeting=row_as(MeetingType, meeting))


def _roster_pk(context: RequestContext, meeting: Meeting, resident_id: strawberry.ID, field: str) -> int:
    """The resident key of someone on the meeting's sheet; anyone else
    (another street's resident included) is refused alike."""
    type_name, raw = decode_global_id(str(resident_id), field=field)
    pk = int(raw) if type_name == "Resident" and raw.isdigit() and len(raw) < 12 else None
    found = None
    if pk is not None:
        found = context.session.scalar(
            select(MeetingAttendance.resident_id).where(
                MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.resident_id == pk
            )
        )
    if found is None:
        raise UserInputError("NOT_ON_ROSTER", "该人员不在本次会议的签到表上。", field)
    return int(found)
