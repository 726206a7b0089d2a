"""Jiceng's ``/graphql`` against two independent baselines (run on demand, not in CI).

In one run, on the same data, each server pinned to core 0 and ``wrk``
pinned to core 1, one server at a time:

(a) ``baseline_bare.py`` — a bare Starlette route, async driver (aiosqlite /
    asyncpg), hand-written SQL, ``json.dumps``; no ORM, no GraphQL, nothing
    from Jiceng;
(b) ``baseline_strawberry.py`` — stock strawberry with ``ParserCache`` and
    ``ValidationCache`` over the same SQL and driver;
(c) ``jiceng serve`` — ``/graphql`` signed in as a ``street_staff`` of the
    street, ``residents(under: street, first: 20)`` with ten scalar fields,
    scoped and masked as always.

All three check the bearer token and answer the same JSON (checked before
the load starts). Reports req/s of each, Jiceng's ratio to both, per database
and city size; with ``--rounds`` > 1 the servers take turns and the median is
reported (the machine may be shared: ratios within one run are what counts).

    python tests/benchmarks/bench_baselines.py --households 10000,1000000 \\
        --backend sqlite --backend postgresql --seconds 8 --rounds 3

The cities are built by ``bench_residents.py``'s generator and kept (SQLite
files under ``--work-dir``, PostgreSQL databases ``jiceng_bench_<n>``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from sqlalchemy import select

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import bench_residents
from bench_residents import auth_service_config, prepare

from core.auth import service as auth_service
from core.auth.models import User
from core.auth.permissions import registry_for as permission_registry_for
from core.migrate import upgrade
from core.org.models import OrgUnit

STAFF_USER, STAFF_PASSWORD = "bench-street-staff", "bench-street-2026"
PAGE_QUERY = (
    "query Page($under: ID!) { residents(under: $under, first: 20) { "
    "edges { cursor node { id name sex birthDate idNumber phone residenceType ethnicity movedInOn movedOutOn } } "
    "pageInfo { hasNextPage endCursor } } }"
)
SERVERS = ("bare", "strawberry", "jiceng")
PORTS = {"bare": 18611, "strawberry": 18612, "jiceng": 18613}


def database_url(backend: str, households: int, work_dir: Path, rebuild: bool) -> tuple[str, bool]:
    """The URL and whether the city must be (re)built: SQLite files as
    ``bench_residents.py`` keeps them, PostgreSQL databases ``jiceng_perf_<n>``."""
    if backend == "sqlite":
        return bench_residents.database_url(backend, households, work_dir, rebuild)
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"jiceng_perf_{households}"
    admin = create_engine(bench_residents.POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is not None
        if exists and rebuild:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(bench_residents.POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return url, not exists


def street_staff_token(deployment: Any) -> tuple[str, str]:
    """A ``street_staff`` of the first street (created once) signed in; its token and the street's ID."""
    from core.api.relay import encode_global_id

    settings = deployment.settings
    with deployment.session_factory() as session, session.begin():
        street = session.scalar(select(OrgUnit).where(OrgUnit.level == "street").order_by(OrgUnit.id).limit(1))
        assert street is not None
        if session.scalar(select(User.id).where(User.username == STAFF_USER)) is None:
            user = auth_service.create_user(
                session,
                auth_service_config(settings),
                username=STAFF_USER,
                display_name="街道工作人员",
                password=STAFF_PASSWORD,
            )
            registry = permission_registry_for(deployment.host)
            auth_service.grant_role(
                session, registry, None, user_id=user.id, role_code="street_staff", org_unit_id=street.id
            )
        street_id = encode_global_id("OrgUnit", street.id)
    with deployment.session_factory() as session:
        sign_in = auth_service.login(session, auth_service_config(settings), STAFF_USER, STAFF_PASSWORD)
        session.commit()
    return sign_in.token, street_id


def command(server: str, url: str, port: int, workers: int = 1) -> list[str]:
    if server == "jiceng":
        return [
            sys.executable,
            "-m",
            "core.cli",
            "serve",
            "--port",
            str(port),
            "--database-url",
            url,
            "--workers",
            str(workers),
        ]
    return [sys.executable, str(HERE / f"baseline_{server}.py"), str(port)]


