"""Locality presets: the shipped files, and ``jiceng policy apply`` / ``show``
on a migrated database."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from core.app import Deployment
from core.audit.models import AuditRecord
from core.cli import main
from core.org.models import OrgUnit
from core.policy import service
from core.policy.models import PolicyValue
from core.policy.presets import BUILTIN_PRESET_DIR, available_presets, load_preset
from core.policy.registry import registry_for
from tests.policy.conftest import Tree

EXPECTED = {
    "jilin": {
        "org.grid.max_households": 300,
        "org.community.households_min": 1500,
        "org.community.households_max": 5000,
        "org.committee.households_per_member": 300,
        "finance.funding.per_100_households_yuan": 1500,
        "finance.allowance.chair_monthly_yuan": 1200,
        "finance.allowance.member_monthly_yuan": 1100,
    },
    "qingdao-sifang": {
        "org.community.households_min": 1000,
        "org.community.households_max": 3000,
        "org.resident_group.households_min": 50,
        "org.resident_group.households_max": 100,
        "finance.approval.chair_max_yuan": 100,
        "finance.approval.street_max_yuan": 500,
    },
    "dingyuan": {
        "mediation.screening.per_month": 2,
        "mediation.monthly_summary.due_day": 5,
        "mediation.monthly_summary.due_next_month": True,
    },
    "taonan": {
        "mediation.monthly_summary.due_day": 25,
        "mediation.monthly_summary.due_next_month": False,
        "mediation.zero_report.required": True,
    },
}


def test_shipped_presets_hold_the_seed_numbers(deployment: Deployment) -> None:
    registry = registry_for(deployment.host)
    presets = {
        name: load_preset(path) for name, path in available_presets().items() if path.parent == BUILTIN_PRESET_DIR
    }
    assert set(presets) == set(EXPECTED)
    for name, preset in presets.items():
        assert {e.key: e.value for e in preset.entries} == EXPECTED[name], name
        for entry in preset.entries:
            assert entry.source.startswith("种子 00"), (name, entry.key)
            # Keys of core must be declared and accept the value; others belong to plugins.
            if registry.plugin_of(entry.key) == "core":
                registry.keys[entry.key].parse(entry.value)


@pytest.fixture
def cli_config(deployment: Deployment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    config = tmp_path / "jiceng.toml"
    config.write_text(
        f'[database]\nurl = "{deployment.settings.database_url}"\n\n[plugins]\nenabled = []\n', encoding="utf-8"
    )
    return config


def run(config: Path, *args: str) -> int:
    return main(["--config", str(config), "policy", *args])


def test_apply_sets_declared_keys_and_reports_missing_plugins(
    deployment: Deployment, tree: Tree, cli_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(cli_config, "apply", "jilin", "--unit", "220200", "--effective-from", "2024-01-01") == 0
    out = capsys.readouterr()
    assert "吉林市" in out.out
    assert "设置 org.grid.max_households = 300" in out.out
    assert "跳过 finance.funding.per_100_households_yuan：插件 finance 已安装但未启用" in out.out
    assert "设置 4 项，未变 0 项，跳过 3 项" in out.out
    assert "写入策略值" in out.err  # progress

    with deployment.session_factory() as session:
        rows = session.scalars(select(PolicyValue).order_by(PolicyValue.key)).all()
        assert {(r.key, r.value) for r in rows} == {
            ("org.committee.households_per_member", "300"),
            ("org.community.households_max", "5000"),
            ("org.community.households_min", "1500"),
            ("org.grid.max_households", "300"),
        }
        assert all(r.org_unit_id == tree.city and r.effective_from == date(2024, 1, 1) for r in rows)
        assert all(r.set_by.startswith("cli") and "吉林市" in r.reason and "种子 001" in r.reason for r in rows)
        applied = session.scalars(select(AuditRecord).where(AuditRecord.action == "cli:policy.apply_preset")).all()
        assert [(a.org_unit_id, a.actor_label.startswith("cli")) for a in applied] == [(tree.city, True)]

    # Re-applying changes nothing; another preset lower down overrides for its subtree.
    assert run(cli_config, "apply", "jilin", "--unit", "220200", "--effective-from", "2024-01-01") == 0
    assert "设置 0 项，未变 4 项" in capsys.readouterr().out
    assert run(cli_config, "apply", "qingdao-sifang", "--unit", "220202", "--effective-from", "2024-03-01") == 0
    capsys.readouterr()
    with deployment.session_factory() as session:
        community = session.get(OrgUnit, tree.community)
        other = session.get(OrgUnit, tree.other_community)
        assert community is not None and other is not None
        assert (
            service.resolve(
                session,
                community,
                "org.community.households_min",
                date(2024, 3, 1),
                registry=registry_for(deployment.host),
            )
            == 1000
        )
        assert (
            service.resolve(
                session, other, "org.community.households_min", date(2024, 3, 1), registry=registry_for(deployment.host)
            )
            == 1500
        )

    assert (
        run(
            cli_config,
            "show",
            "--unit",
            "220202001001",
            "--on",
            "2024-06-01",
            "--key",
            "org.community.households_min",
            "--key",
            "org.grid.max_households",
        )
        == 0
    )
    shown = capsys.readouterr().out
    assert "文庙社区" in shown
    assert "1000 户" in shown and "继承自 昌邑区，自 2024-03-01" in shown
    assert "300 户" in shown and "继承自 吉林市，自 2024-01-01" in shown


def test_apply_refuses_unknown_core_keys_and_bad_values(
    deployment: Deployment, tree: Tree, cli_config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preset = tmp_path / "broken.toml"
    preset.write_text(
        'title = "坏预设"\n'
        '[[values]]\nkey = "org.grid.max_households"\nvalue = 250\n'
        '[[values]]\nkey = "org.grid.max_househods"\nvalue = 250\n'
        '[[values]]\nkey = "org.community.households_min"\nvalue = "很多"\n'
        '[[values]]\nkey = "mediation.monthly_summary.due_day"\nvalue = 5\n',
        encoding="utf-8",
    )
    assert run(cli_config, "apply", str(preset), "--unit", "220200") == 1
    out = capsys.readouterr().out
    assert "错误 org.grid.max_househods：核心没有声明此策略项" in out
    assert "错误 org.community.households_min" in out and "整数" in out
    assert "跳过 mediation.monthly_summary.due_day：插件 mediation 已安装但未启用" in out
    assert "未写入任何策略值" in out
    with deployment.session_factory() as session:
        assert session.scalars(select(PolicyValue)).all() == []


def test_apply_dry_run_and_operator_errors(
    deployment: Deployment, tree: Tree, cli_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(cli_config, "apply", "jilin", "--unit", "220200", "--dry-run") == 0
    assert "试运行" in capsys.readouterr().out
    with deployment.session_factory() as session:
        assert session.scalars(select(PolicyValue)).all() == []
        assert session.scalars(select(AuditRecord).where(AuditRecord.action == "cli:policy.apply_preset")).all() == []
    assert run(cli_config, "apply", "nowhere", "--unit", "220200") == 1
    assert "找不到地方预设“nowhere”" in capsys.readouterr().err
    assert run(cli_config, "apply", "jilin", "--unit", "999999") == 1
    assert "没有区划代码为 999999 的单位" in capsys.readouterr().err
    assert run(cli_config, "apply", "jilin", "--unit", "not-an-id") == 1
    assert "--unit not-an-id" in capsys.readouterr().err
