"""Users, sign-in, sessions and role grants.

Sign-in (``login``)
    A wrong password and an unknown (or deactivated) username get the same
    error, after the same argon2 work. Every attempt is counted in
    ``login_failure`` per username and per client address, committed before
    the password is checked (so that it survives the rollback of the refused
    request, holds across workers, and parallel attempts cannot race past
    it): after ``max_failures`` failures within ``failure_window`` the
    username is locked until ``lockout`` after the last failure, and after
    ``max_failures_per_address`` the address is; attempts meanwhile are
    refused without checking the password (and without counting, so a
    guesser cannot extend the lock forever). A success clears the
    username's count and upgrades a hash made with weaker parameters.

Sessions
    ``login`` returns an opaque random token (``jcs_`` + 256 random bits);
    only its SHA-256 is stored. A session ends at ``expires_at`` (fixed at
    sign-in), after ``idle_timeout_seconds`` without a request, or when
    revoked: ``logout`` revokes at once, a password change revokes the
    user's other sessions.

Per request (``principal_for_token``)
    One SELECT loads the session, the user (with the resident record the
    account is linked to, if any), the user's active grants with their
    roles' permissions and the granted units' paths. At most once a
    minute per session it also records activity (``last_seen_at``) and
    commits: call it first, on the request's fresh session. The HTTP
    endpoint goes through ``cached_principal``: a process reuses a sign-in
    for up to a minute while the revocation generation stays the same
    (``core.auth.sign_in_cache``), so logout, a password change, a revoked
    grant or a deactivated user take effect at the next request everywhere.

Grants (``grant_role`` / ``revoke_grant``)
    The grantor needs ``user.manage`` at the unit and must hold, at that
    unit, every permission of the role given (nobody hands out more than
    they have); the role's permissions must be declared in this deployment;
    conflicting roles at one unit are refused (``check_separation``).
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from core.api.errors import (
    ErrorDetail,
    NotFoundError,
    PermissionDeniedError,
    UserInputError,
)
from core.auth import passwords
from core.auth.config import AuthConfig
from core.auth.models import (
    DISPLAY_NAME_LENGTH,
    USERNAME_LENGTH,
    LoginFailure,
    Role,
    RoleGrant,
    RolePermission,
    User,
    UserSession,
)
from core.auth.permissions import (
    GrantInfo,
    PermissionRegistry,
    Principal,
    check_separation,
    require,
)
from core.auth.roles import get_role
from core.auth.sign_in_cache import (
    NEUTRAL_OPTION,
    SignInCache,
    current_generation,
    fresh_until,
    track_auth_changes,
)
from core.db import as_utc, utcnow
from core.org.models import OrgUnit
from core.org.service import get_unit
from core.people.models import Resident

TOKEN_PREFIX = "jcs_"
TOKEN_PATTERN = re.compile(r"^jcs_[A-Za-z0-9_-]{43}$")
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")
# last_seen_at is written at most this often per session.
TOUCH_INTERVAL = timedelta(minutes=1)
# Ended sessions are kept this long as sign-in history, then pruned.
SESSION_HISTORY = timedelta(days=30)
CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")

INVALID_CREDENTIALS = "用户名或密码错误。"

# Every transaction that changes who may do what moves the revocation
# generation on, so cached sign-ins end at once (core.auth.sign_in_cache).
track_auth_changes()
USER_MANAGE = "user.manage"
PEOPLE_VIEW = "people.view"
PEOPLE_MANAGE = "people.manage"


# --- users --------------------------------------------------------------------------


def normalize_username(raw: str) -> str:
    """Usernames compare case-insensitively and width-insensitively
    (full-width letters typed with a Chinese input method count as ASCII)."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def username_problems(username: str, field: str = "username") -> list[ErrorDetail]:
    if not USERNAME_PATTERN.match(username):
        return [
            ErrorDetail(
                "INVALID_USERNAME",
                "用户名须为 2 到 64 个字符，只能包含英文字母、数字和 . _ @ -，并以字母或数字开头。",
                field,
            )
        ]
    return []


