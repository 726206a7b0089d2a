"""``core_0007`` (``user_account.resident_id``) on a database that already
has accounts, sessions and grants: nothing is lost on the way up or down.

On SQLite the migration rebuilds ``user_account`` (a foreign key cannot be
added with ``ALTER TABLE``); the rebuild drops a table that sessions and
grants refer to, which ``core.migrate`` makes safe by running migrations
with foreign key enforcement off and checking the keys before commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect, text

from core.app import Deployment, build_deployment
from core.migrate import (
    ForeignKeyViolation,
    alembic_config,
    branch_heads,
    current_heads,
    migration_connection,
    upgrade,
)
from tests.conftest import DatabaseFactory, make_settings

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def deployment_at_0006(database_url: str) -> Deployment:
    """A database at core_0006 with one account, its session and a grant."""
    deployment = build_deployment(make_settings(database_url))
    with migration_connection(deployment) as connection:
        command.upgrade(alembic_config(deployment, connection), "core_0006")
    with deployment.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO org_unit (id, level, name, path, depth, created_at) VALUES (1, 'city', '青岛市', '/1/', 0, :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO user_account (id, username, display_name, password_hash, password_changed_at, is_active, created_at)"
                " VALUES (7, 'zhang.san', '张三', 'x', :now, :yes, :now)"
            ),
            {"now": NOW, "yes": True},
        )
        connection.execute(
            text(
                "INSERT INTO user_session (id, user_id, token_hash, created_at, last_seen_at, expires_at, idle_timeout_seconds)"
                " VALUES (1, 7, 'h', :now, :now, :now, 60)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO role (id, code, name, is_builtin, created_at) VALUES (1, 'resident', '居民', :yes, :now)"
            ),
            {"now": NOW, "yes": True},
        )
        connection.execute(
            text("INSERT INTO role_grant (id, user_id, role_id, org_unit_id, granted_at) VALUES (1, 7, 1, 1, :now)"),
            {"now": NOW},
        )
    return deployment


@pytest.fixture
def at_0006(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    deployment = deployment_at_0006(database_factory.create(backend))
    yield deployment
    deployment.dispose()


def rows(deployment: Deployment) -> tuple[list[tuple[object, ...]], int, int]:
    with deployment.engine.connect() as connection:
        users = [tuple(row) for row in connection.execute(text("SELECT id, username FROM user_account"))]
        sessions = connection.execute(text("SELECT count(*) FROM user_session")).scalar_one()
        grants = connection.execute(text("SELECT count(*) FROM role_grant")).scalar_one()
    return users, sessions, grants


def test_upgrade_and_downgrade_keep_accounts_sessions_and_grants(at_0006: Deployment) -> None:
    before = rows(at_0006)
    assert before == ([(7, "zhang.san")], 1, 1)
    upgrade(at_0006, verbose=False)
    assert current_heads(at_0006) == branch_heads(at_0006)
    assert rows(at_0006) == before
    with at_0006.engine.connect() as connection:
        assert connection.execute(text("SELECT resident_id FROM user_account WHERE id = 7")).scalar_one() is None
    keys = inspect(at_0006.engine).get_foreign_keys("user_account")
    assert [(k["name"], k["referred_table"], k["options"].get("ondelete")) for k in keys] == [
        ("fk_user_account_resident_id_resident", "resident", "SET NULL")
    ]

    with migration_connection(at_0006) as connection:
        command.downgrade(alembic_config(at_0006, connection), "core_0006")
    assert rows(at_0006) == before
    assert "resident_id" not in {c["name"] for c in inspect(at_0006.engine).get_columns("user_account")}


def test_foreign_keys_are_enforced_again_after_migrating(at_0006: Deployment) -> None:
    upgrade(at_0006, verbose=False)
    with pytest.raises(Exception, match="(?i)foreign key"), at_0006.engine.begin() as connection:
        connection.execute(text("UPDATE user_account SET resident_id = 987654 WHERE id = 7"))


def test_a_sqlite_migration_breaking_foreign_keys_is_rolled_back(database_factory: DatabaseFactory) -> None:
    """(PostgreSQL enforces foreign keys during migrations as always.)"""
    deployment = deployment_at_0006(database_factory.create("sqlite"))
    try:
        with (
            pytest.raises(ForeignKeyViolation, match="user_session"),
            migration_connection(deployment) as connection,
        ):
            connection.execute(text("DELETE FROM user_account"))
        assert rows(deployment) == ([(7, "zhang.san")], 1, 1)
    finally:
        deployment.dispose()
