"""The ``graphql-http`` audit suite against the real app served by uvicorn.

The audits (``auditServer`` of the npm package ``graphql-http``, version
pinned in ``tests/http_audit/package.json``) check conformance with the
GraphQL-over-HTTP specification; every one of them, including the SHOULD and
MAY audits, must pass. Without node/npm, or when the npm packages cannot be
installed, the test is skipped — under ``CI=true`` it fails instead.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import uvicorn

from core.app import create_app
from tests.conftest import IN_CI, migrated_deployment

REPO_ROOT = Path(__file__).resolve().parents[2]
AUDIT_DIR = REPO_ROOT / "tests" / "http_audit"
INSTALL_TIMEOUT = 300
AUDIT_TIMEOUT = 120


def _unavailable(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(f"{reason} — CI=true requires the graphql-http audit to run", pytrace=False)
    pytest.skip(f"{reason}; install Node.js and npm to run the graphql-http audit")


@pytest.fixture
def node() -> str:
    """The node binary, with the pinned npm packages installed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable("node or npm not found on PATH")
    if not (AUDIT_DIR / "node_modules" / "graphql-http" / "package.json").is_file():
        try:
            install = subprocess.run(
                [npm, "ci", "--prefix", str(AUDIT_DIR), "--no-audit", "--no-fund"],
                cwd=REPO_ROOT,
                capture_output=True,
                text=True,
                timeout=INSTALL_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            _unavailable(f"npm ci in {AUDIT_DIR} did not finish within {INSTALL_TIMEOUT} s")
        if install.returncode != 0:
            _unavailable(f"npm ci in {AUDIT_DIR} failed: {install.stderr.strip()[-2000:]}")
    return node


@pytest.fixture
def served_url(tmp_path: Path) -> Iterator[str]:
    """The app (core only, empty migrated SQLite database) served by uvicorn on a free port."""
    deployment = migrated_deployment(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    server = uvicorn.Server(uvicorn.Config(create_app(deployment=deployment), log_level="warning", lifespan="on"))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail("uvicorn did not start", pytrace=False)
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        listener.close()
        deployment.dispose()


def test_graphql_http_audit_passes_completely(node: str, served_url: str) -> None:
    run = subprocess.run(
        [node, str(AUDIT_DIR / "audit.mjs"), served_url],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=AUDIT_TIMEOUT,
        check=False,
    )
    assert run.returncode == 0, f"audit.mjs exited with {run.returncode}: {run.stderr}"
    results = json.loads(run.stdout)
    assert isinstance(results, list) and results, f"no audit results: {run.stdout!r}"
    ids = [result["id"] for result in results]
    assert len(set(ids)) == len(ids), f"duplicate audit ids: {ids}"
    failed = [result for result in results if result["status"] != "ok"]
    report = "\n".join(f"{result['id']} [{result['status']}] {result['name']}: {result['reason']}" for result in failed)
    assert not failed, f"{len(failed)} of {len(results)} graphql-http audits did not pass:\n{report}"
