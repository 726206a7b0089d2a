"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from core.indicators import models as m
from core.indicators.enums import ReportFieldSource, ReportFieldValueType, ReportSubmissionStatus, ReportValueSource

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (ReportFieldValueType, m.VALUE_TYPES),
    (ReportFieldSource, (m.INDICATOR, m.MANUAL)),
    (ReportValueSource, (m.INDICATOR, m.MANUAL, m.OVERRIDE)),
    (ReportSubmissionStatus, (m.DRAFT, m.SUBMITTED)),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
