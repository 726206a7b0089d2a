"""Grid events (八必报) handed from the module that records them to the
module that handles them, through the ``register_grid_event_handlers`` hook.

The module recording grid events (mediation) keeps the report; for an event
type another plugin handles (a new pregnancy: family planning), it calls
``dispatch``, which finds the handler whose plugin is active at the event's
unit and lets it open its own record in the same transaction. Neither module
imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from core.plugin_host import CORE_PLUGIN_MODULES, PluginError, PluginHost, declared_by


@dataclass(frozen=True)
class GridEventNotice:
    """What the handler learns of a grid event: the grid (or building) unit,
    the resident concerned, the day and the reporting user."""

    event_type: str
    org_unit_id: int
    occurred_on: date
    resident_id: int | None
    reported_by_id: int | None
    source_key: str | None = None


@dataclass(frozen=True)
class GridEventHandler:
    event_type: str
    # (session, notice) -> the Chinese routing note shown on the event.
    handle: Callable[[Session, GridEventNotice], str]
    plugin: str = ""


class GridEventHandlerError(PluginError):
    """Two plugins handle the same event type."""


def handlers_for(host: PluginHost) -> dict[str, GridEventHandler]:
    def build(h: PluginHost) -> dict[str, GridEventHandler]:
        found: dict[str, GridEventHandler] = {}
        core_modules = set(CORE_PLUGIN_MODULES)
        for impl in h.manager.hook.register_grid_event_handlers.get_hookimpls():
            owner = "core" if impl.plugin_name in core_modules else impl.plugin_name
            for item in declared_by(impl):
                if item.event_type in found:
                    raise GridEventHandlerError(f"grid event type {item.event_type!r} handled by more than one plugin")
                found[item.event_type] = GridEventHandler(item.event_type, item.handle, owner)
        return found

    return host.derived("grid_events.handlers", build)


def dispatch(
    session: Session, host: PluginHost, notice: GridEventNotice, *, today: date, registry: Any = None
) -> str | None:
    """Hand ``notice`` to its handler where the handler's plugin is active at
    the event's unit; returns the handler's routing note, or None when no
    active plugin handles the event type there."""
    from core.org.models import OrgUnit
    from core.policy.service import is_plugin_active

    handler = handlers_for(host).get(notice.event_type)
    if handler is None:
        return None
    unit = session.get(OrgUnit, notice.org_unit_id)
    if unit is None or not is_plugin_active(session, unit, handler.plugin, today, registry=registry):
        return None
    return handler.handle(session, notice)
