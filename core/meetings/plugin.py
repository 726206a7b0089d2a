"""Registers meetings through the same hooks plugins use, and core's built-in
kind, the representatives' assembly (``core.meetings.builtin``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from core.meetings.models import MODELS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_permissions() -> list[Any]:
    from core.meetings.service import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def register_policy_keys() -> list[Any]:
    from core.meetings.builtin import POLICY_KEYS
    from core.meetings.documents import MINUTES_YEARS

    return [*POLICY_KEYS, MINUTES_YEARS]


@hookimpl
def register_meeting_kinds() -> list[Any]:
    from core.meetings.builtin import BUILTIN_KINDS

    return list(BUILTIN_KINDS)


@hookimpl
def register_document_classes() -> list[Any]:
    from core.meetings.documents import DOCUMENT_CLASSES

    return list(DOCUMENT_CLASSES)


@hookimpl
def register_graphql_types() -> list[type]:
    from core.meetings.schema.types import GRAPHQL_TYPES

    return list(GRAPHQL_TYPES)


@hookimpl
def register_query_fields() -> list[type]:
    from core.meetings.schema.queries import MeetingsQuery

    return [MeetingsQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.meetings.schema.mutations import MeetingsMutation

    return [MeetingsMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.meetings.schema.types import (
        load_meetings,
        load_resolutions,
        resolution_paths,
    )

    return [
        NodeType("Meeting", load_meetings),
        NodeType("MeetingResolution", load_resolutions, resolution_paths),
    ]


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from core.meetings.demo import load_demo_meetings

    load_demo_meetings(session)
