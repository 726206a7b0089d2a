"""What family planning declares: permissions, audited record types,
locality-policy keys, the visit programme of its services, its document
class and its periodic report.

DOMAIN 2.2: the seeds date from before the policy changes of the last
decade; every number and every category (the age range of women of
childbearing age, which certificates a locality still issues, which
rewards and aid it grants) is locality policy with effective dates. The
historical coercive measures of the seeds (social maintenance fees,
"remedial measures") exist nowhere here: no status, category or action
names them, and a new pregnancy opens a service follow-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from core.auth.permissions import Permission
from core.policy.keys import PolicyKey, ValueType
from core.policy.service import resolve_for_units
from core.privacy.audited import AuditedRecordType
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS
from core.visits.models import Visit
from core.visits.programmes import VisitCategory, VisitProgramme
from plugins.family_planning import models as m

PLUGIN = "family_planning"
WORKER = "family_planning_worker"

# --- permissions ---------------------------------------------------------------------------

READ = Permission(
    "family_planning.read",
    "查阅婚育信息、出生、证明申请、服务跟进、计划生育协议和奖励扶助记录（须说明用途，每次查阅记入审计）",
    default_roles=(WORKER,),
    # Not even the system administrator reads these records: the 计生专干 role is
    # granted by whoever manages accounts at the unit, and that grant is audited.
    grantable_by=("user.manage",),
    withheld_from_admin=True,
)
SERVE = Permission(
    "family_planning.serve",
    "登记婚育信息和出生，受理和办理计划生育证明，跟进服务，签订计划生育协议，登记奖励扶助",
    default_roles=(WORKER,),
)
GOVERN = Permission(
    "family_planning.govern",
    "登记计划生育自治章程和协议书范本、监事会成员、计生协会会员和活动，生成四公开公告草稿和年度报告",
    default_roles=(WORKER, "committee_chair"),
)
SUPERVISE = Permission(
    "family_planning.supervise",
    "登记计划生育监事会的监督检查、发现的问题和整改情况",
    default_roles=("supervisor", "committee_chair"),
)
VIEW = Permission(
    "family_planning.view",
    "查看计划生育自治章程、协议书范本、监事会、计生协会和汇总统计（不含任何个人的婚育记录）",
    default_roles=(
        WORKER,
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
    ),
)
PERMISSIONS = (READ, SERVE, GOVERN, SUPERVISE, VIEW)

# --- audited record types ------------------------------------------------------------------

PROFILE = AuditedRecordType("FamilyPlanningProfile", "婚育信息", m.Profile, READ.code)
BIRTH = AuditedRecordType("FamilyPlanningBirth", "出生登记", m.Birth, READ.code)
CERTIFICATE = AuditedRecordType("FamilyPlanningCertificate", "计划生育证明申请", m.Certificate, READ.code)
FOLLOW_UP = AuditedRecordType("FamilyPlanningFollowUp", "计划生育服务跟进", m.FollowUp, READ.code)
AGREEMENT = AuditedRecordType("FamilyPlanningAgreement", "计划生育协议书", m.Agreement, READ.code)
BENEFIT = AuditedRecordType("FamilyPlanningBenefit", "计划生育奖励扶助", m.Benefit, READ.code)
# The visits of the services programme (core visits, ``audited_as``): reads are
# logged under this name with the resident; not listed again among own records.
VISIT_READS = AuditedRecordType("FamilyPlanningVisit", "计划生育服务随访", Visit, SERVE.code, subject_column=None)
AUDITED = (PROFILE, BIRTH, CERTIFICATE, FOLLOW_UP, AGREEMENT, BENEFIT)

# --- catalogues (what a locality may switch on by policy) ------------------------------------

CERTIFICATE_KINDS = {
    "birth_registration": "生育登记",
    "second_birth_certificate": "再生育证明",
    "only_child_honour": "独生子女父母光荣证",
    "floating_marriage_birth": "流动人口婚育证明",
    "disabled_child_assessment": "病残儿医学鉴定",
}
BENEFIT_KINDS = {
    "only_child_reward": "独生子女父母奖励",
    "rural_reward_support": "农村部分计划生育家庭奖励扶助",
    "special_hardship_aid": "计划生育特殊家庭扶助",
    "poor_household_aid": "计划生育困难家庭帮扶",
}
MARITAL_STATUSES = {"unmarried": "未婚", "married": "已婚", "divorced": "离异", "widowed": "丧偶", "remarried": "再婚"}
CONTRACEPTION = {
    "none": "未采取措施",
    "iud": "宫内节育器",
    "sterilization": "绝育",
    "implant": "皮下埋植",
    "pill": "口服避孕药",
    "condom": "避孕套",
    "other": "其他",
}
CERTIFICATE_STATUSES = {"applied": "已受理", "issued": "已办结发证", "refused": "不予办理", "withdrawn": "已撤回"}
FOLLOW_UP_REASONS = {
    "new_pregnancy": "新增怀孕：孕期服务",
    "contraception": "避孕节育服务",
    "checkup": "健康检查",
    "postnatal": "产后访视",
}
FOLLOW_UP_STATUSES = {"open": "待跟进", "in_service": "服务中", "closed": "已结束"}
FOLLOW_UP_SOURCES = {"grid_event": "网格上报", "worker": "工作人员登记"}
BREACH_PARTIES = {"household": "户方", "committee": "居委会（村委会）及其成员"}
BOARD_SEATS = {"resident_representative": "居民代表", "association_member": "计生协会会员"}
ASSOCIATION_ROLES = {"president": "会长", "vice_president": "副会长", "member": "会员"}
ACTIVITY_KINDS = {
    "population_school": "人口学校",
    "publicity": "宣传教育",
    "service": "服务活动",
    "supervision": "民主监督",
}
TEXT_KINDS = {"charter": "计划生育村（居）民自治章程", "agreement_template": "计划生育协议书范本"}
DISCLOSURE_KINDS = {
    "policies": "（一）法律法规、政策和本社区（村）的计划生育自治章程",
    "births": "（二）本年度生育和证明办理情况",
    "benefits": "（三）奖励、扶助和优惠兑现情况",
    "participation": "（四）计生协会等群众组织参与和监督的规则",
}

# --- policy keys ---------------------------------------------------------------------------

AGE_MIN = PolicyKey(
    key="family_planning.childbearing_age.min",
    type=ValueType.INT,
    default=15,
    min=10,
    max=60,
    unit="岁",
    description="育龄妇女年龄下限（含本数；常见为 15 岁，由地方确定）",
)
AGE_MAX = PolicyKey(
    key="family_planning.childbearing_age.max",
    type=ValueType.INT,
    default=49,
    min=10,
    max=70,
    unit="岁",
    description="育龄妇女年龄上限（含本数；常见为 49 岁，由地方确定）",
)
CERTIFICATES_IN_USE = PolicyKey(
    key="family_planning.certificate_kinds",
    type=ValueType.STRING_LIST,
    default=["birth_registration", "second_birth_certificate", "only_child_honour", "floating_marriage_birth"],
    description="本地仍在办理的计划生育证明（可选："
    + "、".join(f"{k} {v}" for k, v in CERTIFICATE_KINDS.items())
    + "）；政策调整时按生效日期修改",
)
BENEFITS_IN_USE = PolicyKey(
    key="family_planning.benefit_kinds",
    type=ValueType.STRING_LIST,
    default=["only_child_reward", "special_hardship_aid", "poor_household_aid"],
    description="本地实行的计划生育奖励扶助项目（可选："
    + "、".join(f"{k} {v}" for k, v in BENEFIT_KINDS.items())
    + "）",
)
BENEFIT_NAMES_RULE = PolicyKey(
    key="family_planning.disclosure.benefit_names_rule",
    type=ValueType.STRING_LIST,
    default=[],
    description="要求公开奖励扶助对象姓名的规定（如“《某市独生子女父母奖励办法》第八条：奖励名单张榜公布”）；为空时四公开只公开人次和金额，不列姓名",
)
PREGNANCY_INTERVAL = PolicyKey(
    key="family_planning.visit_interval.pregnancy",
    type=ValueType.INT,
    default=30,
    min=1,
    max=365,
    unit="天",
    description="孕期服务随访周期（天）：种子材料只要求送服务上门，未规定周期；默认值由地方确定",
)
CONTRACEPTION_INTERVAL = PolicyKey(
    key="family_planning.visit_interval.contraception",
    type=ValueType.INT,
    default=90,
    min=1,
    max=730,
    unit="天",
    description="避孕节育服务上门随访周期（天）：种子材料未规定周期；默认值由地方确定",
)
REPORT_OWED = PolicyKey(
    key="family_planning.report.owed",
    type=ValueType.BOOLEAN,
    default=False,
    description="本单位是否按季度向上级报送计划生育统计报表（须报送的地方设为是；数字取自记录）",
)
REPORT_DUE_DAY = PolicyKey(
    key="family_planning.report.due_day",
    type=ValueType.DAY_OF_MONTH,
    default=10,
    description="计划生育季度统计报表的截止日：季度结束后次月第几日（由地方确定）",
)
ADOPTING_MEETINGS = PolicyKey(
    key="family_planning.adopting_meeting_kinds",
    type=ValueType.STRING_LIST,
    default=["representatives_assembly"],
    description="可以通过计划生育自治章程和协议书范本的会议类别（核心会议类别代码；种子材料：居民代表大会或居民会议表决通过）",
)
PUBLISH_REVIEWS = PolicyKey(
    key="family_planning.supervisory.publish_reviews",
    type=ValueType.BOOLEAN,
    default=True,
    description="监事会的监督检查结果（检查结论、发现的问题和整改情况）是否在公开栏公开（经党组织审核）；由地方确定",
)
DOCUMENT_YEARS = PolicyKey(
    key="family_planning.documents.retention_years",
    type=ValueType.INT,
    default=30,
    min=0,
    max=100,
    unit="年",
    description="计划生育证明申请材料的保管年限（0 为永久；计生档案由服务站立卷归档）",
)
POLICY_KEYS = (
    AGE_MIN,
    AGE_MAX,
    CERTIFICATES_IN_USE,
    BENEFITS_IN_USE,
    BENEFIT_NAMES_RULE,
    PREGNANCY_INTERVAL,
    CONTRACEPTION_INTERVAL,
    REPORT_OWED,
    REPORT_DUE_DAY,
    ADOPTING_MEETINGS,
    PUBLISH_REVIEWS,
    DOCUMENT_YEARS,
)

# --- services at the door: core visits ------------------------------------------------------

PROGRAMME_CODE = "family_planning.services"
VISITS = VisitProgramme(
    code=PROGRAMME_CODE,
    name="计划生育服务上门随访",
    categories=(
        VisitCategory("pregnancy", "孕期服务", PREGNANCY_INTERVAL, sensitive=True),
        VisitCategory("contraception", "避孕节育服务", CONTRACEPTION_INTERVAL, sensitive=True),
    ),
    record_permission=SERVE.code,
    view_permission=SERVE.code,
    audited_as="FamilyPlanningVisit",
)

# --- the periodic report ----------------------------------------------------------------------


def _owing(session: Any, units: Sequence[Any], period: tuple[date, date]) -> list[int]:
    values = resolve_for_units(session, list(units), REPORT_OWED, period[0])
    return [unit.id for unit in units if values[unit.id].value]


QUARTERLY_REPORT = ObligationType(
    code="family_planning.quarterly_report",
    name="计划生育季度统计报表",
    kind="report",
    levels=(ROLE_GRASSROOTS,),
    recurrence="quarterly",
    due=DueRule(REPORT_DUE_DAY.key, month_offset=1),
    description="育龄妇女、出生、证明办理、服务跟进和奖励扶助的汇总数，按季度上报；数字取自记录，不手工填写，不含任何个人信息。",
    generic_submission=False,
    owed_where=_owing,
)
OBLIGATION_TYPES = (QUARTERLY_REPORT,)
