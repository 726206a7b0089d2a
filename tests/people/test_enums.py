"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

import pytest

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.permissions import Principal
from core.people import models as m
from core.people.enums import HouseholdKind, PlaceKind, ResidenceType, Sex
from tests.people.conftest import REGISTER, PeopleTree, ok, run

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (Sex, m.SEXES),
    (ResidenceType, m.RESIDENCE_TYPES),
    (HouseholdKind, m.HOUSEHOLD_TYPES),
    (PlaceKind, m.PLACE_KINDS),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)


PLACE = """
mutation ($input: RegisterPlaceInput!) {
  registerPlace(input: $input) { place { kind placeKind } userErrors { field code message } }
}
"""


def register_place(deployment: Deployment, admin: Principal, unit: int, **fields: object) -> dict[str, Any]:
    variables = {"input": {"orgUnitId": encode_global_id("OrgUnit", unit), "name": "1号楼", **fields}}
    return ok(run(deployment, PLACE, variables, user=admin))["registerPlace"]


@pytest.mark.parametrize(
    "fields", [{"placeKind": "BUILDING"}, {"kind": "building"}, {"kind": "building", "placeKind": "BUILDING"}]
)
def test_the_enum_input_and_its_deprecated_string_twin_are_both_accepted(
    deployment: Deployment, admin: Principal, tree: PeopleTree, fields: dict[str, str]
) -> None:
    payload = register_place(deployment, admin, tree.grid_a, **fields)
    assert payload["userErrors"] == []
    assert payload["place"] == {"kind": "building", "placeKind": "BUILDING"}


def test_the_enum_input_and_its_string_twin_must_agree(
    deployment: Deployment, admin: Principal, tree: PeopleTree
) -> None:
    payload = register_place(deployment, admin, tree.grid_a, kind="shop", placeKind="BUILDING")
    assert payload["place"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("placeKind", "CONFLICTING_VALUES")]


def test_a_required_code_is_asked_for_by_its_enum_field(
    deployment: Deployment, admin: Principal, tree: PeopleTree
) -> None:
    payload = register_place(deployment, admin, tree.grid_a)
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [("placeKind", "REQUIRED")]
    assert "placeKind" in payload["userErrors"][0]["message"]


def test_an_omitted_code_keeps_its_default(deployment: Deployment, admin: Principal, tree: PeopleTree) -> None:
    variables = {"input": {"orgUnitId": encode_global_id("OrgUnit", tree.grid_a), "name": "张伟"}}
    resident = ok(run(deployment, REGISTER, variables, user=admin))["registerResident"]["resident"]
    assert resident["residenceType"] == "registered"
