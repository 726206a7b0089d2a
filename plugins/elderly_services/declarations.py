"""What the elderly-services plugin declares: permissions, locality-policy
keys and its visit programme.

DOMAIN 2.4: the elderly register is 60+ with the categories 特困, 孤寡, 空巢,
独居 and 高龄; "定期走访" of those categories with no interval in the seed;
the senior card "及时为60岁以上老年人办理" with no number of days. Every such
number is a policy default here, never a constant in the rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from core.auth.permissions import Permission
from core.org.models import OrgUnit
from core.policy.keys import PolicyKey, ValueType
from core.policy.service import resolve, resolve_for_units
from core.policy.thresholds import AT_LEAST, comparator_key
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS
from core.visits.programmes import (
    RuleContext,
    VisitCategory,
    VisitProgramme,
    aged_at_least,
    household_all_aged,
    living_alone,
)

PLUGIN = "elderly_services"

# --- permissions ---------------------------------------------------------------------------

VIEW = Permission(
    "elderly_services.view",
    "查看老年人名册、走访逾期名单和覆盖情况、优待证办理情况",
    default_roles=(
        "grid_worker",
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_staff",
        "district_supervisor",
    ),
)
VISIT = Permission(
    "elderly_services.visit",
    "走访老年人并登记走访记录，认定特困、孤寡老人",
    default_roles=("grid_worker", "community_worker", "committee_chair"),
)
ISSUE_CARD = Permission(
    "elderly_services.issue_card",
    "办理老年人优待证并登记发证记录",
    default_roles=("community_worker", "committee_chair", "street_staff"),
)
CARE = Permission(
    "elderly_services.care",
    "登记居家养老服务商、服务对象和服务记录（助餐、助洁、陪同就医、日间照料）",
    default_roles=("community_worker", "committee_chair", "street_staff"),
)
PERMISSIONS = (VIEW, VISIT, ISSUE_CARD, CARE)

# --- policy keys ---------------------------------------------------------------------------

ELDERLY_AGE = PolicyKey(
    key="elderly_services.elderly_age",
    type=ValueType.INT,
    default=60,
    min=1,
    max=120,
    unit="岁",
    description="老年人年龄起点：达到此年龄的居民列入老年人名册（种子材料：60岁以上）",
)
ELDERLY_AGE_COMPARATOR = comparator_key(
    "elderly_services.elderly_age.comparator", AT_LEAST, "老年人年龄起点的比较方式（“60岁以上”含本数）"
)
VERY_OLD_AGE = PolicyKey(
    key="elderly_services.very_old_age",
    type=ValueType.INT,
    default=80,
    min=1,
    max=120,
    unit="岁",
    description="高龄老人的年龄起点（种子材料只列“高龄”类别，未给年龄；默认 80 岁为常见做法，由地方确定）",
)
VERY_OLD_AGE_COMPARATOR = comparator_key(
    "elderly_services.very_old_age.comparator", AT_LEAST, "高龄老人年龄起点的比较方式"
)
AGE_BAND_WIDTH = PolicyKey(
    key="elderly_services.age_band_width",
    type=ValueType.INT,
    default=10,
    min=1,
    max=50,
    unit="岁",
    description="老年人统计的年龄段宽度：自老年人年龄起点起每段的岁数（如 60—69岁、70—79岁）",
)
CARD_DUE_DAYS = PolicyKey(
    key="elderly_services.senior_card.due_days",
    type=ValueType.INT,
    default=30,
    min=0,
    max=3650,
    unit="天",
    description="老年人优待证应在年满起点年龄后多少天内办理，超过即为逾期（种子材料只说“及时”办理，未给天数；默认 30 天由地方确定）",
)

REPORT_OWED = PolicyKey(
    key="elderly_services.report.owed",
    type=ValueType.BOOLEAN,
    default=False,
    description="本单位是否按季度向上级报送老龄工作统计报表（种子材料要求“统计老龄基础数据”，未规定定期报表；须报送的地方设为是）",
)
REPORT_DUE_DAY = PolicyKey(
    key="elderly_services.report.due_day",
    type=ValueType.DAY_OF_MONTH,
    default=10,
    description="老龄工作季度统计报表的截止日：季度结束后次月第几日（种子材料未规定，由地方确定）",
)

_NO_INTERVAL = "种子材料只要求“定期走访”，未规定周期；默认值由地方确定"


def _interval(code: str, name: str, default: int) -> PolicyKey:
    return PolicyKey(
        key=f"elderly_services.visit_interval.{code}",
        type=ValueType.INT,
        default=default,
        min=1,
        max=3650,
        unit="天",
        description=f"{name}的走访周期（天）：{_NO_INTERVAL}",
    )


INTERVALS = {
    "very_old": _interval("very_old", "高龄老人", 30),
    "living_alone": _interval("living_alone", "独居老人", 14),
    "empty_nest": _interval("empty_nest", "空巢老人", 30),
    "extreme_poverty": _interval("extreme_poverty", "特困老人", 14),
    "no_family": _interval("no_family", "孤寡老人", 14),
}

POLICY_KEYS = (
    ELDERLY_AGE,
    ELDERLY_AGE_COMPARATOR,
    VERY_OLD_AGE,
    VERY_OLD_AGE_COMPARATOR,
    AGE_BAND_WIDTH,
    CARD_DUE_DAYS,
    REPORT_OWED,
    REPORT_DUE_DAY,
    *INTERVALS.values(),
)


def _owing(session: Any, units: Sequence[Any], period: tuple[date, date]) -> list[int]:
    """The units whose policy on the period's first day says they owe the report."""
    values = resolve_for_units(session, list(units), REPORT_OWED, period[0])
    return [unit.id for unit in units if values[unit.id].value]


