"""Fixtures of the family-planning tests: core with ``family_planning`` and
``mediation`` (grid events) on

青岛市 → 市北区 → 宁夏路街道 → 宁安路社区 → 第一网格
                → 辽宁路街道 → 辽宁社区

Residents of 第一网格: ``wife30`` (female, 30) and ``husband32`` in one
household; ``girl14`` (female, 14: below the default age range) and
``woman50`` (female, 50: above it); ``far30`` (female, 30) in 辽宁社区.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.permissions import registry_for
from core.auth.roles import ensure_default_roles
from core.org import service as org_service
from core.people import service as people_service
from core.people.identity import make_id_number
from core.policy.service import local_today
from core.privacy.models import AuditedRead
from tests.conftest import (
    TEST_PASSWORD,
    SignedIn,
    graphql_caller,
    hashed,
    plugin_deployment,
    sign_in_as,
)

PURPOSE = "上门送避孕药具前核对"


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "family_planning", "mediation")


def years_ago(years: int, days: int = 0) -> date:
    today = local_today()
    try:
        base = today.replace(year=today.year - years)
    except ValueError:
        base = today.replace(year=today.year - years, day=28)
    return base - timedelta(days=days)


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


@dataclass
class Tree:
    street: int
    community: int
    grid: int
    other_street: int
    other_community: int
    people: dict[str, int] = field(default_factory=dict)
    households: dict[str, int] = field(default_factory=dict)


def build_tree(deployment: Deployment) -> Tree:
    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():

        def unit(name: str, level: str, parent: int | None, code: str | None = None) -> int:
            return org_service.create_unit(
                session,
                settings,
                name=name,
                level=level,
                parent_id=parent,
                established_on=date(2020, 1, 1),
                division_code=code,
            ).id

        city = unit("青岛市", "city", None, "370200")
        district = unit("市北区", "district", city, "370203")
        street = unit("宁夏路街道", "street", district)
        community = unit("宁安路社区", "community", street)
        grid = unit("第一网格", "grid", community)
        other_street = unit("辽宁路街道", "street", district)
        other_community = unit("辽宁社区", "community", other_street)
        tree = Tree(street, community, grid, other_street, other_community)
        sequence = iter(range(100, 999))

        def household(key: str, at: int, *members: tuple[str, date, str]) -> None:
            home = people_service.register_household(session, org_unit_id=at)
            tree.households[key] = home.id
            for index, (name, birth, sex) in enumerate(members):
                number = make_id_number("370203", birth, next(sequence) * 2 + (1 if sex == "male" else 0))
                resident = people_service.register_resident(
                    session, org_unit_id=at, name=f"居民{name}", id_number=number
                )
                people_service.add_household_member(
                    session, home, resident, relationship_code="02" if index == 0 else "10"
                )
                tree.people[name] = resident.id

        household("couple", grid, ("wife30", years_ago(30, 3), "female"), ("husband32", years_ago(32, 9), "male"))
        household("girl", grid, ("girl14", years_ago(14, 30), "female"))
        household("older", grid, ("woman50", years_ago(50, 30), "female"))
        household("far", other_community, ("far30", years_ago(30, 40), "female"))
    return tree


@dataclass
class Env:
    deployment: Deployment
    client: TestClient
    tree: Tree

    def call(self, role_code: str, org_unit_id: int | None = None) -> SignedIn:
        return sign_in_as(self.deployment, self.client, role_code, org_unit_id or self.tree.community)

    def worker(self) -> SignedIn:
        return self.call("family_planning_worker")

    def rid(self, key: str) -> str:
        return gid("Resident", self.tree.people[key])

    def unit(self, key: str = "community") -> str:
        return gid("OrgUnit", getattr(self.tree, key))

    def session(self) -> Any:
        return self.deployment.session_factory()

    def resident_account(self, key: str) -> SignedIn:
        """A resident's own account, linked to their registry record, with the resident role at the community."""
        registry = registry_for(self.deployment.host)
        config = AuthConfig.from_settings(self.deployment.settings)
        username = f"resident-{uuid.uuid4().hex[:8]}"
        with self.deployment.session_factory() as session, session.begin():
            ensure_default_roles(session, registry)
            user = auth_service.create_user(
                session,
                config,
                username=username,
                display_name=username,
                password=TEST_PASSWORD,
                password_hash=hashed(),
                resident_id=self.tree.people[key],
            )
            auth_service.grant_role(
                session, registry, None, user_id=user.id, role_code="resident", org_unit_id=self.tree.community
            )
            token = auth_service.open_session(session, config, user).token
            user_id = user.id
        return SignedIn(call=graphql_caller(self.client, token), user_id=user_id, username=username, token=token)

    def resolution(self, held_on: date, text: str = "通过计划生育协议书范本。") -> str:
        """The global ID of a resolution of the community's representatives' assembly held on ``held_on``."""
        from plugins.family_planning.demo import assembly_resolution

        with self.deployment.session_factory() as session, session.begin():
            community = org_service.get_unit(session, self.tree.community)
            adopted = assembly_resolution(session, community, held_on=held_on, text=text, today=local_today())
            return gid("MeetingResolution", adopted.id)

    def reads(self) -> list[AuditedRead]:
        with self.session() as session:
            return list(session.scalars(select(AuditedRead).order_by(AuditedRead.id)))


@pytest.fixture
def env(deployment: Deployment, client: TestClient) -> Env:
    return Env(deployment=deployment, client=client, tree=build_tree(deployment))


def ok(payload: dict[str, Any]) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body["errors"]]


def set_policy(
    deployment: Deployment, unit_id: int, key: str, value: Any, effective_from: date = date(2020, 1, 1)
) -> None:
    from core.policy import service as policy
    from core.policy.registry import registry_for as policy_registry

    with deployment.session_factory() as session, session.begin():
        unit = org_service.get_unit(session, unit_id)
        policy.set_value(
            session,
            unit,
            key,
            value,
            effective_from=effective_from,
            set_by="测试",
            reason="测试用地方策略",
            registry=policy_registry(deployment.host),
        )


PROFILE = """mutation($input: RecordProfileInput!) { recordFamilyPlanningProfile(input: $input) {
  profile { id maritalStatus children contraception pregnant } userErrors { field code message } } }"""


def record_profile(call: Any, resident: str, **extra: Any) -> dict[str, Any]:
    values = {"residentId": resident, "maritalStatus": "married", "children": 1, "contraception": "iud", **extra}
    return call(PROFILE, {"input": values})["recordFamilyPlanningProfile"]
