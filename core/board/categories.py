"""Notice categories: core's (政务、事务、财务、党务 …) and those plugins
declare through ``register_notice_categories``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of

CORE_OWNER = "core"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")
MAX_CODE_LENGTH = 64  # notice.category


@dataclass(frozen=True)
class NoticeCategory:
    """A category of notice; ``plugin`` is set by the registry."""

    code: str
    name: str
    plugin: str = CORE_OWNER


CORE_CATEGORIES: tuple[NoticeCategory, ...] = (
    NoticeCategory("government_affairs", "政务公开"),
    NoticeCategory("community_affairs", "居（村）务公开"),
    NoticeCategory("finance", "财务公开"),
    NoticeCategory("party_affairs", "党务公开"),
    NoticeCategory("other", "其他"),
)


class NoticeCategoryError(RuntimeError):
    """Category declarations that cannot be used."""


@dataclass(frozen=True)
class NoticeCategoryRegistry:
    categories: Mapping[str, NoticeCategory]

    def get(self, code: str) -> NoticeCategory | None:
        return self.categories.get(code)

    def name(self, code: str) -> str:
        found = self.categories.get(code)
        return found.name if found else code

    def all(self) -> list[NoticeCategory]:
        return list(self.categories.values())


def build_registry(host: PluginHost) -> NoticeCategoryRegistry:
    """Core's and the enabled plugins' categories. A code declared twice, a
    malformed code or a plugin code outside ``<plugin>.`` stops with a message."""
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, NoticeCategory] = {}
    for impl in host.manager.hook.register_notice_categories.get_hookimpls():
        owner = CORE_OWNER if impl.plugin_name in core_modules else impl.plugin_name
        for item in declared_by(impl):
            code, name = getattr(item, "code", None), getattr(item, "name", None)
            if not isinstance(code, str) or not isinstance(name, str) or not name.strip():
                problems.append(f"{impl.plugin_name}: a notice category needs a code and a Chinese name: {item!r}")
                continue
            category = (
                replace(item, plugin=owner) if isinstance(item, NoticeCategory) else NoticeCategory(code, name, owner)
            )
            if len(code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(code):
                problems.append(f"{impl.plugin_name}: {code!r} is not a category code")
            elif owner != CORE_OWNER and not code.startswith(f"{owner}."):
                problems.append(f"{impl.plugin_name}: category {code!r} must start with '{owner}.'")
            elif owner == CORE_OWNER and "." in code:
                problems.append(f"{impl.plugin_name}: core category {code!r} must not contain a dot")
            elif code in declared:
                problems.append(f"notice category {code!r} declared more than once")
            else:
                declared[code] = category
    if problems:
        raise NoticeCategoryError("invalid notice categories:\n  " + "\n  ".join(problems))
    return NoticeCategoryRegistry(categories=declared)


def categories_for(host: PluginHost) -> NoticeCategoryRegistry:
    return host.derived("board.categories", build_registry)


def categories_for_context(context: Any) -> NoticeCategoryRegistry:
    return categories_for(host_of(context))
