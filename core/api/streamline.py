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
    BREAK,
    DirectiveNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLString,
    Undefined,
    Visitor,
    visit,
)

# On a GraphQLField: (getter(source, parent_type), serialize, non_null).
LEAN_LEAF = "_jiceng_lean_leaf"
# On a GraphQLField of an object or list-of-objects type whose resolver needs no
# arguments and no info: (getter(source, parent_type), non_null, item_non_null),
# item_non_null None for a single object.
LEAN_OBJECT = "_jiceng_lean_object"
# A completion that must go the ordinary way (an error, a null in a non-null field).
_FAILED: Any = object()
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
    function = resolver.wrapped_func
    if not callable(function):  # a classmethod object: strawberry's own path
        return None
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
    function = resolver.wrapped_func
    if not callable(function):
        return None
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
    named = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if not isinstance(named, (GraphQLScalarType, GraphQLEnumType)):
        return False
    setattr(graphql_field, LEAN_LEAF, (getter, named.serialize, non_null))
    return True


def _mark_object(graphql_field: GraphQLField, getter: LeafGetter) -> bool:
    field_type = graphql_field.type
    non_null = isinstance(field_type, GraphQLNonNull)
    inner = field_type.of_type if isinstance(field_type, GraphQLNonNull) else field_type
    if isinstance(inner, GraphQLObjectType):
        setattr(graphql_field, LEAN_OBJECT, (getter, non_null, None))
        return True
    if isinstance(inner, GraphQLList):
        item = inner.of_type
        item_non_null = isinstance(item, GraphQLNonNull)
        if isinstance(item.of_type if item_non_null else item, GraphQLObjectType):
            setattr(graphql_field, LEAN_OBJECT, (getter, non_null, item_non_null))
            return True
    return False


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
            if leaf is not None and not _mark_leaf(graphql_field, leaf):
                _mark_object(graphql_field, leaf)
    return changed


# On an operation's node: the plans of its selections (see ``LeanExecutor._shared_plans``).
SHARED_PLANS = "_jiceng_lean_plans"


def _has_conditional_directives(operation: Any, fragments: Any) -> bool:
    found = False

    class Finder(Visitor):
        def enter_directive(self, node: DirectiveNode, *_args: Any) -> Any:
            nonlocal found
            if node.name.value in ("skip", "include"):
                found = True
                return BREAK
            return None

    for root in (operation, *fragments.values()):
        visit(root, Finder())
        if found:
            return True
    return False


# graphql-core's serializers of String and ID, which return a str unchanged.
_TEXT_SERIALIZERS = (GraphQLString.serialize, GraphQLID.serialize)


# Kinds of a plan's steps.
_LEAF, _OBJECT, _LIST, _TYPENAME = range(4)


