"""The custom scalars of every schema, each with ``@specifiedBy``.

``DateTime`` always has a UTC offset.

Timestamps are stored in UTC. PostgreSQL returns them with their zone,
SQLite without one; a resolver may also hand back a value it just built.
Serialized here, each is written in UTC with its offset
(``2026-03-05T01:30:00+00:00``), whichever database and whichever type it
comes from. Input must carry its offset too: "09:30" alone could be Beijing
time or UTC.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal as PythonDecimal
from decimal import InvalidOperation
from typing import Any

import strawberry

from core.db import as_utc
from graphql import GraphQLError

DESCRIPTION = "日期时间（ISO 8601），总是带时区偏移，以 UTC 表示，如 2026-03-05T01:30:00+00:00；输入也须带偏移，如 2026-03-05T09:30:00+08:00。"


def serialize_datetime(value: Any) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise GraphQLError(f"不是日期时间：{value!r}")
    return as_utc(value).isoformat()


def parse_datetime(value: Any) -> datetime:
    if not isinstance(value, str):
        raise GraphQLError("日期时间须为 ISO 8601 格式的字符串，如 2026-03-05T09:30:00+08:00。")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"日期时间格式不正确：{value}（应为 ISO 8601，如 2026-03-05T09:30:00+08:00）。") from None
    if parsed.tzinfo is None:
        raise GraphQLError(f"日期时间须带时区偏移：{value}（如北京时间 2026-03-05T09:30:00+08:00）。")
    return as_utc(parsed)


def serialize_date(value: Any) -> str:
    if not isinstance(value, date):
        raise GraphQLError(f"不是日期：{value!r}")
    return value.isoformat()


def parse_date(value: Any) -> date:
    if not isinstance(value, str):
        raise GraphQLError("日期须为 YYYY-MM-DD 格式的字符串，如 2026-03-05。")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise GraphQLError(f"日期格式不正确：{value}（应为 YYYY-MM-DD，如 2026-03-05）。") from None


def serialize_decimal(value: Any) -> str:
    return str(value)


def parse_decimal(value: Any) -> PythonDecimal:
    # Strings keep every digit; a number is read by its shortest decimal form.
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise GraphQLError('金额和小数须以字符串给出，如 "86.50"。')
    try:
        parsed = PythonDecimal(str(value).strip())
    except InvalidOperation:
        raise GraphQLError(f"不是有效的十进制数：{value}。") from None
    if not parsed.is_finite():
        raise GraphQLError(f"不是有效的十进制数：{value}。")
    return parsed


DateTime = strawberry.scalar(
    name="DateTime",
    description=DESCRIPTION,
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)

Date = strawberry.scalar(
    name="Date",
    description="日期（ISO 8601 / RFC 3339 full-date），如 2026-03-05。",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    serialize=serialize_date,
    parse_value=parse_date,
)

Decimal = strawberry.scalar(
    name="Decimal",
    description='十进制数（金额等），以字符串传递以保留全部位数，如 "86.50"。',
    specified_by_url="https://speleotrove.com/decimal/decarith.html",
    serialize=serialize_decimal,
    parse_value=parse_decimal,
)

# For ``StrawberryConfig(scalar_map=...)``: Python values of these types use these scalars.
SCALAR_MAP: dict[object, Any] = {datetime: DateTime, date: Date, PythonDecimal: Decimal}
