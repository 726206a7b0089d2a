"""Roles: the built-in ones (shipped as data) and locally defined ones.

A role is a named set of permission codes. The built-in roles follow the
people who work in grassroots governance; where a role is held decides how
far it reaches (a grid worker's grant is at a grid, a street officer's at a
street). ``ensure_default_roles`` creates the built-in roles and keeps their
permissions in step with the declared ones: core's as listed here, plus every
plugin permission that names the role in its ``default_roles``; the system
administrator holds every declared permission. Run it again after enabling
a plugin (``jiceng user sync-roles``).

Built-in roles are owned by the software: local changes to them are undone
by the next sync. A locality that needs another mix defines its own role
(``define_role``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.models import ROLE_CODE_LENGTH, ROLE_NAME_LENGTH, Role, RolePermission
from core.auth.permissions import PermissionRegistry

ADMIN = "admin"
ROLE_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class RoleDefinition:
    code: str
    name: str
    description: str
    permissions: tuple[str, ...]


_ALL_PEOPLE = (
    "people.view",
    "people.manage",
    "people.view_sensitive",
    "people.reveal_id_number",
    "people.reveal_phone",
)

DEFAULT_ROLES: tuple[RoleDefinition, ...] = (
    RoleDefinition(
        "grid_worker",
        "网格员",
        "负责一个网格：走访、登记和更新实有人口与房屋信息，上报网格事件。",
        ("org.unit.view", "people.view", "people.manage", "people.reveal_phone"),
    ),
    RoleDefinition(
        "building_head",
        "楼栋长",
        "一栋楼的联系人：了解住户情况，报告“八必报”事项。",
        ("org.unit.view", "people.view"),
    ),
    RoleDefinition(
        "community_worker",
        "社区工作者",
        "社区公共事务服务中心的专职工作人员。",
        ("org.unit.view", "policy.view", *_ALL_PEOPLE),
    ),
    RoleDefinition(
        "committee_chair",
        "居委会主任",
        "居民委员会主任（村委会主任）。",
        ("org.unit.view", "policy.view", "user.view", "people.view", "people.view_sensitive", "people.reveal_phone"),
    ),
    RoleDefinition(
        "party_secretary",
        "党组织书记",
        "社区（村）党组织书记。",
        ("org.unit.view", "policy.view", "user.view", "people.view"),
    ),
    RoleDefinition(
        "family_planning_worker",
        "计生专干",
        "社区（村）人口和计划生育专干：提供计划生育服务，查阅婚育记录须说明用途并记入审计。",
        ("org.unit.view", "people.view"),
    ),
    RoleDefinition(
        "accountant",
        "会计",
        "居委会（村）会计：记账，与出纳分设。",
        ("org.unit.view", "policy.view"),
    ),
    RoleDefinition(
        "cashier",
        "出纳",
        "居委会（村）出纳：管钱，不管账。",
        ("org.unit.view",),
    ),
    RoleDefinition(
        "supervisor",
        "监督员",
        "居务（村务）监督委员会成员、居民监督员：监督财务和居务公开。",
        ("org.unit.view", "policy.view"),
    ),
    RoleDefinition(
        "street_staff",
        "街道工作人员",
        "街道办事处（乡镇）工作人员，面向辖区全部社区。",
        ("org.unit.view", "policy.view", "user.view", *_ALL_PEOPLE),
    ),
    RoleDefinition(
        "street_leader",
        "街道领导",
        "街道办事处（乡镇）主任、分管副主任：管理辖区的单位、策略和账号。",
        (
            "org.unit.view",
            "org.unit.manage",
            "policy.view",
            "policy.manage",
            "audit.view",
            "user.view",
            "user.manage",
            *_ALL_PEOPLE,
        ),
    ),
    RoleDefinition(
        "district_staff",
        "区（县）工作人员",
        "区（县）综治办、司法局等部门工作人员：承办上报到区（县）的事项，如终结处理重大矛盾纠纷（重大不出县）。",
        ("org.unit.view", "policy.view", "people.view"),
    ),
    RoleDefinition(
        "district_supervisor",
        "区级督导",
        "区（县）民政、综治等部门的督导人员：检查和考核辖区街道、社区。",
        ("org.unit.view", "policy.view", "audit.view", "user.view", "people.view"),
    ),
    RoleDefinition(
        "auditor",
        "审计员",
        "审计人员：查阅审计记录和账目，不经手资金。",
        ("org.unit.view", "policy.view", "audit.view", "user.view"),
    ),
    RoleDefinition(
        ADMIN,
        "系统管理员",
        "拥有本部署声明的全部权限，范围为授权所在单位及其全部下级。",
        (),
    ),
    RoleDefinition(
        "resident",
        "居民",
        "居民本人：只能查看和更正本人及本户的信息。",
        ("people.view_own",),
    ),
)


def default_role_permissions(registry: PermissionRegistry) -> dict[str, list[str]]:
    """Role code -> the declared permission codes it carries."""
    wanted: dict[str, set[str]] = {role.code: set(role.permissions) for role in DEFAULT_ROLES}
    wanted[ADMIN] = {p.code for p in registry.all() if not p.withheld_from_admin}
    for permission in registry.all():
        for role_code in permission.default_roles:
            if role_code in wanted:
                wanted[role_code].add(permission.code)
    return {code: sorted(c for c in codes if c in registry) for code, codes in wanted.items()}


def ensure_default_roles(session: Session, registry: PermissionRegistry) -> dict[str, Role]:
    """Create the built-in roles, or bring their names and permissions up to
    date; returns every built-in role by code."""
    existing = {
        role.code: role for role in session.scalars(select(Role).where(Role.code.in_([r.code for r in DEFAULT_ROLES])))
    }
    permissions = default_role_permissions(registry)
    result: dict[str, Role] = {}
    for definition in DEFAULT_ROLES:
        role = existing.get(definition.code)
        if role is None:
            role = Role(code=definition.code, name=definition.name, description=definition.description, is_builtin=True)
            session.add(role)
        role.name = definition.name
        role.description = definition.description
        role.is_builtin = True
        _set_permissions(role, permissions[definition.code])
        result[definition.code] = role
    session.flush()
    return result


def _set_permissions(role: Role, codes: Iterable[str]) -> None:
    wanted = set(codes)
    for item in list(role.permissions):
        if item.permission_code not in wanted:
            role.permissions.remove(item)
    have = {item.permission_code for item in role.permissions}
    for code in sorted(wanted - have):
        role.permissions.append(RolePermission(permission_code=code))


def _role_problems(
    registry: PermissionRegistry, *, code: str | None, name: str | None, permissions: Iterable[str] | None
) -> list[ErrorDetail]:
    problems: list[ErrorDetail] = []
    if code is not None and (len(code) > ROLE_CODE_LENGTH or not ROLE_CODE.match(code)):
        problems.append(
            ErrorDetail("INVALID_ROLE_CODE", "角色代码只能由小写英文字母、数字和下划线组成，并以字母开头。", "code")
        )
    if name is not None and (not name.strip() or len(name.strip()) > ROLE_NAME_LENGTH):
        problems.append(ErrorDetail("INVALID_NAME", f"角色名称不能为空，且不超过 {ROLE_NAME_LENGTH} 个字。", "name"))
    undeclared = registry.undeclared(permissions or ())
    if undeclared:
        problems.append(
            ErrorDetail("UNKNOWN_PERMISSION", f"本部署没有声明这些权限：{'、'.join(undeclared)}。", "permissions")
        )
    return problems


def _refuse_builtin(role: Role, field: str) -> None:
    # Built-in roles are owned by the software: the next sync would undo a local change.
    if role.is_builtin:
        raise UserInputError(
            "BUILTIN_ROLE", f"“{role.name}”是内置角色，随软件更新，不能修改；请另建自定义角色。", field
        )


def create_role(
    session: Session,
    registry: PermissionRegistry,
    *,
    code: str,
    name: str,
    permissions: Iterable[str],
    description: str | None = None,
) -> Role:
    """A new locally defined role; every permission must be declared in this deployment."""
    codes = sorted(set(permissions))
    problems = _role_problems(registry, code=code, name=name, permissions=codes)
    if problems:
        raise UserInputError(errors=problems)
    existing = session.scalar(select(Role).where(Role.code == code))
    if existing is not None:
        raise UserInputError("ROLE_EXISTS", f"角色代码“{code}”已被“{existing.name}”使用。", "code")
    role = Role(code=code, name=name.strip(), description=(description or "").strip() or None, is_builtin=False)
    session.add(role)
    _set_permissions(role, codes)
    session.flush()
    return role


def update_role(
    session: Session,
    registry: PermissionRegistry,
    role: Role,
    *,
    name: str | None = None,
    description: str | None = None,
    permissions: Iterable[str] | None = None,
) -> Role:
    """Rename a locally defined role or give it a new set of permissions
    (``None``: unchanged). Built-in roles are refused."""
    codes = sorted(set(permissions)) if permissions is not None else None
    problems = _role_problems(registry, code=None, name=name, permissions=codes)
    if problems:
        raise UserInputError(errors=problems)
    _refuse_builtin(role, "role")
    if name is not None:
        role.name = name.strip()
    if description is not None:
        role.description = description.strip() or None
    if codes is not None:
        _set_permissions(role, codes)
    session.flush()
    return role


def define_role(
    session: Session,
    registry: PermissionRegistry,
    *,
    code: str,
    name: str,
    permissions: Iterable[str],
    description: str | None = None,
) -> Role:
    """Create or change a locally defined role (``create_role``, ``update_role``)."""
    role = session.scalar(select(Role).where(Role.code == code))
    if role is None:
        return create_role(session, registry, code=code, name=name, permissions=permissions, description=description)
    problems = _role_problems(registry, code=code, name=name, permissions=permissions)
    if problems:
        raise UserInputError(errors=problems)
    _refuse_builtin(role, "code")
    return update_role(session, registry, role, name=name, description=description or "", permissions=permissions)


def get_role(session: Session, code: str, *, field: str | None = "role") -> Role:
    role = session.scalar(select(Role).where(Role.code == code))
    if role is None:
        raise UserInputError("UNKNOWN_ROLE", f"没有代码为“{code}”的角色。", field)
    return role


def roles_by_code(session: Session) -> Mapping[str, Role]:
    return {role.code: role for role in session.scalars(select(Role).order_by(Role.code))}
