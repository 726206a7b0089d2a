"""Permissions, the signed-in ``Principal`` and the checks every module uses.

Declaring
    Core and every plugin declare the permission codes they check through the
    ``register_permissions`` hook (``Permission(code, description_zh)``). The
    registry built from the hook rejects a code declared twice, a malformed
    code, and a plugin code outside the plugin's own namespace
    (``volunteer.…`` for plugin ``volunteer``). A role may only contain
    declared codes.

Checking
    A user holds roles at org units; each role's permissions reach the
    unit's subtree. ``Principal.scopes`` maps each permission code to the
    paths of the units where it was granted (a path under another granted
    path is dropped: the upper grant already covers it).

    - ``scope_condition(who, code, path_column)``: a SQL condition for list
      queries, ``path_column`` within any granted subtree (``false()`` when
      none), so that filtering happens in the database and pagination stays
      correct.
    - ``require(who, code, org_unit)``: raises ``PermissionDeniedError``
      unless ``org_unit`` lies within a granted subtree (``NotSignedInError``,
      code UNAUTHENTICATED, when nobody is signed in); ``can`` answers the
      same question with a boolean.
    - ``require_at_root(who, code)``: for what belongs to no unit (a new
      root unit, audit records without a unit): the code must be granted
      at a root unit; ``can_at_root`` answers with a boolean.
    - ``check_separation(session, user_id, role, org_unit_id)``: refuses a
      role that conflicts with a role the user already holds at that unit
      (accountant and cashier, ...); ``require_different_people`` refuses an
      approval by the requester.

``who`` is a ``Principal``, a request context (its ``user``) or None (not
signed in: no permission anywhere).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, SQLColumnExpression, false, or_, select
from sqlalchemy.orm import Session

from core.api.errors import NotSignedInError, PermissionDeniedError, UserInputError
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.plugin_host import CORE_PLUGIN_MODULES, PluginHost, declared_by, host_for_plugins, host_of

if TYPE_CHECKING:
    from core.auth.models import Role

CORE_OWNER = "core"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_CODE_LENGTH = 100
NOT_SIGNED_IN_MESSAGE = "请先登录。"


class PermissionDeclarationError(RuntimeError):
    """Permission declarations that cannot be used; stops start-up."""


@dataclass(frozen=True)
class Permission:
    """A permission code a module checks, with its Chinese description.

    ``default_roles`` names built-in roles (``core.auth.roles``) that carry
    this permission by default; the system administrator carries every
    permission anyway, except one declared ``withheld_from_admin``.

    ``grantable_by`` names permissions whose holders may grant a role
    carrying this one without holding it themselves: a self-service
    permission that shows a person only their own record (``people.view_own``)
    is granted by those who manage the records (``people.manage``), not by
    residents.
    """

    code: str
    description_zh: str
    default_roles: tuple[str, ...] = ()
    # Set by the registry: "core" or the declaring plugin's name.
    owner: str = CORE_OWNER
    grantable_by: tuple[str, ...] = ()
    # Records so sensitive that only the named role reads them (family
    # planning): the system administrator does not carry the permission; it
    # reaches a person only through a grant, which is audited.
    withheld_from_admin: bool = False

    @property
    def description(self) -> str:
        return self.description_zh

    @property
    def namespace(self) -> str:
        return self.code.split(".", 1)[0]

    @classmethod
    def adapt(cls, item: Any, owner: str) -> Permission:
        """A ``Permission`` from a declaration: this class, or any record
        with ``code`` and ``description_zh`` (or ``description``)."""
        if isinstance(item, Permission):
            if item.owner == owner:
                return item
            return Permission(
                item.code, item.description_zh, item.default_roles, owner, item.grantable_by, item.withheld_from_admin
            )
        code = getattr(item, "code", None)
        description = getattr(item, "description_zh", None) or getattr(item, "description", None)
        if not isinstance(code, str) or not isinstance(description, str) or not description.strip():
            raise PermissionDeclarationError(f"a permission needs a code and a Chinese description: {item!r}")
        return cls(
            code,
            description,
            tuple(getattr(item, "default_roles", ()) or ()),
            owner,
            tuple(getattr(item, "grantable_by", ()) or ()),
            bool(getattr(item, "withheld_from_admin", False)),
        )


# --- the registry ---------------------------------------------------------------------


@dataclass(frozen=True)
class PermissionRegistry:
    permissions: Mapping[str, Permission]

    def all(self) -> list[Permission]:
        """Every declared permission, sorted by code."""
        return list(self.permissions.values())

    def get(self, code: str) -> Permission | None:
        return self.permissions.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self.permissions

    def description(self, code: str) -> str:
        found = self.permissions.get(code)
        return found.description_zh if found else code

    def require(self, code: str, *, field: str | None = "permission") -> Permission:
        found = self.permissions.get(code)
        if found is None:
            raise UserInputError("UNKNOWN_PERMISSION", f"未知的权限“{code}”：本部署没有声明此权限。", field)
        return found

    def grantable_by(self, code: str) -> tuple[str, ...]:
        found = self.permissions.get(code)
        return found.grantable_by if found else ()

    def undeclared(self, codes: Iterable[str]) -> list[str]:
        return sorted({code for code in codes if code not in self.permissions})


def build_registry(host: PluginHost) -> PermissionRegistry:
    """Collect and check every permission of ``host``; see the module docstring."""
    core_modules = set(CORE_PLUGIN_MODULES)
    enabled = set(host.enabled)
    problems: list[str] = []
    declared: dict[str, Permission] = {}
    declaring_plugin: dict[str, str] = {}
    for impl in host.manager.hook.register_permissions.get_hookimpls():
        is_core = impl.plugin_name in core_modules
        owner = CORE_OWNER if is_core else impl.plugin_name
        try:
            items = declared_by(impl)
        except Exception as exc:  # the plugin's own error, shown with its name
            problems.append(f"{impl.plugin_name}: register_permissions failed: {exc!r}")
            continue
        for item in items:
            try:
                permission = Permission.adapt(item, owner)
            except PermissionDeclarationError as exc:
                problems.append(f"{impl.plugin_name}: {exc}")
                continue
            problem = _code_problem(permission, is_core, enabled)
            if problem:
                problems.append(f"{impl.plugin_name}: {problem}")
                continue
            if permission.code in declared:
                problems.append(
                    f"permission {permission.code!r} declared more than once: "
                    f"by {declaring_plugin[permission.code]} and by {impl.plugin_name}"
                )
                continue
            declared[permission.code] = permission
            declaring_plugin[permission.code] = impl.plugin_name
    for permission in declared.values():
        unknown = [code for code in permission.grantable_by if code not in declared]
        if unknown:
            problems.append(
                f"{declaring_plugin[permission.code]}: {permission.code!r} grantable_by undeclared {unknown}"
            )
    if problems:
        raise PermissionDeclarationError("invalid permission declarations:\n  " + "\n  ".join(problems))
    return PermissionRegistry(permissions=dict(sorted(declared.items())))


def _code_problem(permission: Permission, is_core: bool, enabled: set[str]) -> str | None:
    code = permission.code
    if len(code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(code):
        return f"{code!r} is not a permission code (lower-case words joined by dots, e.g. 'people.view')"
    namespace = permission.namespace
    if is_core:
        if namespace in enabled:
            return f"core permission {code!r} uses the namespace of plugin {namespace!r}"
        return None
    if namespace != permission.owner:
        return f"{code!r} must start with the plugin's name: '{permission.owner}.'"
    return None


def registry_for(host: PluginHost) -> PermissionRegistry:
    """The permissions declared in a deployment, built and checked once per host."""
    return host.derived("auth.permissions", build_registry)


def registry_for_plugins(plugins: tuple[str, ...] | str) -> PermissionRegistry:
    """The registry of a deployment with these enabled plugins (when no
    plugin host is at hand)."""
    return registry_for(host_for_plugins(plugins))


def registry_for_context(context: Any) -> PermissionRegistry:
    """The registry behind a GraphQL request context (``info.context``)."""
    return registry_for(host_of(context))


# --- who is signed in ----------------------------------------------------------------


@dataclass(frozen=True)
class GrantInfo:
    """One active grant, as loaded with the principal."""

    grant_id: int
    role_code: str
    org_unit_id: int
    org_unit_path: str


@dataclass(frozen=True)
class Principal:
    """The signed-in user of one request: identity and where each permission
    reaches. Built by ``core.auth.service.principal_for_token`` in one query;
    immutable, so it can be shared by every resolver of the request."""

    id: int
    username: str
    display_name: str
    grants: tuple[GrantInfo, ...] = ()
    # permission code -> paths of the org units whose subtrees it reaches.
    scopes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    session_id: int | None = None
    session_expires_at: datetime | None = None
    # The user's own record in the people registry, if the account is linked
    # to one (residents' self-service, ``people.view_own``).
    resident_id: int | None = None

    @property
    def user_id(self) -> int:
        return self.id

    def paths(self, permission_code: str) -> tuple[str, ...]:
        return self.scopes.get(permission_code, ())

    def reaches(self, permission_code: str, path: str) -> bool:
        return any(path.startswith(granted) for granted in self.paths(permission_code))

    def holds_anywhere(self, permission_code: str) -> bool:
        return bool(self.paths(permission_code))

    @classmethod
    def build(
        cls,
        *,
        id: int,
        username: str,
        display_name: str,
        grants: Iterable[GrantInfo] = (),
        permissions: Iterable[tuple[str, str]] = (),
        session_id: int | None = None,
        session_expires_at: datetime | None = None,
        resident_id: int | None = None,
    ) -> Principal:
        """``permissions`` are (permission code, org unit path) pairs."""
        by_code: dict[str, set[str]] = {}
        for code, path in permissions:
            by_code.setdefault(code, set()).add(path)
        return cls(
            id=id,
            username=username,
            display_name=display_name,
            grants=tuple(sorted(set(grants), key=lambda g: g.grant_id)),
            scopes={code: minimal_paths(paths) for code, paths in sorted(by_code.items())},
            session_id=session_id,
            session_expires_at=session_expires_at,
            resident_id=resident_id,
        )


def minimal_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths not covered by another one in the set, sorted."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        # Sorted order puts an ancestor right before its descendants.
        if kept and path.startswith(kept[-1]):
            continue
        kept.append(path)
    return tuple(kept)


def principal_of(who: Any) -> Principal | None:
    """The principal of a request context, or ``who`` itself."""
    if who is None or isinstance(who, Principal):
        return who
    user = getattr(who, "user", None)
    return user if isinstance(user, Principal) else None


def require_signed_in(who: Any) -> Principal:
    principal = principal_of(who)
    if principal is None:
        raise NotSignedInError(NOT_SIGNED_IN_MESSAGE)
    return principal


# --- checks ----------------------------------------------------------------------------


def _path_of(org_unit: OrgUnit | str) -> str:
    return org_unit if isinstance(org_unit, str) else org_unit.path


def scope_condition(
    who: Any, permission_code: str, path_column: SQLColumnExpression[str | None]
) -> ColumnElement[bool]:
    """SQL: ``path_column`` lies in a subtree where ``permission_code`` was
    granted (an OR of indexed path ranges); ``false()`` when nowhere.

    ``path_column`` is a materialized org unit path: ``OrgUnit.path``, or a
    module's own snapshot of its row's unit path.
    """
    principal = principal_of(who)
    paths = principal.paths(permission_code) if principal is not None else ()
    if not paths:
        return false()
    return or_(*(in_subtree(path_column, path) for path in paths))


def can(who: Any, permission_code: str, org_unit: OrgUnit | str) -> bool:
    """Whether ``who`` holds ``permission_code`` at ``org_unit`` (a unit or its path)."""
    principal = principal_of(who)
    return principal is not None and principal.reaches(permission_code, _path_of(org_unit))


def require(
    who: Any, permission_code: str, org_unit: OrgUnit | str, *, registry: PermissionRegistry | None = None
) -> Principal:
    """The principal, if it holds ``permission_code`` at ``org_unit``;
    otherwise ``PermissionDeniedError`` with a Chinese message."""
    principal = principal_of(who)
    if principal is None:
        raise NotSignedInError(NOT_SIGNED_IN_MESSAGE)
    if not principal.reaches(permission_code, _path_of(org_unit)):
        raise PermissionDeniedError(_denied_message(permission_code, org_unit, registry))
    return principal


def is_root_path(path: str) -> bool:
    """Whether ``path`` is the path of a root unit (``/<id>/``)."""
    return path.count("/") == 2


def can_at_root(who: Any, permission_code: str) -> bool:
    """Whether ``who`` holds ``permission_code`` at a root unit (a city-level
    grant): needed for what belongs to no unit, such as creating another
    root unit or reading audit records without an org unit."""
    principal = principal_of(who)
    return principal is not None and any(is_root_path(path) for path in principal.paths(permission_code))


def require_at_root(who: Any, permission_code: str, *, registry: PermissionRegistry | None = None) -> Principal:
    """The principal, if it holds ``permission_code`` at a root unit;
    otherwise ``PermissionDeniedError``."""
    principal = principal_of(who)
    if principal is None:
        raise NotSignedInError(NOT_SIGNED_IN_MESSAGE)
    if not can_at_root(principal, permission_code):
        raise PermissionDeniedError(f"无权执行此操作：须在最上级单位拥有{_named(permission_code, registry)}权限。")
    return principal


def require_somewhere(who: Any, permission_code: str, *, registry: PermissionRegistry | None = None) -> Principal:
    """The principal, if it holds ``permission_code`` at some unit (for
    lists that ``scope_condition`` then narrows)."""
    principal = principal_of(who)
    if principal is None:
        raise NotSignedInError(NOT_SIGNED_IN_MESSAGE)
    if not principal.holds_anywhere(permission_code):
        raise PermissionDeniedError(_denied_message(permission_code, None, registry))
    return principal


def _named(permission_code: str, registry: PermissionRegistry | None) -> str:
    """A permission as users read it: its Chinese description (the code only when none is known)."""
    return f"“{registry.description(permission_code) if registry else permission_code}”"


def _denied_message(permission_code: str, org_unit: OrgUnit | str | None, registry: PermissionRegistry | None) -> str:
    what = _named(permission_code, registry)
    if isinstance(org_unit, OrgUnit):
        return f"无权执行此操作：您在“{org_unit.name}”没有{what}权限。"
    if org_unit is not None:
        return f"无权执行此操作：您在该单位没有{what}权限。"
    return f"无权执行此操作：您没有{what}权限。"


# --- separation of duties --------------------------------------------------------------


@dataclass(frozen=True)
class RoleConflict:
    """Two roles one person may not hold at the same unit."""

    first: str
    second: str
    reason_zh: str

    def involves(self, role_code: str) -> str | None:
        """The other role of the pair, if ``role_code`` is in it."""
        if role_code == self.first:
            return self.second
        if role_code == self.second:
            return self.first
        return None


# 居委会财务制度：会计、出纳分设，钱账分离；主任不得兼任出纳；
# 监督小组审计账目，不能审自己经手的账。
CONFLICTING_ROLES: tuple[RoleConflict, ...] = (
    RoleConflict("accountant", "cashier", "会计与出纳须分设，钱账分离"),
    RoleConflict("committee_chair", "cashier", "居委会主任不得兼任出纳"),
    RoleConflict("supervisor", "accountant", "监督人员不得审计本人经手的账目"),
    RoleConflict("supervisor", "cashier", "监督人员不得审计本人经手的资金"),
    RoleConflict("auditor", "accountant", "审计人员不得审计本人经手的账目"),
    RoleConflict("auditor", "cashier", "审计人员不得审计本人经手的资金"),
)


def check_separation(
    session: Session,
    user_id: int,
    role: Role | str,
    org_unit_id: int,
    *,
    conflicts: Sequence[RoleConflict] = CONFLICTING_ROLES,
    field: str | None = "role",
) -> None:
    """Refuse (``UserInputError`` SEPARATION_OF_DUTIES) giving ``role`` to a
    user who already holds a conflicting role at the same org unit."""
    from core.auth.models import Role, RoleGrant

    role_code = role if isinstance(role, str) else role.code
    rivals = {other: c for c in conflicts if (other := c.involves(role_code)) is not None}
    if not rivals:
        return
    held = session.execute(
        select(Role.code, Role.name)
        .join(RoleGrant, RoleGrant.role_id == Role.id)
        .where(
            RoleGrant.user_id == user_id,
            RoleGrant.org_unit_id == org_unit_id,
            RoleGrant.revoked_at.is_(None),
            Role.code.in_(sorted(rivals)),
        )
        .order_by(Role.code)
    ).first()
    if held is None:
        return
    code, name = held
    own_name = session.scalar(select(Role.name).where(Role.code == role_code)) or role_code
    raise UserInputError(
        "SEPARATION_OF_DUTIES",
        f"此人在该单位已担任“{name}”，不能再担任“{own_name}”：{rivals[code].reason_zh}。",
        field,
    )


def require_different_people(
    requester_id: int | None,
    approver_id: int | None,
    *,
    field: str | None = "approverId",
    requester: str = "申请人",
    request: str = "申请",
) -> None:
    """Refuse (``UserInputError`` APPROVER_IS_REQUESTER) an approval by the
    person who asked for it. ``requester`` and ``request`` name that person
    and their act in the message (起草人 and 起草 for a notice's drafter)."""
    if approver_id is None:
        raise UserInputError("APPROVER_REQUIRED", "须指明审批人。", field)
    if requester_id is not None and requester_id == approver_id:
        raise UserInputError(
            "APPROVER_IS_REQUESTER", f"审批人不能是{requester}本人：{request}与审批须由不同的人完成。", field
        )
