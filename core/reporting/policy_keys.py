"""The policy keys the reporting calendar reads."""

from __future__ import annotations

from core.policy.keys import PolicyKey, ValueType

NEXT_WORKING_DAY = "next_working_day"
PREVIOUS_WORKING_DAY = "previous_working_day"
UNCHANGED = "unchanged"

LOCK_AFTER_DAYS = PolicyKey(
    key="reporting.lock_after_days",
    type=ValueType.INT,
    default=10,
    min=0,
    max=366,
    unit="天",
    description="报送截止日后多少天锁定该期：锁定后不能再报送，须上级重新开放",
)

HOLIDAY_SHIFT = PolicyKey(
    key="reporting.holiday_shift",
    type=ValueType.STRING,
    default=NEXT_WORKING_DAY,
    choices=(NEXT_WORKING_DAY, PREVIOUS_WORKING_DAY, UNCHANGED),
    description="截止日遇节假日或周末时：顺延至下一个工作日、提前至上一个工作日，或不变",
)

REPORTING_POLICY_KEYS: tuple[PolicyKey, ...] = (LOCK_AFTER_DAYS, HOLIDAY_SHIFT)
