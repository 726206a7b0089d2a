"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="矛盾纠纷的类别。")
class DisputeCategory(Enum):
    FAMILY = strawberry.enum_value("family", description="婚姻家庭纠纷")
    NEIGHBOUR = strawberry.enum_value("neighbour", description="邻里纠纷")
    PROPERTY = strawberry.enum_value("property", description="房屋物业纠纷")
    LABOUR = strawberry.enum_value("labour", description="劳动争议")
    LAND = strawberry.enum_value("land", description="土地山林纠纷")
    DEMOLITION = strawberry.enum_value("demolition", description="征地拆迁纠纷")
    CONTRACT = strawberry.enum_value("contract", description="合同债务纠纷")
    DAMAGE = strawberry.enum_value("damage", description="损害赔偿纠纷")
    OTHER = strawberry.enum_value("other", description="其他纠纷")


@strawberry.enum(description="矛盾纠纷个案的来源。")
class DisputeSource(Enum):
    SCREENING = strawberry.enum_value("screening", description="排查发现")
    WALK_IN = strawberry.enum_value("walk_in", description="群众来访")
    PETITION = strawberry.enum_value("petition", description="信访转办")
    GRID_REPORT = strawberry.enum_value("grid_report", description="网格上报")
    REFERRAL = strawberry.enum_value("referral", description="部门移交")


@strawberry.enum(description="矛盾纠纷的风险等级。")
class DisputeRiskLevel(Enum):
    MINOR = strawberry.enum_value("minor", description="简单纠纷")
    ORDINARY = strawberry.enum_value("ordinary", description="一般纠纷")
    MAJOR = strawberry.enum_value("major", description="重大纠纷")


@strawberry.enum(description="矛盾纠纷的紧急情形。")
class DisputeEmergency(Enum):
    GROUP_INCIDENT = strawberry.enum_value("group_incident", description="可能引发群体性事件")
    MASS_PETITION = strawberry.enum_value("mass_petition", description="可能引发集体上访")


@strawberry.enum(description="矛盾纠纷个案的状态。")
class DisputeCaseStatus(Enum):
    REGISTERED = strawberry.enum_value("registered", description="已登记")
    ESCALATED = strawberry.enum_value("escalated", description="已上报待受理")
    HANDED_DOWN = strawberry.enum_value("handed_down", description="已下交待受理")
    ACCEPTED = strawberry.enum_value("accepted", description="已受理")
    MEDIATING = strawberry.enum_value("mediating", description="调处中")
    RESOLVED = strawberry.enum_value("resolved", description="已调处")
    FOLLOWED_UP = strawberry.enum_value("followed_up", description="已回访")
    CLOSED = strawberry.enum_value("closed", description="已结案")


@strawberry.enum(description="调解方式。")
class MediationType(Enum):
    PEOPLE = strawberry.enum_value("people", description="人民调解")
    ADMINISTRATIVE = strawberry.enum_value("administrative", description="行政调解")
    JUDICIAL = strawberry.enum_value("judicial", description="司法调解")
    JOINT = strawberry.enum_value("joint", description="联合调处")


@strawberry.enum(description="矛盾纠纷的调处结果。")
class DisputeOutcome(Enum):
    AGREEMENT = strawberry.enum_value("agreement", description="达成调解协议")
    RECONCILED = strawberry.enum_value("reconciled", description="当事人自行和解")
    REFERRED = strawberry.enum_value("referred", description="引导诉讼或仲裁")


@strawberry.enum(description="纠纷当事人的身份。")
class DisputePartyRole(Enum):
    APPLICANT = strawberry.enum_value("applicant", description="申请人")
    RESPONDENT = strawberry.enum_value("respondent", description="被申请人")
    THIRD_PARTY = strawberry.enum_value("third_party", description="第三人")


@strawberry.enum(description="居民诉求的受理渠道。")
class AppealChannel(Enum):
    WALK_IN = strawberry.enum_value("walk_in", description="来访")
    PHONE = strawberry.enum_value("phone", description="来电")
    HOTLINE = strawberry.enum_value("hotline", description="12345 热线转办")
    ONLINE = strawberry.enum_value("online", description="网上留言")
    LETTER = strawberry.enum_value("letter", description="来信")
    GRID = strawberry.enum_value("grid", description="网格员走访")


@strawberry.enum(description="居民诉求的办理状态。")
class AppealStatus(Enum):
    RECEIVED = strawberry.enum_value("received", description="已受理")
    FORWARDED = strawberry.enum_value("forwarded", description="已转办")
    RESOLVED = strawberry.enum_value("resolved", description="已办结待反馈")
    CLOSED = strawberry.enum_value("closed", description="已反馈")


@strawberry.enum(description="网格事件的类型（楼栋长“八必报”）。")
class GridEventKind(Enum):
    FACILITY_DAMAGE = strawberry.enum_value("facility_damage", description="公共设施损坏")
    DIRTY_ALLEY = strawberry.enum_value("dirty_alley", description="楼道小巷脏乱")
    NEW_PREGNANCY = strawberry.enum_value("new_pregnancy", description="新增怀孕")
    NEWCOMER = strawberry.enum_value("newcomer", description="新迁入人员")
    HOSPITALIZED = strawberry.enum_value("hospitalized", description="居民住院")
    HOUSE_RENTED = strawberry.enum_value("house_rented", description="房屋出租")
    SAFETY_HAZARD = strawberry.enum_value("safety_hazard", description="安全隐患")
    INSTABILITY = strawberry.enum_value("instability", description="不稳定因素")


@strawberry.enum(description="网格事件的分派状态。")
class GridEventRouting(Enum):
    ROUTED = strawberry.enum_value("routed", description="已分派")
    PENDING_REVIEW = strawberry.enum_value("pending_review", description="待社区核实")
    NOT_ROUTED = strawberry.enum_value("not_routed", description="未分派")


@strawberry.enum(description="重大不稳定事件的类别。")
class MediationIncidentKind(Enum):
    COLLECTIVE_PETITION = strawberry.enum_value("collective_petition", description="集体上访")
    GROUP_INCIDENT = strawberry.enum_value("group_incident", description="群体性事件")
    CULT_ACTIVITY = strawberry.enum_value("cult_activity", description="邪教和非法宗教活动")
    CRIMINAL_CASE = strawberry.enum_value("criminal_case", description="刑事案件")
    MAJOR_ACCIDENT = strawberry.enum_value("major_accident", description="重大治安灾害事故")
    SECURITY_PROBLEM = strawberry.enum_value("security_problem", description="突出治安问题")


@strawberry.enum(description="诉求人对办理结果的满意度。")
class AppealSatisfaction(Enum):
    SATISFIED = strawberry.enum_value("satisfied", description="满意")
    BASICALLY_SATISFIED = strawberry.enum_value("basically_satisfied", description="基本满意")
    DISSATISFIED = strawberry.enum_value("dissatisfied", description="不满意")
