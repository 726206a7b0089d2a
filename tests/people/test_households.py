"""Households and their members: one current household per resident, one
head per household, GB/T 4761 relationship codes, history kept."""

from __future__ import annotations

from datetime import date

from core.app import Deployment
from core.auth.permissions import Principal
from tests.people.conftest import PeopleTree, Registry, ok, run

HOUSEHOLD = """
query ($id: ID!, $former: Boolean!) {
  node(id: $id) {
    ... on Household {
      householdNumber householdType residenceType
      orgUnit { name }
      head { name }
      members(includeFormer: $former) {
        id relationshipCode relationshipName isHead leftOn
        resident { name membership { relationshipName } household { householdNumber } }
      }
    }
  }
}
"""

REMOVE = """
mutation ($input: RemoveHouseholdMemberInput!) {
  removeHouseholdMember(input: $input) {
    member { leftOn }
    household { members { resident { name } } }
    userErrors { field code message }
  }
}
"""


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def test_a_family_with_gb_t_4761_relationships(
    deployment: Deployment, admin: Principal, tree: PeopleTree, registrar: Registry
) -> None:
    household = registrar.household(tree.grid_a, householdNumber="370202000001", address="八大关社区 3号楼 502室")
    head = registrar.resident(tree.grid_a, "王建国", sex="male", birthDate="1970-03-01")
    wife = registrar.resident(tree.grid_a, "李桂兰", sex="female", birthDate="1972-05-01")
    son = registrar.resident(tree.grid_a, "王浩然", sex="male", birthDate="1998-09-01")
    assert registrar.member(household, head, "02")["member"]["isHead"] is True
    assert registrar.member(household, wife, "12")["member"]["relationshipName"] == "妻"
    assert registrar.member(household, son, "20")["member"]["relationshipName"] == "子"

    data = ok(run(deployment, HOUSEHOLD, {"id": household, "former": False}, user=admin))["node"]
    assert data["head"] == {"name": "王建国"}
    assert data["orgUnit"]["name"] == "第一网格"
    assert [(m["resident"]["name"], m["relationshipCode"], m["relationshipName"]) for m in data["members"]] == [
        ("王建国", "02", "户主"),
        ("李桂兰", "12", "妻"),
        ("王浩然", "20", "子"),
    ]
    assert data["members"][1]["resident"]["membership"] == {"relationshipName": "妻"}
    assert data["members"][1]["resident"]["household"] == {"householdNumber": "370202000001"}


def test_one_head_per_household(admin: Principal, tree: PeopleTree, registrar: Registry) -> None:
    household = registrar.household(tree.grid_a)
    assert registrar.member(household, registrar.resident(tree.grid_a, "甲"), "02")["userErrors"] == []
    second = registrar.member(household, registrar.resident(tree.grid_a, "乙"), "01")
    assert codes(second) == ["HEAD_ALREADY_SET"]


def test_one_current_household_per_resident(
    deployment: Deployment, admin: Principal, tree: PeopleTree, registrar: Registry
) -> None:
    first, second = registrar.household(tree.grid_a), registrar.household(tree.grid_b)
    resident = registrar.resident(tree.grid_a, "赵敏")
    member = registrar.member(first, resident, "02")["member"]
    assert codes(registrar.member(second, resident, "02")) == ["RESIDENT_IN_OTHER_HOUSEHOLD"]

    # Leaving the first household (history kept) frees the resident to join another.
    removed = ok(run(deployment, REMOVE, {"input": {"memberId": member["id"], "leftOn": "2025-06-30"}}, user=admin))[
        "removeHouseholdMember"
    ]
    assert removed["userErrors"] == []
    assert removed["member"]["leftOn"] == "2025-06-30"
    assert removed["household"]["members"] == []
    again = ok(run(deployment, REMOVE, {"input": {"memberId": member["id"]}}, user=admin))["removeHouseholdMember"]
    assert codes(again) == ["ALREADY_LEFT"]
    assert registrar.member(second, resident, "02")["userErrors"] == []

    history = ok(run(deployment, HOUSEHOLD, {"id": first, "former": True}, user=admin))["node"]
    assert [(m["resident"]["name"], m["leftOn"]) for m in history["members"]] == [("赵敏", "2025-06-30")]
    assert history["head"] is None


def test_relationship_codes_must_be_gb_t_4761(admin: Principal, tree: PeopleTree, registrar: Registry) -> None:
    household = registrar.household(tree.grid_a)
    resident = registrar.resident(tree.grid_a, "孙丽")
    payload = registrar.member(household, resident, "19")
    assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [("INVALID_RELATIONSHIP", "relationshipCode")]


def test_household_choices_are_checked(deployment: Deployment, admin: Principal, tree: PeopleTree) -> None:
    from tests.people.conftest import REGISTER_HOUSEHOLD

    payload = ok(
        run(
            deployment,
            REGISTER_HOUSEHOLD,
            {"input": {"orgUnitId": tree.gid("grid_a"), "householdType": "clan", "residenceType": "visitor"}},
            user=admin,
        )
    )["registerHousehold"]
    assert sorted(e["field"] for e in payload["userErrors"]) == ["householdType", "residenceType"]


def test_leaving_before_joining_is_refused(
    deployment: Deployment, admin: Principal, tree: PeopleTree, registrar: Registry
) -> None:
    from tests.people.conftest import ADD_MEMBER

    household = registrar.household(tree.grid_a)
    resident = registrar.resident(tree.grid_a, "周杰")
    member = ok(
        run(
            deployment,
            ADD_MEMBER,
            {
                "input": {
                    "householdId": household,
                    "residentId": resident,
                    "relationshipCode": "02",
                    "joinedOn": "2024-01-01",
                }
            },
            user=admin,
        )
    )["addHouseholdMember"]["member"]
    payload = ok(
        run(deployment, REMOVE, {"input": {"memberId": member["id"], "leftOn": str(date(2023, 1, 1))}}, user=admin)
    )
    assert codes(payload["removeHouseholdMember"]) == ["INVALID_DATE_RANGE"]
