"""Indicators of dispute mediation: cases registered by category, resolved,
agreements, pending, screenings and disputes found, appeals — the figures of
the monthly 统计表, each one aggregate query over a unit's subtree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.indicators.registry import Indicator
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.mediation import declarations as d
from plugins.mediation.models import Appeal, DisputeCase, Screening


def _count(session: Session, model: type, *conditions: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0)


def _origin_in(unit: OrgUnit) -> Any:
    return DisputeCase.origin_unit_id.in_(select(OrgUnit.id).where(in_subtree(OrgUnit.path, unit.path)))


def registered(category: str | None = None) -> Callable[[Session, OrgUnit, date, date], int]:
    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        conditions = [_origin_in(unit), DisputeCase.registered_on >= start, DisputeCase.registered_on <= end]
        if category is not None:
            conditions.append(DisputeCase.category == category)
        return _count(session, DisputeCase, *conditions)

    return compute


def _resolved(outcome: str | None = None) -> Callable[[Session, OrgUnit, date, date], int]:
    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        inside = select(OrgUnit.id).where(in_subtree(OrgUnit.path, unit.path))
        conditions = [
            DisputeCase.resolved_unit_id.in_(inside),
            DisputeCase.resolved_on >= start,
            DisputeCase.resolved_on <= end,
        ]
        if outcome is not None:
            conditions.append(DisputeCase.outcome == outcome)
        return _count(session, DisputeCase, *conditions)

    return compute


def _pending(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return _count(
        session,
        DisputeCase,
        in_subtree(DisputeCase.org_path, unit.path),
        DisputeCase.registered_on <= end,
        or_(DisputeCase.resolved_on.is_(None), DisputeCase.resolved_on > end),
    )


def _screening(column: str | None) -> Callable[[Session, OrgUnit, date, date], int]:
    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        measure = func.count() if column is None else func.coalesce(func.sum(getattr(Screening, column)), 0)
        return int(
            session.scalar(
                select(measure).where(
                    in_subtree(Screening.org_path, unit.path),
                    Screening.period_start >= start,
                    Screening.period_end <= end,
                )
            )
            or 0
        )

    return compute


def _appeals(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return _count(
        session, Appeal, in_subtree(Appeal.org_path, unit.path), Appeal.received_on >= start, Appeal.received_on <= end
    )


INDICATORS: tuple[Indicator, ...] = (
    *(
        Indicator(
            f"mediation.cases.{code}",
            f"受理{name}",
            f"本期在辖区登记受理的{name}件数。",
            registered(code),
            unit="件",
            aliases=(f"{name}件数", name),
        )
        for code, name in d.CATEGORIES.items()
    ),
    Indicator(
        "mediation.cases_registered",
        "受理矛盾纠纷总数",
        "本期在辖区登记受理的矛盾纠纷件数（各类合计）。",
        registered(),
        unit="件",
        aliases=("受理纠纷件数", "纠纷总数"),
    ),
    Indicator(
        "mediation.cases_resolved",
        "调处成功数",
        "本期由辖区内单位调处结案的件数。",
        _resolved(),
        unit="件",
        aliases=("调解成功件数",),
    ),
    Indicator(
        "mediation.agreements", "达成调解协议数", "本期调处结案并达成协议的件数。", _resolved("agreement"), unit="件"
    ),
    Indicator(
        "mediation.cases_pending",
        "未结案件数",
        "期末在辖区尚未调处结案的件数。",
        _pending,
        unit="件",
        aliases=("积案数",),
    ),
    Indicator("mediation.screenings", "排查次数", "本期开展矛盾纠纷排查的次数。", _screening(None), unit="次"),
    Indicator(
        "mediation.disputes_found",
        "排查发现纠纷数",
        "本期排查发现的矛盾纠纷数。",
        _screening("disputes_found"),
        unit="件",
    ),
    Indicator(
        "mediation.instability_factors",
        "排查发现不稳定因素数",
        "本期排查发现的不稳定因素数。",
        _screening("instability_factors"),
        unit="个",
    ),
    Indicator("mediation.appeals_received", "受理居民诉求数", "本期受理的居民诉求件数。", _appeals, unit="件"),
)
