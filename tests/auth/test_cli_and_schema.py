"""``jiceng user ...``, demo data, and the migration matching the models."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth import service
from core.auth.models import Role, RoleGrant, User
from core.cli import main
from core.demo import load_demo
from core.demo.progress import Progress
from tests.auth.conftest import Tree
from tests.conftest import DatabaseFactory, migrated_deployment

AUTH_TABLES = {"user_account", "user_session", "login_failure", "role", "role_permission", "role_grant"}


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, deployment: Deployment) -> str:
    """No config file, no developer settings; the test database."""
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JICENG_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("JICENG_DATABASE_URL", deployment.settings.database_url)
    return deployment.settings.database_url


def test_user_create_makes_the_first_admin(
    cli_env: str,
    deployment: Deployment,
    tree: Tree,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ADMIN_PASSWORD", "第一个管理员的密码-2026")
    status = main(
        [
            "user",
            "create",
            "--username",
            "Admin",
            "--display-name",
            "管理员",
            "--org-unit",
            "370200",
            "--role",
            "admin",
            "--password-env",
            "ADMIN_PASSWORD",
        ]
    )
    out = capsys.readouterr()
    assert status == 0, out.err
    assert "已创建用户 admin" in out.out and "青岛市" in out.out and "系统管理员" in out.out
    with deployment.session_factory() as session:
        user = session.scalars(select(User)).one()
        grant = session.scalars(select(RoleGrant)).one()
        assert (user.username, user.display_name, grant.org_unit_id, grant.role.code) == (
            "admin",
            "管理员",
            tree.city,
            "admin",
        )
        assert grant.granted_by_id is None
        audit = session.scalars(select(AuditRecord).where(AuditRecord.action == "cli:user.create")).one()
        assert (audit.actor_label, audit.object_id, audit.org_unit_id) == ("cli", str(user.id), tree.city)
        signed_in = service.login(session, service.AuthConfig(), "admin", "第一个管理员的密码-2026")
        session.commit()
        me = service.principal_for_token(session, signed_in.token)
    assert me is not None and me.holds_anywhere("user.manage")


def test_user_create_reads_the_default_env_var_and_reports_errors(
    cli_env: str, tree: Tree, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JICENG_USER_PASSWORD", "short")
    assert (
        main(
            [
                "user",
                "create",
                "--username",
                "x1",
                "--org-unit",
                encode_global_id("OrgUnit", tree.street),
                "--role",
                "street_leader",
            ]
        )
        == 1
    )
    assert "密码至少需要 12 个字符" in capsys.readouterr().err
    monkeypatch.setenv("JICENG_USER_PASSWORD", "街道领导的一个足够长的密码")
    assert main(["user", "create", "--username", "x1", "--org-unit", "999999", "--role", "street_leader"]) == 1
    assert "找不到组织单位" in capsys.readouterr().err
    assert main(["user", "create", "--username", "x1", "--org-unit", "370202001", "--role", "no_such_role"]) == 1
    assert "no_such_role" in capsys.readouterr().err
    assert main(["user", "create", "--username", "x1", "--org-unit", "370202001", "--role", "street_leader"]) == 0
    assert "八大关街道" in capsys.readouterr().out


def test_user_create_prompts_for_the_password(
    cli_env: str, tree: Tree, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter(["交互输入的这个密码足够长了", "交互输入的这个密码足够长了"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["user", "create", "--username", "typed", "--org-unit", "370200", "--role", "admin"]) == 0
    mismatched = iter(["交互输入的这个密码足够长了", "另一个不同的密码"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(mismatched))
    assert main(["user", "create", "--username", "typed2", "--org-unit", "370200", "--role", "admin"]) == 1
    assert "两次输入的密码不一致" in capsys.readouterr().err


def test_set_password_and_sync_roles(
    cli_env: str,
    deployment: Deployment,
    tree: Tree,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("JICENG_USER_PASSWORD", "最初设置的密码-足够长了")
    assert main(["user", "create", "--username", "reset.me", "--org-unit", "370200", "--role", "admin"]) == 0
    with deployment.session_factory() as session:
        token = service.login(session, service.AuthConfig(), "reset.me", "最初设置的密码-足够长了").token
        session.commit()
    monkeypatch.setenv("JICENG_USER_PASSWORD", "重设之后的新密码-足够长")
    assert main(["user", "set-password", "--username", "RESET.ME"]) == 0
    with deployment.session_factory() as session:
        assert service.principal_for_token(session, token) is None  # all sessions ended
        assert service.login(session, service.AuthConfig(), "reset.me", "重设之后的新密码-足够长").token
        session.rollback()
    assert main(["user", "sync-roles"]) == 0
    assert "grid_worker（网格员）" in capsys.readouterr().out


def test_demo_data_creates_the_built_in_roles_and_one_user_each(deployment: Deployment) -> None:
    with deployment.session_factory() as session, session.begin():
        load_demo(session, deployment.settings, deployment.host, Progress(quiet=True))
    with deployment.session_factory() as session:
        codes = set(session.scalars(select(Role.code)))
        assert {"grid_worker", "admin", "resident", "accountant", "cashier"} <= codes
        # Demo accounts are named after their role and hold it (never in production).
        assert set(session.scalars(select(User.username))) == codes


def test_migration_matches_the_models(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend))
    try:
        with deployment.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, deployment.metadata)
        assert [d for d in differences if AUTH_TABLES & set(_tables(d))] == []
        assert set(deployment.metadata.tables) >= AUTH_TABLES
    finally:
        deployment.dispose()


def _tables(difference: tuple[Any, ...] | list[tuple[Any, ...]]) -> list[str]:
    """Table names mentioned by one compare_metadata entry (a tuple, or a list of tuples)."""
    items = difference if isinstance(difference, list) else [difference]
    names: list[str] = []
    for item in items:
        for part in item:
            name = getattr(part, "name", None) if not isinstance(part, str) else part
            table = getattr(part, "table", None)
            if table is not None:
                names.append(table.name)
            if isinstance(name, str):
                names.append(name)
    return names
