"""Registers users, sign-in and permissions through the same hooks plugins use."""

from __future__ import annotations

import argparse
from typing import Any

from core.api.relay import NodeType
from core.auth.core_permissions import CORE_PERMISSIONS
from core.auth.models import LoginFailure, Role, RoleGrant, RolePermission, User, UserSession
from core.hookspecs import hookimpl


@hookimpl
def register_models() -> list[type]:
    return [User, UserSession, LoginFailure, Role, RolePermission, RoleGrant]


@hookimpl
def register_permissions() -> list[Any]:
    return list(CORE_PERMISSIONS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.auth.schema import AuthQuery

    return [AuthQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.auth.schema import AuthMutation

    return [AuthMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.auth.schema import load_grants, load_users

    return [NodeType("User", load_users), NodeType("RoleGrant", load_grants)]


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from core.auth.cli import add_commands

    add_commands(subparsers)


@hookimpl
def load_demo_data(session: Any, settings: Any, progress: Any) -> None:
    """The built-in roles; no demo accounts (a known password must never
    reach a server). Create the first administrator with ``jiceng user create``."""
    from core.auth.permissions import registry_for_plugins
    from core.auth.roles import ensure_default_roles

    roles = ensure_default_roles(session, registry_for_plugins(settings.plugins))
    progress.note(f"内置角色 {len(roles)} 个；用 jiceng user create --role admin 创建管理员账号")
