"""What the mediation plugin declares: permissions, locality-policy keys,
obligation types, and the closed vocabularies of its records.

Every number of DOMAIN.md section 2.3 is a policy default here, never a
constant in the rules (a locality overrides it for its subtree).
"""

from __future__ import annotations

from core.auth.permissions import Permission
from core.policy.keys import PolicyKey, ValueType
from core.policy.thresholds import AT_LEAST, comparator_key
from core.reporting.calendar import TIMES_A_MONTH
from core.reporting.obligations import DueRule, ObligationType
from core.settings import LEVEL_ROLES, ROLE_COUNTY, ROLE_GRASSROOTS, ROLE_SUBDISTRICT

PLUGIN = "mediation"

# --- permissions ---------------------------------------------------------------------------

VIEW = Permission(
    "mediation.view",
    "查看矛盾纠纷个案、排查记录、月度统计表和网格事件",
    default_roles=(
        "grid_worker",
        "community_worker",
        "committee_chair",
        "party_secretary",
        "street_staff",
        "street_leader",
        "district_staff",
        "district_supervisor",
    ),
)
# District (county) staff take the cases escalated to them and finalize the major ones
# ("重大不出县", seed 000); the district supervisor inspects and does not handle.
HANDLE = Permission(
    "mediation.handle",
    "登记、受理、调处、上报、下交和结案矛盾纠纷个案",
    default_roles=("community_worker", "committee_chair", "street_staff", "street_leader", "district_staff"),
)
REPORT = Permission(
    "mediation.report",
    "登记矛盾纠纷排查结果，报送月度统计表（含零报告）",
    default_roles=("community_worker", "committee_chair", "street_staff", "street_leader"),
)
APPEAL = Permission(
    "mediation.appeal",
    "受理、转办、办结居民诉求并反馈",
    default_roles=("grid_worker", "community_worker", "committee_chair", "street_staff", "street_leader"),
)
SUPERVISE = Permission(
    "mediation.supervise",
    "督办：查看超期诉求、报送完成率和平安村评定",
    default_roles=("supervisor", "street_staff", "street_leader", "district_staff", "district_supervisor"),
)
REPORT_EVENT = Permission(
    "mediation.report_event",
    "上报网格事件（楼栋长“八必报”）",
    default_roles=("building_head", "grid_worker", "community_worker"),
)
REVEAL_PARTY = Permission(
    "mediation.reveal_party",
    "查看纠纷当事人和诉求人的身份证号、电话（记入审计）",
    default_roles=("committee_chair", "street_leader"),
)
REVEAL_FACTS = Permission(
    "mediation.reveal_facts",
    "查看纠纷个案的事实经过和调解协议全文（记入审计）",
    default_roles=("community_worker", "committee_chair", "street_staff", "street_leader", "district_staff"),
)

PERMISSIONS = (VIEW, HANDLE, REPORT, APPEAL, SUPERVISE, REPORT_EVENT, REVEAL_PARTY, REVEAL_FACTS)

# --- vocabularies --------------------------------------------------------------------------

CATEGORIES = {
    "family": "婚姻家庭纠纷",
    "neighbour": "邻里纠纷",
    "property": "房屋物业纠纷",
    "labour": "劳动争议",
    "land": "土地山林纠纷",
    "demolition": "征地拆迁纠纷",
    "contract": "合同债务纠纷",
    "damage": "损害赔偿纠纷",
    "other": "其他纠纷",
}
SOURCES = {
    "screening": "排查发现",
    "walk_in": "群众来访",
    "petition": "信访转办",
    "grid_report": "网格上报",
    "referral": "部门移交",
}
# 小事（简单纠纷）/一般纠纷/重大纠纷: which level may finalize each is policy.
RISK_LEVELS = {"minor": "简单纠纷", "ordinary": "一般纠纷", "major": "重大纠纷"}
EMERGENCIES = {"group_incident": "可能引发群体性事件", "mass_petition": "可能引发集体上访"}
MEDIATION_TYPES = {
    "people": "人民调解",
    "administrative": "行政调解",
    "judicial": "司法调解",
    "joint": "联合调处",
}
PARTY_ROLES = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人"}
OUTCOMES = {"agreement": "达成调解协议", "reconciled": "当事人自行和解", "referred": "引导诉讼或仲裁"}

REGISTERED = "registered"
ACCEPTED = "accepted"
MEDIATING = "mediating"
RESOLVED = "resolved"
FOLLOWED_UP = "followed_up"
CLOSED = "closed"
ESCALATED = "escalated"
HANDED_DOWN = "handed_down"
CASE_STATUSES = {
    REGISTERED: "已登记",
    ESCALATED: "已上报待受理",
    HANDED_DOWN: "已下交待受理",
    ACCEPTED: "已受理",
    MEDIATING: "调处中",
    RESOLVED: "已调处",
    FOLLOWED_UP: "已回访",
    CLOSED: "已结案",
}
OPEN_CASE_STATUSES = (REGISTERED, ESCALATED, HANDED_DOWN, ACCEPTED, MEDIATING)

