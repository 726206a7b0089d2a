"""Obligation types name the levels that owe them by role in the tree
(``grassroots`` = community or village, ``subdistrict`` = street or
township), resolved from the deployment's configured levels: a county of
townships and villages owes what a city of streets and communities owes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from core.app import Deployment, create_app
from core.org import service as org_service
from core.plugin_host import PluginHost, load_plugin_host
from core.policy.keys import PolicyKey, ValueType
from core.reporting import service
from core.reporting.models import ObligationInstance
from core.reporting.obligations import DueRule, ObligationType
from core.settings import ROLE_GRASSROOTS, ROLE_SUBDISTRICT
from core.testing import plugin_module
from tests.conftest import TOWNSHIP_LEVELS, empty_tables, graphql_caller, make_settings

LEVELS = (
    {"code": "city", "name": "市"},
    {"code": "county", "name": "县"},
    # A code no rule knows: its role comes from the configuration.
    {"code": "xiang", "name": "乡", "role": ROLE_SUBDISTRICT},
    {"code": "village", "name": "行政村"},
    {"code": "grid", "name": "网格"},
)


def roles_plugin() -> ModuleType:

    def register_policy_keys() -> list[Any]:
        return [PolicyKey("roles.due_day", ValueType.DAY_OF_MONTH, 5, "演练报表的报送日")]

    def register_obligation_types() -> list[Any]:
        due = DueRule("roles.due_day", 1)
        return [
            ObligationType(
                code="roles.village_report",
                name="村级月报",
                kind="report",
                levels=(ROLE_GRASSROOTS,),
                recurrence="monthly",
                due=due,
            ),
            ObligationType(
                code="roles.township_report",
                name="乡镇月报",
                kind="report",
                levels=(ROLE_SUBDISTRICT,),
                recurrence="monthly",
                due=due,
            ),
        ]

    return plugin_module(
        "roles", register_policy_keys=register_policy_keys, register_obligation_types=register_obligation_types
    )


def roles_host() -> PluginHost:
    base = load_plugin_host(())
    base.manager.register(roles_plugin(), name="roles")
    base.manager.check_pending()
    return PluginHost(manager=base.manager, enabled=("roles",), installed={})


@pytest.fixture(params=[TOWNSHIP_LEVELS, LEVELS], ids=["township", "configured_role"])
def deployment(request: pytest.FixtureRequest, core_database_url: str) -> Iterator[Deployment]:
    deployment = Deployment(settings=make_settings(core_database_url, org_levels=request.param), host=roles_host())
    yield deployment
    empty_tables(deployment)
    deployment.dispose()


def test_types_declared_by_role_are_owed_by_the_configured_levels(deployment: Deployment) -> None:
    township_code = deployment.settings.org_levels[2].code
    with deployment.session_factory() as session, session.begin():

        def unit(name: str, level: str, parent: int | None) -> int:
            return org_service.create_unit(
                session, deployment.settings, name=name, level=level, parent_id=parent, established_on=date(2020, 1, 1)
            ).id

        county = unit("定远县", "county", unit("滁州市", "city", None))
        township = unit("池河镇", township_code, county)
        village = unit("东山村", "village", township)
        unit("第一网格", "grid", village)
    with deployment.session_factory() as session, session.begin():
        service.materialize(session, deployment.host, date(2026, 3, 10))
    with deployment.session_factory() as session:
        owing = set(session.execute(select(ObligationInstance.type_code, ObligationInstance.org_unit_id)).all())
    # Core's monthly board disclosures are declared by role too: the village owes them.
    assert owing == {
        ("roles.village_report", village),
        ("roles.township_report", township),
        ("board.government_affairs", village),
        ("board.community_affairs", village),
    }
    with TestClient(create_app(deployment=deployment)) as client:
        types = graphql_caller(client)("{ obligationTypes { code levels } }")["obligationTypes"]
    assert {t["code"]: t["levels"] for t in types} == {
        "roles.township_report": [township_code],
        "roles.village_report": ["village"],
        "board.government_affairs": ["village"],
        "board.community_affairs": ["village"],
    }
