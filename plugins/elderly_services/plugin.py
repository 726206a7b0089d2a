"""Hook implementations: what the elderly-services plugin adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from plugins.elderly_services.declarations import (
    OBLIGATION_TYPES,
    PERMISSIONS,
    POLICY_KEYS,
    VISITS,
)
from plugins.elderly_services.models import MODELS

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
def register_visit_programmes() -> list[Any]:
    return [VISITS]


@hookimpl
def register_graphql_types() -> list[type]:
    from plugins.elderly_services.activities_schema import ElderlyActivityType
    from plugins.elderly_services.care_schema import (
        CareEnrolmentType,
        CareProviderType,
        CareServiceRecordType,
    )
    from plugins.elderly_services.schema import SeniorCardType

    return [SeniorCardType, CareProviderType, CareEnrolmentType, CareServiceRecordType, ElderlyActivityType]


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.elderly_services.activities_schema import ActivitiesQuery
    from plugins.elderly_services.care_schema import CareQuery
    from plugins.elderly_services.schema import (
        ElderlyQuery,
        ElderlyRegisterQuery,
        ElderlyStatisticsQuery,
    )

    return [ElderlyQuery, ElderlyRegisterQuery, ElderlyStatisticsQuery, CareQuery, ActivitiesQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.elderly_services.activities_schema import ActivitiesMutation
    from plugins.elderly_services.care_schema import CareMutation
    from plugins.elderly_services.schema import ElderlyMutation, ElderlyReportMutation

    return [ElderlyMutation, CareMutation, ElderlyReportMutation, ActivitiesMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from plugins.elderly_services.activities_schema import load_activities
    from plugins.elderly_services.care_schema import (
        load_care_enrolments,
        load_providers,
        load_service_records,
    )
    from plugins.elderly_services.schema import load_cards

    return [
        NodeType("SeniorCard", load_cards),
        NodeType("CareProvider", load_providers),
        NodeType("CareEnrolment", load_care_enrolments),
        NodeType("CareServiceRecord", load_service_records),
        NodeType("ElderlyActivity", load_activities),
    ]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.elderly_services.web import ROUTES

    return list(ROUTES)


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.elderly_services.demo import load_demo_elderly

    load_demo_elderly(session, settings, progress)


@hookimpl
def plugin_title() -> str:
    return "老龄服务"


@hookimpl
def register_indicators() -> list[Any]:
    from plugins.elderly_services.indicators import INDICATORS

    return list(INDICATORS)


@hookimpl
def register_archive_books() -> list[Any]:
    from plugins.elderly_services.books import SOURCES

    return list(SOURCES)
