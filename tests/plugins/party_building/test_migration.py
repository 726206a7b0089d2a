"""The party_building migration creates exactly what the models declare
(collations of the path columns included), on SQLite and PostgreSQL, and
it is one branch rooted on a core revision."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from core.migrate import alembic_config
from tests.conftest import DatabaseFactory, migrated_deployment
from tests.test_migrations import differences


def test_migration_matches_the_models(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=("party_building",))
    try:
        assert differences(deployment) == []
        tables = {t.name for t in deployment.metadata.sorted_tables}
        assert {"party_organization", "party_member", "meeting", "party_member_unit"} <= tables
        assert "party_meeting" not in tables
        script = ScriptDirectory.from_config(alembic_config(deployment))
        head = script.get_revision("party_building@head")
        assert head is not None and head.down_revision == "party_building_0002_rules"
        assert head.dependencies == "core_0013_meetings"
        root = script.get_revision("party_building_0001")
        assert root is not None and root.dependencies == "core_0009"
    finally:
        deployment.dispose()
