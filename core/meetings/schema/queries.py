"""Queries: the declared kinds, and the meetings of a unit's subtree (newest first)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.ids import object_for
from core.api.relay import Connection, paginate
from core.meetings.models import Meeting
from core.meetings.schema.types import (
    MeetingKindType,
    MeetingType,
    kinds_of_context,
    visible,
)
from core.org.service import subtree_bounds


@strawberry.type
class MeetingsQuery:
    @strawberry.field(description="本部署声明的会议类型。")
    def meeting_kinds(self, info: strawberry.Info) -> list[MeetingKindType]:
        return [MeetingKindType.of(k) for k in kinds_of_context(info.context).values()]

    @strawberry.field(description="一个单位及其下级召开的会议，按日期从新到旧；只含调用者有权查看的会议类型。")
    def meetings(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        kind: Annotated[
            str | None, strawberry.argument(description="只列此类会议（会议类型代码，见 meetingKinds）。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[MeetingType]:
        context: RequestContext = info.context
        unit = object_for(context, org_unit_id, "OrgUnit", None, field="orgUnitId")
        low, high = subtree_bounds(unit.path)
        statement = select(Meeting).where(
            Meeting.org_path >= low, Meeting.org_path < high, visible(context, Meeting.org_path, Meeting.kind)
        )
        if kind is not None:
            statement = statement.where(Meeting.kind == kind)
        return paginate(context, statement, (Meeting.held_on, Meeting.id), first=first, after=after, descending=True)