def create_user(
    session: Session,
    config: AuthConfig,
    *,
    username: str,
    display_name: str,
    password: str,
    resident_id: int | None = None,
    now: datetime | None = None,
    password_hash: str | None = None,
) -> User:
    """A new active account. ``resident_id`` links it to the holder's own
    record in the people registry: the resident must exist and have no
    account yet (who may link whom is the caller's check, see
    ``check_resident_link``). ``password_hash``, when given, is the stored
    hash of ``password`` already computed (many accounts with one password:
    the demo, tests), saving a deliberately slow hash per account."""
    now = now or utcnow()
    key = normalize_username(username)
    name = display_name.strip()
    problems = username_problems(key)
    if not name:
        problems.append(ErrorDetail("REQUIRED", "请填写姓名。", "displayName"))
    elif len(name) > DISPLAY_NAME_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"姓名不能超过 {DISPLAY_NAME_LENGTH} 个字。", "displayName"))
    problems += passwords.password_problems(password, min_length=config.min_password_length, username=key)
    if resident_id is not None:
        problems += resident_link_problems(session, resident_id)
    if problems:
        raise UserInputError(errors=problems)
    if session.scalar(select(User.id).where(User.username == key)) is not None:
        raise UserInputError("USERNAME_TAKEN", f"用户名“{key}”已被使用。", "username")
    user = User(
        username=key,
        display_name=name,
        password_hash=password_hash or passwords.hash_password(password),
        password_changed_at=now,
        is_active=True,
        created_at=now,
        resident_id=resident_id,
    )
    session.add(user)
    session.flush()
    return user


def resident_link_problems(session: Session, resident_id: int, *, field: str = "residentId") -> list[ErrorDetail]:
    """Why an account cannot be linked to resident ``resident_id``: no such
    resident, or the resident already has an account (one per resident)."""
    if session.get(Resident, resident_id) is None:
        return [NotFoundError("居民", field).errors[0]]
    if session.scalar(select(User.id).where(User.resident_id == resident_id)) is not None:
        return [ErrorDetail("RESIDENT_ALREADY_LINKED", "该居民已关联用户账号：每位居民只能关联一个账号。", field)]
    return []


def check_resident_link(
    session: Session,
    registry: PermissionRegistry,
    linker: Principal | None,
    resident_id: int,
    *,
    field: str = "residentId",
) -> Resident:
    """The resident an account is to be linked to, if ``linker`` may link
    it: ``people.manage`` at the resident's unit (``linker`` None is the
    command line: no scope check). A resident outside the linker's
    ``people.view`` scope is "not found", like any record they cannot see;
    one they see but may not manage is refused with FORBIDDEN."""
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError("居民", field)
    if linker is not None and not linker.reaches(PEOPLE_MANAGE, resident.org_path):
        if not linker.reaches(PEOPLE_VIEW, resident.org_path):
            raise NotFoundError("居民", field)
        try:
            require(linker, PEOPLE_MANAGE, resident.org_path, registry=registry)
        except PermissionDeniedError as denied:
            raise UserInputError(denied.code, denied.message, field) from None
    problems = resident_link_problems(session, resident.id, field=field)
    if problems:
        raise UserInputError(errors=problems)
    return resident


def link_resident(
    session: Session,
    registry: PermissionRegistry,
    linker: Principal | None,
    *,
    user_id: int,
    resident_id: int | None,
) -> User:
    """Link an existing account to its holder's resident record, or with
    ``resident_id`` None unlink it. Linking needs what ``check_resident_link``
    needs (``people.manage`` at the resident's unit); unlinking needs
    ``people.manage`` where the currently linked resident is. A linked account
    is relinked only after unlinking, so a record never changes hands silently.
    The linker also needs ``user.manage`` wherever the account holds a role:
    nobody attaches a household to an account they do not manage."""
    user = get_user(session, user_id)
    if linker is not None:
        grant_paths = session.scalars(
            select(OrgUnit.path)
            .join(RoleGrant, RoleGrant.org_unit_id == OrgUnit.id)
            .where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
        ).all()
        for path in grant_paths:
            require(linker, USER_MANAGE, path, registry=registry)
    if resident_id is None:
        if user.resident_id is None:
            raise UserInputError("NOT_LINKED", "该账号未关联居民记录。", "userId")
        current = session.get(Resident, user.resident_id)
        if linker is not None and current is not None:
            require(linker, PEOPLE_MANAGE, current.org_path, registry=registry)
        user.resident_id = None
        session.flush()
        return user
    if user.resident_id is not None:
        raise UserInputError("ALREADY_LINKED", "该账号已关联一位居民，请先解除关联。", "userId")
    resident = check_resident_link(session, registry, linker, resident_id)
    user.resident_id = resident.id
    session.flush()
    return user


