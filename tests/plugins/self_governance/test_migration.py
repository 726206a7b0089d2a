"""The self-governance migration creates exactly the tables its models
describe, as its own branch depending on core (tests/test_migrations.py
covers core and the example plugin only), and a deployment without the
plugin has none of them."""

from __future__ import annotations

from sqlalchemy import inspect

from tests.conftest import DatabaseFactory, migrated_deployment
from tests.test_migrations import differences

TABLES = {
    "selfgov_election",
    "selfgov_election_committee_member",
    "selfgov_voter",
    "selfgov_candidate",
    "selfgov_recall",
    "selfgov_building_head_nomination",
    "selfgov_building_head_objection",
    "selfgov_initiative",
    "selfgov_initiative_signature",
    "selfgov_hearing",
    "selfgov_hearing_step",
    "selfgov_hearing_participant",
    "selfgov_text",
    "selfgov_text_version",
}


def test_database_matches_the_models(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=("self_governance",))
    try:
        assert set(inspect(deployment.engine).get_table_names()) >= TABLES
        assert differences(deployment) == []
    finally:
        deployment.dispose()


def test_not_enabled_means_no_tables(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend))
    try:
        assert not TABLES & set(inspect(deployment.engine).get_table_names())
        assert "signResidentInitiative" not in deployment.schema.as_sdl()
    finally:
        deployment.dispose()
