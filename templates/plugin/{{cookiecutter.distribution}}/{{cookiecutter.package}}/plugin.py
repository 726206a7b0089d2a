"""Hook implementations: every hook this plugin needs (see core/hookspecs.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.plugin_api import NodeType, hookimpl

# Alembic reads this directory only (not its parents or subdirectories).
VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


@hookimpl
def plugin_title() -> str:
    return "{{ cookiecutter.title }}"


@hookimpl
def register_models() -> list[type]:
    from {{ cookiecutter.package }}.models import Entry

    return [Entry]


@hookimpl
def register_migration_locations() -> list[str]:
    return [str(VERSIONS_DIR)]


@hookimpl
def register_permissions() -> list[Any]:
    from {{ cookiecutter.package }}.declarations import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def register_graphql_types() -> list[type]:
    from {{ cookiecutter.package }}.schema import EntryType

    return [EntryType]


@hookimpl
def register_query_fields() -> list[type]:
    from {{ cookiecutter.package }}.schema import Query

    return [Query]


@hookimpl
def register_mutation_fields() -> list[type]:
    from {{ cookiecutter.package }}.schema import Mutation

    return [Mutation]


@hookimpl
def register_node_types() -> list[Any]:
    from {{ cookiecutter.package }}.schema import load_entries

    return [NodeType("{{ cookiecutter.type_prefix }}Entry", load_entries)]
