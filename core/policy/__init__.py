"""Locality policy (地方策略): every number a locality decides is a value of
an org unit that applies to its subtree unless a lower unit sets its own,
from an effective date on, with its history kept. Whether a plugin is in use
for a subtree is a policy value of the same kind (``plugin.<name>.active``).

For plugins:

- declare keys with ``PolicyKey`` from the ``register_policy_keys`` hook
  (keys start with the plugin's name);
- read them with ``resolve(session, org_unit, KEY, on)`` (or
  ``resolve_many`` / ``resolve_for_units`` for several keys or units);
- call ``require_plugin_active(info, org_unit, "<plugin>")`` at the top of
  each query and mutation that works on an org unit.
"""

from core.policy.keys import PolicyKey, PolicyKeyError, ValueType, day_in_month
from core.policy.registry import PolicyRegistry, registry_for, registry_for_context
from core.policy.service import (
    PluginNotActiveError,
    ResolvedValue,
    clear_value,
    history,
    is_plugin_active,
    require_plugin_active,
    resolve,
    resolve_detail,
    resolve_for_units,
    resolve_many,
    set_value,
)

__all__ = [
    "PluginNotActiveError",
    "PolicyKey",
    "PolicyKeyError",
    "PolicyRegistry",
    "ResolvedValue",
    "ValueType",
    "clear_value",
    "day_in_month",
    "history",
    "is_plugin_active",
    "registry_for",
    "registry_for_context",
    "require_plugin_active",
    "resolve",
    "resolve_detail",
    "resolve_for_units",
    "resolve_many",
    "set_value",
]
