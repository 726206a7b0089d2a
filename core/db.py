"""Database plumbing shared by core and plugins: the declarative base, the
engine factory and the metadata of a deployment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Protocol, TypeVar

from sqlalchemy import Column, MetaData, String, Table, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, class_mapper, sessionmaker

from core.api.hygiene import check_text_lengths

RowT = TypeVar("RowT")

# Stable constraint names, so that migrations name the same objects on
# SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class KeyedRow(Protocol):
    """A row of a table keyed by an integer ``id`` (most Jiceng tables)."""

    @property
    def id(self) -> int: ...


def id_column(model: type) -> Column[int]:
    """The ``id`` column of the mapped class ``model``, for code that takes
    the model as a value (where ``model.id`` is not typed)."""
    column: Column[int] = class_mapper(model).columns["id"]
    return column


def get_row(session: Session, model: type[RowT], pk: int, *, what: str, field: str | None, lock: bool = False) -> RowT:
    """Row ``pk`` of ``model``, or ``NotFoundError`` naming ``what`` (Chinese)
    on ``field``. With ``lock`` the row is locked (``SELECT … FOR UPDATE`` on
    PostgreSQL) and re-read, so that two people acting at once on one record
    act one after the other, each on fresh state."""
    from core.api.errors import NotFoundError

    found = session.get(model, pk, with_for_update=lock or None, populate_existing=lock)
    if found is None:
        raise NotFoundError(what, field)
    return found


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC. Timestamps are stored in UTC; SQLite hands them
    back without their zone, PostgreSQL with it."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def binary_string(length: int) -> String:
    """A string compared byte by byte on every database, so that range
    queries on materialized paths use the index the same way everywhere."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


# An execution option for sessions that write (mutations, downloads that
# audit). On SQLite their transactions begin with BEGIN IMMEDIATE and take
# the write lock at once, so that concurrent writers queue on the busy
# timeout; a deferred transaction that has read cannot wait for the lock
# and fails with "database is locked". Every other transaction keeps a
# plain (deferred) BEGIN, so readers never queue behind writers.
WRITER_OPTION = "jiceng_writer"
# An execution option for the read sessions of queries on SQLite: no BEGIN
# at all (``make_read_session_factory``).
READER_OPTION = "jiceng_reader"
SQLITE_BUSY_TIMEOUT_MS = 15_000

# Set on a disconnect error raised by the first statement after a connection
# was taken from the pool: the server dropped the connection while it sat
# idle, and the request has not done anything on it yet.
STALE_CONNECTION = "jiceng_stale_connection"
_USED = "jiceng_used"


def make_engine(url: str, *, pool_size: int, max_overflow: int, echo: bool = False) -> Engine:
    """An engine for ``url``. On PostgreSQL the pool keeps ``pool_size``
    connections and opens up to ``max_overflow`` more, closing each of
    those when it is returned (a new server backend per use); the
    deployment passes its settings' ``database_pool_size`` and
    ``database_max_overflow``."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            # pysqlite's own transaction handling breaks SAVEPOINT; let
            # SQLAlchemy emit BEGIN itself.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            options = conn.get_execution_options()
            if options.get(READER_OPTION, False):
                return  # read sessions: every statement on its own (see make_read_session_factory)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITER_OPTION, False) else "BEGIN")

        return engine
    # No ping per checkout (a round trip on every request). A connection the
    # server dropped while idle in the pool fails on its first statement; that
    # error is marked STALE_CONNECTION and the request is run again on a fresh
    # connection (SQLAlchemy then recycles every older pooled connection too).
    # So the common path costs nothing, and only requests that did nothing
    # yet on the dead connection are repeated.
    engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=max_overflow, pool_recycle=1800)
    _mark_stale_connections(engine)
    return engine


def _mark_stale_connections(engine: Engine) -> None:
    @event.listens_for(engine, "checkout")
    def _checked_out(_dbapi_connection, record, _proxy):
        record.info[_USED] = False

    @event.listens_for(engine, "after_cursor_execute")
    def _executed(conn, *_args):
        conn.info[_USED] = True

    @event.listens_for(engine, "handle_error")
    def _failed(context):
        conn = context.connection
        error = context.sqlalchemy_exception
        if context.is_disconnect and conn is not None and error is not None and not conn.info.get(_USED, True):
            setattr(error, STALE_CONNECTION, True)


def is_stale_connection(error: BaseException | None) -> bool:
    """Did ``error`` come from a pooled connection the server had dropped,
    before anything ran on it?"""
    return bool(getattr(error, STALE_CONNECTION, False))


def database_unavailable(error: BaseException | None) -> bool:
    """Is ``error`` the database being out of reach (server down, database
    gone, connection lost, file unreadable, pool exhausted) rather than a
    fault in the request or the code?"""
    if isinstance(error, (sa_exc.OperationalError, sa_exc.DisconnectionError, sa_exc.TimeoutError)):
        return True
    return isinstance(error, sa_exc.DBAPIError) and bool(error.connection_invalidated)


_COMMITS = "jiceng_commits"


def make_session_factory(engine: Engine, info: dict[str, object] | None = None) -> sessionmaker[Session]:
    """``info`` is copied into every session's ``Session.info`` (the
    deployment puts its settings there, see ``core.settings.settings_of``)."""
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True, info=info)
    event.listen(factory, "after_commit", _count_commit)
    # Text longer than its column is refused on every database alike.
    event.listen(factory, "before_flush", check_text_lengths)
    return factory


def _count_commit(session: Session) -> None:
    session.info[_COMMITS] = session.info.get(_COMMITS, 0) + 1


def commit_count(session: Session) -> int:
    """How many transactions ``session`` has committed so far."""
    return int(session.info.get(_COMMITS, 0))


def make_write_session_factory(engine: Engine, info: dict[str, object] | None = None) -> sessionmaker[Session]:
    """Sessions for requests that write: on SQLite each transaction takes
    the write lock when it begins (see ``WRITER_OPTION``)."""
    if engine.dialect.name != "sqlite":
        return make_session_factory(engine, info)
    return make_session_factory(engine.execution_options(**{WRITER_OPTION: True}), info)


def make_read_session_factory(engine: Engine, info: dict[str, object] | None = None) -> sessionmaker[Session]:
    """Sessions for GraphQL queries: without an explicit transaction, on
    both databases. Under PostgreSQL's READ COMMITTED every statement takes
    its own snapshot anyway, and on SQLite a statement outside a transaction
    reads one snapshot of its own too; BEGIN and ROLLBACK would cost two
    round trips (and SQLAlchemy's rollback bookkeeping) per request.
    Mutations use ``make_write_session_factory``."""
    if engine.dialect.name == "sqlite":
        # The driver is in autocommit mode already (see make_engine); no BEGIN is sent.
        return make_session_factory(engine.execution_options(**{READER_OPTION: True}), info)
    return make_session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"), info)


def tables_for(models: Iterable[type]) -> list[Table]:
    """The tables of the given model classes, plus their secondary tables."""
    tables: dict[str, Table] = {}
    for model in models:
        table = getattr(model, "__table__", None)
        if isinstance(table, Table):
            tables[table.name] = table
    return list(tables.values())


def deployment_metadata(models: Iterable[type]) -> MetaData:
    """A metadata holding only the given models' tables: what one deployment
    (core plus its enabled plugins) has in its database."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    for table in tables_for(models):
        table.to_metadata(metadata)
    return metadata
