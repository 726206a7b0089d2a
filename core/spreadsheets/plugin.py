"""Registers spreadsheet imports (``core.spreadsheets.imports``) through the
same hooks plugins use: the job table, the GraphQL fields, the ``ImportJob``
node, the template downloads and ``jiceng import``."""

from __future__ import annotations

import argparse
from typing import Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from core.spreadsheets.imports.models import ImportJob


@hookimpl
def register_models() -> list[type]:
    return [ImportJob]


@hookimpl
def register_graphql_types() -> list[type]:
    from core.spreadsheets.imports.schema import ImportJobType

    return [ImportJobType]


@hookimpl
def register_query_fields() -> list[type]:
    from core.spreadsheets.imports.schema import ImportQuery

    return [ImportQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.spreadsheets.imports.schema import ImportMutation

    return [ImportMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.spreadsheets.imports.schema import load_import_jobs

    return [NodeType("ImportJob", load_import_jobs)]


@hookimpl
def register_routes() -> list[Any]:
    from core.spreadsheets.imports.web import ROUTES

    return list(ROUTES)


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    from core.spreadsheets.imports.cli import add_commands

    add_commands(subparsers)
