"""Registers indicators and report forms (一表通) through the same hooks plugins use."""

from __future__ import annotations

from typing import Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl


@hookimpl
def register_models() -> list[type]:
    from core.indicators.models import MODELS

    return list(MODELS)


@hookimpl
def register_permissions() -> list[Any]:
    from core.indicators.forms import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def register_indicators() -> list[Any]:
    from core.indicators.builtin import CORE_INDICATORS

    return list(CORE_INDICATORS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.indicators.schema import IndicatorQuery

    return [IndicatorQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.indicators.schema import IndicatorMutation

    return [IndicatorMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.indicators.schema import load_forms, load_submissions

    return [NodeType("ReportForm", load_forms), NodeType("ReportSubmission", load_submissions)]


@hookimpl
def register_routes() -> list[Any]:
    from core.indicators.export import ROUTES

    return list(ROUTES)