QUARTERLY_REPORT = ObligationType(
    code="elderly_services.quarterly_report",
    name="老龄工作季度统计报表",
    kind="report",
    levels=(ROLE_GRASSROOTS,),
    recurrence="quarterly",
    due=DueRule(REPORT_DUE_DAY.key, month_offset=1),
    description="老年人数、年龄段、类别、走访和优待证办理情况，按季度上报；报表数字取自名册和记录，不手工填写（地方策略规定须报送的单位）。",
    generic_submission=False,
    owed_where=_owing,
)
OBLIGATION_TYPES = (QUARTERLY_REPORT,)

# --- who is elderly --------------------------------------------------------------------------


def age_rule(
    session: Session, unit: OrgUnit, today: date, key: PolicyKey, comparator: PolicyKey
) -> ColumnElement[bool]:
    """Residents meeting an age threshold of the unit's policy, read with its comparator."""
    years = int(resolve(session, unit, key, today))
    inclusive = resolve(session, unit, comparator, today) == AT_LEAST
    return aged_at_least(years, today, inclusive=inclusive)


def elderly(ctx: RuleContext) -> ColumnElement[bool]:
    return age_rule(ctx.session, ctx.unit, ctx.today, ELDERLY_AGE, ELDERLY_AGE_COMPARATOR)


def very_old(ctx: RuleContext) -> ColumnElement[bool]:
    return age_rule(ctx.session, ctx.unit, ctx.today, VERY_OLD_AGE, VERY_OLD_AGE_COMPARATOR)


def elderly_living_alone(ctx: RuleContext) -> ColumnElement[bool]:
    return and_(elderly(ctx), living_alone())


def elderly_empty_nest(ctx: RuleContext) -> ColumnElement[bool]:
    years = int(resolve(ctx.session, ctx.unit, ELDERLY_AGE, ctx.today))
    return and_(elderly(ctx), household_all_aged(years, ctx.today))


PROGRAMME_CODE = "elderly_services.elderly_visits"
VISITS = VisitProgramme(
    code=PROGRAMME_CODE,
    name="老年人定期走访",
    categories=(
        VisitCategory("very_old", "高龄老人", INTERVALS["very_old"], very_old),
        VisitCategory("living_alone", "独居老人", INTERVALS["living_alone"], elderly_living_alone),
        VisitCategory("empty_nest", "空巢老人", INTERVALS["empty_nest"], elderly_empty_nest),
        VisitCategory("extreme_poverty", "特困老人", INTERVALS["extreme_poverty"], sensitive=True),
        VisitCategory("no_family", "孤寡老人", INTERVALS["no_family"], sensitive=True),
    ),
    record_permission=VISIT.code,
    view_permission=VIEW.code,
)
