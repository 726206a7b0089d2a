"""Node.js tools that some tests run: the npm packages pinned in a test
directory's ``package.json`` and ``package-lock.json``, installed there with
``npm ci``. Without node/npm, or when the packages cannot be installed, such
a test is skipped — under ``CI=true`` it fails instead."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest

from tests.conftest import IN_CI

REPO_ROOT = Path(__file__).resolve().parents[1]
INSTALL_TIMEOUT = 300


def unavailable(reason: str, tool: str) -> NoReturn:
    """Skip the test that needs ``tool``, or fail it under ``CI=true``."""
    if IN_CI:
        pytest.fail(f"{reason} — CI=true requires the {tool} to run", pytrace=False)
    pytest.skip(f"{reason}; install Node.js and npm to run the {tool}")


def _installed(package_dir: Path) -> bool:
    """Every dependency of ``package_dir/package.json`` is in its
    ``node_modules`` at the pinned version."""
    pinned: dict[str, str] = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["dependencies"]
    for name, version in pinned.items():
        manifest = package_dir / "node_modules" / name / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8")).get("version") != version:
            return False
    return True


def node_with_packages(package_dir: Path, tool: str) -> str:
    """The node binary, once the npm packages pinned in ``package_dir`` are
    installed there (``npm ci``, skipped when they already are)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        unavailable("node or npm not found on PATH", tool)
    if not _installed(package_dir):
        try:
            install = subprocess.run(
                [npm, "ci", "--prefix", str(package_dir), "--no-audit", "--no-fund"],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            unavailable(f"npm ci in {package_dir} did not finish within {INSTALL_TIMEOUT} s", tool)
        if install.returncode != 0:
            unavailable(f"npm ci in {package_dir} failed: {install.stderr.strip()[-2000:]}", tool)
    return node
