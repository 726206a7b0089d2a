"""Hand-written SQL for the independent baselines of ``bench_baselines.py``.

Imports nothing from Jiceng: the baselines must not carry the system's own
overhead. Both baselines (``baseline_bare.py``, ``baseline_strawberry.py``)
do what ``/graphql`` does for ``residents(under: street, first: 20)``: check
the bearer token (session open, not expired, not idle too long, user active)
and find the caller's ``people.view`` subtrees, then read one page of 21
residents in (org_path, id) order within the unit and the caller's scope, and
answer with ten masked scalar fields, cursors and ``pageInfo`` — the same
JSON as Jiceng. One async connection pool per process: aiosqlite or asyncpg.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

PAGE = 20

SIGN_IN_SQLITE = """
SELECT o.path FROM user_session s
JOIN user_account u ON u.id = s.user_id AND u.is_active = 1
JOIN role_grant g ON g.user_id = u.id AND g.revoked_at IS NULL
JOIN role_permission p ON p.role_id = g.role_id AND p.permission_code = 'people.view'
JOIN org_unit o ON o.id = g.org_unit_id
WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ?
  AND julianday(s.last_seen_at) + s.idle_timeout_seconds / 86400.0 > julianday(?)
"""
SIGN_IN_POSTGRES = """
SELECT o.path FROM user_session s
JOIN user_account u ON u.id = s.user_id AND u.is_active
JOIN role_grant g ON g.user_id = u.id AND g.revoked_at IS NULL
JOIN role_permission p ON p.role_id = g.role_id AND p.permission_code = 'people.view'
JOIN org_unit o ON o.id = g.org_unit_id
WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
  AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > now()
"""
# The unit's subtree intersected with one scope subtree (a street worker has one).
PAGE_SQLITE = """
SELECT r.id, r.name, r.sex, r.birth_date, r.id_number, r.phone, r.residence_type,
       r.ethnicity, r.moved_in_on, r.moved_out_on, r.org_path
FROM resident r, (SELECT path AS low, substr(path, 1, length(path) - 1) || '0' AS high FROM org_unit WHERE id = ?) u
WHERE r.org_path >= max(u.low, ?) AND r.org_path < min(u.high, ?) AND r.moved_out_on IS NULL
ORDER BY r.org_path, r.id LIMIT 21
"""
PAGE_POSTGRES = """
SELECT r.id, r.name, r.sex, r.birth_date, r.id_number, r.phone, r.residence_type,
       r.ethnicity, r.moved_in_on, r.moved_out_on, r.org_path
FROM resident r
WHERE r.org_path >= greatest((SELECT path FROM org_unit WHERE id = $1), $2::text COLLATE "C")
  AND r.org_path < least((SELECT substr(path, 1, length(path) - 1) || '0' FROM org_unit WHERE id = $1), $3::text COLLATE "C")
  AND r.moved_out_on IS NULL
ORDER BY r.org_path, r.id LIMIT 21
"""


class Unauthorized(Exception):
    pass


def global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_unit(value: str) -> int:
    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    type_name, _, pk = raw.partition(":")
    if type_name != "OrgUnit" or not pk.isdigit():
        raise ValueError("bad id")
    return int(pk)


def cursor(org_path: str, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([org_path, pk], separators=(",", ":")).encode()).decode().rstrip("=")


def mask_id_number(value: str | None) -> str | None:
    if not value:
        return value
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str | None:
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def token_of(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized
    return authorization[7:].strip()


class Database:
    """A small pool of async connections and the two statements."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.sqlite = url.startswith("sqlite")
        self._pool: Any = None

    async def open(self, size: int = 4) -> None:
        if self.sqlite:
            import aiosqlite

            path = self.url.split("///", 1)[1]
            queue: asyncio.Queue[Any] = asyncio.Queue()
            for _ in range(size):
                connection = await aiosqlite.connect(path)
                await connection.execute("PRAGMA query_only=1")
                queue.put_nowait(connection)
            self._pool = queue
        else:
            import asyncpg

            dsn = self.url.replace("postgresql+psycopg://", "postgresql://")
            self._pool = await asyncpg.create_pool(dsn, min_size=size, max_size=size)

    @asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        await self.open()
        yield

    @asynccontextmanager
    async def _sqlite(self) -> AsyncIterator[Any]:
        connection = await self._pool.get()
        try:
            yield connection
        finally:
            self._pool.put_nowait(connection)

    async def scope(self, authorization: str | None) -> list[str]:
        """The caller's ``people.view`` subtree paths; Unauthorized when the token is not a live session."""
        digest = hashlib.sha256(token_of(authorization).encode()).hexdigest()
        if self.sqlite:
            now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            async with self._sqlite() as connection, connection.execute(SIGN_IN_SQLITE, (digest, now, now)) as cur:
                rows = await cur.fetchall()
        else:
            rows = await self._pool.fetch(SIGN_IN_POSTGRES, digest)
        if not rows:
            raise Unauthorized
        return [row[0] for row in rows]

    async def page(self, unit_id: int, scope: list[str]) -> list[Any]:
        low = scope[0]  # one scope subtree (a street worker's street)
        high = low[:-1] + "0"
        if self.sqlite:
            async with self._sqlite() as connection, connection.execute(PAGE_SQLITE, (unit_id, low, high)) as cur:
                return list(await cur.fetchall())
        return list(await self._pool.fetch(PAGE_POSTGRES, unit_id, low, high))


def node(row: Any) -> dict[str, Any]:
    return {
        "id": global_id("Resident", row[0]),
        "name": row[1],
        "sex": row[2],
        "birthDate": iso(row[3]),
        "idNumber": mask_id_number(row[4]),
        "phone": mask_phone(row[5]),
        "residenceType": row[6],
        "ethnicity": row[7],
        "movedInOn": iso(row[8]),
        "movedOutOn": iso(row[9]),
    }
