"""GraphQL for sign-in, the signed-in user, roles, permissions and grants.

Resolvers read the signed-in user from ``info.context.user`` (a
``core.auth.permissions.Principal``, or None when not signed in).

An account may be linked to its holder's record in the people registry
(``createUser(input: {residentId})``, or ``jiceng user create
--resident-id``): the caller needs ``people.manage`` at the resident's
unit, and a resident has at most one account. ``me.resident`` and
``User.resident`` show the linked record where the caller may see it
(``core.people.schema.may_see``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import strawberry
from sqlalchemy import ColumnElement, exists, false, or_, select
from sqlalchemy.orm import object_session

from core.api.context import RequestContext
from core.api.errors import (
    NotFoundError,
    PermissionDeniedError,
    UserError,
    UserInputError,
)
from core.api.ids import object_for, object_in_scope
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import Connection, Node, decode_pk, decode_pk_for_scope_check, model_type, paginate
from core.api.rows import required_row_as, row_as, rows_as
from core.auth import roles, service
from core.auth.config import AuthConfig
from core.auth.core_permissions import ROLE_MANAGE
from core.auth.models import Role, RoleGrant, User
from core.auth.permissions import (
    Permission,
    PermissionRegistry,
    Principal,
    can_at_root,
    principal_of,
    registry_for_context,
    require,
    require_at_root,
    require_signed_in,
    scope_condition,
)
from core.auth.roles import get_role
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people.models import Resident
from core.people.schema import ResidentType, may_see

USER_VIEW = "user.view"


def _config(context: RequestContext) -> AuthConfig:
    cached = context.cache.get("auth.config")
    if cached is None:
        cached = context.cache["auth.config"] = AuthConfig.from_settings(context.settings)
    return cached


def _registry(info: strawberry.Info) -> PermissionRegistry:
    return registry_for_context(info.context)


# --- who may see which accounts -------------------------------------------------------


def visible_users(who: Any) -> ColumnElement[bool]:
    """Users ``who`` may see: themselves, and anyone holding an active grant
    at a unit within their ``user.view`` scope."""
    principal = principal_of(who)
    if principal is None:
        return false()
    in_scope = exists(
        select(RoleGrant.id)
        .join(OrgUnit, OrgUnit.id == RoleGrant.org_unit_id)
        .where(
            RoleGrant.user_id == User.id,
            RoleGrant.revoked_at.is_(None),
            scope_condition(principal, USER_VIEW, OrgUnit.path),
        )
    )
    return or_(User.id == principal.id, in_scope)


def visible_grants(who: Any) -> ColumnElement[bool]:
    """Grants ``who`` may see: their own, and those at units within their ``user.view`` scope."""
    principal = principal_of(who)
    if principal is None:
        return false()
    unit_in_scope = exists(
        select(OrgUnit.id).where(
            OrgUnit.id == RoleGrant.org_unit_id, scope_condition(principal, USER_VIEW, OrgUnit.path)
        )
    )
    return or_(RoleGrant.user_id == principal.id, unit_in_scope)


def load_users(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for users, limited to the users the caller may see."""
    if not pks:
        return {}
    rows = context.session.scalars(select(User).where(User.id.in_(pks), visible_users(context)))
    return {row.id: row for row in rows}