def start(server: str, url: str, workers: int = 0) -> subprocess.Popen[bytes]:
    """``server`` pinned to core 0; with ``workers`` Jiceng runs that many processes, not pinned."""
    port = PORTS[server]
    env = {**os.environ, "BENCH_DATABASE_URL": url, "PYTHONPATH": f"{HERE}:{ROOT}"}
    pin = [] if workers else ["taskset", "-c", "0"]
    # The server's log (one line per request) goes to a file: an unread pipe fills
    # up under load and stalls the server.
    log_path = Path(tempfile.gettempdir()) / f"jiceng-bench-{server}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*pin, *command(server, url, port, workers or 1)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{server} exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/graphql", timeout=0.5)
        except urllib.error.HTTPError:
            return process
        except OSError:
            time.sleep(0.1)
            continue
        return process
    raise RuntimeError(f"{server} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server; one busy finishing its last requests on a loaded machine is killed after a minute."""
    process.terminate()
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def answer(port: int, body: bytes, token: str) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
"""


def load(port: int, body: bytes, token: str, seconds: float, connections: int, pin: bool = True) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(body=json.dumps(body.decode()), token=token))
    try:
        out = subprocess.run(
            [
                *(["taskset", "-c", "1"] if pin else []),
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{int(seconds)}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}/graphql",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    measured = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert measured is not None, out
    rps = float(measured.group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    return {
        "rps": rps,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else None,
        "latency_avg": latency.group(1) if latency else None,
    }


def measure(backend: str, households: int, args: argparse.Namespace) -> dict[str, Any]:
    url, build = database_url(backend, households, args.work_dir, args.rebuild)
    print(f"[{backend} {households:,} households] {'building' if build else 'reusing'} {url}", file=sys.stderr)
    deployment = prepare(url, households, build)
    upgrade(deployment, verbose=False)  # a city kept from an older version gets the newer migrations
    token, street = street_staff_token(deployment)
    deployment.dispose()
    if args.build_only:
        return {"backend": backend, "households": households, "built": build}
    body = json.dumps({"query": PAGE_QUERY, "variables": {"under": street}}).encode()
    runs: dict[str, list[dict[str, Any]]] = {s: [] for s in SERVERS}
    reference = None
    for _round in range(args.rounds):
        for server in SERVERS:
            process = start(server, url)
            try:
                got = answer(PORTS[server], body, token)
                if "errors" in got or not got["data"]["residents"]["edges"]:
                    raise RuntimeError(f"{server} answered {str(got)[:500]}")
                if reference is None:
                    reference = got
                elif got != reference:
                    raise RuntimeError(f"{server} answered differently from the others; the comparison would be unfair")
                result = load(PORTS[server], body, token, args.seconds, args.connections)
                if result["non_2xx"]:
                    raise RuntimeError(f"{server}: {result['non_2xx']} failed requests")
                runs[server].append(result)
                print(f"  {server}: {result['rps']:.0f} req/s", file=sys.stderr)
            finally:
                stop(process)
    rps = {s: statistics.median(r["rps"] for r in runs[s]) for s in SERVERS}
    scaling = {}
    for workers in args.workers_compare:
        process = start("jiceng", url, workers)
        try:
            scaling[workers] = load(PORTS["jiceng"], body, token, args.seconds, args.connections, pin=False)["rps"]
            print(f"  jiceng --workers {workers} (not pinned): {scaling[workers]:.0f} req/s", file=sys.stderr)
        finally:
            process.terminate()
            process.wait(30)
    return {
        "workers_rps": scaling,
        "backend": backend,
        "households": households,
        "rps": rps,
        "rounds": {s: [r["rps"] for r in runs[s]] for s in SERVERS},
        "jiceng_over_bare": round(rps["jiceng"] / rps["bare"], 3),
        "jiceng_over_strawberry": round(rps["jiceng"] / rps["strawberry"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", default="10000,1000000", help="comma-separated city sizes")
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"), help="repeatable; default both")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/jiceng-bench"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seconds", type=float, default=8.0, help="wrk duration per server and round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument(
        "--workers-compare", default="", help="e.g. 1,2: also run jiceng serve --workers N unpinned (wrk unpinned too)"
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build (or reuse) the cities and the sign-in, measure nothing"
    )
    args = parser.parse_args()
    args.workers_compare = [int(n) for n in args.workers_compare.split(",") if n]
    args.work_dir.mkdir(parents=True, exist_ok=True)
    print(
        "| database | households | bare req/s | strawberry req/s | Jiceng req/s | Jiceng ÷ bare | Jiceng ÷ strawberry |"
    )
    print("|---|---|---|---|---|---|---|")
    for backend in args.backend or ["sqlite", "postgresql"]:
        for households in (int(n) for n in args.households.split(",")):
            report = measure(backend, households, args)
            print(json.dumps(report), file=sys.stderr, flush=True)
            if args.build_only:
                continue
            r = report["rps"]
            print(
                f"| {backend} | {households:,} | {r['bare']:.0f} | {r['strawberry']:.0f} | {r['jiceng']:.0f} "
                f"| {report['jiceng_over_bare']:.2f} | {report['jiceng_over_strawberry']:.2f} |",
                flush=True,
            )
            if report["workers_rps"]:
                print(f"  jiceng serve --workers N, req/s: {report['workers_rps']}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
