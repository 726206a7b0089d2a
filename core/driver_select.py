"""A fixed SELECT sent on the database driver's own cursor.

A hot list's first page (``core.api.relay.paginate`` with a memo key) runs
the same built statement on every request. On PostgreSQL with psycopg,
SQLAlchemy's work around each statement (the compiled-cache lookup, an
execution context, parameter and result processing, result metadata) costs
the server more than the driver's own: about a tenth of a residents page's
throughput (README, Performance). So such a statement is compiled once, and
where neither its parameters nor its columns need a type conversion by
SQLAlchemy it is then sent on the driver's cursor, on a connection in
autocommit (the read sessions of queries, ``core.db.make_read_session_factory``).

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
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

# Expanding and literal-execute parameters are rendered by SQLAlchemy at execution time.
_RENDERED_AT_EXECUTION = "POSTCOMPILE"


@dataclass(frozen=True)
class DriverSelect:
    """A statement compiled for one dialect, with its parameter values in order."""

    sql: str
    parameters: tuple[Any, ...]


def driver_select(statement: Select[Any], dialect: Dialect) -> DriverSelect | None:
    """``statement`` ready for the driver's cursor, or None where it must go
    through SQLAlchemy (another driver, parameters rendered at execution, a
    parameter or column type SQLAlchemy converts)."""
    if dialect.name != "postgresql" or dialect.driver != "psycopg":
        return None
    compiled = statement.compile(dialect=dialect)
    sql = str(compiled)
    if _RENDERED_AT_EXECUTION in sql:
        return None
    for bind in compiled.binds.values():
        if bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
            return None
    for column in statement.selected_columns:
        if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
            return None
    # Positional parameters: the driver then has no names to check and reorder per call.
    positional = statement.compile(dialect=_positional(dialect))
    names = positional.positiontup or []
    if _NAMED.sub("%s", sql) != str(positional) or sorted(names) != sorted(_NAMED.findall(sql)):
        return None  # the two renderings differ beyond their placeholders: keep the named one's path
    values = compiled.construct_params()
    return DriverSelect(str(positional), tuple(values[name] for name in names))


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


def select_rows(connection: Connection, statement: Select[Any], prepared: DriverSelect | None) -> Sequence[Any]:
    """The rows of ``statement``: on the driver's cursor when ``prepared``
    is given and the connection is in autocommit, else through SQLAlchemy."""
    driver_connection: Any = connection.connection.driver_connection
    if prepared is None or not getattr(driver_connection, "autocommit", False):
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
        return rows
    finally:
        cursor.close()
