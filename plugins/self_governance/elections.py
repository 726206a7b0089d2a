"""Residents' committee elections (选举, DOMAIN 2.7; seeds 000, 003).

An election committee runs the election; a member who becomes a candidate
leaves it and the next in the original count fills in (递补). The voter
register is built from the people registry (adults of the community on the
election day, floating residents as policy says). Candidates must live in the
community for the policy's number of years ("居住在本社区一年以上"). The
formal candidates are published for the policy's number of days before the
vote. The result is read from the ballot counts: the election is valid when
the ballots returned meet the policy's share of the register, and a
candidate is elected with the policy's share of the valid ballots, up to the
number of seats (a tie at the last seat elects neither). The elected hold
their posts in core (``core.posts``) for the term. A recall ends a post by
the assembly's vote; a by-election fills it for the rest of the term.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.org.models import OrgUnit
from core.people.models import Resident
from core.policy.service import resolve
from core.policy.thresholds import AT_LEAST
from core.posts import service as posts
from core.posts.kinds import RESIDENTS_COMMITTEE
from core.posts.models import Body, PostAssignment
from plugins.self_governance.common import (
    check_taking_part,
    clean_text,
    residents_taking_part,
    share_met,
    years_before,
)
from plugins.self_governance.declarations import (
    CANDIDATE_PUBLICITY_DAYS,
    ELECTED_COMPARATOR,
    ELECTED_SHARE,
    RECALL_COMPARATOR,
    RECALL_SHARE,
    RESIDENCE_COMPARATOR,
    RESIDENCE_YEARS,
    TURNOUT_COMPARATOR,
    TURNOUT_SHARE,
)
from plugins.self_governance.models import (
    BY_ELECTION,
    CLOSED,
    COMMITTEE_ROLES,
    ELECTED,
    ELECTED_POSTS,
    ELECTION_KINDS,
    GENERAL,
    INVALID,
    NOMINATIONS,
    NOT_ELECTED,
    PREPARING,
    PUBLICITY,
    REASON_LENGTH,
    TITLE_LENGTH,
    SelfgovCandidate,
    SelfgovElection,
    SelfgovElectionCommitteeMember,
    SelfgovRecall,
    SelfgovVoter,
)


def committee_body(session: Session, community: OrgUnit) -> Body:
    """The community's residents' committee in core posts (set up on first use)."""
    found = session.scalars(
        select(Body).where(Body.org_unit_id == community.id, Body.kind == RESIDENTS_COMMITTEE).order_by(Body.id)
    ).first()
    return found or posts.create_body(
        session, org_unit_id=community.id, kind=RESIDENTS_COMMITTEE, name=f"{community.name}居民委员会"
    )


def _expect(election: SelfgovElection, *statuses: str, action: str) -> None:
    if election.status not in statuses:
        from plugins.self_governance.models import ELECTION_STATUSES

        raise UserInputError(
            "WRONG_ELECTION_STATUS", f"选举当前为“{ELECTION_STATUSES[election.status]}”，不能{action}。", "electionId"
        )


def create_election(
    session: Session,
    community: OrgUnit,
    *,
    title: str,
    kind: str,
    seats: int,
    election_day: date,
    term_start: date,
    term_end: date | None,
    recall: SelfgovRecall | None,
    user_id: int | None,
) -> SelfgovElection:
    problems: list[ErrorDetail] = []
    clean = clean_text(title, field="title", what="选举名称", limit=TITLE_LENGTH)
    if kind not in ELECTION_KINDS:
        problems.append(ErrorDetail("UNKNOWN_KIND", "选举类型须为 general（换届选举）或 by_election（补选）。", "kind"))
    if seats < 1:
        problems.append(ErrorDetail("INVALID_VALUE", "应选名额至少为 1。", "seats"))
    if term_start < election_day:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "任期开始日期不能早于选举日。", "termStart"))
    if term_end is not None and term_end <= term_start:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "任期届满日期须晚于任期开始日期。", "termEnd"))
    if kind == BY_ELECTION and recall is None:
        problems.append(ErrorDetail("RECALL_REQUIRED", "补选须注明因哪次罢免（或出缺）而补选。", "recallId"))
    if kind == GENERAL and recall is not None:
        problems.append(ErrorDetail("RECALL_UNUSED", "换届选举不注明罢免记录。", "recallId"))
    if recall is not None and not recall.passed:
        problems.append(ErrorDetail("RECALL_NOT_PASSED", "该罢免未获通过，没有出缺，不能补选。", "recallId"))
    if recall is not None and recall.org_unit_id != community.id:
        problems.append(ErrorDetail("OTHER_COMMUNITY", "罢免记录不属于本社区。", "recallId"))
    if problems:
        raise UserInputError(errors=problems)
    election = SelfgovElection(
        org_unit_id=community.id,
        org_path=community.path,
        body_id=committee_body(session, community).id,
        title=clean,
        kind=kind,
        seats=seats,
        election_day=election_day,
        term_start=term_start,
        term_end=term_end,
        status=PREPARING,
        recall_id=recall.id if recall else None,
        created_by_id=user_id,
    )
    session.add(election)
    session.flush()
    return election


def add_committee_member(
    session: Session, election: SelfgovElection, resident: Resident, *, role: str, vote_count: int, serving: bool
) -> SelfgovElectionCommitteeMember:
    """A member of the election committee (or, ``serving=False``, the next in
    the original count, who fills a vacancy)."""
    _expect(election, PREPARING, PUBLICITY, action="调整选举委员会")
    problems: list[ErrorDetail] = []
    if role not in COMMITTEE_ROLES:
        problems.append(ErrorDetail("UNKNOWN_ROLE", "选举委员会职务须为 chair（主任）或 member（委员）。", "role"))
    if vote_count < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "得票数不能为负数。", "voteCount"))
    if problems:
        raise UserInputError(errors=problems)
    community = session.get(OrgUnit, election.org_unit_id)
    assert community is not None
    check_taking_part(session, community, resident, election.election_day, field="residentId", who="选举委员会成员")
    if session.scalar(
        select(SelfgovCandidate.id).where(
            SelfgovCandidate.election_id == election.id, SelfgovCandidate.resident_id == resident.id
        )
    ):
        raise UserInputError(
            "IS_CANDIDATE", f"{resident.name}是本次选举的候选人，不能担任选举委员会成员。", "residentId"
        )
    if session.scalar(
        select(SelfgovElectionCommitteeMember.id).where(
            SelfgovElectionCommitteeMember.election_id == election.id,
            SelfgovElectionCommitteeMember.resident_id == resident.id,
        )
    ):
        raise UserInputError("DUPLICATE", f"{resident.name}已在选举委员会名单中。", "residentId")
    member = SelfgovElectionCommitteeMember(
        election_id=election.id, resident_id=resident.id, role=role, vote_count=vote_count, serving=serving
    )
    session.add(member)
    session.flush()
    return member


def build_register(session: Session, election: SelfgovElection) -> int:
    """(Re)build the voter register from the registry; returns its size."""
    _expect(election, PREPARING, PUBLICITY, action="登记选民")
    community = session.get(OrgUnit, election.org_unit_id)
    assert community is not None
    session.execute(delete(SelfgovVoter).where(SelfgovVoter.election_id == election.id))
    ids = list(
        session.scalars(select(Resident.id).where(residents_taking_part(session, community, election.election_day)))
    )
    session.add_all(SelfgovVoter(election_id=election.id, resident_id=pk) for pk in ids)
    session.flush()
    return len(ids)


def register_size(session: Session, election_id: int) -> int:
    return int(session.scalar(select(func.count()).where(SelfgovVoter.election_id == election_id)) or 0)


def residence_since(resident: Resident) -> date | None:
    """Since when the resident lives in the community: the move-in day, or
    birth for a registered resident with none recorded (born here)."""
    if resident.moved_in_on is not None:
        return resident.moved_in_on
    return resident.birth_date if resident.residence_type == "registered" else None


def nominate(
    session: Session, election: SelfgovElection, resident: Resident, *, post_code: str, nomination: str, today: date
) -> SelfgovCandidate:
    _expect(election, PREPARING, action="提名候选人")
    problems: list[ErrorDetail] = []
    if post_code not in ELECTED_POSTS:
        problems.append(
            ErrorDetail(
                "UNKNOWN_POST", "候选职务须为 chair（主任）、vice_chair（副主任）或 member（委员）。", "postCode"
            )
        )
    if nomination not in NOMINATIONS:
        problems.append(
            ErrorDetail(
                "UNKNOWN_NOMINATION",
                "提名方式须为 group（居民小组提名）、civic（群众团体提名）或 self（自荐）。",
                "nomination",
            )
        )
    if problems:
        raise UserInputError(errors=problems)
    community = session.get(OrgUnit, election.org_unit_id)
    assert community is not None
    check_taking_part(session, community, resident, election.election_day, field="residentId", who="候选人")
    years = int(resolve(session, community, RESIDENCE_YEARS, election.election_day))
    comparator = str(resolve(session, community, RESIDENCE_COMPARATOR, election.election_day))
    since = residence_since(resident)
    # "Lived here N years or more" on the election day: since <= the day N years before
    # (AT_LEAST) or strictly before it (MORE_THAN).
    boundary = years_before(election.election_day, years)
    if since is None or not (since <= boundary if comparator == AT_LEAST else since < boundary):
        raise UserInputError(
            "RESIDENCE_TOO_SHORT",
            f"{resident.name}在本社区居住未满 {years} 年（入住日期 {since or '未登记'}），不符合候选人条件。",
            "residentId",
        )
    if session.scalar(
        select(SelfgovCandidate.id).where(
            SelfgovCandidate.election_id == election.id, SelfgovCandidate.resident_id == resident.id
        )
    ):
        raise UserInputError("DUPLICATE", f"{resident.name}已是本次选举的候选人。", "residentId")
    member = session.scalars(
        select(SelfgovElectionCommitteeMember).where(
            SelfgovElectionCommitteeMember.election_id == election.id,
            SelfgovElectionCommitteeMember.resident_id == resident.id,
            SelfgovElectionCommitteeMember.left_on.is_(None),
        )
    ).first()
    if member is not None:
        _leave_committee(session, member, today)
    candidate = SelfgovCandidate(
        election_id=election.id, resident_id=resident.id, post_code=post_code, nomination=nomination
    )
    session.add(candidate)
    session.flush()
    return candidate


def _leave_committee(session: Session, member: SelfgovElectionCommitteeMember, today: date) -> None:
    """A member who stands leaves the election committee; the next in the
    original count (a reserve with the most votes) fills in (递补)."""
    was_serving = member.serving
    member.serving = False
    member.left_on = today
    member.left_reason = "被提名为候选人，退出选举委员会"
    if was_serving:
        reserve = session.scalars(
            select(SelfgovElectionCommitteeMember)
            .where(
                SelfgovElectionCommitteeMember.election_id == member.election_id,
                SelfgovElectionCommitteeMember.serving.is_(False),
                SelfgovElectionCommitteeMember.left_on.is_(None),
            )
            .order_by(SelfgovElectionCommitteeMember.vote_count.desc(), SelfgovElectionCommitteeMember.id)
        ).first()
        if reserve is not None:
            reserve.serving = True
    session.flush()


def publish_candidates(session: Session, election: SelfgovElection, today: date) -> SelfgovElection:
    """The formal candidates are fixed and published for the policy's days."""
    _expect(election, PREPARING, action="公示候选人")
    count = int(session.scalar(select(func.count()).where(SelfgovCandidate.election_id == election.id)) or 0)
    if count == 0:
        raise UserInputError("NO_CANDIDATES", "尚未提名候选人，不能公示。", "electionId")
    if register_size(session, election.id) == 0:
        raise UserInputError("REGISTER_EMPTY", "尚未登记选民，不能公示候选人。", "electionId")
    community = session.get(OrgUnit, election.org_unit_id)
    assert community is not None
    days = int(resolve(session, community, CANDIDATE_PUBLICITY_DAYS, today))
    election.status = PUBLICITY
    election.publicity_from = today
    election.publicity_until = today + timedelta(days=days - 1)
    session.flush()
    return election


