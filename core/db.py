"""Database plumbing shared by core and plugins: the declarative base, the
engine factory and the metadata of a deployment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import MetaData, String, Table, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

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


def make_engine(url: str, *, echo: bool = False) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # pysqlite's own transaction handling breaks SAVEPOINT; let
            # SQLAlchemy emit BEGIN itself.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN")

        return engine
    # No ping per checkout (a round trip on every request); a connection the
    # server dropped fails one request and the pool replaces it.
    return create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_recycle=1800)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def make_read_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for GraphQL queries. On PostgreSQL they run without an
    explicit transaction: under READ COMMITTED every statement takes its own
    snapshot anyway, and BEGIN and ROLLBACK would cost two round trips per
    request. Mutations always use ``make_session_factory``."""
    if engine.dialect.name != "postgresql":
        return make_session_factory(engine)
    return make_session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


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
