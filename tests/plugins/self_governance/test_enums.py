"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from plugins.self_governance import models as m
from plugins.self_governance.enums import (
    BuildingHeadNominationMethod,
    BuildingHeadNominationStatus,
    CandidateNomination,
    CommitteeElectionKind,
    CommitteeElectionStatus,
    CommitteeMemberAppraisalGrade,
    ElectionCandidateStatus,
    ElectionCommitteeRole,
    HearingScope,
    HearingStep,
    ResidentInitiativeBasis,
    ResidentInitiativeStatus,
    SelfGovernanceTextKind,
    SelfGovernanceTextVersionStatus,
)

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (CommitteeMemberAppraisalGrade, m.GRADES),
    (CandidateNomination, m.NOMINATIONS),
    (ResidentInitiativeBasis, m.BASES),
    (CommitteeElectionKind, m.ELECTION_KINDS),
    (CommitteeElectionStatus, m.ELECTION_STATUSES),
    (ElectionCandidateStatus, m.CANDIDATE_STATUSES),
    (HearingScope, m.HEARING_SCOPES),
    (ElectionCommitteeRole, m.COMMITTEE_ROLES),
    (BuildingHeadNominationMethod, m.NOMINATION_METHODS),
    (BuildingHeadNominationStatus, m.NOMINATION_STATUSES),
    (ResidentInitiativeStatus, m.INITIATIVE_STATUSES),
    (HearingStep, m.HEARING_STEPS),
    (SelfGovernanceTextKind, m.TEXT_KINDS),
    (SelfGovernanceTextVersionStatus, m.VERSION_STATUSES),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
