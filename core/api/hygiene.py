"""Input hygiene shared by every request and every mutation, core and plugins.

Text that the two databases would treat differently is refused where it
enters, so a deployment behaves the same on SQLite and PostgreSQL:

- A lone surrogate (``"\\ud800"`` in JSON) cannot be encoded as UTF-8, and a
  NUL character is rejected by PostgreSQL but stored by SQLite. In the
  request body (variables, the document text, the operation name) they get
  status 400 with code ``INVALID_TEXT`` and the place named
  (``variables.input.name``); in a string literal of the document the
  validation rule ``UnsafeTextRule`` reports them with the argument named.
- A JSON body nested deeper than ``Settings.max_json_depth`` gets 400 with
  code ``JSON_TOO_DEEP`` (the parser itself would overflow the stack).
- Text longer than its column (``String(n)``) is refused before it is
  written, whichever database runs: ``check_text_lengths`` runs before every
  flush of every session and raises ``TextTooLongError``; the mutation
  wrapper (``core.api.mutations.atomic``) names the input field that held
  the text. The limit is the column's own declaration, so core and plugin
  tables are covered the day they are added.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any

from sqlalchemy import String, inspect
from sqlalchemy.orm import Mapper, Session

from core.api.errors import ErrorDetail, UserInputError
from graphql import (
    ArgumentNode,
    GraphQLError,
    ObjectFieldNode,
    StringValueNode,
    ValidationRule,
)

INVALID_TEXT = "INVALID_TEXT"
JSON_TOO_DEEP = "JSON_TOO_DEEP"
TOO_LONG = "TOO_LONG"

_UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")


class UnsafeInputError(Exception):
    """The request carries input no database should receive (transport level)."""

    def __init__(self, code: str, message: str, field: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be stored (Chinese), or None when it can."""
    found = _UNSAFE_TEXT.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "含有 NUL 字符（\\u0000），不能保存"
    return "含有不成对的 UTF-16 代理项（如 \\ud800），不是合法的 Unicode 文本"


def _printable(name: str) -> str:
    """A JSON key as it can be shown in a field path (the response is UTF-8)."""
    return name.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\u0000")


def check_json(value: Any, *, root: str, max_depth: int) -> None:
    """Refuse unsafe text anywhere in a parsed JSON value (keys included)
    and nesting deeper than ``max_depth`` containers. Iterative, so a deep
    value cannot exhaust the stack here either."""
    stack: list[tuple[Any, str, int]] = [(value, root, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise UnsafeInputError(INVALID_TEXT, f"{path} {problem}。", path)
            continue
        if not isinstance(item, (dict, list)):
            continue
        if depth >= max_depth:
            raise UnsafeInputError(JSON_TOO_DEEP, f"{path} 的 JSON 嵌套超过 {max_depth} 层的上限。", path)
        if isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{path}.{_printable(key)}"
                problem = text_problem(key)
                if problem:
                    raise UnsafeInputError(INVALID_TEXT, f"{child_path} 的名称{problem}。", child_path)
                stack.append((child, child_path, depth + 1))
        else:
            stack.extend((child, f"{path}.{index}", depth + 1) for index, child in enumerate(item))


def json_too_deep(root: str) -> UnsafeInputError:
    """The error for a JSON text the parser gave up on (recursion limit)."""
    return UnsafeInputError(JSON_TOO_DEEP, f"{root} 的 JSON 嵌套过深。", root)


class UnsafeTextRule(ValidationRule):
    """String literals in the document follow the same rule as variables:
    ``"\\u0000"`` is a legal GraphQL escape, but not storable text."""

    def enter_string_value(self, node: StringValueNode, _key: Any, parent: Any, _path: Any, ancestors: Any) -> None:
        problem = text_problem(node.value)
        if problem is None:
            return
        names = [a.name.value for a in (*ancestors, parent) if isinstance(a, (ArgumentNode, ObjectFieldNode))]
        field = ".".join(names) or "query"
        self.report_error(GraphQLError(f"{field} {problem}。", node, extensions={"code": INVALID_TEXT, "field": field}))


# --- column lengths ---------------------------------------------------------------


class TextTooLongError(UserInputError):
    """A text is longer than the column it goes into. ``field`` is the
    column's attribute in camelCase until the mutation wrapper finds the
    input field that held ``value``."""

    def __init__(self, field: str, value: str, limit: int) -> None:
        self.value = value
        self.limit = limit
        super().__init__(TOO_LONG, _too_long_message(field, value, limit), field)

    def named(self, field: str) -> UserInputError:
        return UserInputError(errors=[ErrorDetail(TOO_LONG, _too_long_message(field, self.value, self.limit), field)])


def _too_long_message(field: str, value: str, limit: int) -> str:
    return f"{field} 不能超过 {limit} 个字符（收到 {len(value)} 个）。"


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


@cache
def _text_columns(mapper: Mapper[Any]) -> tuple[tuple[str, int], ...]:
    """(attribute key, length) of every length-limited text column of a mapped class."""
    limited = []
    for attribute in mapper.column_attrs:
        for column in attribute.columns:
            length = getattr(column.type, "length", None)
            if isinstance(column.type, String) and isinstance(length, int):
                limited.append((attribute.key, length))
                break
    return tuple(limited)


def check_text_lengths(session: Session, _flush_context: Any, _instances: Any) -> None:
    """``before_flush`` listener: refuse any text longer than its column in
    the rows about to be written. Only values already in memory are read,
    so the check never loads anything."""
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        loaded = state.dict
        for key, length in _text_columns(state.mapper):
            value = loaded.get(key)
            if isinstance(value, str) and len(value) > length:
                raise TextTooLongError(_camel(key), value, length)


def input_path(arguments: Mapping[str, Any], value: str) -> str | None:
    """Where in a mutation's arguments ``value`` came from (services strip
    text, so a stripped match counts): ``name``, ``parties.0.note``. The
    conventional ``input`` argument is left out of the path."""
    for name, argument in arguments.items():
        prefix = "" if name == "input" else _camel(name)
        found = _find(argument, value, prefix)
        if found is not None:
            return found
    return None


def _find(item: Any, value: str, path: str) -> str | None:
    if isinstance(item, str):
        return path if (item == value or item.strip() == value) and path else None
    children: Iterable[tuple[str, Any]]
    if is_dataclass(item) and not isinstance(item, type):
        children = ((_camel(f.name), getattr(item, f.name)) for f in fields(item))
    elif isinstance(item, (list, tuple)):
        children = ((str(index), child) for index, child in enumerate(item))
    elif isinstance(item, dict):
        children = ((str(key), child) for key, child in item.items())
    else:
        return None
    for name, child in children:
        found = _find(child, value, f"{path}.{name}" if path else name)
        if found is not None:
            return found
    return None
