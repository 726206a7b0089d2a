"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from plugins.mediation import declarations as d
from plugins.mediation.enums import (
    AppealChannel,
    AppealSatisfaction,
    AppealStatus,
    DisputeCaseStatus,
    DisputeCategory,
    DisputeEmergency,
    DisputeOutcome,
    DisputePartyRole,
    DisputeRiskLevel,
    DisputeSource,
    GridEventKind,
    GridEventRouting,
    MediationIncidentKind,
    MediationType,
)

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (AppealSatisfaction, d.SATISFACTION),
    (DisputeCategory, d.CATEGORIES),
    (DisputeSource, d.SOURCES),
    (DisputeRiskLevel, d.RISK_LEVELS),
    (DisputeEmergency, d.EMERGENCIES),
    (DisputeCaseStatus, d.CASE_STATUSES),
    (MediationType, d.MEDIATION_TYPES),
    (DisputeOutcome, d.OUTCOMES),
    (DisputePartyRole, d.PARTY_ROLES),
    (AppealChannel, d.APPEAL_CHANNELS),
    (AppealStatus, d.APPEAL_STATUSES),
    (GridEventKind, d.EVENT_TYPES),
    (GridEventRouting, d.ROUTING_STATUSES),
    (MediationIncidentKind, d.INCIDENT_KINDS),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
