"""The example plugin ``jiceng-volunteer`` (``tests/example_plugin``),
installed for the test session as its own distribution.

It is built with pip into a temporary ``--target`` directory that is put on
``sys.path`` for the session and taken off afterwards, so nothing is
installed into the environment. If the distribution is already installed
(e.g. ``pip install tests/example_plugin``), that installation is used as is.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from core.app import Deployment
from core.migrate import alembic_config

DISTRIBUTION = "jiceng-volunteer"
PLUGIN = "volunteer"
SOURCE_DIR = Path(__file__).resolve().parent.parent / "example_plugin"


class _Installation:
    """One installation shared by every fixture that asks for it."""

    def __init__(self) -> None:
        self.users = 0
        self.target: Path | None = None

    def acquire(self, tmp_path_factory: pytest.TempPathFactory) -> importlib.metadata.Distribution:
        self.users += 1
        if self.users == 1 and not _is_installed():
            self.target = _install(tmp_path_factory.mktemp(DISTRIBUTION))
            sys.path.insert(0, str(self.target))
            importlib.invalidate_caches()
        return importlib.metadata.distribution(DISTRIBUTION)

    def release(self) -> None:
        self.users -= 1
        if self.users == 0 and self.target is not None:
            while str(self.target) in sys.path:
                sys.path.remove(str(self.target))
            importlib.invalidate_caches()
            self.target = None


installation = _Installation()


def _is_installed() -> bool:
    try:
        importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _install(workdir: Path) -> Path:
    # Build from a copy so that no build/ or *.egg-info appears in the source tree.
    source = workdir / "source"
    shutil.copytree(SOURCE_DIR, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = workdir / "site"
    command = [
        sys.executable, "-m", "pip", "install",
        "--no-deps", "--no-build-isolation", "--no-index", "--disable-pip-version-check", "--quiet",
        "--target", str(target), str(source),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(f"could not install {DISTRIBUTION}:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return target


@pytest.fixture(scope="session")
def volunteer_distribution(tmp_path_factory: pytest.TempPathFactory) -> Iterator[importlib.metadata.Distribution]:
    """``jiceng-volunteer``, importable and discoverable through its entry point."""
    distribution = installation.acquire(tmp_path_factory)
    try:
        yield distribution
    finally:
        installation.release()


@pytest.fixture(autouse=True)
def _volunteer_installed(volunteer_distribution: importlib.metadata.Distribution) -> None:
    """Every plugin-contract test runs with the plugin installed; whether it is
    enabled is up to each test."""


def applied_revisions(deployment: Deployment) -> set[str]:
    """Every revision the database has, including those alembic records only
    through a later revision of another branch that depends on them."""
    with deployment.engine.connect() as connection:
        rows = MigrationContext.configure(connection).get_current_heads()
        script = ScriptDirectory.from_config(alembic_config(deployment))
        return {revision.revision for revision in script.iterate_revisions(rows, "base")} if rows else set()