class LeanExecutor(IncrementalExecutor):
    """graphql-core's executor with one step for marked leaf fields
    (``execute(..., executor_class=LeanExecutor)``; graphql-core's default
    executor is ``IncrementalExecutor``).

    An object or list of objects whose whole selection is lean — leaves,
    and objects or lists of objects reached without arguments or ``info``
    (a connection's edges, each edge's node, its page info) — is completed by
    a plan built once per selection: plain loops instead of graphql-core's
    resolve info, awaitable checks and per-object field collection. ``is_type_of``
    is still asked of every object (with the info of the field that started
    the plan). Any error or null in a non-null field sends the whole value the
    ordinary way, so errors read the same.
    """

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: Any,
        info: GraphQLResolveInfo,
        path: Any,
        result: Any,
        position_context: Any = None,
    ) -> Any:
        if position_context is None and self.middleware_manager is None:
            plan = self._plan(return_type, field_details_list)
            if plan is not None:
                completed = self._complete(plan, result, info)
                if completed is not _FAILED:
                    return completed
        return super().complete_object_value(return_type, field_details_list, info, path, result, position_context)

    def complete_iterable_value(
        self,
        item_type: Any,
        field_details_list: Any,
        info: GraphQLResolveInfo,
        path: Any,
        items: Any,
        position_context: Any = None,
    ) -> Any:
        if position_context is None and self.middleware_manager is None:
            item_non_null = isinstance(item_type, GraphQLNonNull)
            object_type = item_type.of_type if item_non_null else item_type
            if isinstance(object_type, GraphQLObjectType) and self.get_stream_usage(field_details_list, path) is None:
                plan = self._plan(object_type, field_details_list)
                if plan is not None:
                    if not isinstance(items, (list, tuple)):
                        items = list(items)
                    completed = self._complete_items(plan, items, item_non_null, info)
                    if completed is not _FAILED:
                        return completed
        return super().complete_iterable_value(item_type, field_details_list, info, path, items, position_context)

    def _plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> Any:
        """The plan for completing ``object_type`` with these fields, or None
        where a selected field needs the ordinary path (arguments, info, an
        abstract type, ``@defer`` or ``@stream``). Memoized like graphql-core's
        ``collect_subfields``: on the identity of the field list, kept alive."""
        plans: dict[tuple[GraphQLObjectType, int], tuple[Any, Any]] = self.__dict__.setdefault("_lean_plans", {})
        key = (object_type, id(field_details_list))
        found = plans.get(key)
        if found is not None:
            return found[1]
        shared = self._shared_plans()
        if shared is None:
            plan = self._build_plan(object_type, field_details_list)
        else:
            # The same document's next request: the field nodes are the same objects.
            node_key = (object_type, tuple(id(details.node) for details in field_details_list))
            plan = shared.get(node_key, _FAILED)
            if plan is _FAILED:
                plan = shared[node_key] = self._build_plan(object_type, field_details_list)
        plans[key] = (field_details_list, plan)
        return plan

    def _shared_plans(self) -> dict[tuple[GraphQLObjectType, tuple[int, ...]], Any] | None:
        """Plans kept on the operation's node for later requests of the same
        (cached) document, keyed by the field nodes' identities, which the
        node keeps alive; None where ``@skip``/``@include`` make the
        selection depend on the variables."""
        operation = self.operation
        found: dict[tuple[GraphQLObjectType, tuple[int, ...]], Any] | bool | None = operation.__dict__.get(SHARED_PLANS)
        if found is None:
            found = {} if not _has_conditional_directives(operation, self.fragments) else False
            operation.__dict__[SHARED_PLANS] = found
        return found if isinstance(found, dict) else None

    def _build_plan(self, object_type: GraphQLObjectType, field_details_list: Any) -> Any:
        grouped_field_set, new_defer_usages, _forbidden = self.collect_subfields(object_type, field_details_list)
        if new_defer_usages:
            return None
        fields = object_type.fields
        steps: list[tuple[Any, ...]] = []
        for response_name, details in grouped_field_set.items():
            name = details[0].node.name.value
            if name == "__typename":
                steps.append((response_name, _TYPENAME, object_type.name, None, False, None))
                continue
            field_def = fields.get(name)
            if field_def is None:
                return None
            lean = getattr(field_def, LEAN_LEAF, None)
            if lean is not None:
                getter, serialize, non_null = lean
                # String and ID serialize a str as itself: no call for it (None).
                text = serialize in _TEXT_SERIALIZERS
                steps.append((response_name, _LEAF, getter, None if text else serialize, non_null, serialize))
                continue
            nested = getattr(field_def, LEAN_OBJECT, None)
            if nested is None or any(
                directive.name.value == "stream" for detail in details for directive in detail.node.directives or ()
            ):
                return None
            getter, non_null, item_non_null = nested
            inner = field_def.type.of_type if non_null else field_def.type
            if item_non_null is None:
                kind, sub_type = _OBJECT, inner
            else:
                kind, sub_type = _LIST, inner.of_type.of_type if item_non_null else inner.of_type
            sub_plan = self._plan(sub_type, details)
            if sub_plan is None:
                return None
            steps.append((response_name, kind, getter, sub_plan, non_null, item_non_null))
        return object_type, steps

    def _complete(self, plan: Any, source: Any, info: GraphQLResolveInfo) -> Any:
        object_type, steps = plan
        is_type_of = object_type.is_type_of
        if is_type_of is not None and is_type_of(source, info) is not True:
            return _FAILED
        results: dict[str, Any] = {}
        # A leaf's step: (name, _LEAF, getter, serialize or None for text, non_null, serialize).
        for response_name, kind, first, second, non_null, last in steps:
            if kind == _TYPENAME:
                results[response_name] = first
                continue
            try:
                value = first(source, object_type)
            except Exception:
                return _FAILED
            if value is None:
                if non_null:
                    return _FAILED
                results[response_name] = None
                continue
            if kind == _LEAF:
                if second is None and type(value) is str:
                    completed = value
                else:
                    try:
                        completed = last(value)
                    except Exception:
                        return _FAILED
                    if completed is None or completed is Undefined:
                        return _FAILED
            elif kind == _OBJECT:
                completed = self._complete(second, value, info)
            else:
                completed = self._complete_items(second, value, last, info)
            if completed is _FAILED:
                return _FAILED
            results[response_name] = completed
        return results

    def _complete_items(self, plan: Any, items: Any, item_non_null: bool, info: GraphQLResolveInfo) -> Any:
        if not isinstance(items, (list, tuple)):
            return _FAILED
        completed: list[Any] = []
        for item in items:
            if item is None:
                if item_non_null:
                    return _FAILED
                completed.append(None)
                continue
            value = self._complete(plan, item, info)
            if value is _FAILED:
                return _FAILED
            completed.append(value)
        return completed

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
