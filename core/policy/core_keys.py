"""The policy keys core itself reads. Defaults are one locality's numbers
(the seed is named on each key); other localities override them.

Besides these, the registry adds ``plugin.<name>.active`` for every enabled
plugin (see ``core.policy.registry``).
"""

from __future__ import annotations

from core.policy.keys import PolicyKey, ValueType

HOUSEHOLDS = "户"

GRID_MAX_HOUSEHOLDS = PolicyKey(
    key="org.grid.max_households",
    type=ValueType.INT,
    default=300,  # 001 吉林市：社区要按300户划定工作网格（责任区）
    min=1,
    max=10_000,
    unit=HOUSEHOLDS,
    description="每个网格（责任区）覆盖的户数上限，超过时提示调整网格",
)

COMMUNITY_HOUSEHOLDS_MIN = PolicyKey(
    key="org.community.households_min",
    type=ValueType.INT,
    default=1500,  # 001 吉林市：低于1500户的要逐步与附近社区进行合并
    min=0,
    max=100_000,
    unit=HOUSEHOLDS,
    description="社区规模下限（户）：低于此数提示与相邻社区合并（提示，不阻止）",
)

COMMUNITY_HOUSEHOLDS_MAX = PolicyKey(
    key="org.community.households_max",
    type=ValueType.INT,
    default=5000,  # 001 吉林市：超过5000户应分设两个社区
    min=1,
    max=100_000,
    unit=HOUSEHOLDS,
    description="社区规模上限（户）：超过此数提示分设社区（提示，不阻止）",
)

RESIDENT_GROUP_HOUSEHOLDS_MIN = PolicyKey(
    key="org.resident_group.households_min",
    type=ValueType.INT,
    default=50,  # 000 青岛市四方区：居民小组一般以50—100户为宜
    min=0,
    max=10_000,
    unit=HOUSEHOLDS,
    description="居民小组规模下限（户），超出范围时提示调整",
)

RESIDENT_GROUP_HOUSEHOLDS_MAX = PolicyKey(
    key="org.resident_group.households_max",
    type=ValueType.INT,
    default=100,  # 000 青岛市四方区：居民小组一般以50—100户为宜
    min=1,
    max=10_000,
    unit=HOUSEHOLDS,
    description="居民小组规模上限（户），超出范围时提示调整",
)

COMMITTEE_HOUSEHOLDS_PER_MEMBER = PolicyKey(
    key="org.committee.households_per_member",
    type=ValueType.INT,
    default=300,  # 001 吉林市：按照每300户1名居委会成员的标准
    min=1,
    max=10_000,
    unit=HOUSEHOLDS,
    description="居民委员会成员配备标准：每多少户配 1 名成员",
)

CORE_POLICY_KEYS: tuple[PolicyKey, ...] = (
    GRID_MAX_HOUSEHOLDS,
    COMMUNITY_HOUSEHOLDS_MIN,
    COMMUNITY_HOUSEHOLDS_MAX,
    RESIDENT_GROUP_HOUSEHOLDS_MIN,
    RESIDENT_GROUP_HOUSEHOLDS_MAX,
    COMMITTEE_HOUSEHOLDS_PER_MEMBER,
)