def record_result(
    session: Session,
    election: SelfgovElection,
    *,
    held_on: date,
    ballots_issued: int,
    ballots_returned: int,
    invalid_ballots: int,
    votes: Mapping[int, int],
    today: date,
) -> SelfgovElection:
    """Read the result from the ballot counts; the elected take their posts."""
    _expect(election, PUBLICITY, action="登记选举结果")
    problems: list[ErrorDetail] = []
    assert election.publicity_until is not None
    if held_on <= election.publicity_until:
        problems.append(
            ErrorDetail(
                "PUBLICITY_NOT_OVER", f"候选人公示至 {election.publicity_until}，公示期满后方可投票。", "heldOn"
            )
        )
    if held_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "投票日期不能晚于今天。", "heldOn"))
    registered = register_size(session, election.id)
    if min(ballots_issued, ballots_returned, invalid_ballots) < 0:
        problems.append(ErrorDetail("INVALID_VALUE", "票数不能为负数。", "ballotsIssued"))
    if ballots_issued > registered:
        problems.append(
            ErrorDetail(
                "TOO_MANY_BALLOTS", f"发出选票 {ballots_issued} 张，多于登记选民 {registered} 人。", "ballotsIssued"
            )
        )
    if invalid_ballots > ballots_returned:
        problems.append(ErrorDetail("INVALID_VALUE", "无效票不能多于收回的选票。", "invalidBallots"))
    candidates = list(
        session.scalars(
            select(SelfgovCandidate).where(SelfgovCandidate.election_id == election.id).order_by(SelfgovCandidate.id)
        )
    )
    known = {c.id for c in candidates}
    if set(votes) != known:
        problems.append(
            ErrorDetail("VOTES_INCOMPLETE", "须逐一登记每位候选人的得票数，且只登记本次选举的候选人。", "votes")
        )
    valid = ballots_returned - invalid_ballots
    for index, (_candidate_id, count) in enumerate(votes.items()):
        if count < 0 or count > max(valid, 0):
            problems.append(
                ErrorDetail("INVALID_VALUE", f"得票数须在 0 到有效票数 {max(valid, 0)} 之间。", f"votes.{index}.votes")
            )
    if problems:
        raise UserInputError(errors=problems)
    community = session.get(OrgUnit, election.org_unit_id)
    assert community is not None
    election.held_on = held_on
    election.registered_voters = registered
    election.ballots_issued = ballots_issued
    election.ballots_returned = ballots_returned
    election.invalid_ballots = invalid_ballots
    for candidate in candidates:
        candidate.votes = votes[candidate.id]
    if ballots_returned > ballots_issued:
        return _invalid(
            session, election, candidates, f"收回选票 {ballots_returned} 张多于发出的 {ballots_issued} 张，选举无效。"
        )
    turnout = str(resolve(session, community, TURNOUT_SHARE, held_on))
    turnout_comparator = str(resolve(session, community, TURNOUT_COMPARATOR, held_on))
    if not share_met(ballots_returned, registered, turnout, turnout_comparator):
        return _invalid(
            session,
            election,
            candidates,
            f"参加投票 {ballots_returned} 人，登记选民 {registered} 人，未达到 {turnout}（{turnout_comparator}），选举无效。",
        )
    share = str(resolve(session, community, ELECTED_SHARE, held_on))
    comparator = str(resolve(session, community, ELECTED_COMPARATOR, held_on))
    winners = _winners(candidates, election.seats, valid, share, comparator)
    if election.kind == GENERAL:
        _end_previous_terms(session, election)
    for candidate in candidates:
        if candidate.id in winners:
            candidate.status = ELECTED
            assignment = posts.assign(
                session,
                body_id=election.body_id,
                post_code=candidate.post_code,
                resident_id=candidate.resident_id,
                term_start=election.term_start,
                term_end=election.term_end,
                note=f"{election.title}当选",
            )
            candidate.assignment_id = assignment.id
        else:
            candidate.status = NOT_ELECTED
    election.status = CLOSED
    session.flush()
    return election


