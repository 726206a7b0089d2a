"""Synthetic dispute cases at scale, for benchmarks of the statistics
(``tests/benchmarks/bench_mediation.py``): cases registered at grassroots
units over two years, most of them resolved where they were registered, some
escalated to the street, a few emergencies, follow-up visits after
agreements. Bulk-inserted with Core statements; not a demo."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from core.org.models import OrgUnit
from plugins.mediation import declarations as d
from plugins.mediation.models import CaseTransition, DisputeCase, FollowUpVisit

BATCH = 5_000


def build_cases(
    session: Session, count: int, *, first_day: date, days: int, levels: tuple[str, ...], seed: int = 11
) -> int:
    """Insert ``count`` cases at the units of ``levels`` (committed); returns how many."""
    rng = random.Random(seed)
    units = list(session.execute(select(OrgUnit.id, OrgUnit.path, OrgUnit.parent_id).where(OrgUnit.level.in_(levels))))
    paths = dict(session.execute(select(OrgUnit.id, OrgUnit.path)).all())
    categories, sources = list(d.CATEGORIES), list(d.SOURCES)
    start_id = int(session.scalar(select(DisputeCase.id).order_by(DisputeCase.id.desc()).limit(1)) or 0)
    cases: list[dict[str, object]] = []
    transitions: list[dict[str, object]] = []
    follow_ups: list[dict[str, object]] = []
    for n in range(count):
        case_id = start_id + n + 1
        unit_id, path, parent_id = rng.choice(units)
        registered = first_day + timedelta(days=rng.randrange(days))
        holder, holder_path = unit_id, path
        escalated = rng.random() < 0.08 and parent_id is not None
        if escalated and parent_id is not None:
            holder, holder_path = parent_id, paths[parent_id]
            at = datetime.combine(registered + timedelta(days=rng.randrange(1, 5)), datetime.min.time(), UTC)
            transitions.append(
                {
                    "case_id": case_id,
                    "action": "escalate",
                    "from_status": d.MEDIATING,
                    "to_status": d.REGISTERED,
                    "from_unit_id": unit_id,
                    "to_unit_id": holder,
                    "at": at,
                }
            )
        resolved = registered + timedelta(days=rng.randrange(1, 40)) if rng.random() < 0.85 else None
        outcome = rng.choice(list(d.OUTCOMES)) if resolved else None
        emergency = rng.choice(list(d.EMERGENCIES)) if rng.random() < 0.01 else None
        cases.append(
            {
                "id": case_id,
                "case_number": f"调-S-{case_id:08d}",
                "title": "邻里纠纷",
                "category": rng.choice(categories),
                "source": rng.choice(sources),
                "risk_level": "minor",
                "emergency": emergency,
                "emergency_at": datetime.combine(registered, datetime.min.time(), UTC) if emergency else None,
                "facts": "基准测试数据",
                "org_unit_id": holder,
                "org_path": holder_path,
                "origin_unit_id": unit_id,
                "status": d.CLOSED if resolved else d.MEDIATING,
                "registered_on": registered,
                "mediators": [],
                "outcome": outcome,
                "resolved_on": resolved,
                "resolved_unit_id": holder if resolved else None,
                "closed_on": resolved,
            }
        )
        if outcome == "agreement" and resolved is not None:
            follow_ups.append(
                {
                    "case_id": case_id,
                    "due_on": resolved + timedelta(days=30),
                    "visited_on": resolved + timedelta(days=rng.randrange(20, 40)),
                }
            )
        if len(cases) >= BATCH:
            _flush(session, cases, transitions, follow_ups)
    _flush(session, cases, transitions, follow_ups)
    session.commit()
    return count


def _flush(
    session: Session,
    cases: list[dict[str, object]],
    transitions: list[dict[str, object]],
    follow_ups: list[dict[str, object]],
) -> None:
    for model, rows in ((DisputeCase, cases), (CaseTransition, transitions), (FollowUpVisit, follow_ups)):
        if rows:
            table = model.__table__
            assert isinstance(table, Table)
            session.execute(insert(table), rows)
            rows.clear()
