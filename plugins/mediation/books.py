"""What mediation adds to the six books (六簿): dispute cases registered in
the year to the mediation log, and residents' appeals received in the year
to the letters-and-visits log. The facts of a case and appellants' phones
are sensitive and stay out of the books; each case shows its subject."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.permissions import Principal
from core.documents.books import LETTERS_VISITS, MEDIATION_LOG, BookSource, year_bounds
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.mediation import declarations as d
from plugins.mediation.models import Appeal, DisputeCase


def _cases(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    low, high = year_bounds(year)
    rows = session.scalars(
        select(DisputeCase)
        .where(
            in_subtree(DisputeCase.org_path, unit.path),
            DisputeCase.registered_on >= low,
            DisputeCase.registered_on < high,
        )
        .order_by(DisputeCase.registered_on, DisputeCase.id)
    )
    return [
        (
            c.registered_on,
            c.case_number,
            d.CATEGORIES.get(c.category, c.category),
            c.title,
            d.OUTCOMES.get(c.outcome or "", "") or d.CASE_STATUSES.get(c.status, c.status),
            c.resolved_on,
        )
        for c in rows
    ]


def _appeals(session: Session, principal: Principal, unit: OrgUnit, year: int) -> list[tuple[Any, ...]]:
    low, high = year_bounds(year)
    rows = session.scalars(
        select(Appeal)
        .where(in_subtree(Appeal.org_path, unit.path), Appeal.received_on >= low, Appeal.received_on < high)
        .order_by(Appeal.received_on, Appeal.id)
    )
    return [
        (
            a.received_on,
            d.APPEAL_CHANNELS.get(a.channel, a.channel),
            a.appellant_name or "",
            a.subject,
            a.resolution or d.APPEAL_STATUSES.get(a.status, a.status),
            a.feedback_on,
        )
        for a in rows
    ]


SOURCES = (
    BookSource(MEDIATION_LOG.code, "矛盾纠纷调处：纠纷案件", d.VIEW.code, _cases),
    BookSource(LETTERS_VISITS.code, "矛盾纠纷调处：居民诉求", d.VIEW.code, _appeals),
)
