"""Permissions, locality-policy keys and reporting obligations of party building.

Every number of DOMAIN.md section 2.1 is a policy default here, never a
constant in the code: organization sizes (000, 003), meeting deadlines (000),
the 5-day advance report of the democratic life meeting (000), quorum and
majority per meeting kind (000, DOMAIN 3.2), the 60 % evaluation threshold
(003), the development notice's length (a local default: the seeds set
none), the in-service
members' quotas (000), the appraisal points (002).
"""

from __future__ import annotations

from decimal import Decimal

from core.auth.permissions import Permission
from core.meetings.rules import (
    AT_LEAST_HALF,
    HALF_RULES,
    MORE_THAN_HALF,
    NO_RULE,
)
from core.meetings.rules import RULE_NAMES as _ALL_RULE_NAMES
from core.policy.keys import PolicyKey, ValueType
from core.policy.thresholds import AT_LEAST, AT_MOST, LESS_THAN, comparator_key
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS
from plugins.party_building.owing import (
    with_big_committee,
    with_organization,
    with_party_groups,
)

PLUGIN = "party_building"

_OVERSIGHT = ("street_staff", "street_leader", "district_supervisor")

VIEW = Permission(
    "party_building.view",
    "查看党组织、三会一课、民主生活会、发展党员进度和落实情况（不含党员名册）",
    default_roles=("community_worker", "committee_chair", "party_secretary", *_OVERSIGHT),
)
VIEW_MEMBERS = Permission(
    "party_building.view_members",
    "查看党员名册、在职党员报到、联户和评议情况（党员身份属于个人敏感信息）",
    default_roles=("party_secretary", *_OVERSIGHT),
)
MANAGE = Permission(
    "party_building.manage",
    "管理党组织、党员、会议、发展党员、在职党员、联户、评议和大党委成员单位",
    default_roles=("party_secretary", "street_staff", "street_leader"),
)
REVEAL_MEMBERSHIP = Permission(
    "party_building.reveal_membership",
    "查看居民的政治面貌（党员身份）明文（记入审计）",
    default_roles=("party_secretary", "street_leader"),
)

PERMISSIONS = (VIEW, VIEW_MEMBERS, MANAGE, REVEAL_MEMBERSHIP)


def _key(
    key: str,
    type: ValueType,
    default: object,
    description: str,
    *,
    unit: str | None = None,
    min: object = None,
    max: object = None,
    choices: tuple[object, ...] | None = None,
) -> PolicyKey:
    return PolicyKey(
        key=f"{PLUGIN}.{key}",
        type=type,
        default=default,
        description=description,
        unit=unit,
        min=min,
        max=max,
        choices=choices,
    )


# --- organization type and committee size (000, 003, 004) -------------------------------------
# 党员50人以下的建立党支部 (000), 超过50名的建立党总支 (004): 50 is a branch.
# 党员100人以上……可建立党委 (000): a permission, shown as a hint. The bands
# 50—100人 / 100人以上 share 100; with the default "≥" the committee band owns
# it, and a general branch of 100 stays as valid as a committee (DOMAIN 3.2).
BRANCH_MAX_MEMBERS = _key(
    "org.branch_max_members",
    ValueType.INT,
    50,
    "党员人数在此数以内设党支部，超过设党总支（种子：50人以下建立党支部）",
    unit="人",
    min=1,
    max=100_000,
)
BRANCH_MAX_COMPARATOR = comparator_key(
    f"{PLUGIN}.org.branch_max_comparator", AT_MOST, "设党支部的人数上限是否含本数（种子“50人以下”含50人）"
)
COMMITTEE_MIN_MEMBERS = _key(
    "org.committee_min_members",
    ValueType.INT,
    100,
    "党员人数达到此数的，可建立党委（种子：100人以上，可建立，非必须）",
    unit="人",
    min=1,
    max=100_000,
)
COMMITTEE_MIN_COMPARATOR = comparator_key(
    f"{PLUGIN}.org.committee_min_comparator", AT_LEAST, "可建立党委的人数下限是否含本数（种子“100人以上”含100人）"
)
SECRETARY_ONLY_MEMBERS = _key(
    "org.secretary_only_members",
    ValueType.INT,
    7,
    "党员人数不足此数的不设支部委员会，只设书记（种子：党员不足7名）",
    unit="人",
    min=0,
    max=1000,
)
SECRETARY_ONLY_COMPARATOR = comparator_key(
    f"{PLUGIN}.org.secretary_only_comparator", LESS_THAN, "只设书记的人数界限是否含本数（种子“不足7名”不含7名）"
)
SECRETARY_ONLY_MAX_DEPUTIES = _key(
    "org.secretary_only_max_deputies",
    ValueType.INT,
    1,
    "不设委员会的党支部，必要时可增设的副书记人数（种子：必要时增设1名副书记）",
    unit="人",
    min=0,
    max=10,
)
BRANCH_COMMITTEE_MIN = _key(
    "org.branch_committee_min", ValueType.INT, 3, "支部委员会最少委员数", unit="人", min=1, max=100
)
BRANCH_COMMITTEE_MAX = _key(
    "org.branch_committee_max", ValueType.INT, 5, "支部委员会最多委员数", unit="人", min=1, max=100
)
GENERAL_BRANCH_COMMITTEE_MIN = _key(
    "org.general_branch_committee_min", ValueType.INT, 5, "党总支委员会最少委员数", unit="人", min=1, max=100
)
GENERAL_BRANCH_COMMITTEE_MAX = _key(
    "org.general_branch_committee_max", ValueType.INT, 7, "党总支委员会最多委员数", unit="人", min=1, max=100
)
COMMITTEE_COMMITTEE_MIN = _key(
    "org.committee_committee_min", ValueType.INT, 5, "党委委员最少人数", unit="人", min=1, max=100
)
COMMITTEE_COMMITTEE_MAX = _key(
    "org.committee_committee_max", ValueType.INT, 9, "党委委员最多人数", unit="人", min=1, max=100
)

