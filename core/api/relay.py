"""Relay conventions: the ``Node`` interface, opaque global IDs and cursor
connections paged by keyset (never by offset).

A connection's order is a tuple of columns that an index covers; a cursor
holds the values of those columns for one row, so page N costs the same as
page 1. ``totalCount`` runs its own ``COUNT`` only when the client asks for it.
"""

from __future__ import annotations

import base64
import binascii
import collections
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar, cast

import strawberry
from sqlalchemy import BigInteger, Select, SmallInteger, func, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, class_mapper
from strawberry.types.base import get_object_definition

from core.api.errors import UserInputError
from core.api.json_out import json_bytes
from core.api.loaders import remember_page
from core.api.streamline import LEAN_EQUIVALENTS
from core.db import id_column
from core.driver_select import FixedSelect

if TYPE_CHECKING:
    from core.api.context import RequestContext

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20

# Largest value of an SQL INTEGER column (PostgreSQL ``integer``); primary
# keys declared as ``BigInteger`` use ``MAX_BIG_INTEGER_PK``.
MAX_INTEGER_PK = 2**31 - 1
MAX_BIG_INTEGER_PK = 2**63 - 1


def integer_bound(column_type: Any) -> int:
    """The largest value an integer column of ``column_type`` holds on every
    supported database (PostgreSQL refuses to compare with larger ones)."""
    if isinstance(column_type, BigInteger):
        return MAX_BIG_INTEGER_PK
    if isinstance(column_type, SmallInteger):
        return 2**15 - 1
    return MAX_INTEGER_PK


# --- global IDs -------------------------------------------------------------


def encode_global_id(type_name: str, pk: object) -> str:
    raw = f"{type_name}:{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_global_id(global_id: str, *, field: str = "id") -> tuple[str, str]:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        type_name, pk = "", ""
    if not type_name or not pk:
        raise UserInputError("INVALID_ID", "ID 格式不正确。", field)
    return type_name, pk


def parse_pk(pk: str, *, max_pk: int = MAX_INTEGER_PK) -> int | None:
    """The integer key written in a global ID, or None if it is not one the
    server could have issued: canonical ASCII digits (``str.isdigit`` also
    accepts ``²`` and other digits ``int`` refuses) within the column's range,
    so that the database is never asked to compare with an out-of-range value."""
    if not (pk.isascii() and pk.isdigit()) or (len(pk) > 1 and pk.startswith("0")):
        return None
    value = int(pk)
    return value if value <= max_pk else None


# Record types anyone may know to exist (the organization tree, the holiday
# calendar): a mutation may decode their IDs itself and check the unit.
PUBLIC_ID_TYPES = frozenset({"OrgUnit", "Holiday"})

# True while a mutation resolver runs (``core.api.mutations.atomic``).
MUTATION_RUNNING: ContextVar[bool] = ContextVar("jiceng_mutation_running", default=False)


class UncheckedInputIdError(RuntimeError):
    """A mutation decoded a record's ID without the scope check."""


def decode_pk(global_id: str, expected_type: str, *, field: str = "id", max_pk: int = MAX_INTEGER_PK) -> int:
    """The integer primary key inside a global ID of ``expected_type``.

    Not for a mutation's input (except public types): there every record ID
    goes through ``core.api.ids``, which checks the caller's scope; a
    mutation that decodes one here fails loudly instead of reading another
    street's record."""
    if expected_type not in PUBLIC_ID_TYPES and MUTATION_RUNNING.get():
        raise UncheckedInputIdError(
            f"mutation input IDs of type {expected_type!r} must be looked up through core.api.ids (scope check)"
        )
    return decode_pk_for_scope_check(global_id, expected_type, field=field, max_pk=max_pk)


def decode_pk_for_scope_check(
    global_id: str, expected_type: str, *, field: str = "id", max_pk: int = MAX_INTEGER_PK
) -> int:
    """``decode_pk`` without the guard: only for ``core.api.ids``, which
    checks the scope of what it decodes."""
    type_name, pk = decode_global_id(global_id, field=field)
    if type_name != expected_type:
        # The type name is the schema's (English); the user only needs to know it is the wrong kind.
        raise UserInputError("INVALID_ID", "ID 与此处所需的对象类型不符。", field)
    value = parse_pk(pk, max_pk=max_pk)
    if value is None:
        raise UserInputError("INVALID_ID", "ID 格式不正确。", field)
    return value


