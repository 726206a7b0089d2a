"""Fixtures of the party-building tests: a deployment with the plugin
enabled (both backends), a small tree 青岛市 → 市北区 → 宁夏路街道 →
{宁安路社区 → 第一网格, 延安路社区}, and helpers that register residents and
members through the services."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy.orm import Session

from core.app import Deployment
from core.org import service as org_service
from core.people import service as people
from core.people.models import Resident
from plugins.party_building import service
from plugins.party_building.models import FULL, PartyMember, PartyOrganization
from tests.conftest import PluginDatabase, plugin_deployment


@pytest.fixture
def deployment(plugin_database_url: PluginDatabase) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "party_building")


@dataclass
class World:
    city: int
    district: int
    street: int
    community: int
    grid: int
    neighbour: int


@pytest.fixture
def world(deployment: Deployment) -> World:
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: int | None, code: str | None = None) -> int:
            return org_service.create_unit(
                session, deployment.settings, name=name, level=level, parent_id=parent, division_code=code
            ).id

        city = add("青岛市", "city", None, "370200")
        district = add("市北区", "district", city, "370203")
        street = add("宁夏路街道", "street", district, "370203010")
        community = add("宁安路社区", "community", street, "370203010001")
        grid = add("第一网格", "grid", community)
        neighbour = add("延安路社区", "community", street, "370203010002")
    return World(city, district, street, community, grid, neighbour)


@pytest.fixture
def session(deployment: Deployment) -> Iterator[Session]:
    with deployment.session_factory() as session:
        yield session
        session.rollback()


SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def resident(session: Session, unit_id: int, name: str | None = None) -> Resident:
    count = session.query(Resident).count()
    return people.register_resident(
        session, name=name or f"{SURNAMES[count % len(SURNAMES)]}党员{count}", org_unit_id=unit_id
    )


def members(
    session: Session, org: PartyOrganization, count: int, *, status: str = FULL, unit_id: int | None = None
) -> list[PartyMember]:
    return [
        service.admit_member(
            session,
            resident_id=resident(session, unit_id or org.org_unit_id).id,
            organization=org,
            status=status,
            joined_on=date(2010, 7, 1),
        )
        for _ in range(count)
    ]