def get_user(session: Session, user_id: int, *, field: str | None = "userId") -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("用户", field)
    return user


def set_password(
    session: Session,
    config: AuthConfig,
    user: User,
    password: str,
    *,
    now: datetime | None = None,
    field: str = "password",
) -> None:
    """Give ``user`` a new password (administrator reset) and end all their sessions."""
    now = now or utcnow()
    passwords.check_new_password(password, min_length=config.min_password_length, username=user.username, field=field)
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = now
    revoke_sessions(session, user.id, now=now)
    session.flush()


# --- throttling ---------------------------------------------------------------------


def _throttle_key(username: str) -> str:
    return normalize_username(username)[:USERNAME_LENGTH]


def _lock_end(moments: Sequence[datetime], limit: int, config: AuthConfig) -> datetime | None:
    """When a lock set by failures at ``moments`` (newest first, at most
    ``limit``) ends, or None if they set none: the last ``limit`` failures
    all fall within one ``failure_window``; the lock lasts ``lockout`` after
    the newest."""
    if len(moments) < limit or moments[0] - moments[-1] >= config.failure_window:
        return None
    return moments[0] + config.lockout


def _recent(session: Session, condition: Any, limit: int, excluding: int | None) -> list[datetime]:
    statement = select(LoginFailure.attempted_at).where(condition)
    if excluding is not None:
        statement = statement.where(LoginFailure.id != excluding)
    rows = session.scalars(statement.order_by(LoginFailure.attempted_at.desc()).limit(limit))
    return [as_utc(moment) for moment in rows]


def _locks(
    session: Session,
    config: AuthConfig,
    username: str,
    client_address: str | None,
    now: datetime,
    excluding: int | None = None,
) -> tuple[datetime | None, datetime | None]:
    """When the lock of ``username`` and the lock of ``client_address`` end
    (each None when open at ``now``), not counting attempt ``excluding``."""
    by_name = _lock_end(
        _recent(session, LoginFailure.username == _throttle_key(username), config.max_failures, excluding),
        config.max_failures,
        config,
    )
    by_address = None
    if client_address is not None:
        limit = config.max_failures_per_address
        by_address = _lock_end(
            _recent(session, LoginFailure.client_address == client_address, limit, excluding), limit, config
        )
    return (
        by_name if by_name is not None and by_name > now else None,
        by_address if by_address is not None and by_address > now else None,
    )


def locked_until(
    session: Session,
    config: AuthConfig,
    username: str,
    *,
    client_address: str | None = None,
    now: datetime | None = None,
) -> datetime | None:
    """When sign-in for ``username`` (from ``client_address``) opens again,
    or None if it is open now."""
    ends = [end for end in _locks(session, config, username, client_address, now or utcnow()) if end is not None]
    return max(ends) if ends else None


def _throttled(until: datetime, now: datetime, *, by_address: bool) -> UserInputError:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    local = until.astimezone(CHINA_STANDARD_TIME)
    day = "" if local.date() == now.astimezone(CHINA_STANDARD_TIME).date() else f"{local.month} 月 {local.day} 日 "
    what = "本网络地址的登录已暂时锁定" if by_address else "该用户名已暂时锁定"
    return UserInputError(
        "LOGIN_THROTTLED",
        f"登录失败次数过多，{what}。请于北京时间 {day}{local:%H:%M} 之后（约 {minutes} 分钟后）再试。",
        # The lock is on the username (or the address), whatever the password.
        "username",
    )


