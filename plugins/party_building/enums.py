"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="党组织的类型。")
class PartyOrganizationKind(Enum):
    BRANCH = strawberry.enum_value("branch", description="党支部")
    GENERAL_BRANCH = strawberry.enum_value("general_branch", description="党总支")
    COMMITTEE = strawberry.enum_value("committee", description="党委")
    BIG_COMMITTEE = strawberry.enum_value("big_committee", description="大党委")


@strawberry.enum(description="党组织会议的类型。")
class PartyMeetingType(Enum):
    MEMBERS_MEETING = strawberry.enum_value("members_meeting", description="支部党员大会")
    COMMITTEE_MEETING = strawberry.enum_value("committee_meeting", description="支部委员会")
    GROUP_MEETING = strawberry.enum_value("group_meeting", description="党小组会")
    PARTY_LECTURE = strawberry.enum_value("party_lecture", description="党课")
    DEMOCRATIC_LIFE = strawberry.enum_value("democratic_life", description="民主生活会（组织生活会）")
    ENLARGED_MEETING = strawberry.enum_value("enlarged_meeting", description="大党委（扩大）会议")


@strawberry.enum(description="某类会议某一期的落实情况。")
class PartyMeetingComplianceStatus(Enum):
    DONE = strawberry.enum_value("done", description="已开")
    DUE = strawberry.enum_value("due", description="本期待开")
    OVERDUE = strawberry.enum_value("overdue", description="期满未开")


@strawberry.enum(description="发展党员的环节。")
class PartyDevelopmentStage(Enum):
    STARTED = strawberry.enum_value("started", description="已列入培养")
    MEMBER_NOMINATED = strawberry.enum_value("member_nominated", description="党员已推荐")
    NOMINATED = strawberry.enum_value("nominated", description="群众（代表）已推荐")
    EVALUATED = strawberry.enum_value("evaluated", description="测评通过")
    EXAMINED = strawberry.enum_value("examined", description="考试合格")
    NOTICE_DRAFTED = strawberry.enum_value("notice_drafted", description="公示中")
    ADMITTED = strawberry.enum_value("admitted", description="支部大会通过")
    NOT_ACCEPTED = strawberry.enum_value("not_accepted", description="测评未通过")
    EXAM_FAILED = strawberry.enum_value("exam_failed", description="考试不合格")
    REJECTED = strawberry.enum_value("rejected", description="支部大会未通过")


@strawberry.enum(description="在职党员到社区报到记录的种类。")
class InServiceEntryKind(Enum):
    CONTACT = strawberry.enum_value("contact", description="与社区联系报到")
    ACTIVITY = strawberry.enum_value("activity", description="参加社区活动")


@strawberry.enum(description="民主评议党员的结果及不合格的处置步骤。")
class PartyAppraisalOutcome(Enum):
    QUALIFIED = strawberry.enum_value("qualified", description="合格")
    CORRECTION_PERIOD = strawberry.enum_value("correction_period", description="不合格：限期改正")
    CORRECTED = strawberry.enum_value("corrected", description="不合格：限期内已改正")
    PERSUADED_TO_LEAVE = strawberry.enum_value("persuaded_to_leave", description="不合格：劝其退党")
    REMOVED = strawberry.enum_value("removed", description="不合格：除名")


@strawberry.enum(description="大党委成员单位的类型。")
class MemberUnitKind(Enum):
    AGENCY = strawberry.enum_value("agency", description="机关事业单位")
    ENTERPRISE = strawberry.enum_value("enterprise", description="企业")
    SCHOOL = strawberry.enum_value("school", description="学校")
    TWO_NEW = strawberry.enum_value("two_new", description="“两新”组织")
    OTHER = strawberry.enum_value("other", description="其他")


@strawberry.enum(description="党员类别。")
class PartyMembershipStatus(Enum):
    PROBATIONARY = strawberry.enum_value("probationary", description="预备党员")
    FULL = strawberry.enum_value("full", description="正式党员")


@strawberry.enum(description="党组织委员的职务。")
class PartyCommitteeRole(Enum):
    SECRETARY = strawberry.enum_value("secretary", description="书记")
    DEPUTY_SECRETARY = strawberry.enum_value("deputy_secretary", description="副书记")
    COMMITTEE_MEMBER = strawberry.enum_value("committee_member", description="委员")


@strawberry.enum(description="党员联系户的方式。")
class HouseholdContactMethod(Enum):
    VISIT = strawberry.enum_value("visit", description="入户走访")
    PHONE = strawberry.enum_value("phone", description="电话联系")
    ONLINE = strawberry.enum_value("online", description="微信等网络联系")
    MEETING = strawberry.enum_value("meeting", description="见面交流")


@strawberry.enum(description="大党委成员单位的评议等次。")
class MemberUnitAppraisalGrade(Enum):
    EXCELLENT = strawberry.enum_value("excellent", description="优秀")
    GOOD = strawberry.enum_value("good", description="良好")
    QUALIFIED = strawberry.enum_value("qualified", description="合格")
    UNQUALIFIED = strawberry.enum_value("unqualified", description="不合格")


@strawberry.enum(description="大党委对成员单位党员的管理方式。")
class MemberUnitManagement(Enum):
    DIRECT = strawberry.enum_value("direct", description="直接管理")
    DUAL = strawberry.enum_value("dual", description="双重管理（隶属关系不变）")
