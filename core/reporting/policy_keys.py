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

# A unit owes a period if it existed on the period's first day; one set up
# later in the period owes it only where a locality says so.
OWE_ESTABLISHMENT_PERIOD = PolicyKey(
    key="reporting.owe_establishment_period",
    type=ValueType.BOOLEAN,
    default=False,
    description="新设单位是否须报送其设立当期：否时从设立后第一个完整期间起报送（设立日恰为期初的当期照常报送），是时设立当期也须报送",
)

REPORTING_POLICY_KEYS: tuple[PolicyKey, ...] = (LOCK_AFTER_DAYS, HOLIDAY_SHIFT, OWE_ESTABLISHMENT_PERIOD)
