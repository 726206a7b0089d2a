"""Registers users, sign-in and permissions through the same hooks plugins use."""

from __future__ import annotations

import argparse
from typing import Any

from core.api.relay import NodeType
from core.auth.core_permissions import CORE_PERMISSIONS
from core.auth.models import (
    AuthGeneration,
    LoginFailure,
    Role,
    RoleGrant,
    RolePermission,
    User,
    UserSession,
)
from core.hookspecs import hookimpl


@hookimpl
def register_models() -> list[type]:
    return [User, UserSession, LoginFailure, Role, RolePermission, RoleGrant, AuthGeneration]


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
    from core.auth.schema import grant_paths, load_grants, load_users, user_paths

    return [NodeType("User", load_users, user_paths), NodeType("RoleGrant", load_grants, grant_paths)]


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    from core.auth.cli import add_commands

    add_commands(subparsers)