def load_grants(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    if not pks:
        return {}
    rows = context.session.scalars(select(RoleGrant).where(RoleGrant.id.in_(pks), visible_grants(context)))
    return {row.id: row for row in rows}


def user_paths(user: User) -> tuple[str, ...]:
    """An account belongs wherever it holds an active grant: acting on it
    needs the permission at every one of them, so that an account with a
    grant in another street is out of reach (an account without grants
    belongs nowhere yet and may be taken up by whoever manages users)."""
    session = object_session(user)
    assert session is not None
    return tuple(
        session.scalars(
            select(OrgUnit.path)
            .join(RoleGrant, RoleGrant.org_unit_id == OrgUnit.id)
            .where(RoleGrant.user_id == user.id, RoleGrant.revoked_at.is_(None))
        )
    )


def _resident_to_link(context: RequestContext, global_id: str | None) -> int | None:
    """A resident within the caller's people.view (or people.manage) scope;
    ``service.check_resident_link`` then requires people.manage there."""
    if global_id is None:
        return None
    row = object_in_scope(
        context,
        global_id,
        Resident,
        "Resident",
        (service.PEOPLE_VIEW, service.PEOPLE_MANAGE),
        field="residentId",
        what="居民",
    )
    return row.id


def grant_paths(grant: RoleGrant) -> tuple[str, ...]:
    return (grant.org_unit.path,)


def managed_account(context: RequestContext, global_id: str, *, field: str = "userId") -> User:
    """An account the caller manages: every active grant of it lies within
    the caller's ``user.manage`` scope. An account without grants belongs
    nowhere yet and may be taken up by whoever manages users. An account
    with a grant the caller cannot see answers as one that does not exist."""
    try:
        return object_for(context, global_id, "User", service.USER_MANAGE, field=field, what="用户")
    except PermissionDeniedError:
        # Seen through a grant in scope, but it holds another one elsewhere.
        raise UserInputError(
            "FORBIDDEN", "该账号在您管理范围以外的单位也有授权，须由管理范围覆盖其全部授权的上级单位办理。", field
        ) from None
    except NotFoundError:
        user = context.session.get(User, decode_pk_for_scope_check(global_id, "User", field=field))
        if user is not None and principal_of(context) is not None and not user_paths(user):
            return user
        raise


# --- types -----------------------------------------------------------------------------


@strawberry.type(name="Permission", description="一项权限：代码、中文说明和声明它的模块。")
class PermissionType:
    code: str = strawberry.field(description="权限代码，如 people.view。")
    description: str = strawberry.field(description="中文说明。")
    owner: str = strawberry.field(description="声明此权限的模块：core 或插件名称。")
    declared: bool = strawberry.field(description="本部署是否声明了此权限（停用插件的权限为 false）。")

    @classmethod
    def of(cls, permission: Permission) -> PermissionType:
        return cls(code=permission.code, description=permission.description_zh, owner=permission.owner, declared=True)

    @classmethod
    def for_code(cls, registry: PermissionRegistry, code: str) -> PermissionType:
        found = registry.get(code)
        if found is not None:
            return cls.of(found)
        return cls(code=code, description=code, owner=code.split(".", 1)[0], declared=False)


@model_type(Role, name="Role", description="角色：一组权限。角色授予在某个组织单位，作用于该单位及其全部下级。")
class RoleType:
    code: str = strawberry.field(description="角色代码，如 grid_worker。")
    name: str = strawberry.field(description="中文名称，如 网格员。")
    description: str | None = strawberry.field(description="说明。")
    is_builtin: bool = strawberry.field(description="是否为系统内置角色（随软件更新）。")

    @strawberry.field(description="角色包含的权限。")
    def permissions(self, root: Role, info: strawberry.Info) -> list[PermissionType]:
        registry = _registry(info)
        return [PermissionType.for_code(registry, code) for code in root.permission_codes]


@model_type(User, name="User", description="用户账号。")
class UserType(Node):
    username: str = strawberry.field(description="登录用的用户名。")
    display_name: str = strawberry.field(description="姓名。")
    is_active: bool = strawberry.field(description="账号是否启用。")
    created_at: datetime = strawberry.field(description="创建时间。")
    last_login_at: datetime | None = strawberry.field(description="最近一次登录的时间。")

    @strawberry.field(description="当前有效的授权（角色及其所在单位）：只列本人的，以及在本人“查看用户”权限范围内的。")
    def grants(self, root: User, info: strawberry.Info) -> list[RoleGrantType]:
        context: RequestContext = info.context
        rows = context.session.scalars(
            select(RoleGrant)
            .where(RoleGrant.user_id == root.id, RoleGrant.revoked_at.is_(None), visible_grants(context))
            .order_by(RoleGrant.id)
        )
        return rows_as(RoleGrantType, list(rows))

    @strawberry.field(description="账号关联的居民（账号持有人本人）；未关联或不在查看范围内时为空。")
    def resident(self, root: User, info: strawberry.Info) -> ResidentType | None:
        found = related(info.context, root, "resident_id", Resident)
        return row_as(ResidentType, found if may_see(info.context, found) else None)


@model_type(
    RoleGrant, name="RoleGrant", description="一次授权：某人在某个组织单位担任某个角色，作用于该单位及其全部下级。"
)
class RoleGrantType(Node):
    granted_at: datetime = strawberry.field(description="授权时间。")
    revoked_at: datetime | None = strawberry.field(description="撤销时间；有效的授权为空。")

    @strawberry.field(description="角色。")
    def role(self, root: RoleGrant) -> RoleType:
        return row_as(RoleType, root.role)

    @strawberry.field(description="授权所在的组织单位。")
    def org_unit(self, root: RoleGrant) -> OrgUnitType:
        return row_as(OrgUnitType, root.org_unit)

    @strawberry.field(description="被授权的用户。")
    def user(self, root: RoleGrant, info: strawberry.Info) -> UserType:
        context: RequestContext = info.context
        return row_as(UserType, context.session.get_one(User, root.user_id))

    @strawberry.field(description="授权是否仍然有效。")
    def is_active(self, root: RoleGrant) -> bool:
        return root.revoked_at is None


@strawberry.type(name="PermissionScope", description="一项权限在哪些组织单位（及其全部下级）有效。")
class PermissionScopeType:
    permission: PermissionType
    org_units: list[OrgUnitType]


@strawberry.type(name="Me", description="当前登录的用户、其授权和各项权限的作用范围。")
class MeType:
    principal: strawberry.Private[Principal]

    @strawberry.field(description="用户账号。")
    def user(self, info: strawberry.Info) -> UserType:
        context: RequestContext = info.context
        return required_row_as(UserType, context.session.get(User, self.principal.id))

    @strawberry.field(description="当前有效的授权。")
    def grants(self, info: strawberry.Info) -> list[RoleGrantType]:
        return rows_as(RoleGrantType, service.active_grants(info.context.session, self.principal.id))

    @strawberry.field(description="各项权限作用的组织单位（不含被上级单位覆盖的下级）。")
    def scopes(self, info: strawberry.Info) -> list[PermissionScopeType]:
        registry = _registry(info)
        ids = {
            code: [int(path.strip("/").split("/")[-1]) for path in paths]
            for code, paths in self.principal.scopes.items()
        }
        wanted = sorted({i for group in ids.values() for i in group})
        units = (
            {u.id: u for u in info.context.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(wanted)))}
            if wanted
            else {}
        )
        return [
            PermissionScopeType(
                permission=PermissionType.for_code(registry, code),
                org_units=[units[i] for i in group if i in units],
            )
            for code, group in ids.items()
        ]

    @strawberry.field(description="本次会话的到期时间。")
    def session_expires_at(self) -> datetime | None:
        return self.principal.session_expires_at

    @strawberry.field(
        description="本人在居民登记中的记录（账号关联了居民时）；须有“查看本人及本户信息”或“查看居民”权限，否则为空。"
    )
    def resident(self, info: strawberry.Info) -> ResidentType | None:
        if self.principal.resident_id is None:
            return None
        found = info.context.session.get(Resident, self.principal.resident_id)
        return found if may_see(info.context, found) else None