# Old rows pruned per attempt: enough to keep up, few enough to stay quick.
PRUNE_BATCH = 100


def _advisory_key(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big", signed=True)


def _begin_attempt(
    session: Session, config: AuthConfig, username: str, client_address: str | None, now: datetime
) -> int:
    """Count a sign-in attempt before its password is checked, or refuse it
    unchecked while the username or the address is locked; returns the
    attempt's row id.

    Attempts at one username (or from one address) take turns: on
    PostgreSQL a transaction-scoped advisory lock per username and address,
    on SQLite the single writer (the transaction starts with its write). So
    however many run in parallel, each counts all the attempts before it
    and no more than the allowed number get their password checked. A
    refused attempt is removed again, so that guessing during a lock does
    not extend it. All of it runs on ``session``'s own connection (one per
    request, none extra) in one short transaction, and the connection goes
    back to the pool before the slow password check. ``session`` must hold
    no uncommitted work of the caller's.
    """
    session.commit()
    key = _throttle_key(username)
    if session.get_bind().dialect.name == "postgresql":
        names = {f"login:{key}"} | ({f"login-address:{client_address}"} if client_address is not None else set())
        # Sorted, so that two attempts never wait for each other's second lock.
        for lock in sorted(_advisory_key(name) for name in names):
            session.execute(select(func.pg_advisory_xact_lock(lock)))
    attempt = LoginFailure(username=key, client_address=client_address, attempted_at=now)
    session.add(attempt)
    session.flush()
    by_name, by_address = _locks(session, config, username, client_address, now, excluding=attempt.id)
    until = by_name or by_address
    if until is not None:
        session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.id))
    # Rows older than any lock can reach; rows another attempt is deleting are left to it.
    stale = (
        select(LoginFailure.id)
        .where(LoginFailure.attempted_at < now - config.failure_window - config.lockout)
        .order_by(LoginFailure.id)
        .limit(PRUNE_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(delete(LoginFailure).where(LoginFailure.id.in_(stale)))
    session.commit()
    if until is not None:
        raise _throttled(until, now, by_address=by_name is None)
    return attempt.id


def _clear_failures(session: Session, username: str) -> None:
    """A success: the username's failures (this attempt's row among them) go.
    The address's failures at other usernames stay."""
    session.execute(delete(LoginFailure).where(LoginFailure.username == _throttle_key(username)))


# --- sign-in and sessions ------------------------------------------------------------


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True)
class SignIn:
    token: str
    expires_at: datetime
    user: User
    session: UserSession


def login(
    session: Session,
    config: AuthConfig,
    username: str,
    password: str,
    *,
    client_address: str | None = None,
    now: datetime | None = None,
) -> SignIn:
    """Check the credentials and open a session. Raises ``UserInputError``
    INVALID_CREDENTIALS (the same for an unknown user and a wrong password)
    or LOGIN_THROTTLED (with the time to try again). Commits the attempt's
    count on ``session`` (see ``_begin_attempt``): call it on a session
    without work of the caller's; the caller commits the new session."""
    now = now or utcnow()
    key = normalize_username(username)
    _begin_attempt(session, config, key, client_address, now)
    user = session.scalar(select(User).where(User.username == key)) if len(key) <= USERNAME_LENGTH else None
    stored_hash, active = (user.password_hash, user.is_active) if user is not None else (None, False)
    session.commit()  # no connection is held while the password is checked
    if stored_hash is None:
        passwords.burn_verification_time(password)
        matched = False
    else:
        matched = passwords.verify_password(stored_hash, password) and active
    if user is None or not matched:
        # The attempt's row stays: it is the failure.
        raise UserInputError("INVALID_CREDENTIALS", INVALID_CREDENTIALS, None)

    _clear_failures(session, key)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return open_session(session, config, user, now=now)


def open_session(session: Session, config: AuthConfig, user: User, *, now: datetime | None = None) -> SignIn:
    """A new session for ``user``, whose identity the caller has established
    (``login`` after checking the password)."""
    now = now or utcnow()
    user.last_login_at = now
    token = new_token()
    expires_at = now + config.session_lifetime
    row = UserSession(
        user_id=user.id,
        token_hash=token_digest(token),
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
        idle_timeout_seconds=max(1, int(config.idle_timeout.total_seconds())),
    )
    session.add(row)
    # Sign-in history older than a month goes.
    session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now - SESSION_HISTORY),
        execution_options={NEUTRAL_OPTION: True},
    )
    session.flush()
    return SignIn(token=token, expires_at=expires_at, user=user, session=row)


