"""Registers locality policy through the same hooks plugins use."""

from __future__ import annotations

import argparse
from typing import Any

from core.hookspecs import hookimpl
from core.policy.core_keys import CORE_POLICY_KEYS
from core.policy.models import PolicyValue


@hookimpl
def register_models() -> list[type]:
    return [PolicyValue]


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(CORE_POLICY_KEYS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.policy.schema import PolicyQuery

    return [PolicyQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.policy.schema import PolicyMutation

    return [PolicyMutation]


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    from core.policy.cli import add_commands

    add_commands(subparsers)
