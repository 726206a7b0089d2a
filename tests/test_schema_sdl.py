"""The checked-in ``graphql/schema.graphql`` is the schema the code builds.

The file is the product's schema: core plus every built-in plugin (plugins
registered by the ``jiceng`` distribution itself), whatever a deployment
enables. When this fails, regenerate it with ``jiceng export-schema``.
"""

from __future__ import annotations

import os
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from core.app import build_deployment
from core.cli import main
from core.hookspecs import ENTRY_POINT_GROUP
from tests.conftest import make_settings

SDL_PATH = Path(__file__).resolve().parent.parent / "graphql" / "schema.graphql"
OUT_OF_DATE = "graphql/schema.graphql is out of date: run `jiceng export-schema` and commit the result"


def _normalized(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def builtin_plugins() -> tuple[str, ...]:
    """Entry points of the plugin group that the ``jiceng`` distribution declares."""
    return tuple(
        sorted(
            ep.name
            for ep in entry_points(group=ENTRY_POINT_GROUP)
            if ep.dist is not None and _normalized(ep.dist.metadata["Name"]) == "jiceng"
        )
    )


def product_sdl() -> str:
    deployment = build_deployment(make_settings("sqlite://", plugins=builtin_plugins()))
    return deployment.schema.as_sdl()


def test_checked_in_sdl_matches_the_code() -> None:
    assert SDL_PATH.is_file(), f"{SDL_PATH} is missing: run `jiceng export-schema`"
    assert SDL_PATH.read_text(encoding="utf-8") == product_sdl(), OUT_OF_DATE


@pytest.fixture
def isolated_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """No developer config file or ``JICENG_*`` variable reaches the command."""
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return str(tmp_path / "no-such-config.toml")


def test_export_schema_to_stdout_matches_the_file(isolated_cli: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", isolated_cli, "export-schema", "-o", "-"]) == 0
    assert capsys.readouterr().out == SDL_PATH.read_text(encoding="utf-8"), OUT_OF_DATE


def test_export_schema_writes_the_file(isolated_cli: str, tmp_path: Path) -> None:
    target = tmp_path / "schema.graphql"
    assert main(["--config", isolated_cli, "export-schema", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == product_sdl()
