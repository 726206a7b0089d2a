"""Assembles one strawberry schema from core and the enabled plugins.

The root types only merge what the ``register_query_fields`` and
``register_mutation_fields`` hooks return; no domain code lives here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition

from core.api.activation import guard_plugin_queries
from core.api.errors import UserInputError
from core.api.relay import (
    MAX_BIG_INTEGER_PK,
    Node,
    NodeType,
    decode_global_id,
    parse_pk,
)
from core.api.scalars import SCALAR_MAP
from core.api.streamline import streamline
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost
from graphql import GraphQLSchema

if TYPE_CHECKING:
    from core.api.context import RequestContext


@dataclass
class ApiRegistry:
    """What the schema knows at run time: how to load each node type."""

    node_types: dict[str, NodeType] = field(default_factory=dict)

    def load_nodes(self, context: RequestContext, global_ids: Sequence[str]) -> list[object | None]:
        wanted: dict[str, list[int]] = {}
        keys: list[tuple[str, int] | None] = []
        for gid in global_ids:
            try:
                type_name, pk = decode_global_id(gid)
            except UserInputError:
                keys.append(None)
                continue
            # Each type's loader narrows the range to its own key column.
            value = parse_pk(pk, max_pk=MAX_BIG_INTEGER_PK)
            if type_name not in self.node_types or value is None:
                keys.append(None)
                continue
            wanted.setdefault(type_name, []).append(value)
            keys.append((type_name, value))
        found = {type_name: self.node_types[type_name].load(context, pks) for type_name, pks in wanted.items()}
        return [found[key[0]].get(key[1]) if key else None for key in keys]


@strawberry.type
class NodeQuery:
    @strawberry.field(description="按全局 ID 获取任意对象；不存在或无权访问时为 null。")
    def node(self, info: strawberry.Info, id: strawberry.ID) -> Node | None:
        return info.context.registry.load_nodes(info.context, [id])[0]

    @strawberry.field(description="按全局 ID 批量获取对象，顺序与输入一致。")
    def nodes(self, info: strawberry.Info, ids: list[strawberry.ID]) -> list[Node | None]:
        return info.context.registry.load_nodes(info.context, ids)


class SchemaAssemblyError(RuntimeError):
    """Two contributions clash; the message names the field."""


def _merge(name: str, classes: Sequence[type]) -> type:
    names = Counter(f.name for f in chain.from_iterable(get_object_definition(c, strict=True).fields for c in classes))
    clashes = sorted(n for n, count in names.items() if count > 1)
    if clashes:
        raise SchemaAssemblyError(f"{name} fields defined more than once: {', '.join(clashes)}")
    return strawberry.type(type(name, tuple(classes), {}))


@dataclass
class AssembledSchema:
    strawberry_schema: strawberry.Schema
    registry: ApiRegistry

    @property
    def graphql_schema(self) -> GraphQLSchema:
        return self.strawberry_schema._schema

    def as_sdl(self) -> str:
        return self.strawberry_schema.as_str() + "\n"


def _query_fields_by_plugin(host: PluginHost, schema: strawberry.Schema) -> dict[str, list[str]]:
    """The GraphQL names of the root query fields each (non-core) plugin contributed."""
    converter = schema.config.name_converter
    found: dict[str, list[str]] = {}
    for impl in host.hook.register_query_fields.get_hookimpls():
        if impl.plugin_name in CORE_PLUGIN_MODULES:
            continue
        for cls in impl.function() or []:
            definition = cls.__strawberry_definition__
            found.setdefault(impl.plugin_name, []).extend(converter.get_graphql_name(f) for f in definition.fields)
    return found


class RememberingNameConverter(NameConverter):
    """strawberry converts each argument's Python name to its GraphQL name on
    every call of a resolver; the names never change, so each is converted once."""

    def __init__(self, auto_camel_case: bool = True) -> None:
        super().__init__(auto_camel_case)
        self._names: dict[str, str] = {}

    def apply_naming_config(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            found = self._names[name] = super().apply_naming_config(name)
        return found


def build_schema(host: PluginHost) -> AssembledSchema:
    query_classes = [NodeQuery, *host.collect("register_query_fields")]
    mutation_classes = host.collect("register_mutation_fields")
    registry = ApiRegistry()
    for node_type in host.collect("register_node_types"):
        if node_type.type_name in registry.node_types:
            raise SchemaAssemblyError(f"node type registered twice: {node_type.type_name}")
        registry.node_types[node_type.type_name] = node_type
    schema = strawberry.Schema(
        query=_merge("Query", query_classes),
        mutation=_merge("Mutation", mutation_classes) if mutation_classes else None,
        types=host.collect("register_graphql_types"),
        # Every DateTime carries its UTC offset, from either database.
        config=StrawberryConfig(name_converter=RememberingNameConverter(), auto_camel_case=True, scalar_map=SCALAR_MAP),
    )
    streamline(schema)
    guard_plugin_queries(schema._schema, _query_fields_by_plugin(host, schema))
    return AssembledSchema(strawberry_schema=schema, registry=registry)
