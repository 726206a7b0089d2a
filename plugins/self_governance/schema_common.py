"""What the plugin's GraphQL modules share: loading records within scope,
reading input IDs through the scope-checked helpers, the caller's user."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, or_, select

from core.api.context import RequestContext
from core.api.ids import NAME_RESIDENT, object_in_scope
from core.api.relay import MAX_INTEGER_PK, Connection, NodeLoader, decode_pk, paginate
from core.auth.permissions import (
    principal_of,
    require,
    require_somewhere,
    scope_condition,
)
from core.org import service as org_service
from core.org.models import OrgUnit
from core.people.models import Resident
from plugins.self_governance.common import active_community


def visible(context: RequestContext, path: Any, permissions: Sequence[str]) -> ColumnElement[bool]:
    return or_(*(scope_condition(context, code, path) for code in permissions))


def page_under(
    context: RequestContext,
    under: str,
    model: Any,
    view_permission: str,
    permissions: Sequence[str],
    order: tuple[Any, ...],
    *,
    first: int | None,
    after: str | None,
    descending: bool = False,
) -> Connection[Any]:
    """A page of ``model``'s rows in the subtree of the unit ``under`` names,
    those the caller may see with one of ``permissions``."""
    require_somewhere(context, view_permission)
    root = org_service.get_unit(context.session, decode_pk(under, "OrgUnit", field="under"), field="under")
    statement = select(model).where(
        org_service.in_subtree(model.org_path, root.path), visible(context, model.org_path, permissions)
    )
    return paginate(context, statement, order, first=first, after=after, descending=descending)


def loader(model: Any, permissions: Sequence[str]) -> NodeLoader:
    """Rows of ``model`` the caller may see with one of ``permissions``."""

    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
        if not wanted:
            return {}
        rows = context.session.scalars(
            select(model).where(model.id.in_(wanted), visible(context, model.org_path, permissions))
        )
        return {row.id: row for row in rows}

    return load


def community_input(
    context: RequestContext, global_id: str, permission: str, *, field: str = "orgUnitId", below: bool = False
) -> tuple[OrgUnit, OrgUnit]:
    """(the unit named, its community), checked: the caller holds ``permission``
    there and the plugin is active. Org units are public, so their IDs decode directly."""
    unit = org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)
    require(context, permission, unit)
    return unit, active_community(context, unit, field=field, below=below)


def resident_input(context: RequestContext, global_id: str, permission: str, *, field: str) -> Resident:
    """The resident an input names, registered where the caller may name them."""
    return object_in_scope(
        context, global_id, Resident, "Resident", (NAME_RESIDENT, permission), field=field, what="居民"
    )


def user_id(context: RequestContext) -> int | None:
    principal = principal_of(context)
    return principal.user_id if principal is not None else None
