"""What every resolver receives as ``info.context``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from core.settings import Settings

if TYPE_CHECKING:
    from starlette.requests import Request

    from core.api.schema import ApiRegistry


@dataclass
class RequestContext:
    session: Session
    settings: Settings
    registry: ApiRegistry
    request: Request | None = None
    # Per-request memo for batch loaders, keyed by loader name.
    cache: dict[str, Any] = field(default_factory=dict)
