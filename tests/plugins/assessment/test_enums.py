"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from plugins.assessment import declarations as d
from plugins.assessment import titles
from plugins.assessment.enums import (
    AssessmentCycle,
    AssessmentGrade,
    AssessmentItemKind,
    CommunityTitle,
    TitleApplicationStatus,
    TitleApplicationStep,
)

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (AssessmentGrade, d.GRADES),
    (AssessmentCycle, d.CYCLES),
    (CommunityTitle, d.TITLES),
    (TitleApplicationStatus, titles.STATUS_NAMES),
    (TitleApplicationStep, d.STEP_NAMES),
    (AssessmentItemKind, d.ITEM_KINDS),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