# --- queries ---------------------------------------------------------------------------


@strawberry.type
class AuthQuery:
    @strawberry.field(description="当前登录的用户；未登录时为 null。")
    def me(self, info: strawberry.Info) -> MeType | None:
        principal = principal_of(info.context)
        return MeType(principal=principal) if principal is not None else None

    @strawberry.field(description="全部角色及其权限。需要登录。")
    def roles(self, info: strawberry.Info) -> list[RoleType]:
        require_signed_in(info.context)
        context: RequestContext = info.context
        return rows_as(RoleType, list(context.session.scalars(select(Role).order_by(Role.code))))

    @strawberry.field(description="本部署声明的全部权限（核心与已启用插件）。需要登录。")
    def permissions(self, info: strawberry.Info) -> list[PermissionType]:
        require_signed_in(info.context)
        return [PermissionType.of(p) for p in _registry(info).all()]

    @strawberry.field(description="可见的用户：本人，以及在本人“查看用户”权限范围内有授权的用户；按创建顺序分页。")
    def users(
        self,
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[UserType]:
        require_signed_in(info.context)
        statement = select(User).where(visible_users(info.context))
        return paginate(info.context, statement, (User.id,), first=first, after=after, last=last, before=before)


# --- mutations -------------------------------------------------------------------------


@strawberry.input(description="用户名和密码。")
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(
        default=None, description="会话令牌：之后的请求带上 Authorization: Bearer <token>。只在此处出现一次。"
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="会话最迟的到期时间（长时间无操作会更早结束）。"
    )
    user: UserType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="退出登录。")
