"""Resident, household and place lists: subtree, category, age range,
household and residence filters, all in SQL, paged by keyset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.permissions import Principal
from core.people import service
from core.people.categories import CORE_CATEGORIES
from core.people.service import age_on
from tests.people.conftest import PeopleTree, error_codes, ok, run

CATEGORY = {c.code: c for c in CORE_CATEGORIES}

RESIDENTS = """
query ($under: ID!, $category: String, $ageMin: Int, $ageMax: Int, $householdId: ID, $residenceType: String,
       $movedOut: Boolean = false, $first: Int, $after: String, $last: Int, $before: String) {
  residents(under: $under, category: $category, ageMin: $ageMin, ageMax: $ageMax, householdId: $householdId,
            residenceType: $residenceType, includeMovedOut: $movedOut,
            first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { name age orgUnit { name } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def years_ago(years: int, days: int = 0) -> date:
    today = date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - timedelta(days=days)


@dataclass
class Seeded:
    household: int
    names_by_unit: dict[str, list[str]]


@pytest.fixture
def seeded(deployment: Deployment, tree: PeopleTree) -> Seeded:
    """Grid a: 12 residents aged 0, 6, 12 … 66; grid b: 3; grid c: 2; one moved out of grid a."""
    with deployment.session_factory() as session, session.begin():
        names: dict[str, list[str]] = {"a": [], "b": [], "c": []}
        household = service.register_household(session, org_unit_id=tree.grid_a)
        for i in range(12):
            resident = service.register_resident(
                session, name=f"甲{i:02d}", org_unit_id=tree.grid_a, birth_date=years_ago(6 * i, days=1), sex="male"
            )
            names["a"].append(resident.name)
            if i < 3:
                service.add_household_member(session, household, resident, relationship_code="02" if i == 0 else "20")
            if i in (2, 7):
                service.attach_category(session, resident, CATEGORY["disabled"])
            if i == 9:
                service.attach_category(session, resident, CATEGORY["entitled_group"])
                # Ended categories do not count.
                service.attach_category(
                    session, resident, CATEGORY["subsistence_allowance"], since=date(2020, 1, 1), until=date(2021, 1, 1)
                )
        for i in range(3):
            names["b"].append(
                service.register_resident(
                    session, name=f"乙{i}", org_unit_id=tree.grid_b, birth_date=years_ago(30), residence_type="floating"
                ).name
            )
        for i in range(2):
            resident = service.register_resident(
                session, name=f"丙{i}", org_unit_id=tree.grid_c, birth_date=years_ago(40)
            )
            names["c"].append(resident.name)
            service.attach_category(session, resident, CATEGORY["disabled"])
        gone = service.register_resident(session, name="迁出者", org_unit_id=tree.grid_a, birth_date=years_ago(50))
        service.update_resident(session, gone, moved_out_on=date.today())
        return Seeded(household=household.id, names_by_unit=names)


def names(data: dict[str, Any]) -> list[str]:
    return [edge["node"]["name"] for edge in data["residents"]["edges"]]


def query(deployment: Deployment, user: Principal, **variables: Any) -> dict[str, Any]:
    return ok(run(deployment, RESIDENTS, variables, user=user))


def test_subtree_filter(deployment: Deployment, admin: Principal, tree: PeopleTree, seeded: Seeded) -> None:
    everyone = query(deployment, admin, under=tree.gid("city"), first=100)
    assert names(everyone) == seeded.names_by_unit["a"] + seeded.names_by_unit["b"] + seeded.names_by_unit["c"]
    assert everyone["residents"]["totalCount"] == 17
    assert names(query(deployment, admin, under=tree.gid("grid_b"))) == seeded.names_by_unit["b"]
    assert names(query(deployment, admin, under=tree.gid("other_street"))) == seeded.names_by_unit["c"]
    assert names(query(deployment, admin, under=tree.gid("village"))) == []
    with_moved = query(deployment, admin, under=tree.gid("grid_a"), movedOut=True, first=100)
    assert "迁出者" in names(with_moved)


def test_age_range(deployment: Deployment, admin: Principal, tree: PeopleTree, seeded: Seeded) -> None:
    data = query(deployment, admin, under=tree.gid("grid_a"), ageMin=12, ageMax=30, first=100)
    assert names(data) == ["甲02", "甲03", "甲04", "甲05"]
    assert [edge["node"]["age"] for edge in data["residents"]["edges"]] == [12, 18, 24, 30]
    elderly = query(deployment, admin, under=tree.gid("city"), ageMin=60, first=100)
    assert names(elderly) == ["甲10", "甲11"]
    children = query(deployment, admin, under=tree.gid("city"), ageMax=5)
    assert names(children) == ["甲00"]


def test_age_bounds_match_the_age_field() -> None:
    today = date(2024, 2, 29)
    for birth in (date(2000, 2, 28), date(2000, 2, 29), date(2000, 3, 1), date(2006, 2, 28), date(2006, 3, 1)):
        earliest, latest = service.age_bounds(today, 18, 24)
        inside = (earliest is None or birth >= earliest) and (latest is None or birth <= latest)
        assert inside == (18 <= age_on(birth, today) <= 24), birth


def test_category_household_and_residence_filters(
    deployment: Deployment, admin: Principal, tree: PeopleTree, seeded: Seeded
) -> None:
    assert names(query(deployment, admin, under=tree.gid("city"), category="disabled")) == [
        "甲02",
        "甲07",
        "丙0",
        "丙1",
    ]
    assert names(query(deployment, admin, under=tree.gid("street"), category="disabled")) == ["甲02", "甲07"]
    assert names(query(deployment, admin, under=tree.gid("city"), category="entitled_group")) == ["甲09"]
    assert names(query(deployment, admin, under=tree.gid("city"), category="subsistence_allowance")) == []
    household = encode_global_id("Household", seeded.household)
    assert names(query(deployment, admin, under=tree.gid("city"), householdId=household)) == ["甲00", "甲01", "甲02"]
    assert (
        names(query(deployment, admin, under=tree.gid("city"), residenceType="floating")) == seeded.names_by_unit["b"]
    )
    combined = query(deployment, admin, under=tree.gid("city"), category="disabled", ageMin=40)
    assert names(combined) == ["甲07", "丙0", "丙1"]


def test_keyset_paging_forward_and_backward(
    deployment: Deployment, admin: Principal, tree: PeopleTree, seeded: Seeded
) -> None:
    expected = seeded.names_by_unit["a"] + seeded.names_by_unit["b"] + seeded.names_by_unit["c"]
    seen: list[str] = []
    after = None
    while True:
        page = query(deployment, admin, under=tree.gid("city"), first=5, after=after)["residents"]
        seen += [edge["node"]["name"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == expected

    back: list[str] = []
    before = None
    while True:
        page = query(deployment, admin, under=tree.gid("city"), last=4, before=before)["residents"]
        back = [edge["node"]["name"] for edge in page["edges"]] + back
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]
    assert back == expected


def test_bad_arguments(deployment: Deployment, admin: Principal, tree: PeopleTree, seeded: Seeded) -> None:
    def codes(**variables: Any) -> list[str]:
        return error_codes(run(deployment, RESIDENTS, {"under": tree.gid("city"), **variables}, user=admin))

    assert codes(category="astronauts") == ["UNKNOWN_CATEGORY"]
    assert codes(ageMin=30, ageMax=20) == ["INVALID_VALUE"]
    assert codes(ageMin=-1) == ["INVALID_VALUE"]
    assert codes(residenceType="tourist") == ["INVALID_VALUE"]
    assert codes(under=encode_global_id("OrgUnit", 999999)) == ["NOT_FOUND"]
    assert codes(under=encode_global_id("Resident", 1)) == ["INVALID_ID"]
    assert codes(after="not-a-cursor") == ["INVALID_CURSOR"]


HOUSEHOLDS_AND_PLACES = """
query ($under: ID!) {
  households(under: $under, residenceType: "registered") {
    totalCount nodes { orgUnit { name } place { name kind } members { resident { name } } }
  }
  places(under: $under, kind: "rental_housing") {
    nodes { name isRental owner { name } households { residenceType } }
  }
}
"""


def test_household_and_place_lists(deployment: Deployment, admin: Principal, tree: PeopleTree) -> None:
    with deployment.session_factory() as session, session.begin():
        owner = service.register_resident(session, name="房东", org_unit_id=tree.grid_a)
        flat = service.register_place(
            session, kind="rental_housing", name="3号楼502室", org_unit_id=tree.grid_b, owner_resident_id=owner.id
        )
        service.register_place(session, kind="shop", name="便利店", org_unit_id=tree.grid_b)
        service.register_household(session, org_unit_id=tree.grid_b, residence_type="floating", place_id=flat.id)
        home = service.register_household(session, org_unit_id=tree.grid_a)
        service.add_household_member(session, home, owner, relationship_code="02")
    data = ok(run(deployment, HOUSEHOLDS_AND_PLACES, {"under": tree.gid("community")}, user=admin))
    assert data["households"]["totalCount"] == 1
    assert data["households"]["nodes"] == [
        {"orgUnit": {"name": "第一网格"}, "place": None, "members": [{"resident": {"name": "房东"}}]}
    ]
    assert data["places"]["nodes"] == [
        {
            "name": "3号楼502室",
            "isRental": True,
            "owner": {"name": "房东"},
            "households": [{"residenceType": "floating"}],
        }
    ]
