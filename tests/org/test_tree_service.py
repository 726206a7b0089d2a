"""The organization tree's service layer: path ranges, ancestors, moves, and
proof that subtree and children queries are answered from the indexes.
Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Select, event, insert, select, text
from sqlalchemy.orm import Session

from core.app import Deployment
from core.org import service
from core.org.models import OrgUnit, OrgUnitMove

# --- helpers ------------------------------------------------------------------


def insert_units(session: Session, units: list[tuple[int, int | None, str, str]]) -> None:
    """Insert ``(id, parent_id, level, name)`` rows with their paths, parents first."""
    paths: dict[int, str] = {}
    depths: dict[int, int] = {}
    rows = []
    for unit_id, parent_id, level, name in units:
        paths[unit_id] = f"{paths[parent_id] if parent_id else '/'}{unit_id}/"
        depths[unit_id] = depths[parent_id] + 1 if parent_id else 0
        rows.append(
            {
                "id": unit_id,
                "parent_id": parent_id,
                "level": level,
                "name": name,
                "path": paths[unit_id],
                "depth": depths[unit_id],
            }
        )
    session.execute(insert(OrgUnit), rows)


def names(session: Session, statement: Select[OrgUnit]) -> list[str]:
    return [unit.name for unit in session.scalars(statement.order_by(OrgUnit.path))]


@pytest.fixture
def session(deployment: Deployment) -> Iterator[Session]:
    with deployment.session_factory() as session:
        yield session


def build(session: Session, deployment: Deployment) -> dict[str, OrgUnit]:
    settings = deployment.settings
    units: dict[str, OrgUnit] = {}

    def add(name: str, level: str, parent: str | None = None) -> None:
        units[name] = service.create_unit(
            session, settings, name=name, level=level, parent_id=units[parent].id if parent else None
        )

    add("青岛市", "city")
    add("市南区", "district", "青岛市")
    add("崂山区", "district", "青岛市")
    add("八大关街道", "street", "市南区")
    add("太平角社区", "community", "八大关街道")
    add("第一网格", "grid", "太平角社区")
    add("中韩街道", "street", "崂山区")
    session.commit()
    return units


# --- paths --------------------------------------------------------------------


def test_subtree_bounds() -> None:
    assert service.subtree_bounds("/1/5/") == ("/1/5/", "/1/50")
    low, high = service.subtree_bounds("/1/5/")
    inside = ["/1/5/", "/1/5/7/", "/1/5/500/9/"]
    outside = ["/1/", "/1/50/", "/1/500/", "/1/51/", "/1/6/", "/1/4/5/"]
    assert all(low <= path < high for path in inside)
    assert not any(low <= path < high for path in outside)


def test_subtree_range_separates_ids_sharing_a_prefix(session: Session, deployment: Deployment) -> None:
    """Units 5 and 50 are siblings: ``/1/5/`` must not take in ``/1/50/``."""
    insert_units(
        session,
        [
            (1, None, "city", "市"),
            (5, 1, "district", "区5"),
            (50, 1, "district", "区50"),
            (51, 1, "district", "区51"),
            (500, 5, "street", "街道500"),
            (7, 50, "street", "街道7"),
            (8, 500, "community", "社区8"),
        ],
    )
    session.commit()
    five = session.get(OrgUnit, 5)
    fifty = session.get(OrgUnit, 50)
    assert five is not None and fifty is not None
    assert names(session, service.subtree_statement(five)) == ["区5", "街道500", "社区8"]
    assert names(session, service.subtree_statement(fifty)) == ["区50", "街道7"]
    assert names(session, service.subtree_statement(five, include_self=False, level="community")) == ["社区8"]
    assert [(c.level, c.count) for c in service.subtree_counts(session, deployment.settings, five)] == [
        ("street", 1),
        ("community", 1),
    ]


def test_create_unit_sets_path_and_depth(session: Session, deployment: Deployment) -> None:
    units = build(session, deployment)
    grid = units["第一网格"]
    ids = [units[n].id for n in ("青岛市", "市南区", "八大关街道", "太平角社区", "第一网格")]
    assert grid.path == "/" + "/".join(map(str, ids)) + "/"
    assert grid.depth == 4
    assert grid.ancestor_ids == ids[:-1]
    assert [u.name for u in service.ancestors(session, grid)] == ["青岛市", "市南区", "八大关街道", "太平角社区"]
    assert service.ancestors(session, units["青岛市"]) == []


def test_move_unit_rewrites_paths_and_records_history(session: Session, deployment: Deployment) -> None:
    units = build(session, deployment)
    street_id, grid_id = units["八大关街道"].id, units["第一网格"].id
    old_path = units["八大关街道"].path
    move = service.move_unit(
        session,
        deployment.settings,
        units["八大关街道"],
        units["崂山区"],
        reason="区划调整",
        effective_on=date(2025, 7, 1),
    )
    session.commit()
    laoshan = session.get(OrgUnit, units["崂山区"].id)
    street = session.get(OrgUnit, street_id)
    grid = session.get(OrgUnit, grid_id)
    assert laoshan is not None and street is not None and grid is not None
    assert street.parent_id == laoshan.id
    assert street.path == f"{laoshan.path}{street.id}/"
    assert grid.path.startswith(street.path) and grid.depth == 4
    assert [u.name for u in service.ancestors(session, grid)] == ["青岛市", "崂山区", "八大关街道", "太平角社区"]
    assert sorted(names(session, service.subtree_statement(laoshan, include_self=False))) == sorted(
        ["八大关街道", "太平角社区", "第一网格", "中韩街道"]
    )
    assert names(session, service.subtree_statement(units["市南区"], include_self=False)) == []
    recorded = session.scalars(select(OrgUnitMove)).one()
    assert recorded.id == move.id
    assert (recorded.org_unit_id, recorded.from_parent_id, recorded.to_parent_id) == (
        street.id,
        units["市南区"].id,
        laoshan.id,
    )
    assert (recorded.from_parent_name, recorded.to_parent_name, recorded.from_path) == ("市南区", "崂山区", old_path)
    assert service.moves_of(session, [street.id, grid.id]) == {street.id: [recorded], grid.id: []}


# --- index-backed queries -----------------------------------------------------


def insert_city(session: Session, districts: int = 10, streets: int = 10, communities: int = 18) -> None:
    """About 2,000 units: enough for the planners to prefer indexes when they pay."""
    rows: list[tuple[int, int | None, str, str]] = [(1, None, "city", "市")]
    next_id = 2
    district_ids = []
    for d in range(districts):
        rows.append((next_id, 1, "district", f"区{d}"))
        district_ids.append(next_id)
        next_id += 1
    street_ids = []
    for district_id in district_ids:
        for s in range(streets):
            rows.append((next_id, district_id, "street", f"街道{district_id}-{s}"))
            street_ids.append(next_id)
            next_id += 1
    for street_id in street_ids:
        for c in range(communities):
            rows.append((next_id, street_id, "community", f"社区{street_id}-{c}"))
            next_id += 1
    insert_units(session, rows)


@contextmanager
def analyzed(deployment: Deployment) -> Iterator[None]:
    """Fresh planner statistics; SQLite's are dropped again afterwards so that
    later tests on the shared database plan as before."""
    with deployment.engine.begin() as connection:
        connection.execute(text("ANALYZE org_unit" if deployment.engine.dialect.name == "postgresql" else "ANALYZE"))
    try:
        yield
    finally:
        if deployment.engine.dialect.name == "sqlite":
            with deployment.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS sqlite_stat1"))


def query_plan(deployment: Deployment, sql: str, parameters: Any = None) -> list[str]:
    """The plan of one statement, one line per step."""
    explain = "EXPLAIN " if deployment.engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with deployment.engine.connect() as connection:
        rows = connection.exec_driver_sql(explain + sql, parameters if parameters is not None else ())
        return [str(row[-1]) for row in rows]


def literal_sql(deployment: Deployment, statement: Select[Any]) -> str:
    return str(statement.compile(dialect=deployment.engine.dialect, compile_kwargs={"literal_binds": True}))


def assert_uses_index(deployment: Deployment, plan: list[str], index: str) -> None:
    joined = "\n".join(plan)
    if deployment.engine.dialect.name == "postgresql":
        assert index in joined and "Seq Scan" not in joined, joined
    else:
        # SQLite: a SEARCH (not a SCAN of the whole table or index) through the index.
        assert any(line.startswith("SEARCH") and index in line for line in plan), joined
        assert not any(line.startswith("SCAN org_unit") for line in plan), joined


@pytest.fixture
def city_of_2000(session: Session, deployment: Deployment) -> Iterator[None]:
    insert_city(session)
    session.commit()
    with analyzed(deployment):
        yield


def test_subtree_queries_use_the_path_index(session: Session, deployment: Deployment, city_of_2000: None) -> None:
    street = session.get(OrgUnit, 12)
    district = session.get(OrgUnit, 2)
    assert street is not None and district is not None
    for statement in (
        service.subtree_statement(street),
        service.subtree_statement(street, level="community", include_self=False),
        service.subtree_statement(district, include_self=False).order_by(OrgUnit.path).limit(21),
    ):
        assert_uses_index(deployment, query_plan(deployment, literal_sql(deployment, statement)), "ix_org_unit_path")
    assert len(session.scalars(service.subtree_statement(street)).all()) == 19
    assert len(session.scalars(service.subtree_statement(district)).all()) == 1 + 10 + 180


@contextmanager
def captured_selects(deployment: Deployment) -> Iterator[list[tuple[str, Any]]]:
    captured: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "FROM org_unit" in statement:
            captured.append((statement, parameters))

    event.listen(deployment.engine, "before_cursor_execute", record)
    try:
        yield captured
    finally:
        event.remove(deployment.engine, "before_cursor_execute", record)


def test_connections_page_through_the_indexes(gql: Any, deployment: Deployment, city_of_2000: None) -> None:
    """The statements the API actually runs for ``children`` (ordered by id)
    and ``descendants`` (ordered by path), second pages included."""
    from core.api.relay import encode_global_id

    street = encode_global_id("OrgUnit", 12)
    query = """
    query($id: ID!, $after: String, $descAfter: String) {
      node(id: $id) {
        ... on OrgUnit {
          children(first: 5, after: $after) { nodes { name } pageInfo { endCursor } }
          descendants(first: 5, after: $descAfter) { nodes { name } pageInfo { endCursor } }
        }
      }
    }"""
    first = gql(query, {"id": street})["node"]
    with captured_selects(deployment) as statements:
        second = gql(
            query,
            {
                "id": street,
                "after": first["children"]["pageInfo"]["endCursor"],
                "descAfter": first["descendants"]["pageInfo"]["endCursor"],
            },
        )["node"]
    assert [n["name"] for n in second["children"]["nodes"]] == [f"社区12-{c}" for c in range(5, 10)]
    assert len(second["descendants"]["nodes"]) == 5
    children = [(sql, p) for sql, p in statements if "parent_id =" in sql]
    descendants = [(sql, p) for sql, p in statements if "path >=" in sql]
    assert len(children) == 1 and len(descendants) == 1, statements
    assert_uses_index(deployment, query_plan(deployment, *children[0]), "ix_org_unit_parent_id_id")
    assert_uses_index(deployment, query_plan(deployment, *descendants[0]), "ix_org_unit_path")