# --- meetings (000) ---------------------------------------------------------------------------
DUE_MEMBERS_MEETING = _key(
    "due_day.members_meeting", ValueType.DAY_OF_MONTH, 31, "支部党员大会（每季度）须在季度末月的哪一天前召开"
)
DUE_COMMITTEE_MEETING = _key(
    "due_day.committee_meeting", ValueType.DAY_OF_MONTH, 31, "支部委员会（每月）须在当月哪一天前召开"
)
DUE_GROUP_MEETING = _key("due_day.group_meeting", ValueType.DAY_OF_MONTH, 31, "党小组会（每月）须在当月哪一天前召开")
DUE_PARTY_LECTURE = _key(
    "due_day.party_lecture", ValueType.DAY_OF_MONTH, 31, "党课（每两个月）须在两个月期间末月的哪一天前讲授"
)
DUE_DEMOCRATIC_LIFE = _key(
    "due_day.democratic_life", ValueType.DAY_OF_MONTH, 31, "民主生活会（每年）须在12月的哪一天前召开"
)
DUE_ENLARGED_MEETING = _key(
    "due_day.enlarged_meeting", ValueType.DAY_OF_MONTH, 31, "大党委（扩大）会议（每月）须在当月哪一天前召开"
)
DEMOCRATIC_LIFE_REPORT_DAYS = _key(
    "democratic_life.report_days_ahead",
    ValueType.INT,
    5,
    "民主生活会的主题和时间须提前多少天报上级党组织",
    unit="天",
    min=0,
    max=60,
)

# Quorum and majority, per meeting kind (DOMAIN 2.1, 3.2). The seeds set a
# quorum only for the committee meeting: 半数以上的委员到会 (at least half);
# its resolutions need 应到会半数以上的委员赞同, yet support 不超过应到会半数
# cannot decide: in effect more than half of those due. The other kinds have
# no quorum in the seeds; their majority is this locality's default.
_QUORUM_DEFAULTS = {
    "members_meeting": (NO_RULE, MORE_THAN_HALF),
    "committee_meeting": (AT_LEAST_HALF, MORE_THAN_HALF),
    "group_meeting": (NO_RULE, MORE_THAN_HALF),
    "party_lecture": (NO_RULE, NO_RULE),
    "democratic_life": (NO_RULE, MORE_THAN_HALF),
    "enlarged_meeting": (NO_RULE, MORE_THAN_HALF),
}
# The party rules read the half (半数以上 / 过半数) of those due; core's fraction rules are not offered here.
RULE_NAMES = {k: _ALL_RULE_NAMES[k] for k in HALF_RULES}
_RULE_CHOICES = "；".join(f"{k}：{v}" for k, v in RULE_NAMES.items())
QUORUM_KEYS = {
    kind: _key(
        f"meetings.{kind}.quorum",
        ValueType.STRING,
        quorum,
        f"会议到会人数要求（以应到人数计）：{_RULE_CHOICES}",
        choices=tuple(RULE_NAMES),
    )
    for kind, (quorum, _majority) in _QUORUM_DEFAULTS.items()
}
MAJORITY_KEYS = {
    kind: _key(
        f"meetings.{kind}.majority",
        ValueType.STRING,
        majority,
        f"决议通过所需赞成票（以应到人数计）：{_RULE_CHOICES}",
        choices=tuple(RULE_NAMES),
    )
    for kind, (_quorum, majority) in _QUORUM_DEFAULTS.items()
}

