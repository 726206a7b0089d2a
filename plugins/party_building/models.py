"""Party building (党建) records.

Party organizations form their own tree (``parent_id`` and ``party_path``,
a materialized path of that tree, ``/3/8/``), mapped onto the
administrative tree through ``org_unit_id``: a building branch may be
attached to a building, a general branch to a community. ``org_path`` copies
the attached unit's path so that "the party organizations, members and
meetings under this street" is one index range and re-zoning moves them
along (``core.org.service.path_copy_tables``). The party path is named
``party_path`` precisely so that re-zoning never rewrites it.

Members reference residents in the core registry (``resident_id``), never a
copy of the person.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, binary_string, utcnow
from core.org.models import PATH_LENGTH

NAME_LENGTH = 100
CODE_LENGTH = 32
TITLE_LENGTH = 200

# --- organizations -----------------------------------------------------------------------

BRANCH = "branch"
GENERAL_BRANCH = "general_branch"
COMMITTEE = "committee"
BIG_COMMITTEE = "big_committee"
ORGANIZATION_TYPES = {
    BRANCH: "党支部",
    GENERAL_BRANCH: "党总支",
    COMMITTEE: "党委",
    BIG_COMMITTEE: "大党委",
}


class PartyOrganization(Base):
    __tablename__ = "party_organization"
    __table_args__ = (
        Index("ix_party_organization_party_path", "party_path", unique=True),
        Index("ix_party_organization_org_path_id", "org_path", "id"),
        Index("ix_party_organization_parent_id_id", "parent_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    # The party tree's own materialized path; not an org-unit path.
    party_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    depth: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    org_type: Mapped[str] = mapped_column(String(CODE_LENGTH))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    # Whether the organization has party groups (党小组), which owe group meetings.
    has_groups: Mapped[bool] = mapped_column(Boolean, default=False)
    established_on: Mapped[date | None] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    # The core body (``core.posts``) where its committee's posts are recorded:
    # who is secretary is one fact, read by every module from core's posts.
    body_id: Mapped[int | None] = mapped_column(ForeignKey("body.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- members -----------------------------------------------------------------------------

PROBATIONARY = "probationary"
FULL = "full"
MEMBER_STATUSES = {PROBATIONARY: "预备党员", FULL: "正式党员"}

SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"
COMMITTEE_MEMBER = "committee_member"
COMMITTEE_ROLES = {SECRETARY: "书记", DEPUTY_SECRETARY: "副书记", COMMITTEE_MEMBER: "委员"}


class PartyMember(Base):
    """A resident's membership of one party organization. ``left_on`` ends it
    (transfer out, death, removal); a resident has one current membership.

    A seat on a big party committee (大党委) is a row with ``seat_only``: the
    holder keeps their membership where it is (dual management without
    changing affiliation, 002); ``member_unit_id`` names the member unit the
    seat represents."""

    __tablename__ = "party_member"
    __table_args__ = (
        Index("ix_party_member_org_path_id", "org_path", "id"),
        Index("ix_party_member_organization_id_id", "organization_id", "id"),
        Index(
            "uq_party_member_current",
            "resident_id",
            unique=True,
            sqlite_where=text("left_on IS NULL AND NOT seat_only"),
            postgresql_where=text("left_on IS NULL AND NOT seat_only"),
        ),
        # One secretary per organization, even when two people appoint one at once.
        Index(
            "uq_party_member_secretary",
            "organization_id",
            unique=True,
            sqlite_where=text("committee_role = 'secretary' AND left_on IS NULL"),
            postgresql_where=text("committee_role = 'secretary' AND left_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    # The organization's unit: membership is scoped where the organization is.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    status: Mapped[str] = mapped_column(String(CODE_LENGTH))
    joined_on: Mapped[date] = mapped_column(Date)
    full_on: Mapped[date | None] = mapped_column(Date)
    committee_role: Mapped[str | None] = mapped_column(String(CODE_LENGTH))
    # 流动党员: away from the organization (working elsewhere), still its member.
    flowing: Mapped[bool] = mapped_column(Boolean, default=False)
    flowing_destination: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    left_on: Mapped[date | None] = mapped_column(Date)
    left_reason: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    seat_only: Mapped[bool] = mapped_column(Boolean, default=False)
    member_unit_id: Mapped[int | None] = mapped_column(ForeignKey("party_member_unit.id", ondelete="SET NULL"))
    # The core post assignment of the committee role, while it is held.
    post_assignment_id: Mapped[int | None] = mapped_column(ForeignKey("post_assignment.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PartyMemberTransfer(Base):
    """组织关系转接: one move of a member between organizations, kept as history."""

    __tablename__ = "party_member_transfer"
    __table_args__ = (Index("ix_party_member_transfer_member_id_id", "member_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="CASCADE"))
    from_organization_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    to_organization_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    transferred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- meetings ----------------------------------------------------------------------------

MEMBERS_MEETING = "members_meeting"
COMMITTEE_MEETING = "committee_meeting"
GROUP_MEETING = "group_meeting"
PARTY_LECTURE = "party_lecture"
DEMOCRATIC_LIFE = "democratic_life"
ENLARGED_MEETING = "enlarged_meeting"
MEETING_TYPES = {
    MEMBERS_MEETING: "支部党员大会",
    COMMITTEE_MEETING: "支部委员会",
    GROUP_MEETING: "党小组会",
    PARTY_LECTURE: "党课",
    DEMOCRATIC_LIFE: "民主生活会（组织生活会）",
    ENLARGED_MEETING: "大党委（扩大）会议",
}


# The meetings themselves are core meetings (``core.meetings``) of the kinds
# ``party_building.<type>`` (``plugins.party_building.meeting_kinds``), held by
# a party organization (``host_type`` PartyOrganization, ``host_id``).


class DemocraticLifePlan(Base):
    """A planned 民主生活会: its topic and date are reported to the superior
    ahead of time through a per-event reporting obligation."""

    __tablename__ = "party_democratic_life_plan"
    __table_args__ = (Index("ix_party_democratic_life_plan_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    planned_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    report_instance_id: Mapped[int] = mapped_column(ForeignKey("obligation_instance.id", ondelete="RESTRICT"))
    reported_on: Mapped[date | None] = mapped_column(Date)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- member development (两推一评一考一公示) ---------------------------------------------

STARTED = "started"
MEMBER_NOMINATED = "member_nominated"
NOMINATED = "nominated"
EVALUATED = "evaluated"
EXAMINED = "examined"
NOTICE_DRAFTED = "notice_drafted"
ADMITTED = "admitted"
NOT_ACCEPTED = "not_accepted"
EXAM_FAILED = "exam_failed"
REJECTED = "rejected"
DEVELOPMENT_STAGES = {
    STARTED: "已列入培养",
    MEMBER_NOMINATED: "党员已推荐",
    NOMINATED: "群众（代表）已推荐",
    EVALUATED: "测评通过",
    EXAMINED: "考试合格",
    NOTICE_DRAFTED: "公示中",
    ADMITTED: "支部大会通过",
    NOT_ACCEPTED: "测评未通过",
    EXAM_FAILED: "考试不合格",
    REJECTED: "支部大会未通过",
}


class DevelopmentCase(Base):
    __tablename__ = "party_development_case"
    __table_args__ = (Index("ix_party_development_case_org_path_id", "org_path", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    stage: Mapped[str] = mapped_column(String(CODE_LENGTH))
    started_on: Mapped[date] = mapped_column(Date)
    member_nominated_on: Mapped[date | None] = mapped_column(Date)
    member_nominations: Mapped[int | None] = mapped_column(Integer)
    representative_nominated_on: Mapped[date | None] = mapped_column(Date)
    representative_nominations: Mapped[int | None] = mapped_column(Integer)
    evaluated_on: Mapped[date | None] = mapped_column(Date)
    evaluation_approvals: Mapped[int | None] = mapped_column(Integer)
    evaluation_participants: Mapped[int | None] = mapped_column(Integer)
    examined_on: Mapped[date | None] = mapped_column(Date)
    exam_score: Mapped[int | None] = mapped_column(Integer)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("notice.id", ondelete="RESTRICT"))
    branch_meeting_on: Mapped[date | None] = mapped_column(Date)
    branch_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- in-service members (一卡一簿一单) ----------------------------------------------------

CONTACT = "contact"
ACTIVITY = "activity"
IN_SERVICE_ENTRY_KINDS = {CONTACT: "与社区联系报到", ACTIVITY: "参加社区活动"}


class InServiceRegistration(Base):
    """一卡: an in-service member's registration card at the community where
    they live; their membership stays with the workplace organization."""

    __tablename__ = "party_in_service_registration"
    __table_args__ = (
        Index("ix_party_in_service_registration_org_path_id", "org_path", "id"),
        Index(
            "uq_party_in_service_registration_current",
            "resident_id",
            unique=True,
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resident_id: Mapped[int] = mapped_column(ForeignKey("resident.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    workplace: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    workplace_organization: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    registered_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InServiceEntry(Base):
    """一簿: one line of the community performance record."""

    __tablename__ = "party_in_service_entry"
    __table_args__ = (Index("ix_party_in_service_entry_registration_id_on", "registration_id", "entry_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("party_in_service_registration.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    entry_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FeedbackSlip(Base):
    """一单: the quarterly feedback slip sent to the workplace organization,
    generated from the record and kept as sent."""

    __tablename__ = "party_feedback_slip"
    __table_args__ = (
        Index("uq_party_feedback_slip_registration_quarter", "registration_id", "year", "quarter", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("party_in_service_registration.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    contacts: Mapped[int] = mapped_column(Integer)
    activities: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    sent_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- household contact (联户) -------------------------------------------------------------


class HouseholdAssignment(Base):
    __tablename__ = "party_household_assignment"
    __table_args__ = (
        Index("ix_party_household_assignment_org_path_id", "org_path", "id"),
        Index("ix_party_household_assignment_member_id", "member_id"),
        Index(
            "uq_party_household_assignment_current",
            "household_id",
            unique=True,
            sqlite_where=text("ended_on IS NULL"),
            postgresql_where=text("ended_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="RESTRICT"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="RESTRICT"))
    # The household's unit: coverage is read where the households are.
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    assigned_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


class HouseholdContact(Base):
    __tablename__ = "party_household_contact"
    __table_args__ = (Index("ix_party_household_contact_assignment_id_on", "assignment_id", "contacted_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("party_household_assignment.id", ondelete="CASCADE"))
    contacted_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(CODE_LENGTH))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- appraisal ------------------------------------------------------------------------------

QUALIFIED = "qualified"
CORRECTION = "correction_period"
CORRECTED = "corrected"
PERSUADED_TO_LEAVE = "persuaded_to_leave"
REMOVED = "removed"
APPRAISAL_OUTCOMES = {
    QUALIFIED: "合格",
    CORRECTION: "不合格：限期改正",
    CORRECTED: "不合格：限期内已改正",
    PERSUADED_TO_LEAVE: "不合格：劝其退党",
    REMOVED: "不合格：除名",
}
# 限期改正、劝退、除名 (003): a procedure, one step after the other; the step
# each one follows.
DISPOSAL_STEPS = {CORRECTED: CORRECTION, PERSUADED_TO_LEAVE: CORRECTION, REMOVED: PERSUADED_TO_LEAVE}


class Appraisal(Base):
    __tablename__ = "party_appraisal"
    __table_args__ = (
        Index("uq_party_appraisal_member_year_half", "member_id", "year", "half", unique=True),
        Index("ix_party_appraisal_org_path_id", "org_path", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("party_member.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    year: Mapped[int] = mapped_column(Integer)
    half: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer)
    # The current step of the procedure for an unqualified member.
    outcome: Mapped[str] = mapped_column(String(CODE_LENGTH))
    comment: Mapped[str | None] = mapped_column(Text)
    appraised_on: Mapped[date] = mapped_column(Date)
    # 限期改正: the last day of the correction period.
    correction_until: Mapped[date | None] = mapped_column(Date)
    corrected_on: Mapped[date | None] = mapped_column(Date)
    persuaded_on: Mapped[date | None] = mapped_column(Date)
    removed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- big party committee (大党委) -------------------------------------------------------------

DIRECT = "direct"
DUAL = "dual"
MANAGEMENT_KINDS = {DIRECT: "直接管理", DUAL: "双重管理（隶属关系不变）"}
UNIT_KINDS = {
    "agency": "机关事业单位",
    "enterprise": "企业",
    "school": "学校",
    "two_new": "“两新”组织",
    "other": "其他",
}


class MemberUnit(Base):
    """A resident unit (驻区单位) that is a member unit of a big party
    committee. Core has no resident-unit model, so the plugin keeps this one."""

    __tablename__ = "party_member_unit"
    __table_args__ = (
        Index("ix_party_member_unit_org_path_id", "org_path", "id"),
        Index("ix_party_member_unit_big_committee_id_id", "big_committee_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    big_committee_id: Mapped[int] = mapped_column(ForeignKey("party_organization.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    org_path: Mapped[str] = mapped_column(binary_string(PATH_LENGTH))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    unit_kind: Mapped[str] = mapped_column(String(CODE_LENGTH))
    management: Mapped[str] = mapped_column(String(CODE_LENGTH))
    # The unit's own party organization and its superior (for dual management
    # and for sending appraisal results), as text: often outside this deployment.
    home_organization: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MemberUnitAppraisal(Base):
    __tablename__ = "party_member_unit_appraisal"
    __table_args__ = (Index("uq_party_member_unit_appraisal_unit_year", "member_unit_id", "year", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    member_unit_id: Mapped[int] = mapped_column(ForeignKey("party_member_unit.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    score: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(CODE_LENGTH))
    comment: Mapped[str | None] = mapped_column(Text)
    sent_to_home_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MODELS: tuple[type, ...] = (
    PartyOrganization,
    PartyMember,
    PartyMemberTransfer,
    DemocraticLifePlan,
    DevelopmentCase,
    InServiceRegistration,
    InServiceEntry,
    FeedbackSlip,
    HouseholdAssignment,
    HouseholdContact,
    Appraisal,
    MemberUnit,
    MemberUnitAppraisal,
)
