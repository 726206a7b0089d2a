"""The permission codes core itself checks, declared through
``register_permissions`` like any plugin's.

Residents, households and places live in core ("data collected once, shared
by all"), so the ``people.*`` permissions are core's; the modules that use
those records check them. Revealing an unmasked ID number or phone number is
a permission of its own (PIPL: minimum necessary, masked by default) and
every reveal is audited.
"""

from __future__ import annotations

from core.auth.permissions import Permission

ORG_UNIT_VIEW = Permission("org.unit.view", "查看组织单位")
ORG_UNIT_MANAGE = Permission("org.unit.manage", "新建、修改和调整组织单位（区划调整）")
POLICY_VIEW = Permission("policy.view", "查看地方策略")
POLICY_MANAGE = Permission("policy.manage", "设定或撤销本单位的地方策略")
AUDIT_VIEW = Permission("audit.view", "查看审计记录")
USER_VIEW = Permission("user.view", "查看用户账号及其授权")
USER_MANAGE = Permission("user.manage", "新建用户、授予和撤销角色")
# Roles reach every unit they are granted at: defined at a root unit (system administrators).
ROLE_MANAGE = Permission("role.manage", "定义自定义角色、调整其权限（须在最上级单位拥有）")
PEOPLE_VIEW = Permission("people.view", "查看居民、住户和房屋信息（敏感项脱敏）")
PEOPLE_MANAGE = Permission("people.manage", "登记和修改居民、住户和房屋信息")
PEOPLE_VIEW_SENSITIVE = Permission(
    "people.view_sensitive", "查看敏感人群标记（低保、残疾、社区矫正、重点人员、信访等）"
)
PEOPLE_REVEAL_ID_NUMBER = Permission("people.reveal_id_number", "查看完整身份证号（每次查看均记入审计）")
PEOPLE_REVEAL_PHONE = Permission("people.reveal_phone", "查看完整电话号码（每次查看均记入审计）")
# Shows a resident only their own household: those who manage the records grant it.
PEOPLE_VIEW_OWN = Permission(
    "people.view_own", "查看和更正本人及本户的信息（居民自助）", grantable_by=("people.manage",)
)

CORE_PERMISSIONS: tuple[Permission, ...] = (
    ORG_UNIT_VIEW,
    ORG_UNIT_MANAGE,
    POLICY_VIEW,
    POLICY_MANAGE,
    AUDIT_VIEW,
    USER_VIEW,
    USER_MANAGE,
    ROLE_MANAGE,
    PEOPLE_VIEW,
    PEOPLE_MANAGE,
    PEOPLE_VIEW_SENSITIVE,
    PEOPLE_REVEAL_ID_NUMBER,
    PEOPLE_REVEAL_PHONE,
    PEOPLE_VIEW_OWN,
)