def _winners(candidates: list[SelfgovCandidate], seats: int, valid: int, share: str, comparator: str) -> set[int]:
    """Those meeting the share, most votes first, up to the seats; one chair;
    candidates tied for the last seat are all left out."""
    qualified = sorted(
        (c for c in candidates if share_met(c.votes or 0, valid, share, comparator)), key=lambda c: -(c.votes or 0)
    )
    chairs = [c for c in qualified if c.post_code == "chair"]
    if len(chairs) > 1:
        top = chairs[0].votes
        keep = chairs[0] if chairs[1].votes != top else None
        qualified = [c for c in qualified if c.post_code != "chair" or c is keep]
    if len(qualified) > seats and qualified[seats - 1].votes == qualified[seats].votes:
        tied = qualified[seats].votes
        return {c.id for c in qualified[:seats] if c.votes != tied}
    return {c.id for c in qualified[:seats]}


def _end_previous_terms(session: Session, election: SelfgovElection) -> None:
    """A general election ends the outgoing committee's terms on the new term's first day."""
    open_terms = session.scalars(
        select(PostAssignment).where(
            PostAssignment.body_id == election.body_id,
            PostAssignment.post_code.in_(ELECTED_POSTS),
            PostAssignment.ended_on.is_(None),
            PostAssignment.term_start < election.term_start,
        )
    )
    for assignment in list(open_terms):
        posts.end_term(session, assignment, ended_on=election.term_start, reason="任期届满，换届")


