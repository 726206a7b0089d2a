"""Cheaper calls for resolvers that take no arguments, and a lean path for
leaf fields.

strawberry routes every resolver through its argument conversion and
extension chain, which costs more than the resolver itself for a field like
``Resident.idNumber`` that only masks an attribute — and a page of 20
residents has dozens of them. A resolver with no GraphQL arguments, no field
extensions and a plain ``(self)``, ``(self, info)``, ``(self, root)`` or
``(self, root, info)`` signature gets called
directly instead, with the same ``strawberry.Info``; a field without a
resolver, arguments or extensions reads its attribute directly. Everything
else keeps strawberry's path.

Leaf fields (scalars and enums) of that kind are also marked for
``LeanExecutor``: graphql-core's executor builds a resolve info,
checks for awaitables and completes each field through several calls; for a
marked leaf it reads the value and serializes it in one step (any error or
null in a non-null field goes the ordinary way, so errors read the same).
A page of 20 residents with ten fields has over 200 such fields.

Relies on these strawberry internals (``tests/api/test_streamline.py``
fails if an upgrade changes them): ``Schema._schema``,
``Schema.get_type_by_name``, ``StrawberryObjectDefinition.fields``,
``StrawberryField.base_resolver / arguments / extensions / python_name``,
``StrawberryResolver.wrapped_func / is_async``,
``NameConverter.get_graphql_name`` and ``strawberry.Info(_raw_info, _field)``;
and on graphql-core's ``IncrementalExecutor.execute_field`` (its signature),
which ``LeanExecutor`` overrides.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import strawberry
from graphql.execution.incremental.incremental_executor import IncrementalExecutor
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    Undefined,
)

# On a GraphQLField: (getter(source, parent_type), serialize, non_null).
LEAN_LEAF = "_jiceng_lean_leaf"
LeafGetter = Callable[[Any, GraphQLObjectType], Any]

# Signatures called directly. ``root`` is strawberry's typed name for the
# parent value (the ORM row behind a type), so it receives the source too.
SOURCE_ONLY = {("self",), ("self", "root")}
SOURCE_AND_INFO = {("self", "info"), ("self", "root", "info")}

# Resolvers taking ``info`` that have an equivalent needing only the parent
# type (``core.api.relay.Node.id``), registered by their module.
LEAN_EQUIVALENTS: dict[Callable[..., Any], LeafGetter] = {}


def _plain(field: StrawberryField) -> bool:
    return not field.arguments and not field.extensions


def _direct(field: StrawberryField) -> Callable[[Any, GraphQLResolveInfo], Any] | None:
    resolver = field.base_resolver
    if not _plain(field):
        return None
    if resolver is None:
        getter = attrgetter(field.python_name)
        return lambda source, _info: getter(source)
    if resolver.is_async:
        return None
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]  # strawberry admits static/class method descriptors here; a bound field holds a function
    parameters = tuple(inspect.signature(function).parameters)
    if parameters in SOURCE_ONLY:
        sources = len(parameters)
        if sources == 1:
            return lambda source, _info: function(source)
        return lambda source, _info: function(source, source)
    if parameters in SOURCE_AND_INFO:
        if len(parameters) == 2:
            return lambda source, info: function(source, strawberry.Info(_raw_info=info, _field=field))
        return lambda source, info: function(source, source, strawberry.Info(_raw_info=info, _field=field))
    return None


def _leaf_getter(field: StrawberryField) -> LeafGetter | None:
    if not _plain(field):
        return None
    resolver = field.base_resolver
    if resolver is None:
        getter = attrgetter(field.python_name)
        return lambda source, _parent: getter(source)
    if resolver.is_async:
        return None
    function: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]  # strawberry admits static/class method descriptors here; a bound field holds a function
    if function in LEAN_EQUIVALENTS:
        return LEAN_EQUIVALENTS[function]
    parameters = tuple(inspect.signature(function).parameters)
    if parameters == ("self",):
        return lambda source, _parent: function(source)
    if parameters == ("self", "root"):
        return lambda source, _parent: function(source, source)
    return None


def _mark_leaf(graphql_field: GraphQLField, getter: LeafGetter) -> bool:
    field_type = graphql_field.type
    non_null = isinstance(field_type, GraphQLNonNull)
    named = field_type.of_type if non_null else field_type
    if not isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
        return False
    setattr(graphql_field, LEAN_LEAF, (getter, named.serialize, non_null))
    return True


def streamline(schema: strawberry.Schema) -> int:
    """Call argument-less resolvers directly and mark lean leaves; returns
    how many resolvers were changed."""
    changed = 0
    converter = schema.config.name_converter
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        definition = schema.get_type_by_name(graphql_type.name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            graphql_field = graphql_type.fields.get(converter.get_graphql_name(field))
            if graphql_field is None:
                continue
            direct = _direct(field)
            if direct is not None:
                graphql_field.resolve = direct
                changed += 1
            leaf = _leaf_getter(field)
            if leaf is not None:
                _mark_leaf(graphql_field, leaf)
    return changed


class LeanExecutor(IncrementalExecutor):
    """graphql-core's executor with one step for marked leaf fields
    (``execute(..., executor_class=LeanExecutor)``; graphql-core's default
    executor is ``IncrementalExecutor``)."""

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any = None,
    ) -> Any:
        """An object whose selected fields are all lean leaves (a resident's
        ten scalars) in one loop; any other object the ordinary way."""
        if self.middleware_manager is None:
            fields = parent_type.fields
            # Decide before calling any getter: a leaf whose getter queries
            # (a connection's totalCount) must not run twice when a later
            # field sends the object down the ordinary path.
            leaves = []
            for response_name, field_details_list in grouped_field_set.items():
                field_def = fields.get(field_details_list[0].node.name.value)
                lean = getattr(field_def, LEAN_LEAF, None) if field_def is not None else None
                if lean is None:
                    return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)
                leaves.append((response_name, lean))
            results: dict[str, Any] = {}
            for response_name, lean in leaves:
                getter, serialize, non_null = lean
                try:
                    value = getter(source_value, parent_type)
                except Exception:
                    break
                if value is None:
                    if non_null:
                        break
                    results[response_name] = None
                    continue
                try:
                    serialized = serialize(value)
                except Exception:
                    break
                if serialized is None or serialized is Undefined:
                    break
                results[response_name] = serialized
            else:
                return results
        return super().execute_fields(parent_type, source_value, path, grouped_field_set, position_context)

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any = None,
    ) -> Any:
        field_def = parent_type.fields.get(field_details_list[0].node.name.value)
        lean = getattr(field_def, LEAN_LEAF, None) if field_def is not None else None
        if lean is not None and self.middleware_manager is None:
            getter, serialize, non_null = lean
            try:
                value = getter(source, parent_type)
                if value is None:
                    if not non_null:
                        return None
                else:
                    serialized = serialize(value)
                    if serialized is not None and serialized is not Undefined:
                        return serialized
            except Exception:
                pass
        return super().execute_field(parent_type, source, field_details_list, path, position_context)
