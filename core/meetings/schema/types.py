"""GraphQL types of meetings. A meeting and its resolutions are seen by
callers holding the kind's view permission where the meeting was held."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import strawberry
from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import InstrumentedAttribute, object_session

from core.api.context import RequestContext
from core.api.relay import Node, encode_global_id, model_type
from core.api.rows import row_as, rows_as
from core.auth.permissions import scope_condition
from core.meetings import publication
from core.meetings.enums import AttendanceStatus, MeetingRosterSource
from core.meetings.kinds import (
    MeetingKind,
    NamedRoster,
    PluginRoster,
    kinds_for,
)
from core.meetings.models import (
    ATTENDANCE_NAMES,
    CHOICE_NAMES,
    Meeting,
    MeetingAgendaItem,
    MeetingAttendance,
    MeetingResolution,
    MeetingResolutionLink,
    MeetingVote,
)
from core.plugin_host import host_of
from core.policy.service import local_today
from core.reporting.models import ObligationInstance
from core.reporting.schema import ObligationInstanceType


def kinds_of_context(context: RequestContext) -> Mapping[str, MeetingKind]:
    return kinds_for(host_of(context))


def visible(
    context: RequestContext, model_path: InstrumentedAttribute[str], kind_column: InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    """SQL: meetings of a kind whose view permission the caller holds where they were held."""
    by_permission: dict[str, list[str]] = {}
    for kind in kinds_of_context(context).values():
        by_permission.setdefault(kind.view_permission, []).append(kind.code)
    terms = [
        kind_column.in_(codes) & scope_condition(context, perm, model_path) for perm, codes in by_permission.items()
    ]
    return or_(*terms) if terms else false()


def load_meetings(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(
        select(Meeting).where(Meeting.id.in_(pks), visible(context, Meeting.org_path, Meeting.kind))
    )
    return {row.id: row for row in rows}


def load_resolutions(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(
        select(MeetingResolution)
        .join(Meeting, Meeting.id == MeetingResolution.meeting_id)
        .where(MeetingResolution.id.in_(pks), visible(context, Meeting.org_path, Meeting.kind))
    )
    return {row.id: row for row in rows}


def resolution_paths(resolution: MeetingResolution) -> tuple[str, ...]:
    """A resolution belongs where its meeting was held."""
    session = object_session(resolution)
    assert session is not None  # a resolution is read from the database
    meeting = session.get(Meeting, resolution.meeting_id)
    return (meeting.org_path,) if meeting is not None else ()


@strawberry.type(
    name="MeetingKind", description="会议类型：应到人员、法定人数与表决规则（地方策略）、通知、记录、公开要求。"
)
class MeetingKindType:
    code: str
    name: str
    description: str
    roster_source: str = strawberry.field(
        description="应到人员来源：posts（职务登记）、plugin（模块名册，如党员）、named（逐次列明）。",
        deprecation_reason="改用 attendeeSource（枚举）。",
    )

    @strawberry.field(description="应到人员来源。")
    def attendee_source(self) -> MeetingRosterSource:
        return MeetingRosterSource(self.roster_source)

    proxies_allowed: bool = strawberry.field(description="是否允许委托出席。")
    voting: str = strawberry.field(description="表决方式：counts（按票数）或 roll_call（逐人记名）。")
    minutes_required: bool = strawberry.field(description="是否须有会议记录方可结束归档。")
    publishes_results: bool = strawberry.field(description="结果是否须在公开栏公开。")
    obligations: list[str] = strawberry.field(description="召开一次达到法定人数的会议即完成的报送日历事项代码。")

    @staticmethod
    def of(kind: MeetingKind) -> MeetingKindType:
        source = (
            MeetingRosterSource.NAMED
            if isinstance(kind.roster, NamedRoster)
            else MeetingRosterSource.PLUGIN
            if isinstance(kind.roster, PluginRoster)
            else MeetingRosterSource.POSTS
        ).value
        return MeetingKindType(
            code=kind.code,
            name=kind.name,
            description=kind.description,
            roster_source=source,
            proxies_allowed=kind.proxies_allowed,
            voting=kind.voting,
            minutes_required=kind.minutes_required,
            publishes_results=kind.publish_within is not None,
            obligations=list(kind.obligation_codes()),
        )


@strawberry.type(name="MeetingAttendance", description="一名应到（或列席）人员的签到情况。")
class MeetingAttendanceType:
    name: str
    role: str | None = strawberry.field(description="以何身份参会（代表、委员、党员……）。")
    expected: bool = strawberry.field(description="是否应到人员（计入法定人数）；否为列席。")
    status: str = strawberry.field(
        description="pending（未签到）、present（出席）、absent（缺席）、proxy（委托出席）。",
        deprecation_reason="改用 attendanceStatus（枚举）。",
    )

    @strawberry.field(description="签到状态。")
    def attendance_status(self) -> AttendanceStatus:
        return AttendanceStatus(self.status)

    absence_reason: str | None
    proxy_name: str | None
    resident_key: strawberry.Private[int]

    @strawberry.field(description="签到状态的中文名称。")
    def status_name(self) -> str:
        return ATTENDANCE_NAMES[self.status]

    @strawberry.field(description="居民的全局 ID（签到时使用）。")
    def resident_id(self) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Resident", self.resident_key))

    @staticmethod
    def of(row: MeetingAttendance) -> MeetingAttendanceType:
        return MeetingAttendanceType(
            name=row.name,
            role=row.role,
            expected=row.expected,
            status=row.status,
            absence_reason=row.absence_reason,
            proxy_name=row.proxy_name,
            resident_key=row.resident_id,
        )


@strawberry.type(name="MeetingVote", description="记名表决中的一票。")
class MeetingVoteType:
    name: str
    choice: str = strawberry.field(description="for（赞成）、against（反对）、abstain（弃权）。")

    @strawberry.field(description="表决意见的中文名称。")
    def choice_name(self) -> str:
        return CHOICE_NAMES[self.choice]


@strawberry.type(name="ResolutionSubject", description="决议所决定的事项：记录类型与全局 ID。")
class ResolutionSubjectType:
    subject_type: str
    subject_id: strawberry.ID


@model_type(MeetingResolution, name="MeetingResolution", description="会议决议及其表决结果。")
class MeetingResolutionType(Node):
    text: str
    votes_for: int
    votes_against: int
    abstentions: int
    adopted: bool = strawberry.field(description="是否按该类会议的表决规则获得通过。")
    roll_call: bool = strawberry.field(description="是否逐人记名表决。")

    @strawberry.field(description="记名表决的每一票（按票数登记时为空）。")
    def votes(self, root: MeetingResolution, info: strawberry.Info) -> list[MeetingVoteType]:
        rows = info.context.session.execute(
            select(MeetingAttendance.name, MeetingVote.choice)
            .join(MeetingAttendance, MeetingAttendance.id == MeetingVote.attendance_id)
            .where(MeetingVote.resolution_id == root.id)
            .order_by(MeetingVote.id)
        )
        return [MeetingVoteType(name=name, choice=choice) for name, choice in rows]

    @strawberry.field(description="决议所决定的事项。")
    def subjects(self, root: MeetingResolution, info: strawberry.Info) -> list[ResolutionSubjectType]:
        rows = info.context.session.scalars(
            select(MeetingResolutionLink)
            .where(MeetingResolutionLink.resolution_id == root.id)
            .order_by(MeetingResolutionLink.id)
        )
        return [
            ResolutionSubjectType(
                subject_type=r.subject_type, subject_id=strawberry.ID(encode_global_id(r.subject_type, r.subject_id))
            )
            for r in rows
        ]

    @strawberry.field(description="作出决议的会议。")
    def meeting(self, root: MeetingResolution, info: strawberry.Info) -> MeetingType | None:
        return row_as(MeetingType, info.context.session.get(Meeting, root.meeting_id))


@model_type(Meeting, name="Meeting", description="一次会议：议程、通知、签到、法定人数、决议、记录和结果公开。")
class MeetingType(Node):
    kind: str = strawberry.field(description="会议类型代码，见 meetingKinds。")
    title: str
    held_on: date
    notice_on: date | None = strawberry.field(description="发出通知（时间和议题）的日期。")
    expected_count: int = strawberry.field(description="应到人数（按会议类型的名册确定）。")
    present_count: int = strawberry.field(description="实到人数（应到人员中出席或委托出席的）。")
    quorate: bool = strawberry.field(description="是否达到法定人数（按会议日的地方策略）。")
    minutes: str | None
    results_due_on: date | None = strawberry.field(description="结果须在公开栏公开的最迟日期。")

    @strawberry.field(description="会议类型的中文名称。")
    def kind_name(self, info: strawberry.Info) -> str:
        kind = kinds_of_context(info.context).get(self.kind)
        return kind.name if kind else self.kind

    @strawberry.field(description="是否已结束归档（之后不能再签到、表决）。")
    def closed(self, root: Meeting) -> bool:
        return root.closed_at is not None

    @strawberry.field(description="法定人数规则（中文）。")
    def quorum_rule(self, root: Meeting, info: strawberry.Info) -> str:
        from core.meetings.service import quorum_text

        return quorum_text(info.context.session, root)

    @strawberry.field(description="议程。")
    def agenda(self, root: Meeting, info: strawberry.Info) -> list[str]:
        return list(
            info.context.session.scalars(
                select(MeetingAgendaItem.title)
                .where(MeetingAgendaItem.meeting_id == root.id)
                .order_by(MeetingAgendaItem.position)
            )
        )

    @strawberry.field(description="签到表：应到人员在前。")
    def attendance(self, root: Meeting, info: strawberry.Info) -> list[MeetingAttendanceType]:
        from core.meetings.service import attendance_of

        return [MeetingAttendanceType.of(row) for row in attendance_of(info.context.session, root)]

    @strawberry.field(description="决议，按作出先后。")
    def resolutions(self, root: Meeting, info: strawberry.Info) -> list[MeetingResolutionType]:
        rows = info.context.session.scalars(
            select(MeetingResolution).where(MeetingResolution.meeting_id == root.id).order_by(MeetingResolution.id)
        )
        return rows_as(MeetingResolutionType, rows)

    @strawberry.field(description="结果在公开栏公开的日期（未公开为空）。")
    def results_published_on(self, root: Meeting, info: strawberry.Info) -> date | None:
        return publication.published_on(info.context.session, root)

    @strawberry.field(description="结果公开是否逾期（已过最迟日期仍未公开，或公开晚于最迟日期）。")
    def results_late(self, root: Meeting, info: strawberry.Info) -> bool:
        return publication.results_late(info.context.session, root, local_today())

    @strawberry.field(description="召集会议的组织（会议类型要求时，如党组织 PartyOrganization）的全局 ID。")
    def host_id(self, root: Meeting) -> strawberry.ID | None:
        if root.host_type is None or root.host_id is None:
            return None
        return strawberry.ID(encode_global_id(root.host_type, root.host_id))

    @strawberry.field(description="本次会议完成的报送日历事项；没有时为空。")
    def obligation_instance(self, root: Meeting, info: strawberry.Info) -> ObligationInstanceType | None:
        pk = root.obligation_instance_id
        return (
            row_as(ObligationInstanceType, info.context.session.get(ObligationInstance, pk)) if pk is not None else None
        )

    @strawberry.field(description="结果公告的全局 ID（Notice），已拟稿时。")
    def results_notice_id(self, root: Meeting) -> strawberry.ID | None:
        pk = root.results_notice_id
        return strawberry.ID(encode_global_id("Notice", pk)) if pk is not None else None


GRAPHQL_TYPES: tuple[type, ...] = (MeetingType, MeetingResolutionType, MeetingKindType)
