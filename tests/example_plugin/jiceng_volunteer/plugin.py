"""Hook implementations: what the volunteer plugin adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from jiceng_volunteer.declarations import PERMISSIONS, POLICY_KEYS
from jiceng_volunteer.models import Volunteer

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def register_models() -> list[type]:
    return [Volunteer]


@hookimpl
def register_migration_locations() -> list[str]:
    return [str(VERSIONS_DIR)]


@hookimpl
def register_graphql_types() -> list[type]:
    from jiceng_volunteer.schema import VolunteerType

    return [VolunteerType]


@hookimpl
def register_query_fields() -> list[type]:
    from jiceng_volunteer.schema import VolunteerQuery

    return [VolunteerQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from jiceng_volunteer.schema import VolunteerMutation

    return [VolunteerMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from jiceng_volunteer.schema import load_volunteers

    return [NodeType("Volunteer", load_volunteers)]


@hookimpl
def register_permissions() -> list[Any]:
    return list(PERMISSIONS)


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(POLICY_KEYS)
