"""A fixed SELECT sent on the database driver's own cursor.

A hot list's first page (``core.api.relay.paginate`` with a memo key) and
the revocation-generation read of every signed-in request run the same
built statement over and over. SQLAlchemy's work around each statement (the
compiled-cache lookup, an execution context, result metadata) costs the
server more than the driver's own: about a tenth of a residents page's
throughput (README, Performance). So such a statement is compiled once, its
parameters bound once as SQLAlchemy binds them, and it is then sent on the
driver's cursor (psycopg, sqlite3) where no transaction is open: the read
sessions of queries (``core.db.make_read_session_factory``). Values
SQLAlchemy converts are converted the same way (SQLite's dates); on
PostgreSQL, where SQLAlchemy picks a conversion by the type the server
reports, a statement with such a column stays with SQLAlchemy.

What stays as before: the engine's ``before_cursor_execute`` and
``after_cursor_execute`` listeners are called with the statement and its
parameters (with no execution context), and a statement that fails on the
driver is run again through SQLAlchemy, so the error arrives wrapped as
everywhere else (a dropped connection marked and invalidated by the
engine's handlers). Anything else goes through SQLAlchemy unchanged.
"""

from __future__ import annotations

import copy
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

# Expanding and literal-execute parameters are rendered by SQLAlchemy at execution time.
_RENDERED_AT_EXECUTION = "POSTCOMPILE"
# The drivers whose cursor a fixed SELECT is sent on.
_DRIVERS = {("postgresql", "psycopg"), ("sqlite", "pysqlite")}

Converter = Callable[[Any], Any]


@dataclass(frozen=True)
class DriverSelect:
    """A statement compiled for one dialect: its SQL, its parameter values in
    order (as SQLAlchemy would bind them), and the columns whose values
    SQLAlchemy converts, with the conversion (empty: the driver's values as they are)."""

    sql: str
    parameters: tuple[Any, ...]
    converters: tuple[tuple[int, Converter], ...]


def driver_select(statement: Select[Any], dialect: Dialect) -> DriverSelect | None:
    """``statement`` ready for the driver's cursor, or None where it must go
    through SQLAlchemy (another driver, parameters rendered at execution, a
    column type converted by what the server reports of it)."""
    if (dialect.name, dialect.driver) not in _DRIVERS:
        return None
    compiled = statement.compile(dialect=dialect)
    sql = str(compiled)
    if _RENDERED_AT_EXECUTION in sql:
        return None
    values = compiled.construct_params()
    for name, bind in compiled.binds.items():
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None and name in values:
            values[name] = process(values[name])
    converters: list[tuple[int, Converter]] = []
    for index, column in enumerate(statement.selected_columns):
        convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if convert is not None:
            if dialect.name != "sqlite":
                # SQLAlchemy would choose it by the column type the server reports; SQLite reports none.
                return None
            converters.append((index, convert))
    if dialect.positional:
        names = list(compiled.positiontup or [])
    else:
        # Positional parameters: the driver then has no names to check and reorder per call.
        positional = statement.compile(dialect=_positional(dialect))
        names = list(positional.positiontup or [])
        if _NAMED.sub("%s", sql) != str(positional) or sorted(names) != sorted(_NAMED.findall(sql)):
            return None  # the two renderings differ beyond their placeholders: keep the named one's path
        sql = str(positional)
    return DriverSelect(sql, tuple(values[name] for name in names), tuple(converters))


_NAMED = re.compile(r"(?<!%)%\((\w+)\)s")
_POSITIONAL: weakref.WeakKeyDictionary[Dialect, Dialect] = weakref.WeakKeyDictionary()


def _positional(dialect: Dialect) -> Dialect:
    """A copy of ``dialect`` (with what it learnt from its server) that renders ``%s`` placeholders."""
    found = _POSITIONAL.get(dialect)
    if found is None:
        found = copy.copy(dialect)
        found.paramstyle = "format"
        found.positional = True
        _POSITIONAL[dialect] = found
    return found


class FixedSelect:
    """A statement built once and run many times (a module constant, a
    memoized first page), with its driver form per dialect."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self._prepared: weakref.WeakKeyDictionary[Dialect, DriverSelect | None] = weakref.WeakKeyDictionary()

    def rows(self, connection: Connection) -> Sequence[Any]:
        dialect = connection.dialect
        try:
            prepared = self._prepared[dialect]
        except KeyError:
            prepared = self._prepared[dialect] = driver_select(self.statement, dialect)
        return select_rows(connection, self.statement, prepared)


def _outside_transaction(connection: Connection, driver_connection: Any) -> bool:
    """Whether a statement failing on ``connection`` leaves no transaction to
    end: psycopg in autocommit, SQLite with no BEGIN sent (read sessions)."""
    if connection.dialect.name == "sqlite":
        return not driver_connection.in_transaction
    return bool(driver_connection.autocommit)


def select_rows(connection: Connection, statement: Select[Any], prepared: DriverSelect | None) -> Sequence[Any]:
    """The rows of ``statement``: on the driver's cursor when ``prepared``
    is given and no transaction is open, else through SQLAlchemy."""
    driver_connection: Any = connection.connection.driver_connection
    if prepared is None or not _outside_transaction(connection, driver_connection):
        return connection.execute(statement).all()
    dispatch = connection.dispatch
    cursor = driver_connection.cursor()
    try:
        dispatch.before_cursor_execute(connection, cursor, prepared.sql, prepared.parameters, None, False)
        try:
            cursor.execute(prepared.sql, prepared.parameters)
            rows = cursor.fetchall()
        except Exception:
            # The same statement through SQLAlchemy: its error, wrapped and handled as any other.
            return connection.execute(statement).all()
        dispatch.after_cursor_execute(connection, cursor, prepared.sql, prepared.parameters, None, False)
        if not prepared.converters:
            return rows
        converted = []
        for row in rows:
            values = list(row)
            for index, convert in prepared.converters:
                values[index] = convert(values[index])
            converted.append(values)
        return converted
    finally:
        cursor.close()
