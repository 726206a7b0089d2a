"""``jiceng user ...`` commands: the first administrator, password resets and
the built-in roles.

The password is read from the environment variable named by
``--password-env`` (for scripts), else from ``JICENG_USER_PASSWORD`` when
set, else asked for twice at the terminal; it never appears on the command
line. Every change is written to the audit trail with the actor ``cli``.

``user create --resident-id`` links the new account to its holder's record
in the people registry (a resident's self-service account); the resident
must exist and have no account yet.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.org.refs import UnitRefError, find_unit_by_ref

PASSWORD_ENV = "JICENG_USER_PASSWORD"
CLI_ACTOR = "cli"


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    user = subparsers.add_parser("user", help="用户账号：创建管理员、重设密码、同步内置角色")
    user_sub = user.add_subparsers(dest="user_command", metavar="USER_COMMAND")
    user.set_defaults(handler=lambda _args: _usage(user))

    create = user_sub.add_parser(
        "create", help="新建用户并在某个组织单位授予角色（如首个管理员：--role admin，授予在根单位）"
    )
    create.add_argument("--username", required=True, help="登录用的用户名")
    create.add_argument("--display-name", help="姓名（默认同用户名）")
    create.add_argument("--org-unit", required=True, help="授权所在单位：区划代码（6/9/12 位）或组织单位的全局 ID")
    create.add_argument("--role", required=True, help="角色代码，如 admin、street_leader、grid_worker")
    create.add_argument(
        "--resident-id",
        help="关联账号持有人本人的居民记录（如居民自助账号，--role resident）：居民编号或其全局 ID；每位居民只能关联一个账号",
    )
    create.add_argument("--password-env", help=f"从此环境变量读取密码（默认读 {PASSWORD_ENV}，都没有时交互输入）")
    create.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    create.set_defaults(handler=cmd_create)

    reset = user_sub.add_parser("set-password", help="重设用户密码，并结束其全部会话")
    reset.add_argument("--username", required=True)
    reset.add_argument("--password-env", help=f"从此环境变量读取密码（默认读 {PASSWORD_ENV}，都没有时交互输入）")
    reset.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    reset.set_defaults(handler=cmd_set_password)

    sync = user_sub.add_parser("sync-roles", help="创建或更新内置角色（启用或停用插件后运行）")
    sync.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    sync.set_defaults(handler=cmd_sync_roles)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


class _CommandError(Exception):
    pass


def read_password(env_name: str | None, *, environ: Any = None) -> str:
    environ = os.environ if environ is None else environ
    if env_name:
        value = environ.get(env_name)
        if not value:
            raise _CommandError(f"环境变量 {env_name} 未设置或为空。")
        return str(value)
    if environ.get(PASSWORD_ENV):
        return str(environ[PASSWORD_ENV])
    first = getpass.getpass("密码：")
    second = getpass.getpass("再输入一次：")
    if first != second:
        raise _CommandError("两次输入的密码不一致。")
    return first


def find_unit(session: Session, text: str) -> OrgUnit:
    """An org unit by division code or GraphQL ID (``core.org.refs``)."""
    try:
        return find_unit_by_ref(session, text)
    except UnitRefError as exc:
        raise _CommandError(f"找不到组织单位“{text.strip()[:40]}”：{exc.message}") from None


def parse_resident_id(text: str) -> int:
    """A resident's GraphQL ID (as the API shows it); database keys are not
    a public identifier."""
    from core.api.relay import decode_pk

    text = text.strip()
    try:
        return decode_pk(text, "Resident", field="residentId")
    except UserInputError:
        raise _CommandError(f"“{text[:40]}”不是居民的全局 ID（如 GraphQL 返回的 id）。") from None


def _report(error: UserInputError) -> None:
    for item in error.errors:
        where = f"（{item.field}）" if item.field else ""
        print(f"错误{where}：{item.message}", file=sys.stderr)


def cmd_create(args: argparse.Namespace) -> int:
    from core.audit.service import record
    from core.auth import service
    from core.auth.config import AuthConfig
    from core.auth.permissions import registry_for
    from core.auth.roles import ensure_default_roles
    from core.cli import deployment_from_args

    deployment = deployment_from_args(args)
    try:
        config = AuthConfig.from_settings(deployment.settings)
        registry = registry_for(deployment.host)
        resident_id = parse_resident_id(args.resident_id) if args.resident_id is not None else None
        password = read_password(args.password_env)
        with deployment.session_factory() as session, session.begin():
            ensure_default_roles(session, registry)
            unit = find_unit(session, args.org_unit)
            user = service.create_user(
                session,
                config,
                username=args.username,
                display_name=args.display_name or args.username,
                password=password,
                resident_id=resident_id,
            )
            grant = service.grant_role(
                session, registry, None, user_id=user.id, role_code=args.role, org_unit_id=unit.id
            )
            detail: dict[str, Any] = {"username": user.username, "role": args.role, "grantId": grant.id}
            if resident_id is not None:
                detail["residentId"] = resident_id
            record(
                session,
                action="cli:user.create",
                actor_label=CLI_ACTOR,
                object_type="User",
                object_id=user.id,
                org_unit_id=unit.id,
                detail=detail,
            )
            message = f"已创建用户 {user.username}（id {user.id}），在“{unit.name}”担任“{grant.role.name}”。"
            if resident_id is not None:
                message += f"已关联居民（编号 {resident_id}）。"
    except UserInputError as error:
        _report(error)
        return 1
    except _CommandError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()
    print(message)
    return 0


def cmd_set_password(args: argparse.Namespace) -> int:
    from core.audit.service import record
    from core.auth import service
    from core.auth.config import AuthConfig
    from core.auth.models import User
    from core.cli import deployment_from_args

    deployment = deployment_from_args(args)
    try:
        config = AuthConfig.from_settings(deployment.settings)
        password = read_password(args.password_env)
        with deployment.session_factory() as session, session.begin():
            username = service.normalize_username(args.username)
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise _CommandError(f"没有用户名为“{username}”的用户。")
            service.set_password(session, config, user, password)
            record(
                session, action="cli:user.set_password", actor_label=CLI_ACTOR, object_type="User", object_id=user.id
            )
    except UserInputError as error:
        _report(error)
        return 1
    except _CommandError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()
    print(f"已重设 {username} 的密码，其全部会话已结束。")
    return 0


def cmd_sync_roles(args: argparse.Namespace) -> int:
    from core.auth.permissions import registry_for
    from core.auth.roles import ensure_default_roles
    from core.cli import deployment_from_args

    deployment = deployment_from_args(args)
    try:
        with deployment.session_factory() as session, session.begin():
            roles = ensure_default_roles(session, registry_for(deployment.host))
            lines = [f"  {code}（{role.name}）：{len(role.permissions)} 项权限" for code, role in roles.items()]
    finally:
        deployment.dispose()
    print("内置角色已同步：")
    print("\n".join(lines))
    return 0
