"""Query sessions skip the explicit transaction (no BEGIN, no ROLLBACK) on
both databases; mutation sessions keep it (one transaction per mutation). On SQLite, mutation
sessions take the write lock when they begin (BEGIN IMMEDIATE) and other
sessions do not."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import event, text

from core.app import Deployment


def test_read_sessions_send_no_transaction_statements(deployment: Deployment) -> None:
    if deployment.engine.dialect.name != "postgresql":
        sent: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            sent.append(statement.strip().upper())

        event.listen(deployment.engine, "before_cursor_execute", record)
        try:
            with deployment.read_session_factory() as session:
                assert session.execute(text("SELECT 1")).scalar() == 1
            with deployment.session_factory() as session:
                session.execute(text("SELECT 2"))
                session.rollback()
        finally:
            event.remove(deployment.engine, "before_cursor_execute", record)
        # The read sent its statement alone; the write session began a transaction.
        assert sent[0] == "SELECT 1" and "BEGIN" in sent[1:], sent
        return
    with deployment.read_session_factory() as session:
        driver = session.connection().connection.driver_connection
        assert driver is not None and driver.autocommit is True
    with deployment.session_factory() as session:
        driver = session.connection().connection.driver_connection
        assert driver is not None and driver.autocommit is False


def test_sqlite_mutation_sessions_hold_the_write_lock_others_do_not(deployment: Deployment) -> None:
    if deployment.engine.dialect.name != "sqlite":
        return
    path = deployment.engine.url.database
    assert path

    def other_writer_gets_the_lock() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return False
        finally:
            other.close()

    for readers in (deployment.read_session_factory, deployment.session_factory):
        with readers() as session:
            session.execute(text("SELECT 1"))
            assert other_writer_gets_the_lock()
    with deployment.write_session_factory() as session:
        session.execute(text("SELECT 1"))
        assert not other_writer_gets_the_lock()


@pytest.mark.postgresql_only
def test_a_burst_within_the_pool_size_reuses_its_connections(deployment: Deployment) -> None:
    """Requests served at once, up to ``database_pool_size``, each keep their
    connection in the pool: the next burst opens none (an overflow connection
    is closed on return, and PostgreSQL starts a backend for each new one)."""
    size = deployment.settings.database_pool_size
    assert size >= 16
    opened: list[object] = []

    def record(_dbapi_connection, _record) -> None:
        opened.append(_dbapi_connection)

    def burst() -> None:
        barrier = threading.Barrier(size)

        def hold() -> None:
            with deployment.read_session_factory() as session:
                session.execute(text("SELECT 1"))
                barrier.wait(timeout=30)

        threads = [threading.Thread(target=hold) for _ in range(size)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    event.listen(deployment.engine, "connect", record)
    try:
        burst()
        first = len(opened)
        burst()
    finally:
        event.remove(deployment.engine, "connect", record)
    assert deployment.engine.pool.checkedin() >= size  # type: ignore[attr-defined]
    assert len(opened) == first, "the second burst opened connections again"
