"""Permissions and locality-policy keys this plugin declares.

Permissions are core's ``Permission`` declarations; ``default_roles`` names
the built-in roles that carry each one (``jiceng user sync-roles`` after
enabling the plugin). Policy keys are plain records: the host lists them
(``jiceng plugins``) by ``key``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.auth.permissions import Permission


@dataclass(frozen=True)
class PolicyKey:
    """A locality-policy value: its key, Python type, default and Chinese
    description; ``validate`` tells whether a value is acceptable."""

    key: str
    type: type
    default: object
    description: str
    check: Callable[[object], bool]

    def validate(self, value: object) -> bool:
        return self.check(value)


def _ratio(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# Community staff keep the register; street and district staff oversee it.
VIEW = Permission(
    "volunteer.view",
    "查看志愿者名册",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "street_staff",
        "street_leader",
        "district_supervisor",
    ),
)
REGISTER = Permission(
    "volunteer.register",
    "登记志愿者",
    default_roles=("community_worker", "committee_chair", "street_staff", "street_leader"),
)

# 注册志愿者人数不低于居民人数的 10 %；每年开展志愿服务活动不少于 6 次。
MIN_REGISTRATION_RATIO = PolicyKey(
    "volunteer.min_registration_ratio", float, 0.10, "注册志愿者人数占居民人数的最低比例（0 到 1）", _ratio
)
MIN_ACTIVITIES_PER_YEAR = PolicyKey(
    "volunteer.min_activities_per_year", int, 6, "每年开展志愿服务活动的最少次数", _count
)

PERMISSIONS = (VIEW, REGISTER)
POLICY_KEYS = (MIN_REGISTRATION_RATIO, MIN_ACTIVITIES_PER_YEAR)
