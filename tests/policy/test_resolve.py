"""Resolution down the tree: inheritance, overrides, effective dates, history,
and a bounded number of statements whatever the depth."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.app import Deployment
from core.org import service as org_service
from core.org.models import OrgUnit
from core.policy import service
from core.policy.core_keys import COMMUNITY_HOUSEHOLDS_MIN, GRID_MAX_HOUSEHOLDS
from core.policy.models import PolicyValue
from core.policy.registry import registry_for
from tests.policy.conftest import Tree

JAN = date(2024, 1, 1)
JUL = date(2024, 7, 1)


def put(session: Session, unit_id: int, value: Any, on: date = JAN, key: Any = GRID_MAX_HOUSEHOLDS) -> PolicyValue:
    unit = session.get(OrgUnit, unit_id)
    assert unit is not None
    return service.set_value(session, unit, key, value, effective_from=on, set_by="test", reason="测试")


def value_at(session: Session, unit_id: int, on: date, key: Any = GRID_MAX_HOUSEHOLDS) -> service.ResolvedValue:
    unit = session.get(OrgUnit, unit_id)
    assert unit is not None
    return service.resolve_detail(session, unit, key, on)


def test_default_applies_when_nothing_is_set(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session:
        resolved = value_at(session, tree.grid, JAN)
        assert resolved.value == 300 and resolved.is_default and resolved.inherited
        assert resolved.source_unit_id is None and resolved.effective_from is None


def test_a_value_applies_to_the_whole_subtree(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session, session.begin():
        put(session, tree.city, 250)
    with deployment.session_factory() as session:
        for unit_id in (tree.city, tree.district, tree.street, tree.community, tree.grid, tree.other_community):
            resolved = value_at(session, unit_id, JUL)
            assert (resolved.value, resolved.source_unit_id, resolved.effective_from) == (250, tree.city, JAN)
            assert resolved.inherited == (unit_id != tree.city)


def test_a_lower_unit_overrides_for_its_own_subtree_only(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session, session.begin():
        put(session, tree.city, 250)
        put(session, tree.district, 400)
        put(session, tree.community, 350)
    with deployment.session_factory() as session:
        assert value_at(session, tree.street, JUL).value == 400
        assert value_at(session, tree.community, JUL).value == 350
        grid = value_at(session, tree.grid, JUL)
        assert (grid.value, grid.source_unit_id, grid.inherited) == (350, tree.community, True)
        assert value_at(session, tree.other_community, JUL).value == 250


def test_a_future_value_is_not_in_force_yet(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session, session.begin():
        put(session, tree.city, 300, JAN)
        put(session, tree.city, 200, JUL)
        # A district decision that starts later does not hide the city's current value.
        put(session, tree.district, 500, date(2025, 1, 1))
    with deployment.session_factory() as session:
        assert value_at(session, tree.grid, date(2023, 12, 31)).is_default
        assert value_at(session, tree.grid, date(2024, 6, 30)).value == 300
        assert value_at(session, tree.grid, JUL).value == 200
        assert value_at(session, tree.grid, date(2024, 12, 31)).value == 200
        assert value_at(session, tree.grid, date(2025, 1, 1)).value == 500

        district = session.get(OrgUnit, tree.district)
        assert district is not None
        entries = service.history(session, district, GRID_MAX_HOUSEHOLDS, include_ancestors=True, on=date(2024, 9, 1))
        assert [(e.record.org_unit_id, e.record.value, e.status) for e in entries] == [
            (tree.city, "300", "REPLACED"),
            (tree.city, "200", "IN_FORCE"),
            (tree.district, "500", "SCHEDULED"),
        ]


def test_a_correction_supersedes_without_losing_history(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session, session.begin():
        first = put(session, tree.street, 280)
        second = put(session, tree.street, 260)
    with deployment.session_factory() as session:
        assert value_at(session, tree.grid, JUL).value == 260
        rows = session.scalars(select(PolicyValue).order_by(PolicyValue.id)).all()
        assert [(r.id, r.value, r.superseded_by_id) for r in rows] == [
            (first.id, "280", second.id),
            (second.id, "260", None),
        ]
        assert rows[0].superseded_at is not None
        street = session.get(OrgUnit, tree.street)
        assert street is not None
        statuses = [e.status for e in service.history(session, street, GRID_MAX_HOUSEHOLDS, on=JUL)]
        assert statuses == ["SUPERSEDED", "IN_FORCE"]


def test_clearing_returns_to_the_inherited_value(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session, session.begin():
        put(session, tree.city, 250)
        put(session, tree.community, 350)
        community = session.get(OrgUnit, tree.community)
        assert community is not None
        service.clear_value(
            session, community, GRID_MAX_HOUSEHOLDS, effective_from=JUL, set_by="test", reason="恢复执行市里的标准"
        )
    with deployment.session_factory() as session:
        assert value_at(session, tree.grid, date(2024, 6, 30)).value == 350
        after = value_at(session, tree.grid, JUL)
        assert (after.value, after.source_unit_id) == (250, tree.city)
        community = session.get(OrgUnit, tree.community)
        assert community is not None
        with pytest.raises(UserInputError) as caught:
            service.clear_value(
                session, community, GRID_MAX_HOUSEHOLDS, effective_from=JUL, set_by="test", reason="再取消"
            )
        assert caught.value.errors[0].code == "NOTHING_TO_CLEAR"


def test_set_value_checks_its_input(deployment: Deployment, tree: Tree) -> None:
    registry = registry_for(deployment.host)
    with deployment.session_factory() as session:
        unit = session.get(OrgUnit, tree.community)
        assert unit is not None

        def error(key: Any, value: Any, reason: str = "测试") -> tuple[str, str | None]:
            with pytest.raises(UserInputError) as caught:
                service.set_value(session, unit, key, value, set_by="test", reason=reason, registry=registry)
            return caught.value.errors[0].code, caught.value.errors[0].field

        assert error("org.grid.nope", 1) == ("UNKNOWN_KEY", "key")
        assert error("org.grid.max_households", "很多") == ("WRONG_TYPE", "value")
        assert error("org.grid.max_households", 0) == ("OUT_OF_RANGE", "value")
        assert error("org.grid.max_households", 200, reason="  ") == ("REQUIRED", "reason")
        org_service.update_unit(session, deployment.settings, unit, dissolved_on=JAN)
        assert error("org.grid.max_households", 200) == ("UNIT_DISSOLVED", "orgUnitId")
        session.rollback()


def test_many_keys_and_many_units_at_once(deployment: Deployment, tree: Tree) -> None:
    with deployment.session_factory() as session, session.begin():
        put(session, tree.city, 250)
        put(session, tree.district, 1000, key=COMMUNITY_HOUSEHOLDS_MIN)
        put(session, tree.other_community, 260)
    with deployment.session_factory() as session:
        grid = session.get(OrgUnit, tree.grid)
        assert grid is not None
        values = service.resolve_many(session, grid, [GRID_MAX_HOUSEHOLDS, COMMUNITY_HOUSEHOLDS_MIN], JUL)
        assert values["org.grid.max_households"].value == 250
        assert values["org.community.households_min"].source_unit_id == tree.district
        units = list(session.scalars(select(OrgUnit).where(OrgUnit.level == "community").order_by(OrgUnit.id)))
        by_unit = service.resolve_for_units(session, units, GRID_MAX_HOUSEHOLDS, JUL)
        assert {uid: r.value for uid, r in by_unit.items()} == {tree.community: 250, tree.other_community: 260}


@contextmanager
def counting(deployment: Deployment) -> Iterator[list[str]]:
    statements: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(deployment.engine, "before_cursor_execute", before)


def chain(session: Session, deployment: Deployment, depth: int) -> OrgUnit:
    levels = [level.code for level in deployment.settings.org_levels]
    parent: OrgUnit | None = None
    for i in range(depth):
        parent = org_service.create_unit(
            session,
            deployment.settings,
            name=f"单位{depth}-{i}",
            level=levels[i],
            parent_id=parent.id if parent else None,
        )
    assert parent is not None
    return parent


def test_resolve_uses_one_statement_whatever_the_depth(deployment: Deployment) -> None:
    counts = {}
    for depth in (2, 4, 7):
        with deployment.session_factory() as session, session.begin():
            leaf = chain(session, deployment, depth)
            root_id = leaf.ancestor_ids[0]
            put(session, root_id, 120)
            put(session, leaf.ancestor_ids[-1], 130, key=COMMUNITY_HOUSEHOLDS_MIN)
        with deployment.session_factory() as session:
            leaf = session.scalars(
                select(OrgUnit).where(OrgUnit.depth == depth - 1, OrgUnit.name.like(f"单位{depth}-%"))
            ).one()
            session.scalar(select(func.count()).select_from(OrgUnit))  # the transaction is open before counting
            with counting(deployment) as single:
                assert service.resolve(session, leaf, GRID_MAX_HOUSEHOLDS, JUL) == 120
            with counting(deployment) as batch:
                values = service.resolve_many(session, leaf, [GRID_MAX_HOUSEHOLDS, COMMUNITY_HOUSEHOLDS_MIN], JUL)
            assert values["org.community.households_min"].value == 130
            counts[depth] = (len(single), len(batch))
    assert set(counts.values()) == {(1, 1)}, counts