@strawberry.interface(description="可通过全局 ID 直接获取的对象（Relay Node）。")
class Node:
    @strawberry.field(description="不透明的全局 ID。")
    def id(self, info: strawberry.Info) -> strawberry.ID:
        return strawberry.ID(encode_global_id(info._raw_info.parent_type.name, self.id))


# The same ID without a resolve info, for core.api.streamline's lean leaves.
_NODE_ID_RESOLVER = next(
    f for f in get_object_definition(Node, strict=True).fields if f.python_name == "id"
).base_resolver
assert _NODE_ID_RESOLVER is not None and callable(_NODE_ID_RESOLVER.wrapped_func)
LEAN_EQUIVALENTS[_NODE_ID_RESOLVER.wrapped_func] = lambda source, parent_type: encode_global_id(
    parent_type.name, source.id
)


NodeLoader = Callable[["RequestContext", Sequence[int]], Mapping[int, object]]


PathsOf = Callable[[Any], Sequence[str]]


@dataclass(frozen=True)
class NodeType:
    """How ``node(id:)`` finds objects of one GraphQL type, and where each
    object belongs (for the scope check of input IDs, ``core.api.ids``).

    ``load`` returns only the objects the caller may see. ``scope_paths``
    gives the unit paths a row belongs to; by default its ``org_path`` (or
    an org unit's own ``path``). The caller must hold the operation's
    permission at every one of them."""

    type_name: str
    load: NodeLoader
    scope_paths: PathsOf | None = None

    def paths_of(self, row: Any) -> tuple[str, ...]:
        if self.scope_paths is not None:
            return tuple(self.scope_paths(row))
        for attribute in ("org_path", "path"):
            path = getattr(row, attribute, None)
            if isinstance(path, str):
                return (path,)
        raise TypeError(f"NodeType {self.type_name!r} needs scope_paths: its rows carry no org_path")


def model_type(model: type, **type_kwargs: Any) -> Callable[[type[T]], type[T]]:
    """``@strawberry.type`` for a type whose resolvers return ``model``
    instances directly (no copying into dataclasses)."""

    def wrap(cls: type[T]) -> type[T]:
        accepted = (model, lean_row_class(model)) if hasattr(model, "__mapper__") else (model,)
        cls.is_type_of = classmethod(lambda _cls, obj, _info: isinstance(obj, accepted))  # type: ignore[attr-defined]  # strawberry reads is_type_of as an undeclared class attribute
        return strawberry.type(cls, **type_kwargs)

    return wrap


# --- connections --------------------------------------------------------------


@strawberry.type(description="分页信息。")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(description="连接中的一条边：游标与节点。")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="按游标分页的列表。")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    count_total: strawberry.Private[Callable[[], int]]

    @strawberry.field(description="符合条件的总数；只有请求此字段时才计算。")
    def total_count(self) -> int:
        return self.count_total()

    @strawberry.field(description="本页节点（省去 edges 的简写）。")
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def _encode_cursor(values: Sequence[Any]) -> str:
    # Compact JSON (read back by ``json.loads`` in ``_decode_cursor``), base64url without padding.
    plain = [v.isoformat() if isinstance(v, (date, datetime)) else v for v in values]
    return base64.urlsafe_b64encode(json_bytes(plain)).decode().rstrip("=")


class _BadCursorValue(ValueError):
    pass


