"""``jiceng backup`` and ``jiceng restore`` on both databases: what was backed
up comes back in an empty database, a non-empty one is refused unless forced."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from core.app import build_deployment
from core.cli import main
from core.org.models import OrgUnit
from tests.conftest import (
    DatabaseFactory,
    make_root_unit,
    make_settings,
    migrated_deployment,
)


@pytest.fixture
def no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    config = tmp_path / "jiceng.toml"
    config.write_text(f'[documents]\npath = "{tmp_path / "documents"}"\n', encoding="utf-8")
    return str(config)


def unit_names(url: str) -> list[str]:
    deployment = build_deployment(make_settings(url))
    try:
        with deployment.session_factory() as session:
            return list(session.scalars(select(OrgUnit.name).order_by(OrgUnit.id)))
    finally:
        deployment.dispose()


def test_backup_restores_into_an_empty_database(
    backend: str,
    database_factory: DatabaseFactory,
    no_environment: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source_url = database_factory.create(backend)
    source = migrated_deployment(source_url)
    make_root_unit(source, name="青岛市")
    source.dispose()
    archive = tmp_path / "backups" / f"jiceng.{backend}.backup"
    assert main(["--config", no_environment, "backup", str(archive), "--database-url", source_url]) == 0
    assert archive.is_file() and archive.stat().st_size > 0

    target_url = database_factory.create(backend)
    assert main(["--config", no_environment, "restore", str(archive), "--database-url", target_url]) == 0
    assert unit_names(target_url) == ["青岛市"]

    # The restored database is a working deployment: migrate finds nothing to do.
    assert main(["--config", no_environment, "migrate", "--database-url", target_url]) == 0

    # A database with tables is not overwritten unless forced.
    changed = migrated_deployment(source_url)
    make_root_unit(changed, name="烟台市", division_code="370600")
    changed.dispose()
    assert main(["--config", no_environment, "backup", str(archive), "--database-url", source_url]) == 0
    capsys.readouterr()
    assert main(["--config", no_environment, "restore", str(archive), "--database-url", target_url]) == 1
    assert "--force" in capsys.readouterr().err
    assert unit_names(target_url) == ["青岛市"]
    assert main(["--config", no_environment, "restore", str(archive), "--database-url", target_url, "--force"]) == 0
    assert unit_names(target_url) == ["青岛市", "烟台市"]


def test_restore_refuses_a_missing_or_foreign_file(
    backend: str,
    database_factory: DatabaseFactory,
    no_environment: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    target_url = database_factory.create(backend)
    assert main(["--config", no_environment, "restore", str(tmp_path / "none"), "--database-url", target_url]) == 1
    assert "不存在" in capsys.readouterr().err
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all" * 100)
    assert main(["--config", no_environment, "restore", str(junk), "--database-url", target_url]) == 1
    assert "错误" in capsys.readouterr().err
