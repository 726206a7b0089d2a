"""Permissions, policy keys and vocabularies of assessment (DOMAIN 3.7)."""

from __future__ import annotations

from core.auth.permissions import Permission
from core.policy.keys import PolicyKey, ValueType
from core.settings import ROLE_CITY, ROLE_COUNTY, ROLE_SUBDISTRICT

PLUGIN = "assessment"

MANAGE = Permission(
    "assessment.manage",
    "制定考核方案、评分（附依据）、评定等次并公布结果",
    default_roles=("street_leader", "district_supervisor"),
)
VIEW_RESULTS = Permission(
    "assessment.view_results",
    "查看本单位已公布的考核结果和规范化创建进度",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
        "auditor",
    ),
)
TITLE_APPLY = Permission(
    "assessment.title_apply",
    "申报规范化社区：自荐自评、民主测评、公示",
    default_roles=("committee_chair", "party_secretary"),
)
TITLE_REVIEW = Permission(
    "assessment.title_review", "规范化社区街道初审", default_roles=("street_staff", "street_leader")
)
TITLE_APPROVE = Permission(
    "assessment.title_approve", "规范化社区区级审核验收和审批", default_roles=("district_supervisor",)
)
PERMISSIONS = (MANAGE, VIEW_RESULTS, TITLE_APPLY, TITLE_REVIEW, TITLE_APPROVE)

CYCLES = ("monthly", "quarterly", "half_yearly", "yearly")


def _key(
    key: str,
    type_: ValueType,
    default: object,
    description: str,
    *,
    unit: str | None = None,
    min: int | None = None,
    max: int | None = None,
    choices: tuple[str, ...] | None = None,
) -> PolicyKey:
    return PolicyKey(
        key=f"{PLUGIN}.{key}",
        type=type_,
        default=default,
        description=description,
        unit=unit,
        min=min,
        max=max,
        choices=choices,
    )


CYCLE_KEYS = {
    ROLE_SUBDISTRICT: _key(
        "cycle.subdistrict",
        ValueType.STRING,
        "monthly",
        "街道（乡镇）对社区的考核周期（001：街道每月）",
        choices=CYCLES,
    ),
    ROLE_COUNTY: _key(
        "cycle.county", ValueType.STRING, "quarterly", "区（县）对社区的考核周期（001：区每季度）", choices=CYCLES
    ),
    ROLE_CITY: _key(
        "cycle.city", ValueType.STRING, "half_yearly", "市对社区的考核周期（001：市每半年）", choices=CYCLES
    ),
}
TOTAL_POINTS = _key(
    "total_points", ValueType.INT, 100, "考核方案各项分值之和（000 洮南：百分考评标准）", min=1, max=1000, unit="分"
)
EXCELLENT_MAX_PERCENT = _key(
    "grade.excellent_max_percent",
    ValueType.INT,
    10,
    "评为优秀的单位不超过参评单位的百分之几（001：优秀10%以内，含本数）",
    min=0,
    max=100,
    unit="%",
)
GOOD_MAX_PERCENT = _key(
    "grade.good_max_percent",
    ValueType.INT,
    30,
    "评为良好的单位不超过参评单位的百分之几（001：良好30%以内，含本数）",
    min=0,
    max=100,
    unit="%",
)
EXCELLENT_AWARD = _key(
    "award.excellent_yuan",
    ValueType.INT,
    10000,
    "评为优秀的社区每年增加的工作经费（001：1万元）",
    min=0,
    max=10_000_000,
    unit="元",
)
GOOD_AWARD = _key(
    "award.good_yuan",
    ValueType.INT,
    5000,
    "评为良好的社区每年增加的工作经费（001：5000元）",
    min=0,
    max=10_000_000,
    unit="元",
)
POLICY_KEYS = (*CYCLE_KEYS.values(), TOTAL_POINTS, EXCELLENT_MAX_PERCENT, GOOD_MAX_PERCENT, EXCELLENT_AWARD, GOOD_AWARD)

EXCELLENT, GOOD, PASS, BASIC, FAIL = "excellent", "good", "pass", "basic", "fail"
GRADES = {EXCELLENT: "优秀", GOOD: "良好", PASS: "称职（合格）", BASIC: "基本称职", FAIL: "不称职（不合格）"}
QUOTA_KEYS = {EXCELLENT: EXCELLENT_MAX_PERCENT, GOOD: GOOD_MAX_PERCENT}
AWARD_KEYS = {EXCELLENT: EXCELLENT_AWARD, GOOD: GOOD_AWARD}

INDICATOR, MANUAL, VETO = "indicator", "manual", "veto"
ITEM_KINDS = {INDICATOR: "按指标计分", MANUAL: "人工评分（须附依据）", VETO: "一票否决项"}

# 规范化创建 (000): 自荐、自评，逐级审报、分级审批.
STEPS = (
    ("self_assessment", "自荐自评", TITLE_APPLY),
    ("street_review", "街道办事处初审", TITLE_REVIEW),
    ("democratic_evaluation", "民主测评", TITLE_APPLY),
    ("public_notice", "公示", TITLE_APPLY),
    ("district_acceptance", "区民政部门审核验收", TITLE_APPROVE),
    ("approval", "区政府审批命名", TITLE_APPROVE),
)
STEP_NAMES = {code: name for code, name, _ in STEPS}
TITLES = {"qualified": "合格社区", "model": "示范社区", "standardized": "规范化社区"}
