"""Where settings come from: a named file or the package's own, never the
working directory; JICENG_PLUGINS replaces the list, +name adds to it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.settings import DEFAULT_CONFIG_PATH, load_settings


def test_the_working_directory_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jiceng.toml").write_text(
        '[database]\nurl = "sqlite:///from-cwd.sqlite3"\n', encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.database_url != "sqlite:///from-cwd.sqlite3"
    # The package's own configuration applies: it enables the built-in plugins.
    assert DEFAULT_CONFIG_PATH.is_file() and DEFAULT_CONFIG_PATH.is_relative_to(Path(__file__).resolve().parents[1])
    assert "mediation" in settings.plugins


def test_a_missing_file_named_by_the_environment_is_reported(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="jiceng.settings"):
        settings = load_settings(environ={"JICENG_CONFIG": str(tmp_path / "absent.toml")})
    assert "absent.toml" in caplog.text
    assert settings.plugins == ()


def test_plugins_variable_replaces_or_adds(tmp_path: Path) -> None:
    config = tmp_path / "jiceng.toml"
    config.write_text('[plugins]\nenabled = ["mediation", "finance"]\n', encoding="utf-8")
    assert load_settings(config, environ={"JICENG_PLUGINS": "volunteer"}).plugins == ("volunteer",)
    assert load_settings(config, environ={"JICENG_PLUGINS": "+volunteer"}).plugins == (
        "mediation",
        "finance",
        "volunteer",
    )
    added = load_settings(config, environ={"JICENG_PLUGINS": "+volunteer, +mediation,library"})
    assert added.plugins == ("mediation", "finance", "volunteer", "library")
    assert load_settings(config, environ={"JICENG_PLUGINS": "*"}).plugins == "*"
    star = tmp_path / "star.toml"
    star.write_text('[plugins]\nenabled = "*"\n', encoding="utf-8")
    assert load_settings(star, environ={"JICENG_PLUGINS": "+volunteer"}).plugins == "*"
    # Without a file, + adds to nothing.
    assert load_settings(tmp_path / "none.toml", environ={"JICENG_PLUGINS": "+volunteer"}).plugins == ("volunteer",)
