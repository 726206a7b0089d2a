"""Fixtures of the policy tests: a small organization tree, its
administrator, and deployments with test plugins registered in-process."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType

import pytest
from starlette.testclient import TestClient

from core.app import Deployment, create_app
from core.org import service as org_service
from core.org.models import OrgUnit
from core.plugin_host import PluginHost, load_plugin_host
from tests.conftest import GraphQLCall, SignedIn, SignIn, empty_tables, make_settings, sign_in_as


@dataclass
class Tree:
    """吉林市 → 昌邑区 → 文庙街道 → 文庙社区 → 第一网格, and 吉林市 → 龙潭区 → 新安街道 → 新安社区."""

    city: int
    district: int
    street: int
    community: int
    grid: int
    other_district: int
    other_street: int
    other_community: int


def build_tree(deployment: Deployment) -> Tree:
    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: OrgUnit | None, code: str | None = None) -> OrgUnit:
            return org_service.create_unit(
                session, settings, name=name, level=level, parent_id=parent.id if parent else None, division_code=code
            )

        city = add("吉林市", "city", None, "220200")
        district = add("昌邑区", "district", city, "220202")
        street = add("文庙街道", "street", district, "220202001")
        community = add("文庙社区", "community", street, "220202001001")
        grid = add("第一网格", "grid", community)
        other_district = add("龙潭区", "district", city, "220203")
        other_street = add("新安街道", "street", other_district)
        other_community = add("新安社区", "community", other_street)
        return Tree(
            city.id,
            district.id,
            street.id,
            community.id,
            grid.id,
            other_district.id,
            other_street.id,
            other_community.id,
        )


@pytest.fixture
def tree(deployment: Deployment) -> Tree:
    return build_tree(deployment)


ADMIN = "policy.admin"


@pytest.fixture
def gql(sign_in: SignIn, tree: Tree) -> GraphQLCall:
    """The administrator of 吉林市 (username ``policy.admin``): reads and sets policy anywhere."""
    return sign_in("admin", tree.city, username=ADMIN)


def host_with(*plugins: tuple[str, ModuleType]) -> PluginHost:
    """Core plus the given in-process plugins, enabled."""
    host = load_plugin_host(())
    for name, module in plugins:
        host.manager.register(module, name=name)
    host.manager.check_pending()
    return PluginHost(manager=host.manager, enabled=tuple(name for name, _ in plugins), installed={})


@dataclass
class PluginDeployment:
    deployment: Deployment
    client: TestClient

    def sign_in(self, role_code: str, org_unit_id: int, *, username: str | None = None) -> SignedIn:
        return sign_in_as(self.deployment, self.client, role_code, org_unit_id, username=username)


@pytest.fixture
def plugin_deployment(core_database_url: str) -> Iterator[Callable[..., PluginDeployment]]:
    """Builds deployments with in-process plugins on the shared migrated database."""
    made: list[tuple[Deployment, TestClient]] = []

    def make(*plugins: tuple[str, ModuleType]) -> PluginDeployment:
        deployment = Deployment(settings=make_settings(core_database_url), host=host_with(*plugins))
        client = TestClient(create_app(deployment=deployment))
        client.__enter__()
        made.append((deployment, client))
        return PluginDeployment(deployment=deployment, client=client)

    yield make
    for _deployment, client in made:
        client.__exit__(None, None, None)
    if made:
        empty_tables(made[0][0])
    for deployment, _ in made:
        deployment.dispose()
