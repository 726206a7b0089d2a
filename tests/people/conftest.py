"""Fixtures of the people tests: a small tree with two grids of one
community and a grid of another street, the built-in roles, signed-in
principals, and a runner that executes a GraphQL document against the
deployment's schema with that principal in the request context (as the
HTTP endpoint does from ``Authorization: Bearer``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from core.api.context import RequestContext
from core.api.errors import format_error
from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.permissions import Principal, registry_for
from core.auth.roles import ensure_default_roles
from core.org import service as org_service
from core.org.models import OrgUnit
from core.people.identity import make_id_number
from graphql import ExecutionResult, execute, parse
from tests.conftest import hashed

PASSWORD = "长城-长江-黄河-2026"


@dataclass
class PeopleTree:
    """青岛市 → 市南区 (370202) → {八大关街道 → 八大关社区 → {第一网格 (a), 第二网格 (b)},
    湛山街道 → 太平角社区 → 第一网格 (c)}; 崂山区 (370212) → 沙子口街道 → 东庄村 (village)."""

    city: int
    district: int
    street: int
    community: int
    grid_a: int
    grid_b: int
    other_street: int
    other_community: int
    grid_c: int
    other_district: int
    village: int

    def gid(self, name: str) -> str:
        return encode_global_id("OrgUnit", getattr(self, name))


@pytest.fixture
def tree(deployment: Deployment) -> PeopleTree:
    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: OrgUnit | None, code: str | None = None) -> OrgUnit:
            return org_service.create_unit(
                session, settings, name=name, level=level, parent_id=parent.id if parent else None, division_code=code
            )

        city = add("青岛市", "city", None, "370200")
        district = add("市南区", "district", city, "370202")
        street = add("八大关街道", "street", district)
        community = add("八大关社区", "community", street)
        grid_a = add("第一网格", "grid", community)
        grid_b = add("第二网格", "grid", community)
        other_street = add("湛山街道", "street", district)
        other_community = add("太平角社区", "community", other_street)
        grid_c = add("第一网格", "grid", other_community)
        other_district = add("崂山区", "district", city, "370212")
        rural_street = add("沙子口街道", "street", other_district)
        village = add("东庄村", "community", rural_street)
        return PeopleTree(
            city.id,
            district.id,
            street.id,
            community.id,
            grid_a.id,
            grid_b.id,
            other_street.id,
            other_community.id,
            grid_c.id,
            other_district.id,
            village.id,
        )


AsUser = Callable[..., Principal]


@pytest.fixture
def as_user(deployment: Deployment) -> AsUser:
    """Create a user with grants given as (role code, org unit id) pairs and
    return the principal a request of theirs carries."""
    registry = registry_for(deployment.host)
    with deployment.session_factory() as session, session.begin():
        ensure_default_roles(session, registry)

    def make(username: str, *grants: tuple[str, int]) -> Principal:
        with deployment.session_factory() as session, session.begin():
            user = auth_service.create_user(
                session,
                AuthConfig(),
                username=username,
                display_name=username,
                password=PASSWORD,
                password_hash=hashed(PASSWORD),
            )
            for role_code, unit_id in grants:
                auth_service.grant_role(
                    session, registry, None, user_id=user.id, role_code=role_code, org_unit_id=unit_id
                )
            user_id = user.id
        with deployment.session_factory() as session:
            found = auth_service.principal_for_user(session, user_id)
        assert found is not None
        return found

    return make


def run(
    deployment: Deployment, document: str, variables: dict[str, Any] | None = None, *, user: Principal | None = None
) -> dict[str, Any]:
    """``{"data": ..., "errors": [formatted errors]}`` of one request by ``user``."""
    schema = deployment.schema
    with deployment.session_factory() as session:
        context = RequestContext(
            session=session, settings=deployment.settings, registry=schema.registry, host=deployment.host, user=user
        )
        result = execute(schema.graphql_schema, parse(document), context_value=context, variable_values=variables)
        assert isinstance(result, ExecutionResult)
        session.rollback()
    return {"data": result.data, "errors": [format_error(e) for e in result.errors or ()]}


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert not result["errors"], result["errors"]
    return result["data"]


def error_codes(result: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in result["errors"]]


def audit_records(deployment: Deployment, action: str) -> list[AuditRecord]:
    with deployment.session_factory() as session:
        return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq)))


REGISTER = """
mutation ($input: RegisterResidentInput!) {
  registerResident(input: $input) {
    resident { id name sex birthDate age idNumber phone residenceType orgUnit { name } }
    userErrors { field code message }
  }
}
"""

REGISTER_HOUSEHOLD = """
mutation ($input: RegisterHouseholdInput!) {
  registerHousehold(input: $input) { household { id } userErrors { field code message } }
}
"""

ADD_MEMBER = """
mutation ($input: AddHouseholdMemberInput!) {
  addHouseholdMember(input: $input) {
    member { id relationshipCode relationshipName isHead }
    userErrors { field code message }
  }
}
"""


def id_number(birth: date, sequence: int, area: str = "370202") -> str:
    return make_id_number(area, birth, sequence)


class Registry:
    """Registers residents and households through the API as one user."""

    def __init__(self, deployment: Deployment, user: Principal) -> None:
        self.deployment = deployment
        self.user = user

    def resident(self, unit: int, name: str, **fields: Any) -> str:
        payload = ok(
            run(
                self.deployment,
                REGISTER,
                {"input": {"orgUnitId": encode_global_id("OrgUnit", unit), "name": name, **fields}},
                user=self.user,
            )
        )["registerResident"]
        assert payload["userErrors"] == [], payload["userErrors"]
        return str(payload["resident"]["id"])

    def household(self, unit: int, **fields: Any) -> str:
        payload = ok(
            run(
                self.deployment,
                REGISTER_HOUSEHOLD,
                {"input": {"orgUnitId": encode_global_id("OrgUnit", unit), **fields}},
                user=self.user,
            )
        )["registerHousehold"]
        assert payload["userErrors"] == [], payload["userErrors"]
        return str(payload["household"]["id"])

    def member(self, household: str, resident: str, code: str) -> dict[str, Any]:
        return ok(
            run(
                self.deployment,
                ADD_MEMBER,
                {"input": {"householdId": household, "residentId": resident, "relationshipCode": code}},
                user=self.user,
            )
        )["addHouseholdMember"]


@pytest.fixture
def admin(as_user: AsUser, tree: PeopleTree) -> Principal:
    return as_user("admin", ("admin", tree.city))


@pytest.fixture
def registrar(deployment: Deployment, admin: Principal) -> Registry:
    return Registry(deployment, admin)
