"""Query sessions skip the explicit transaction on PostgreSQL; mutation
sessions keep it (one transaction per mutation)."""

from __future__ import annotations

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
