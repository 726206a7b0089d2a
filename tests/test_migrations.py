"""Migrations agree with the models, for core alone and for core with a
plugin branch, on SQLite and PostgreSQL.

After ``core.migrate.upgrade`` on an empty database, alembic's autogenerate
comparison between the database and the deployment's metadata must find
nothing: a model change without a migration (or a migration that differs
from its model) fails here. Alembic's type comparison ignores collations, so
the comparison here adds them: the byte-wise ``"C"`` collation of
materialized paths on PostgreSQL must be in the database, not only in the
model.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.types import TypeEngine

from core.app import Deployment
from core.migrate import CORE_VERSIONS_DIR, alembic_config, branch_heads
from tests.conftest import DatabaseFactory, migrated_deployment
from tests.plugin_contract.conftest import applied_revisions, volunteer_distribution  # noqa: F401  (fixture)

PLUGIN_SETS = {
    "core": (),
    "core+volunteer": ("volunteer",),
}


@pytest.fixture(params=sorted(PLUGIN_SETS))
def plugins(request: pytest.FixtureRequest, volunteer_distribution: Any) -> tuple[str, ...]:  # noqa: F811
    return PLUGIN_SETS[request.param]


@pytest.fixture
def migrated(backend: str, database_factory: DatabaseFactory, plugins: tuple[str, ...]) -> Iterator[Deployment]:
    deployment = migrated_deployment(database_factory.create(backend), plugins=plugins)
    yield deployment
    deployment.dispose()


def _is_core(script: ScriptDirectory, revision: str) -> bool:
    path = script.get_revision(revision).path
    return Path(path).resolve().is_relative_to(CORE_VERSIONS_DIR.resolve())


def compare_type_and_collation(
    context: MigrationContext,
    inspected_column: Any,
    metadata_column: Any,
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Differs if the collations differ; otherwise alembic's own comparison
    decides (``None``). The model's type is first resolved for the dialect,
    so that a ``with_variant(..., "postgresql")`` collation counts only there."""
    wanted = getattr(metadata_type.dialect_impl(context.dialect), "collation", None)
    found = getattr(inspected_type, "collation", None)
    return True if wanted != found else None


def differences(deployment: Deployment) -> list[Any]:
    with deployment.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type_and_collation})
        return list(compare_metadata(context, deployment.metadata))


def test_database_matches_the_models(migrated: Deployment) -> None:
    assert differences(migrated) == []


def test_comparison_sees_a_missing_collation(database_factory: DatabaseFactory) -> None:
    """The check above is not vacuous: a path column without its collation
    is reported (collations are declared for PostgreSQL only)."""
    deployment = migrated_deployment(database_factory.create("postgresql"))
    try:
        with deployment.engine.begin() as connection:
            connection.execute(text('ALTER TABLE org_unit ALTER COLUMN path TYPE varchar(512) COLLATE "default"'))
        found = [(d[0][0], d[0][2], d[0][3]) for d in differences(deployment) if isinstance(d, list)]
        assert found == [("modify_type", "org_unit", "path")]
    finally:
        deployment.dispose()


def test_one_head_per_enabled_branch(migrated: Deployment, plugins: tuple[str, ...]) -> None:
    script = ScriptDirectory.from_config(alembic_config(migrated))
    heads = branch_heads(migrated)
    assert len(heads) == 1 + len(plugins), f"expected one head per branch, got {heads}"
    # Each branch label names exactly one of the heads.
    labelled = [script.get_revision(f"{label}@head") for label in ("core", *plugins)]
    assert sorted(revision.revision for revision in labelled if revision is not None) == heads
    # Everything is applied: no branch was left behind.
    assert set(heads) <= applied_revisions(migrated)


def test_every_plugin_branch_root_depends_on_a_core_revision(migrated: Deployment, plugins: tuple[str, ...]) -> None:
    script = ScriptDirectory.from_config(alembic_config(migrated))
    roots = [revision for revision in script.walk_revisions() if not revision.down_revision]
    core_roots = [root for root in roots if _is_core(script, root.revision)]
    plugin_roots = [root for root in roots if not _is_core(script, root.revision)]
    assert [root.revision for root in core_roots] == ["core_0001"]
    assert sorted(label for root in plugin_roots for label in root.branch_labels) == sorted(plugins)
    for root in plugin_roots:
        dependencies = root.dependencies
        depends_on = [dependencies] if isinstance(dependencies, str) else list(dependencies or ())
        assert depends_on, f"plugin branch root {root.revision} does not depend on a core revision"
        for dependency in depends_on:
            assert _is_core(script, script.get_revision(dependency).revision), (
                f"{root.revision} depends on {dependency}, which is not a core revision"
            )
