"""Hook implementations: what the finance plugin adds to a deployment."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.hookspecs import hookimpl
from plugins.finance.declarations import OBLIGATION_TYPES, PERMISSIONS, POLICY_KEYS
from plugins.finance.models import MODELS

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
def register_document_classes() -> list[Any]:
    from plugins.finance.documents import DOCUMENT_CLASSES

    return list(DOCUMENT_CLASSES)


@hookimpl
def register_obligation_types() -> list[Any]:
    return list(OBLIGATION_TYPES)


@hookimpl
def register_graphql_types() -> list[type]:
    from plugins.finance.schema import TYPES

    return list(TYPES)


@hookimpl
def register_query_fields() -> list[type]:
    from plugins.finance.schema import FinanceQuery

    return [FinanceQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from plugins.finance.schema import FinanceMutation

    return [FinanceMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from plugins.finance.schema import NODE_TYPES

    return list(NODE_TYPES)


@hookimpl
def register_routes() -> list[Any]:
    from plugins.finance.web import ROUTES

    return list(ROUTES)


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from plugins.finance.demo import load_demo_finance

    load_demo_finance(session, settings, progress)


@hookimpl
def plugin_title() -> str:
    return "居委会财务"


@hookimpl
def register_indicators() -> list[Any]:
    from plugins.finance.indicators import INDICATORS

    return list(INDICATORS)
