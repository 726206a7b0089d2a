"""Breaking changes between two versions of the GraphQL schema, allowing
only what was deprecated first.

Frontends generate code from ``graphql/schema.graphql``; a field, argument or
enum value they use may disappear only after a release that marked it
``@deprecated``, and a type only once everything that used it was. The last
release's SDL is kept in ``graphql/released.graphql`` (replaced at each
release) and the test suite compares the current schema with it.
"""

from __future__ import annotations

import re

from graphql import (
    BreakingChangeType,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    get_named_type,
)

_FIELD = re.compile(r"^Field (\w+)\.(\w+) was removed\.$")
_ARGUMENT = re.compile(r"^Argument (\w+)\.(\w+)\((\w+):\) was removed\.$")
_ENUM_VALUE = re.compile(r"^Enum value (\w+)\.(\w+) was removed\.$")
_TYPE = re.compile(r"^(\w+) was removed\.$")


def _field_deprecated(schema: GraphQLSchema, type_name: str, field_name: str) -> bool:
    found = schema.type_map.get(type_name)
    if isinstance(found, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
        field = found.fields.get(field_name)
        return field is not None and bool(field.deprecation_reason)
    return False


def _argument_deprecated(schema: GraphQLSchema, type_name: str, field_name: str, argument: str) -> bool:
    found = schema.type_map.get(type_name)
    if not isinstance(found, (GraphQLObjectType, GraphQLInterfaceType)):
        return False
    field = found.fields.get(field_name)
    if field is None:
        return False
    # An argument of a deprecated field goes with the field.
    return bool(field.deprecation_reason) or bool(getattr(field.args.get(argument), "deprecation_reason", None))


def _enum_value_deprecated(schema: GraphQLSchema, enum_name: str, value: str) -> bool:
    found = schema.type_map.get(enum_name)
    return isinstance(found, GraphQLEnumType) and value in found.values and bool(found.values[value].deprecation_reason)


def _only_deprecated_uses(schema: GraphQLSchema, type_name: str) -> bool:
    """Every field, argument and input field of ``schema`` that names the
    type is deprecated (so no client can still rely on the type)."""
    for holder in schema.type_map.values():
        if holder.name.startswith("__") or not isinstance(
            holder, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)
        ):
            continue
        for field in holder.fields.values():
            field_deprecated = bool(field.deprecation_reason)
            if get_named_type(field.type).name == type_name and not field_deprecated:
                return False
            for argument in getattr(field, "args", {}).values():
                if get_named_type(argument.type).name == type_name and not (
                    field_deprecated or argument.deprecation_reason
                ):
                    return False
    return True


def _allowed(old: GraphQLSchema, change_type: BreakingChangeType, description: str) -> bool:
    if change_type == BreakingChangeType.FIELD_REMOVED and (match := _FIELD.match(description)):
        return _field_deprecated(old, *match.groups())
    if change_type == BreakingChangeType.ARG_REMOVED and (match := _ARGUMENT.match(description)):
        return _argument_deprecated(old, *match.groups())
    if change_type == BreakingChangeType.VALUE_REMOVED_FROM_ENUM and (match := _ENUM_VALUE.match(description)):
        return _enum_value_deprecated(old, *match.groups())
    if change_type == BreakingChangeType.TYPE_REMOVED and (match := _TYPE.match(description)):
        return _only_deprecated_uses(old, match.group(1))
    return False


def breaking_changes(old_sdl: str, new_sdl: str) -> list[str]:
    """The breaking changes from ``old_sdl`` to ``new_sdl`` that were not
    announced by a deprecation in ``old_sdl``, as readable lines."""
    old = build_schema(old_sdl)
    new = build_schema(new_sdl)
    return [
        f"{change.type.name}: {change.description}"
        for change in find_breaking_changes(old, new)
        if not _allowed(old, change.type, change.description)
    ]
