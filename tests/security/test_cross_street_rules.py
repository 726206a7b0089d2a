"""Where a rule links two streets, and what each street then sees.

- A dispute may have parties in two streets: only an officer whose scope
  covers the party's street names a registered resident (the district); the
  case's street then sees the party's name with ID number and phone masked,
  and cannot reveal them (the reveal needs the permission where the
  resident is registered).
- Refusals tell nothing about another street: admitting another street's
  party member answers as for a resident that does not exist.
- Roles are granted only on accounts whose grants all lie in the caller's
  scope (or accounts without grants), and reading an account shows only the
  grants the reader may see.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.api.relay import encode_global_id
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.models import User
from core.auth.permissions import registry_for
from core.org.models import OrgUnit
from core.people.models import Resident
from plugins.party_building.models import PartyMember
from tests.conftest import sign_in_as
from tests.security.test_cross_street_matrix import MISSING_PK, Matrix


def _call(matrix: Matrix, token: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = matrix.client.post(
        "/graphql", json={"query": document, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def _community(matrix: Matrix, street: OrgUnit) -> OrgUnit:
    with matrix.deployment.session_factory() as session:
        unit = session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == street.id, OrgUnit.level == "community").order_by(OrgUnit.id)
        ).first()
        assert unit is not None
        session.expunge(unit)
        return unit


def _resident_in(matrix: Matrix, street: OrgUnit) -> Resident:
    with matrix.deployment.session_factory() as session:
        resident = session.scalars(
            select(Resident)
            .where(Resident.org_path.startswith(street.path), Resident.id_number.is_not(None))
            .order_by(Resident.id)
        ).first()
        assert resident is not None
        session.expunge(resident)
        return resident


REGISTER = """mutation($input: RegisterDisputeCaseInput!) {
  registerDisputeCase(input: $input) {
    disputeCase { id parties { id name idNumber phone } } userErrors { field code message }
  }
}"""
REVEAL = """mutation($input: RevealSensitiveFieldInput!) {
  revealSensitiveField(input: $input) { value userErrors { field code message } }
}"""
CASE = "query($id: ID!) { node(id: $id) { ... on DisputeCase { parties { id name idNumber } } } }"


def _case_input(unit: OrgUnit, resident_gid: str) -> dict[str, Any]:
    return {
        "input": {
            "orgUnitId": encode_global_id("OrgUnit", unit.id),
            "title": "跨街道邻里纠纷",
            "category": "neighbour",
            "source": "walk_in",
            "riskLevel": "minor",
            "facts": "两街道居民因漏水发生争执。",
            "parties": [{"role": "applicant", "residentId": resident_gid}],
        }
    }


def test_a_street_names_only_its_own_residents_as_parties(matrix: Matrix) -> None:
    community = _community(matrix, matrix.streets.attacker)
    foreign = encode_global_id("Resident", _resident_in(matrix, matrix.streets.victim).id)
    refused = _call(matrix, matrix.token, REGISTER, _case_input(community, foreign))["registerDisputeCase"]
    missing = _call(matrix, matrix.token, REGISTER, _case_input(community, encode_global_id("Resident", MISSING_PK)))
    assert refused["disputeCase"] is None
    assert refused["userErrors"] == missing["registerDisputeCase"]["userErrors"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("parties.0.residentId", "NOT_FOUND")]


def test_a_party_from_another_street_stays_masked_for_the_cases_street(matrix: Matrix) -> None:
    community = _community(matrix, matrix.streets.attacker)
    victim = _resident_in(matrix, matrix.streets.victim)
    district = matrix.streets.attacker.parent_id
    assert district is not None and district == matrix.streets.victim.parent_id
    officer = sign_in_as(matrix.deployment, matrix.client, "admin", district, username="district-mediator")
    # The district covers both streets: it may name the resident of V in a case held in X.
    made = _call(matrix, officer.token, REGISTER, _case_input(community, encode_global_id("Resident", victim.id)))
    payload = made["registerDisputeCase"]
    assert payload["userErrors"] == []
    case_id = payload["disputeCase"]["id"]

    (party,) = _call(matrix, matrix.token, CASE, {"id": case_id})["node"]["parties"]
    assert party["name"] == victim.name
    assert party["idNumber"] != victim.id_number and "*" in party["idNumber"]
    for field in ("idNumber", "phone"):
        denied = _call(
            matrix, matrix.token, REVEAL, {"input": {"objectId": party["id"], "field": field, "purpose": "核对身份"}}
        )["revealSensitiveField"]
        assert denied["value"] is None
        assert [e["code"] for e in denied["userErrors"]] == ["FORBIDDEN"]
    # Where the resident is registered, the reveal is allowed (and audited).
    allowed = _call(
        matrix, officer.token, REVEAL, {"input": {"objectId": party["id"], "field": "idNumber", "purpose": "核对身份"}}
    )["revealSensitiveField"]
    assert allowed == {"value": victim.id_number, "userErrors": []}


ADMIT = """mutation($input: AdmitPartyMemberInput!) {
  admitPartyMember(input: $input) { member { id } userErrors { field code message } }
}"""


def test_admitting_another_streets_party_member_answers_as_missing(matrix: Matrix) -> None:
    with matrix.deployment.session_factory() as session:
        member_resident = session.scalar(
            select(PartyMember.resident_id)
            .where(PartyMember.org_path.startswith(matrix.streets.victim.path), PartyMember.left_on.is_(None))
            .order_by(PartyMember.id)
        )
    assert member_resident is not None
    org = encode_global_id("PartyOrganization", matrix.own["PartyOrganization"])

    def admit(resident_gid: str) -> list[dict[str, Any]]:
        variables = {
            "input": {"organizationId": org, "residentId": resident_gid, "status": "full", "joinedOn": "2020-07-01"}
        }
        return _call(matrix, matrix.token, ADMIT, variables)["admitPartyMember"]["userErrors"]

    refused = admit(encode_global_id("Resident", member_resident))
    assert [e["code"] for e in refused] == ["NOT_FOUND"]
    assert refused == admit(encode_global_id("Resident", MISSING_PK))


GRANT = """mutation($input: GrantRoleInput!) {
  grantRole(input: $input) { grant { id } userErrors { field code message } }
}"""
GRANTS = "query($id: ID!) { node(id: $id) { ... on User { grants { orgUnit { id } } } } }"


def _account(matrix: Matrix, username: str, *units: int) -> int:
    registry = registry_for(matrix.deployment.host)
    with matrix.deployment.session_factory() as session, session.begin():
        user = auth_service.create_user(
            session,
            AuthConfig.from_settings(matrix.deployment.settings),
            username=username,
            display_name=username,
            password="x-street-demo-2026",
            password_hash="!",
        )
        for unit in units:
            auth_service.grant_role(session, registry, None, user_id=user.id, role_code="grid_worker", org_unit_id=unit)
        return user.id


def test_roles_are_granted_only_on_accounts_within_scope(matrix: Matrix) -> None:
    x_unit = encode_global_id("OrgUnit", _community(matrix, matrix.streets.attacker).id)

    def grant(user_id: int) -> dict[str, Any]:
        variables = {"input": {"userId": encode_global_id("User", user_id), "role": "grid_worker", "orgUnitId": x_unit}}
        return _call(matrix, matrix.token, GRANT, variables)["grantRole"]

    with matrix.deployment.session_factory() as session:
        v_worker = session.scalar(select(User.id).where(User.username == "v-grid_worker"))
    assert v_worker is not None
    refused = grant(v_worker)
    assert refused["grant"] is None and refused["userErrors"] == grant(MISSING_PK)["userErrors"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("userId", "NOT_FOUND")]
    # An account with a grant in each street is out of reach too (X sees it
    # through its grant in X, so the refusal is FORBIDDEN, naming nothing of V).
    both = _account(matrix, "two-streets", matrix.streets.attacker.id, matrix.streets.victim.id)
    assert [(e["field"], e["code"]) for e in grant(both)["userErrors"]] == [("userId", "FORBIDDEN")]
    # ... and shows X's administrator only the grant in X.
    shown = _call(matrix, matrix.token, GRANTS, {"id": encode_global_id("User", both)})["node"]["grants"]
    assert shown == [{"orgUnit": {"id": encode_global_id("OrgUnit", matrix.streets.attacker.id)}}]
    # A new account without grants may be taken up.
    fresh = _account(matrix, "no-grants-yet")
    assert grant(fresh)["userErrors"] == []
