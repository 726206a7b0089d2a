"""Fixtures of the posts tests: a small tree with residents and bodies, and a
GraphQL runner that executes a document with a signed-in ``Principal``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.api.context import RequestContext
from core.api.errors import format_error
from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.permissions import Principal
from core.org import service as org_service
from core.org.models import OrgUnit
from core.people import service as people_service
from core.people.models import Household
from core.posts import service
from graphql import ExecutionResult, execute, parse

START = date(2024, 1, 1)


@dataclass
class Tree:
    """吉林市 → 昌邑区 → {文庙街道 → {文庙社区 → 第一网格, 东局子社区}, 延安街道 → 延安社区}."""

    city: int
    district: int
    street: int
    community: int
    grid: int
    other_community: int
    sibling_street: int
    sibling_community: int
    # Bodies at 文庙社区.
    party: int
    committee: int
    centre: int
    supervision: int
    # Bodies at 延安社区.
    sibling_committee: int
    # Residents of 文庙社区: 张伟, 王芳, 李娜, 刘洋, 陈静, 杨帆; of 延安社区: 赵磊.
    residents: dict[str, int]

    def path(self, session: Session, unit_id: int) -> str:
        unit = session.get(OrgUnit, unit_id)
        assert unit is not None
        return unit.path


NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆")


@pytest.fixture
def tree(deployment: Deployment) -> Tree:
    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: OrgUnit | None) -> OrgUnit:
            return org_service.create_unit(
                session, settings, name=name, level=level, parent_id=parent.id if parent else None
            )

        city = add("吉林市", "city", None)
        district = add("昌邑区", "district", city)
        street = add("文庙街道", "street", district)
        community = add("文庙社区", "community", street)
        grid = add("第一网格", "grid", community)
        other_community = add("东局子社区", "community", street)
        sibling_street = add("延安街道", "street", district)
        sibling_community = add("延安社区", "community", sibling_street)

        def body(unit: OrgUnit, kind: str, name: str) -> int:
            return service.create_body(session, org_unit_id=unit.id, kind=kind, name=name).id

        residents = {
            name: people_service.register_resident(session, name=name, org_unit_id=community.id).id for name in NAMES
        }
        residents["赵磊"] = people_service.register_resident(session, name="赵磊", org_unit_id=sibling_community.id).id
        return Tree(
            city=city.id,
            district=district.id,
            street=street.id,
            community=community.id,
            grid=grid.id,
            other_community=other_community.id,
            sibling_street=sibling_street.id,
            sibling_community=sibling_community.id,
            party=body(community, "party_organization", "文庙社区党委"),
            committee=body(community, "residents_committee", "文庙社区居民委员会"),
            centre=body(community, "service_centre", "文庙社区服务站"),
            supervision=body(community, "supervision_committee", "文庙社区居务监督委员会"),
            sibling_committee=body(sibling_community, "residents_committee", "延安社区居民委员会"),
            residents=residents,
        )


def add_households(session: Session, unit_id: int, count: int) -> None:
    """``count`` households registered at ``unit_id``, in one statement."""
    unit = session.get(OrgUnit, unit_id)
    assert unit is not None
    session.execute(
        insert(Household),
        [{"org_unit_id": unit.id, "org_path": unit.path, "household_type": "family", "residence_type": "registered"}]
        * count,
    )


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def principal_at(deployment: Deployment, grants: Iterable[tuple[str, int]], *, user_id: int = 9001) -> Principal:
    """A signed-in user holding each permission code at the given unit."""
    with deployment.session_factory() as session:
        pairs = [(code, org_service.get_unit(session, unit_id).path) for code, unit_id in grants]
    return Principal.build(id=user_id, username=f"user{user_id}", display_name="测试用户", permissions=pairs)


def run(
    deployment: Deployment, document: str, variables: dict[str, Any] | None = None, *, user: Principal | None = None
) -> dict[str, Any]:
    """Execute ``document`` as the HTTP endpoint does: one session and a
    request context carrying ``user``. Mutations commit through ``atomic``."""
    schema = deployment.schema
    with deployment.session_factory() as session:
        context = RequestContext(session=session, settings=deployment.settings, registry=schema.registry, user=user)
        result = execute(schema.graphql_schema, parse(document), context_value=context, variable_values=variables)
        assert isinstance(result, ExecutionResult)
        session.rollback()
    return {"data": result.data, "errors": [format_error(e) for e in result.errors or ()]}


def ok(result: dict[str, Any]) -> dict[str, Any]:
    assert not result["errors"], result["errors"]
    return result["data"]
