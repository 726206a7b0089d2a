"""Indicators: named figures computed in SQL for a unit's subtree and a period.

Core and plugins declare them through ``register_indicators``. Rules checked
when the registry is first needed (a breach stops there with an
``IndicatorError`` naming every problem): a code is declared once; a plugin's
code starts with its name and a dot; core's codes are ``<module>.<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.plugin_host import CORE_PLUGIN_MODULES, PluginError, PluginHost, host_of

CORE_OWNER = "core"

# (session, unit, first day, last day) -> the figure for the unit's subtree.
Compute = Callable[[Session, OrgUnit, date, date], "int | Decimal"]


class IndicatorError(PluginError):
    """An indicator declaration is invalid; stops the request that needs them."""


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    description: str
    compute: Compute
    # Display unit: 件, 户, 人, 次, 元.
    unit: str = ""
    # Other names a form's hand-entered field may carry for the same figure.
    aliases: tuple[str, ...] = ()
    # Set by the registry: the declaring plugin's name (or "core").
    plugin: str = ""

    def value(self, session: Session, unit: OrgUnit, start: date, end: date) -> Decimal:
        return Decimal(self.compute(session, unit, start, end) or 0)


def _norm(text: str) -> str:
    return "".join(text.split()).lower()


@dataclass(frozen=True)
class IndicatorRegistry:
    indicators: Mapping[str, Indicator]

    def all(self) -> list[Indicator]:
        return list(self.indicators.values())

    def get(self, code: str) -> Indicator | None:
        return self.indicators.get(code)

    def require(self, code: str, *, field: str | None = "indicatorCode") -> Indicator:
        found = self.indicators.get(code)
        if found is None:
            raise UserInputError("UNKNOWN_INDICATOR", f"没有“{code}”这个指标（或其所属模块未启用）。", field)
        return found

    def matching(self, code: str, label: str) -> Indicator | None:
        """The indicator a hand-entered field asks for again: same code, name or alias."""
        wanted = {_norm(code), _norm(label)} - {""}
        for indicator in self.indicators.values():
            names = {_norm(indicator.code), _norm(indicator.name), *(_norm(a) for a in indicator.aliases)}
            if wanted & names:
                return indicator
        return None


def build_registry(host: PluginHost) -> IndicatorRegistry:
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, Indicator] = {}
    for impl in host.manager.hook.register_indicators.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        try:
            # pluggy types every hook implementation's result as object.
            items = cast(Iterable[object], impl.function() or [])
        except Exception as exc:
            problems.append(f"{impl.plugin_name}: register_indicators failed: {exc!r}")
            continue
        for item in items:
            if not isinstance(item, Indicator):
                problems.append(f"{impl.plugin_name}: not an Indicator: {item!r}")
                continue
            if owner == CORE_OWNER and item.code.count(".") < 1:
                problems.append(f"{item.code!r}: core codes are '<module>.<name>'")
            elif owner != CORE_OWNER and not item.code.startswith(f"{owner}."):
                problems.append(f"{item.code!r} must start with the plugin's name: '{owner}.'")
            elif not item.name.strip():
                problems.append(f"{item.code!r}: a Chinese name is required")
            elif item.code in declared:
                problems.append(f"indicator {item.code!r} declared more than once")
            else:
                declared[item.code] = replace(item, plugin=owner)
    if problems:
        raise IndicatorError("invalid indicators:\n  " + "\n  ".join(problems))
    return IndicatorRegistry(indicators=dict(sorted(declared.items())))


def registry_for(host: PluginHost) -> IndicatorRegistry:
    return host.derived("indicators.registry", build_registry)


def registry_for_context(context: Any) -> IndicatorRegistry:
    return registry_for(host_of(context))
