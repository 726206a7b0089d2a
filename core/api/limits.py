"""Validation rules that bound the cost of one GraphQL document.

Both rules measure an operation with its fragments expanded, so that a
fragment spread several times counts each time it is used. Each fragment is
measured once and remembered, which keeps the rules linear in the size of the
document however the fragments nest. Fragment cycles are reported by
graphql-core's ``NoFragmentCyclesRule``; here a spread that would close a
cycle counts as empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

# How one field adds to the measure of the selection set it belongs to,
# given the measure of its own selection set.
_Combine = Callable[[FieldNode, int], int]


class _Measure:
    """A size of selection sets with fragments expanded, memoized per fragment."""

    def __init__(self, context: ValidationContext, per_field: _Combine, *, total: bool) -> None:
        self.fragments = {
            d.name.value: d for d in context.document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.per_field = per_field
        # total=True adds the selections up (a count); False keeps the largest (a depth).
        self.total = total
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def of(self, selection_set: SelectionSetNode | None) -> int:
        if selection_set is None:
            return 0
        result = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                value = self.per_field(selection, self.of(selection.selection_set))
            elif isinstance(selection, InlineFragmentNode):
                value = self.of(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
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
            value = self.of(definition.selection_set)
        finally:
            self.active.discard(name)
        self.memo[name] = value
        return value


def _field_depth(field: FieldNode, below: int) -> int:
    if field.name.value.startswith("__"):
        return 0  # introspection fields do not count towards the depth
    return 1 + below


def _field_aliases(field: FieldNode, below: int) -> int:
    return (1 if field.alias is not None else 0) + below


def max_depth_rule(limit: int) -> type[ValidationRule]:
    class MaxDepthRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.measure = _Measure(context, _field_depth, total=False)

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
            self.measure = _Measure(context, _field_aliases, total=True)

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
