"""GraphQL enums of the closed code sets this module stores (each value is the stored code)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="计划生育证明办理的状态。")
class FamilyPlanningCertificateStatus(Enum):
    APPLIED = strawberry.enum_value("applied", description="已受理")
    ISSUED = strawberry.enum_value("issued", description="已办结发证")
    REFUSED = strawberry.enum_value("refused", description="不予办理")
    WITHDRAWN = strawberry.enum_value("withdrawn", description="已撤回")


@strawberry.enum(description="计划生育跟进服务的事由。")
class FamilyPlanningFollowUpReason(Enum):
    NEW_PREGNANCY = strawberry.enum_value("new_pregnancy", description="新增怀孕：孕期服务")
    CONTRACEPTION = strawberry.enum_value("contraception", description="避孕节育服务")
    CHECKUP = strawberry.enum_value("checkup", description="健康检查")
    POSTNATAL = strawberry.enum_value("postnatal", description="产后访视")


@strawberry.enum(description="计划生育跟进服务的状态。")
class FamilyPlanningFollowUpStatus(Enum):
    OPEN = strawberry.enum_value("open", description="待跟进")
    IN_SERVICE = strawberry.enum_value("in_service", description="服务中")
    CLOSED = strawberry.enum_value("closed", description="已结束")


@strawberry.enum(description="婚姻状况。")
class MaritalStatus(Enum):
    UNMARRIED = strawberry.enum_value("unmarried", description="未婚")
    MARRIED = strawberry.enum_value("married", description="已婚")
    DIVORCED = strawberry.enum_value("divorced", description="离异")
    WIDOWED = strawberry.enum_value("widowed", description="丧偶")
    REMARRIED = strawberry.enum_value("remarried", description="再婚")


@strawberry.enum(description="计划生育自治文本的种类。")
class FamilyPlanningTextKind(Enum):
    CHARTER = strawberry.enum_value("charter", description="计划生育村（居）民自治章程")
    AGREEMENT_TEMPLATE = strawberry.enum_value("agreement_template", description="计划生育协议书范本")


@strawberry.enum(description="计划生育协会活动的种类。")
class FamilyPlanningActivityKind(Enum):
    POPULATION_SCHOOL = strawberry.enum_value("population_school", description="人口学校")
    PUBLICITY = strawberry.enum_value("publicity", description="宣传教育")
    SERVICE = strawberry.enum_value("service", description="服务活动")
    SUPERVISION = strawberry.enum_value("supervision", description="民主监督")


@strawberry.enum(description="计划生育“四公开”的内容。")
class FamilyPlanningDisclosureKind(Enum):
    POLICIES = strawberry.enum_value("policies", description="（一）法律法规、政策和本社区（村）的计划生育自治章程")
    BIRTHS = strawberry.enum_value("births", description="（二）本年度生育和证明办理情况")
    BENEFITS = strawberry.enum_value("benefits", description="（三）奖励、扶助和优惠兑现情况")
    PARTICIPATION = strawberry.enum_value("participation", description="（四）计生协会等群众组织参与和监督的规则")


@strawberry.enum(description="计划生育证明的类别（本地现行办理哪些见策略 family_planning.certificate_kinds）。")
class FamilyPlanningCertificateKind(Enum):
    BIRTH_REGISTRATION = strawberry.enum_value("birth_registration", description="生育登记")
    SECOND_BIRTH_CERTIFICATE = strawberry.enum_value("second_birth_certificate", description="再生育证明")
    ONLY_CHILD_HONOUR = strawberry.enum_value("only_child_honour", description="独生子女父母光荣证")
    FLOATING_MARRIAGE_BIRTH = strawberry.enum_value("floating_marriage_birth", description="流动人口婚育证明")
    DISABLED_CHILD_ASSESSMENT = strawberry.enum_value("disabled_child_assessment", description="病残儿医学鉴定")


@strawberry.enum(description="计划生育奖励扶助项目（本地现行哪些见策略 family_planning.benefit_kinds）。")
class FamilyPlanningBenefitKind(Enum):
    ONLY_CHILD_REWARD = strawberry.enum_value("only_child_reward", description="独生子女父母奖励")
    RURAL_REWARD_SUPPORT = strawberry.enum_value("rural_reward_support", description="农村部分计划生育家庭奖励扶助")
    SPECIAL_HARDSHIP_AID = strawberry.enum_value("special_hardship_aid", description="计划生育特殊家庭扶助")
    POOR_HOUSEHOLD_AID = strawberry.enum_value("poor_household_aid", description="计划生育困难家庭帮扶")


@strawberry.enum(description="违反计划生育协议的一方。")
class FamilyPlanningBreachParty(Enum):
    HOUSEHOLD = strawberry.enum_value("household", description="户方")
    COMMITTEE = strawberry.enum_value("committee", description="居委会（村委会）及其成员")


@strawberry.enum(description="避孕节育情况。")
class ContraceptionMethod(Enum):
    NONE = strawberry.enum_value("none", description="未采取措施")
    IUD = strawberry.enum_value("iud", description="宫内节育器")
    STERILIZATION = strawberry.enum_value("sterilization", description="绝育")
    IMPLANT = strawberry.enum_value("implant", description="皮下埋植")
    PILL = strawberry.enum_value("pill", description="口服避孕药")
    CONDOM = strawberry.enum_value("condom", description="避孕套")
    OTHER = strawberry.enum_value("other", description="其他")


@strawberry.enum(description="计划生育跟进服务的来源。")
class FamilyPlanningFollowUpSource(Enum):
    GRID_EVENT = strawberry.enum_value("grid_event", description="网格上报")
    WORKER = strawberry.enum_value("worker", description="工作人员登记")
