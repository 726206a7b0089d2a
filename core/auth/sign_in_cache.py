"""A short-lived per-process cache of sign-ins, revoked at once.

Looking the caller up (``core.auth.service.principal_for_token``: the
session, the user, their grants, roles, permissions and units in one join)
costs more than a page of residents. A process keeps the principal it found
for a token and uses it again while all of these hold:

- the *revocation generation* (``auth_generation.value``, one row read by
  primary key on every request) is the one the lookup was made under. Every
  transaction that revokes a session (logout, password change, sign-out
  everywhere), changes a user (deactivation, password, linked resident), a
  role, a role's permissions, a grant, or an org unit (its path) adds one to
  it in the same transaction (``track_auth_changes``), so such a change is
  seen by the very next request in every process that shares the database;
- the session is not past ``expires_at``, nor idle past its timeout;
- less than ``TOUCH_INTERVAL`` (a minute) has passed since the session's
  ``last_seen_at`` was recorded: then the full lookup runs again and records
  activity, as before.

The generation is read before the lookup, so a revocation committed while a
lookup runs leaves an entry under the old generation, never used.
A change made to these tables by hand (SQL outside Jiceng) must add one to
``auth_generation.value`` as well — or the cache serves the old sign-in for
up to a minute.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from threading import Lock
from typing import Any

from sqlalchemy import BigInteger, Integer, column, event, inspect, select, table, update
from sqlalchemy.orm import ORMExecuteState, Session

from core.auth.permissions import Principal
from core.driver_select import FixedSelect

# Statements that change auth tables but not who may do what: recording a
# session's activity, pruning ended sessions.
NEUTRAL_OPTION = "jiceng_auth_neutral"
_CHANGED = "jiceng_auth_changed"
# Tables whose changes alter a cached principal (or whether it may sign in).
AUTH_TABLES = frozenset({"user_account", "user_session", "role", "role_permission", "role_grant", "org_unit"})
# Of an updated row, the attributes that matter (others, such as a user's
# last sign-in time, do not); tables not listed: any change.
RELEVANT_ATTRIBUTES = {
    "user_account": ("username", "display_name", "is_active", "password_hash", "resident_id"),
    "user_session": ("revoked_at", "expires_at", "idle_timeout_seconds", "user_id", "token_hash"),
    "org_unit": ("path", "parent_id"),
}
_GENERATION_TABLE = table("auth_generation", column("id", Integer), column("value", BigInteger))
# Read on every signed-in request: on PostgreSQL sent on the driver's cursor (core.driver_select).
GENERATION = FixedSelect(select(_GENERATION_TABLE.c.value).where(_GENERATION_TABLE.c.id == 1))
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    generation: int
    fresh_until: datetime


def current_generation(session: Session) -> int | None:
    """The revocation generation, or None where the table has no row (then nothing is cached)."""
    rows = GENERATION.rows(session.connection())
    return int(rows[0][0]) if rows and rows[0][0] is not None else None


class SignInCache:
    """Principals by token digest (one instance per app)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: dict[str, _Entry] = {}
        self._lock = Lock()
        self.hits = 0
        self.misses = 0

    def get(self, digest: str, generation: int | None, now: datetime) -> Principal | None:
        if generation is None:
            return None
        entry = self._entries.get(digest)
        if entry is None or entry.generation != generation or now >= entry.fresh_until:
            self.misses += 1
            return None
        self.hits += 1
        return entry.principal

    def put(self, digest: str, generation: int | None, principal: Principal, fresh_until: datetime) -> None:
        if generation is None:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                # Drop the oldest half; sign-ins are cheap to look up again.
                for key in list(itertools.islice(self._entries, self.max_entries // 2)):
                    self._entries.pop(key, None)
            self._entries[digest] = _Entry(principal, generation, fresh_until)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def fresh_until(
    last_seen: datetime, idle_timeout_seconds: int, expires_at: datetime, touch_interval: timedelta
) -> datetime:
    """Until when a sign-in looked up with these session facts may be reused."""
    return min(last_seen + touch_interval, last_seen + timedelta(seconds=idle_timeout_seconds), expires_at)


# --- the generation follows every change -------------------------------------------------


def _changed(obj: Any, table: str) -> bool:
    names = RELEVANT_ATTRIBUTES.get(table)
    if names is None:
        return True
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _note_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) in AUTH_TABLES:
            session.info[_CHANGED] = True
            return
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table in AUTH_TABLES and _changed(obj, table):
            session.info[_CHANGED] = True
            return
    for obj in session.new:
        # A new session or unit alters no existing sign-in; new grants, roles and permissions do.
        if getattr(obj, "__tablename__", None) in AUTH_TABLES - {"user_session", "org_unit", "user_account"}:
            session.info[_CHANGED] = True
            return


def _note_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete) or state.execution_options.get(NEUTRAL_OPTION, False):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in AUTH_TABLES:
        state.session.info[_CHANGED] = True


def _bump(session: Session) -> None:
    session.flush()  # the commit would flush after this hook: note its changes first
    if session.info.pop(_CHANGED, False):
        from core.auth.models import AuthGeneration

        session.execute(
            update(AuthGeneration).where(AuthGeneration.id == 1).values(value=AuthGeneration.value + 1),
            execution_options={NEUTRAL_OPTION: True},
        )


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_CHANGED, None)


def track_auth_changes(session_class: Any = Session) -> None:
    """Listen on every session: a transaction that changed an auth table adds
    one to the generation before it commits (idempotent)."""
    if event.contains(session_class, "before_commit", _bump):
        return
    event.listen(session_class, "before_flush", _note_flush)
    event.listen(session_class, "do_orm_execute", _note_statement)
    event.listen(session_class, "before_commit", _bump)
    event.listen(session_class, "after_rollback", _forget)
