"""Registers work admission through the same hooks plugins use."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings


@hookimpl
def register_models() -> list[type]:
    from core.admission.models import MODELS

    return list(MODELS)


@hookimpl
def register_permissions() -> list[Any]:
    from core.admission.declarations import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def register_policy_keys() -> list[Any]:
    from core.admission.declarations import POLICY_KEYS

    return list(POLICY_KEYS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.admission.schema import AdmissionQuery

    return [AdmissionQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.admission.schema import AdmissionMutation

    return [AdmissionMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.admission.schema import load_refusals, load_requirements

    return [NodeType("AdmissionRequirement", load_requirements), NodeType("AdmissionRefusal", load_refusals)]


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from core.admission.demo import load_demo_admission

    load_demo_admission(session, settings)


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from core.admission.cli import add_commands

    add_commands(subparsers)
