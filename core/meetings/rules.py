"""Quorum and majority rules of meetings, with their policy as input (DOMAIN 3.2).

"半数以上" reads "at least half"; "过半数" reads "more than half"; the seeds
also use fractions (三分之二以上). Which reading a kind uses, and whether the
share is of those who should attend (应到) or of those present (实到), is
locality policy: a ``VoteRule`` names the policy keys, this module applies
their values.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from core.policy.keys import PolicyKey, ValueType

NO_RULE = "none"
AT_LEAST_HALF = "at_least_half"
MORE_THAN_HALF = "more_than_half"
AT_LEAST_FRACTION = "at_least_fraction"
MORE_THAN_FRACTION = "more_than_fraction"
RULE_NAMES = {
    NO_RULE: "不作要求",
    AT_LEAST_HALF: "半数以上（含半数）",
    MORE_THAN_HALF: "过半数（不含半数）",
    AT_LEAST_FRACTION: "规定比例以上（含本数）",
    MORE_THAN_FRACTION: "超过规定比例（不含本数）",
}
HALF_RULES = (NO_RULE, AT_LEAST_HALF, MORE_THAN_HALF)

EXPECTED = "expected"
PRESENT = "present"
BASE_NAMES = {EXPECTED: "应到人数", PRESENT: "实到人数"}


def parse_fraction(text: str) -> Fraction:
    """``"2/3"`` → 2/3; a share between 0 and 1."""
    value = Fraction(text.strip())
    if not 0 < value <= 1:
        raise ValueError(f"a share between 0 and 1, not {text!r}")
    return value


def meets(rule: str, count: int, base: int, fraction: Fraction | None = None) -> bool:
    """Whether ``count`` of ``base`` people satisfy ``rule``."""
    if rule == NO_RULE:
        return True
    if base <= 0:
        return False
    if rule == AT_LEAST_HALF:
        return count * 2 >= base
    if rule == MORE_THAN_HALF:
        return count * 2 > base
    if rule in (AT_LEAST_FRACTION, MORE_THAN_FRACTION):
        if fraction is None:
            raise ValueError(f"rule {rule!r} needs a fraction")
        needed = fraction * base
        return count >= needed if rule == AT_LEAST_FRACTION else count > needed
    raise ValueError(f"unknown rule {rule!r}")


def rule_text(rule: str, fraction: Fraction | None = None) -> str:
    if rule in (AT_LEAST_FRACTION, MORE_THAN_FRACTION) and fraction is not None:
        return f"{fraction.numerator}/{fraction.denominator}{'以上（含本数）' if rule == AT_LEAST_FRACTION else '（不含本数）以上'}"
    return RULE_NAMES[rule]


def shortfall_message(
    rule: str, count: int, base: int, what: str, fraction: Fraction | None = None, base_name: str = "应到"
) -> str:
    """Chinese text of a rule not met, e.g. for a quorum or a vote."""
    return f"{base_name} {base} 人，{what} {count} 人，未达到{rule_text(rule, fraction)}。"


@dataclass(frozen=True)
class VoteRule:
    """A quorum or majority rule as locality policy: ``rule`` (a STRING key
    among ``RULE_NAMES``), the ``base`` it counts against (a STRING key with
    choices expected/present, or a fixed value) and, for the fraction rules,
    ``fraction`` (a STRING key like ``"2/3"``). The declaring plugin
    registers the keys (``policy_keys``)."""

    rule: PolicyKey
    base: PolicyKey | str = EXPECTED
    fraction: PolicyKey | None = None

    def policy_keys(self) -> list[PolicyKey]:
        keys = [self.rule]
        if isinstance(self.base, PolicyKey):
            keys.append(self.base)
        if self.fraction is not None:
            keys.append(self.fraction)
        return keys


@dataclass(frozen=True)
class RuleValues:
    """A ``VoteRule`` as policy says on a day, at a unit."""

    rule: str
    base: str = EXPECTED
    fraction: Fraction | None = None

    def meets(self, count: int, expected: int, present: int) -> bool:
        return meets(self.rule, count, expected if self.base == EXPECTED else present, self.fraction)

    def base_count(self, expected: int, present: int) -> int:
        return expected if self.base == EXPECTED else present

    def text(self) -> str:
        if self.rule == NO_RULE:
            return RULE_NAMES[NO_RULE]
        return f"以{BASE_NAMES[self.base]}计，{rule_text(self.rule, self.fraction)}"


def _fraction_ok(value: Any) -> bool | str:
    try:
        parse_fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return "比例须写成 0 到 1 之间的分数，如 2/3。"
    return True


def rule_keys(
    prefix: str,
    *,
    rule: str,
    what: str,
    base: str | None = EXPECTED,
    fraction: str | None = None,
) -> VoteRule:
    """The policy keys of one rule: ``<prefix>`` (the rule), with ``base``
    set ``<prefix>_base`` (expected/present) and with ``fraction`` set
    ``<prefix>_fraction``. ``base=None`` fixes the base to those who should
    attend without a key. ``what`` is the Chinese label (会议到会人数要求)."""
    choices = "；".join(f"{k}：{v}" for k, v in RULE_NAMES.items())
    rule_key = PolicyKey(prefix, ValueType.STRING, rule, f"{what}：{choices}", choices=tuple(RULE_NAMES))
    base_key: PolicyKey | str = EXPECTED
    if base is not None:
        base_key = PolicyKey(
            f"{prefix}_base",
            ValueType.STRING,
            base,
            f"{what}的计算基数：expected（应到人数）或 present（实到人数）",
            choices=(EXPECTED, PRESENT),
        )
    fraction_key = None
    if fraction is not None or rule in (AT_LEAST_FRACTION, MORE_THAN_FRACTION):
        fraction_key = PolicyKey(
            f"{prefix}_fraction",
            ValueType.STRING,
            fraction or "2/3",
            f"{what}的比例（如 2/3），用于“规定比例”规则",
            validator=_fraction_ok,
        )
    return VoteRule(rule=rule_key, base=base_key, fraction=fraction_key)


def values_of(rule: VoteRule, resolved: dict[str, Any]) -> RuleValues:
    """The rule's values from ``resolved`` (key → value) policy values."""
    base = resolved[rule.base.key] if isinstance(rule.base, PolicyKey) else rule.base
    fraction = None
    if rule.fraction is not None:
        try:
            fraction = parse_fraction(str(resolved[rule.fraction.key]))
        except (ValueError, ZeroDivisionError):
            fraction = Fraction(2, 3)
    return RuleValues(rule=str(resolved[rule.rule.key]), base=str(base), fraction=fraction)
