"""Registers visits (走访) through the same hooks plugins use. Core declares
no programme itself: plugins do, through ``register_visit_programmes``."""

from __future__ import annotations

from typing import Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from core.visits.models import MODELS


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_graphql_types() -> list[type]:
    from core.visits.schema import VisitDueType, VisitEnrolmentType, VisitType

    return [VisitDueType, VisitType, VisitEnrolmentType]


@hookimpl
def register_query_fields() -> list[type]:
    from core.visits.responsibility_schema import VisitResponsibilityQuery
    from core.visits.schema import VisitsQuery

    return [VisitsQuery, VisitResponsibilityQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.visits.responsibility_schema import VisitResponsibilityMutation
    from core.visits.schema import VisitsMutation

    return [VisitsMutation, VisitResponsibilityMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.visits.schema import load_enrolments, load_schedules, load_visits

    return [
        NodeType("VisitDue", load_schedules),
        NodeType("Visit", load_visits),
        NodeType("VisitEnrolment", load_enrolments),
    ]


@hookimpl
def register_commands(subparsers: Any) -> None:
    from core.visits.cli import add_commands

    add_commands(subparsers)
