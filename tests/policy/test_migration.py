"""The policy_value model matches migration core_0002 on each database."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from core.app import Deployment


def _touches_policy(diff: object) -> bool:
    return "policy_value" in repr(diff)


def test_model_matches_migration(deployment: Deployment) -> None:
    with deployment.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = [d for d in compare_metadata(context, deployment.metadata) if _touches_policy(d)]
        assert diffs == []
        indexes = {ix["name"]: ix for ix in inspect(connection).get_indexes("policy_value")}
        assert indexes["ix_policy_value_current"]["unique"]
        assert set(indexes) >= {"ix_policy_value_current", "ix_policy_value_org_unit_id_key_id"}
