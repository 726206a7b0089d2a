"""Object IDs named by a mutation's input, checked against the caller's scope.

Every ID an input names goes through ``object_for`` (or ``objects_for``,
``optional_object_for``) before anything is read or written. One lookup
does three things, in this order:

1. decode the global ID and check its type (``INVALID_ID`` otherwise);
2. load the row through the type's ``node(id:)`` loader (``NodeType``), which
   returns only what the caller may see;
3. check that the caller holds the permission the operation needs at every
   unit the record belongs to (``NodeType.scope_paths``).

A record that does not exist and a record the caller may not see give the
same answer, ``NOT_FOUND`` with the same message on the same field, so an ID
from another street reveals nothing (not even that it exists). A record the
caller may see but not change (a community's worker and the street's body)
is ``FORBIDDEN``: its existence is no secret to them.

Types reachable by input IDs must be registered with ``register_node_types``;
an unregistered type is a programming error, refused loudly rather than
read unchecked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from core.api.errors import NotFoundError, PermissionDeniedError
from core.api.relay import NodeType, integer_bound
from core.api.relay import decode_pk_for_scope_check as decode_pk
from core.db import id_column

if TYPE_CHECKING:
    from core.api.context import RequestContext

# One message for "no such record" and "not yours to see".
NOT_FOUND_WHAT = "该记录"


class UnregisteredNodeType(RuntimeError):
    """An input names a type no ``register_node_types`` hook declared."""


def _node_type(context: RequestContext, type_name: str) -> NodeType:
    found = context.registry.node_types.get(type_name)
    if found is None:
        raise UnregisteredNodeType(
            f"input IDs of type {type_name!r} need a NodeType registered via register_node_types"
        )
    return found


def _signed_in(context: RequestContext) -> None:
    """Not signed in: UNAUTHENTICATED whatever the ID, which tells nothing
    about it."""
    from core.auth.permissions import require_signed_in

    require_signed_in(context)


def not_found(field: str | None, what: str = NOT_FOUND_WHAT) -> NotFoundError:
    """The one refusal for an unknown or out-of-scope ID."""
    return NotFoundError(what, field)


def _check(
    context: RequestContext, node_type: NodeType, row: Any, permission: str | None, field: str | None, what: str
) -> None:
    if permission is None:
        return
    from core.auth.permissions import principal_of, registry_for_context

    principal = principal_of(context)
    if principal is None:
        raise not_found(field, what)
    paths = node_type.paths_of(row)
    missing = [path for path in paths if not principal.reaches(permission, path)]
    if not missing:
        return
    registry = registry_for_context(context)
    what = f"“{registry.description(permission)}”（{permission}）"
    raise PermissionDeniedError(f"无权执行此操作：您在该记录所属单位没有{what}权限。")


def object_for(
    context: RequestContext,
    global_id: str,
    type_name: str,
    permission: str | None,
    *,
    field: str | None,
    lock: bool = False,
    what: str = NOT_FOUND_WHAT,
) -> Any:
    """The row ``global_id`` names, if the caller may see it and holds
    ``permission`` wherever it belongs (``permission=None``: seeing it is
    enough). ``lock`` re-reads the row ``FOR UPDATE`` (before the scope
    check) for a change that depends on its current state. ``what`` names
    the kind of record in the refusal (Chinese)."""
    node_type = _node_type(context, type_name)
    pk = decode_pk(global_id, type_name, field=field or "id")
    _signed_in(context)
    row = node_type.load(context, [pk]).get(pk)
    if row is None:
        raise not_found(field, what)
    if lock:
        row = context.session.get(type(row), pk, with_for_update=True, populate_existing=True)
        if row is None:
            raise not_found(field, what)
    _check(context, node_type, row, permission, field, what)
    return row


def optional_object_for(
    context: RequestContext,
    global_id: str | None,
    type_name: str,
    permission: str | None,
    *,
    field: str | None,
    lock: bool = False,
    what: str = NOT_FOUND_WHAT,
) -> Any | None:
    """``object_for``, or None when the input leaves the ID out."""
    if global_id is None:
        return None
    return object_for(context, global_id, type_name, permission, field=field, lock=lock, what=what)


def objects_for(
    context: RequestContext,
    global_ids: Sequence[str],
    type_name: str,
    permission: str | None,
    *,
    field: str,
    what: str = NOT_FOUND_WHAT,
) -> list[Any]:
    """The rows a list of IDs names, in order, loaded in one query; the
    first unknown or out-of-scope one refuses the whole input
    (``field.N``), never silently dropped."""
    node_type = _node_type(context, type_name)
    pks = [decode_pk(g, type_name, field=f"{field}.{i}") for i, g in enumerate(global_ids)]
    if pks:
        _signed_in(context)
    found = node_type.load(context, pks) if pks else {}
    rows = []
    for i, pk in enumerate(pks):
        row = found.get(pk)
        if row is None:
            raise not_found(f"{field}.{i}", what)
        _check(context, node_type, row, permission, f"{field}.{i}", what)
        rows.append(row)
    return rows


# Naming a registered resident in a record (a dispute party, an appellant, a
# post holder, a handover recipient) needs, where the resident is registered,
# ``people.view`` or the permission of the operation itself (a posts officer
# names the holders of posts in their own street without reading the
# registry). A resident registered elsewhere cannot be named; a dispute party
# or appellant from another street is entered as an outside person, whose
# details the record itself holds.
NAME_RESIDENT = "people.view"


def resident_pk_for(
    context: RequestContext, global_id: str | None, *, field: str, permission: str | None = None
) -> int | None:
    """The key of the resident ``global_id`` names, if the resident is
    registered where the caller holds ``NAME_RESIDENT`` or ``permission``;
    None when the input leaves it out. Otherwise the same ``NOT_FOUND`` as
    for a resident that does not exist."""
    if global_id is None:
        return None
    from core.people.models import Resident

    wanted = (NAME_RESIDENT,) if permission is None else (NAME_RESIDENT, permission)
    return object_in_scope(context, global_id, Resident, "Resident", wanted, field=field, what="居民").id


def object_in_scope(
    context: RequestContext,
    global_id: str,
    model: type,
    type_name: str,
    permissions: Sequence[str],
    *,
    field: str,
    what: str = NOT_FOUND_WHAT,
) -> Any:
    """The row of ``model`` that ``global_id`` names, if it lies where the
    caller holds one of ``permissions`` (at every unit it belongs to),
    whether or not the caller may read it otherwise: a record named by an
    operation's own permission (a post holder named by a posts officer, the
    departing holder of an audit). Anything else is ``NOT_FOUND``."""
    from core.auth.permissions import principal_of

    node_type = _node_type(context, type_name)
    pk = decode_pk(global_id, type_name, field=field)
    _signed_in(context)
    row = context.session.get(model, pk) if 0 <= pk <= integer_bound(id_column(model).type) else None
    principal = principal_of(context)
    if row is None or principal is None:
        raise not_found(field, what)
    paths = node_type.paths_of(row)
    if not any(all(principal.reaches(code, path) for path in paths) for code in permissions):
        raise not_found(field, what)
    return row
