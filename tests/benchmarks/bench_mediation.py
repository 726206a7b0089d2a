"""A district's monthly mediation statistics (the 统计表) over many cases
(run on demand, not in CI).

Builds a city (``core.demo.scale``, 10,000 households by default) with the
mediation plugin, and ``--cases`` synthetic dispute cases over two years
(``plugins.mediation.scale``), then times ``summary_figures`` — every figure
of the monthly statistics of the district holding most cases, for one month —
p50/p95 over ``--runs`` runs:

    python tests/benchmarks/bench_mediation.py --cases 100000 --backend sqlite --backend postgresql

After the bulk load the database is analyzed (PostgreSQL: ``VACUUM ANALYZE``,
as autovacuum does; SQLite: ``ANALYZE``, as ``PRAGMA optimize`` does).
Databases are kept (``/tmp/jiceng-bench/mediation-<cases>.sqlite3``,
``jiceng_perf_mediation_<cases>``) and reused unless ``--rebuild``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_residents import POSTGRES_ADMIN_URL

from core.app import build_deployment
from core.demo.progress import Progress
from core.demo.scale import build_city
from core.migrate import upgrade
from core.org.models import OrgUnit
from core.settings import load_settings
from plugins.mediation.models import DisputeCase
from plugins.mediation.scale import build_cases
from plugins.mediation.service import month_period, summary_figures

FIRST_DAY = date(2025, 1, 1)


def database_url(backend: str, cases: int, rebuild: bool) -> tuple[str, bool]:
    if backend == "sqlite":
        path = Path(f"/tmp/jiceng-bench/mediation-{cases}.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", not path.exists()
    name = f"jiceng_perf_mediation_{cases}"
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


def measure(backend: str, args: argparse.Namespace) -> None:
    url, build = database_url(backend, args.cases, args.rebuild)
    settings = load_settings("/nonexistent/jiceng.toml", environ={}, database_url=url, plugins=("mediation",))
    deployment = build_deployment(settings)
    upgrade(deployment, verbose=False)
    if build:
        started = time.perf_counter()
        with deployment.session_factory() as session:
            build_city(deployment.engine, session, settings, args.households, Progress(quiet=True))
        with deployment.session_factory() as session:
            build_cases(session, args.cases, first_day=FIRST_DAY, days=730, levels=("community", "grid"))
        # Statistics and (PostgreSQL) the visibility map, as autovacuum would have them by now;
        # on SQLite what PRAGMA optimize does after a bulk load.
        with deployment.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE"))
        print(f"[{backend}] built {args.cases:,} cases in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with deployment.session_factory() as session:
        total = session.scalar(select(func.count()).select_from(DisputeCase))
        # The district whose subtree holds the most cases.
        districts = list(session.scalars(select(OrgUnit).where(OrgUnit.level == "district")))
        district = max(
            districts,
            key=lambda u: session.execute(
                select(func.count())
                .select_from(DisputeCase)
                .where(DisputeCase.org_path >= u.path, DisputeCase.org_path < u.path[:-1] + "0")
            ).scalar_one(),
        )
        district_name = district.name
        period = month_period(args.month)
        figures = summary_figures(session, district, period).figures
        samples = []
        for _ in range(args.runs):
            began = time.perf_counter()
            summary_figures(session, district, period)
            samples.append((time.perf_counter() - began) * 1000)
            session.rollback()
    quantiles = statistics.quantiles(samples, n=20)
    print(
        f"{backend}: {total:,} cases; {district_name} {args.month}: registered {figures['registered']}, "
        f"resolved {figures['resolved']}, pending {figures['pending']}; summary_figures p50 {statistics.median(samples):.1f} ms, "
        f"p95 {quantiles[18]:.1f} ms ({args.runs} runs)",
        flush=True,
    )
    deployment.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--backend", action="append", choices=("sqlite", "postgresql"))
    parser.add_argument("--month", default="2026-06")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    for backend in args.backend or ["sqlite", "postgresql"]:
        measure(backend, args)


if __name__ == "__main__":
    main()
