"""Hook implementations: what the mediation plugin adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from plugins.mediation.declarations import OBLIGATION_TYPES, PERMISSIONS, POLICY_KEYS
from plugins.mediation.models import MODELS

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
def register_sensitive_fields() -> list[Any]:
    from plugins.mediation.sensitive import SENSITIVE_FIELDS

    return list(SENSITIVE_FIELDS)


@hookimpl
def register_graphql_types() -> list[type]:
    from plugins.mediation.schema import DisputeCaseType, DisputePartyType

    return [DisputeCaseType, DisputePartyType]


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.mediation.schema import MediationQuery

    return [MediationQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.mediation.schema import MediationMutation

    return [MediationMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from plugins.mediation.schema import (
        load_appeals,
        load_cases,
        load_events,
        load_incidents,
        load_parties,
        load_screenings,
        load_surveys,
        party_paths,
    )

    return [
        NodeType("DisputeCase", load_cases),
        NodeType("ResidentAppeal", load_appeals),
        NodeType("GridEvent", load_events),
        NodeType("MediationIncident", load_incidents),
        NodeType("SafetySatisfactionSurvey", load_surveys),
        NodeType("DisputeParty", load_parties, party_paths),
        NodeType("MediationScreening", load_screenings),
    ]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.mediation.web import ROUTES

    return list(ROUTES)


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.mediation.demo import load_demo_mediation

    load_demo_mediation(session, settings, progress)


@hookimpl
def plugin_title() -> str:
    return "矛盾纠纷排查调处"


@hookimpl
def register_indicators() -> list[Any]:
    from plugins.mediation.indicators import INDICATORS

    return list(INDICATORS)


@hookimpl
def register_archive_books() -> list[Any]:
    from plugins.mediation.books import SOURCES

    return list(SOURCES)