def _cursor_value(key: InstrumentedAttribute[Any], value: Any) -> Any:
    """``value`` as the Python type of ``key``'s column, so that a forged or
    stale cursor is refused here instead of failing inside the database."""
    try:
        python_type = key.type.python_type
    except NotImplementedError:
        python_type = object
    if value is None:
        raise _BadCursorValue
    if python_type is bool:
        if not isinstance(value, bool):
            raise _BadCursorValue
        return value
    if issubclass(python_type, int):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > integer_bound(key.type):
            raise _BadCursorValue
        return value
    if issubclass(python_type, str):
        # PostgreSQL text cannot hold NUL.
        if not isinstance(value, str) or "\x00" in value:
            raise _BadCursorValue
        return value
    if issubclass(python_type, datetime):
        if not isinstance(value, str):
            raise _BadCursorValue
        return datetime.fromisoformat(value)
    if issubclass(python_type, date):
        if not isinstance(value, str):
            raise _BadCursorValue
        return date.fromisoformat(value)
    if isinstance(value, (dict, list)):
        raise _BadCursorValue
    return value


def _decode_cursor(cursor: str, keys: Sequence[InstrumentedAttribute[Any]], field: str) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != len(keys):
            raise _BadCursorValue
        return [_cursor_value(key, value) for key, value in zip(keys, values, strict=True)]
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise UserInputError("INVALID_CURSOR", "分页游标无效，请从第一页重新开始。", field) from None


def _after(keys: Sequence[InstrumentedAttribute[Any]], values: Sequence[Any], descending: bool) -> Any:
    """Rows strictly after ``values`` in the order of ``keys``.

    A row-value comparison, ``(org_path, id) > (:path, :id)``, which both
    SQLite and PostgreSQL turn into one seek on an index over the same
    columns: page 10,000 costs what page 1 does, even when thousands of
    rows share the leading key (the residents of one grid)."""
    if len(keys) == 1:
        return keys[0] < values[0] if descending else keys[0] > values[0]
    row, cursor = tuple_(*keys), tuple_(*(literal(v, type_=k.type) for k, v in zip(keys, values, strict=True)))
    return row < cursor if descending else row > cursor


def _where_first(statement: Select[Any], condition: Any) -> Select[Any]:
    """``statement`` with ``condition`` as its first WHERE term.

    SQLite takes an index range from the first usable term on a column: the
    cursor's seek must come before a looser subtree bound on the same column,
    or page N scans the N-1 pages before it."""
    page = statement.where(condition)
    page._where_criteria = (condition, *statement._where_criteria)  # no public API reorders WHERE terms
    return page


class _NamedTupleClass(Protocol):
    """A class made by ``collections.namedtuple``, as lean rows use it."""

    def _make(self, iterable: Iterable[Any]) -> tuple[Any, ...]: ...


@dataclass(frozen=True)
class LeanRows:
    """How a hot list reads a model's rows as plain tuples: ``row_class`` is a
    named tuple of the model's mapped columns (by attribute name), ``columns``
    what the statement selects, ``make`` a ``row_class`` from a result row."""

    row_class: type[tuple[Any, ...]]
    columns: tuple[InstrumentedAttribute[Any], ...]
    make: Callable[[Iterable[Any]], tuple[Any, ...]]


def lean_rows(model: type) -> LeanRows:
    """The lean rows of ``model`` (built once per model)."""
    found = _LEAN_ROWS.get(model)
    if found is None:
        names = [attribute.key for attribute in class_mapper(model).column_attrs]
        # Called by reference: the field names are only known at run time.
        named_tuple = collections.namedtuple
        row_class = named_tuple(f"{model.__name__}Row", names)
        # typeshed types the class as a plain tuple class, without ``_make``.
        make = cast(_NamedTupleClass, row_class)._make
        found = LeanRows(row_class, tuple(getattr(model, name) for name in names), make)
        _LEAN_ROWS[model] = found
    return found


def lean_row_class(model: type) -> type[Any]:
    """A named tuple of ``model``'s mapped columns (by attribute name): rows
    of a hot list read as plain tuples, without the ORM's identity map and
    instance state. Types made with ``model_type`` accept both. (Its
    attributes are made at run time: typed ``Any``.)"""
    return lean_rows(model).row_class


_LEAN_ROWS: dict[type, LeanRows] = {}
# First pages of hot lists, as built statements (building one costs more than running it).
_FIRST_PAGES: dict[Any, FixedSelect] = {}
MAX_MEMO_STATEMENTS = 4096


