"""Limits that bound the cost of one GraphQL document.

Every measure here walks an operation with its fragments expanded, so that
a fragment spread several times counts each time it is used. Each fragment
is measured once and remembered, which keeps the walk linear in the size of
the document however the fragments nest. Fragment cycles are reported by
graphql-core's ``NoFragmentCyclesRule``; here a spread that would close a
cycle counts as empty.

Depth and aliases are validation rules (cached with the document). The cost
(``query_cost``) depends on the page sizes a request's variables choose, so
it is measured after the variables are coerced, still before execution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    is_composite_type,
)

# How one field adds to the measure of the selection set it belongs to,
# given the type it is selected on (None when the measure ignores types)
# and the measure of its own selection set.
_Combine = Callable[[FieldNode, GraphQLNamedType | None, int], int]


class _Measure:
    """A size of selection sets with fragments expanded, memoized per fragment.

    With a ``schema`` the walk also follows the type each selection set is
    selected on, for measures that depend on field types (the cost)."""

    def __init__(
        self,
        document: DocumentNode,
        per_field: _Combine,
        *,
        total: bool,
        schema: GraphQLSchema | None = None,
    ) -> None:
        self.fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        self.per_field = per_field
        # total=True adds the selections up (a count); False keeps the largest (a depth).
        self.total = total
        self.schema = schema
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def of(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType | None = None) -> int:
        if selection_set is None:
            return 0
        result = 0
        # Like execution, a fragment spread twice in one selection set is collected once.
        spread: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                below = self.of(selection.selection_set, self._field_type(parent, selection))
                value = self.per_field(selection, parent, below)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                value = self.of(selection.selection_set, self._named(condition.name.value) if condition else parent)
            elif isinstance(selection, FragmentSpreadNode):
                if selection.name.value in spread:
                    continue
                spread.add(selection.name.value)
                value = self.fragment(selection.name.value)
            else:  # pragma: no cover - no other selection kinds exist
                continue
            result = result + value if self.total else max(result, value)
        return result

    def fragment(self, name: str) -> int:
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.active:
            return 0  # unknown fragments and cycles are reported by other rules
        self.active.add(name)
        try:
            value = self.of(definition.selection_set, self._named(definition.type_condition.name.value))
        finally:
            self.active.discard(name)
        self.memo[name] = value
        return value

    def _named(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name) if self.schema is not None else None

    @staticmethod
    def _field_type(parent: GraphQLNamedType | None, field: FieldNode) -> GraphQLNamedType | None:
        definition = _field_definition(parent, field)
        return get_named_type(definition) if definition is not None else None


def _field_definition(parent: GraphQLNamedType | None, field: FieldNode) -> GraphQLOutputType | None:
    """The type ``field`` returns on ``parent``, or None (unknown, or no types)."""
    if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
        return None
    definition = parent.fields.get(field.name.value)
    return definition.type if definition is not None else None


def _field_depth(field: FieldNode, _parent: GraphQLNamedType | None, below: int) -> int:
    if field.name.value.startswith("__"):
        return 0  # introspection fields do not count towards the depth
    return 1 + below


def _field_aliases(field: FieldNode, _parent: GraphQLNamedType | None, below: int) -> int:
    return (1 if field.alias is not None else 0) + below


def max_depth_rule(limit: int) -> type[ValidationRule]:
    class MaxDepthRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.measure = _Measure(context.document, _field_depth, total=False)

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            depth = self.measure.of(node.selection_set)
            if depth > limit:
                self.context.report_error(
                    GraphQLError(
                        f"查询嵌套深度 {depth} 超过上限 {limit}。",
                        node,
                        extensions={"code": "QUERY_TOO_DEEP"},
                    )
                )

    return MaxDepthRule


def max_aliases_rule(limit: int) -> type[ValidationRule]:
    class MaxAliasesRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.measure = _Measure(context.document, _field_aliases, total=True)

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            count = self.measure.of(node.selection_set)
            if count > limit:
                self.context.report_error(
                    GraphQLError(
                        f"别名数量 {count} 超过上限 {limit}（片段按每次使用计）。",
                        node,
                        extensions={"code": "TOO_MANY_ALIASES"},
                    )
                )

    return MaxAliasesRule


# --- cost -----------------------------------------------------------------------------

# Arguments that choose how many items a paged list returns.
PAGE_ARGUMENTS = ("last", "first")


class _CostOfField:
    """Cost of one field: 1, plus its selection set once per item it may return.

    A field taking ``first``/``last`` returns that many items (the default
    page size when neither is given, never more than the largest page
    size); the lists inside such a page (``edges``, ``nodes``) are that
    page and count once. Any other list of objects counts as a full default
    page. Introspection fields are free: the schema is public in
    development and introspection is refused in production.
    """

    def __init__(self, variables: Mapping[str, Any], default_page_size: int, max_page_size: int) -> None:
        self.variables = variables
        self.default_page_size = default_page_size
        self.max_page_size = max_page_size

    def __call__(self, field: FieldNode, parent: GraphQLNamedType | None, below: int) -> int:
        if field.name.value.startswith("__"):
            return 0
        return 1 + self.items(field, parent) * below

    def items(self, field: FieldNode, parent: GraphQLNamedType | None) -> int:
        if not isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            return 1
        definition = parent.fields.get(field.name.value)
        if definition is None:
            return 1
        if any(name in definition.args for name in PAGE_ARGUMENTS):
            return self.page_size(field)
        if _is_list_of_objects(definition.type) and "pageInfo" not in parent.fields:
            return self.default_page_size
        return 1

    def page_size(self, field: FieldNode) -> int:
        given = {
            argument.name.value: self.value(argument.value)
            for argument in field.arguments or ()
            if argument.name.value in PAGE_ARGUMENTS
        }
        for name in PAGE_ARGUMENTS:
            size = given.get(name)
            if isinstance(size, int) and not isinstance(size, bool):
                return max(0, min(size, self.max_page_size))
        return self.default_page_size

    def value(self, node: Any) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return None


def _is_list_of_objects(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(inner, GraphQLList) and is_composite_type(get_named_type(inner))


class ReadRecorder(Mapping[str, Any]):
    """Variables that note which of them were read (by ``query_cost``)."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any],
    *,
    default_page_size: int,
    max_page_size: int,
) -> int:
    """An upper bound of the fields ``operation`` resolves: each field counts
    1, times the items of every list above it (see ``_CostOfField``).
    ``variables`` are the coerced values of the operation's variables."""
    root = schema.get_root_type(operation.operation)
    per_field = _CostOfField(variables, default_page_size, max_page_size)
    return _Measure(document, per_field, total=True, schema=schema).of(operation.selection_set, root)


def cost_error(cost: int, limit: int) -> GraphQLError:
    """The refusal of an operation whose cost is above ``limit``."""
    return GraphQLError(
        f"查询成本 {cost} 超过上限 {limit}：请减少每页数量、嵌套的列表或别名，分多次查询。",
        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": limit},
    )
