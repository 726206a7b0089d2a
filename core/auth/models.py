"""Tables of user accounts, sign-in sessions, failed sign-ins, roles and grants.

- ``user_account``: one row per person who signs in. Accounts are
  deactivated, never deleted, so that grants and audit records keep naming
  them. An account may be linked to the person's own record in the people
  registry (``resident_id``, at most one account per resident): residents
  signing in for self-service see their own household through it.
- ``user_session``: one row per sign-in. Only the SHA-256 of the token is
  stored; the token itself is shown once, to the client that signed in.
- ``login_failure``: sign-in attempts not known to have succeeded, by
  username (known or not) and client address, counted to throttle guessing
  across all workers; a row is written before the password is checked and
  removed when the attempt succeeds or is refused unchecked; rows older than
  the throttle window are pruned.
- ``role`` / ``role_permission``: a role is a named set of permission codes.
- ``auth_generation``: one counter of changes to sessions, users, roles,
  grants and org unit paths; sign-ins are cached per process while it holds.
- ``role_grant``: a user holds a role at an org unit, reaching its subtree.
  A revoked grant keeps its row (``revoked_at``) as history; at most one
  grant of the same role at the same unit is active per user.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.org.models import OrgUnit

USERNAME_LENGTH = 64
DISPLAY_NAME_LENGTH = 100
PASSWORD_HASH_LENGTH = 255
CLIENT_ADDRESS_LENGTH = 64
TOKEN_HASH_LENGTH = 64  # SHA-256, lowercase hex
ROLE_CODE_LENGTH = 64
ROLE_NAME_LENGTH = 100
PERMISSION_CODE_LENGTH = 100

ACTIVE_GRANT = "revoked_at IS NULL"


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        Index("ix_user_account_username", "username", unique=True),
        # One account per resident; unlinked accounts (NULL) do not collide.
        Index("ix_user_account_resident_id", "resident_id", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Lower case; see core.auth.service.normalize_username.
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH))
    display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_LENGTH))
    # argon2id PHC string (core.auth.passwords).
    password_hash: Mapped[str] = mapped_column(String(PASSWORD_HASH_LENGTH))
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The account holder's own record in the people registry (core.people), if linked.
    resident_id: Mapped[int | None] = mapped_column(ForeignKey("resident.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username}>"


class UserSession(Base):
    __tablename__ = "user_session"
    __table_args__ = (
        Index("ix_user_session_token_hash", "token_hash", unique=True),
        Index("ix_user_session_user_id_id", "user_id", "id"),
        Index("ix_user_session_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Absolute end, fixed at sign-in.
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The session also ends this many seconds after last_seen_at.
    idle_timeout_seconds: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_username_attempted_at", "username", "attempted_at"),
        Index("ix_login_failure_attempted_at", "attempted_at"),
        Index("ix_login_failure_client_address_attempted_at", "client_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The username as typed (normalized, cut to the column's length); it need not exist.
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH))
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Where the attempt came from (core.api.client_address); None from the command line.
    client_address: Mapped[str | None] = mapped_column(String(CLIENT_ADDRESS_LENGTH))


class Role(Base):
    __tablename__ = "role"
    __table_args__ = (Index("ix_role_code", "code", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stable English identifier, e.g. grid_worker.
    code: Mapped[str] = mapped_column(String(ROLE_CODE_LENGTH))
    # Chinese name shown to users, e.g. 网格员.
    name: Mapped[str] = mapped_column(String(ROLE_NAME_LENGTH))
    description: Mapped[str | None] = mapped_column(Text)
    # Shipped with the software and kept in step with it by core.auth.roles.ensure_default_roles.
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    permissions: Mapped[list[RolePermission]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="RolePermission.permission_code"
    )

    @property
    def permission_codes(self) -> list[str]:
        # Sorted also right after a change, before the relationship is reloaded.
        return sorted(p.permission_code for p in self.permissions)

    def __repr__(self) -> str:
        return f"<Role {self.code}>"


class RolePermission(Base):
    __tablename__ = "role_permission"

    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="CASCADE"), primary_key=True)
    permission_code: Mapped[str] = mapped_column(String(PERMISSION_CODE_LENGTH), primary_key=True)


class RoleGrant(Base):
    __tablename__ = "role_grant"
    __table_args__ = (
        # One active grant per user, role and unit; this index also serves
        # the sign-in lookup of a user's active grants.
        Index(
            "ix_role_grant_active",
            "user_id",
            "role_id",
            "org_unit_id",
            unique=True,
            sqlite_where=text(ACTIVE_GRANT),
            postgresql_where=text(ACTIVE_GRANT),
        ),
        Index("ix_role_grant_user_id_id", "user_id", "id"),
        Index("ix_role_grant_org_unit_id_id", "org_unit_id", "id"),
        Index("ix_role_grant_role_id", "role_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    role_id: Mapped[int] = mapped_column(ForeignKey("role.id", ondelete="RESTRICT"))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id", ondelete="RESTRICT"))
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None: granted from the command line (first administrator, scripts).
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    role: Mapped[Role] = relationship(lazy="joined", innerjoin=True)
    org_unit: Mapped[OrgUnit] = relationship(lazy="joined", innerjoin=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise_on_sql")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuthGeneration(Base):
    """One row counting changes to who may do what: every transaction that
    revokes a session, changes a user, a role, a grant or an org unit's path
    adds one (``core.auth.sign_in_cache``). A cached sign-in is used only
    while the count it was read with is still current, so revocation takes
    effect at once in every process sharing the database."""

    __tablename__ = "auth_generation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
