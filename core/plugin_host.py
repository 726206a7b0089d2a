"""Loads plugins from the ``jiceng.plugins`` entry-point group.

Core's own features (the organization tree, ...) register through the same
hooks as plugins, but are always on and never come from entry points. Core
never imports a plugin: built-in plugins under ``plugins/`` are found through
the entry points declared in ``pyproject.toml``, like third-party ones.
"""

from __future__ import annotations

import functools
import importlib
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from types import ModuleType
from typing import Any, TypeVar, cast

import pluggy
from strawberry.schema.name_converter import NameConverter

from core import hookspecs
from core.hookspecs import ENTRY_POINT_GROUP, PROJECT_NAME

# Core modules that implement hooks; registered in every deployment.
CORE_PLUGIN_MODULES: tuple[str, ...] = (
    "core.org.plugin",
    "core.policy.plugin",
    "core.audit.plugin",
    "core.auth.plugin",
    "core.people.plugin",
    "core.posts.plugin",
    "core.reporting.plugin",
    "core.board.plugin",
    "core.visits.plugin",
    "core.documents.plugin",
    "core.seals.plugin",
    "core.admission.plugin",
    "core.indicators.plugin",
    "core.spreadsheets.plugin",
    "core.meetings.plugin",
)

# Hooks whose results describe what a plugin contributes (``jiceng plugins``).
CONTRIBUTION_HOOKS: tuple[str, ...] = (
    "register_models",
    "register_query_fields",
    "register_mutation_fields",
    "register_graphql_types",
    "register_permissions",
    "register_policy_keys",
    "register_post_kinds",
    "register_obligation_types",
    "register_indicators",
    "register_meeting_kinds",
    "register_resident_categories",
    "register_notice_categories",
    "register_document_classes",
    "register_sensitive_fields",
    "register_migration_locations",
)


T = TypeVar("T")


class PluginError(RuntimeError):
    """A plugin cannot be loaded or is enabled but not installed."""


@dataclass(frozen=True)
class InstalledPlugin:
    name: str
    version: str
    distribution: str
    entry_point: EntryPoint


@dataclass
class PluginHost:
    """The plugin manager of one deployment, with the enabled plugins loaded."""

    manager: pluggy.PluginManager
    enabled: tuple[str, ...]
    installed: dict[str, InstalledPlugin] = field(default_factory=dict)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def hook(self) -> Any:
        return self.manager.hook

    def collect(self, hook_name: str, **kwargs: Any) -> list[Any]:
        """Call a ``register_*`` hook and flatten the lists it returns."""
        results = getattr(self.manager.hook, hook_name)(**kwargs)
        return list(itertools.chain.from_iterable(r or () for r in results))

    def derived(self, name: str, build: Callable[[PluginHost], T]) -> T:
        """A value built once per host from its hooks, such as the registry
        of declared permissions; ``build`` also validates the declarations,
        so calling this at start-up stops a bad plugin there."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]

    def plugin_objects(self) -> dict[str, object]:
        return {name: self.manager.get_plugin(name) for name in self.enabled}


def declared_by(impl: pluggy.HookImpl) -> list[Any]:
    """What one plugin's implementation of a ``register_*`` hook declares
    (``None`` declares nothing). pluggy types every hook result as ``object``;
    the hook specifications say what it is."""
    return cast("list[Any] | None", impl.function()) or []


def plugin_titles(host: PluginHost) -> dict[str, str]:
    """Plugin name -> its Chinese name (``plugin_title``), for the plugins that give one."""

    def build(host: PluginHost) -> dict[str, str]:
        titles: dict[str, str] = {}
        for impl in host.manager.hook.plugin_title.get_hookimpls():
            title = impl.function()
            if isinstance(title, str) and title.strip():
                titles[impl.plugin_name] = title.strip()
        return titles

    return host.derived("plugin.titles", build)


def plugin_title(host: PluginHost | None, name: str) -> str:
    """The Chinese name users see for plugin ``name`` (its code name when it declares none)."""
    return plugin_titles(host).get(name, name) if host is not None else name


def discover_plugins() -> dict[str, InstalledPlugin]:
    """Every plugin installed in this environment, by entry-point name."""
    found: dict[str, InstalledPlugin] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist
        found[ep.name] = InstalledPlugin(
            name=ep.name,
            version=dist.version if dist else "unknown",
            distribution=dist.metadata["Name"] if dist else "unknown",
            entry_point=ep,
        )
    return found


def _new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    for module_name in CORE_PLUGIN_MODULES:
        manager.register(importlib.import_module(module_name), name=module_name)
    return manager


def load_plugin_host(enabled: Sequence[str] | str) -> PluginHost:
    """Build a plugin manager with core and the enabled plugins.

    ``enabled`` is a list of plugin names or ``"*"`` for every installed
    plugin. An enabled plugin that is not installed, or a hook implementation
    without a specification, stops start-up with a clear message.
    """
    installed = discover_plugins()
    names = tuple(sorted(installed)) if enabled == "*" else tuple(enabled)
    missing = [name for name in names if name not in installed]
    if missing:
        raise PluginError(
            f"enabled plugin(s) not installed: {', '.join(missing)}; "
            f"installed: {', '.join(sorted(installed)) or 'none'}"
        )
    manager = _new_manager()
    for name in names:
        module = _load(installed[name])
        try:
            manager.register(module, name=name)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {name!r} does not match the hook specifications: {exc}") from exc
    # Rejects implementations of hooks that do not exist (typos included).
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as exc:
        name = manager.get_name(exc.plugin) or repr(exc.plugin)
        raise PluginError(f"plugin {name!r} implements a hook that does not exist: {exc}") from exc
    return PluginHost(manager=manager, enabled=names, installed=installed)


@functools.lru_cache(maxsize=16)
def host_for_plugins(enabled: tuple[str, ...] | str) -> PluginHost:
    """A shared host for these enabled plugins, for code that has settings
    but no deployment at hand (command-line helpers, contexts built by hand)."""
    return load_plugin_host(enabled)


def host_of(context: Any) -> PluginHost:
    """The plugin host behind a request context: the deployment's when the
    context carries it, else one built from the context's settings."""
    host = getattr(context, "host", None)
    return host if host is not None else host_for_plugins(context.settings.plugins)