def memo_statement(key: Any, build: Callable[[], Select[Any]]) -> FixedSelect:
    """The statement built for ``key`` (which must name everything it depends
    on), built once; at most ``MAX_MEMO_STATEMENTS`` are kept. Its rows come
    from the driver's cursor where it can (``core.driver_select``)."""
    found = _FIRST_PAGES.get(key)
    if found is None:
        found = FixedSelect(build())
        if len(_FIRST_PAGES) >= MAX_MEMO_STATEMENTS:
            _FIRST_PAGES.clear()
        _FIRST_PAGES[key] = found
    return found


def paginate(
    context: RequestContext,
    statement: Select[Any] | Callable[[], Select[Any]],
    keys: Sequence[InstrumentedAttribute[Any]],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    descending: bool = False,
    lean: type | None = None,
    memo_key: Any = None,
) -> Connection[Any]:
    """Run one page of ``statement`` ordered by ``keys`` (ascending, or
    ``descending`` for newest-first lists; the last key must be unique) and
    wrap it as a connection.

    One query fetches a row more than the page holds, which tells whether
    more rows lie in the paging direction (``hasNextPage`` for ``first``,
    ``hasPreviousPage`` for ``last``). The other flag follows the Relay
    specification without a second query: it is true when a cursor was
    given on that side (``after`` when paging forward, ``before`` when
    paging backward), since the row of that cursor lies there."""
    max_size = context.settings.max_page_size
    if first is not None and last is not None:
        raise UserInputError("INVALID_ARGUMENTS", "first 与 last 不能同时使用。", "last")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= max_size:
            raise UserInputError("PAGE_SIZE_OUT_OF_RANGE", f"每页数量须在 0 到 {max_size} 之间。", name)
    backwards = last is not None
    size = last if backwards else (first if first is not None else DEFAULT_PAGE_SIZE)
    assert size is not None

    def base() -> Select[Any]:
        return statement() if callable(statement) else statement

    def page_statement() -> Select[Any]:
        built = base()
        if after is not None:
            built = _where_first(built, _after(keys, _decode_cursor(after, keys, "after"), descending))
        if before is not None:
            built = _where_first(built, _after(keys, _decode_cursor(before, keys, "before"), not descending))
        # Backward pages read the list's order in reverse, then flip the rows back.
        order = [k.desc() for k in keys] if backwards != descending else list(keys)
        built = built.order_by(*order).limit(size + 1)
        if lean is not None:
            built = built.with_only_columns(*lean_rows(lean).columns)
        return built

    fixed = None
    if memo_key is not None and after is None and before is None:
        fixed = memo_statement(("page", memo_key, size, backwards, descending, lean), page_statement)
        built = fixed.statement
    else:
        built = page_statement()
    if lean is not None:
        make = lean_rows(lean).make
        # Core execution: plain rows, no ORM loading or identity map.
        connection = context.session.connection()
        found = connection.execute(built) if fixed is None else fixed.rows(connection)
        rows = [make(row) for row in found]
    else:
        rows = list(context.session.scalars(built))
    remember_page(context, rows)
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()

    names = [k.key for k in keys]
    edges = [Edge(cursor=_encode_cursor([getattr(row, n) for n in names]), node=row) for row in rows]
    page_info = PageInfo(
        has_next_page=has_more if not backwards else before is not None,
        has_previous_page=has_more if backwards else after is not None,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )

    def count_total() -> int:
        count = select(func.count()).select_from(base().order_by(None).subquery())
        return int(context.session.scalar(count) or 0)

    return Connection(edges=edges, page_info=page_info, count_total=count_total)


def load_by_pk(model: type) -> NodeLoader:
    """A node loader that fetches ``model`` rows by primary key in one query."""

    key = id_column(model)
    max_pk = integer_bound(key.type)

    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        # A key outside the column's range names no row; the database would reject it.
        wanted = [pk for pk in pks if 0 <= pk <= max_pk]
        if not wanted:
            return {}
        rows: Iterable[Any] = context.session.scalars(select(model).where(key.in_(wanted)))
        return {row.id: row for row in rows}

    return load
