"""Query sessions skip the explicit transaction on PostgreSQL; mutation
sessions keep it (one transaction per mutation). On SQLite, mutation
sessions take the write lock when they begin (BEGIN IMMEDIATE) and other
sessions do not."""

from __future__ import annotations

import sqlite3

from sqlalchemy import text

from core.app import Deployment


def test_read_sessions_autocommit_only_on_postgresql(deployment: Deployment) -> None:
    if deployment.engine.dialect.name != "postgresql":
        # SQLite reads use the same sessions as writes.
        assert deployment.read_session_factory.kw["bind"] is deployment.engine
        return
    with deployment.read_session_factory() as session:
        assert session.connection().connection.driver_connection.autocommit is True
    with deployment.session_factory() as session:
        assert session.connection().connection.driver_connection.autocommit is False


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
