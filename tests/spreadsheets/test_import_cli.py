"""``jiceng import``: the dry run prints each bad cell and writes the error
workbook, the import prints progress and a second run changes nothing;
``jiceng import template`` writes the empty register."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

import core.cli
from core.app import Deployment, build_deployment
from core.audit.models import AuditRecord
from core.audit.service import chain_pending
from core.cli import main
from core.people.models import Place
from core.testing import active_sheet
from tests.conftest import make_settings
from tests.spreadsheets.conftest import Tree, sheet_bytes

PLACE_HEADERS = ["场所名称", "类型", "地址", "所属楼栋", "是否出租", "所属网格"]


@pytest.fixture
def cli(deployment: Deployment, core_database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def deployment_from_args(_args: argparse.Namespace) -> Deployment:
        return build_deployment(make_settings(core_database_url))

    monkeypatch.setattr(core.cli, "deployment_from_args", deployment_from_args)
    return ["--config", str(tmp_path / "none.toml"), "import"]


def test_import_command(
    cli: list[str], deployment: Deployment, tree: Tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        sheet_bytes(
            PLACE_HEADERS,
            [["1 号楼", "楼栋", None, None, None, "团岛一网格"], ["2 号楼", "城堡", None, None, None, "云南路社区"]],
        )
    )
    errors = tmp_path / "errors.xlsx"
    assert main([*cli, "places", str(bad), "--unit", "370202001001", "--errors", str(errors)]) == 1
    out = capsys.readouterr().out
    assert "共 2 行，2 处错误" in out and "第 5 行 类型：类型“城堡”不是可选值" in out and "未导入任何记录" in out
    assert load_workbook(errors).worksheets[0]["B5"].comment is not None
    good = tmp_path / "good.xlsx"
    good.write_bytes(
        sheet_bytes(
            PLACE_HEADERS,
            [
                ["1 号楼", "楼栋", "团岛路 1 号", None, "否", "团岛一网格"],
                ["101 室", "房屋", None, "1 号楼", "是", "团岛一网格"],
            ],
        )
    )
    assert main([*cli, "places", str(good), "--unit", "370202001001", "--dry-run"]) == 0
    assert "检查通过" in capsys.readouterr().out
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Place)) == 0
    assert main([*cli, "places", str(good), "--unit", "370202001001"]) == 0
    assert "已处理 2/2 行" in (out := capsys.readouterr().out) and "完成：新建 2，更新 0，未变 0" in out
    assert main([*cli, "places", str(good), "--unit", "370202001001"]) == 0
    assert "完成：新建 0，更新 0，未变 2" in capsys.readouterr().out
    with deployment.session_factory() as session:
        chain_pending(session)
        actors = session.scalars(select(AuditRecord.actor_label).where(AuditRecord.action == "import:places")).all()
    assert actors == ["cli", "cli"]
    template = tmp_path / "template.xlsx"
    assert main([*cli, "template", "households", "--unit", "370202001001", "-o", str(template)]) == 0
    sheet = active_sheet(load_workbook(template))
    assert sheet["A1"].value == "团岛社区住户导入表" and sheet["A3"].value == "户号"
