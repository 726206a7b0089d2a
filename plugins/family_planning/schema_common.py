"""Helpers shared by the family-planning GraphQL modules."""

from __future__ import annotations

from typing import Any

import strawberry

from core.api.context import RequestContext
from core.api.ids import object_in_scope
from core.api.loaders import related
from core.api.relay import decode_pk
from core.api.rows import row_as
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.policy.service import require_plugin_active
from plugins.family_planning.declarations import PLUGIN


def unit_arg(context: RequestContext, global_id: str, field: str = "under") -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


def unit_input(context: RequestContext, global_id: str, permission: str, field: str = "orgUnitId") -> OrgUnit:
    """A unit named by a mutation's input, where the caller holds ``permission`` and the plugin is active."""
    unit = object_in_scope(context, global_id, OrgUnit, "OrgUnit", (permission,), field=field, what="单位")
    require_plugin_active(context, unit.id, PLUGIN, field=field)
    return unit


def resident_input(context: RequestContext, global_id: str, permission: str, field: str = "residentId") -> Resident:
    """A resident registered where the caller holds ``permission`` (else NOT_FOUND) and the plugin is active."""
    resident = object_in_scope(context, global_id, Resident, "Resident", (permission,), field=field, what="居民")
    require_plugin_active(context, resident.org_unit_id, PLUGIN, field=field)
    return resident


def resident_name(info: strawberry.Info, row: Any, column: str = "resident_id") -> str:
    resident = related(info.context, row, column, Resident)
    return resident.name if resident else ""


def org_unit_of(info: strawberry.Info, row: Any) -> OrgUnitType:
    """The unit a record belongs to (its ``org_unit_id`` is required)."""
    unit = related(info.context, row, "org_unit_id", OrgUnit)
    if unit is None:
        raise LookupError("a record's org_unit_id points at no unit")
    return row_as(OrgUnitType, unit)
