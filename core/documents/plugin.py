"""Registers attached documents and the community archive through the same
hooks plugins use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.documents.archives import (
    ARCHIVE_CLASSES,
    ARCHIVE_FILE,
    ARCHIVE_VIEW,
    ELECTION_ARCHIVE,
    PRIVACY_ASSESSMENT,
    RETENTION_KEYS,
)
from core.documents.handover_models import ArchiveHandover
from core.documents.models import Document
from core.documents.service import DISPOSE_APPROVE, DISPOSE_REQUEST
from core.hookspecs import hookimpl

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings


@hookimpl
def register_models() -> list[type]:
    return [Document, ArchiveHandover]


@hookimpl
def register_permissions() -> list[Any]:
    return [ARCHIVE_VIEW, ARCHIVE_FILE, ELECTION_ARCHIVE, PRIVACY_ASSESSMENT, DISPOSE_REQUEST, DISPOSE_APPROVE]


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(RETENTION_KEYS)


@hookimpl
def register_document_classes() -> list[Any]:
    return list(ARCHIVE_CLASSES)


@hookimpl
def register_archive_books() -> list[Any]:
    from core.documents.books import CORE_SOURCES, SIX_BOOKS

    return [*SIX_BOOKS, *CORE_SOURCES]


@hookimpl
def register_query_fields() -> list[type]:
    from core.documents.books_schema import ArchiveBooksQuery
    from core.documents.handover_schema import HandoverQuery
    from core.documents.schema import DocumentQuery

    return [DocumentQuery, ArchiveBooksQuery, HandoverQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.documents.handover_schema import HandoverMutation
    from core.documents.schema import DocumentMutation

    return [DocumentMutation, HandoverMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.documents.handover_schema import load_handovers
    from core.documents.schema import load_documents

    return [NodeType("Document", load_documents), NodeType("ArchiveHandover", load_handovers)]


@hookimpl
def register_routes() -> list[Any]:
    from core.documents.book_export import ROUTES as BOOK_ROUTES
    from core.documents.export import ROUTES as EXPORT_ROUTES
    from core.documents.web import ROUTES

    # The exports' fixed paths come before /documents/{id}.
    return [*EXPORT_ROUTES, *BOOK_ROUTES, *ROUTES]


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from core.documents.demo import load_demo_documents

    load_demo_documents(session, settings, progress)
