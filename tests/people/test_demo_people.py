"""The demo people are consistent, and nested pages of them cost a fixed
number of SQL statements."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, select

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth import service as auth_service
from core.auth.models import Role, RoleGrant, User
from core.auth.permissions import Principal
from core.auth.roles import DEFAULT_ROLES
from core.demo.people import DEMO_PASSWORD, REFERENCE_DATE
from core.org.models import OrgUnit
from core.people.categories import CORE_CATEGORIES
from core.people.identity import IdNumberFacts, check_phone, parse_id_number
from core.people.models import Household, HouseholdMember, Place, Resident, ResidentCategory
from core.people.relationships import RELATIONSHIPS
from core.people.service import age_on
from tests.people.conftest import ok, run


def _age(birth: date | None) -> int:
    assert birth is not None
    return age_on(birth, REFERENCE_DATE)


def test_every_id_number_parses_and_matches_the_resident(demo_deployment: Deployment) -> None:
    with demo_deployment.session_factory() as session:
        units = {u.id: u for u in session.scalars(select(OrgUnit))}
        residents = list(session.scalars(select(Resident)))
    assert 1000 <= len(residents) <= 6000
    district_codes = {u.id: u.division_code for u in units.values() if u.level == "district"}
    registered = floating = 0
    for resident in residents:
        facts = parse_id_number(resident.id_number or "")
        assert isinstance(facts, IdNumberFacts), (resident.name, resident.id_number, facts)
        assert (facts.birth_date, facts.sex) == (resident.birth_date, resident.sex)
        unit = units[resident.org_unit_id]
        assert resident.org_path == unit.path
        district_code = next(district_codes[i] for i in unit.ancestor_ids if i in district_codes)
        if resident.residence_type == "registered":
            registered += 1
            assert facts.area_code == district_code, (resident.name, unit.name)
        else:
            floating += 1
            assert facts.area_code[:2] != "00" and facts.area_code != district_code
        if resident.phone is not None:
            assert check_phone(resident.phone) == resident.phone
        else:
            assert _age(resident.birth_date) < 14 or resident.birth_date is None
    assert registered > floating > 0
    assert len({r.id_number for r in residents}) == len(residents)


def test_households_are_plausible(demo_deployment: Deployment) -> None:
    with demo_deployment.session_factory() as session:
        residents = {r.id: r for r in session.scalars(select(Resident))}
        households = {h.id: h for h in session.scalars(select(Household))}
        members = list(session.scalars(select(HouseholdMember).order_by(HouseholdMember.id)))
        places = {p.id: p for p in session.scalars(select(Place))}
    by_household: dict[int, list[HouseholdMember]] = {}
    for member in members:
        assert member.relationship_code in RELATIONSHIPS
        assert residents[member.resident_id].household_id == member.household_id
        by_household.setdefault(member.household_id, []).append(member)
    assert set(by_household) == set(households)
    assert len(members) == len(residents)  # everyone lives in exactly one household
    for household_id, group in by_household.items():
        household = households[household_id]
        heads = [m for m in group if m.is_head]
        assert len(heads) == 1 and heads[0].relationship_code == "02"
        head = residents[heads[0].resident_id]
        assert _age(head.birth_date) >= 18
        for member in group:
            person = residents[member.resident_id]
            assert person.org_unit_id == household.org_unit_id
            assert person.residence_type == household.residence_type
            age_gap = _age(head.birth_date) - _age(person.birth_date)
            if member.relationship_code in ("11", "12"):
                assert person.sex != head.sex and abs(age_gap) <= 6
            elif member.relationship_code in ("20", "30"):
                assert 20 <= age_gap <= 40 and person.sex == ("male" if member.relationship_code == "20" else "female")
            elif member.relationship_code in ("51", "52"):
                assert 20 <= -age_gap <= 40
        if household.household_type == "collective":
            assert household.residence_type == "floating"
            assert {m.relationship_code for m in group} <= {"02", "99"}
        assert household.place_id is not None
        place = places[household.place_id]
        if household.residence_type == "floating":
            assert place.is_rental and place.kind == "rental_housing"
            owner = residents.get(place.owner_resident_id) if place.owner_resident_id else None
            assert owner is None or owner.residence_type == "registered"
    assert any(h.household_type == "collective" for h in households.values())


def test_each_core_category_has_a_few_residents(demo_deployment: Deployment) -> None:
    with demo_deployment.session_factory() as session:
        rows = list(session.scalars(select(ResidentCategory)))
        residents = {r.id: r for r in session.scalars(select(Resident))}
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.category] = counts.get(row.category, 0) + 1
        if row.category == "youth_at_risk":
            assert 14 <= _age(residents[row.resident_id].birth_date) <= 25
    assert set(counts) == {c.code for c in CORE_CATEGORIES}
    assert all(3 <= n <= 50 for n in counts.values()), counts


def test_one_demo_account_per_built_in_role(demo_deployment: Deployment) -> None:
    with demo_deployment.session_factory() as session:
        grants = session.execute(
            select(User.username, Role.code, OrgUnit.level)
            .join(RoleGrant, RoleGrant.user_id == User.id)
            .join(Role, Role.id == RoleGrant.role_id)
            .join(OrgUnit, OrgUnit.id == RoleGrant.org_unit_id)
        ).all()
    assert {(username, role) for username, role, _ in grants} == {(r.code, r.code) for r in DEFAULT_ROLES}
    levels = {role: level for _, role, level in grants}
    assert (levels["admin"], levels["district_supervisor"], levels["street_staff"], levels["grid_worker"]) == (
        "city",
        "district",
        "street",
        "grid",
    )


# --- SQL statements per page ---------------------------------------------------------------


@pytest.fixture
def demo_admin(demo_deployment: Deployment) -> Principal:
    with demo_deployment.session_factory() as session:
        user_id = session.scalar(select(User.id).where(User.username == "admin"))
        assert user_id is not None
        principal = auth_service.principal_for_user(session, user_id)
    assert principal is not None
    return principal


@pytest.fixture
def statements(demo_deployment: Deployment) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(demo_deployment.engine, "before_cursor_execute", count)
    yield seen
    event.remove(demo_deployment.engine, "before_cursor_execute", count)


def _selects(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith("SELECT")]


def _city(deployment: Deployment) -> str:
    with deployment.session_factory() as session:
        city = session.scalar(select(OrgUnit.id).where(OrgUnit.level == "city"))
    return encode_global_id("OrgUnit", city)


RESIDENT_PAGE = """
query ($under: ID!) {
  residents(under: $under, first: 20) {
    edges { node { name idNumber phone age orgUnit { name } household { householdNumber } } }
  }
}
"""

HOUSEHOLD_PAGE = """
query ($under: ID!) {
  households(under: $under, first: 20) {
    nodes {
      householdNumber orgUnit { name } place { name }
      members { relationshipName resident { name orgUnit { name } } }
    }
  }
}
"""


def test_a_page_of_residents_with_unit_and_household_is_three_statements(
    demo_deployment: Deployment, demo_admin: Principal, statements: list[str]
) -> None:
    city = _city(demo_deployment)
    statements.clear()
    data = ok(run(demo_deployment, RESIDENT_PAGE, {"under": city}, user=demo_admin))
    edges = data["residents"]["edges"]
    assert len(edges) == 20
    assert all(edge["node"]["orgUnit"]["name"] and edge["node"]["household"] for edge in edges)
    # The page, its residents' units, their households.
    assert len(_selects(statements)) == 3, _selects(statements)


def test_a_page_of_households_with_members_is_five_statements(
    demo_deployment: Deployment, demo_admin: Principal, statements: list[str]
) -> None:
    city = _city(demo_deployment)
    statements.clear()
    data = ok(run(demo_deployment, HOUSEHOLD_PAGE, {"under": city}, user=demo_admin))
    nodes = data["households"]["nodes"]
    assert len(nodes) == 20 and all(node["members"] for node in nodes)
    # Households, their units, places, members, the members' residents; the
    # residents' units were loaded with the households' (same units).
    assert len(_selects(statements)) == 5, _selects(statements)


def test_demo_accounts_sign_in_with_the_documented_password(demo_deployment: Deployment) -> None:
    from core.auth.config import AuthConfig

    with demo_deployment.session_factory() as session:
        signed_in = auth_service.login(session, AuthConfig(), "grid_worker", DEMO_PASSWORD)
        session.rollback()
    assert signed_in.token
