"""The public API for plugin authors: import from here, not from core's modules.

Stability promise: every name in ``__all__`` keeps its meaning and its
signature (new keyword arguments with defaults may be added) for the whole
of a major version of Jiceng; a name is removed or changed only in the next
major version, after a release in which it is deprecated with a warning and
a line in CHANGELOG.md. Everything else in ``core`` is internal and may
change in any release. Hooks are specified in ``core.hookspecs`` (implement
them with ``hookimpl``); their names and arguments follow the same promise.

What a plugin needs, by job:

- hooks: ``hookimpl``.
- models: ``Base`` (declarative base; each plugin's tables live in its own
  alembic branch), ``OrgUnit`` and its ``PATH_LENGTH`` for a copy of a unit's path,
  ``Resident``, ``Household``, ``utcnow``.
- declarations: ``Permission``, ``PolicyKey``, ``ValueType``, ``ObligationType``,
  ``DueRule``, ``NodeType``.
- GraphQL types and pages: ``Node``, ``Connection``, ``model_type``, ``paginate``,
  ``load_by_pk``, ``encode_global_id``; the page loaders ``related``,
  ``children`` and ``rows_of`` (one query per page, not per row);
  ``OrgUnitType``, ``RequestContext``.
- IDs: ``decode_pk`` (outside mutations), and inside mutations the scope-checked
  ``object_for``, ``optional_object_for``, ``objects_for``, ``object_in_scope``,
  ``resident_pk_for``.
- permissions and scope: ``require``, ``can``, ``require_signed_in``,
  ``require_somewhere``, ``require_at_root``, ``scope_condition`` (SQL: rows in the
  caller's subtrees), ``in_subtree``, ``registry_for_context``.
- mutations and errors: ``atomic`` (one transaction, audited),
  ``audit_subject`` (what the audit record names), ``UserInputError``, ``UserError``,
  ``ErrorDetail``, ``PermissionDeniedError``.
- policy and settings: ``resolve`` (a policy value for a unit), ``require_plugin_active``,
  ``local_today``, ``settings_of``, ``Settings``.
- downloads: ``download_route``, ``Download``, ``workbook_response``.
- demo data: ``Progress``, ``demo_account``.

Tests: the ``jiceng`` pytest plugin (``core.testing``) gives migrated databases
on SQLite and PostgreSQL and signed-in clients per role.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.api.context import RequestContext
from core.api.downloads import Download, download_route, workbook_response
from core.api.errors import (
    ErrorDetail,
    PermissionDeniedError,
    UserError,
    UserInputError,
)
from core.api.ids import (
    object_for,
    object_in_scope,
    objects_for,
    optional_object_for,
    resident_pk_for,
)
from core.api.loaders import children, related, rows_of
from core.api.mutations import atomic
from core.api.relay import (
    Connection,
    Node,
    NodeType,
    decode_pk,
    encode_global_id,
    load_by_pk,
    model_type,
    paginate,
)
from core.auth.permissions import (
    Permission,
    can,
    registry_for_context,
    require,
    require_at_root,
    require_signed_in,
    require_somewhere,
    scope_condition,
)
from core.db import Base, utcnow
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.hookspecs import hookimpl
from core.org.models import PATH_LENGTH, OrgUnit
from core.org.schema import OrgUnitType
from core.org.service import in_subtree
from core.people.models import Household, Resident
from core.policy.keys import PolicyKey, ValueType
from core.policy.service import local_today, require_plugin_active, resolve
from core.reporting.obligations import DueRule, ObligationType
from core.settings import Settings, settings_of

# The version of this API: its major number changes only with an incompatible change.
API_VERSION = "1.0"


def audit_subject(
    context: RequestContext,
    object_type: str | None,
    object_id: object | None,
    org_unit_id: int | None = None,
    *,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Name what the running mutation acts on (GraphQL type name, the row's
    key, its org unit and a detail mapping); its audit record says so."""
    context.audit_subject(object_type, object_id, org_unit_id, detail=detail)


__all__ = [
    "API_VERSION",
    "PATH_LENGTH",
    "Base",
    "Connection",
    "Download",
    "DueRule",
    "ErrorDetail",
    "Household",
    "Node",
    "NodeType",
    "ObligationType",
    "OrgUnit",
    "OrgUnitType",
    "Permission",
    "PermissionDeniedError",
    "PolicyKey",
    "Progress",
    "RequestContext",
    "Resident",
    "Settings",
    "UserError",
    "UserInputError",
    "ValueType",
    "atomic",
    "audit_subject",
    "can",
    "children",
    "decode_pk",
    "demo_account",
    "download_route",
    "encode_global_id",
    "hookimpl",
    "in_subtree",
    "load_by_pk",
    "local_today",
    "model_type",
    "object_for",
    "object_in_scope",
    "objects_for",
    "optional_object_for",
    "paginate",
    "registry_for_context",
    "related",
    "require",
    "require_at_root",
    "require_plugin_active",
    "require_signed_in",
    "require_somewhere",
    "resident_pk_for",
    "resolve",
    "rows_of",
    "scope_condition",
    "settings_of",
    "utcnow",
    "workbook_response",
]