class LogoutInput:
    everywhere: bool = strawberry.field(default=False, description="同时结束本人在其他设备上的全部会话。")


@strawberry.type
class LogoutPayload:
    ended_sessions: int = strawberry.field(default=0, description="结束的会话数。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="修改本人密码。")
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type
class ChangePasswordPayload:
    user: UserType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="在某个组织单位授予某人一个角色。")
class GrantRoleInput:
    user_id: strawberry.ID
    role: str = strawberry.field(description="角色代码（见 roles），如 grid_worker。")
    org_unit_id: strawberry.ID


@strawberry.type
class GrantRolePayload:
    grant: RoleGrantType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="撤销一次授权。")
class RevokeGrantInput:
    grant_id: strawberry.ID


@strawberry.type
class RevokeGrantPayload:
    grant: RoleGrantType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="把已有账号关联到持有人本人的居民记录（居民自助），或解除关联。")
class LinkUserResidentInput:
    user_id: strawberry.ID
    resident_id: strawberry.ID | None = strawberry.field(
        default=None, description="本人的居民记录；为空时解除关联。需要在该居民所在单位有“登记和修改居民”权限。"
    )


@strawberry.type
class LinkUserResidentPayload:
    user: UserType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="新建用户，并在某个组织单位授予第一个角色。")
class CreateUserInput:
    username: str
    display_name: str
    password: str = strawberry.field(description="初始密码；请本人登录后修改。")
    role: str = strawberry.field(description="角色代码（见 roles），如 grid_worker。")
    org_unit_id: strawberry.ID
    resident_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="账号持有人本人的居民记录（如居民自助账号）：需要在该居民所在单位有“登记和修改居民”权限；"
        "每位居民只能关联一个账号。",
    )


@strawberry.type
class CreateUserPayload:
    user: UserType | None = None
    grant: RoleGrantType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="定义一个自定义角色：代码、名称和权限（须为本部署声明的权限）。")
class DefineRoleInput:
    code: str = strawberry.field(description="角色代码：小写英文字母、数字和下划线，以字母开头，如 mediator。")
    name: str = strawberry.field(description="中文名称，如 调解员。")
    permissions: list[str] = strawberry.field(description="权限代码，见 permissions 查询。")
    description: str | None = strawberry.field(default=None, description="说明。")


@strawberry.input(
    description="调整自定义角色：未给出的字段保持不变；permissions 给出时为调整后的全部权限。内置角色不能调整。"
)
class UpdateRoleInput:
    role: str = strawberry.field(description="角色代码，见 roles。")
    name: str | None = None
    description: str | None = None
    permissions: list[str] | None = strawberry.field(default=None, description="调整后的全部权限代码。")


@strawberry.type
class RolePayload:
    role: RoleType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _check_role_permissions(
    context: RequestContext, registry: PermissionRegistry, role: Role | None, codes: list[str]
) -> None:
    """Nobody gives a role more than they hold: a permission added to a role
    must be held by the caller at a root unit (the role may be granted anywhere)."""
    have = set(role.permission_codes) if role is not None else set()
    added = [code for code in sorted(set(codes) - have) if code in registry]
    missing = [code for code in added if not can_at_root(context, code)]
    if missing:
        described = "、".join(f"“{registry.description(code)}”" for code in missing[:5])
        more = f"等 {len(missing)} 项" if len(missing) > 5 else ""
        raise UserInputError(
            "PERMISSION_NOT_HELD", f"不能把本人在最上级单位没有的权限加入角色：{described}{more}。", "permissions"
        )


