"""Input the two databases would treat differently is refused the same way
on both, with the field named: lone surrogates and NUL characters (400
INVALID_TEXT), text longer than its column (user error TOO_LONG), JSON
bodies nested too deeply (400 JSON_TOO_DEEP). Nothing is written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from core.api.hygiene import TextTooLongError, input_path
from core.api.relay import encode_global_id
from core.app import Deployment
from core.people.models import Resident
from tests.conftest import SignedIn

REGISTER = """
mutation($input: RegisterResidentInput!) {
  registerResident(input: $input) { resident { id name } userErrors { field code message } }
}
"""


def _residents(deployment: Deployment) -> int:
    with deployment.session_factory() as session:
        return session.scalar(select(func.count()).select_from(Resident)) or 0


def _raw_post(client: TestClient, body: str, token: str) -> Any:
    return client.post(
        "/graphql",
        content=body.encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )


def _refused(response: Any, code: str, field: str) -> str:
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert error["extensions"]["field"] == field
    return str(error["message"])


def _register_body(unit: int, name_json: str) -> str:
    unit_gid = encode_global_id("OrgUnit", unit)
    return (
        '{"query": ' + _json_string(REGISTER) + ', "variables": {"input": {"orgUnitId": "' + unit_gid + '", '
        '"name": "王芳", "ethnicity": ' + name_json + "}}}"
    )


def _json_string(text: str) -> str:
    return json.dumps(text)


@pytest.mark.parametrize(
    ("escaped", "what"),
    [(r'"汉\ud800"', "代理项"), (r'"\udc00"', "代理项"), (r'"汉\u0000族"', "NUL")],
)
def test_unstorable_text_in_variables_is_refused_with_the_field_named(
    deployment: Deployment, client: TestClient, admin_gql: SignedIn, root_unit: int, escaped: str, what: str
) -> None:
    response = _raw_post(client, _register_body(root_unit, escaped), admin_gql.token)
    message = _refused(response, "INVALID_TEXT", "variables.input.ethnicity")
    assert what in message
    assert _residents(deployment) == 0


def test_nul_in_a_document_literal_is_refused_with_the_argument_named(
    deployment: Deployment, admin_gql: SignedIn, root_unit: int
) -> None:
    unit_gid = encode_global_id("OrgUnit", root_unit)
    literal = '{orgUnitId: "' + unit_gid + '", name: "王\\u0000芳"}'
    document = "mutation { registerResident(input: " + literal + ") { userErrors { code } } }"
    body = admin_gql(document, expect_errors=True)
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "INVALID_TEXT", "field": "input.name"}
    assert "data" not in body
    assert _residents(deployment) == 0


def test_text_longer_than_its_column_is_a_user_error_on_every_database(
    deployment: Deployment, admin_gql: SignedIn, root_unit: int
) -> None:
    # Resident.ethnicity is String(20); no service rule checks it.
    variables = {"input": {"orgUnitId": encode_global_id("OrgUnit", root_unit), "name": "王芳", "ethnicity": "汉" * 21}}
    payload = admin_gql(REGISTER, variables)["registerResident"]
    assert payload["resident"] is None
    (error,) = payload["userErrors"]
    assert (error["field"], error["code"]) == ("ethnicity", "TOO_LONG")
    assert "20" in error["message"]
    assert _residents(deployment) == 0
    # At the limit it is accepted.
    variables["input"]["ethnicity"] = "汉" * 20
    assert admin_gql(REGISTER, variables)["registerResident"]["userErrors"] == []


@dataclass
class _Party:
    resident_id: str
    note: str


@dataclass
class _Input:
    parties: list[_Party]


def test_over_long_text_in_a_nested_input_names_its_path() -> None:
    """The field is found by value wherever the input holds it."""
    long_note = "很" * 300
    arguments = {"input": _Input(parties=[_Party("1", "短"), _Party("2", f"  {long_note} ")])}
    error = TextTooLongError("note", long_note, 200)
    assert input_path(arguments, error.value) == "parties.1.note"
    assert error.named("parties.1.note").errors[0].field == "parties.1.note"


@pytest.mark.parametrize("depth", [40, 5000])
def test_deeply_nested_json_bodies_are_refused_before_execution(
    client: TestClient, admin_gql: SignedIn, depth: int
) -> None:
    body = '{"query": "query { __typename }", "variables": {"x": ' + "[" * depth + "]" * depth + "}}"
    response = _raw_post(client, body, admin_gql.token)
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "JSON_TOO_DEEP"
    assert error["extensions"]["field"].startswith(("variables", "body"))
