"""A fixed SELECT on the driver's cursor (core.driver_select): the same rows
as through SQLAlchemy, on the driver only where nothing needs converting, in
autocommit, with the engine's cursor events, and errors wrapped as usual."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Connection, Date, Enum, Integer, column, event, literal, select, table
from sqlalchemy import exc as sa_exc

from core.api.relay import lean_rows
from core.app import Deployment
from core.driver_select import FixedSelect, driver_select
from core.people.models import Resident


def residents_page() -> Any:
    """A residents page as the hot list builds it: a subtree, a date bound, an order and a limit."""
    return (
        select(*lean_rows(Resident).columns)
        .where(Resident.org_path.like("%/%"), Resident.birth_date > date(1900, 1, 2), Resident.id > 0)
        .order_by(Resident.org_path, Resident.id)
        .limit(20)
    )


@pytest.fixture
def read_connection(demo_deployment: Deployment) -> Iterator[Connection]:
    with demo_deployment.read_session_factory() as session:
        yield session.connection()


@contextmanager
def watched(connection: Connection) -> Iterator[tuple[list[Any], list[str]]]:
    """Statements run through SQLAlchemy's execution (``before_execute``), and
    statements the cursor listeners saw, while the block runs."""
    through_sqlalchemy: list[Any] = []
    on_cursor: list[str] = []

    def executing(_conn: Any, clause: Any, *_args: Any) -> None:
        through_sqlalchemy.append(clause)

    def cursor_executing(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        on_cursor.append(sql)

    event.listen(connection.engine, "before_execute", executing)
    event.listen(connection.engine, "before_cursor_execute", cursor_executing)
    try:
        yield through_sqlalchemy, on_cursor
    finally:
        event.remove(connection.engine, "before_execute", executing)
        event.remove(connection.engine, "before_cursor_execute", cursor_executing)


def test_rows_are_those_sqlalchemy_reads(demo_deployment: Deployment, read_connection: Connection) -> None:
    statement = residents_page()
    expected = [tuple(row) for row in read_connection.execute(statement)]
    assert len(expected) == 20
    fixed = FixedSelect(statement)
    assert [tuple(row) for row in fixed.rows(read_connection)] == expected
    assert [tuple(row) for row in fixed.rows(read_connection)] == expected  # and again, compiled once
    birth_date = [c.key for c in lean_rows(Resident).columns].index("birth_date")
    assert isinstance(expected[0][birth_date], date)


def test_a_read_session_reads_on_the_driver(read_connection: Connection) -> None:
    statement = residents_page()
    fixed = FixedSelect(statement)
    with watched(read_connection) as (through_sqlalchemy, cursor_statements):
        fixed.rows(read_connection)
    assert through_sqlalchemy == []
    # The engine's cursor listeners still saw the statement (statement counts, stale-connection marks).
    assert len(cursor_statements) == 1 and "FROM resident" in cursor_statements[0]


def test_sqlite_dates_are_converted_as_sqlalchemy_converts_them(demo_deployment: Deployment) -> None:
    dialect = demo_deployment.engine.dialect
    prepared = driver_select(residents_page(), dialect)
    assert prepared is not None
    converted = {index for index, _convert in prepared.converters}
    names = [c.key for c in lean_rows(Resident).columns]
    if dialect.name == "sqlite":
        # Dates and times arrive as text from sqlite3; SQLAlchemy's own converters turn them back.
        assert {names[i] for i in converted} == {
            "birth_date",
            "moved_in_on",
            "moved_out_on",
            "created_at",
            "updated_at",
        }
        assert prepared.parameters[1] == "1900-01-02"  # bound as SQLAlchemy binds a date on SQLite
    else:
        assert converted == set() and prepared.parameters[1] == date(1900, 1, 2)


def test_positional_parameters_in_statement_order(demo_deployment: Deployment) -> None:
    dialect = demo_deployment.engine.dialect
    prepared = driver_select(residents_page(), dialect)
    assert prepared is not None
    placeholder = "?" if dialect.name == "sqlite" else "%s"
    assert "%(" not in prepared.sql and prepared.sql.count(placeholder) == len(prepared.parameters)
    # SQLite adds OFFSET 0 to a LIMIT.
    assert prepared.parameters[0] == "%/%" and prepared.parameters[2:4] == (0, 20)


def test_what_sqlalchemy_converts_by_server_type_or_renders_late_stays_with_sqlalchemy(
    demo_deployment: Deployment,
) -> None:
    dialect = demo_deployment.engine.dialect
    kinds = table("t", column("id", Integer), column("kind", Enum("a", "b", name="kind", native_enum=False)))
    # A non-native enum checks what it reads: on PostgreSQL SQLAlchemy would choose that by the reported type.
    assert (driver_select(select(kinds.c.kind), dialect) is None) is (dialect.name == "postgresql")
    # An expanding IN list is rendered when it runs.
    assert driver_select(select(kinds.c.id).where(kinds.c.id.in_([1, 2])), dialect) is None
    assert driver_select(select(kinds.c.id).where(kinds.c.id == 1), dialect) is not None


def test_a_transaction_goes_through_sqlalchemy(demo_deployment: Deployment) -> None:
    statement = residents_page()
    with demo_deployment.session_factory() as session:
        connection = session.connection()
        with watched(connection) as (through_sqlalchemy, _on_cursor):
            rows = FixedSelect(statement).rows(connection)
        session.rollback()
    assert len(rows) == 20 and through_sqlalchemy == [statement]


def test_a_failing_statement_raises_sqlalchemys_error_and_the_connection_goes_on(
    read_connection: Connection,
) -> None:
    missing = table("no_such_table", column("id", Integer))
    failing = FixedSelect(select(missing.c.id).where(missing.c.id == 1))
    assert (
        driver_select(failing.statement, read_connection.dialect) is not None
        or read_connection.dialect.name != "postgresql"
    )
    with pytest.raises(sa_exc.DBAPIError, match="no_such_table"):
        failing.rows(read_connection)
    assert FixedSelect(select(literal(date(2026, 1, 1), Date))).rows(read_connection)[0][0] == date(2026, 1, 1)
