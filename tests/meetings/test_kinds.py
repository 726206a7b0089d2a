"""The meeting-kind registry: core's assembly is built in, a plugin's codes
stay in its namespace, and a plugin may attach its cadence obligation to a
kind declared elsewhere (the self-governance calendar on core's assembly)."""

from __future__ import annotations

from typing import Any

import pytest

from core.hookspecs import hookimpl
from core.meetings.builtin import ASSEMBLY_KIND
from core.meetings.kinds import MeetingKindError, MeetingObligation, build_kinds
from core.plugin_host import PluginHost, _new_manager


def _host(*declarations: Any) -> PluginHost:
    class Plugin:
        @hookimpl
        def register_meeting_kinds(self) -> list[Any]:
            return list(declarations)

    manager = _new_manager()
    manager.register(Plugin(), name="self_governance")
    return PluginHost(manager=manager, enabled=("self_governance",))


def test_a_plugin_attaches_its_cadence_to_the_core_assembly() -> None:
    kinds = build_kinds(_host(MeetingObligation("representatives_assembly", "self_governance.assembly_half_yearly")))
    assembly = kinds["representatives_assembly"]
    assert assembly.plugin == "core" and assembly.obligation_codes() == ("self_governance.assembly_half_yearly",)


def test_bad_declarations_stop_the_registry() -> None:
    from dataclasses import replace

    with pytest.raises(MeetingKindError, match="must start with 'self_governance.'"):
        build_kinds(_host(replace(ASSEMBLY_KIND, code="hearing")))
    with pytest.raises(MeetingKindError, match="unknown meeting kind"):
        build_kinds(_host(MeetingObligation("self_governance.nothing", "self_governance.x")))
    with pytest.raises(MeetingKindError, match="declared more than once"):
        build_kinds(
            _host(replace(ASSEMBLY_KIND, code="self_governance.a"), replace(ASSEMBLY_KIND, code="self_governance.a"))
        )
