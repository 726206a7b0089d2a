"""Thresholds with their comparator (DOMAIN 3.2).

In Chinese legal usage 以上, 以下, 不少于, 不超过 include the number; 超过,
不足, 低于 exclude it. The seeds mix them, and where two bands share a
boundary (50—100人 / 100人以上) one of them owns it. So a threshold is a
policy value *and* a comparator, both locality policy: the default is the
literal reading of the seed, a locality may choose the other.
"""

from __future__ import annotations

from typing import Any

from core.policy.keys import PolicyKey, ValueType

AT_LEAST = ">="
MORE_THAN = ">"
AT_MOST = "<="
LESS_THAN = "<"

COMPARATOR_NAMES = {
    AT_LEAST: "以上（含本数）",
    MORE_THAN: "超过（不含本数）",
    AT_MOST: "以下（含本数）",
    LESS_THAN: "不足（不含本数）",
}
# The two readings of the same boundary, per direction.
UPWARD = (AT_LEAST, MORE_THAN)
DOWNWARD = (AT_MOST, LESS_THAN)


def compare(value: Any, comparator: str, threshold: Any) -> bool:
    """Whether ``value`` meets ``threshold`` read with ``comparator``."""
    if comparator == AT_LEAST:
        return bool(value >= threshold)
    if comparator == MORE_THAN:
        return bool(value > threshold)
    if comparator == AT_MOST:
        return bool(value <= threshold)
    if comparator == LESS_THAN:
        return bool(value < threshold)
    raise ValueError(f"unknown comparator {comparator!r}")


def comparator_key(key: str, default: str, description: str) -> PolicyKey:
    """The policy key holding a threshold's comparator: the two readings of
    the default's direction are the choices."""
    choices = UPWARD if default in UPWARD else DOWNWARD
    if default not in choices:
        raise ValueError(f"unknown comparator {default!r}")
    names = "；".join(f"{c} {COMPARATOR_NAMES[c]}" for c in choices)
    return PolicyKey(
        key=key, type=ValueType.STRING, default=default, choices=choices, description=f"{description}（{names}）"
    )


def describe(comparator: str, threshold: Any, unit: str = "") -> str:
    """Chinese text of a threshold, e.g. "50人以下（含本数）"."""
    return f"{threshold}{unit}{COMPARATOR_NAMES[comparator]}"
