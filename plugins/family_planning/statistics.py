"""Family-planning statistics per unit: counts only, never a person. The
same figures feed ``familyPlanningStatistics``, the spreadsheet, the
quarterly report, the yearly report to the assembly and 四公开."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from plugins.family_planning import declarations as d
from plugins.family_planning.models import (
    Agreement,
    Benefit,
    Birth,
    Breach,
    Certificate,
    FollowUp,
    Profile,
)
from plugins.family_planning.service import childbearing


@dataclass
class UnitFigures:
    org_unit: OrgUnit
    women: int = 0
    married_women: int = 0
    pregnant: int = 0
    births: int = 0
    certificates_applied: int = 0
    certificates_issued: dict[str, int] = field(default_factory=dict)
    follow_ups_open: int = 0
    follow_ups_closed: int = 0
    agreements: int = 0
    breaches_household: int = 0
    breaches_committee: int = 0
    benefits: dict[str, tuple[int, Decimal]] = field(default_factory=dict)

    def flat(self) -> dict[str, int]:
        """The figures as ``key -> number`` (amounts in yuan, rounded)."""
        figures = {
            "women": self.women,
            "married_women": self.married_women,
            "pregnant": self.pregnant,
            "births": self.births,
            "certificates_applied": self.certificates_applied,
            "follow_ups_open": self.follow_ups_open,
            "follow_ups_closed": self.follow_ups_closed,
            "agreements": self.agreements,
            "breaches_household": self.breaches_household,
            "breaches_committee": self.breaches_committee,
        }
        for kind, count in self.certificates_issued.items():
            figures[f"certificates_issued.{kind}"] = count
        for kind, (count, amount) in self.benefits.items():
            figures[f"benefits.{kind}.count"] = count
            figures[f"benefits.{kind}.amount"] = int(amount)
        return figures


def _count(session: Session, model: Any, path: str, *conditions: Any) -> int:
    return int(
        session.scalar(select(func.count()).select_from(model).where(in_subtree(model.org_path, path), *conditions))
        or 0
    )


def figures_for(session: Session, unit: OrgUnit, start: date, end: date, today: date) -> UnitFigures:
    """The figures of ``unit``'s subtree: the register as of ``today``, events in [start, end]."""
    path = unit.path
    women = childbearing(session, unit, today)
    result = UnitFigures(org_unit=unit)
    result.women = int(
        session.scalar(select(func.count()).select_from(Resident).where(in_subtree(Resident.org_path, path), women))
        or 0
    )
    joined = (
        select(func.count())
        .select_from(Resident)
        .join(Profile, Profile.resident_id == Resident.id)
        .where(in_subtree(Resident.org_path, path), women)
    )
    result.married_women = int(session.scalar(joined.where(Profile.marital_status.in_(("married", "remarried")))) or 0)
    result.pregnant = int(session.scalar(joined.where(Profile.pregnant.is_(True))) or 0)
    result.births = _count(session, Birth, path, Birth.born_on >= start, Birth.born_on <= end)
    result.certificates_applied = _count(
        session, Certificate, path, Certificate.applied_on >= start, Certificate.applied_on <= end
    )
    for kind, count in session.execute(
        select(Certificate.kind, func.count())
        .where(
            in_subtree(Certificate.org_path, path),
            Certificate.status == "issued",
            Certificate.decided_on >= start,
            Certificate.decided_on <= end,
        )
        .group_by(Certificate.kind)
    ):
        result.certificates_issued[kind] = int(count)
    result.follow_ups_open = _count(session, FollowUp, path, FollowUp.status != "closed")
    result.follow_ups_closed = _count(session, FollowUp, path, FollowUp.closed_on >= start, FollowUp.closed_on <= end)
    result.agreements = _count(
        session,
        Agreement,
        path,
        Agreement.signed_on <= end,
        (Agreement.valid_until.is_(None)) | (Agreement.valid_until >= start),
    )
    for party, count in session.execute(
        select(Breach.party, func.count())
        .join(Agreement, Agreement.id == Breach.agreement_id)
        .where(in_subtree(Agreement.org_path, path), Breach.occurred_on >= start, Breach.occurred_on <= end)
        .group_by(Breach.party)
    ):
        if party == "household":
            result.breaches_household = int(count)
        else:
            result.breaches_committee = int(count)
    for kind, count, amount in session.execute(
        select(Benefit.kind, func.count(), func.sum(Benefit.amount))
        .where(in_subtree(Benefit.org_path, path), Benefit.granted_on >= start, Benefit.granted_on <= end)
        .group_by(Benefit.kind)
    ):
        result.benefits[kind] = (int(count), Decimal(amount or 0))
    return result


def unit_statistics(session: Session, root: OrgUnit, start: date, end: date, today: date) -> list[UnitFigures]:
    """The root (first) and each of its direct children."""
    children = list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == root.id).order_by(OrgUnit.path)))
    return [figures_for(session, unit, start, end, today) for unit in [root, *children]]


def certificate_name(kind: str) -> str:
    return d.CERTIFICATE_KINDS.get(kind, kind)


def benefit_name(kind: str) -> str:
    return d.BENEFIT_KINDS.get(kind, kind)
