"""Query sessions skip the explicit transaction on PostgreSQL; mutation
sessions keep it (one transaction per mutation)."""

from __future__ import annotations

from core.app import Deployment


def test_read_sessions_autocommit_only_on_postgresql(deployment: Deployment) -> None:
    with deployment.read_session_factory() as session:
        level = session.connection().get_isolation_level()
    with deployment.session_factory() as session:
        transactional = session.connection().get_isolation_level()
    if deployment.engine.dialect.name == "postgresql":
        assert level == "AUTOCOMMIT"
        assert transactional != "AUTOCOMMIT"
    else:
        assert level == transactional
