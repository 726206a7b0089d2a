"""The mediation migration creates exactly the tables its models describe
(tests/test_migrations.py covers core and the example plugin only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.app import Deployment
from tests.conftest import DatabaseFactory, migrated_deployment
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
