"""Registers the audit trail through the same hooks plugins use."""

from __future__ import annotations

import argparse

from core.audit.models import AuditChainHead, AuditPending, AuditRecord
from core.hookspecs import hookimpl


@hookimpl
def register_models() -> list[type]:
    return [AuditRecord, AuditChainHead, AuditPending]


@hookimpl
def register_query_fields() -> list[type]:
    from core.audit.schema import AuditQuery

    return [AuditQuery]


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    from core.audit.commands import add_commands

    add_commands(subparsers)
