"""The ``graphql-http`` audit suite against the real app served by uvicorn.

The audits (``auditServer`` of the npm package ``graphql-http``, version
pinned in ``tests/http_audit/package.json``) check conformance with the
GraphQL-over-HTTP specification; every one of them, including the SHOULD and
MAY audits, must pass. Without node/npm, or when the npm packages cannot be
installed, the test is skipped — under ``CI=true`` it fails instead.
"""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from core.app import create_app
from tests.conftest import migrated_deployment
from tests.node_packages import node_with_packages

REPO_ROOT = Path(__file__).resolve().parents[2]
AUDIT_DIR = REPO_ROOT / "tests" / "http_audit"
AUDIT_TIMEOUT = 120


@pytest.fixture
def node() -> str:
    """The node binary, with the pinned npm packages installed."""
    return node_with_packages(AUDIT_DIR, "graphql-http audit")


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
