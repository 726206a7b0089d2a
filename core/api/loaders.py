"""Batch loading for nested fields without N+1 queries.

Execution is synchronous and depth-first, so a nested field cannot wait for
its siblings. Instead, every page a connection returns is remembered as the
"siblings" of its rows; the first time one row asks for a related object,
the related objects of all its siblings are loaded in one query into the
session's identity map, and the other rows find theirs there without SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import select

from core.db import KeyedRow, id_column

if TYPE_CHECKING:
    from core.api.context import RequestContext

M = TypeVar("M", bound=KeyedRow)

_SIBLINGS = "loaders.siblings"
_DONE = "loaders.done"
_LOADED = "loaders.loaded"


def remember_page(context: RequestContext, rows: Sequence[Any]) -> None:
    """Record ``rows`` as one page, so their related objects load together."""
    siblings: dict[int, Sequence[Any]] = context.cache.setdefault(_SIBLINGS, {})
    for row in rows:
        siblings[id(row)] = rows


def related(context: RequestContext, row: Any, foreign_key: str, model: type[M]) -> M | None:
    """``model`` row that ``row.<foreign_key>`` points at, batch-loaded for
    every sibling of ``row`` the first time any of them asks."""
    key = getattr(row, foreign_key)
    if key is None:
        return None
    # Strong references: the session's identity map alone would let them go.
    loaded: dict[tuple[type, Any], Any] = context.cache.setdefault(_LOADED, {})
    if (model, key) in loaded:
        return loaded[(model, key)]
    page = context.cache.get(_SIBLINGS, {}).get(id(row), (row,))
    done: set[tuple[int, str]] = context.cache.setdefault(_DONE, set())
    marker = (id(page), foreign_key)
    if marker not in done:
        done.add(marker)
        keys = {getattr(r, foreign_key) for r in page} - {None}
        found = list(context.session.scalars(select(model).where(id_column(model).in_(keys))))
        for obj in found:
            loaded[(model, obj.id)] = obj
        # The related objects of one page are siblings too, for the next level down.
        remember_page(context, found)
    if (model, key) not in loaded:
        loaded[(model, key)] = context.session.get(model, key)
    return loaded[(model, key)]


def children(
    context: RequestContext,
    row: Any,
    name: str,
    load: Callable[[list[int]], Mapping[int, Sequence[Any]]],
) -> list[Any]:
    """The child rows ``load`` finds for ``row`` (a to-many relation named
    ``name``), loaded for every row of ``row``'s page the first time one of
    them asks. ``load`` takes parent ids and returns children by parent id.
    Give ``name`` everything that changes the result (e.g. filter arguments)."""
    memo: dict[int, list[Any]] = context.cache.setdefault(f"loaders.children.{name}", {})
    if row.id not in memo:
        page = context.cache.get(_SIBLINGS, {}).get(id(row), (row,))
        ids = sorted({r.id for r in page if type(r) is type(row) and r.id not in memo} | {row.id})
        found = load(ids)
        loaded: list[Any] = []
        for key in ids:
            memo[key] = list(found.get(key, ()))
            loaded.extend(memo[key])
        # The children of one page are one page for the next level down.
        remember_page(context, loaded)
    return memo[row.id]


def rows_of(context: RequestContext, row: Any, column: Any, *order: Any) -> list[Any]:
    """The rows of ``column``'s table whose ``column`` holds ``row.id`` (a
    plain one-to-many), in ``order``, loaded for ``row``'s whole page at once:
    ``rows_of(context, case, DisputeParty.case_id, DisputeParty.id)``."""
    model = column.class_

    def load(ids: list[int]) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = {}
        for child in context.session.scalars(select(model).where(column.in_(ids)).order_by(*order)):
            grouped.setdefault(getattr(child, column.key), []).append(child)
        return grouped

    return children(context, row, f"rows_of.{model.__tablename__}.{column.key}", load)


def related_required(context: RequestContext, row: Any, foreign_key: str, model: type[M]) -> M:
    """``related`` for a non-null foreign key: the database keeps the row it
    points at, so a missing one fails the field (as None in a non-null field would)."""
    found = related(context, row, foreign_key, model)
    if found is None:
        raise LookupError(f"{foreign_key} points at no {model.__name__} row")
    return found
