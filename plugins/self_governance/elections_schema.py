"""GraphQL of committee elections: readable only with the election
permission (election archives kept apart, 换届选举档案专立专存)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import strawberry
from sqlalchemy import select

from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, object_in_scope
from core.api.loaders import related, related_required
from core.api.mutations import atomic
from core.api.relay import MAX_INTEGER_PK, Connection, Node, decode_pk, encode_global_id, model_type, paginate
from core.api.rows import row_as, rows_as
from core.auth.permissions import require_signed_in, require_somewhere
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.policy.service import local_today
from core.posts.models import Body, PostAssignment
from plugins.self_governance import elections
from plugins.self_governance.common import active_community
from plugins.self_governance.declarations import ELECTION_MANAGE, ELECTION_VIEW
from plugins.self_governance.enums import (
    CandidateNomination,
    CommitteeElectionKind,
    CommitteeElectionStatus,
    ElectionCandidateStatus,
    ElectionCommitteeRole,
)
from plugins.self_governance.models import (
    CANDIDATE_STATUSES,
    COMMITTEE_ROLES,
    ELECTION_KINDS,
    ELECTION_STATUSES,
    NOMINATIONS,
    SelfgovCandidate,
    SelfgovElection,
    SelfgovElectionCommitteeMember,
    SelfgovRecall,
)
from plugins.self_governance.schema_common import (
    community_input,
    loader,
    resident_input,
    user_id,
    visible,
)

READ = (ELECTION_VIEW.code, ELECTION_MANAGE.code)
load_elections = loader(SelfgovElection, READ)
load_recalls = loader(SelfgovRecall, READ)


def load_candidates(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """Candidates of elections the caller may read (the election's unit decides)."""
    wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
    if not wanted:
        return {}
    rows = context.session.scalars(
        select(SelfgovCandidate)
        .join(SelfgovElection, SelfgovElection.id == SelfgovCandidate.election_id)
        .where(SelfgovCandidate.id.in_(wanted), visible(context, SelfgovElection.org_path, READ))
    )
    return {row.id: row for row in rows}


def candidate_paths(row: SelfgovCandidate) -> tuple[str, ...]:
    """A candidate belongs where its election does."""
    from sqlalchemy.orm import object_session

    session = object_session(row)
    election = session.get(SelfgovElection, row.election_id) if session is not None else None
    assert election is not None
    return (election.org_path,)


def _name(info: strawberry.Info, row: object) -> str:
    resident = related(info.context, row, "resident_id", Resident)
    return resident.name if resident is not None else ""


@strawberry.type(description="选举委员会成员（含递补人选）。")
class ElectionCommitteeMemberType:
    role: str = strawberry.field(deprecation_reason="改用 committeeRole（枚举）。")

    @strawberry.field(description="在选举委员会中的职务。")
    def committee_role(self) -> ElectionCommitteeRole:
        return ElectionCommitteeRole(self.role)

    vote_count: int = strawberry.field(description="当选选举委员会时的得票数（递补顺序）。")
    serving: bool = strawberry.field(description="是否在任；为否时是递补人选或已退出。")
    left_on: date | None
    left_reason: str | None

    @strawberry.field(description="姓名。")
    def resident_name(self, info: strawberry.Info) -> str:
        return _name(info, self)

    @strawberry.field(description="职务的中文名称。")
    def role_name(self) -> str:
        return COMMITTEE_ROLES.get(self.role, self.role)


@model_type(SelfgovCandidate, name="ElectionCandidate", description="居委会成员候选人及其得票。")
class ElectionCandidateType(Node):
    post_code: str = strawberry.field(description="候选职务代码（见 postKinds）：chair、vice_chair 或 member。")
    nomination: str = strawberry.field(
        description="提名方式：group、civic 或 self。", deprecation_reason="改用 nominationKind（枚举）。"
    )

    @strawberry.field(description="提名方式。")
    def nomination_kind(self) -> CandidateNomination:
        return CandidateNomination(self.nomination)

    status: str = strawberry.field(
        description="nominated、elected 或 not_elected。", deprecation_reason="改用 candidateStatus（枚举）。"
    )

    @strawberry.field(description="候选人状态。")
    def candidate_status(self) -> ElectionCandidateStatus:
        return ElectionCandidateStatus(self.status)

    votes: int | None = strawberry.field(description="得票数（计票后）。")

    @strawberry.field(description="姓名。")
    def resident_name(self, root: SelfgovCandidate, info: strawberry.Info) -> str:
        return _name(info, root)

    @strawberry.field(description="提名方式的中文名称。")
    def nomination_name(self) -> str:
        return NOMINATIONS.get(self.nomination, self.nomination)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return CANDIDATE_STATUSES.get(self.status, self.status)

    @strawberry.field(description="当选后在核心职务中的任职记录 ID。")
    def post_assignment_id(self, root: SelfgovCandidate) -> strawberry.ID | None:
        pk = root.assignment_id
        return strawberry.ID(encode_global_id("PostAssignment", pk)) if pk is not None else None


@model_type(SelfgovElection, name="CommitteeElection", description="居委会换届选举或补选。")
class CommitteeElectionType(Node):
    title: str
    kind: str = strawberry.field(
        description="general（换届选举）或 by_election（补选）。", deprecation_reason="改用 electionKind（枚举）。"
    )

    @strawberry.field(description="选举种类。")
    def election_kind(self) -> CommitteeElectionKind:
        return CommitteeElectionKind(self.kind)

    seats: int = strawberry.field(description="应选名额。")
    election_day: date
    term_start: date
    term_end: date | None
    status: str = strawberry.field(
        description="preparing、publicity、closed 或 invalid。", deprecation_reason="改用 electionStatus（枚举）。"
    )

    @strawberry.field(description="选举进度。")
    def election_status(self) -> CommitteeElectionStatus:
        return CommitteeElectionStatus(self.status)

    publicity_from: date | None = strawberry.field(description="候选人公示开始日。")
    publicity_until: date | None = strawberry.field(description="候选人公示截止日（含）。")
    registered_voters: int | None = strawberry.field(description="计票时的登记选民人数。")
    ballots_issued: int | None
    ballots_returned: int | None
    invalid_ballots: int | None
    held_on: date | None
    invalid_reason: str | None = strawberry.field(description="选举无效的原因。")

    @strawberry.field(description="类型的中文名称。")
    def kind_name(self) -> str:
        return ELECTION_KINDS.get(self.kind, self.kind)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self) -> str:
        return ELECTION_STATUSES.get(self.status, self.status)

    @strawberry.field(description="所在社区。")
    def org_unit(self, root: SelfgovElection, info: strawberry.Info) -> OrgUnitType:
        return row_as(OrgUnitType, related_required(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="当前登记的选民人数。")
    def voter_count(self, root: SelfgovElection, info: strawberry.Info) -> int:
        return elections.register_size(info.context.session, root.id)

    @strawberry.field(description="选举委员会成员，按得票多少排列。")
    def committee(self, root: SelfgovElection, info: strawberry.Info) -> list[ElectionCommitteeMemberType]:
        return rows_as(
            ElectionCommitteeMemberType,
            info.context.session.scalars(
                select(SelfgovElectionCommitteeMember)
                .where(SelfgovElectionCommitteeMember.election_id == root.id)
                .order_by(SelfgovElectionCommitteeMember.vote_count.desc(), SelfgovElectionCommitteeMember.id)
            ),
        )

    @strawberry.field(description="候选人，按得票多少排列（计票前按提名先后）。")
    def candidates(self, root: SelfgovElection, info: strawberry.Info) -> list[ElectionCandidateType]:
        return rows_as(
            ElectionCandidateType,
            info.context.session.scalars(
                select(SelfgovCandidate)
                .where(SelfgovCandidate.election_id == root.id)
                .order_by(SelfgovCandidate.votes.desc().nulls_last(), SelfgovCandidate.id)
            ),
        )


@model_type(SelfgovRecall, name="CommitteeRecall", description="成员代表大会对居委会成员的罢免表决。")
class CommitteeRecallType(Node):
    decided_on: date
    eligible: int = strawberry.field(description="应参加表决人数。")
    votes_cast: int
    votes_for: int
    passed: bool
    reason: str

    @strawberry.field(description="被罢免职务的任职记录 ID。")
    def post_assignment_id(self, root: SelfgovRecall) -> strawberry.ID:
        return strawberry.ID(encode_global_id("PostAssignment", root.assignment_id))

    @strawberry.field(description="被表决罢免的成员姓名。")
    def resident_name(self, root: SelfgovRecall, info: strawberry.Info) -> str:
        assignment = related(info.context, root, "assignment_id", PostAssignment)
        resident = info.context.session.get(Resident, assignment.resident_id) if assignment else None
        return resident.name if resident is not None else ""


@strawberry.type
class ElectionQuery:
    @strawberry.field(
        description="某单位及其下级社区的居委会选举，最近的在前；须有 self_governance.election.view 权限（选举档案专立专存）。"
    )
    def committee_elections(
        self, info: strawberry.Info, under: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[CommitteeElectionType]:
        context: RequestContext = info.context
        require_somewhere(context, ELECTION_VIEW.code)
        root = org_service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
        statement = select(SelfgovElection).where(
            org_service.in_subtree(SelfgovElection.org_path, root.path),
            visible(context, SelfgovElection.org_path, READ),
        )
        return paginate(
            context,
            statement,
            (SelfgovElection.election_day, SelfgovElection.id),
            first=first,
            after=after,
            descending=True,
        )


# --- mutations -------------------------------------------------------------------------------


@strawberry.input(description="筹备一次居委会换届选举或补选。")
class CreateCommitteeElectionInput:
    org_unit_id: strawberry.ID = strawberry.field(description="社区。")
    title: str
    kind: str | None = strawberry.field(
        default=None,
        description="general（换届选举）或 by_election（补选）。",
        deprecation_reason="改用 electionKind（枚举）。",
    )
    election_kind: CommitteeElectionKind | None = strawberry.field(default=None, description="选举种类。")
    seats: int = strawberry.field(description="应选名额。")
    election_day: date
    term_start: date
    term_end: date | None = None
    recall_id: strawberry.ID | None = strawberry.field(default=None, description="补选：因之出缺的罢免记录。")


@strawberry.input(description="选举委员会成员（serving 为否时登记为递补人选）。")
class AddElectionCommitteeMemberInput:
    election_id: strawberry.ID
    resident_id: strawberry.ID
    role: str | None = strawberry.field(
        default=None, description="chair（主任）或 member（委员）。", deprecation_reason="改用 committeeRole（枚举）。"
    )
    committee_role: ElectionCommitteeRole | None = strawberry.field(default=None, description="在选举委员会中的职务。")
    vote_count: int = strawberry.field(description="推选选举委员会时的得票数。")
    serving: bool = True


@strawberry.input(description="按人口库生成选民名单。")
class BuildVoterRegisterInput:
    election_id: strawberry.ID


@strawberry.input(description="提名居委会成员候选人。")
class NominateCandidateInput:
    election_id: strawberry.ID
    resident_id: strawberry.ID
    post_code: str = strawberry.field(
        description="候选职务代码（见 postKinds）：chair（主任）、vice_chair（副主任）或 member（委员）。"
    )
    nomination: str | None = strawberry.field(
        default=None,
        description="group（居民小组提名）、civic（群众团体提名）或 self（自荐）。",
        deprecation_reason="改用 nominationKind（枚举）。",
    )
    nomination_kind: CandidateNomination | None = strawberry.field(default=None, description="提名方式。")


@strawberry.input(description="确定并公示正式候选人。")
class PublishCandidatesInput:
    election_id: strawberry.ID


@strawberry.input(description="一位候选人的得票。")
class CandidateVotesInput:
    candidate_id: strawberry.ID
    votes: int


@strawberry.input(description="登记计票结果。")
class RecordElectionResultInput:
    election_id: strawberry.ID
    held_on: date
    ballots_issued: int
    ballots_returned: int
    invalid_ballots: int
    votes: list[CandidateVotesInput]


@strawberry.input(description="登记成员代表大会对居委会成员的罢免表决。")
class RecallCommitteeMemberInput:
    assignment_id: strawberry.ID = strawberry.field(description="被罢免成员的任职记录（核心职务）。")
    decided_on: date
    eligible: int = strawberry.field(description="应参加表决人数。")
    votes_cast: int
    votes_for: int
    reason: str


@strawberry.type
class CommitteeElectionPayload:
    election: CommitteeElectionType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ElectionCommitteeMemberPayload:
    election: CommitteeElectionType | None = None
    member: ElectionCommitteeMemberType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class VoterRegisterPayload:
    election: CommitteeElectionType | None = None
    voter_count: int | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ElectionCandidatePayload:
    candidate: ElectionCandidateType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CommitteeRecallPayload:
    recall: CommitteeRecallType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _election(context: RequestContext, global_id: str) -> SelfgovElection:
    election: SelfgovElection = object_for(
        context, global_id, "CommitteeElection", ELECTION_MANAGE.code, field="electionId", lock=True, what="选举"
    )
    return election


@strawberry.type
class ElectionMutation:
    @strawberry.mutation(
        description="筹备居委会选举（须在社区有 self_governance.election.manage 权限）；补选须注明罢免记录。"
    )
    @atomic
    def create_committee_election(
        self, info: strawberry.Info, input: CreateCommitteeElectionInput
    ) -> CommitteeElectionPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        _, community = community_input(context, input.org_unit_id, ELECTION_MANAGE.code)
        recall = None
        if input.recall_id is not None:
            recall = object_for(
                context, input.recall_id, "CommitteeRecall", ELECTION_MANAGE.code, field="recallId", what="罢免记录"
            )
        election = elections.create_election(
            context.session,
            community,
            title=input.title,
            kind=required_code(input.kind, input.election_kind, legacy_field="kind", field="electionKind"),
            seats=input.seats,
            election_day=input.election_day,
            term_start=input.term_start,
            term_end=input.term_end,
            recall=recall,
            user_id=user_id(context),
        )
        return CommitteeElectionPayload(election=row_as(CommitteeElectionType, election))

    @strawberry.mutation(description="登记选举委员会成员或递补人选；须为本社区有选举权的居民，候选人不得担任。")
    @atomic
    def add_election_committee_member(
        self, info: strawberry.Info, input: AddElectionCommitteeMemberInput
    ) -> ElectionCommitteeMemberPayload:
        context: RequestContext = info.context
        election = _election(context, input.election_id)
        resident = resident_input(context, input.resident_id, ELECTION_MANAGE.code, field="residentId")
        member = elections.add_committee_member(
            context.session,
            election,
            resident,
            role=required_code(input.role, input.committee_role, legacy_field="role", field="committeeRole"),
            vote_count=input.vote_count,
            serving=input.serving,
        )
        return ElectionCommitteeMemberPayload(
            election=row_as(CommitteeElectionType, election), member=row_as(ElectionCommitteeMemberType, member)
        )

    @strawberry.mutation(description="按人口库生成（或重新生成）选民名单：选举日年满法定年龄、未迁出的本社区居民。")
    @atomic
    def build_voter_register(self, info: strawberry.Info, input: BuildVoterRegisterInput) -> VoterRegisterPayload:
        context: RequestContext = info.context
        election = _election(context, input.election_id)
        count = elections.build_register(context.session, election)
        return VoterRegisterPayload(election=row_as(CommitteeElectionType, election), voter_count=count)

    @strawberry.mutation(
        description="提名候选人：须为本社区有选举权的居民，在本社区居住满规定年限；选举委员会成员被提名即退出，由递补人选补上。"
    )
    @atomic
    def nominate_candidate(self, info: strawberry.Info, input: NominateCandidateInput) -> ElectionCandidatePayload:
        context: RequestContext = info.context
        election = _election(context, input.election_id)
        resident = resident_input(context, input.resident_id, ELECTION_MANAGE.code, field="residentId")
        candidate = elections.nominate(
            context.session,
            election,
            resident,
            post_code=input.post_code,
            nomination=required_code(
                input.nomination, input.nomination_kind, legacy_field="nomination", field="nominationKind"
            ),
            today=local_today(),
        )
        return ElectionCandidatePayload(candidate=row_as(ElectionCandidateType, candidate))

    @strawberry.mutation(description="确定正式候选人并开始公示，公示天数按地方策略。")
    @atomic
    def publish_candidates(self, info: strawberry.Info, input: PublishCandidatesInput) -> CommitteeElectionPayload:
        context: RequestContext = info.context
        election = _election(context, input.election_id)
        return CommitteeElectionPayload(
            election=row_as(
                CommitteeElectionType, elections.publish_candidates(context.session, election, local_today())
            )
        )

    @strawberry.mutation(
        description="登记计票结果：按地方策略判定选举是否有效、谁当选；当选人在核心职务中任职至任期届满。"
    )
    @atomic
    def record_election_result(
        self, info: strawberry.Info, input: RecordElectionResultInput
    ) -> CommitteeElectionPayload:
        context: RequestContext = info.context
        election = _election(context, input.election_id)
        votes: dict[int, int] = {}
        for index, entry in enumerate(input.votes):
            candidate = object_for(
                context,
                entry.candidate_id,
                "ElectionCandidate",
                ELECTION_MANAGE.code,
                field=f"votes.{index}.candidateId",
                what="候选人",
            )
            votes[candidate.id] = entry.votes
        result = elections.record_result(
            context.session,
            election,
            held_on=input.held_on,
            ballots_issued=input.ballots_issued,
            ballots_returned=input.ballots_returned,
            invalid_ballots=input.invalid_ballots,
            votes=votes,
            today=local_today(),
        )
        return CommitteeElectionPayload(election=row_as(CommitteeElectionType, result))

    @strawberry.mutation(description="登记罢免表决：未达到法定人数不能作出决定；通过即离任，可据此补选。")
    @atomic
    def recall_committee_member(
        self, info: strawberry.Info, input: RecallCommitteeMemberInput
    ) -> CommitteeRecallPayload:
        context: RequestContext = info.context
        require_signed_in(context)
        assignment = object_in_scope(
            context,
            input.assignment_id,
            PostAssignment,
            "PostAssignment",
            (ELECTION_MANAGE.code,),
            field="assignmentId",
            what="任职记录",
        )
        session = context.session
        assignment = session.get(PostAssignment, assignment.id, with_for_update=True, populate_existing=True)
        assert assignment is not None  # found just above; a RESTRICT foreign key keeps it
        body = session.get(Body, assignment.body_id)
        unit = session.get(OrgUnit, body.org_unit_id) if body is not None else None
        assert unit is not None
        community = active_community(context, unit, field="assignmentId")
        recall = elections.recall(
            session,
            community,
            assignment,
            decided_on=input.decided_on,
            eligible=input.eligible,
            votes_cast=input.votes_cast,
            votes_for=input.votes_for,
            reason=input.reason,
            user_id=user_id(context),
            today=local_today(),
        )
        return CommitteeRecallPayload(recall=row_as(CommitteeRecallType, recall))
