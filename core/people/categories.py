"""Resident categories (低保对象, 残疾人, 社区矫正人员 …): declared by core and by
plugins through ``register_resident_categories``, attached to residents in
``resident_category`` rows.

A category is a mark on the one shared resident record, never a copy of the
person. Sensitive categories (criminal history, drug use, petitions, health,
minors at risk) are listed and shown only to callers holding
``people.view_sensitive`` where the resident lives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of

CORE_OWNER = "core"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
MAX_CODE_LENGTH = 64  # resident_category.category


@dataclass(frozen=True)
class CategoryDeclaration:
    """A resident category core or a plugin attaches.

    ``sensitive`` categories are shown only to callers with
    ``people.view_sensitive`` at the resident's unit. ``plugin`` is set by
    the registry: "core" or the declaring plugin's name."""

    code: str
    name: str
    sensitive: bool = False
    plugin: str = CORE_OWNER


# Health (残疾), criminal history, drug use, petitions and minors at risk are
# sensitive personal information (PIPL art. 28); so is receiving subsistence
# allowance, which discloses a family's finances.
CORE_CATEGORIES: tuple[CategoryDeclaration, ...] = (
    CategoryDeclaration("subsistence_allowance", "低保对象", sensitive=True),
    CategoryDeclaration("disabled", "残疾人", sensitive=True),
    CategoryDeclaration("entitled_group", "优抚对象"),
    CategoryDeclaration("community_correction", "社区矫正人员", sensitive=True),
    CategoryDeclaration("released_prisoner", "刑释解教人员", sensitive=True),
    CategoryDeclaration("drug_rehabilitation", "吸毒人员", sensitive=True),
    CategoryDeclaration("key_person", "重点人员", sensitive=True),
    CategoryDeclaration("petitioner", "信访人员", sensitive=True),
    CategoryDeclaration("youth_at_risk", "重点青少年", sensitive=True),
)


class CategoryDeclarationError(RuntimeError):
    """Category declarations that cannot be used."""


@dataclass(frozen=True)
class CategoryRegistry:
    categories: Mapping[str, CategoryDeclaration]

    def get(self, code: str) -> CategoryDeclaration | None:
        return self.categories.get(code)

    def all(self) -> list[CategoryDeclaration]:
        return list(self.categories.values())

    def sensitive_codes(self) -> frozenset[str]:
        return frozenset(code for code, c in self.categories.items() if c.sensitive)


def _adapt(item: Any, owner: str) -> CategoryDeclaration:
    if isinstance(item, CategoryDeclaration):
        return replace(item, plugin=owner)
    code, name = getattr(item, "code", None), getattr(item, "name", None)
    if not isinstance(code, str) or not isinstance(name, str) or not name.strip():
        raise CategoryDeclarationError(f"a resident category needs a code and a Chinese name: {item!r}")
    return CategoryDeclaration(code, name, bool(getattr(item, "sensitive", False)), owner)


def build_category_registry(host: PluginHost) -> CategoryRegistry:
    """Every category of ``host``: core's and the enabled plugins'. A code
    declared twice, a malformed code or a plugin code outside the plugin's
    namespace stops with a message naming the plugin."""
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, CategoryDeclaration] = {}
    for impl in host.manager.hook.register_resident_categories.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        for item in declared_by(impl):
            try:
                category = _adapt(item, owner)
            except CategoryDeclarationError as exc:
                problems.append(f"{impl.plugin_name}: {exc}")
                continue
            if len(category.code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(category.code):
                problems.append(f"{impl.plugin_name}: {category.code!r} is not a category code")
            elif owner != CORE_OWNER and not category.code.startswith(f"{owner}."):
                problems.append(f"{impl.plugin_name}: category {category.code!r} must start with '{owner}.'")
            elif owner == CORE_OWNER and "." in category.code:
                problems.append(f"{impl.plugin_name}: core category {category.code!r} must not contain a dot")
            elif category.code in declared:
                problems.append(f"category {category.code!r} declared more than once")
            else:
                declared[category.code] = category
    if problems:
        raise CategoryDeclarationError("invalid resident categories:\n  " + "\n  ".join(problems))
    return CategoryRegistry(categories=declared)


def categories_for(host: PluginHost) -> CategoryRegistry:
    """The resident categories declared in a deployment, built and checked once per host."""
    return host.derived("people.categories", build_category_registry)


def categories_for_context(context: Any) -> CategoryRegistry:
    """The category registry behind a GraphQL request context."""
    return categories_for(host_of(context))
