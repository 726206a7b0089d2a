"""Registering and updating residents through the API: ID numbers, phone
numbers, derived sex and birth date, duplicates."""

from __future__ import annotations

from datetime import date

import pytest

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.permissions import Principal
from core.people.identity import check_digit
from core.people.service import age_on
from tests.people.conftest import REGISTER, PeopleTree, Registry, id_number, ok, run

UPDATE = """
mutation ($input: UpdateResidentInput!) {
  updateResident(input: $input) {
    resident { id name sex birthDate idNumber phone orgUnit { name } }
    userErrors { field code message }
  }
}
"""


def register(deployment: Deployment, user: Principal, unit: int, **fields: object) -> dict:
    variables = {"input": {"orgUnitId": encode_global_id("OrgUnit", unit), "name": "张伟", **fields}}
    return ok(run(deployment, REGISTER, variables, user=user))["registerResident"]


def test_sex_and_birth_date_come_from_the_id_number(deployment: Deployment, admin: Principal, tree: PeopleTree) -> None:
    number = id_number(date(1985, 2, 28), 137)
    payload = register(deployment, admin, tree.grid_a, idNumber=number.lower(), phone="+86 138 0013 8000")
    assert payload["userErrors"] == []
    resident = payload["resident"]
    assert (resident["sex"], resident["birthDate"]) == ("male", "1985-02-28")
    assert resident["age"] == age_on(date(1985, 2, 28), date.today())
    # Masked: area code and last four of the ID, first three and last four of the phone.
    assert resident["idNumber"] == f"370202********{number[-4:]}"
    assert resident["phone"] == "138****8000"
    assert resident["orgUnit"]["name"] == "第一网格"
    assert resident["residenceType"] == "registered"


def _with_check_digit(first17: str) -> str:
    return first17 + check_digit(first17)


@pytest.mark.parametrize(
    "bad",
    [
        # Wrong check digit.
        id_number(date(1985, 2, 28), 137)[:-1] + ("0" if id_number(date(1985, 2, 28), 137)[-1] != "0" else "1"),
        # 30 February does not exist.
        _with_check_digit("37020219850230137"),
        # Born in the future.
        _with_check_digit("37020221000101137"),
        # No province 99.
        _with_check_digit("99020219850228137"),
        # Too short.
        "37020219850228137",
    ],
    ids=["check-digit", "date", "future", "area", "length"],
)
def test_bad_id_numbers_are_refused(deployment: Deployment, admin: Principal, tree: PeopleTree, bad: str) -> None:
    payload = register(deployment, admin, tree.grid_a, idNumber=bad)
    assert payload["resident"] is None
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID_ID_NUMBER", "idNumber")]


def test_a_second_registration_of_an_id_number_is_refused(
    deployment: Deployment, admin: Principal, tree: PeopleTree
) -> None:
    number = id_number(date(1990, 6, 1), 22)
    assert register(deployment, admin, tree.grid_a, idNumber=number)["userErrors"] == []
    again = register(deployment, admin, tree.grid_b, idNumber=number.lower())
    assert [e["code"] for e in again["userErrors"]] == ["DUPLICATE_ID_NUMBER"]


@pytest.mark.parametrize("phone", ["1380013800", "23800138000", "138-0013-8000x", "12345"])
def test_bad_phone_numbers_are_refused(deployment: Deployment, admin: Principal, tree: PeopleTree, phone: str) -> None:
    payload = register(deployment, admin, tree.grid_a, phone=phone)
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID_PHONE", "phone")]


def test_landline_numbers_are_accepted(deployment: Deployment, admin: Principal, tree: PeopleTree) -> None:
    payload = register(deployment, admin, tree.grid_a, phone="0532-82861234")
    assert payload["userErrors"] == []
    assert payload["resident"]["phone"] == "053******1234"


def test_typed_sex_or_birth_date_must_agree_with_the_id_number(
    deployment: Deployment, admin: Principal, tree: PeopleTree
) -> None:
    number = id_number(date(1985, 2, 28), 138)  # even: female
    payload = register(deployment, admin, tree.grid_a, idNumber=number, sex="male", birthDate="1985-03-01")
    assert sorted((e["code"], e["field"]) for e in payload["userErrors"]) == [
        ("ID_NUMBER_MISMATCH", "birthDate"),
        ("ID_NUMBER_MISMATCH", "sex"),
    ]


def test_without_id_number_sex_and_birth_date_are_typed(
    deployment: Deployment, admin: Principal, tree: PeopleTree
) -> None:
    payload = register(deployment, admin, tree.grid_a, sex="female", birthDate="2019-05-04", residenceType="floating")
    assert payload["userErrors"] == []
    assert (payload["resident"]["sex"], payload["resident"]["birthDate"], payload["resident"]["idNumber"]) == (
        "female",
        "2019-05-04",
        None,
    )
    bad = register(deployment, admin, tree.grid_a, sex="unknown", residenceType="tourist")
    assert sorted(e["field"] for e in bad["userErrors"]) == ["residenceType", "sex"]


def test_update_replaces_derived_facts_and_moves_between_units(
    deployment: Deployment, admin: Principal, tree: PeopleTree, registrar: Registry
) -> None:
    resident = registrar.resident(tree.grid_a, "李娜", sex="female", birthDate="1990-01-01")
    number = id_number(date(1991, 7, 15), 246)
    payload = ok(
        run(
            deployment,
            UPDATE,
            {"input": {"id": resident, "idNumber": number, "orgUnitId": tree.gid("grid_c"), "phone": "13900001111"}},
            user=admin,
        )
    )["updateResident"]
    assert payload["userErrors"] == []
    assert payload["resident"]["birthDate"] == "1991-07-15"
    assert payload["resident"]["orgUnit"]["name"] == "第一网格"
    assert payload["resident"]["phone"] == "139****1111"

    other = registrar.resident(tree.grid_a, "王芳")
    clash = ok(run(deployment, UPDATE, {"input": {"id": other, "idNumber": number}}, user=admin))["updateResident"]
    assert [e["code"] for e in clash["userErrors"]] == ["DUPLICATE_ID_NUMBER"]


def test_the_audit_trail_names_changed_fields_never_their_values(
    deployment: Deployment, admin: Principal, tree: PeopleTree, registrar: Registry
) -> None:
    from tests.people.conftest import audit_records

    resident = registrar.resident(tree.grid_a, "李娜")
    number = id_number(date(1991, 7, 15), 246)
    ok(run(deployment, UPDATE, {"input": {"id": resident, "idNumber": number}}, user=admin))
    (record,) = audit_records(deployment, "mutation:updateResident")
    assert record.object_type == "Resident" and record.org_unit_id == tree.grid_a
    assert record.detail is not None and "idNumber" in record.detail and number not in record.detail
