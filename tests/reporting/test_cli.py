"""``jiceng reporting materialize``: runs from cron, prints progress, idempotent."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

import core.cli
from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.cli import main
from core.reporting.models import ObligationInstance
from tests.conftest import make_settings
from tests.reporting.conftest import Env, drill_host


def test_materialize_command_prints_progress_and_is_idempotent(
    env: Env,
    core_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)

    def deployment_from_args(_args: argparse.Namespace) -> Deployment:
        return Deployment(settings=make_settings(core_database_url), host=drill_host())

    monkeypatch.setattr(core.cli, "deployment_from_args", deployment_from_args)
    config = str(tmp_path / "no-such-config.toml")
    argv = ["--config", config, "reporting", "materialize", "--on", "2026-03-10"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "drill.monthly_report（演练月报）：新建 6 条" in out
    # The drill's two types and the board's monthly disclosures (政务、居务).
    assert "board.government_affairs（政务公开（每月））：新建 6 条" in out
    assert "完成：新建 24 条，已有 0 条。" in out

    assert main(argv) == 0
    assert "完成：新建 0 条，已有 24 条。" in capsys.readouterr().out
    with env.session() as session:
        assert session.scalar(select(func.count()).select_from(ObligationInstance)) == 24
        runs = session.scalars(
            select(AuditRecord.detail).where(AuditRecord.action == "cli:reporting.materialize").order_by(AuditRecord.id)
        ).all()
    assert len(runs) == 2 and '"created":24' in runs[0].replace(" ", "") and '"created":0' in runs[1].replace(" ", "")


def test_holiday_commands_record_and_list_holidays(
    env: Env,
    core_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        core.cli,
        "deployment_from_args",
        lambda _args: Deployment(settings=make_settings(core_database_url), host=drill_host()),
    )
    config = str(tmp_path / "no-such-config.toml")
    base = ["--config", config, "reporting", "holiday"]
    assert main([*base, "add", "2026-10-01", "国庆节"]) == 0
    assert main([*base, "add", "2026-10-10", "国庆节调休", "--workday"]) == 0
    assert main([*base, "add", "2026-10-12", "地方假日", "--unit", encode_global_id("OrgUnit", env.tree.street)]) == 0
    assert main([*base, "add", "2026-10-13", " "]) == 1
    capsys.readouterr()
    assert main([*base, "list", "--year", "2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2026-10-01\t放假\t国庆节\t全部"
    assert lines[1].startswith("2026-10-10\t调休上班\t国庆节调休")
    assert lines[2].endswith(f"/{env.tree.street}/") and len(lines) == 3
    with env.session() as session:
        audited = session.execute(
            select(AuditRecord.org_unit_id, AuditRecord.actor_label)
            .where(AuditRecord.action == "cli:reporting.holiday_add")
            .order_by(AuditRecord.id)
        ).all()
    assert [unit for unit, _actor in audited] == [None, None, env.tree.street]
    assert {actor for _unit, actor in audited} == {"cli"}
