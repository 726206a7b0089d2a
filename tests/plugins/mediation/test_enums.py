"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

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
from tests.plugins.mediation.conftest import Env, gid

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


ENUM_CASE = """mutation($input: RegisterDisputeCaseInput!) { registerDisputeCase(input: $input) {
  disputeCase { id category caseCategory caseSource caseRiskLevel caseStatus emergencyKind
    parties { role partyRole } transitions { fromCaseStatus toCaseStatus } }
  userErrors { field code message } } }"""

ENUM_LIST = """query($status: DisputeCaseStatus) { disputeCases(caseStatus: $status, first: 50) {
  totalCount nodes { caseStatus } } }"""


def enum_case_input(unit_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "orgUnitId": gid("OrgUnit", unit_id),
        "title": "楼上漏水纠纷",
        "facts": "楼上卫生间漏水，楼下墙面受损。",
        "caseCategory": "NEIGHBOUR",
        "caseSource": "WALK_IN",
        "caseRiskLevel": "MINOR",
        "parties": [{"partyRole": "APPLICANT", "name": "刘建国"}],
        **fields,
    }


def test_a_case_registered_with_enums_reads_back_as_enums(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    payload = worker(ENUM_CASE, {"input": enum_case_input(env.tree.community)})["registerDisputeCase"]
    assert payload["userErrors"] == []
    case = payload["disputeCase"]
    assert (case["category"], case["caseCategory"]) == ("neighbour", "NEIGHBOUR")
    assert (case["caseSource"], case["caseRiskLevel"], case["caseStatus"]) == ("WALK_IN", "MINOR", "REGISTERED")
    assert case["emergencyKind"] is None
    assert case["parties"] == [{"role": "applicant", "partyRole": "APPLICANT"}]
    assert case["transitions"] == [{"fromCaseStatus": None, "toCaseStatus": "REGISTERED"}]
    listed = worker(ENUM_LIST, {"status": "REGISTERED"})["disputeCases"]
    assert listed["totalCount"] == 1 and listed["nodes"] == [{"caseStatus": "REGISTERED"}]
    assert worker(ENUM_LIST, {"status": "CLOSED"})["disputeCases"]["totalCount"] == 0


def test_a_nested_enum_input_names_its_path(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    parties = [{"name": "刘建国"}, {"role": "respondent", "partyRole": "APPLICANT", "name": "王芳"}]
    payload = worker(ENUM_CASE, {"input": enum_case_input(env.tree.community, parties=parties)})
    errors = payload["registerDisputeCase"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("parties.0.partyRole", "REQUIRED")]
    parties = [{"role": "respondent", "partyRole": "APPLICANT", "name": "王芳"}]
    payload = worker(ENUM_CASE, {"input": enum_case_input(env.tree.community, parties=parties)})
    errors = payload["registerDisputeCase"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("parties.0.partyRole", "CONFLICTING_VALUES")]