# --- member development (003) -----------------------------------------------------------------
# --- member development (003) -----------------------------------------------------------------
EVALUATION_MIN_RATIO = _key(
    "development.evaluation_min_ratio",
    ValueType.DECIMAL,
    Decimal("0.6"),
    "测评赞成票须超过参加人数的此比例，方可列为入党积极分子（赞成票不超过此比例的不能确定）",
    min=Decimal(0),
    max=Decimal(1),
)
EXAM_PASS_SCORE = _key(
    "development.exam_pass_score", ValueType.INT, 60, "发展对象考试的及格分数", unit="分", min=0, max=100
)
# The seeds give the development notice no length (003); 7 days is this
# locality's default (borrowed from the branch candidates' notice, 2.9).
NOTICE_DAYS = _key(
    "development.notice_days",
    ValueType.INT,
    7,
    "发展对象公示的天数：种子未规定公示期，7天为本地默认值（参照村党支部委员候选人公示），可按本地规定调整；"
    "公示自公开之日起，期满自动从公开栏下架，期满后方可提交支部大会",
    unit="天",
    min=1,
    max=60,
)
EXAM_MAX_SCORE = _key(
    "development.exam_max_score", ValueType.INT, 100, "发展对象考试的满分", unit="分", min=1, max=1000
)

# --- in-service members (000) -------------------------------------------------------------------
IN_SERVICE_CONTACTS_PER_QUARTER = _key(
    "in_service.min_contacts_per_quarter",
    ValueType.INT,
    1,
    "在职党员每季度至少与社区联系的次数",
    unit="次",
    min=0,
    max=100,
)
IN_SERVICE_ACTIVITIES_PER_YEAR = _key(
    "in_service.min_activities_per_year",
    ValueType.INT,
    2,
    "在职党员每年至少参加社区活动的次数",
    unit="次",
    min=0,
    max=365,
)

# --- household contact (000) ----------------------------------------------------------------------
HOUSEHOLD_CONTACTS_PER_MONTH = _key(
    "household_contact.min_per_month", ValueType.INT, 1, "党员联系所联户每月至少的次数", unit="次", min=0, max=31
)

# --- appraisal (003, 002) ------------------------------------------------------------------------
APPRAISAL_QUALIFIED_POINTS = _key(
    "appraisal.qualified_points", ValueType.INT, 60, "积分量化考核：达到多少分为合格", unit="分", min=0, max=1000
)
APPRAISAL_MAX_POINTS = _key("appraisal.max_points", ValueType.INT, 100, "积分量化考核满分", unit="分", min=1, max=1000)

# --- big party committee (002) -------------------------------------------------------------------
MEMBER_UNIT_MIN_REPRESENTATIVES = _key(
    "big_committee.min_representatives_per_unit",
    ValueType.INT,
    1,
    "大党委每个成员单位至少有几名大党委委员",
    unit="人",
    min=0,
    max=100,
)
# 专、兼职副书记2-3名，其中设专职副书记1名，由现任社区党组织成员担任 (002).
DEPUTY_SECRETARIES_MIN = _key(
    "big_committee.deputy_secretaries_min", ValueType.INT, 2, "大党委副书记最少人数", unit="人", min=0, max=100
)
DEPUTY_SECRETARIES_MAX = _key(
    "big_committee.deputy_secretaries_max", ValueType.INT, 3, "大党委副书记最多人数", unit="人", min=0, max=100
)
FULL_TIME_DEPUTIES_MIN = _key(
    "big_committee.full_time_deputies_min",
    ValueType.INT,
    1,
    "大党委专职副书记人数（由现任社区党组织委员担任）",
    unit="人",
    min=0,
    max=10,
)
UNIT_SCORE_MAX = _key(
    "big_committee.unit_score_max", ValueType.INT, 100, "成员单位年度考评满分", unit="分", min=1, max=1000
)

