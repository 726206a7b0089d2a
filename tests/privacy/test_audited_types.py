"""Declarations of audited record types and grid-event handlers: what core
accepts from a plugin and what stops with a message naming it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.auth.permissions import Permission
from core.grid_events import GridEventHandler, GridEventHandlerError, GridEventNotice, handlers_for
from core.hookspecs import hookimpl
from core.people.models import Resident
from core.plugin_host import load_plugin_host
from core.privacy.audited import (
    AuditedRecordType,
    AuditedRecordTypeError,
    audited_types_for,
    build_audited_registry,
)


class Clinic:
    @hookimpl
    def register_permissions(self) -> list[Any]:
        return [Permission("clinic.read", "查阅病历")]

    @hookimpl
    def register_audited_record_types(self) -> list[Any]:
        return [AuditedRecordType("ClinicRecord", "病历", Resident, "clinic.read", subject_column="id")]

    @hookimpl
    def register_grid_event_handlers(self) -> list[Any]:
        return [GridEventHandler("hospitalized", lambda session, notice: "已转诊所随访。")]


class Sloppy:
    @hookimpl
    def register_audited_record_types(self) -> list[Any]:
        return [
            AuditedRecordType("ClinicRecord", "病历", Resident, "clinic.read"),
            AuditedRecordType("badName", "坏名字", Resident, "clinic.read"),
            AuditedRecordType("Secret", "秘密", Resident, "secret.read"),
            "not a declaration",
        ]

    @hookimpl
    def register_grid_event_handlers(self) -> list[Any]:
        return [GridEventHandler("hospitalized", lambda session, notice: "抢着处理。")]


def _host(*plugins: tuple[str, object]) -> Any:
    host = load_plugin_host(())
    for name, plugin in plugins:
        host.manager.register(plugin, name=name)
    return host


def test_a_plugin_declares_audited_types_and_grid_event_handlers() -> None:
    host = _host(("clinic", Clinic()))
    declared = audited_types_for(host).get("ClinicRecord")
    assert declared is not None and declared.owner == "clinic" and declared.permission == "clinic.read"
    assert declared.subject_of(Resident(id=7, name="甲", org_unit_id=1, org_path="/1/")) == 7
    handler = handlers_for(host)["hospitalized"]
    notice = GridEventNotice(
        "hospitalized", org_unit_id=1, occurred_on=date(2026, 3, 2), resident_id=7, reported_by_id=None
    )
    assert handler.plugin == "clinic" and handler.handle(Session(), notice) == "已转诊所随访。"


def test_bad_declarations_stop_with_a_message() -> None:
    host = _host(("clinic", Clinic()), ("sloppy", Sloppy()))
    with pytest.raises(AuditedRecordTypeError) as error:
        build_audited_registry(host)
    message = str(error.value)
    assert "ClinicRecord declared more than once" in message
    assert "'badName' is not a GraphQL type name" in message
    assert "undeclared permission 'secret.read'" in message
    assert "is not a core.privacy.audited.AuditedRecordType" in message
    with pytest.raises(GridEventHandlerError, match="hospitalized"):
        handlers_for(host)


def test_a_purpose_is_required_and_bounded() -> None:
    from core.api.errors import UserInputError
    from core.privacy.audited import clean_purpose

    assert clean_purpose("  核对  ") == "核对"
    for bad in (None, "", "   ", "字" * 501):
        with pytest.raises(UserInputError):
            clean_purpose(bad)