def revoke_sessions(
    session: Session, user_id: int, *, except_session_id: int | None = None, now: datetime | None = None
) -> int:
    """End every open session of a user (but ``except_session_id``); returns how many."""
    statement = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if except_session_id is not None:
        statement = statement.where(UserSession.id != except_session_id)
    result = session.execute(statement.values(revoked_at=now or utcnow()).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # Session.execute is typed as Result; DML gives a CursorResult


def logout(session: Session, principal: Principal, *, everywhere: bool = False, now: datetime | None = None) -> int:
    """End the principal's session (or, with ``everywhere``, all of the user's sessions)."""
    now = now or utcnow()
    if everywhere:
        return revoke_sessions(session, principal.id, now=now)
    if principal.session_id is None:
        return 0
    result = session.execute(
        update(UserSession)
        .where(UserSession.id == principal.session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]  # Session.execute is typed as Result; DML gives a CursorResult


def change_password(
    session: Session,
    config: AuthConfig,
    principal: Principal,
    current_password: str,
    new_password: str,
    *,
    client_address: str | None = None,
    now: datetime | None = None,
) -> User:
    """Change the signed-in user's own password after checking the current
    one (throttled like sign-in, and committing the attempt's count the same
    way); ends the user's other sessions."""
    now = now or utcnow()
    _begin_attempt(session, config, principal.username, client_address, now)
    user = get_user(session, principal.id, field=None)
    stored_hash = user.password_hash
    session.commit()
    if not passwords.verify_password(stored_hash, current_password):
        raise UserInputError("INVALID_CREDENTIALS", "当前密码不正确。", "currentPassword")
    # The right current password: not a failure, whatever the new password's fate.
    _clear_failures(session, user.username)
    session.commit()
    passwords.check_new_password(
        new_password, min_length=config.min_password_length, username=user.username, field="newPassword"
    )
    if passwords.normalize(new_password) == passwords.normalize(current_password):
        raise UserInputError("SAME_PASSWORD", "新密码不能与当前密码相同。", "newPassword")
    user.password_hash = passwords.hash_password(new_password)
    user.password_changed_at = now
    revoke_sessions(session, user.id, except_session_id=principal.session_id, now=now)
    session.flush()
    return user


# --- the principal of a request ----------------------------------------------------------


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    value = value.strip()
    return value or None


_GRANT_COLUMNS = (
    RoleGrant.id.label("grant_id"),
    Role.code.label("role_code"),
    RolePermission.permission_code.label("permission_code"),
    OrgUnit.id.label("org_unit_id"),
    OrgUnit.path.label("org_unit_path"),
)


def _with_grants(statement: Any) -> Any:
    """Outer-join the user's active grants, their roles' permissions and the units' paths."""
    return (
        statement.outerjoin(RoleGrant, (RoleGrant.user_id == User.id) & RoleGrant.revoked_at.is_(None))
        .outerjoin(Role, Role.id == RoleGrant.role_id)
        .outerjoin(RolePermission, RolePermission.role_id == Role.id)
        .outerjoin(OrgUnit, OrgUnit.id == RoleGrant.org_unit_id)
    )


# Built once: every request runs it, and building a statement costs more than running it.
_PRINCIPAL_FOR_TOKEN = _with_grants(
    select(
        UserSession.id.label("session_id"),
        UserSession.expires_at,
        UserSession.last_seen_at,
        UserSession.idle_timeout_seconds,
        User.id.label("user_id"),
        User.username,
        User.display_name,
        User.resident_id,
        *_GRANT_COLUMNS,
    ).join(User, User.id == UserSession.user_id)
).where(
    UserSession.token_hash == bindparam("token_hash"),
    UserSession.revoked_at.is_(None),
    UserSession.expires_at > bindparam("now"),
    User.is_active.is_(True),
)


def _principal_from_rows(rows: Sequence[Any], *, session_id: int | None, expires_at: datetime | None) -> Principal:
    first = rows[0]
    grants = []
    permissions = []
    for row in rows:
        if row.grant_id is None or row.org_unit_path is None:
            continue
        grants.append(GrantInfo(row.grant_id, row.role_code, row.org_unit_id, row.org_unit_path))
        if row.permission_code is not None:
            permissions.append((row.permission_code, row.org_unit_path))
    return Principal.build(
        id=first.user_id,
        username=first.username,
        display_name=first.display_name,
        grants=grants,
        permissions=permissions,
        session_id=session_id,
        session_expires_at=expires_at,
        resident_id=first.resident_id,
    )


def principal_for_token(
    session: Session, token: str | None, *, now: datetime | None = None, touch: bool = True
) -> Principal | None:
    """The signed-in user behind a session token, or None when the token is
    unknown, malformed, revoked, expired or idle too long, or the user is
    deactivated.

    One query. When the session's ``last_seen_at`` is over a minute old and
    ``touch`` is true, it is updated and the session committed (so call this
    before the request does anything else with ``session``).
    """
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    found = _look_up(session, token_digest(token), now or utcnow(), touch=touch)
    return found[0] if found is not None else None


def _look_up(
    session: Session, digest: str, now: datetime, *, touch: bool
) -> tuple[Principal, datetime, int, datetime] | None:
    """The principal of a token digest, with the session's last activity
    (as recorded after this lookup), idle timeout and end."""
    rows = session.execute(_PRINCIPAL_FOR_TOKEN, {"token_hash": digest, "now": now}).all()
    if not rows:
        return None
    first = rows[0]
    last_seen = as_utc(first.last_seen_at)
    if last_seen + timedelta(seconds=first.idle_timeout_seconds) <= now:
        return None
    expires_at = as_utc(first.expires_at)
    principal = _principal_from_rows(rows, session_id=first.session_id, expires_at=expires_at)
    if touch and now - last_seen >= TOUCH_INTERVAL:
        # End the lookup's transaction first: on SQLite a transaction that has
        # read cannot wait for the write lock (it fails with "database is
        # locked" if another writer committed since), one that starts with
        # the write can.
        session.commit()
        session.execute(
            update(UserSession)
            .where(UserSession.id == first.session_id, UserSession.last_seen_at < now)
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False, **{NEUTRAL_OPTION: True})
        )
        session.commit()
        last_seen = now
    return principal, last_seen, first.idle_timeout_seconds, expires_at


def cached_principal(
    session: Session, authorization: str | None, cache: SignInCache, *, now: datetime | None = None
) -> Principal | None:
    """``principal_from_authorization`` through a process's ``SignInCache``:
    one read of the revocation generation instead of the lookup while the
    sign-in is fresh (``core.auth.sign_in_cache``). Call it first, on the
    request's fresh session."""
    token = bearer_token(authorization)
    if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
        return None
    now = now or utcnow()
    digest = token_digest(token)
    generation = current_generation(session)
    principal = cache.get(digest, generation, now)
    if principal is not None:
        return principal
    found = _look_up(session, digest, now, touch=True)
    if found is None:
        return None
    principal, last_seen, idle_timeout_seconds, expires_at = found
    cache.put(digest, generation, principal, fresh_until(last_seen, idle_timeout_seconds, expires_at, TOUCH_INTERVAL))
    return principal


def principal_from_authorization(
    session: Session, authorization: str | None, *, now: datetime | None = None
) -> Principal | None:
    """``principal_for_token`` for an ``Authorization`` header value."""
    return principal_for_token(session, bearer_token(authorization), now=now)


def principal_for_user(session: Session, user_id: int) -> Principal | None:
    """The principal of an active user without a session (command line,
    background jobs, tests); one query."""
    statement = _with_grants(
        select(User.id.label("user_id"), User.username, User.display_name, User.resident_id, *_GRANT_COLUMNS)
    ).where(User.id == user_id, User.is_active.is_(True))
    rows = session.execute(statement).all()
    if not rows:
        return None
    return _principal_from_rows(rows, session_id=None, expires_at=None)


# --- grants --------------------------------------------------------------------------


def check_grantable(
    session: Session,
    registry: PermissionRegistry,
    grantor: Principal | None,
    role: Role,
    unit: OrgUnit,
) -> None:
    """May ``grantor`` give ``role`` at ``unit``? ``grantor`` None is the
    command line (no scope check). The role's permissions must all be
    declared; the grantor needs ``user.manage`` and every permission of the
    role at the unit (or, for a permission declared ``grantable_by``, one of
    those)."""
    if grantor is not None:
        require(grantor, USER_MANAGE, unit, registry=registry)
    codes = role.permission_codes
    undeclared = registry.undeclared(codes)
    if undeclared:
        raise UserInputError(
            "UNDECLARED_PERMISSION",
            f"角色“{role.name}”含有本部署未声明的权限：{'、'.join(undeclared)}，不能授予。"
            "请先修正角色定义（内置角色可运行 jiceng user sync-roles）。",
            "role",
        )
    if grantor is not None:
        missing = [
            code
            for code in codes
            if not grantor.reaches(code, unit.path)
            and not any(grantor.reaches(other, unit.path) for other in registry.grantable_by(code))
        ]
        if missing:
            described = "、".join(f"“{registry.description(code)}”" for code in missing[:5])
            more = f"等 {len(missing)} 项" if len(missing) > 5 else ""
            raise PermissionDeniedError(
                f"不能授予超出本人权限的角色：您在“{unit.name}”没有{described}{more}权限，不能授予“{role.name}”。"
            )


def grant_role(
    session: Session,
    registry: PermissionRegistry,
    grantor: Principal | None,
    *,
    user_id: int,
    role_code: str,
    org_unit_id: int,
    now: datetime | None = None,
) -> RoleGrant:
    """Give a user a role at an org unit (reaching its subtree)."""
    unit = get_unit(session, org_unit_id, field="orgUnitId")
    if grantor is not None:
        # Scope first: an outsider learns nothing about roles or users.
        require(grantor, USER_MANAGE, unit, registry=registry)
    role = get_role(session, role_code)
    check_grantable(session, registry, grantor, role, unit)
    user = get_user(session, user_id)
    if not user.is_active:
        raise UserInputError("USER_INACTIVE", "该用户已停用，不能授权。", "userId")
    if session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role_id == role.id,
            RoleGrant.org_unit_id == unit.id,
            RoleGrant.revoked_at.is_(None),
        )
    ):
        raise UserInputError("ALREADY_GRANTED", f"此人在“{unit.name}”已担任“{role.name}”。", "role")
    check_separation(session, user.id, role, unit.id)
    grant = RoleGrant(
        user_id=user.id,
        role_id=role.id,
        org_unit_id=unit.id,
        granted_at=now or utcnow(),
        granted_by_id=grantor.id if grantor is not None else None,
    )
    session.add(grant)
    session.flush()
    return grant


def revoke_grant(
    session: Session,
    registry: PermissionRegistry,
    grantor: Principal | None,
    grant_id: int,
    *,
    now: datetime | None = None,
) -> RoleGrant:
    """End a grant (its row stays as history). Needs ``user.manage`` at the grant's unit."""
    grant = session.get(RoleGrant, grant_id)
    if grant is None:
        raise NotFoundError("授权", "grantId")
    if grantor is not None:
        require(grantor, USER_MANAGE, grant.org_unit, registry=registry)
    if grant.revoked_at is not None:
        raise UserInputError("ALREADY_REVOKED", "该授权已撤销。", "grantId")
    grant.revoked_at = now or utcnow()
    grant.revoked_by_id = grantor.id if grantor is not None else None
    session.flush()
    return grant


def active_grants(session: Session, user_id: int) -> list[RoleGrant]:
    return list(
        session.scalars(
            select(RoleGrant).where(RoleGrant.user_id == user_id, RoleGrant.revoked_at.is_(None)).order_by(RoleGrant.id)
        )
    )
