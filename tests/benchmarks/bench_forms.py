"""Scale benchmark of report forms filled from records (run on demand, not in CI).

Over the synthetic city of ``core.demo.scale`` (the registry benchmark's
database, built by ``bench_residents``'s ``database_url`` or copied with
``--source``) with ``mediation``, ``elderly_services`` and ``party_building``
enabled, a form bound to ten indicators is defined at the first district for
its communities, and the benchmark reports:

- filling the district's month: every community's submission filled from the
  ten indicators (``core.indicators.forms.fill``), one transaction;
- the district's table of the month (one row per street, indicator fields
  computed per street subtree, hand-entered fields summed), p50 of the runs.

Only households and residents are bulk-loaded by the scale generator; the
other indicators query empty plugin tables, so their cost is the index probe.

    python tests/benchmarks/bench_forms.py --households 1000000 --backend sqlite \\
        --source /tmp/jiceng-bench/bench-1000000.sqlite3
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_residents import database_url, p

from core.admission import service as admission
from core.app import Deployment, build_deployment
from core.demo.progress import Progress
from core.demo.scale import build_city
from core.indicators import forms
from core.indicators.models import ReportForm
from core.indicators.registry import registry_for
from core.migrate import upgrade
from core.org.models import OrgUnit
from core.policy.service import local_today
from core.settings import load_settings

PLUGINS = ("mediation", "elderly_services", "party_building")
TEN = (
    "people.households",
    "people.residents_60_plus",
    "board.disclosures_due",
    "board.disclosures_on_time",
    "mediation.cases_registered",
    "mediation.cases_resolved",
    "mediation.cases_pending",
    "elderly_services.cards_issued",
    "elderly_services.visits_done",
    "party_building.meetings_held",
)


def prepare(url: str, households: int, build: bool) -> Deployment:
    settings = load_settings("/nonexistent/jiceng.toml", environ={}, database_url=url, plugins=PLUGINS)
    deployment = build_deployment(settings)
    upgrade(deployment, verbose=False)
    if build:
        started = time.perf_counter()
        with deployment.session_factory() as session:
            report = build_city(deployment.engine, session, settings, households, Progress())
        print(f"  built {report} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return deployment


def define_form(deployment: Deployment, today: date) -> tuple[int, int]:
    """The bench form at the first district (defined once), and the district's id."""
    with deployment.session_factory() as session, session.begin():
        district = session.scalar(select(OrgUnit).where(OrgUnit.level == "district").order_by(OrgUnit.id).limit(1))
        assert district is not None
        found = session.scalar(
            select(ReportForm).where(ReportForm.org_unit_id == district.id, ReportForm.code == "bench_ten")
        )
        if found is not None:
            forms.materialize_form(session, deployment.host, found, today)
            return found.id, district.id
        requirement = admission.register(
            session,
            None,
            district,
            admission.RequirementInput(
                issuer="基准测试",
                title="十项指标月报",
                content="月报",
                authority="基准",
                staff="无",
                funds_note="无",
                valid_from=date(today.year, 1, 1),
                cadence="monthly",
            ),
        )
        admission.approve(session, None, requirement, today=today)
        form = forms.define(
            session,
            None,
            district,
            requirement,
            forms.FormInput(
                code="bench_ten",
                name="十项指标月报表",
                levels=("community",),
                recurrence="monthly",
                due_day=5,
                fields=[forms.FieldInput(code=f"f{i}", label=code, indicator_code=code) for i, code in enumerate(TEN)],
            ),
            indicators=registry_for(deployment.host),
            host=deployment.host,
            today=today,
        )
        return form.id, district.id


def measure(backend: str, households: int, args: argparse.Namespace) -> dict[str, Any]:
    if args.source is not None and backend == "sqlite":
        target = args.work_dir / f"bench-{households}.sqlite3"
        if args.rebuild or not target.exists():
            shutil.copyfile(args.source, target)
    url, build = database_url(backend, households, args.work_dir, args.rebuild and args.source is None)
    print(f"[{backend} {households:,} households] {'building' if build else 'reusing'} {url}", file=sys.stderr)
    deployment = prepare(url, households, build)
    today = local_today()
    form_id, district_id = define_form(deployment, today)
    indicators = registry_for(deployment.host)
    report: dict[str, Any] = {"backend": backend, "households": households, "indicators": len(TEN)}
    fills = []
    for _ in range(args.runs):
        with deployment.session_factory() as session, session.begin():
            form = session.get(ReportForm, form_id)
            district = session.get(OrgUnit, district_id)
            assert form is not None and district is not None
            communities = list(
                session.scalars(
                    select(OrgUnit)
                    .where(OrgUnit.path.startswith(district.path), OrgUnit.level == "community")
                    .order_by(OrgUnit.path)
                )
            )
            period = forms.period_of(form.recurrence, today)
            started = time.perf_counter()
            for community in communities:
                forms.fill(session, None, form, community, period[0], indicators=indicators)
            fills.append(time.perf_counter() - started)
            report["communities"] = len(communities)
            report["district_grids"] = session.scalar(
                select(func.count())
                .select_from(OrgUnit)
                .where(OrgUnit.path.startswith(district.path), OrgUnit.level == "grid")
            )
    report["fill_district_month_s"] = {"p50": round(p(fills, 50), 2), "max": round(max(fills), 2)}
    tables = []
    for _ in range(args.runs):
        with deployment.session_factory() as session:
            form = session.get_one(ReportForm, form_id)
            district = session.get_one(OrgUnit, district_id)
            started = time.perf_counter()
            _, rows, total = forms.table(session, form, district, today, indicators=indicators)
            tables.append(time.perf_counter() - started)
            report["table_rows"] = len(rows)
            report["district_households_in_form"] = int(total.values[0] or 0)
    report["district_table_s"] = {"p50": round(p(tables, 50), 2)}
    deployment.dispose()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--households", default="10000", help="comma-separated city sizes")
    parser.add_argument(
        "--backend", action="append", choices=("sqlite", "postgresql"), help="repeatable; default sqlite"
    )
    parser.add_argument("--work-dir", type=Path, default=Path("/tmp/jiceng-bench-admission"))
    parser.add_argument(
        "--source", type=Path, help="an existing scale database (sqlite) to copy instead of building one"
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.work_dir.mkdir(parents=True, exist_ok=True)
    for backend in args.backend or ["sqlite"]:
        for households in (int(n) for n in args.households.split(",")):
            print(json.dumps(measure(backend, households, args), ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
