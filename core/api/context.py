"""What every resolver receives as ``info.context``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from core.api.client_address import client_key
from core.settings import Settings

if TYPE_CHECKING:
    from starlette.requests import Request

    from core.api.schema import ApiRegistry
    from core.plugin_host import PluginHost


@dataclass(frozen=True)
class AuditSubject:
    """What a mutation acts on, as its resolver noted it for the audit trail."""

    object_type: str | None
    object_id: object | None
    org_unit_id: int | None
    detail: Mapping[str, Any] | None = None


@dataclass
class RequestContext:
    session: Session
    settings: Settings
    registry: ApiRegistry
    request: Request | None = None
    # The deployment's plugins; registries built from hooks (permissions,
    # policy keys) hang off it.
    host: PluginHost | None = None
    # Per-request memo for batch loaders, keyed by loader name.
    cache: dict[str, Any] = field(default_factory=dict)
    # The signed-in user. None until user accounts exist: audited as "anonymous".
    user: Any | None = None
    # Set by core.api.mutations.atomic: the running mutation's subject, and
    # whether a mutation resolver is running (its transaction is still open).
    audit_note: AuditSubject | None = None
    in_mutation: bool = False

    def audit_subject(
        self,
        object_type: str | None,
        object_id: object | None,
        org_unit_id: int | None = None,
        *,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Note what the running mutation acts on (the GraphQL type name, the
        object's key and its org unit); its audit record names it. The last
        note wins. Without a note the payload's first ``Node`` is used."""
        self.audit_note = AuditSubject(object_type, object_id, org_unit_id, detail)

    @property
    def client_address(self) -> str | None:
        """The calling client's address key (``core.api.client_address``);
        None outside an HTTP request."""
        if self.request is None:
            return None
        return client_key(self.request.scope, self.settings.trusted_proxies)
