"""Registers the organization tree through the same hooks plugins use."""

from __future__ import annotations

import argparse
from typing import Any

from core.api.relay import NodeType, load_by_pk
from core.hookspecs import hookimpl
from core.org.models import OrgUnit, OrgUnitMove


@hookimpl
def register_models() -> list[type]:
    return [OrgUnit, OrgUnitMove]


@hookimpl
def register_query_fields() -> list[type]:
    from core.org.schema import OrgQuery

    return [OrgQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.org.schema import OrgMutation

    return [OrgMutation]


@hookimpl
def register_node_types() -> list[Any]:
    return [NodeType("OrgUnit", load_by_pk(OrgUnit))]


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    from core.org.commands import add_commands

    add_commands(subparsers)
