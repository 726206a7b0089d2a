"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import Enum

import pytest

from core.meetings import models as m
from core.meetings.builtin import ASSEMBLY_KIND
from core.meetings.enums import AttendanceStatus, MeetingRosterSource
from core.meetings.kinds import NamedRoster, PluginRoster, PostRoster, Roster
from core.meetings.schema.types import MeetingKindType

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (AttendanceStatus, m.ATTENDANCE_NAMES),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)


@pytest.mark.parametrize(
    ("roster", "source"),
    [
        (PostRoster(("representative",)), MeetingRosterSource.POSTS),
        (PluginRoster(lambda context: []), MeetingRosterSource.PLUGIN),
        (NamedRoster(), MeetingRosterSource.NAMED),
    ],
)
def test_each_kind_of_roster_has_its_source(roster: Roster, source: MeetingRosterSource) -> None:
    kind = replace(ASSEMBLY_KIND, roster=roster)
    assert MeetingKindType.of(kind).roster_source == source.value
    assert {member.value for member in MeetingRosterSource} == {"posts", "plugin", "named"}
