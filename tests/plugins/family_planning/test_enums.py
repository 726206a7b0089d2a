"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from plugins.family_planning import declarations as d
from plugins.family_planning.enums import (
    ContraceptionMethod,
    FamilyPlanningActivityKind,
    FamilyPlanningBenefitKind,
    FamilyPlanningBreachParty,
    FamilyPlanningCertificateKind,
    FamilyPlanningCertificateStatus,
    FamilyPlanningDisclosureKind,
    FamilyPlanningFollowUpReason,
    FamilyPlanningFollowUpSource,
    FamilyPlanningFollowUpStatus,
    FamilyPlanningTextKind,
    MaritalStatus,
)

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (FamilyPlanningFollowUpSource, d.FOLLOW_UP_SOURCES),
    (FamilyPlanningBreachParty, d.BREACH_PARTIES),
    (ContraceptionMethod, d.CONTRACEPTION),
    (FamilyPlanningCertificateKind, d.CERTIFICATE_KINDS),
    (FamilyPlanningBenefitKind, d.BENEFIT_KINDS),
    (FamilyPlanningDisclosureKind, d.DISCLOSURE_KINDS),
    (FamilyPlanningCertificateStatus, d.CERTIFICATE_STATUSES),
    (FamilyPlanningFollowUpReason, d.FOLLOW_UP_REASONS),
    (FamilyPlanningFollowUpStatus, d.FOLLOW_UP_STATUSES),
    (MaritalStatus, d.MARITAL_STATUSES),
    (FamilyPlanningTextKind, d.TEXT_KINDS),
    (FamilyPlanningActivityKind, d.ACTIVITY_KINDS),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
