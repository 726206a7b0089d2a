"""``core.api.downloads``: sign-in, unit, scope, plugin activation, builder
errors and the audit record of every spreadsheet download."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from core.api.downloads import Download, download_route
from core.api.errors import UserInputError
from core.api.relay import encode_global_id
from core.app import Deployment, create_app
from core.audit.models import AuditRecord
from core.auth.permissions import Permission
from core.org.models import OrgUnit
from core.plugin_host import PluginHost, load_plugin_host
from core.policy import service as policy
from core.policy.keys import plugin_active_key
from core.policy.registry import registry_for as policy_registry_for
from core.testing import active_sheet, plugin_module
from tests.conftest import empty_tables, make_settings, sign_in_as
from tests.reporting.conftest import Tree, build_tree

PATH = "/tally/export/households.xlsx"
VIEW = Permission("tally.view", "查看统计", default_roles=("community_worker",))


def build(download: Download) -> tuple[Workbook, str]:
    if download.param("fail"):
        raise UserInputError("BAD_MONTH", "月份不对。", "month")
    start, end = download.date_range(date(2026, 1, 1), date(2026, 12, 31))
    workbook = Workbook()
    sheet = active_sheet(workbook)
    sheet.append(["单位", "起", "止"])
    sheet.append([download.unit.name, start.isoformat(), end.isoformat()])
    return workbook, f"{download.unit.name}统计表.xlsx"


def tally_host() -> PluginHost:
    module = plugin_module(
        "tally",
        register_permissions=lambda: [VIEW],
        register_routes=lambda: [
            download_route(PATH, build, permission=VIEW.code, plugin="tally", action="tally.households")
        ],
    )
    base = load_plugin_host(())
    base.manager.register(module, name="tally")
    return PluginHost(manager=base.manager, enabled=("tally",), installed={})


@pytest.fixture
def tally(core_database_url: str) -> Iterator[tuple[Deployment, Tree, TestClient]]:
    deployment = Deployment(settings=make_settings(core_database_url), host=tally_host())
    tree = build_tree(deployment)
    with TestClient(create_app(deployment=deployment)) as client:
        yield deployment, tree, client
    empty_tables(deployment)
    deployment.dispose()


def test_a_download_checks_everything_and_is_audited(tally: tuple[Deployment, Tree, TestClient]) -> None:
    deployment, tree, client = tally
    worker = sign_in_as(deployment, client, "community_worker", tree.community)
    auth = {"Authorization": f"Bearer {worker.token}"}
    unit = encode_global_id("OrgUnit", tree.community)

    def get(params: dict[str, Any], headers: dict[str, str] | None = auth) -> Any:
        return client.get(PATH, params=params, headers=headers or {})

    assert get({"unit": unit}, headers=None).status_code == 401
    assert get({"unit": unit}, headers={"Authorization": "Bearer nonsense"}).json()["code"] == "UNAUTHENTICATED"
    assert (get({}).status_code, get({}).json()["code"]) == (400, "REQUIRED")
    assert get({"unit": "nonsense"}).json()["code"] == "INVALID_ID"
    assert get({"unit": encode_global_id("OrgUnit", 999999)}).status_code == 404
    outside = get({"unit": encode_global_id("OrgUnit", tree.neighbour)})
    assert (outside.status_code, outside.json()["code"]) == (403, "FORBIDDEN")
    assert get({"unit": unit, "from": "2026-13-01"}).json()["code"] == "INVALID_DATE"
    assert get({"unit": unit, "from": "2026-05-01", "to": "2026-04-01"}).json()["code"] == "INVALID_RANGE"
    failed = get({"unit": unit, "fail": "1"})
    assert (failed.status_code, failed.json()) == (400, {"code": "BAD_MONTH", "message": "月份不对。"})
    with deployment.session_factory() as session:
        assert session.scalars(select(AuditRecord).where(AuditRecord.action == "export:tally.households")).all() == []

    response = get({"unit": unit, "from": "2026-03-01"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    rows = list(active_sheet(load_workbook(BytesIO(response.content))).iter_rows(values_only=True))
    assert rows == [("单位", "起", "止"), ("宁安路社区", "2026-03-01", "2026-12-31")]
    with deployment.session_factory() as session:
        audited = session.scalars(select(AuditRecord).where(AuditRecord.action == "export:tally.households")).all()
        assert [(a.org_unit_id, a.purpose) for a in audited] == [(tree.community, "导出报表")]

    # Switched off for the street: refused there, with the reason.
    with deployment.session_factory() as session, session.begin():
        street = session.get(OrgUnit, tree.street)
        assert street is not None
        policy.set_value(
            session,
            street,
            plugin_active_key("tally").key,
            False,
            set_by="test",
            reason="本街道不用",
            registry=policy_registry_for(deployment.host),
        )
    off = get({"unit": unit})
    assert (off.status_code, off.json()["code"]) == (403, "PLUGIN_NOT_ACTIVE")
