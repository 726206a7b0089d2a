"""Argument-less resolvers are called directly, leaf fields take the lean
executor's one step, and the results are the same as strawberry's own.

These tests are the guard on the strawberry and graphql-core internals that
``core.api.streamline`` relies on: an upgrade that renames or reshapes them
fails here (and not quietly in production)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from core.api.streamline import LEAN_LEAF, LEAN_OBJECT, SHARED_PLANS, LeanExecutor, streamline
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    execute,
    parse,
)


@strawberry.type
class Item:
    name: str

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def owner(self, info: strawberry.Info) -> str:
        return f"{info.context['owner']}:{info.field_name}"

    @strawberry.field
    def rooted(self, root: Item) -> str:
        return f"{root.name}!"

    @strawberry.field
    def rooted_owner(self, root: Item, info: strawberry.Info) -> str:
        return f"{info.context['owner']}:{root.name}"

    @strawberry.field
    def repeat(self, times: int) -> str:
        return self.name * times


@strawberry.type
class Query:
    @strawberry.field
    def item(self) -> Item:
        return Item(name="jiceng")


QUERY = "{ item { name shout owner rooted rootedOwner repeat(times: 2) } }"


def execute_now(schema: GraphQLSchema, document: DocumentNode, **kwargs: Any) -> ExecutionResult:
    result = execute(schema, document, **kwargs)
    assert isinstance(result, ExecutionResult)  # the resolvers are synchronous
    return result


def item_fields(schema: strawberry.Schema) -> dict[str, GraphQLField]:
    item = schema._schema.type_map["Item"]
    assert isinstance(item, GraphQLObjectType)
    return item.fields


def run(schema: strawberry.Schema) -> object:
    result = execute_now(schema._schema, parse(QUERY), context_value={"owner": "网格员"})
    assert not result.errors, result.errors
    return result.data


def test_only_argument_less_resolvers_are_streamlined() -> None:
    plain = strawberry.Schema(query=Query)
    expected = run(plain)
    schema = strawberry.Schema(query=Query)
    before = {name: field.resolve for name, field in item_fields(schema).items()}
    # item, shout, owner, rooted, rootedOwner and the plain attribute name; not repeat (it has an argument).
    assert streamline(schema) == 6
    after = item_fields(schema)
    assert after["shout"].resolve is not before["shout"] and after["owner"].resolve is not before["owner"]
    assert after["name"].resolve is not before["name"]
    assert after["rooted"].resolve is not before["rooted"]
    assert after["rootedOwner"].resolve is not before["rootedOwner"]
    assert after["repeat"].resolve is before["repeat"]
    assert (
        run(schema)
        == expected
        == {
            "item": {
                "name": "jiceng",
                "shout": "JICENG",
                "owner": "网格员:owner",
                "rooted": "jiceng!",
                "rootedOwner": "网格员:jiceng",
                "repeat": "jicengjiceng",
            }
        }
    )


def test_the_strawberry_internals_streamline_reads_are_there() -> None:
    """What streamline reads from strawberry, by name: a rename in an upgrade fails here."""
    schema = strawberry.Schema(query=Query)
    definition = schema.get_type_by_name("Item")
    assert isinstance(definition, StrawberryObjectDefinition)
    fields = {f.python_name: f for f in definition.fields}
    assert isinstance(fields["shout"], StrawberryField)
    assert fields["name"].base_resolver is None and fields["name"].arguments == [] and fields["name"].extensions == []
    resolver = fields["shout"].base_resolver
    assert resolver is not None and resolver.is_async is False
    assert callable(resolver.wrapped_func) and resolver.wrapped_func(Item(name="a")) == "A"
    assert [a.python_name for a in fields["repeat"].arguments] == ["times"]
    assert schema.config.name_converter.get_graphql_name(fields["shout"]) == "shout"
    assert isinstance(schema._schema, GraphQLSchema)


def test_leaf_fields_are_marked_and_the_lean_executor_answers_alike() -> None:
    schema = strawberry.Schema(query=Query)
    streamline(schema)
    fields = item_fields(schema)
    # Leaves without arguments: name (attribute), shout (self only) and rooted (self and root);
    # not owner or rootedOwner (they need info) nor repeat.
    assert {name for name, f in fields.items() if getattr(f, LEAN_LEAF, None)} == {"name", "shout", "rooted"}
    document = parse(QUERY)
    plain = execute_now(strawberry.Schema(query=Query)._schema, document, context_value={"owner": "网格员"})
    lean = execute_now(schema._schema, document, context_value={"owner": "网格员"}, executor_class=LeanExecutor)
    assert lean == plain


@strawberry.type
class Row:
    label: str
    note: str | None

    @strawberry.field
    def broken(self) -> str:
        raise ValueError("坏了")


@dataclass
class RowSource:
    """What ``rows`` resolves to: the second one breaks ``Row.label``'s non-null promise."""

    label: str | None
    note: str | None


@strawberry.type
class RowQuery:
    @strawberry.field(graphql_type=list[Row])
    def rows(self) -> list[RowSource]:
        return [RowSource(label="a", note=None), RowSource(label=None, note="b")]


