"""Hook implementations: what the party_building plugin adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.hookspecs import hookimpl
from plugins.party_building.declarations import (
    OBLIGATION_TYPES,
    PERMISSIONS,
    POLICY_KEYS,
)
from plugins.party_building.models import MODELS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_migration_locations() -> list[str]:
    return [str(VERSIONS_DIR)]


@hookimpl
def register_permissions() -> list[Any]:
    return list(PERMISSIONS)


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(POLICY_KEYS)


@hookimpl
def register_obligation_types() -> list[Any]:
    return list(OBLIGATION_TYPES)


@hookimpl
def register_meeting_kinds() -> list[Any]:
    from plugins.party_building.meeting_kinds import MEETING_KINDS

    return list(MEETING_KINDS)


@hookimpl
def register_sensitive_fields() -> list[Any]:
    from plugins.party_building.privacy import SENSITIVE_FIELDS

    return list(SENSITIVE_FIELDS)


@hookimpl
def register_graphql_types() -> list[type]:
    from plugins.party_building.schema import GRAPHQL_TYPES

    return list(GRAPHQL_TYPES)


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.party_building.schema import PartyBuildingQuery

    return [PartyBuildingQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.party_building.schema import (
        PartyBuildingEndMutation,
        PartyBuildingMutation,
    )

    return [PartyBuildingMutation, PartyBuildingEndMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from plugins.party_building.schema import NODE_TYPES

    return list(NODE_TYPES)


@hookimpl
def register_routes() -> list[Any]:
    from plugins.party_building.web import ROUTES

    return list(ROUTES)


@hookimpl
def check_notice_decision(session: Session, notice: Any, resolution_id: str | None, today: Any) -> Any:
    from plugins.party_building.decisions import check_notice_decision as check

    return check(session, notice, resolution_id, today)


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.party_building.demo import load_demo

    load_demo(session, settings, progress)


@hookimpl
def plugin_title() -> str:
    return "党建"
