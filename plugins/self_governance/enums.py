"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="居（村）委会选举的种类。")
class CommitteeElectionKind(Enum):
    GENERAL = strawberry.enum_value("general", description="换届选举")
    BY_ELECTION = strawberry.enum_value("by_election", description="补选")


@strawberry.enum(description="居（村）委会选举的进度。")
class CommitteeElectionStatus(Enum):
    PREPARING = strawberry.enum_value("preparing", description="筹备中")
    PUBLICITY = strawberry.enum_value("publicity", description="候选人公示中")
    CLOSED = strawberry.enum_value("closed", description="选举结束")
    INVALID = strawberry.enum_value("invalid", description="选举无效")


@strawberry.enum(description="候选人的状态。")
class ElectionCandidateStatus(Enum):
    NOMINATED = strawberry.enum_value("nominated", description="候选人")
    ELECTED = strawberry.enum_value("elected", description="当选")
    NOT_ELECTED = strawberry.enum_value("not_elected", description="未当选")


@strawberry.enum(description="楼栋长的推荐方式。")
class BuildingHeadNominationMethod(Enum):
    SELF = strawberry.enum_value("self", description="自荐")
    CO = strawberry.enum_value("co", description="联名推荐")


@strawberry.enum(description="楼栋长推荐的状态。")
class BuildingHeadNominationStatus(Enum):
    PUBLICITY = strawberry.enum_value("publicity", description="公示中")
    APPOINTED = strawberry.enum_value("appointed", description="已任命")


@strawberry.enum(description="居民联名提议召开会议的进度。")
class ResidentInitiativeStatus(Enum):
    COLLECTING = strawberry.enum_value("collecting", description="征集中")
    REACHED = strawberry.enum_value("reached", description="已达法定人数，待召开会议")
    MET = strawberry.enum_value("met", description="已召开会议")


@strawberry.enum(description="听证会的步骤（议题 → 情况介绍 → 讨论 → 政府部门解答 → 表决）。")
class HearingStep(Enum):
    TOPIC = strawberry.enum_value("topic", description="提出听证议题")
    BRIEFING = strawberry.enum_value("briefing", description="居委会介绍情况")
    DISCUSSION = strawberry.enum_value("discussion", description="听证人员讨论")
    GOVERNMENT_ANSWERS = strawberry.enum_value("government_answers", description="政府部门解答法律政策")
    VOTE = strawberry.enum_value("vote", description="听证表决")


@strawberry.enum(description="居民自治文本的种类。")
class SelfGovernanceTextKind(Enum):
    CONVENTION = strawberry.enum_value("convention", description="居民公约")
    CHARTER = strawberry.enum_value("charter", description="社区居民自治章程")


@strawberry.enum(description="自治文本版本的状态。")
class SelfGovernanceTextVersionStatus(Enum):
    DRAFT = strawberry.enum_value("draft", description="草案")
    ADOPTED = strawberry.enum_value("adopted", description="现行")
    SUPERSEDED = strawberry.enum_value("superseded", description="已被修订")


@strawberry.enum(description="听证事项的范围。")
class HearingScope(Enum):
    SECURITY = strawberry.enum_value("security", description="社区治安")
    ENVIRONMENT = strawberry.enum_value("environment", description="环境卫生")
    FUMES_NOISE = strawberry.enum_value("fumes_noise", description="油烟噪声扰民")
    STREET_STALLS = strawberry.enum_value("street_stalls", description="占道经营")
    ILLEGAL_BUILDING = strawberry.enum_value("illegal_building", description="违章建筑")
    FACILITIES = strawberry.enum_value("facilities", description="公共设施")
    HARDSHIP_DONATION = strawberry.enum_value("hardship_donation", description="为突发困难居民募捐")
    PUBLIC_WORKS_FUNDS = strawberry.enum_value("public_works_funds", description="兴办公益事业筹资筹劳")
    OTHER = strawberry.enum_value("other", description="其他居民关心的事项")


@strawberry.enum(description="选举委员会中的职务。")
class ElectionCommitteeRole(Enum):
    CHAIR = strawberry.enum_value("chair", description="主任")
    MEMBER = strawberry.enum_value("member", description="委员")


@strawberry.enum(description="民主评议居委会成员的等次。")
class CommitteeMemberAppraisalGrade(Enum):
    SATISFIED = strawberry.enum_value("satisfied", description="称职")
    BASICALLY_SATISFIED = strawberry.enum_value("basically_satisfied", description="基本称职")
    UNSATISFIED = strawberry.enum_value("unsatisfied", description="不称职")


@strawberry.enum(description="候选人的提名方式。")
class CandidateNomination(Enum):
    GROUP = strawberry.enum_value("group", description="居民小组提名")
    CIVIC = strawberry.enum_value("civic", description="群众团体提名")
    SELF = strawberry.enum_value("self", description="自荐")


@strawberry.enum(description="居民联名提议的计算依据。")
class ResidentInitiativeBasis(Enum):
    RESIDENTS = strawberry.enum_value("residents", description="十八周岁以上居民联名")
    HOUSEHOLDS = strawberry.enum_value("households", description="户代表联名")
    GROUPS = strawberry.enum_value("groups", description="居民小组提议")
    REPRESENTATIVES = strawberry.enum_value("representatives", description="成员代表联名")
