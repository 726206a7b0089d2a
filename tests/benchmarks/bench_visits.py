"""Scale benchmark of a street's overdue-visit list (run on demand, not in CI).

Reuses the registry benchmark's synthetic city (``core.demo.scale`` through
``bench_residents``) with the ``elderly_services`` plugin enabled, builds the
elderly visit schedule of the first street (as if it had run since 60 days
ago, so that never-visited residents are overdue), then reports:

- how long the street's schedule takes to build and how many it holds;
- first page of 20 of ``overdueVisits`` for the street, p50/p95 in-process;
- a page 50 pages deep reached by cursor, against the first page;
- ``totalCount`` of the overdue list and ``visitCoverage`` of the street;
- a lean baseline in the same run: the same first page (id, name, category
  name, due date, days overdue) computed by hand-written SQL on the raw
  driver (``sqlite3`` / ``psycopg``) with no ORM and no Jiceng code, and the
  ratio of Jiceng's p50 to it.

Generated databases are kept in ``--work-dir`` (SQLite) or as
``jiceng_bench_<households>`` (PostgreSQL) and reused by later runs.

    python tests/benchmarks/bench_visits.py --households 10000,100000 --backend sqlite
    python tests/benchmarks/bench_visits.py --households 1000000 --backend postgresql
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from graphql import ExecutionResult, parse

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_residents import (
    BENCH_PASSWORD,
    BENCH_USER,
    auth_service_config,
    database_url,
    login_token,
    p,
    timed,
)

from core.api.context import RequestContext
from core.app import Deployment, build_deployment
from core.auth import service as auth_service
from core.auth.permissions import registry_for as permission_registry_for
from core.auth.roles import ensure_default_roles
from core.demo.progress import Progress
from core.demo.scale import build_city
from core.migrate import upgrade
from core.org.models import OrgUnit
from core.policy.registry import registry_for as policy_registry_for
from core.policy.service import local_today
from core.settings import load_settings
from core.visits.programmes import programmes_for
from core.visits.service import refresh_schedule

PROGRAMME = "elderly_services.elderly_visits"
OVERDUE = """
query Overdue($under: ID!, $after: String) {
  overdueVisits(programme: "elderly_services.elderly_visits", under: $under, first: 20, after: $after) {
    nodes { id residentName categoryName dueOn daysOverdue }
    pageInfo { hasNextPage endCursor }
  }
}
"""
COUNT = """
query Count($under: ID!) {
  overdueVisits(programme: "elderly_services.elderly_visits", under: $under, first: 0) { totalCount }
}
"""
COVERAGE = """
query Coverage($under: ID!) {
  visitCoverage(programme: "elderly_services.elderly_visits", under: $under) { scheduled overdue visited }
}
"""


def prepare(url: str, households: int, build: bool) -> Deployment:
    settings = load_settings("/nonexistent/jiceng.toml", environ={}, database_url=url, plugins=("elderly_services",))
    deployment = build_deployment(settings)
    upgrade(deployment, verbose=False)
    if build:
        started = time.perf_counter()
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


class Runner:
    def __init__(self, deployment: Deployment, token: str) -> None:
        from core.auth.service import principal_for_token

        self.deployment, self.token, self.principal_for_token = deployment, token, principal_for_token
        self.documents = {q: parse(q) for q in (OVERDUE, COUNT, COVERAGE)}

    def run(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        from graphql import execute

        with self.deployment.read_session_factory() as session:
            context = RequestContext(
                session=session,
                settings=self.deployment.settings,
                registry=self.deployment.schema.registry,
                host=self.deployment.host,
                user=self.principal_for_token(session, self.token),
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


BASELINE_SQL = (
    "SELECT s.id, r.name, s.category, s.due_on FROM visit_schedule s JOIN resident r ON r.id = s.resident_id"
    " WHERE s.programme = {p} AND s.org_path >= {p} AND s.org_path < {p} AND s.due_on < {p}"
    " ORDER BY s.due_on, s.id LIMIT 21"
)


class Baseline:
    """The street's first overdue page on the raw driver: one statement, no
    ORM, no Jiceng code, the same fields the GraphQL page returns."""

    def __init__(self, backend: str, url: str, street_path: str, names: dict[str, str]) -> None:
        from sqlalchemy.engine import make_url

        self.backend, self.names = backend, names
        self.low, self.high = street_path, street_path[:-1] + "0"
        if backend == "sqlite":
            import sqlite3

            database = make_url(url).database
            assert database is not None, url
            self.connection: Any = sqlite3.connect(database)
            self.sql = BASELINE_SQL.format(p="?")
        else:
            import psycopg

            conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
            self.connection = psycopg.connect(conninfo, autocommit=True)
            self.sql = BASELINE_SQL.format(p="%s")

    def page(self, today: Any) -> list[dict[str, Any]]:
        from datetime import date as date_type

        bound = today.isoformat() if self.backend == "sqlite" else today
        rows = self.connection.execute(self.sql, (PROGRAMME, self.low, self.high, bound)).fetchall()
        page = []
        for pk, name, category, due_on in rows[:20]:
            due = date_type.fromisoformat(due_on) if isinstance(due_on, str) else due_on
            page.append(
                {
                    "id": pk,
                    "residentName": name,
                    "categoryName": self.names.get(category, category),
                    "dueOn": due.isoformat(),
                    "daysOverdue": max(0, (today - due).days),
                }
            )
        json.dumps({"nodes": page, "hasNextPage": len(rows) > 20}, ensure_ascii=False)
        return page

    def close(self) -> None:
        self.connection.close()


def measure(backend: str, households: int, args: argparse.Namespace) -> dict[str, Any]:
    from core.api.relay import encode_global_id

    url, build = database_url(backend, households, args.work_dir, args.rebuild)
    print(f"[{backend} {households:,} households] {'building' if build else 'reusing'} {url}", file=sys.stderr)
    deployment = prepare(url, households, build)
    programme = programmes_for(deployment.host)[PROGRAMME]
    today = local_today()
    report: dict[str, Any] = {"backend": backend, "households": households}
    with deployment.session_factory() as session, session.begin():
        street = session.scalar(select(OrgUnit).where(OrgUnit.level == "street").order_by(OrgUnit.id).limit(1))
        assert street is not None
        registry = policy_registry_for(deployment.host)
        started = time.perf_counter()
        # Joined 60 days ago and never visited: due dates lie in the past.
        refresh_schedule(session, programme, street, today=today - timedelta(days=60), registry=registry)
        report["scheduled"] = refresh_schedule(session, programme, street, today=today, registry=registry)
        report["schedule_build_s"] = round(time.perf_counter() - started, 1)
    if backend == "postgresql":
        # Fresh statistics of the schedule just written, as autovacuum would
        # take after a bulk build (without them the planner expects one row).
        with deployment.engine.connect() as connection:
            connection.execute(text("ANALYZE visit_schedule"))
            connection.commit()
    with deployment.session_factory() as session:
        street = session.scalar(select(OrgUnit).where(OrgUnit.level == "street").order_by(OrgUnit.id).limit(1))
        assert street is not None
        under = encode_global_id("OrgUnit", street.id)
        street_path = street.path
    runner = Runner(deployment, login_token(deployment))
    first = timed(lambda: runner.run(OVERDUE, {"under": under}), args.runs)
    report["overdue_first_page_ms"] = {"p50": round(p(first, 50), 3), "p95": round(p(first, 95), 3)}
    # Non-sensitive names only: the benchmark user is an administrator, who sees them all.
    baseline = Baseline(backend, url, street_path, {c.code: c.name for c in programme.categories})
    lean_page = baseline.page(today)
    jiceng_page = runner.run(OVERDUE, {"under": under})["overdueVisits"]["nodes"]
    assert [n["residentName"] for n in jiceng_page] == [n["residentName"] for n in lean_page], "baseline differs"
    lean = timed(lambda: baseline.page(today), args.runs)
    baseline.close()
    report["baseline_first_page_ms"] = {"p50": round(p(lean, 50), 3), "p95": round(p(lean, 95), 3)}
    report["jiceng_over_baseline_p50"] = round(p(first, 50) / p(lean, 50), 1)
    after = None
    for _ in range(args.deep_page - 1):
        page = runner.run(OVERDUE, {"under": under, "after": after})["overdueVisits"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    if after is not None:
        deep = timed(lambda: runner.run(OVERDUE, {"under": under, "after": after}), args.runs)
        report["deep_page_ms"] = {"p50": round(p(deep, 50), 3), "p95": round(p(deep, 95), 3)}
    count = timed(lambda: runner.run(COUNT, {"under": under}), max(5, args.runs // 20))
    report["overdue_total"] = runner.run(COUNT, {"under": under})["overdueVisits"]["totalCount"]
    report["overdue_count_ms"] = {"p50": round(p(count, 50), 2)}
    coverage = timed(lambda: runner.run(COVERAGE, {"under": under}), max(5, args.runs // 20))
    report["coverage_ms"] = {"p50": round(p(coverage, 50), 2)}
    deployment.dispose()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", default="10000,100000", help="comma-separated city sizes")
    parser.add_argument(
        "--backend", action="append", choices=("sqlite", "postgresql"), help="repeatable; default sqlite"
    )
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/jiceng-bench-visits"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--deep-page", type=int, default=50)
    args = parser.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    for backend in args.backend or ["sqlite"]:
        for households in (int(n) for n in args.households.split(",")):
            print(json.dumps(measure(backend, households, args), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
