"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="社区称号创建申请的状态。")
class TitleApplicationStatus(Enum):
    IN_PROGRESS = strawberry.enum_value("in_progress", description="创建中")
    APPROVED = strawberry.enum_value("approved", description="已命名")
    REJECTED = strawberry.enum_value("rejected", description="未通过")


@strawberry.enum(description="社区称号创建的步骤（自荐自评、逐级审报、分级审批）。")
class TitleApplicationStep(Enum):
    SELF_ASSESSMENT = strawberry.enum_value("self_assessment", description="自荐自评")
    STREET_REVIEW = strawberry.enum_value("street_review", description="街道办事处初审")
    DEMOCRATIC_EVALUATION = strawberry.enum_value("democratic_evaluation", description="民主测评")
    PUBLIC_NOTICE = strawberry.enum_value("public_notice", description="公示")
    DISTRICT_ACCEPTANCE = strawberry.enum_value("district_acceptance", description="区民政部门审核验收")
    APPROVAL = strawberry.enum_value("approval", description="区政府审批命名")


@strawberry.enum(description="考核项的计分方式。")
class AssessmentItemKind(Enum):
    INDICATOR = strawberry.enum_value("indicator", description="按指标计分")
    MANUAL = strawberry.enum_value("manual", description="人工评分（须附依据）")
    VETO = strawberry.enum_value("veto", description="一票否决项")


@strawberry.enum(description="考核等次。")
class AssessmentGrade(Enum):
    EXCELLENT = strawberry.enum_value("excellent", description="优秀")
    GOOD = strawberry.enum_value("good", description="良好")
    PASS = strawberry.enum_value("pass", description="称职（合格）")
    BASIC = strawberry.enum_value("basic", description="基本称职")
    FAIL = strawberry.enum_value("fail", description="不称职（不合格）")


@strawberry.enum(description="考核周期。")
class AssessmentCycle(Enum):
    MONTHLY = strawberry.enum_value("monthly", description="每月")
    QUARTERLY = strawberry.enum_value("quarterly", description="每季度")
    HALF_YEARLY = strawberry.enum_value("half_yearly", description="每半年")
    YEARLY = strawberry.enum_value("yearly", description="每年")


@strawberry.enum(description="社区称号。")
class CommunityTitle(Enum):
    QUALIFIED = strawberry.enum_value("qualified", description="合格社区")
    MODEL = strawberry.enum_value("model", description="示范社区")
    STANDARDIZED = strawberry.enum_value("standardized", description="规范化社区")
