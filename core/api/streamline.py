"""Cheaper calls for resolvers that take no arguments.

strawberry routes every resolver through its argument conversion and
extension chain, which costs more than the resolver itself for a field like
``Resident.idNumber`` that only masks an attribute — and a page of 20
residents has dozens of them. A resolver with no GraphQL arguments, no field
extensions and a plain ``(self)`` or ``(self, info)`` signature gets called
directly instead, with the same ``strawberry.Info``; everything else keeps
strawberry's path.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField


def _direct(field: StrawberryField) -> Callable[[Any, GraphQLResolveInfo], Any] | None:
    resolver = field.base_resolver
    if resolver is None or field.arguments or field.extensions or resolver.is_async:
        return None
    function = resolver.wrapped_func
    parameters = list(inspect.signature(function).parameters)
    if parameters == ["self"]:
        return lambda source, _info: function(source)
    if parameters == ["self", "info"]:
        return lambda source, info: function(source, strawberry.Info(_raw_info=info, _field=field))
    return None


def streamline(schema: strawberry.Schema) -> int:
    """Call argument-less resolvers directly; returns how many were changed."""
    changed = 0
    converter = schema.config.name_converter
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        definition = schema.get_type_by_name(graphql_type.name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            direct = _direct(field)
            graphql_field = graphql_type.fields.get(converter.get_graphql_name(field))
            if direct is not None and graphql_field is not None:
                graphql_field.resolve = direct
                changed += 1
    return changed
