"""Party building's part of the six books: member units (驻区单位) of a big
party committee in the register of residents and resident units, read with
the party-building permission only."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.app import Deployment
from core.auth.permissions import Principal
from core.documents.books import book_content
from core.org.models import OrgUnit
from plugins.party_building import service
from plugins.party_building.models import BIG_COMMITTEE, DIRECT
from tests.plugins.party_building.conftest import World


def test_member_units_are_in_the_register_of_units(session: Session, deployment: Deployment, world: World) -> None:
    big = service.create_organization(
        session, name="宁安路社区大党委", org_type=BIG_COMMITTEE, org_unit_id=world.community, parent_id=None
    )
    service.add_member_unit(
        session,
        big,
        name="青岛市第二中学",
        unit_kind="agency",
        management=DIRECT,
        home_organization=None,
        joined_on=date(2026, 3, 1),
        today=date(2026, 3, 1),
    )
    community = session.get(OrgUnit, world.community)
    assert community is not None

    def reader(*codes: str) -> Principal:
        return Principal.build(id=1, username="u", display_name="u", permissions=[(c, community.path) for c in codes])

    content = book_content(
        session, deployment.host, reader("party_building.view"), community, 2026, "residents_register"
    )
    assert content is not None and content.sources == ("党建：大党委成员单位（驻区单位）",)
    assert [row[:4] for row in content.rows] == [(date(2026, 3, 1), "驻区单位", "青岛市第二中学", "机关事业单位")]
    # A year before it joined holds nothing; without any source's permission the book is not readable.
    earlier = book_content(
        session, deployment.host, reader("party_building.view"), community, 2025, "residents_register"
    )
    assert earlier is not None and earlier.rows == []
    assert (
        book_content(session, deployment.host, reader("documents.archive_view"), community, 2026, "residents_register")
        is None
    )
