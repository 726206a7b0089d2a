"""The ``DateTime`` scalar of every schema: always with a UTC offset.

Timestamps are stored in UTC. PostgreSQL returns them with their zone,
SQLite without one; a resolver may also hand back a value it just built.
Serialized here, each is written in UTC with its offset
(``2026-03-05T01:30:00+00:00``), whichever database and whichever type it
comes from. Input must carry its offset too: "09:30" alone could be Beijing
time or UTC.
"""

from __future__ import annotations

from datetime import datetime
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


DateTime = strawberry.scalar(
    name="DateTime",
    description=DESCRIPTION,
    serialize=serialize_datetime,
    parse_value=parse_datetime,
)

# For ``StrawberryConfig(scalar_map=...)``: Python ``datetime`` values use this scalar.
SCALAR_MAP: dict[object, Any] = {datetime: DateTime}
