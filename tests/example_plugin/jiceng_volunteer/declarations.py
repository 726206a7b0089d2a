"""Permissions and locality-policy keys this plugin declares.

Plain records: the host lists them (``jiceng plugins``) by ``code`` and
``key``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    code: str
    description: str


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


VIEW = Permission("volunteer.view", "查看志愿者名册")
REGISTER = Permission("volunteer.register", "登记志愿者")

# 注册志愿者人数不低于居民人数的 10 %；每年开展志愿服务活动不少于 6 次。
MIN_REGISTRATION_RATIO = PolicyKey(
    "volunteer.min_registration_ratio", float, 0.10, "注册志愿者人数占居民人数的最低比例（0 到 1）", _ratio
)
MIN_ACTIVITIES_PER_YEAR = PolicyKey(
    "volunteer.min_activities_per_year", int, 6, "每年开展志愿服务活动的最少次数", _count
)

PERMISSIONS = (VIEW, REGISTER)
POLICY_KEYS = (MIN_REGISTRATION_RATIO, MIN_ACTIVITIES_PER_YEAR)
