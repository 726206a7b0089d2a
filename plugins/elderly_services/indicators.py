"""Indicators of elderly services: senior cards issued and issued on time,
elderly visits due and done (core.visits, this plugin's programme)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.indicators.registry import Compute, Indicator
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.visits.models import Visit, VisitSchedule
from plugins.elderly_services.declarations import PROGRAMME_CODE
from plugins.elderly_services.models import SeniorCard


def cards(on_time_only: bool = False) -> Compute:
    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        conditions = [
            in_subtree(SeniorCard.org_path, unit.path),
            SeniorCard.issued_on >= start,
            SeniorCard.issued_on <= end,
        ]
        if on_time_only:
            conditions.append(SeniorCard.on_time.is_(True))
        return int(session.scalar(select(func.count()).select_from(SeniorCard).where(*conditions)) or 0)

    return compute


def visits_due(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(VisitSchedule)
            .where(
                VisitSchedule.programme == PROGRAMME_CODE,
                in_subtree(VisitSchedule.org_path, unit.path),
                VisitSchedule.due_on <= end,
            )
        )
        or 0
    )


def visits_done(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Visit)
            .where(
                Visit.programme == PROGRAMME_CODE,
                in_subtree(Visit.org_path, unit.path),
                Visit.visited_on >= start,
                Visit.visited_on <= end,
            )
        )
        or 0
    )


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "elderly_services.cards_issued",
        "办理老年人优待证数",
        "本期办理的老年人优待证张数。",
        cards(),
        unit="张",
        aliases=("优待证办理数",),
    ),
    Indicator(
        "elderly_services.cards_on_time",
        "按时办理优待证数",
        "本期在政策时限内办理的老年人优待证张数。",
        cards(True),
        unit="张",
    ),
    Indicator(
        "elderly_services.visits_due",
        "应走访老年人次数",
        "期末到期（含逾期）应走访的老年人人次（走访计划）。",
        visits_due,
        unit="人次",
        aliases=("应走访人次",),
    ),
    Indicator(
        "elderly_services.visits_done",
        "已走访老年人次数",
        "本期走访老年人的人次。",
        visits_done,
        unit="人次",
        aliases=("走访人次", "走访次数"),
    ),
)
