"""Plugin queries refuse where the plugin is not active, as its mutations do.

Which plugins are in use is locality policy (``plugin.<name>.active``, a
subtree at a time). Mutations check it where they act; for queries the
schema does it once for every plugin: a root query field contributed by a
plugin whose arguments name an org unit (any ID argument holding an
``OrgUnit`` global ID, such as ``orgUnitId`` or ``under``) answers
``PLUGIN_NOT_ACTIVE`` for a unit outside the plugin's active subtrees,
before the plugin's resolver runs. Called without a unit (a list over the
caller's scope), it answers ``PLUGIN_NOT_ACTIVE`` when the plugin is active
at none of the units where the caller holds a role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from core.api.errors import UserInputError
from core.api.relay import decode_global_id, parse_pk
from graphql import GraphQLField, GraphQLID, GraphQLNonNull, GraphQLSchema

ORG_UNIT_TYPE = "OrgUnit"


def _unit_arguments(field: GraphQLField) -> tuple[str, ...]:
    names = []
    for name, argument in field.args.items():
        kind = argument.type.of_type if isinstance(argument.type, GraphQLNonNull) else argument.type
        if kind is GraphQLID:
            names.append(name)
    return tuple(names)


def _unit_pk(value: Any) -> int | None:
    """The org unit a global ID names; None for another type or a malformed
    ID (the resolver reports those with its own field)."""
    if not isinstance(value, str):
        return None
    try:
        type_name, pk = decode_global_id(value)
    except UserInputError:
        return None
    return parse_pk(pk) if type_name == ORG_UNIT_TYPE else None


def check_units_active(context: Any, plugin: str, arguments: Mapping[str, Any], names: Iterable[str]) -> None:
    """Raise ``PluginNotActiveError`` for the first argument naming a unit
    where ``plugin`` is not active."""
    from core.org.models import OrgUnit
    from core.policy.service import require_plugin_active

    for name in names:
        pk = _unit_pk(arguments.get(name))
        if pk is None:
            continue
        unit = context.session.get(OrgUnit, pk)
        if unit is not None:
            require_plugin_active(context, unit, plugin, field=name)


def check_scope_active(context: Any, plugin: str) -> None:
    """Raise ``PluginNotActiveError`` when the signed-in caller holds roles
    only at units where ``plugin`` is not active (nobody signed in: the
    resolver's own sign-in check answers)."""
    from core.auth.permissions import principal_of
    from core.org.models import OrgUnit
    from core.policy.service import PluginNotActiveError, require_plugin_active

    principal = principal_of(context)
    unit_ids = sorted({grant.org_unit_id for grant in principal.grants}) if principal is not None else []
    refusal: PluginNotActiveError | None = None
    for unit_id in unit_ids:
        unit = context.session.get(OrgUnit, unit_id)
        if unit is None:
            continue
        try:
            require_plugin_active(context, unit, plugin, field=None)
        except PluginNotActiveError as error:
            refusal = refusal or error
            continue
        return
    if refusal is not None:
        raise refusal


def _guarded(resolve: Callable[..., Any], plugin: str, names: tuple[str, ...]) -> Callable[..., Any]:
    def guarded(source: Any, info: Any, **arguments: Any) -> Any:
        if any(_unit_pk(arguments.get(name)) is not None for name in names):
            check_units_active(info.context, plugin, arguments, names)
        else:
            check_scope_active(info.context, plugin)
        return resolve(source, info, **arguments)

    return guarded


def guard_plugin_queries(schema: GraphQLSchema, fields_by_plugin: Mapping[str, Iterable[str]]) -> int:
    """Wrap every root query field each plugin contributed (GraphQL names);
    returns how many fields were guarded."""
    query = schema.query_type
    if query is None:
        return 0
    guarded = 0
    for plugin, names in fields_by_plugin.items():
        for name in names:
            field = query.fields.get(name)
            if field is None or field.resolve is None:
                continue
            field.resolve = _guarded(field.resolve, plugin, _unit_arguments(field))
            guarded += 1
    return guarded
