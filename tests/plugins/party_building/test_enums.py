"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from plugins.party_building import models as m
from plugins.party_building import service, web
from plugins.party_building.enums import (
    HouseholdContactMethod,
    InServiceEntryKind,
    MemberUnitAppraisalGrade,
    MemberUnitKind,
    MemberUnitManagement,
    PartyAppraisalOutcome,
    PartyCommitteeRole,
    PartyDevelopmentStage,
    PartyMeetingComplianceStatus,
    PartyMeetingType,
    PartyMembershipStatus,
    PartyOrganizationKind,
)

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (MemberUnitAppraisalGrade, service.GRADES),
    (MemberUnitManagement, m.MANAGEMENT_KINDS),
    (HouseholdContactMethod, service.CONTACT_METHODS),
    (PartyMembershipStatus, m.MEMBER_STATUSES),
    (PartyCommitteeRole, m.COMMITTEE_ROLES),
    (PartyOrganizationKind, m.ORGANIZATION_TYPES),
    (PartyMeetingType, m.MEETING_TYPES),
    (PartyMeetingComplianceStatus, web.STATUS_NAMES),
    (PartyDevelopmentStage, m.DEVELOPMENT_STAGES),
    (InServiceEntryKind, m.IN_SERVICE_ENTRY_KINDS),
    (PartyAppraisalOutcome, m.APPRAISAL_OUTCOMES),
    (MemberUnitKind, m.UNIT_KINDS),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
