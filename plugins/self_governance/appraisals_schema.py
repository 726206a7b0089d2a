"""GraphQL of the yearly democratic appraisal (民主评议) of committee members."""

from __future__ import annotations

import strawberry
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, object_in_scope
from core.api.loaders import related_required
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
from core.posts.models import PostAssignment
from plugins.self_governance import appraisals
from plugins.self_governance.common import active_community
from plugins.self_governance.declarations import MANAGE, VIEW
from plugins.self_governance.enums import CommitteeMemberAppraisalGrade
from plugins.self_governance.models import (
    GRADES,
    SelfgovAppraisal,
    SelfgovAppraisalRating,
)
from plugins.self_governance.schema_common import loader, page_under, user_id

READ = (VIEW.code, MANAGE.code)
load_appraisals = loader(SelfgovAppraisal, READ)


@strawberry.type(description="一名居委会成员的评议结果。")
class AppraisalRatingType:
    resident_name: str
    post_code: str
    satisfied: int = strawberry.field(description="称职票。")
    basically_satisfied: int = strawberry.field(description="基本称职票。")
    unsatisfied: int = strawberry.field(description="不称职票。")
    grade: str = strawberry.field(
        description="评议结果：satisfied、basically_satisfied 或 unsatisfied（得票最多者；相同时取较低等次）。",
        deprecation_reason="改用 rating（枚举）。",
    )

    @strawberry.field(description="评议结果（得票最多者；相同时取较低等次）。")
    def rating(self) -> CommitteeMemberAppraisalGrade:
        return CommitteeMemberAppraisalGrade(self.grade)

    grade_name: str


@model_type(SelfgovAppraisal, name="DemocraticAppraisal", description="成员代表对居委会成员的年度民主评议。")
class DemocraticAppraisalType(Node):
    year: int

    @strawberry.field(description="所在社区。")
    def org_unit(self, root: SelfgovAppraisal, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="进行评议的社区成员代表大会会议（核心会议）的 ID。")
    def meeting_id(self, root: SelfgovAppraisal) -> strawberry.ID:
        return strawberry.ID(encode_global_id("Meeting", root.meeting_id))

    @strawberry.field(description="每名成员的评议结果。")
    def ratings(self, root: SelfgovAppraisal, info: strawberry.Info) -> list[AppraisalRatingType]:
        rows = info.context.session.execute(
            select(SelfgovAppraisalRating, Resident.name, PostAssignment.post_code)
            .join(PostAssignment, PostAssignment.id == SelfgovAppraisalRating.assignment_id)
            .join(Resident, Resident.id == PostAssignment.resident_id)
            .where(SelfgovAppraisalRating.appraisal_id == root.id)
            .order_by(SelfgovAppraisalRating.id)
        )
        result = []
        for rating, name, post in rows:
            grade = appraisals.grade_of(rating)
            result.append(
                AppraisalRatingType(
                    resident_name=name,
                    post_code=post,
                    satisfied=rating.satisfied,
                    basically_satisfied=rating.basically_satisfied,
                    unsatisfied=rating.unsatisfied,
                    grade=grade,
                    grade_name=GRADES[grade],
                )
            )
        return result


@strawberry.type
class AppraisalQuery:
    @strawberry.field(description="某单位及其下级社区的年度民主评议，最近的在前。")
    def democratic_appraisals(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[DemocraticAppraisalType]:
        return page_under(
            info.context,
            under,
            SelfgovAppraisal,
            VIEW.code,
            READ,
            (SelfgovAppraisal.year, SelfgovAppraisal.id),
            first=first,
            after=after,
            descending=True,
        )


@strawberry.input(description="一名居委会成员的评议票数。")
class AppraisalRatingInput:
    assignment_id: strawberry.ID = strawberry.field(description="被评议成员的任职记录（核心职务）。")
    satisfied: int
    basically_satisfied: int
    unsatisfied: int


@strawberry.input(description="登记社区成员代表大会上对居委会成员的年度民主评议。")
class RecordDemocraticAppraisalInput:
    meeting_id: strawberry.ID = strawberry.field(
        description="进行评议的社区成员代表大会会议（核心会议，须到会过半数）。"
    )
    ratings: list[AppraisalRatingInput] = strawberry.field(description="每名在任成员的票数，须逐一评议。")


@strawberry.type
class DemocraticAppraisalPayload:
    appraisal: DemocraticAppraisalType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AppraisalMutation:
    @strawberry.mutation(
        description="登记年度民主评议：在本社区到会过半数的成员代表大会上，逐一评议会议当日在任的居委会成员；履行报送日历中的年度评议义务。"
    )
    @atomic
    def record_democratic_appraisal(
        self, info: strawberry.Info, input: RecordDemocraticAppraisalInput
    ) -> DemocraticAppraisalPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        meeting = object_for(context, input.meeting_id, "Meeting", None, field="meetingId", what="会议")
        unit = org_service.get_unit(context.session, meeting.org_unit_id)
        from core.auth.permissions import require

        require(context, MANAGE.code, unit)
        community = active_community(context, unit, field="meetingId")
        ratings = [
            appraisals.Rating(
                assignment=object_in_scope(
                    context,
                    entry.assignment_id,
                    PostAssignment,
                    "PostAssignment",
                    (MANAGE.code,),
                    field=f"ratings.{index}.assignmentId",
                    what="任职记录",
                ),
                satisfied=entry.satisfied,
                basically_satisfied=entry.basically_satisfied,
                unsatisfied=entry.unsatisfied,
            )
            for index, entry in enumerate(input.ratings)
        ]
        appraisal = appraisals.record(
            context.session,
            host_of(context),
            community,
            meeting,
            ratings,
            user_id=user_id(context),
            today=local_today(),
        )
        return DemocraticAppraisalPayload(appraisal=row_as(DemocraticAppraisalType, appraisal))
