"""ORM rows handed to the GraphQL types that serve them.

A type declared with ``core.api.relay.model_type`` resolves its fields on the
model's rows themselves (nothing is copied into strawberry objects), so a
resolver or a payload gives the row where the schema names the GraphQL type.
The type checker cannot relate the two classes; these functions state it in
one place instead of at every resolver. They return their argument unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar, cast, overload

if TYPE_CHECKING:
    from core.api.relay import Node
    from core.db import Base

T = TypeVar("T")


@overload
def row_as(graphql_type: type[T], row: None) -> None: ...


@overload
def row_as(graphql_type: type[T], row: Base) -> T: ...


@overload
def row_as(graphql_type: type[T], row: Base | None) -> T | None: ...


@overload
def row_as(graphql_type: type[T], row: object) -> T: ...


def row_as(graphql_type: type[T], row: object) -> T | None:
    """``row`` (a model instance or lean row) as served by ``graphql_type``
    (a ``model_type`` of its model); None stays None."""
    return cast("T | None", row)


def rows_as(graphql_type: type[T], rows: Iterable[object]) -> list[T]:
    """``rows`` (model instances or lean rows) in a list, as served by ``graphql_type``."""
    return cast("list[T]", rows if isinstance(rows, list) else list(rows))


def required_row_as(graphql_type: type[T], row: Base | None) -> T:
    """``row_as`` for a non-null field whose row a non-null foreign key
    guarantees (e.g. ``related(context, row, "org_unit_id", OrgUnit)``). A
    missing row fails the field, as returning None to a non-null field does."""
    if row is None:
        raise LookupError(f"the row of a non-null {graphql_type.__name__} field is missing")
    return cast("T", row)


def node_as(found: object | None) -> Node | None:
    """What a ``NodeType`` loader returned (``load_nodes``), served as the
    ``Node`` its GraphQL type implements; None stays None."""
    return cast("Node | None", found)
