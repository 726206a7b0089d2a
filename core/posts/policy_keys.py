"""Policy keys the posts module reads besides core's
``org.committee.households_per_member`` and ``org.grid.max_households``.
Defaults are one locality's numbers (the seed is named on each key)."""

from __future__ import annotations

from core.policy.keys import PolicyKey, ValueType

PERSONS = "人"

COMMITTEE_MEMBERS_MIN = PolicyKey(
    key="org.committee.members_min",
    type=ValueType.INT,
    default=5,  # 000 青岛市四方区：社区居民委员会由5—9人组成
    min=1,
    max=100,
    unit=PERSONS,
    description="居民（村民）委员会成员人数下限，少于此数时提示增补（提示，不阻止）",
)

COMMITTEE_MEMBERS_MAX = PolicyKey(
    key="org.committee.members_max",
    type=ValueType.INT,
    default=9,  # 000 青岛市四方区：社区居民委员会由5—9人组成
    min=1,
    max=100,
    unit=PERSONS,
    description="居民（村民）委员会成员人数上限，超过此数时提示（提示，不阻止）",
)

POSTS_POLICY_KEYS: tuple[PolicyKey, ...] = (COMMITTEE_MEMBERS_MIN, COMMITTEE_MEMBERS_MAX)
