"""Fixtures of the auth tests: a small tree, the built-in roles, users with
grants, and a GraphQL runner that executes a document against the
deployment's schema with a signed-in ``Principal`` in the request context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from core.api.context import RequestContext
from core.api.errors import format_error
from core.app import Deployment
from core.auth import service
from core.auth.config import AuthConfig
from core.auth.permissions import PermissionRegistry, Principal, registry_for
from core.auth.roles import ensure_default_roles
from core.org import service as org_service
from core.org.models import OrgUnit
from graphql import ExecutionResult, execute, parse

PASSWORD = "长城-长江-黄河-2026"


@dataclass
class Tree:
    """青岛市 → 市南区 → {八大关街道 → {八大关社区 → 第一网格, 湛山社区}, 湛山街道 → 太平角社区}."""

    city: int
    district: int
    street: int
    community: int
    grid: int
    other_community: int
    sibling_street: int
    sibling_community: int


@pytest.fixture
def tree(deployment: Deployment) -> Tree:
    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: OrgUnit | None, code: str | None = None) -> OrgUnit:
            return org_service.create_unit(
                session, settings, name=name, level=level, parent_id=parent.id if parent else None, division_code=code
            )

        city = add("青岛市", "city", None, "370200")
        district = add("市南区", "district", city, "370202")
        street = add("八大关街道", "street", district, "370202001")
        community = add("八大关社区", "community", street, "370202001001")
        grid = add("第一网格", "grid", community)
        other_community = add("湛山社区", "community", street)
        sibling_street = add("湛山街道", "street", district, "370202002")
        sibling_community = add("太平角社区", "community", sibling_street)
        return Tree(
            city.id,
            district.id,
            street.id,
            community.id,
            grid.id,
            other_community.id,
            sibling_street.id,
            sibling_community.id,
        )


@pytest.fixture
def config() -> AuthConfig:
    return AuthConfig()


@pytest.fixture
def registry(deployment: Deployment) -> PermissionRegistry:
    return registry_for(deployment.host)


@pytest.fixture
def roles(deployment: Deployment, registry: PermissionRegistry) -> None:
    with deployment.session_factory() as session, session.begin():
        ensure_default_roles(session, registry)


MakeUser = Callable[..., int]


@pytest.fixture
def make_user(deployment: Deployment, config: AuthConfig, registry: PermissionRegistry, roles: None) -> MakeUser:
    """Create a user (password ``PASSWORD``), optionally with grants given
    as (role code, org unit id) pairs; returns the user's id."""

    def make(username: str, *grants: tuple[str, int], display_name: str | None = None) -> int:
        with deployment.session_factory() as session, session.begin():
            user = service.create_user(
                session, config, username=username, display_name=display_name or username, password=PASSWORD
            )
            for role_code, unit_id in grants:
                service.grant_role(session, registry, None, user_id=user.id, role_code=role_code, org_unit_id=unit_id)
            return user.id

    return make


def principal(deployment: Deployment, user_id: int) -> Principal:
    with deployment.session_factory() as session:
        found = service.principal_for_user(session, user_id)
        assert found is not None
        return found


def run(
    deployment: Deployment,
    document: str,
    variables: dict[str, Any] | None = None,
    *,
    user: Principal | None = None,
) -> dict[str, Any]:
    """Execute ``document`` as the HTTP endpoint does: one session, a
    request context carrying ``user``, rollback at the end. Returns
    ``{"data": ..., "errors": [formatted errors]}``."""
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


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A fixed UTC time on one day, for tests that move the clock."""
    return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC)
