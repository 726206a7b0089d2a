"""Fixtures of the mediation tests: core with the ``mediation`` plugin and a
small tree —

青岛市 → 市北区 → 宁夏路街道 → {宁安路社区 → 第一网格 → 1号楼, 延安路社区}
                → 辽宁路街道 → 辽宁社区

and a few residents of 宁安路社区. ``Env.call(role, unit)`` signs in a new
user holding that role there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from core.people import service as people_service
from core.people.identity import make_id_number
from tests.conftest import SignedIn, plugin_deployment, sign_in_as


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "mediation")


@dataclass
class Tree:
    city: int
    district: int
    street: int
    community: int
    grid: int
    building: int
    neighbour: int
    other_street: int
    other_community: int
    residents: list[int] = field(default_factory=list)


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def build_tree(deployment: Deployment) -> Tree:
    settings = deployment.settings
    established = date(2020, 1, 1)
    with deployment.session_factory() as session, session.begin():

        def unit(name: str, level: str, parent: int | None, code: str | None = None) -> int:
            return org_service.create_unit(
                session,
                settings,
                name=name,
                level=level,
                parent_id=parent,
                established_on=established,
                division_code=code,
            ).id

        city = unit("青岛市", "city", None, "370200")
        district = unit("市北区", "district", city, "370203")
        street = unit("宁夏路街道", "street", district)
        community = unit("宁安路社区", "community", street)
        grid = unit("第一网格", "grid", community)
        building = unit("1号楼", "building", grid)
        neighbour = unit("延安路社区", "community", street)
        other_street = unit("辽宁路街道", "street", district)
        other_community = unit("辽宁社区", "community", other_street)
        residents = []
        for name, id_number, phone in (
            ("张伟", make_id_number("370203", date(1980, 1, 1), 123), "13800001111"),
            ("李娜", make_id_number("370203", date(1985, 2, 2), 234), "13800002222"),
            ("王强", make_id_number("370203", date(1970, 3, 3), 345), None),
        ):
            resident = people_service.register_resident(
                session, org_unit_id=grid, name=name, id_number=id_number, phone=phone
            )
            residents.append(resident.id)
    return Tree(city, district, street, community, grid, building, neighbour, other_street, other_community, residents)


@dataclass
class Env:
    deployment: Deployment
    client: TestClient
    tree: Tree

    def call(self, role_code: str, org_unit_id: int) -> SignedIn:
        return sign_in_as(self.deployment, self.client, role_code, org_unit_id)

    def session(self) -> Any:
        return self.deployment.session_factory()


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


CASE_FIELDS = """
  id caseNumber title category categoryName source riskLevel riskLevelName emergency status statusName
  facts agreement outcome mediationType mediators resolvedLevel finalizeLevel canFinalizeHere
  orgUnit { id name level } originOrgUnit { id name }
  parties { id role isResident residentId name idNumber phone }
  transitions { action fromStatus toStatus reason fromOrgUnit { name } toOrgUnit { name } userId }
  followUpVisits { dueOn visitedOn agreementKept onTime }
"""

REGISTER = (
    "mutation($input: RegisterDisputeCaseInput!) { registerDisputeCase(input: $input) {"
    " disputeCase {" + CASE_FIELDS + "} userErrors { field code message } } }"
)


def action(name: str, input_type: str) -> str:
    return (
        f"mutation($input: {input_type}!) {{ {name}(input: $input) {{"
        " disputeCase {" + CASE_FIELDS + "} userErrors { field code message } } }"
    )


ACCEPT = action("acceptDisputeCase", "DisputeCaseActionInput")
START = action("startMediation", "StartMediationInput")
RESOLVE = action("resolveDisputeCase", "ResolveDisputeCaseInput")
FOLLOW_UP = action("recordFollowUpVisit", "RecordFollowUpVisitInput")
CLOSE = action("closeDisputeCase", "DisputeCaseActionInput")
ESCALATE = action("escalateDisputeCase", "DisputeCaseActionInput")
HAND_DOWN = action("handDownDisputeCase", "HandDownDisputeCaseInput")
FLAG = action("flagDisputeEmergency", "FlagDisputeEmergencyInput")


def case_input(unit_id: int, **overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "orgUnitId": gid("OrgUnit", unit_id),
        "title": "楼上漏水纠纷",
        "category": "neighbour",
        "source": "walk_in",
        "riskLevel": "minor",
        "facts": "楼上卫生间漏水，楼下墙面受损，双方就赔偿发生争执。",
        "parties": [{"role": "applicant", "name": "刘建国", "phone": "13905321234"}],
    }
    base.update(overrides)
    return base


def ok(result: dict[str, Any], field: str) -> dict[str, Any]:
    payload = result[field]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def codes(result: dict[str, Any], field: str) -> list[str]:
    return [e["code"] for e in result[field]["userErrors"]]