def _invalid(
    session: Session, election: SelfgovElection, candidates: list[SelfgovCandidate], reason: str
) -> SelfgovElection:
    election.status = INVALID
    election.invalid_reason = reason[:REASON_LENGTH]
    for candidate in candidates:
        candidate.status = NOT_ELECTED
    session.flush()
    return election


def recall(
    session: Session,
    community: OrgUnit,
    assignment: PostAssignment,
    *,
    decided_on: date,
    eligible: int,
    votes_cast: int,
    votes_for: int,
    reason: str,
    user_id: int | None,
    today: date,
) -> SelfgovRecall:
    """The assembly's recall vote on a committee post: below quorum it is
    refused; passed, the post ends on the day of the vote."""
    body = session.get(Body, assignment.body_id)
    assert body is not None
    problems: list[ErrorDetail] = []
    if (
        body.kind != RESIDENTS_COMMITTEE
        or body.org_unit_id != community.id
        or assignment.post_code not in ELECTED_POSTS
    ):
        problems.append(
            ErrorDetail("NOT_A_COMMITTEE_POST", "只能罢免本社区居民委员会的主任、副主任和委员。", "assignmentId")
        )
    elif not assignment.holds_on(decided_on):
        problems.append(ErrorDetail("NOT_HOLDING", "表决之日该成员不在任。", "assignmentId"))
    if decided_on > today:
        problems.append(ErrorDetail("IN_FUTURE", "表决日期不能晚于今天。", "decidedOn"))
    if not 0 <= votes_for <= votes_cast <= eligible or eligible < 1:
        problems.append(
            ErrorDetail(
                "INVALID_VALUE", "须满足：0 ≤ 赞成票 ≤ 参加表决人数 ≤ 应参加人数，且应参加人数至少为 1。", "votesCast"
            )
        )
    clean = clean_text(reason, field="reason", what="罢免理由", limit=None)
    if problems:
        raise UserInputError(errors=problems)
    quorum = str(resolve(session, community, TURNOUT_SHARE, decided_on))
    quorum_comparator = str(resolve(session, community, TURNOUT_COMPARATOR, decided_on))
    if not share_met(votes_cast, eligible, quorum, quorum_comparator):
        raise UserInputError(
            "NO_QUORUM",
            f"应到 {eligible} 人，参加表决 {votes_cast} 人，未达到法定人数（{quorum}，{quorum_comparator}），不能作出罢免决定。",
            "votesCast",
        )
    share = str(resolve(session, community, RECALL_SHARE, decided_on))
    comparator = str(resolve(session, community, RECALL_COMPARATOR, decided_on))
    passed = share_met(votes_for, votes_cast, share, comparator)
    row = SelfgovRecall(
        org_unit_id=community.id,
        org_path=community.path,
        assignment_id=assignment.id,
        decided_on=decided_on,
        eligible=eligible,
        votes_cast=votes_cast,
        votes_for=votes_for,
        passed=passed,
        reason=clean or "",
        recorded_by_id=user_id,
    )
    session.add(row)
    if passed:
        posts.end_term(session, assignment, ended_on=decided_on, reason="经成员代表大会罢免")
    session.flush()
    return row
