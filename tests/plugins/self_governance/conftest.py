"""Fixtures of the self-governance tests: core with ``self_governance`` and

青岛市 → 市北区 → 宁夏路街道 → 宁安路社区 → 第一居民小组 → 1号楼
                                          → 第二居民小组 → 2号楼
                                          → 第三居民小组
                → 辽宁路街道 → 辽宁社区

Residents of 宁安路社区 (keys → who): ``a1``…``a6`` adults living there
for years (a1, a2 share a household in 1号楼; a3 in 1号楼; a4 in 2号楼;
a5, a6 in 第三居民小组); ``minor`` is 15; ``floating`` an adult floating
resident; ``newcomer`` moved in 100 days ago; ``gone`` moved out. ``far``
lives in 辽宁社区.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from core.people import service as people_service
from core.policy.service import local_today
from tests.conftest import SignedIn, plugin_deployment, sign_in_as


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "self_governance")


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def years_ago(years: int, today: date | None = None) -> date:
    today = today or local_today()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@dataclass
class Tree:
    street: int
    community: int
    groups: list[int]
    buildings: list[int]
    other_street: int
    other_community: int
    people: dict[str, int] = field(default_factory=dict)
    households: dict[str, int] = field(default_factory=dict)


def build_tree(deployment: Deployment) -> Tree:
    settings = deployment.settings
    today = local_today()
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
        groups = [unit(f"第{n}居民小组", "resident_group", community) for n in ("一", "二", "三")]
        buildings = [unit("1号楼", "building", groups[0]), unit("2号楼", "building", groups[1])]
        other_street = unit("辽宁路街道", "street", district)
        other_community = unit("辽宁社区", "community", other_street)
        tree = Tree(street, community, groups, buildings, other_street, other_community)

        def person(
            key: str,
            at: int,
            born: date,
            *,
            household: str | None = None,
            residence: str = "registered",
            moved_in: date | None = None,
            moved_out: date | None = None,
        ) -> None:
            resident = people_service.register_resident(
                session,
                org_unit_id=at,
                name=f"居民{key}",
                birth_date=born,
                residence_type=residence,
                moved_in_on=moved_in,
            )
            resident.moved_out_on = moved_out
            if household is not None:
                first = household not in tree.households
                if first:
                    tree.households[household] = people_service.register_household(session, org_unit_id=at).id
                home = session.get_one(people_service.Household, tree.households[household])
                people_service.add_household_member(session, home, resident, relationship_code="02" if first else "20")
            tree.people[key] = resident.id

        long_ago = today - timedelta(days=5 * 365)
        person("a1", buildings[0], years_ago(50), household="h1", moved_in=long_ago)
        person("a2", buildings[0], years_ago(48), household="h1", moved_in=long_ago)
        person("a3", buildings[0], years_ago(35), household="h3", moved_in=long_ago)
        person("a4", buildings[1], years_ago(40), household="h4", moved_in=long_ago)
        person("a5", groups[2], years_ago(62), household="h5", moved_in=long_ago)
        person("a6", groups[2], years_ago(30), household="h6", moved_in=long_ago)
        person("minor", buildings[0], years_ago(15), household="h3", moved_in=long_ago)
        person("floating", buildings[1], years_ago(28), residence="floating", moved_in=long_ago)
        person("newcomer", buildings[1], years_ago(33), household="h7", moved_in=today - timedelta(days=100))
        person("gone", groups[2], years_ago(44), moved_in=long_ago, moved_out=today - timedelta(days=30))
        person("far", other_community, years_ago(45), moved_in=long_ago)
    return tree


@dataclass
class Env:
    deployment: Deployment
    client: TestClient
    tree: Tree

    def call(self, role_code: str, org_unit_id: int | None = None) -> SignedIn:
        return sign_in_as(self.deployment, self.client, role_code, org_unit_id or self.tree.community)

    def rid(self, key: str) -> str:
        return gid("Resident", self.tree.people[key])

    @property
    def community_id(self) -> str:
        return gid("OrgUnit", self.tree.community)

    def sql(self, statement: str, **params: Any) -> Any:
        from sqlalchemy import text

        with self.deployment.engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return result.all() if result.returns_rows else None

    def set_policy(self, key: str, value: Any, unit_id: int | None = None) -> None:
        from core.policy import service as policy
        from core.policy.registry import registry_for

        with self.deployment.session_factory() as session, session.begin():
            unit = org_service.get_unit(session, unit_id or self.tree.street)
            policy.set_value(
                session,
                unit,
                key,
                value,
                effective_from=date(2020, 1, 1),
                set_by="测试",
                reason="测试用地方策略",
                registry=registry_for(self.deployment.host),
            )


@pytest.fixture
def env(deployment: Deployment, client: TestClient) -> Env:
    return Env(deployment=deployment, client=client, tree=build_tree(deployment))


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]