POLICY_KEYS: tuple[PolicyKey, ...] = (
    BRANCH_MAX_MEMBERS,
    BRANCH_MAX_COMPARATOR,
    COMMITTEE_MIN_MEMBERS,
    COMMITTEE_MIN_COMPARATOR,
    SECRETARY_ONLY_MEMBERS,
    SECRETARY_ONLY_COMPARATOR,
    SECRETARY_ONLY_MAX_DEPUTIES,
    BRANCH_COMMITTEE_MIN,
    BRANCH_COMMITTEE_MAX,
    GENERAL_BRANCH_COMMITTEE_MIN,
    GENERAL_BRANCH_COMMITTEE_MAX,
    COMMITTEE_COMMITTEE_MIN,
    COMMITTEE_COMMITTEE_MAX,
    DUE_MEMBERS_MEETING,
    DUE_COMMITTEE_MEETING,
    DUE_GROUP_MEETING,
    DUE_PARTY_LECTURE,
    DUE_DEMOCRATIC_LIFE,
    DUE_ENLARGED_MEETING,
    DEMOCRATIC_LIFE_REPORT_DAYS,
    *QUORUM_KEYS.values(),
    *MAJORITY_KEYS.values(),
    EVALUATION_MIN_RATIO,
    EXAM_PASS_SCORE,
    EXAM_MAX_SCORE,
    NOTICE_DAYS,
    IN_SERVICE_CONTACTS_PER_QUARTER,
    IN_SERVICE_ACTIVITIES_PER_YEAR,
    HOUSEHOLD_CONTACTS_PER_MONTH,
    APPRAISAL_QUALIFIED_POINTS,
    APPRAISAL_MAX_POINTS,
    MEMBER_UNIT_MIN_REPRESENTATIVES,
    DEPUTY_SECRETARIES_MIN,
    DEPUTY_SECRETARIES_MAX,
    FULL_TIME_DEPUTIES_MIN,
    UNIT_SCORE_MAX,
)

# --- the reporting calendar ------------------------------------------------------------------------
# Meetings are owed by the party organization of a community (village): the
# obligation instance of the community is fulfilled by a meeting of an
# organization attached to that community. Deadlines fall inside the period
# (month_offset 0): a meeting is held within its month or quarter. Only communities
# with such an organization owe them (``owing``).
LEVELS = (ROLE_GRASSROOTS,)

OBLIGATION_PREFIX = f"{PLUGIN}."
MEETING_OBLIGATIONS = {
    "members_meeting": ObligationType(
        code=f"{PLUGIN}.members_meeting",
        name="支部党员大会",
        kind="meeting",
        levels=LEVELS,
        recurrence="quarterly",
        due=DueRule(DUE_MEMBERS_MEETING.key, month_offset=0),
        description="三会一课：支部党员大会每季度至少一次。",
        owed_where=with_organization,
        generic_submission=False,
    ),
    "committee_meeting": ObligationType(
        code=f"{PLUGIN}.committee_meeting",
        name="支部委员会",
        kind="meeting",
        levels=LEVELS,
        recurrence="monthly",
        due=DueRule(DUE_COMMITTEE_MEETING.key, month_offset=0),
        description="三会一课：支部委员会每月一至两次。",
        owed_where=with_organization,
        generic_submission=False,
    ),
    "group_meeting": ObligationType(
        code=f"{PLUGIN}.group_meeting",
        name="党小组会",
        kind="meeting",
        levels=LEVELS,
        recurrence="monthly",
        due=DueRule(DUE_GROUP_MEETING.key, month_offset=0),
        description="三会一课：党小组会每月一次。",
        owed_where=with_party_groups,
        generic_submission=False,
    ),
    "party_lecture": ObligationType(
        code=f"{PLUGIN}.party_lecture",
        name="党课",
        kind="meeting",
        levels=LEVELS,
        recurrence="bimonthly",
        due=DueRule(DUE_PARTY_LECTURE.key, month_offset=0),
        description="三会一课：党课一般每两个月举行一次（1–2月、3–4月……）。",
        owed_where=with_organization,
        generic_submission=False,
    ),
    "democratic_life": ObligationType(
        code=f"{PLUGIN}.democratic_life",
        name="民主生活会（组织生活会）",
        kind="meeting",
        levels=LEVELS,
        recurrence="yearly",
        due=DueRule(DUE_DEMOCRATIC_LIFE.key, month_offset=0),
        description="民主生活会每年至少一次。",
        owed_where=with_organization,
        generic_submission=False,
    ),
    "enlarged_meeting": ObligationType(
        code=f"{PLUGIN}.enlarged_meeting",
        name="大党委（扩大）会议",
        kind="meeting",
        levels=LEVELS,
        recurrence="monthly",
        due=DueRule(DUE_ENLARGED_MEETING.key, month_offset=0),
        description="社区大党委每月召开一次（扩大）会议。",
        owed_where=with_big_committee,
        generic_submission=False,
    ),
}
DEMOCRATIC_LIFE_TOPIC_REPORT = ObligationType(
    code=f"{PLUGIN}.democratic_life_topic",
    name="民主生活会主题和时间报上级党组织",
    kind="report",
    levels=LEVELS,
    recurrence="per_event",
    description="民主生活会召开前，主题和时间须提前报上级党组织。",
)

OBLIGATION_TYPES: tuple[ObligationType, ...] = (*MEETING_OBLIGATIONS.values(), DEMOCRATIC_LIFE_TOPIC_REPORT)
