"""Sizing warnings from locality policy and household counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from core.app import Deployment
from core.org.models import OrgUnit
from core.policy import service as policy
from core.policy.registry import registry_for
from core.posts import service
from core.posts.sizing import SizingWarning, sizing_warnings
from tests.posts.conftest import NAMES, START, Tree, add_households

ON = date(2024, 6, 1)


@pytest.fixture
def session(deployment: Deployment) -> Iterator[Session]:
    with deployment.session_factory() as session:
        yield session
        session.rollback()


def unit(session: Session, unit_id: int) -> OrgUnit:
    found = session.get(OrgUnit, unit_id)
    assert found is not None
    return found


def set_policy(session: Session, deployment: Deployment, unit_id: int, key: str, value: int) -> None:
    policy.set_value(
        session,
        unit(session, unit_id),
        key,
        value,
        effective_from=date(2020, 1, 1),
        set_by="test",
        reason="测试",
        registry=registry_for(deployment.host),
    )


def seat(session: Session, tree: Tree, count: int, *, extra: int = 0) -> None:
    """``count`` committee members of 文庙社区居民委员会 (chair first), plus ``extra`` more residents."""
    from core.people import service as people

    names = list(NAMES)
    for i in range(max(0, count - len(names))):
        names.append(f"委员{i}")
        tree.residents[names[-1]] = people.register_resident(session, name=names[-1], org_unit_id=tree.community).id
    for i, name in enumerate(names[:count]):
        service.assign(
            session,
            body_id=tree.committee,
            post_code="chair" if i == 0 else "member",
            resident_id=tree.residents[name],
            term_start=START,
        )


def by_code(warnings: list[SizingWarning]) -> dict[str, list[SizingWarning]]:
    grouped: dict[str, list[SizingWarning]] = {}
    for warning in warnings:
        grouped.setdefault(warning.code, []).append(warning)
    return grouped


def test_committee_size_follows_households_per_member(session: Session, tree: Tree, deployment: Deployment) -> None:
    add_households(session, tree.community, 1600)
    seat(session, tree, 4)
    # Staff who hold no seat do not count.
    service.assign(
        session, body_id=tree.committee, post_code="accountant", resident_id=tree.residents["杨帆"], term_start=START
    )

    found = by_code(sizing_warnings(session, unit(session, tree.community), ON))
    [small] = found["COMMITTEE_TOO_SMALL"]
    # 1,600 households at one member per 300: 6 members.
    assert (small.actual, small.expected, small.body_id, small.org_unit_id) == (4, 6, tree.committee, tree.community)
    assert "文庙社区居民委员会" in small.message and "1600 户" in small.message and "每 300 户" in small.message
    # The sibling community's committee (no members, no households) needs the minimum of five.
    sibling = by_code(sizing_warnings(session, unit(session, tree.district), ON))["COMMITTEE_TOO_SMALL"]
    assert {(w.body_id, w.actual, w.expected) for w in sibling} == {
        (tree.committee, 4, 6),
        (tree.sibling_committee, 0, 5),
    }

    # A locality with one member per 500 households: 4 of 1,600 still falls short of the minimum of 5.
    set_policy(session, deployment, tree.city, "org.committee.households_per_member", 500)
    [small] = by_code(sizing_warnings(session, unit(session, tree.community), ON))["COMMITTEE_TOO_SMALL"]
    assert (small.actual, small.expected) == (4, 5)
    set_policy(session, deployment, tree.street, "org.committee.members_min", 3)
    assert "COMMITTEE_TOO_SMALL" not in by_code(sizing_warnings(session, unit(session, tree.community), ON))
    # Before the terms began nobody sat on the committee.
    [before] = by_code(sizing_warnings(session, unit(session, tree.community), date(2023, 6, 1)))["COMMITTEE_TOO_SMALL"]
    assert before.actual == 0


def test_committee_above_the_maximum(session: Session, tree: Tree, deployment: Deployment) -> None:
    add_households(session, tree.community, 3000)
    seat(session, tree, 10)
    [large] = by_code(sizing_warnings(session, unit(session, tree.community), ON))["COMMITTEE_TOO_LARGE"]
    assert (large.actual, large.expected) == (10, 9)
    set_policy(session, deployment, tree.community, "org.committee.members_max", 11)
    assert sizing_warnings(session, unit(session, tree.community), ON) == []


def test_grid_households_against_policy(session: Session, tree: Tree, deployment: Deployment) -> None:
    add_households(session, tree.grid, 350)
    add_households(session, tree.community, 1300)  # 1,650 in the community in all
    seat(session, tree, 6)
    found = by_code(sizing_warnings(session, unit(session, tree.street), ON))
    [grid] = found["GRID_TOO_LARGE"]
    assert (grid.actual, grid.expected, grid.org_unit_id, grid.body_id) == (350, 300, tree.grid, None)
    assert "第一网格" in grid.message
    assert set(found) == {"GRID_TOO_LARGE"}

    set_policy(session, deployment, tree.community, "org.grid.max_households", 400)
    assert sizing_warnings(session, unit(session, tree.street), ON) == []


def test_community_households_are_judged_once_registered(session: Session, tree: Tree, deployment: Deployment) -> None:
    # No households at 东局子社区: nothing to judge. 文庙社区 with 1,000: below 1,500.
    add_households(session, tree.community, 1000)
    seat(session, tree, 5)
    [small] = by_code(sizing_warnings(session, unit(session, tree.street), ON))["COMMUNITY_TOO_SMALL"]
    assert (small.actual, small.expected, small.org_unit_id) == (1000, 1500, tree.community)
    set_policy(session, deployment, tree.district, "org.community.households_min", 1000)
    assert sizing_warnings(session, unit(session, tree.street), ON) == []


def test_a_township_deployments_villages_and_grids_are_sized_like_communities(core_database_url: str) -> None:
    """Sizing rules name levels by role: a village is judged as a community."""
    from core.org import service as org_service
    from core.plugin_host import load_plugin_host
    from tests.conftest import TOWNSHIP_LEVELS, empty_tables, make_settings

    township = Deployment(
        settings=make_settings(core_database_url, org_levels=TOWNSHIP_LEVELS), host=load_plugin_host(())
    )
    try:
        with township.session_factory() as session:

            def create(name: str, level: str, parent: int | None) -> int:
                created = org_service.create_unit(
                    session,
                    township.settings,
                    name=name,
                    level=level,
                    parent_id=parent,
                    established_on=date(2020, 1, 1),
                )
                return created.id

            county = create("定远县", "county", create("滁州市", "city", None))
            village = create("东山村", "village", create("池河镇", "township", county))
            grid = create("第一网格", "grid", village)
            add_households(session, village, 900)
            add_households(session, grid, 400)
            found = by_code(sizing_warnings(session, unit(session, county), ON))
            [small] = found["COMMUNITY_TOO_SMALL"]
            assert (small.org_unit_id, small.actual) == (village, 1300) and "东山村" in small.message
            [large] = found["GRID_TOO_LARGE"]
            assert (large.org_unit_id, large.actual) == (grid, 400)
            session.rollback()
    finally:
        empty_tables(township)
        township.dispose()