def _load(plugin: InstalledPlugin) -> ModuleType | object:
    try:
        return plugin.entry_point.load()
    except Exception as exc:  # the plugin's own import error, shown with its name
        raise PluginError(f"plugin {plugin.name!r} failed to load: {exc!r}") from exc


def disabled_plugin_migration_locations(host: PluginHost) -> list[str]:
    """Version directories of installed plugins that are not enabled.

    Their revisions are never applied; the migration runner reads them only
    to understand a version table written while those plugins were enabled.
    """
    locations: list[str] = []
    for name, plugin in sorted(host.installed.items()):
        if name in host.enabled:
            continue
        impl = getattr(_load(plugin), "register_migration_locations", None)
        if impl is not None:
            locations.extend(str(location) for location in impl() or ())
    return locations


def describe_contributions(plugin: object) -> dict[str, list[str]]:
    """What one plugin adds, by hook, in words a deployer reads."""
    described: dict[str, list[str]] = {}
    for hook_name in CONTRIBUTION_HOOKS:
        impl = getattr(plugin, hook_name, None)
        if impl is None:
            continue
        items = impl() or []
        if hook_name == "register_graphql_types":
            # Types by their GraphQL name; query and mutation classes by the fields they add.
            described["graphql_types"] = [_type_name(item) for item in items]
        else:
            described[hook_name.removeprefix("register_")] = [_describe(item) for item in items]
    return described


def _type_name(item: Any) -> str:
    definition = getattr(item, "__strawberry_definition__", None)
    return str(definition.name) if definition is not None else getattr(item, "__name__", repr(item))


def _describe(item: Any) -> str:
    if isinstance(item, str):
        return item
    if hasattr(item, "__tablename__"):
        return str(item.__tablename__)
    if hasattr(item, "type_name") and hasattr(item, "field"):  # a sensitive field
        return f"{item.type_name}.{item.field}"
    if hasattr(item, "code"):
        return str(item.code)
    if hasattr(item, "key"):
        return str(item.key)
    definition = getattr(item, "__strawberry_definition__", None)
    if definition is not None:
        # Field names as the schema spells them (core's schema uses camelCase).
        return ", ".join(NameConverter().get_graphql_name(f) for f in definition.fields) or definition.name
    return getattr(item, "__name__", repr(item))


def iter_enabled(host: PluginHost) -> Iterable[tuple[str, object]]:
    for name in host.enabled:
        yield name, host.manager.get_plugin(name)
