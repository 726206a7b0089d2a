"""Hook implementations: what the assessment plugin adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from plugins.assessment.declarations import PERMISSIONS, POLICY_KEYS
from plugins.assessment.models import MODELS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def plugin_title() -> str:
    return "考核与规范化创建"


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
def register_indicators() -> list[Any]:
    from plugins.assessment.indicators import INDICATORS

    return list(INDICATORS)


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.assessment.schema import AssessmentQuery

    return [AssessmentQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.assessment.schema import AssessmentMutation

    return [AssessmentMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from plugins.assessment.schema import load_applications, load_results, load_schemes

    return [
        NodeType("AssessmentScheme", load_schemes),
        NodeType("AssessmentResult", load_results),
        NodeType("TitleApplication", load_applications),
    ]


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.assessment.demo import load_demo_assessment

    load_demo_assessment(session, settings)
