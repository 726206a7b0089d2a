"""What the self-governance plugin declares: permissions, locality-policy
keys and the meeting an initiative makes the committee owe.

Every number of DOMAIN 2.7 is a policy default here, with the seed it comes
from, never a constant in the rules: adults are 18+ (000), candidates live in
the community "一年以上" (003), an extraordinary assembly "应当" be convened
on the proposal of "五分之一以上" of adult residents or of households or
"三分之一以上" of residents' groups (000), and the charter adds "三分之一以上"
of representatives (000); hearing results are published "三日内" (000);
the building heads' list is published "公示期为5个工作日" (004).
"""

from __future__ import annotations

from typing import Any

from core.auth.permissions import Permission
from core.meetings.rules import parse_fraction
from core.policy.keys import PolicyKey, ValueType
from core.policy.thresholds import AT_LEAST, MORE_THAN, comparator_key
from core.reporting.obligations import ObligationType
from core.settings import ROLE_GRASSROOTS

PLUGIN = "self_governance"

# --- permissions ---------------------------------------------------------------------------

_COMMUNITY_READERS = (
    "community_worker",
    "committee_chair",
    "party_secretary",
    "supervisor",
    "street_staff",
    "street_leader",
    "district_staff",
    "district_supervisor",
)
VIEW = Permission(
    "self_governance.view",
    "查看居民自治事项：临时会议提议及联名、听证会、楼栋长推选、居民公约和自治章程",
    default_roles=_COMMUNITY_READERS,
)
MANAGE = Permission(
    "self_governance.manage",
    "办理居民自治事项：登记临时会议提议和联名、组织听证会、推选楼栋长、起草和通过居民公约与自治章程",
    default_roles=("community_worker", "committee_chair", "party_secretary"),
)
ELECTION_VIEW = Permission(
    "self_governance.election.view",
    "查阅居委会换届选举档案（选举委员会、选民名单、候选人、计票结果、罢免；专立专存）",
    default_roles=("committee_chair", "party_secretary", "street_staff", "street_leader"),
)
ELECTION_MANAGE = Permission(
    "self_governance.election.manage",
    "主持居委会选举：选举委员会、选民登记、候选人提名和公示、计票结果、罢免和补选",
    default_roles=("committee_chair", "party_secretary", "street_staff"),
)
PERMISSIONS = (VIEW, MANAGE, ELECTION_VIEW, ELECTION_MANAGE)

# --- fractions as policy ---------------------------------------------------------------------


def _fraction_validator(value: Any) -> bool | str:
    try:
        parse_fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return "比例须写成分数（如 1/5）或小数（如 0.5），大于 0 且不超过 1。"
    return True


def fraction_key(key: str, default: str, description: str) -> PolicyKey:
    """A share of a whole (a fraction, read exactly, never rounded)."""
    return PolicyKey(
        key=key, type=ValueType.STRING, default=default, description=description, validator=_fraction_validator
    )


# --- policy keys ---------------------------------------------------------------------------

ADULT_AGE = PolicyKey(
    key="self_governance.adult_age",
    type=ValueType.INT,
    default=18,
    min=14,
    max=30,
    unit="周岁",
    description="享有选举权、可以联名提议和签名的居民年龄（种子材料 000：年满十八周岁的居民）",
)
FLOATING_RESIDENTS_TAKE_PART = PolicyKey(
    key="self_governance.floating_residents_take_part",
    type=ValueType.BOOLEAN,
    default=False,
    description="流动人口是否列入选民名单、计入联名提议的基数（种子材料 003：由居民会议决定流动人口是否参加及参加的比例）",
)
RESIDENCE_YEARS = PolicyKey(
    key="self_governance.candidate.residence_years",
    type=ValueType.INT,
    default=1,
    min=0,
    max=20,
    unit="年",
    description="居委会成员候选人在本社区居住的年限（种子材料 003：“居住在本社区一年以上”）",
)
RESIDENCE_COMPARATOR = comparator_key(
    "self_governance.candidate.residence_years.comparator", AT_LEAST, "候选人居住年限的比较方式（“一年以上”含一年）"
)
CANDIDATE_PUBLICITY_DAYS = PolicyKey(
    key="self_governance.candidate.publicity_days",
    type=ValueType.INT,
    default=7,
    min=1,
    max=60,
    unit="天",
    description="正式候选人名单公示的天数，公示期满方可投票（种子材料 003 对村党支部候选人“公示时间为7天”；居委会候选人未给天数，由地方确定）",
)
TURNOUT_SHARE = fraction_key(
    "self_governance.election.turnout_share",
    "1/2",
    "选举有效所需的投票人数占登记选民的比例（种子材料 000 对成员代表大会要求“过半数出席”，此处按同一读法，默认二分之一）",
)
TURNOUT_COMPARATOR = comparator_key(
    "self_governance.election.turnout_share.comparator", MORE_THAN, "选举有效的投票人数比较方式（“过半数”不含半数）"
)
ELECTED_SHARE = fraction_key(
    "self_governance.election.elected_share",
    "1/2",
    "候选人当选所需的得票占有效选票的比例（种子材料 000：决定“出席人过半数通过”，默认二分之一）",
)
ELECTED_COMPARATOR = comparator_key(
    "self_governance.election.elected_share.comparator", MORE_THAN, "当选得票的比较方式（“过半数”不含半数）"
)
RECALL_SHARE = fraction_key(
    "self_governance.recall.share",
    "1/2",
    "罢免居委会成员所需的赞成票占应参加表决人数的比例（种子材料 000：成员代表大会撤换成员，决定“出席人过半数通过”；默认二分之一）",
)
RECALL_COMPARATOR = comparator_key(
    "self_governance.recall.share.comparator", MORE_THAN, "罢免赞成票的比较方式（“过半数”不含半数）"
)