@strawberry.type
class AuthMutation:
    @strawberry.mutation(
        description="定义自定义角色：需要在最上级单位拥有“定义自定义角色、调整其权限”权限（系统管理员），"
        "且本人拥有所列全部权限；未声明的权限被拒绝。记入审计。"
    )
    @atomic
    def define_role(self, info: strawberry.Info, input: DefineRoleInput) -> RolePayload:
        context: RequestContext = info.context
        registry = _registry(info)
        context.audit_subject(
            "Role", None, None, detail={"code": input.code, "permissions": sorted(set(input.permissions))}
        )
        require_at_root(context, ROLE_MANAGE.code, registry=registry)
        _check_role_permissions(context, registry, None, input.permissions)
        role = roles.create_role(
            context.session,
            registry,
            code=input.code,
            name=input.name,
            permissions=input.permissions,
            description=input.description,
        )
        context.audit_subject("Role", role.id, None, detail={"code": role.code, "permissions": role.permission_codes})
        return RolePayload(role=row_as(RoleType, role))

    @strawberry.mutation(
        description="调整自定义角色的名称、说明或权限：需要在最上级单位拥有“定义自定义角色、调整其权限”权限（系统管理员），"
        "新增的权限须本人拥有；内置角色随软件更新，不能调整（请另建角色）。记入审计，含调整前后的权限。"
    )
    @atomic
    def update_role(self, info: strawberry.Info, input: UpdateRoleInput) -> RolePayload:
        context: RequestContext = info.context
        registry = _registry(info)
        context.audit_subject("Role", None, None, detail={"code": input.role})
        require_at_root(context, ROLE_MANAGE.code, registry=registry)
        role = get_role(context.session, input.role)
        before = role.permission_codes
        if input.permissions is not None:
            _check_role_permissions(context, registry, role, input.permissions)
        roles.update_role(
            context.session,
            registry,
            role,
            name=input.name,
            description=input.description,
            permissions=input.permissions,
        )
        context.audit_subject(
            "Role", role.id, None, detail={"code": role.code, "before": before, "permissions": role.permission_codes}
        )
        return RolePayload(role=row_as(RoleType, role))

    @strawberry.mutation(description="登录：用户名和密码正确时返回会话令牌。多次失败后暂时锁定。")
    @atomic
    def login(self, info: strawberry.Info, input: LoginInput) -> LoginPayload:
        context: RequestContext = info.context
        username = service.normalize_username(input.username)[:64]
        context.audit_subject("User", None, None, detail={"username": username})
        signed_in = service.login(
            context.session, _config(context), input.username, input.password, client_address=context.client_address
        )
        context.audit_subject("User", signed_in.user.id, None)
        return LoginPayload(
            token=signed_in.token, expires_at=signed_in.expires_at, user=row_as(UserType, signed_in.user)
        )

    @strawberry.mutation(description="退出登录：本次会话立即失效。")
    @atomic
    def logout(self, info: strawberry.Info, input: LogoutInput | None = None) -> LogoutPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        context.audit_subject("User", principal.id, None, detail={"everywhere": bool(input and input.everywhere)})
        ended = service.logout(context.session, principal, everywhere=bool(input and input.everywhere))
        return LogoutPayload(ended_sessions=ended)

    @strawberry.mutation(description="修改本人密码；本人其他会话随即失效。")
    @atomic
    def change_password(self, info: strawberry.Info, input: ChangePasswordInput) -> ChangePasswordPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        context.audit_subject("User", principal.id, None)
        user = service.change_password(
            context.session,
            _config(context),
            principal,
            input.current_password,
            input.new_password,
            client_address=context.client_address,
        )
        return ChangePasswordPayload(user=row_as(UserType, user))

    @strawberry.mutation(description="授予角色：需要在该单位有“管理用户”权限，且本人拥有该角色的全部权限。")
    @atomic
    def grant_role(self, info: strawberry.Info, input: GrantRoleInput) -> GrantRolePayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        registry = _registry(info)
        unit_id = decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId")
        context.audit_subject("RoleGrant", None, unit_id, detail={"role": input.role})
        # Scope first (units are public), then the account: one with a grant
        # outside the caller's scope is "not found", whatever else is wrong.
        require(
            principal,
            service.USER_MANAGE,
            org_service.get_unit(context.session, unit_id, field="orgUnitId"),
            registry=registry,
        )
        user_id = managed_account(context, input.user_id).id
        context.audit_subject("RoleGrant", None, unit_id, detail={"role": input.role, "userId": user_id})
        grant = service.grant_role(
            context.session, _registry(info), principal, user_id=user_id, role_code=input.role, org_unit_id=unit_id
        )
        context.audit_subject("RoleGrant", grant.id, unit_id, detail={"role": input.role, "userId": user_id})
        return GrantRolePayload(grant=row_as(RoleGrantType, grant))

    @strawberry.mutation(description="撤销授权：需要在授权所在单位有“管理用户”权限。")
    @atomic
    def revoke_grant(self, info: strawberry.Info, input: RevokeGrantInput) -> RevokeGrantPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        grant_id = object_for(
            context, input.grant_id, "RoleGrant", service.USER_MANAGE, field="grantId", what="授权"
        ).id
        context.audit_subject("RoleGrant", grant_id, None)
        grant = service.revoke_grant(context.session, _registry(info), principal, grant_id)
        context.audit_subject("RoleGrant", grant.id, grant.org_unit_id, detail={"userId": grant.user_id})
        return RevokeGrantPayload(grant=row_as(RoleGrantType, grant))

    @strawberry.mutation(
        description="把已有账号关联到本人的居民记录，或解除关联：需要在该居民所在单位有“登记和修改居民”权限；"
        "每位居民只能关联一个账号，已关联的账号须先解除。"
    )
    @atomic
    def link_user_resident(self, info: strawberry.Info, input: LinkUserResidentInput) -> LinkUserResidentPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        user_id = managed_account(context, input.user_id).id
        resident_id = _resident_to_link(context, input.resident_id)
        context.audit_subject("User", user_id, None, detail={"residentId": resident_id})
        user = service.link_resident(
            context.session, _registry(info), principal, user_id=user_id, resident_id=resident_id
        )
        return LinkUserResidentPayload(user=row_as(UserType, user))

    @strawberry.mutation(
        description="新建用户并授予第一个角色：需要在该单位有“管理用户”权限，且本人拥有该角色的全部权限；"
        "关联居民还需要在该居民所在单位有“登记和修改居民”权限。"
    )
    @atomic
    def create_user(self, info: strawberry.Info, input: CreateUserInput) -> CreateUserPayload:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        registry = _registry(info)
        unit_id = decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId")
        resident_id = _resident_to_link(context, input.resident_id)
        detail: dict[str, Any] = {"role": input.role}
        if resident_id is not None:
            detail["residentId"] = resident_id
        context.audit_subject("User", None, unit_id, detail=detail)
        # Scope and role first, so that an outsider learns nothing about usernames.
        unit = org_service.get_unit(context.session, unit_id, field="orgUnitId")
        require(principal, service.USER_MANAGE, unit, registry=registry)
        service.check_grantable(context.session, registry, principal, get_role(context.session, input.role), unit)
        if resident_id is not None:
            service.check_resident_link(context.session, registry, principal, resident_id)
        user = service.create_user(
            context.session,
            _config(context),
            username=input.username,
            display_name=input.display_name,
            password=input.password,
            resident_id=resident_id,
        )
        grant = service.grant_role(
            context.session, registry, principal, user_id=user.id, role_code=input.role, org_unit_id=unit.id
        )
        context.audit_subject("User", user.id, unit.id, detail={**detail, "grantId": grant.id})
        return CreateUserPayload(user=row_as(UserType, user), grant=row_as(RoleGrantType, grant))
