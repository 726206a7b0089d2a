"""The mediation migration creates exactly the tables its models describe
(tests/test_migrations.py covers core and the example plugin only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from sqlalchemy import select

from core.app import Deployment, build_deployment
from core.migrate import alembic_config, migration_connection, upgrade
from core.org import service as org_service
from core.policy import service as policy
from core.policy.models import PolicyValue
from plugins.mediation.declarations import FINALIZE_ORDINARY
from tests.conftest import DatabaseFactory, make_settings, migrated_deployment
from tests.test_migrations import differences


@pytest.fixture
def migrated(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    deployment = migrated_deployment(database_factory.create(backend), plugins=("mediation",))
    yield deployment
    deployment.dispose()


def test_database_matches_the_models(migrated: Deployment) -> None:
    names = {table.name for table in migrated.metadata.sorted_tables}
    assert {"dispute_case", "dispute_party", "resident_appeal", "grid_event", "mediation_monthly_summary"} <= names
    assert differences(migrated) == []


def test_level_policy_values_become_roles(backend: str, database_factory: DatabaseFactory) -> None:
    """Remit and escalation policy set before levels were named by role keeps its meaning."""
    deployment = build_deployment(make_settings(database_factory.create(backend), plugins=("mediation",)))
    try:
        with migration_connection(deployment) as connection:
            config = alembic_config(deployment, connection)
            command.upgrade(config, "core@head")
            command.upgrade(config, "mediation_0001")
        with deployment.session_factory() as session, session.begin():
            unit = org_service.create_unit(session, deployment.settings, name="青岛市", level="city", parent_id=None)
            for key, value in (
                ("mediation.finalize_level.ordinary", "street"),
                ("mediation.escalation.top_level", "district"),
            ):
                session.add(
                    PolicyValue(
                        org_unit_id=unit.id,
                        key=key,
                        value=json.dumps(value),
                        effective_from=date(2020, 1, 1),
                        set_by="测试",
                        reason="旧值",
                    )
                )
            unit_id = unit.id
        upgrade(deployment, verbose=False)
        with deployment.session_factory() as session:
            stored = dict(session.execute(select(PolicyValue.key, PolicyValue.value)).all())
            assert stored == {
                "mediation.finalize_level.ordinary": '"subdistrict"',
                "mediation.escalation.top_level": '"county"',
            }
            found = policy.resolve(session, org_service.get_unit(session, unit_id), FINALIZE_ORDINARY, date(2026, 1, 1))
            assert found == "subdistrict"
    finally:
        deployment.dispose()
