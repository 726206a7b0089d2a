"""The policy keys one deployment knows, collected from core and the enabled
plugins through the ``register_policy_keys`` hook.

Rules checked when the registry is built (any breach stops start-up with a
``PolicyKeyError`` naming every problem):

- a key is declared once: two declarations of the same key, by the same or
  different plugins, are rejected;
- a plugin's keys start with the plugin's name (``finance.…`` for plugin
  ``finance``); core's keys use namespaces that are not plugin names;
- the namespace ``plugin.`` is the host's: for every enabled plugin it adds
  ``plugin.<name>.active`` (boolean, default true: a plugin enabled in the
  deployment is in use everywhere until an org unit switches it off for its
  subtree). A plugin may declare its own ``plugin.<name>.active`` to change
  that default (for example to false, so that a locality opts in) — only as
  a boolean, and no other ``plugin.`` keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from core.api.errors import UserInputError
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_of, plugin_title
from core.policy.keys import (
    PLUGIN_NAMESPACE,
    PolicyKey,
    PolicyKeyError,
    ValueType,
    plugin_active_key,
)

CORE_OWNER = "core"
# Namespaces reserved for core even before core declares a key in them.
RESERVED_CORE_NAMESPACES = frozenset({"org", "policy", "core", PLUGIN_NAMESPACE})

KeyStatus = Literal["declared", "plugin_not_enabled", "plugin_not_installed", "unknown"]


@dataclass(frozen=True)
class PolicyRegistry:
    keys: Mapping[str, PolicyKey]
    enabled_plugins: frozenset[str]
    installed_plugins: frozenset[str]
    core_namespaces: frozenset[str]

    def all(self) -> list[PolicyKey]:
        """Every declared key, sorted by key."""
        return list(self.keys.values())

    def get(self, key: str) -> PolicyKey | None:
        return self.keys.get(key)

    def require(self, key: str | PolicyKey, *, field: str = "key") -> PolicyKey:
        """The declaration of ``key``; an unknown key is a user error."""
        if isinstance(key, PolicyKey):
            return key
        found = self.keys.get(key)
        if found is None:
            raise UserInputError("UNKNOWN_KEY", f"未知的策略项“{key}”：本部署没有声明此项。", field)
        return found

    def active_key(self, plugin: str) -> PolicyKey | None:
        return self.keys.get(f"{PLUGIN_NAMESPACE}.{plugin}.active")

    def plugin_of(self, key: str) -> str:
        """The plugin (or ``core``) a key's namespace belongs to."""
        parts = key.split(".")
        if parts[0] == PLUGIN_NAMESPACE and len(parts) > 2:
            return parts[1]
        return CORE_OWNER if parts[0] in self.core_namespaces else parts[0]

    def status(self, key: str) -> KeyStatus:
        """Whether a key (from a preset, say) can be set in this deployment.

        ``unknown`` means the namespace belongs to core or to an enabled
        plugin but the key is not declared: a mistake, not a missing plugin.
        """
        if key in self.keys:
            return "declared"
        owner = self.plugin_of(key)
        if owner == CORE_OWNER or owner in self.enabled_plugins:
            return "unknown"
        return "plugin_not_enabled" if owner in self.installed_plugins else "plugin_not_installed"


def build_registry(host: PluginHost) -> PolicyRegistry:
    """Collect and check every policy key of ``host``; see the module docstring."""
    enabled = frozenset(host.enabled)
    core_modules = set(CORE_PLUGIN_MODULES)
    problems: list[str] = []
    declared: dict[str, PolicyKey] = {}
    declaring_plugin: dict[str, str] = {}

    impls = host.manager.hook.register_policy_keys.get_hookimpls()
    for impl in impls:
        is_core = impl.plugin_name in core_modules
        owner = CORE_OWNER if is_core else impl.plugin_name
        try:
            items = declared_by(impl)
        except Exception as exc:  # the plugin's own error, shown with its name
            problems.append(f"{impl.plugin_name}: register_policy_keys failed: {exc!r}")
            continue
        for item in items:
            try:
                key = PolicyKey.adapt(item, owner)
            except PolicyKeyError as exc:
                problems.append(f"{impl.plugin_name}: {exc}")
                continue
            problem = _namespace_problem(key, owner, is_core, enabled)
            if problem:
                problems.append(f"{impl.plugin_name}: {problem}")
                continue
            if key.key in declared:
                problems.append(
                    f"policy key {key.key!r} declared more than once: by {declaring_plugin[key.key]} and by {impl.plugin_name}"
                )
                continue
            declared[key.key] = key
            declaring_plugin[key.key] = impl.plugin_name

    for name in sorted(enabled):
        active = f"{PLUGIN_NAMESPACE}.{name}.active"
        if active not in declared:
            try:
                declared[active] = plugin_active_key(name, title=plugin_title(host, name))
            except PolicyKeyError as exc:
                problems.append(f"{name}: plugin name cannot form the key {active!r}: {exc}")

    if problems:
        raise PolicyKeyError("invalid policy keys:\n  " + "\n  ".join(problems))
    core_namespaces = RESERVED_CORE_NAMESPACES | {k.namespace for k in declared.values() if k.plugin == CORE_OWNER}
    return PolicyRegistry(
        keys=dict(sorted(declared.items())),
        enabled_plugins=enabled,
        installed_plugins=frozenset(host.installed),
        core_namespaces=frozenset(core_namespaces),
    )


def _namespace_problem(key: PolicyKey, owner: str, is_core: bool, enabled: frozenset[str]) -> str | None:
    parts = key.key.split(".")
    if parts[0] == PLUGIN_NAMESPACE:
        if is_core or len(parts) != 3 or parts[1] != owner or parts[2] != "active":
            return f"{key.key!r}: the 'plugin.' namespace holds only 'plugin.<own name>.active'"
        if key.type is not ValueType.BOOLEAN:
            return f"{key.key!r} must be a boolean"
        return None
    if is_core:
        if parts[0] in enabled:
            return f"core key {key.key!r} uses the namespace of plugin {parts[0]!r}"
        return None
    if parts[0] != owner:
        return f"{key.key!r} must start with the plugin's name: '{owner}.'"
    return None


# --- one registry per plugin host ----------------------------------------------


def registry_for(host: PluginHost) -> PolicyRegistry:
    """The policy keys declared in a deployment, built and checked once per host.

    Called when a deployment starts so that bad declarations stop start-up
    rather than the first request that reads policy.
    """
    return host.derived("policy.registry", build_registry)


def registry_for_context(context: Any) -> PolicyRegistry:
    """The registry behind a GraphQL request context (``info.context``)."""
    return registry_for(host_of(context))
