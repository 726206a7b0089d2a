"""Hook implementations: what family planning (计划生育居民自治) adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from plugins.family_planning import declarations as d
from plugins.family_planning.models import MODELS

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
    return list(d.PERMISSIONS)


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(d.POLICY_KEYS)


@hookimpl
def register_obligation_types() -> list[Any]:
    return list(d.OBLIGATION_TYPES)


@hookimpl
def register_visit_programmes() -> list[Any]:
    return [d.VISITS]


@hookimpl
def register_audited_record_types() -> list[Any]:
    return [*d.AUDITED, d.VISIT_READS]


@hookimpl
def register_grid_event_handlers() -> list[Any]:
    from core.grid_events import GridEventHandler
    from plugins.family_planning.service import handle_pregnancy_event

    return [GridEventHandler("new_pregnancy", handle_pregnancy_event)]


@hookimpl
def register_notice_categories() -> list[Any]:
    from plugins.family_planning.disclosure import NOTICE_CATEGORIES

    return list(NOTICE_CATEGORIES)


@hookimpl
def register_document_classes() -> list[Any]:
    from plugins.family_planning.documents import DOCUMENT_CLASSES

    return list(DOCUMENT_CLASSES)


@hookimpl
def register_graphql_types() -> list[type]:
    from plugins.family_planning.governance_schema import (
        AgreementType,
        FindingType,
        GoverningTextType,
        ReviewType,
    )
    from plugins.family_planning.records_schema import (
        BenefitType,
        BirthType,
        CertificateType,
        FollowUpType,
        ProfileType,
    )

    return [
        ProfileType,
        BirthType,
        CertificateType,
        FollowUpType,
        BenefitType,
        AgreementType,
        GoverningTextType,
        ReviewType,
        FindingType,
    ]


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.family_planning.governance_schema import GovernanceQuery
    from plugins.family_planning.records_schema import RecordsQuery
    from plugins.family_planning.statistics_schema import StatisticsQuery

    return [RecordsQuery, GovernanceQuery, StatisticsQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.family_planning.governance_schema import GovernanceMutation
    from plugins.family_planning.records_schema import RecordsMutation
    from plugins.family_planning.statistics_schema import StatisticsMutation

    return [RecordsMutation, GovernanceMutation, StatisticsMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.privacy.audited import audited_node_type
    from plugins.family_planning.governance_schema import (
        load_findings,
        load_reviews,
        load_texts,
    )

    return [
        *(audited_node_type(t) for t in d.AUDITED),
        NodeType("FamilyPlanningText", load_texts),
        NodeType("SupervisoryReview", load_reviews),
        NodeType("SupervisoryFinding", load_findings),
    ]


@hookimpl
def register_routes() -> list[Any]:
    from plugins.family_planning.web import ROUTES

    return list(ROUTES)


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.family_planning.demo import load_demo_family_planning

    load_demo_family_planning(session, settings, progress)


@hookimpl
def plugin_title() -> str:
    return "计划生育居民自治"
