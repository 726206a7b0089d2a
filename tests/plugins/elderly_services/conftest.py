"""Fixtures of the elderly-services tests: core with ``elderly_services`` and

青岛市 → 市北区 → 宁夏路街道 → 宁安路社区 → 第一网格
                → 辽宁路街道 → 辽宁社区

Residents of 第一网格 (ages on today): ``alone85`` lives alone; ``pair70``
and ``pair68`` live together (空巢); ``with_child65`` and ``old85`` live with
a son of 35; ``alone40`` lives alone; ``turning60`` turns 60 this month;
``recent60`` turned 60 ten days ago (both with the son's household).
``far80`` lives alone in 辽宁社区.
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
from core.people.identity import make_id_number
from core.policy.service import local_today
from tests.conftest import SignedIn, plugin_deployment, sign_in_as


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "elderly_services")


def years_ago(years: int, days: int = 0, today: date | None = None) -> date:
    today = today or local_today()
    try:
        base = today.replace(year=today.year - years)
    except ValueError:
        base = today.replace(year=today.year - years, day=28)
    return base - timedelta(days=days)


@dataclass
class Tree:
    street: int
    community: int
    grid: int
    other_street: int
    other_community: int
    people: dict[str, int] = field(default_factory=dict)


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


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
        grid = unit("第一网格", "grid", community)
        other_street = unit("辽宁路街道", "street", district)
        other_community = unit("辽宁社区", "community", other_street)
        people: dict[str, int] = {}
        sequence = iter(range(100, 999))

        def household(at: int, *members: tuple[str, date, str]) -> None:
            home = people_service.register_household(session, org_unit_id=at)
            for index, (key, birth, sex) in enumerate(members):
                number = make_id_number("370203", birth, next(sequence) * 2 + (1 if sex == "male" else 0) - 0)
                resident = people_service.register_resident(
                    session, org_unit_id=at, name=f"居民{key}", id_number=number
                )
                people_service.add_household_member(
                    session, home, resident, relationship_code="02" if index == 0 else "20"
                )
                people[key] = resident.id

        household(grid, ("alone85", years_ago(85, 10), "female"))
        household(grid, ("pair70", years_ago(70, 3), "male"), ("pair68", years_ago(68, 40), "female"))
        household(
            grid,
            ("with_child65", years_ago(65, 1), "male"),
            ("son35", years_ago(35, 5), "male"),
            ("old85", years_ago(85, 20), "female"),
            ("recent60", years_ago(60, 10), "female"),
            ("turning60", date(today.year - 60, today.month, 1) if today.day > 1 else years_ago(60, -1), "male"),
        )
        household(grid, ("alone40", years_ago(40, 2), "male"))
        household(other_community, ("far80", years_ago(80, 7), "male"))
    return Tree(street, community, grid, other_street, other_community, people)


@dataclass
class Env:
    deployment: Deployment
    client: TestClient
    tree: Tree

    def call(self, role_code: str, org_unit_id: int) -> SignedIn:
        return sign_in_as(self.deployment, self.client, role_code, org_unit_id)

    def rid(self, key: str) -> str:
        return gid("Resident", self.tree.people[key])

    def refresh(self, unit_id: int | None = None, today: date | None = None) -> int:
        from core.policy.registry import registry_for
        from core.visits.programmes import programmes_for
        from core.visits.service import refresh_schedule
        from plugins.elderly_services.declarations import PROGRAMME_CODE

        programme = programmes_for(self.deployment.host)[PROGRAMME_CODE]
        with self.deployment.session_factory() as session, session.begin():
            unit = org_service.get_unit(session, unit_id or self.tree.street)
            return refresh_schedule(
                session, programme, unit, today=today or local_today(), registry=registry_for(self.deployment.host)
            )


@pytest.fixture
def env(deployment: Deployment, client: TestClient) -> Env:
    return Env(deployment=deployment, client=client, tree=build_tree(deployment))


def set_policy(
    deployment: Deployment, unit_id: int, key: str, value: Any, effective_from: date = date(2020, 1, 1)
) -> None:
    from core.policy import service as policy
    from core.policy.registry import registry_for

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
            registry=registry_for(deployment.host),
        )