def test_the_lean_executor_reports_errors_and_nulls_as_graphql_core_does() -> None:
    """A null in a non-null leaf and a raising resolver take the ordinary
    path: the same errors, paths and null propagation."""
    document = parse("{ rows { label note } } ")
    failing = parse("{ rows { label broken } }")
    for query in (document, failing):
        plain = execute_now(strawberry.Schema(query=RowQuery)._schema, query)
        schema = strawberry.Schema(query=RowQuery)
        streamline(schema)
        lean = execute_now(schema._schema, query, executor_class=LeanExecutor)
        assert lean.data == plain.data
        assert [(e.message, e.path) for e in lean.errors or []] == [(e.message, e.path) for e in plain.errors or []]
        assert lean.errors


def test_the_executor_class_streamline_extends_is_graphql_cores_default() -> None:
    """LeanExecutor overrides graphql-core's default executor; if graphql-core
    changes its default or the overridden methods' signatures, this fails."""
    import importlib
    import inspect as std_inspect

    from graphql.execution.incremental.incremental_executor import IncrementalExecutor

    execute_module = importlib.import_module("graphql.execution.execute")
    source = std_inspect.getsource(execute_module)
    assert "executor_class = IncrementalExecutor" in source
    for name in ("execute_fields", "execute_field", "complete_object_value", "complete_iterable_value"):
        ours = list(std_inspect.signature(getattr(LeanExecutor, name)).parameters)
        theirs = list(std_inspect.signature(getattr(IncrementalExecutor, name)).parameters)
        assert ours == theirs, name


# --- plans: objects and lists of objects completed in plain loops -------------------------------


@strawberry.type
class Tag:
    label: str


@strawberry.type
class Leaf:
    name: str
    size: int | None
    tags: list[Tag]

    @strawberry.field
    def loud(self) -> str:
        if self.name == "炸":
            raise ValueError("坏了")
        return self.name.upper()


@strawberry.type
class Branch:
    title: str
    leaves: list[Leaf | None]
    first: Leaf | None
    must: Leaf


@strawberry.type
class TreeQuery:
    @strawberry.field
    def branches(self, broken: bool = False) -> list[Branch]:
        leaf = Leaf(name="炸" if broken else "a", size=None, tags=[Tag(label="x"), Tag(label="y")])
        other = Leaf(name="b", size=2, tags=[])
        return [
            Branch(title="一", leaves=[leaf, None, other], first=None, must=other),
            Branch(title="二", leaves=[], first=other, must=leaf),
        ]


TREE = """query($broken: Boolean!, $withTags: Boolean!) {
  branches(broken: $broken) {
    __typename title
    leaves { name size loud tags @include(if: $withTags) { label } }
    first { name }
    must { loud tags { label } }
  }
}"""
TREE_PLAIN = (
    "query($broken: Boolean!) { branches(broken: $broken) { title leaves { name loud tags { label } } must { loud } } }"
)


def _both(query: str, variables: dict[str, object]) -> tuple[ExecutionResult, ExecutionResult]:
    document = parse(query)
    plain = execute_now(strawberry.Schema(query=TreeQuery)._schema, document, variable_values=variables)
    schema = strawberry.Schema(query=TreeQuery)
    streamline(schema)
    lean = execute_now(schema._schema, document, variable_values=variables, executor_class=LeanExecutor)
    return plain, lean


def _same(plain: ExecutionResult, lean: ExecutionResult) -> None:
    assert lean.data == plain.data
    assert [(e.message, e.path) for e in lean.errors or []] == [(e.message, e.path) for e in plain.errors or []]


def _first_leaf(result: ExecutionResult) -> dict[str, Any]:
    assert result.data is not None
    leaf: dict[str, Any] = result.data["branches"][0]["leaves"][0]
    return leaf


def test_nested_objects_and_lists_are_completed_by_plans_alike() -> None:
    schema = strawberry.Schema(query=TreeQuery)
    streamline(schema)
    branch = schema._schema.type_map["Branch"]
    assert isinstance(branch, GraphQLObjectType)
    fields = branch.fields
    # Objects and lists of objects reached without arguments are marked for plans.
    assert all(getattr(fields[name], LEAN_OBJECT, None) for name in ("leaves", "first", "must"))
    for with_tags in (True, False):
        plain, lean = _both(TREE, {"broken": False, "withTags": with_tags})
        _same(plain, lean)
        assert not lean.errors
    assert lean.data is not None and lean.data["branches"][0]["leaves"][1] is None
    assert "tags" not in _first_leaf(lean)


def test_an_error_inside_a_plan_reads_as_graphql_core_reports_it() -> None:
    for query in (TREE_PLAIN,):
        plain, lean = _both(query, {"broken": True})
        _same(plain, lean)
        assert lean.errors


def test_plans_are_shared_by_requests_of_one_document_only_without_conditions() -> None:
    schema = strawberry.Schema(query=TreeQuery)
    streamline(schema)
    unconditional = parse(TREE_PLAIN)
    conditional = parse(TREE)
    for _ in range(2):
        first = execute_now(
            schema._schema, unconditional, variable_values={"broken": False}, executor_class=LeanExecutor
        )
        assert not first.errors
    operation = unconditional.definitions[0]
    assert operation.__dict__[SHARED_PLANS]  # plans kept for the next request
    results = [
        execute_now(
            schema._schema,
            conditional,
            variable_values={"broken": False, "withTags": with_tags},
            executor_class=LeanExecutor,
        )
        for with_tags in (True, False, True)
    ]
    assert conditional.definitions[0].__dict__[SHARED_PLANS] is False
    assert "tags" in _first_leaf(results[0])
    assert "tags" not in _first_leaf(results[1])
    assert results[2].data == results[0].data
