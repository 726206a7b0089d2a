"""Throughput of audited mutations at many concurrent writers, and the
audit chain's integrity afterwards (run on demand, not in CI).

Each writer renames its own org unit over and over, so that writers do not
wait on each other's rows, only on the audit chain. Two modes:

- ``service``: the service call, the audit record and the commit, in one
  write session per mutation (what ``core.api.mutations.atomic`` does,
  without GraphQL);
- ``graphql``: ``updateOrgUnit`` through the ASGI app in this process;
- ``http``: ``updateOrgUnit`` sent by ``wrk`` (one connection per writer)
  to ``jiceng serve --workers N`` for each N of ``--http-workers``: several
  processes chaining into one audit trail. A response that is not 200, has
  ``errors`` or non-empty ``userErrors`` counts as failed.

Afterwards the records still pending are counted (on PostgreSQL a mutation
returns once the chainer has linked its record, so none should be), the chain
is verified (``jiceng audit verify``) and forks are counted: records sharing
a ``prev_hash``.

    python tests/benchmarks/bench_audit.py --writers 16 --seconds 10 --mode service --mode graphql
    python tests/benchmarks/bench_audit.py --writers 16 --seconds 10 --mode http --http-workers 1,2

A fresh PostgreSQL database ``jiceng_bench_audit_<random>`` is created and
dropped afterwards (``--backend sqlite`` uses a temporary file).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.api.relay import encode_global_id
from core.app import Deployment, build_deployment, create_app
from core.audit import service as audit
from core.audit.models import AuditPending, AuditRecord
from core.migrate import upgrade
from core.org import service as org_service
from core.org.models import OrgUnit
from core.settings import load_settings

POSTGRES_ADMIN_URL = os.environ.get("JICENG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
UPDATE_UNIT = """
mutation($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) { orgUnit { id } userErrors { code } } }
"""


def _deployment(backend: str, work_dir: Path) -> tuple[Deployment, Callable[[], None]]:
    if backend == "sqlite":
        url = f"sqlite:///{work_dir / 'bench-audit.sqlite3'}"

        def drop() -> None:
            return None
    else:
        name = f"jiceng_bench_audit_{uuid.uuid4().hex[:8]}"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

        def drop() -> None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    settings = load_settings(config_path="/nonexistent/jiceng.toml", environ={}, database_url=url)
    deployment = build_deployment(settings)
    upgrade(deployment, verbose=False)
    return deployment, drop


def _units(deployment: Deployment, writers: int) -> list[int]:
    with deployment.session_factory() as session, session.begin():
        city = org_service.create_unit(session, deployment.settings, name="基准市", level="city", parent_id=None)
        return [
            org_service.create_unit(
                session, deployment.settings, name=f"基准区{i}", level="district", parent_id=city.id
            ).id
            for i in range(writers)
        ]


def _service_writer(deployment: Deployment, unit_id: int) -> Callable[[int], bool]:
    def one(step: int) -> bool:
        with deployment.write_session_factory() as session:
            unit = session.get(OrgUnit, unit_id, with_for_update=True)
            assert unit is not None
            unit.name = f"基准区{unit_id}-{step}"
            session.flush()
            audit.record(
                session,
                action="mutation:updateOrgUnit",
                object_type="OrgUnit",
                object_id=unit_id,
                org_unit_id=unit_id,
                actor_label="bench",
                detail={"fields": ["name"]},
            )
            session.commit()
        return True

    return one


def _graphql_writer(client: TestClient, token: str, unit_id: int) -> Callable[[int], bool]:
    headers = {"Authorization": f"Bearer {token}"}
    gid = encode_global_id("OrgUnit", unit_id)

    def one(step: int) -> bool:
        variables = {"input": {"id": gid, "name": f"基准区{unit_id}-{step}"}}
        response = client.post("/graphql", json={"query": UPDATE_UNIT, "variables": variables}, headers=headers)
        body = response.json()
        return (
            response.status_code == 200 and not body.get("errors") and not body["data"]["updateOrgUnit"]["userErrors"]
        )

    return one


WRK_WRITES = """
local ids = {%(ids)s}
local n = 0
local threads = {}
bad = 0
setup = function(thread) table.insert(threads, thread) end
request = function()
  n = n + 1
  local body = '{"query":"mutation($input: UpdateOrgUnitInput!) { updateOrgUnit(input: $input) '
    .. '{ orgUnit { id } userErrors { code } } }","variables":{"input":{"id":"' .. ids[(n %% #ids) + 1]
    .. '","name":"基准区-' .. n .. '"}}}'
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %(token)s"}, body)
end
response = function(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) or not string.find(body, '"userErrors":[]', 1, true) then
    if bad == 0 then io.write("FIRST BAD " .. status .. " " .. body .. "\\n") end
    bad = bad + 1
  end
end
done = function(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("BAD %%d\\n", b))
end
"""


def _http_run(
    deployment: Deployment, units: list[int], writers: int, workers: int, seconds: float
) -> tuple[int, int, float]:
    """``jiceng serve --workers N`` under ``wrk``; returns (done, failed, seconds)."""
    import re
    import subprocess
    import urllib.request

    from tests.conftest import sign_in_as

    with deployment.session_factory() as session:
        root = session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)))
    assert root is not None
    # Only the token is wanted: the client is never entered or called.
    token = sign_in_as(deployment, TestClient(create_app(deployment=deployment)), "admin", root).token
    port = 18650 + workers
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "core.cli",
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--database-url",
            deployment.settings.database_url,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        ids = ", ".join(f'"{encode_global_id("OrgUnit", unit)}"' for unit in units)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_WRITES % {"ids": ids, "token": token})
        probe = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=b'{"query": "{ me { user { username } } }"}',
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(probe, timeout=30) as response:
            assert b"admin" in response.read(), "the benchmark's administrator is not signed in"
        out = subprocess.run(
            ["wrk", "-t1", f"-c{writers}", f"-d{int(seconds)}s", "-s", script.name, f"http://127.0.0.1:{port}/graphql"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        os.unlink(script.name)
    finally:
        server.terminate()
        server.wait(30)
    requests = re.search(r"(\d+) requests in", out)
    duration = re.search(r"requests in ([\d.]+)s", out)
    assert requests is not None and duration is not None, out
    total, elapsed = int(requests.group(1)), float(duration.group(1))
    found = re.search(r"BAD (\d+)", out)
    if found is None:
        raise RuntimeError(f"wrk said: {out}")
    bad = int(found.group(1))
    return total - bad, bad, elapsed


def _run(writers: list[Callable[[int], bool]], seconds: float) -> tuple[int, int, float]:
    done = [0] * len(writers)
    failed = [0] * len(writers)
    start = threading.Barrier(len(writers) + 1)
    stop = threading.Event()

    def loop(index: int) -> None:
        start.wait()
        step = 0
        while not stop.is_set():
            try:
                ok = writers[index](step)
            except Exception:
                ok = False
            done[index] += ok
            failed[index] += not ok
            step += 1

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(len(writers))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sum(done), sum(failed), time.perf_counter() - began


def _chain_report(deployment: Deployment) -> str:
    with deployment.session_factory() as session:
        # Each mutation returns once its record is chained: nothing should be left for verify to chain.
        pending = session.scalar(select(func.count()).select_from(AuditPending))
        forks = session.scalar(
            select(func.count()).select_from(
                select(AuditRecord.prev_hash).group_by(AuditRecord.prev_hash).having(func.count() > 1).subquery()
            )
        )
        result = audit.verify(session)
    return (
        f"records {result.count}, pending {pending}, forks {forks}, verify {'ok' if result.ok else result.problems[:3]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--mode", action="append", choices=("service", "graphql", "http"))
    parser.add_argument("--http-workers", default="1,2", help="comma-separated worker counts for --mode http")
    args = parser.parse_args()
    modes = args.mode or ["service", "graphql"]
    with tempfile.TemporaryDirectory() as work_dir:
        deployment, drop = _deployment(args.backend, Path(work_dir))
        try:
            units = _units(deployment, args.writers)
            runs = [(m, 0) for m in modes if m != "http"]
            if "http" in modes:
                runs += [("http", int(n)) for n in args.http_workers.split(",")]
            for mode, workers in runs:
                if mode == "http":
                    done, failed, elapsed = _http_run(deployment, units, args.writers, workers, args.seconds)
                    mode = f"http×{workers}"
                elif mode == "service":
                    writers = [_service_writer(deployment, unit) for unit in units]
                    done, failed, elapsed = _run(writers, args.seconds)
                else:
                    from tests.conftest import sign_in_as

                    with TestClient(create_app(deployment=deployment)) as client:
                        with deployment.session_factory() as session:
                            root = session.scalar(select(OrgUnit.id).where(OrgUnit.parent_id.is_(None)))
                        assert root is not None
                        token = sign_in_as(deployment, client, "admin", root).token
                        writers = [_graphql_writer(client, token, unit) for unit in units]
                        done, failed, elapsed = _run(writers, args.seconds)
                print(
                    f"{args.backend} {mode:7s} writers={args.writers}: {done / elapsed:7.1f} audited mutations/s "
                    f"({done} in {elapsed:.1f} s, {failed} failed); {_chain_report(deployment)}",
                    flush=True,
                )
        finally:
            deployment.dispose()
            drop()


if __name__ == "__main__":
    main()
