"""Registers the seal register through the same hooks plugins use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.hookspecs import hookimpl
from core.seals.models import Seal, SealUse
from core.seals.service import PERMISSIONS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings


@hookimpl
def register_models() -> list[type]:
    return [Seal, SealUse]


@hookimpl
def register_permissions() -> list[Any]:
    return list(PERMISSIONS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.seals.schema import SealQuery

    return [SealQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.seals.schema import SealMutation

    return [SealMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.seals.schema import load_seal_uses, load_seals

    return [NodeType("Seal", load_seals), NodeType("SealUse", load_seal_uses)]


@hookimpl
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from core.seals.demo import load_demo_seals

    load_demo_seals(session)