INITIATIVE_SHARES = {
    "residents": fraction_key(
        "self_governance.initiative.residents_share",
        "1/5",
        "提议召开临时会议所需的十八周岁以上居民联名比例（种子材料 000：“五分之一以上”）",
    ),
    "households": fraction_key(
        "self_governance.initiative.households_share",
        "1/5",
        "提议召开临时会议所需的户数比例（种子材料 000：“五分之一以上”的户）",
    ),
    "groups": fraction_key(
        "self_governance.initiative.groups_share",
        "1/3",
        "提议召开临时会议所需的居民小组比例（种子材料 000：“三分之一以上”的居民小组）",
    ),
    "representatives": fraction_key(
        "self_governance.initiative.representatives_share",
        "1/3",
        "提议召开临时会议所需的成员代表比例（种子材料 000 自治章程：“三分之一以上”的代表）",
    ),
}
INITIATIVE_COMPARATOR = comparator_key(
    "self_governance.initiative.comparator", AT_LEAST, "临时会议联名比例的比较方式（“以上”含本数）"
)
INITIATIVE_MEETING_DAYS = PolicyKey(
    key="self_governance.initiative.meeting_due_days",
    type=ValueType.INT,
    default=30,
    min=1,
    max=365,
    unit="天",
    description="联名达到法定比例后，居委会应在多少天内召集临时会议（种子材料 000 只说“应当”召集，未给天数；默认 30 天由地方确定）",
)
HEARING_PUBLICATION_DAYS = PolicyKey(
    key="self_governance.hearing.publication_days",
    type=ValueType.INT,
    default=3,
    min=0,
    max=60,
    unit="天",
    description="听证表决结果应在表决后多少天内在公开栏公布（种子材料 000：“三日内”公布）",
)
BUILDING_HEAD_PUBLICITY_DAYS = PolicyKey(
    key="self_governance.building_head.publicity_working_days",
    type=ValueType.INT,
    default=5,
    min=1,
    max=30,
    unit="个工作日",
    description="楼栋长人选名单的公示期（种子材料 004：“公示期为5个工作日”；工作日按节假日表计算）",
)

REPRESENTATIVES_PER_GROUP_MIN = PolicyKey(
    key="self_governance.representatives.per_group_min",
    type=ValueType.INT,
    default=2,
    min=0,
    max=20,
    unit="名",
    description="每个居民小组推选的成员代表下限，少于此数时提示（种子材料 000：每个居民小组“2至3名”）",
)
REPRESENTATIVES_PER_GROUP_MAX = PolicyKey(
    key="self_governance.representatives.per_group_max",
    type=ValueType.INT,
    default=3,
    min=1,
    max=20,
    unit="名",
    description="每个居民小组推选的成员代表上限，达到后不再增加（种子材料 000：每个居民小组“2至3名”）",
)
REPRESENTATIVES_MINIMUM = PolicyKey(
    key="self_governance.representatives.minimum",
    type=ValueType.INT,
    default=30,
    min=1,
    max=500,
    unit="名",
    description="社区成员代表（含驻区单位代表）总数下限，少于此数时提示（种子材料 000：“不少于30名”）",
)

POLICY_KEYS = (
    REPRESENTATIVES_PER_GROUP_MIN,
    REPRESENTATIVES_PER_GROUP_MAX,
    REPRESENTATIVES_MINIMUM,
    ADULT_AGE,
    FLOATING_RESIDENTS_TAKE_PART,
    RESIDENCE_YEARS,
    RESIDENCE_COMPARATOR,
    CANDIDATE_PUBLICITY_DAYS,
    TURNOUT_SHARE,
    TURNOUT_COMPARATOR,
    ELECTED_SHARE,
    ELECTED_COMPARATOR,
    RECALL_SHARE,
    RECALL_COMPARATOR,
    *INITIATIVE_SHARES.values(),
    INITIATIVE_COMPARATOR,
    INITIATIVE_MEETING_DAYS,
    HEARING_PUBLICATION_DAYS,
    BUILDING_HEAD_PUBLICITY_DAYS,
)

# --- obligations ---------------------------------------------------------------------------

INITIATIVE_MEETING = ObligationType(
    code="self_governance.initiative_meeting",
    name="应居民提议召开的临时会议",
    kind="meeting",
    levels=(ROLE_GRASSROOTS,),
    recurrence="per_event",
    description="十八周岁以上居民、户或居民小组联名达到法定比例时，居委会应当在规定天数内召集成员代表大会（居民会议）临时会议（种子材料 000）。",
    generic_submission=False,
)
OBLIGATION_TYPES = (INITIATIVE_MEETING,)