APPEAL_CHANNELS = {
    "walk_in": "来访",
    "phone": "来电",
    "hotline": "12345 热线转办",
    "online": "网上留言",
    "letter": "来信",
    "grid": "网格员走访",
}
APPEAL_RECEIVED = "received"
APPEAL_FORWARDED = "forwarded"
APPEAL_RESOLVED = "resolved"
APPEAL_CLOSED = "closed"
APPEAL_STATUSES = {
    APPEAL_RECEIVED: "已受理",
    APPEAL_FORWARDED: "已转办",
    APPEAL_RESOLVED: "已办结待反馈",
    APPEAL_CLOSED: "已反馈",
}
SATISFACTION = {"satisfied": "满意", "basically_satisfied": "基本满意", "dissatisfied": "不满意"}
SATISFIED = ("satisfied", "basically_satisfied")

# 楼栋长"八必报" (seed 004) and where each type goes.
EVENT_TYPES = {
    "facility_damage": "公共设施损坏",
    "dirty_alley": "楼道小巷脏乱",
    "new_pregnancy": "新增怀孕",
    "newcomer": "新迁入人员",
    "hospitalized": "居民住院",
    "house_rented": "房屋出租",
    "safety_hazard": "安全隐患",
    "instability": "不稳定因素",
}
ROUTE_APPEAL = "appeal"
ROUTE_CASE = "dispute_case"
ROUTE_PEOPLE = "people_registry"
ROUTE_VISIT = "community_visit"
ROUTE_FAMILY_PLANNING = "family_planning"
EVENT_ROUTES = {
    "facility_damage": ROUTE_APPEAL,
    "dirty_alley": ROUTE_APPEAL,
    "new_pregnancy": ROUTE_FAMILY_PLANNING,
    "newcomer": ROUTE_PEOPLE,
    "hospitalized": ROUTE_VISIT,
    "house_rented": ROUTE_PEOPLE,
    "safety_hazard": ROUTE_APPEAL,
    "instability": ROUTE_CASE,
}
ROUTE_NAMES = {
    ROUTE_APPEAL: "转居民诉求办理",
    ROUTE_CASE: "登记为矛盾纠纷个案",
    ROUTE_PEOPLE: "提请更新实有人口信息",
    ROUTE_VISIT: "社区走访慰问",
    ROUTE_FAMILY_PLANNING: "转计划生育服务",
}
ROUTED = "routed"
PENDING_REVIEW = "pending_review"
NOT_ROUTED = "not_routed"
ROUTING_STATUSES = {ROUTED: "已分派", PENDING_REVIEW: "待社区核实", NOT_ROUTED: "未分派"}
FAMILY_PLANNING_PLUGIN = "family_planning"

# What occurred in a unit, as the 平安村/零案村 criteria name it (seed 000, Dingyuan).
INCIDENT_KINDS = {
    "collective_petition": "集体上访",
    "group_incident": "群体性事件",
    "cult_activity": "邪教和非法宗教活动",
    "criminal_case": "刑事案件",
    "major_accident": "重大治安灾害事故",
    "security_problem": "突出治安问题",
}

# --- policy keys ---------------------------------------------------------------------------

# Declared here for its Chinese description (the message where the module is off names it).
ACTIVE = PolicyKey(
    f"plugin.{PLUGIN}.active",
    ValueType.BOOLEAN,
    True,
    "矛盾纠纷排查调处模块在本单位及其下级是否启用",
)

