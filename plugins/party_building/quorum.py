"""Quorum and majority of a meeting: one small rule with its policy as input.

"半数以上" reads "at least half" (DOMAIN 3.2); "过半数" and the seed's
"赞同人数不超过应到会半数……不能" read "more than half". Which reading a
meeting kind uses, or whether it has a rule at all, is locality policy
(``party_building.meetings.<kind>.quorum`` / ``.majority``); this module
only applies it, so that meetings can move to a shared service unchanged.
"""

from __future__ import annotations

NO_RULE = "none"
AT_LEAST_HALF = "at_least_half"
MORE_THAN_HALF = "more_than_half"
RULE_NAMES = {
    NO_RULE: "不作要求",
    AT_LEAST_HALF: "半数以上（含半数）",
    MORE_THAN_HALF: "过半数（不含半数）",
}


def meets(rule: str, count: int, due: int) -> bool:
    """Whether ``count`` of ``due`` people satisfy ``rule``."""
    if rule == NO_RULE:
        return True
    if due <= 0:
        return False
    if rule == AT_LEAST_HALF:
        return count * 2 >= due
    if rule == MORE_THAN_HALF:
        return count * 2 > due
    raise ValueError(f"unknown quorum rule {rule!r}")


def shortfall_message(rule: str, count: int, due: int, what: str) -> str:
    """Chinese text of a rule not met, e.g. for a quorum or a vote."""
    return f"应到 {due} 人，{what} {count} 人，未达到{RULE_NAMES[rule]}。"
