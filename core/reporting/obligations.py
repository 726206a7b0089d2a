"""Obligation types: what a unit owes, how often and by when.

Domain plugins declare them through the ``register_obligation_types`` hook.
Rules checked when the registry is built (any breach stops start-up with an
``ObligationTypeError`` naming every problem):

- a code is declared once and starts with the declaring plugin's name and a
  dot (``mediation.monthly_report`` for plugin ``mediation``);
- ``kind`` is one of ``KINDS``, ``recurrence`` one of ``RECURRENCES``;
- ``levels`` names at least one org level, by role in the tree
  (``grassroots``, ``subdistrict``, ... see ``core.settings.LEVEL_ROLES``) or
  by level code; roles are resolved from the deployment's configured levels;
- a recurring type has a ``DueRule`` whose ``day_key`` is a declared policy
  key of type ``day_of_month``; a ``times_a_month`` type names the int
  policy key of its count per month (``count_key``), so a locality sets how
  often it is owed; a ``per_event`` type is never materialized
  by the calendar (the declaring plugin opens its instances itself).

Core declares the public board's monthly disclosures itself
(``core.board.obligations``), owed wherever the level is. A plugin's type is
owed only by units of the listed levels where the declaring plugin is active (``plugin.<name>.active``, ``core.policy``), and, when the
type has ``owed_where``, only by the units that function keeps: a plugin
narrows by its own data ("communities that have a big party committee").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from core.api.errors import UserInputError
from core.plugin_host import CORE_PLUGIN_MODULES, PluginError, PluginHost, declared_by, host_of
from core.policy.keys import ValueType
from core.policy.registry import registry_for as policy_registry_for
from core.reporting.calendar import TIMES_A_MONTH

CORE_OWNER = "core"

KINDS: Mapping[str, str] = {
    "report": "报表",
    "meeting": "会议",
    "disclosure": "公开",
    "visit": "走访",
}
RECURRENCES: Mapping[str, str] = {
    TIMES_A_MONTH: "每月若干次（次数按地方策略）",
    "half_monthly": "每半月",
    "monthly": "每月",
    "bimonthly": "每两个月",
    "quarterly": "每季度",
    "half_yearly": "每半年",
    "yearly": "每年",
    "per_event": "按事项",
}
PER_EVENT = "per_event"


class ObligationTypeError(PluginError):
    """An obligation-type declaration is invalid; stops start-up."""


@dataclass(frozen=True)
class DueRule:
    """The deadline of a period: day ``day_key`` (a ``day_of_month`` policy
    key, resolved for the owing unit) of the month ``month_offset`` months
    after the month the period ends in — 1: "by the Nth of the next month",
    0: "by the Nth of the same month". A day past the month's end is the
    month's last day.

    Where localities differ on the month itself (Dingyuan: by the 5th of the
    next month; Taonan: by the 25th of the same month), ``next_month_key``
    names a boolean policy key: true means offset 1, false offset 0, and
    ``month_offset`` is then unused."""

    day_key: str
    month_offset: int = 1
    next_month_key: str | None = None

    def offset(self, next_month: bool | None) -> int:
        """The month offset, given the value of ``next_month_key`` (if any)."""
        if self.next_month_key is None or next_month is None:
            return self.month_offset
        return 1 if next_month else 0


# (session, candidate units, (period start, period end)) -> ids of the units that owe.
OwedWhere = Callable[[Any, Sequence[Any], tuple[Any, Any]], Iterable[int]]


@dataclass(frozen=True)
class ObligationType:
    code: str
    name: str
    kind: str
    levels: tuple[str, ...]
    recurrence: str
    due: DueRule | None = None
    description: str = ""
    # False: core's generic submitObligation/submitZeroReport refuse it, because
    # the declaring plugin submits it with its own content (a report's figures).
    generic_submission: bool = True
    # Narrows the owing units by the plugin's own records; None: every active unit of the levels.
    owed_where: OwedWhere | None = None
    # For recurrence "times_a_month": an int policy key, the number of periods a month
    # for the owing unit (the month is split as core.reporting.calendar.month_periods says).
    count_key: str | None = None
    # Set by the registry: the declaring plugin's name.
    plugin: str = ""


@dataclass(frozen=True)
class ObligationRegistry:
    types: Mapping[str, ObligationType]

    def all(self) -> list[ObligationType]:
        return list(self.types.values())

    def get(self, code: str) -> ObligationType | None:
        return self.types.get(code)

    def require(self, code: str, *, field: str | None = "typeCode") -> ObligationType:
        found = self.types.get(code)
        if found is None:
            raise UserInputError("UNKNOWN_OBLIGATION_TYPE", f"未知的报送事项“{code}”。", field)
        return found


def build_registry(host: PluginHost) -> ObligationRegistry:
    policy = policy_registry_for(host)
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, ObligationType] = {}
    for impl in host.manager.hook.register_obligation_types.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        try:
            items = declared_by(impl)
        except Exception as exc:  # the plugin's own error, shown with its name
            problems.append(f"{impl.plugin_name}: register_obligation_types failed: {exc!r}")
            continue
        for item in items:
            if not isinstance(item, ObligationType):
                problems.append(f"{impl.plugin_name}: not an ObligationType: {item!r}")
                continue
            item = ObligationType(**{**item.__dict__, "plugin": owner, "levels": tuple(item.levels)})
            problem = _problem(item, owner, policy)
            if problem:
                problems.append(f"{impl.plugin_name}: {problem}")
            elif item.code in declared:
                problems.append(f"obligation type {item.code!r} declared more than once")
            else:
                declared[item.code] = item
    if problems:
        raise ObligationTypeError("invalid obligation types:\n  " + "\n  ".join(problems))
    return ObligationRegistry(types=dict(sorted(declared.items())))


def _problem(item: ObligationType, owner: str, policy: Any) -> str | None:
    if owner == CORE_OWNER:
        # Core's own (the public board's monthly disclosures): '<module>.<name>', owed wherever the level is.
        if item.code.count(".") != 1:
            return f"{item.code!r}: core codes are '<module>.<name>'"
    elif not item.code.startswith(f"{owner}."):
        return f"{item.code!r} must start with the plugin's name: '{owner}.'"
    if not item.name.strip():
        return f"{item.code!r}: a Chinese name is required"
    if item.kind not in KINDS:
        return f"{item.code!r}: kind must be one of {list(KINDS)}"
    if item.recurrence not in RECURRENCES:
        return f"{item.code!r}: recurrence must be one of {list(RECURRENCES)}"
    if not item.levels:
        return f"{item.code!r}: name the org levels that owe it"
    if item.recurrence != PER_EVENT:
        if item.due is None:
            return f"{item.code!r}: a recurring obligation needs a DueRule"
        key = policy.get(item.due.day_key)
        if key is None or key.type is not ValueType.DAY_OF_MONTH:
            return f"{item.code!r}: due day key {item.due.day_key!r} must be a declared day_of_month policy key"
        if item.due.month_offset < 0 or item.due.month_offset > 12:
            return f"{item.code!r}: month_offset must be between 0 and 12"
        if (item.recurrence == TIMES_A_MONTH) != (item.count_key is not None):
            return f"{item.code!r}: a count_key goes with recurrence {TIMES_A_MONTH!r}, and only with it"
        if item.count_key is not None:
            count = policy.get(item.count_key)
            if count is None or count.type is not ValueType.INT:
                return f"{item.code!r}: count_key {item.count_key!r} must be a declared int policy key"
        if item.due.next_month_key is not None:
            flag = policy.get(item.due.next_month_key)
            if flag is None or flag.type is not ValueType.BOOLEAN:
                return (
                    f"{item.code!r}: next_month_key {item.due.next_month_key!r} must be a declared boolean policy key"
                )
    return None


def registry_for(host: PluginHost) -> ObligationRegistry:
    """The obligation types of a deployment, built and checked once per host."""
    return host.derived("reporting.obligation_types", build_registry)


def registry_for_context(context: Any) -> ObligationRegistry:
    return registry_for(host_of(context))