MONTHLY_SUMMARY_DUE_DAY = PolicyKey(
    "mediation.monthly_summary.due_day",
    ValueType.DAY_OF_MONTH,
    5,
    "矛盾纠纷月度统计表的报送日（几日前报送；是否在次月报送另由一项策略规定）",
)
MONTHLY_SUMMARY_DUE_NEXT_MONTH = PolicyKey(
    "mediation.monthly_summary.due_next_month",
    ValueType.BOOLEAN,
    True,
    "月度统计表是否在次月报送（是：次月报送日前报上月情况；否：当月报送日前报本月情况）",
)
SCREENING_PER_MONTH = PolicyKey(
    "mediation.screening.per_month",
    ValueType.INT,
    2,
    "每月矛盾纠纷排查的次数，报送日历按此划分排查期（每半月一次即 2 次：1—15 日、16 日—月末；3 次即每旬一次）",
    unit="次",
    min=1,
    max=31,
)
SCREENING_DUE_DAY = PolicyKey(
    "mediation.screening.due_day",
    ValueType.DAY_OF_MONTH,
    31,
    "排查记录的登记截止日（排查期所在月的几日；超过月末按月末计）",
)
ZERO_REPORT_REQUIRED = PolicyKey(
    "mediation.zero_report.required",
    ValueType.BOOLEAN,
    True,
    "实行零报告制度：本月无矛盾纠纷时也须报送，并明确报告“零”",
)
# Levels are named by their role in the tree (core.settings.LEVEL_ROLES), so that a county
# whose levels are township and village runs the same rules as a city of streets and communities.
_LEVEL_CHOICES = tuple(LEVEL_ROLES)
FINALIZE_MINOR = PolicyKey(
    "mediation.finalize_level.minor",
    ValueType.STRING,
    ROLE_GRASSROOTS,
    "简单纠纷最低可在哪一级调结（小事不出村）（层级角色）",
    choices=_LEVEL_CHOICES,
)
FINALIZE_ORDINARY = PolicyKey(
    "mediation.finalize_level.ordinary",
    ValueType.STRING,
    ROLE_SUBDISTRICT,
    "一般纠纷最低可在哪一级调结（一般不出乡镇）（层级角色）",
    choices=_LEVEL_CHOICES,
)
FINALIZE_MAJOR = PolicyKey(
    "mediation.finalize_level.major",
    ValueType.STRING,
    ROLE_COUNTY,
    "重大纠纷最低可在哪一级调结（重大不出县）（层级角色）",
    choices=_LEVEL_CHOICES,
)
FINALIZE_KEYS = {"minor": FINALIZE_MINOR, "ordinary": FINALIZE_ORDINARY, "major": FINALIZE_MAJOR}
ESCALATION_TOP_LEVEL = PolicyKey(
    "mediation.escalation.top_level",
    ValueType.STRING,
    ROLE_COUNTY,
    "逐级上报的最高一级（三级调处：县/区），到此不能再上报（层级角色）",
    choices=_LEVEL_CHOICES,
)
EMERGENCY_LEVEL = PolicyKey(
    "mediation.emergency.level",
    ValueType.STRING,
    ROLE_SUBDISTRICT,
    "可能引发群体性事件或集体上访的个案立即上报到哪一级（层级角色）",
    choices=_LEVEL_CHOICES,
)
FOLLOW_UP_DAYS = PolicyKey(
    "mediation.follow_up.days",
    ValueType.INT,
    30,
    "达成调解协议后多少天内回访",
    unit="天",
    min=1,
    max=365,
)
APPEAL_DEADLINE_DAYS = PolicyKey(
    "mediation.appeal.deadline_days",
    ValueType.INT,
    15,
    "居民诉求的办理时限（受理后多少天内办结）",
    unit="天",
    min=1,
    max=365,
)
SAFE_VILLAGE_SATISFACTION = PolicyKey(
    "mediation.safe_village.min_satisfaction_percent",
    ValueType.INT,
    95,
    "评定平安村（零案村）所需的群众对治安满意和基本满意率（百分比）",
    unit="%",
    min=0,
    max=100,
)
# "达95%以上" includes 95 (DOMAIN.md 3.2); a locality may require more than the number.
SAFE_VILLAGE_SATISFACTION_COMPARATOR = comparator_key(
    "mediation.safe_village.satisfaction_comparator", AT_LEAST, "平安村满意率与下限的比较方式"
)

POLICY_KEYS = (
    ACTIVE,
    MONTHLY_SUMMARY_DUE_DAY,
    MONTHLY_SUMMARY_DUE_NEXT_MONTH,
    SCREENING_PER_MONTH,
    SCREENING_DUE_DAY,
    ZERO_REPORT_REQUIRED,
    FINALIZE_MINOR,
    FINALIZE_ORDINARY,
    FINALIZE_MAJOR,
    ESCALATION_TOP_LEVEL,
    EMERGENCY_LEVEL,
    FOLLOW_UP_DAYS,
    APPEAL_DEADLINE_DAYS,
    SAFE_VILLAGE_SATISFACTION,
    SAFE_VILLAGE_SATISFACTION_COMPARATOR,
)

# --- obligation types ----------------------------------------------------------------------

MONTHLY_SUMMARY = "mediation.monthly_summary"
SCREENING = "mediation.screening"

# Communities report to the street, the township's comprehensive-governance office to the
# county (seed 000, Dingyuan: "by the 5th of the next month"); a locality that reports
# within the month (Taonan, by the 25th) sets due_next_month = false. The summary carries
# its figures, so only this module submits it (generic_submission=False).
OBLIGATION_TYPES = (
    ObligationType(
        code=MONTHLY_SUMMARY,
        name="矛盾纠纷月度统计表",
        kind="report",
        levels=(ROLE_GRASSROOTS, ROLE_SUBDISTRICT),
        recurrence="monthly",
        due=DueRule(MONTHLY_SUMMARY_DUE_DAY.key, next_month_key=MONTHLY_SUMMARY_DUE_NEXT_MONTH.key),
        description="汇总本辖区当月矛盾纠纷排查调处情况；没有纠纷也须零报告。",
        generic_submission=False,
    ),
    ObligationType(
        code=SCREENING,
        name="矛盾纠纷定期排查",
        kind="report",
        levels=(ROLE_GRASSROOTS,),
        recurrence=TIMES_A_MONTH,
        count_key=SCREENING_PER_MONTH.key,
        due=DueRule(SCREENING_DUE_DAY.key, 0),
        description="按地方策略的次数定期排查本辖区矛盾纠纷和不稳定因素（默认每半月一次）；没有发现也须登记。",
        generic_submission=False,
    ),
)
