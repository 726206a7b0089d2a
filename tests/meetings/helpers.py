"""Shared set-up of meeting tests: a community with a representatives'
assembly whose representatives are post holders in core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from core.org import service as org_service
from core.org.models import OrgUnit
from core.people.models import Resident
from core.policy.service import local_today
from core.posts import service as posts
from core.settings import Settings

HELD_ON = date(2026, 6, 20)
TODAY = date(2026, 6, 30)


@dataclass
class Assembly:
    community: int
    representatives: list[int]
    outsider: int


def unit_of(session: Session, unit_id: int) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    assert unit is not None
    return unit


def make_assembly(
    session: Session, settings: Settings, root_unit: int, *, representatives: int = 5, name: str = "团岛社区"
) -> Assembly:
    community = org_service.create_unit(session, settings, name=name, level="community", parent_id=root_unit)
    unit = session.get(OrgUnit, community.id)
    assert unit is not None
    body = posts.create_body(session, org_unit_id=unit.id, kind="representatives_assembly", name=f"{name}成员代表大会")
    ids = []
    for index in range(representatives):
        resident = Resident(name=f"代表{index + 1}", org_unit_id=unit.id, org_path=unit.path)
        session.add(resident)
        session.flush()
        posts.assign(
            session, body_id=body.id, post_code="representative", resident_id=resident.id, term_start=date(2024, 1, 1)
        )
        ids.append(resident.id)
    outsider = Resident(name="居民甲", org_unit_id=unit.id, org_path=unit.path)
    session.add(outsider)
    session.flush()
    return Assembly(community=unit.id, representatives=ids, outsider=outsider.id)


def assembly_resolution(
    session: Session,
    unit: OrgUnit,
    *,
    held_on: date,
    present: int = 20,
    votes_for: int = 15,
    votes_against: int = 0,
    representatives: int = 31,
    text: str = "同意该笔开支",
) -> int:
    """A resolution of ``unit``'s representatives' assembly (seated from new
    residents when it has none), held on ``held_on``; its key."""
    from core.meetings.demo import ensure_representatives, hold_assembly

    for index in range(representatives):
        session.add(Resident(name=f"代表{index + 1}", org_unit_id=unit.id, org_path=unit.path))
    session.flush()
    ensure_representatives(session, unit, count=representatives, since=date(2024, 1, 1))
    _, [resolution] = hold_assembly(
        session,
        unit,
        held_on=held_on,
        title="社区成员代表大会",
        present=present,
        decisions=[(text, votes_for, votes_against)],
        close=False,
        today=max(held_on, local_today()),
    )
    return resolution.id
