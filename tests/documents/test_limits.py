"""A class's size and count limits, and the declarations a plugin may make."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select

from core.api.errors import UserInputError
from core.app import Deployment
from core.auth.service import principal_for_user
from core.documents import service
from core.documents.archives import ARCHIVE_CLASSES, ARCHIVE_FILE
from core.documents.classes import DocumentClassError, build_registry
from core.documents.models import Document
from core.documents.samples import pdf_with_text
from core.documents.storage import storage_for
from core.org import service as org_service
from core.org.models import OrgUnit
from core.plugin_host import load_plugin_host
from tests.conftest import SignIn

CULTURE = next(c for c in ARCHIVE_CLASSES if c.code == "archive.culture")


def _attach(deployment: Deployment, user_id: int, unit_id: int, doc_class: Any, data: bytes) -> None:
    with deployment.session_factory() as session, session.begin():
        who = principal_for_user(session, user_id)
        unit = session.get(OrgUnit, unit_id)
        service.attach(
            session, who, storage_for(deployment.settings), doc_class, unit, service.IncomingFile("a.pdf", data)
        )


def test_too_large_and_too_many(deployment: Deployment, root_unit: int, sign_in: SignIn) -> None:
    with deployment.session_factory() as session, session.begin():
        community = org_service.create_unit(
            session, deployment.settings, name="团岛社区", level="community", parent_id=root_unit
        ).id
    worker = sign_in("community_worker", community)
    small = replace(CULTURE, max_bytes=1000, max_count=2)
    with pytest.raises(UserInputError) as error:
        _attach(deployment, worker.user_id, community, small, b"%PDF-" + bytes(1200))
    assert error.value.errors[0].code == "FILE_TOO_LARGE"
    _attach(deployment, worker.user_id, community, small, pdf_with_text("1"))
    _attach(deployment, worker.user_id, community, small, pdf_with_text("2"))
    with pytest.raises(UserInputError) as error:
        _attach(deployment, worker.user_id, community, small, pdf_with_text("3"))
    assert error.value.errors[0].code == "TOO_MANY_FILES"
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 2
    assert ARCHIVE_FILE.code == CULTURE.attach_permission


class _BadPlugin:
    @staticmethod
    def register_document_classes() -> list[Any]:
        return [
            replace(CULTURE, code="other.thing"),
            replace(CULTURE, code="bad.types", content_types=("application/x-msdownload",)),
        ]


def test_bad_declarations_stop_with_a_message() -> None:
    from core.hookspecs import hookimpl

    class Plugin:
        @hookimpl
        def register_document_classes(self) -> list[Any]:
            return _BadPlugin.register_document_classes()

    host = load_plugin_host(())  # a fresh host: the shared ones stay clean
    host.manager.register(Plugin(), name="bad")
    with pytest.raises(DocumentClassError) as error:
        build_registry(host)
    assert "must start with 'bad.'" in str(error.value)
    assert "content types" in str(error.value)
