"""export-schema writes the built-in plugins and the enabled third-party
ones; --enabled-only writes what this deployment enables."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cli import main


def config_enabling(tmp_path: Path, plugins: str) -> str:
    config = tmp_path / "jiceng.toml"
    config.write_text(f"[plugins]\nenabled = {plugins}\n", encoding="utf-8")
    return str(config)


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JICENG_PLUGINS", "JICENG_CONFIG", "JICENG_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def sdl(config: str, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert main(["--config", config, "export-schema", "-o", "-", *extra]) == 0
    return capsys.readouterr().out


def test_enabled_third_party_plugins_are_in_the_exported_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_volunteer = sdl(config_enabling(tmp_path, '["mediation", "volunteer"]'), capsys)
    assert "type Volunteer implements Node" in with_volunteer
    # Every built-in plugin stays in the product's schema.
    assert "type DisputeCase" in with_volunteer and "type FinanceAccount" in with_volunteer

    without = sdl(config_enabling(tmp_path, '["mediation"]'), capsys)
    assert "type Volunteer " not in without and "type DisputeCase" in without

    only = sdl(config_enabling(tmp_path, '["volunteer"]'), capsys, "--enabled-only")
    assert "type Volunteer implements Node" in only and "type DisputeCase" not in only


def test_plus_adds_the_plugin_to_the_configured_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JICENG_PLUGINS", "+volunteer")
    only = sdl(config_enabling(tmp_path, '["mediation"]'), capsys, "--enabled-only")
    assert "type Volunteer implements Node" in only and "type DisputeCase" in only and "type FinanceAccount" not in only
