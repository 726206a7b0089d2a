"""Argument-less resolvers are called directly, with the same results."""

from __future__ import annotations

import strawberry
from graphql import execute, parse

from core.api.streamline import streamline


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
    def repeat(self, times: int) -> str:
        return self.name * times


@strawberry.type
class Query:
    @strawberry.field
    def item(self) -> Item:
        return Item(name="jiceng")


QUERY = "{ item { name shout owner repeat(times: 2) } }"


def run(schema: strawberry.Schema) -> object:
    result = execute(schema._schema, parse(QUERY), context_value={"owner": "网格员"})
    assert not result.errors, result.errors  # type: ignore[union-attr]
    return result.data  # type: ignore[union-attr]


def test_only_argument_less_resolvers_are_streamlined() -> None:
    plain = strawberry.Schema(query=Query)
    expected = run(plain)
    schema = strawberry.Schema(query=Query)
    before = {name: field.resolve for name, field in schema._schema.type_map["Item"].fields.items()}
    # item, shout and owner; not repeat (it has an argument) nor name (no resolver).
    assert streamline(schema) == 3
    after = schema._schema.type_map["Item"].fields
    assert after["shout"].resolve is not before["shout"] and after["owner"].resolve is not before["owner"]
    assert after["repeat"].resolve is before["repeat"]
    assert run(schema) == expected == {"item": {"name": "jiceng", "shout": "JICENG", "owner": "网格员:owner", "repeat": "jicengjiceng"}}
