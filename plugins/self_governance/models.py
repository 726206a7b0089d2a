"""Tables of the residents' self-governance plugin (居民自治, DOMAIN 2.7).

Residents, households, org units, posts and board notices live in core and
are referenced, never copied. Every record carries ``org_path`` (the path of
the community, building or unit it belongs to) for scope filtering; it
follows re-zoning like every other path copy.

- Committee elections (选举): the election, its election committee (with the
  original vote counts, for 递补), the voter register built from the people
  registry, the candidates and their ballots, and recalls (罢免). Election
  records are read only with ``self_governance.election.view`` (换届选举档案
  专立专存).
- Building heads (楼栋长): nominations with their publicity period and
  real-name objections, then the post in core.
- Initiatives (提议召开临时会议): signatures checked against the registry and
  the meeting the committee then owes (a core reporting obligation).
- Hearings (听证会): participants with or without a vote, the five steps,
  the vote, the publication on the board and the written transmission.
- The residents' convention and charter (居民公约, 自治章程) as versioned texts.

``meeting_id`` and ``adoption_resolution_id`` name records of core meetings:
the meeting that answered an initiative, the assembly resolution adopting a
text.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

TITLE_LENGTH = 200
CODE_LENGTH = 32
NAME_LENGTH = 50
REASON_LENGTH = 200
POST_CODE_LENGTH = 64

# --- elections -----------------------------------------------------------------------------

GENERAL = "general"
BY_ELECTION = "by_election"
ELECTION_KINDS = {GENERAL: "换届选举", BY_ELECTION: "补选"}

PREPARING = "preparing"
PUBLICITY = "publicity"
CLOSED = "closed"
INVALID = "invalid"
ELECTION_STATUSES = {PREPARING: "筹备中", PUBLICITY: "候选人公示中", CLOSED: "选举结束", INVALID: "选举无效"}

NOMINATIONS = {"group": "居民小组提名", "civic": "群众团体提名", "self": "自荐"}
COMMITTEE_ROLES = {"chair": "主任", "member": "委员"}
ELECTED_POSTS = ("chair", "vice_chair", "member")

NOMINATED = "nominated"
ELECTED = "elected"
NOT_ELECTED = "not_elected"
CANDIDATE_STATUSES = {NOMINATED: "候选人", ELECTED: "当选", NOT_ELECTED: "未当选"}


class SelfgovElection(Base):
    """A general election or by-election of a residents' committee."""

    __tablename__ = "selfgov_election"
    __table_args__ = (Index("ix_selfgov_election_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # The residents' committee (core posts) whose posts the elected hold.
    body_id: Mapped[int] = mapped_column(ForeignKey("body.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    seats: Mapped[int] = mapped_column(Integer)
    election_day: Mapped[date] = mapped_column(Date)
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(CODE_LENGTH), default=PREPARING)
    publicity_from: Mapped[date | None] = mapped_column(Date)
    publicity_until: Mapped[date | None] = mapped_column(Date)
    registered_voters: Mapped[int | None] = mapped_column(Integer)
    ballots_issued: Mapped[int | None] = mapped_column(Integer)
    ballots_returned: Mapped[int | None] = mapped_column(Integer)
    invalid_ballots: Mapped[int | None] = mapped_column(Integer)
    held_on: Mapped[date | None] = mapped_column(Date)
    invalid_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    # A by-election's cause: the recall that left the seat empty.
    recall_id: Mapped[int | None] = mapped_column(ForeignKey("selfgov_recall.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovElectionCommitteeMember(Base):
    """A member of the election committee, with the votes that elected them
    (the order in which the next one fills a vacancy, 递补)."""

    __tablename__ = "selfgov_election_committee_member"
    __table_args__ = (Index("uq_selfgov_election_committee_member", "election_id", "resident_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("selfgov_election.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(CODE_LENGTH))
    vote_count: Mapped[int] = mapped_column(Integer)
    # False for a reserve (the next in the original count) until they fill in.
    serving: Mapped[bool] = mapped_column(Boolean, default=True)
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovVoter(Base):
    """One entry of an election's voter register (选民名单), from the registry."""

    __tablename__ = "selfgov_voter"
    __table_args__ = (Index("uq_selfgov_voter_election_resident", "election_id", "resident_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("selfgov_election.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="CASCADE"))


class SelfgovCandidate(Base):
    __tablename__ = "selfgov_candidate"
    __table_args__ = (Index("uq_selfgov_candidate_election_resident", "election_id", "resident_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("selfgov_election.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    post_code: Mapped[str] = mapped_column(String(POST_CODE_LENGTH))
    nomination: Mapped[str] = mapped_column(String(CODE_LENGTH))
    status: Mapped[str] = mapped_column(String(CODE_LENGTH), default=NOMINATED)
    votes: Mapped[int | None] = mapped_column(Integer)
    # The post the elected candidate holds in core.
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("post_assignment.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovRecall(Base):
    """A recall vote (罢免) on a committee member's post."""

    __tablename__ = "selfgov_recall"
    __table_args__ = (Index("ix_selfgov_recall_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("post_assignment.id", ondelete="RESTRICT"))
    decided_on: Mapped[date] = mapped_column(Date)
    eligible: Mapped[int] = mapped_column(Integer)
    votes_cast: Mapped[int] = mapped_column(Integer)
    votes_for: Mapped[int] = mapped_column(Integer)
    passed: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovRepresentativeSeat(Base):
    """A representative's seat: the post in core (``representative`` in the
    community's assembly) and the residents' group it speaks for, or the
    resident unit (驻区单位) it represents."""

    __tablename__ = "selfgov_representative_seat"
    __table_args__ = (Index("uq_selfgov_representative_seat_assignment", "assignment_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("post_assignment.id", ondelete="CASCADE"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    group_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    resident_unit: Mapped[str | None] = mapped_column(String(NAME_LENGTH))


# --- democratic appraisal -----------------------------------------------------------------

GRADES = {"satisfied": "称职", "basically_satisfied": "基本称职", "unsatisfied": "不称职"}


class SelfgovAppraisal(Base):
    """The year's democratic appraisal (民主评议) of the committee's members by
    the representatives, at a meeting of the assembly (core meetings)."""

    __tablename__ = "selfgov_appraisal"
    __table_args__ = (
        Index("uq_selfgov_appraisal_unit_year", "org_unit_id", "year", unique=True),
        Index("ix_selfgov_appraisal_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    year: Mapped[int] = mapped_column(Integer)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="RESTRICT"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovAppraisalRating(Base):
    __tablename__ = "selfgov_appraisal_rating"
    __table_args__ = (Index("uq_selfgov_appraisal_rating", "appraisal_id", "assignment_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    appraisal_id: Mapped[int] = mapped_column(ForeignKey("selfgov_appraisal.id", ondelete="CASCADE"))
    # The member's committee post (core posts).
    assignment_id: Mapped[int] = mapped_column(ForeignKey("post_assignment.id", ondelete="RESTRICT"))
    satisfied: Mapped[int] = mapped_column(Integer)
    basically_satisfied: Mapped[int] = mapped_column(Integer)
    unsatisfied: Mapped[int] = mapped_column(Integer)


# --- building heads ------------------------------------------------------------------------

NOMINATION_METHODS = {"self": "自荐", "co": "联名推荐"}
APPOINTED = "appointed"
NOMINATION_STATUSES = {PUBLICITY: "公示中", APPOINTED: "已任命"}


class SelfgovBuildingHeadNomination(Base):
    __tablename__ = "selfgov_building_head_nomination"
    __table_args__ = (Index("ix_selfgov_building_head_nomination_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The building (楼栋) the head is for.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    method: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # Co-nomination (联名推荐): the residents who recommend, as registry ids, comma-separated.
    recommender_ids: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    publicity_from: Mapped[date] = mapped_column(Date)
    publicity_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(CODE_LENGTH), default=PUBLICITY)
    appointed_on: Mapped[date | None] = mapped_column(Date)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("post_assignment.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovBuildingHeadObjection(Base):
    """An objection by real name (实名) during the publicity period, and the answer."""

    __tablename__ = "selfgov_building_head_objection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("selfgov_building_head_nomination.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    raised_on: Mapped[date] = mapped_column(Date)


# --- initiatives ---------------------------------------------------------------------------

RESIDENTS = "residents"
HOUSEHOLDS = "households"
GROUPS = "groups"
REPRESENTATIVES = "representatives"
BASES = {
    RESIDENTS: "十八周岁以上居民联名",
    HOUSEHOLDS: "户代表联名",
    GROUPS: "居民小组提议",
    REPRESENTATIVES: "成员代表联名",
}
COLLECTING = "collecting"
REACHED = "reached"
MET = "met"
INITIATIVE_STATUSES = {COLLECTING: "征集中", REACHED: "已达法定人数，待召开会议", MET: "已召开会议"}


class SelfgovInitiative(Base):
    """A proposal to convene an extraordinary assembly (临时会议)."""

    __tablename__ = "selfgov_initiative"
    __table_args__ = (Index("ix_selfgov_initiative_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    purpose: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(String(CODE_LENGTH))
    opened_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(CODE_LENGTH), default=COLLECTING)
    reached_on: Mapped[date | None] = mapped_column(Date)
    # When reached: the number the signatures were measured against, and the count.
    base_count: Mapped[int | None] = mapped_column(Integer)
    signature_count: Mapped[int | None] = mapped_column(Integer)
    # The meeting the committee owes (core reporting, per event).
    obligation_instance_id: Mapped[int | None] = mapped_column(
        ForeignKey("obligation_instance.id", ondelete="SET NULL")
    )
    meeting_held_on: Mapped[date | None] = mapped_column(Date)
    # The extraordinary meeting (core meetings) that answered the initiative.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="RESTRICT"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovInitiativeSignature(Base):
    __tablename__ = "selfgov_initiative_signature"
    __table_args__ = (Index("uq_selfgov_initiative_signature_resident", "initiative_id", "resident_id", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("selfgov_initiative.id", ondelete="CASCADE"))
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    # What the signature counts for: the household (户) or residents' group (居民小组) it speaks for.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    group_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id", ondelete="SET NULL"))
    signed_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- hearings ------------------------------------------------------------------------------

# The five steps (000): 议题 → 居委会情况介绍 → 讨论 → 政府部门解答 → 表决.
TOPIC = "topic"
BRIEFING = "briefing"
DISCUSSION = "discussion"
ANSWERS = "government_answers"
VOTE = "vote"
HEARING_STEPS = {
    TOPIC: "提出听证议题",
    BRIEFING: "居委会介绍情况",
    DISCUSSION: "听证人员讨论",
    ANSWERS: "政府部门解答法律政策",
    VOTE: "听证表决",
}
HEARING_SCOPES = {
    "security": "社区治安",
    "environment": "环境卫生",
    "fumes_noise": "油烟噪声扰民",
    "street_stalls": "占道经营",
    "illegal_building": "违章建筑",
    "facilities": "公共设施",
    "hardship_donation": "为突发困难居民募捐",
    "public_works_funds": "兴办公益事业筹资筹劳",
    "other": "其他居民关心的事项",
}


class SelfgovHearing(Base):
    __tablename__ = "selfgov_hearing"
    __table_args__ = (Index("ix_selfgov_hearing_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    matter: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    scope: Mapped[str] = mapped_column(String(CODE_LENGTH))
    held_on: Mapped[date] = mapped_column(Date)
    # The last step taken (one of HEARING_STEPS), none before the topic is put.
    step: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    abstentions: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    result: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None] = mapped_column(Date)
    # The board notice publishing the result (core board), and why it came late, if it did.
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    publication_drafted_on: Mapped[date | None] = mapped_column(Date)
    late_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    # The written transmission to the department or street office concerned.
    sent_to: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    sent_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovHearingStep(Base):
    __tablename__ = "selfgov_hearing_step"
    __table_args__ = (Index("uq_selfgov_hearing_step", "hearing_id", "step", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("selfgov_hearing.id", ondelete="CASCADE"))
    step: Mapped[str] = mapped_column(String(CODE_LENGTH))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovHearingParticipant(Base):
    """A participant: a registered resident, or (departments, the street
    office, units) a named outside participant. The committee decides who
    votes (听证表决权由社区居委会确定)."""

    __tablename__ = "selfgov_hearing_participant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hearing_id: Mapped[int] = mapped_column(ForeignKey("selfgov_hearing.id", ondelete="CASCADE"))
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    capacity: Mapped[str] = mapped_column(String(NAME_LENGTH))
    may_vote: Mapped[bool] = mapped_column(Boolean, default=False)


# --- convention and charter ----------------------------------------------------------------

CONVENTION = "convention"
CHARTER = "charter"
TEXT_KINDS = {CONVENTION: "居民公约", CHARTER: "社区居民自治章程"}
DRAFT = "draft"
ADOPTED = "adopted"
SUPERSEDED = "superseded"
VERSION_STATUSES = {DRAFT: "草案", ADOPTED: "现行", SUPERSEDED: "已被修订"}


class SelfgovText(Base):
    __tablename__ = "selfgov_text"
    __table_args__ = (
        Index("uq_selfgov_text_unit_kind", "org_unit_id", "kind", unique=True),
        Index("ix_selfgov_text_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SelfgovTextVersion(Base):
    __tablename__ = "selfgov_text_version"
    __table_args__ = (
        Index("uq_selfgov_text_version_number", "text_id", "number", unique=True),
        Index("ix_selfgov_text_version_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("selfgov_text.id", ondelete="CASCADE"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    number: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(CODE_LENGTH), default=DRAFT)
    drafted_on: Mapped[date] = mapped_column(Date)
    discussion: Mapped[str | None] = mapped_column(Text)
    adopted_on: Mapped[date | None] = mapped_column(Date)
    # The assembly resolution that adopted it (core meetings).
    adoption_resolution_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_resolution.id", ondelete="RESTRICT"))
    adopted_by: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS: tuple[type, ...] = (
    SelfgovRecall,
    SelfgovElection,
    SelfgovElectionCommitteeMember,
    SelfgovVoter,
    SelfgovCandidate,
    SelfgovRepresentativeSeat,
    SelfgovAppraisal,
    SelfgovAppraisalRating,
    SelfgovBuildingHeadNomination,
    SelfgovBuildingHeadObjection,
    SelfgovInitiative,
    SelfgovInitiativeSignature,
    SelfgovHearing,
    SelfgovHearingStep,
    SelfgovHearingParticipant,
    SelfgovText,
    SelfgovTextVersion,
)
