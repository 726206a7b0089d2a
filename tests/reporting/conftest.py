"""Fixtures of the reporting tests: a deployment with a test-only plugin
``drill`` that declares a monthly report owed by communities (due on
``drill.report_day`` of the next month) and a half-monthly meeting owed by
communities (due on ``drill.meeting_day`` of the same month), and a small
tree: 青岛市 → 市北区 → {宁夏路街道 → {宁安路社区, 延安路社区}, 辽宁路街道 → 辽宁社区}."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.app import Deployment, create_app
from core.org import service as org_service
from core.plugin_host import PluginHost, load_plugin_host
from core.policy.keys import PolicyKey, ValueType
from core.reporting.obligations import DueRule, ObligationType
from core.testing import plugin_module
from tests.conftest import SignedIn, empty_tables, make_settings, sign_in_as

REPORT = "drill.monthly_report"
MEETING = "drill.meeting"
VISIT = "drill.visit"


def drill_plugin() -> ModuleType:

    def register_policy_keys() -> list[Any]:
        return [
            PolicyKey("drill.report_day", ValueType.DAY_OF_MONTH, 5, "演练月报的报送日（次月几日）"),
            PolicyKey("drill.meeting_day", ValueType.DAY_OF_MONTH, 28, "演练例会的截止日（当月几日）"),
        ]

    def register_obligation_types() -> list[Any]:
        return [
            ObligationType(
                code=REPORT,
                name="演练月报",
                kind="report",
                levels=("community",),
                recurrence="monthly",
                due=DueRule("drill.report_day", 1),
            ),
            ObligationType(
                code=MEETING,
                name="演练例会",
                kind="meeting",
                levels=("community",),
                recurrence="half_monthly",
                due=DueRule("drill.meeting_day", 0),
            ),
            ObligationType(code=VISIT, name="演练走访", kind="visit", levels=("community",), recurrence="per_event"),
        ]

    return plugin_module(
        "drill", register_policy_keys=register_policy_keys, register_obligation_types=register_obligation_types
    )


def drill_host() -> PluginHost:
    base = load_plugin_host(())
    base.manager.register(drill_plugin(), name="drill")
    base.manager.check_pending()
    return PluginHost(manager=base.manager, enabled=("drill",), installed={})


@dataclass
class Tree:
    city: int
    district: int
    street: int
    community: int
    neighbour: int
    other_street: int
    other_community: int


@dataclass
class Env:
    deployment: Deployment
    client: TestClient
    tree: Tree

    @property
    def host(self) -> PluginHost:
        return self.deployment.host

    def session(self) -> Any:
        return self.deployment.session_factory()

    def sign_in(self, role_code: str, org_unit_id: int) -> SignedIn:
        return sign_in_as(self.deployment, self.client, role_code, org_unit_id)


def build_tree(deployment: Deployment, established: date = date(2020, 1, 1)) -> Tree:
    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():

        def unit(name: str, level: str, parent: int | None) -> int:
            return org_service.create_unit(
                session, settings, name=name, level=level, parent_id=parent, established_on=established
            ).id

        city = unit("青岛市", "city", None)
        district = unit("市北区", "district", city)
        street = unit("宁夏路街道", "street", district)
        community = unit("宁安路社区", "community", street)
        neighbour = unit("延安路社区", "community", street)
        other_street = unit("辽宁路街道", "street", district)
        other_community = unit("辽宁社区", "community", other_street)
    return Tree(city, district, street, community, neighbour, other_street, other_community)


@pytest.fixture
def env(core_database_url: str) -> Iterator[Env]:
    deployment = Deployment(settings=make_settings(core_database_url), host=drill_host())
    client = TestClient(create_app(deployment=deployment))
    client.__enter__()
    try:
        yield Env(deployment=deployment, client=client, tree=build_tree(deployment))
    finally:
        client.__exit__(None, None, None)
        empty_tables(deployment)
        deployment.dispose()


@pytest.fixture
def cli_config(core_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> list[str]:
    """``jiceng`` run in-process against the test database (with the drill
    plugin), from an empty directory with no JICENG_ variables: the
    ``--config`` arguments to start ``main([...])`` with."""
    import os

    import core.cli

    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        core.cli,
        "deployment_from_args",
        lambda _args: Deployment(settings=make_settings(core_database_url), host=drill_host()),
    )
    return ["--config", str(tmp_path / "no-such-config.toml")]
