"""Scale benchmark of the people registry (run on demand, not in CI).

For each backend and city size it generates a synthetic city
(``core.demo.scale``), then reports:

- first page of 20 residents in a street subtree, p50/p95 in-process;
- page 10,000 of that street's district reached through cursors, and its ratio to the first page;
- the resident count of that district (``totalCount``);
- SQL statements per request, the sign-in lookup counted separately: a page
  of residents (one list level) and residents → household → members (two
  list levels, one to-one hop);
- throughput of that first page through ``/graphql`` against a bare
  Starlette route running the same SQL on the same driver and returning the
  same JSON, each server pinned to one core, as a ratio.

    python tests/benchmarks/bench_residents.py --households 10000,1000000 \\
        --backend sqlite --backend postgresql

Databases are kept under ``--work-dir`` (SQLite) or as ``jiceng_bench_<n>``
(PostgreSQL) and reused by later runs unless ``--rebuild`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import Engine, make_url

from graphql import ExecutionResult, parse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from core.api.context import RequestContext
from core.app import Deployment, build_deployment
from core.auth import service as auth_service
from core.auth.permissions import registry_for as permission_registry_for
from core.auth.roles import ensure_default_roles
from core.demo.progress import Progress
from core.demo.scale import build_city
from core.migrate import upgrade
from core.org.models import OrgUnit
from core.settings import load_settings

POSTGRES_ADMIN_URL = os.environ.get("JICENG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BENCH_USER, BENCH_PASSWORD = "bench-admin", "bench-password-2026"

FIRST_PAGE = """
query FirstPage($under: ID!, $after: String) {
  residents(under: $under, first: 20, after: $after) {
    edges { cursor node { id name sex birthDate idNumber phone residenceType } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
COUNT = "query Count($under: ID!) { residents(under: $under, first: 0) { totalCount } }"
NESTED = """
query Nested($under: ID!) {
  residents(under: $under, first: 20) {
    edges { node { name household { householdNumber members { relationshipName isHead } } } }
  }
}
"""


def database_url(backend: str, households: int, work_dir: Path, rebuild: bool) -> tuple[str, bool]:
    """The URL and whether the database must be (re)built."""
    if backend == "sqlite":
        path = work_dir / f"bench-{households}.sqlite3"
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", not path.exists()
    name = f"jiceng_bench_{households}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is not None
        if exists and rebuild:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            exists = False
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False), not exists


def prepare(url: str, households: int, build: bool) -> Deployment:
    settings = load_settings("/nonexistent/jiceng.toml", environ={}, database_url=url, plugins=())
    deployment = build_deployment(settings)
    if build:
        started = time.perf_counter()
        upgrade(deployment, verbose=False)
        with deployment.session_factory() as session:
            report = build_city(deployment.engine, session, settings, households, Progress())
        with deployment.session_factory() as session, session.begin():
            registry = permission_registry_for(deployment.host)
            ensure_default_roles(session, registry)
            city = session.scalar(select(OrgUnit).where(OrgUnit.level == "city"))
            assert city is not None
            user = auth_service.create_user(
                session,
                auth_service_config(settings),
                username=BENCH_USER,
                display_name="基准测试",
                password=BENCH_PASSWORD,
            )
            auth_service.grant_role(session, registry, None, user_id=user.id, role_code="admin", org_unit_id=city.id)
        print(f"  built {report} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return deployment


def auth_service_config(settings: Any) -> Any:
    from core.auth.config import AuthConfig

    return AuthConfig.from_settings(settings)


@contextmanager
def counting(engine: Engine) -> Any:
    seen: list[str] = []

    def count(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


class InProcess:
    """Runs documents the way the HTTP endpoint does, minus HTTP."""

    def __init__(self, deployment: Deployment, token: str) -> None:
        from core.auth.service import principal_for_token

        self.deployment = deployment
        self.token = token
        self.principal_for_token = principal_for_token
        self.documents = {q: parse(q) for q in (FIRST_PAGE, COUNT, NESTED)}

    def run(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        from graphql import execute

        # Queries take the endpoint's read sessions (no explicit transaction on PostgreSQL).
        with self.deployment.read_session_factory() as session:
            user = self.principal_for_token(session, self.token)
            context = RequestContext(
                session=session,
                settings=self.deployment.settings,
                registry=self.deployment.schema.registry,
                host=self.deployment.host,
                user=user,
            )
            result = execute(
                self.deployment.schema.graphql_schema,
                self.documents[query],
                context_value=context,
                variable_values=variables,
            )
            session.rollback()
        assert isinstance(result, ExecutionResult)  # the resolvers are synchronous
        assert not result.errors, result.errors
        assert result.data is not None
        return result.data


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm caches
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1] if len(samples) > 1 else samples[0]


def login_token(deployment: Deployment) -> str:
    with deployment.session_factory() as session:
        sign_in = auth_service.login(session, auth_service_config(deployment.settings), BENCH_USER, BENCH_PASSWORD)
        session.commit()
        return sign_in.token


def units(deployment: Deployment) -> tuple[str, str]:
    from core.api.relay import encode_global_id

    with deployment.session_factory() as session:
        street = session.scalar(select(OrgUnit).where(OrgUnit.level == "street").order_by(OrgUnit.id).limit(1))
        district = session.get(OrgUnit, street.parent_id) if street is not None else None
        assert street is not None and district is not None
        return encode_global_id("OrgUnit", street.id), encode_global_id("OrgUnit", district.id)


def deep_cursor(runner: InProcess, under: str, page: int) -> str | None:
    after = None
    for _ in range(page - 1):
        data = runner.run(FIRST_PAGE, {"under": under, "after": after})["residents"]
        if not data["pageInfo"]["hasNextPage"]:
            return None
        after = data["pageInfo"]["endCursor"]
    return after


def measure(backend: str, households: int, args: argparse.Namespace) -> dict[str, Any]:
    url, build = database_url(backend, households, args.work_dir, args.rebuild)
    print(f"[{backend} {households:,} households] {'building' if build else 'reusing'} {url}", file=sys.stderr)
    deployment = prepare(url, households, build)
    token = login_token(deployment)
    runner = InProcess(deployment, token)
    street, district = units(deployment)
    report: dict[str, Any] = {"backend": backend, "households": households}

    first = timed(lambda: runner.run(FIRST_PAGE, {"under": street}), args.runs)
    report["first_page_ms"] = {"p50": round(p(first, 50), 3), "p95": round(p(first, 95), 3)}

    started = time.perf_counter()
    cursor = deep_cursor(runner, district, args.deep_page)
    report["deep_walk_s"] = round(time.perf_counter() - started, 1)
    if cursor is not None:
        deep = timed(lambda: runner.run(FIRST_PAGE, {"under": district, "after": cursor}), args.runs)
        report["deep_page"] = args.deep_page
        report["deep_page_ms"] = {"p50": round(p(deep, 50), 3), "p95": round(p(deep, 95), 3)}
        report["deep_over_first"] = round(p(deep, 50) / p(first, 50), 2)
    else:
        report["deep_page"] = f"fewer than {args.deep_page} pages"

    count_samples = timed(lambda: runner.run(COUNT, {"under": district}), max(5, args.runs // 20))
    report["district_count"] = runner.run(COUNT, {"under": district})["residents"]["totalCount"]
    report["district_count_ms"] = {"p50": round(p(count_samples, 50), 2)}

    for name, query in (("first_page", FIRST_PAGE), ("nested", NESTED)):
        with counting(deployment.engine) as seen:
            runner.run(query, {"under": street})
        queries = [s for s in seen if s.lstrip().split(None, 1)[0].upper() in {"SELECT", "INSERT", "UPDATE", "DELETE"}]
        # The sign-in lookup (and its occasional last-seen touch) is the same for every request.
        data = [s for s in queries if "user_session" not in s]
        report[f"{name}_sql_statements"] = {"with_sign_in": len(queries), "data": len(data)}

    if args.throughput:
        report["throughput"] = throughput(url, token, street, args.seconds)
    deployment.dispose()
    return report


# --- throughput: /graphql against a bare Starlette route -------------------------------------


def throughput(url: str, token: str, street: str, seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    bodies: dict[str, Any] = {}
    for mode in ("graphql", "bare"):
        port = 18600 if mode == "graphql" else 18601
        _require_free(port)
        env = {**os.environ, "JICENG_DATABASE_URL": url, "BENCH_MODE": mode, "BENCH_PORT": str(port)}
        server = subprocess.Popen(
            ["taskset", "-c", "0", sys.executable, str(Path(__file__).with_name("bare_route.py"))],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for(port)
            path = "/graphql" if mode == "graphql" else "/bare/residents"
            body = json.dumps({"query": FIRST_PAGE, "variables": {"under": street}}).encode()
            bodies[mode] = _fetch(port, path, body, token)
            results[mode] = asyncio.run(_load(port, path, body, token, seconds, connections=8))
        finally:
            server.terminate()
            server.wait(10)
    if bodies["graphql"] != bodies["bare"]:
        raise RuntimeError("the bare route and /graphql answered differently; the comparison would be unfair")
    ratio = results["graphql"]["rps"] / results["bare"]["rps"]
    return {**results, "same_json": True, "ratio_graphql_over_bare": round(ratio, 3)}


def _fetch(port: int, path: str, body: bytes, token: str) -> Any:
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _require_free(port: int) -> None:
    """A server left over from an interrupted run would answer for the wrong database."""
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is in use (a server from an earlier run?): stop it first")


def _wait_for(port: int) -> None:
    import socket

    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not start")


async def _load(port: int, path: str, body: bytes, token: str, seconds: float, connections: int) -> dict[str, Any]:
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    deadline = time.perf_counter() + seconds
    counts = [0] * connections
    sizes: set[int] = set()

    async def worker(index: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while time.perf_counter() < deadline:
            writer.write(request)
            status = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            payload = await reader.readexactly(length)
            if not status.startswith(b"HTTP/1.1 200") or b'"errors"' in payload:
                raise RuntimeError(f"bad response: {status!r} {payload[:200]!r}")
            sizes.add(len(payload))
            counts[index] += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(connections)))
    elapsed = time.perf_counter() - started
    return {"requests": sum(counts), "rps": round(sum(counts) / elapsed, 1), "response_bytes": sorted(sizes)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", default="10000,1000000", help="comma-separated city sizes")
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"), help="repeatable; default both")
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/jiceng-bench"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--deep-page", type=int, default=10_000)
    parser.add_argument("--no-throughput", dest="throughput", action="store_false")
    parser.add_argument("--seconds", type=float, default=10.0, help="load duration per server")
    args = parser.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    reports = []
    for backend in args.backend or ["sqlite", "postgresql"]:
        for households in (int(n) for n in args.households.split(",")):
            reports.append(measure(backend, households, args))
            print(json.dumps(reports[-1], ensure_ascii=False), flush=True)
    by_backend: dict[str, list[dict[str, Any]]] = {}
    for report in reports:
        by_backend.setdefault(report["backend"], []).append(report)
    for backend, rows in by_backend.items():
        if len(rows) >= 2:
            small, large = rows[0], rows[-1]
            ratio = large["first_page_ms"]["p50"] / small["first_page_ms"]["p50"]
            print(
                f"{backend}: first page p50 at {large['households']:,} vs {small['households']:,} households: {ratio:.2f}x",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
