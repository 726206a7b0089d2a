"""Shared set-up of meeting tests: a community with a representatives'
assembly whose representatives are post holders in core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from core.org import service as org_service
from core.org.models import OrgUnit
from core.people.models import Resident
from core.posts import service as posts
from core.settings import Settings

HELD_ON = date(2026, 6, 20)
TODAY = date(2026, 6, 30)


@dataclass
class Assembly:
    community: int
    representatives: list[int]
    outsider: int


def make_assembly(session: Session, settings: Settings, root_unit: int, *, representatives: int = 5, name: str = "团岛社区") -> Assembly:
    community = org_service.create_unit(session, settings, name=name, level="community", parent_id=root_unit)
    unit = session.get(OrgUnit, community.id)
    assert unit is not None
    body = posts.create_body(session, org_unit_id=unit.id, kind="representatives_assembly", name=f"{name}成员代表大会")
    ids = []
    for index in range(representatives):
        resident = Resident(name=f"代表{index + 1}", org_unit_id=unit.id, org_path=unit.path)
        session.add(resident)
        session.flush()
        posts.assign(session, body_id=body.id, post_code="representative", resident_id=resident.id, term_start=date(2024, 1, 1))
        ids.append(resident.id)
    outsider = Resident(name="居民甲", org_unit_id=unit.id, org_path=unit.path)
    session.add(outsider)
    session.flush()
    return Assembly(community=unit.id, representatives=ids, outsider=outsider.id)
