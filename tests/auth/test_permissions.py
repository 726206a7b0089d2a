"""Permission declarations, scopes, scope_condition, grants and separation of duties."""

from __future__ import annotations

from types import ModuleType

import pytest
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import False_

from core.api.errors import PermissionDeniedError, UserInputError
from core.app import Deployment
from core.auth import service
from core.auth.models import Role, RoleGrant, RolePermission
from core.auth.permissions import (
    Permission,
    PermissionDeclarationError,
    PermissionRegistry,
    Principal,
    build_registry,
    can,
    check_separation,
    minimal_paths,
    require,
    require_different_people,
    scope_condition,
)
from core.auth.roles import DEFAULT_ROLES, define_role, ensure_default_roles
from core.hookspecs import hookimpl
from core.org.models import OrgUnit
from core.plugin_host import load_plugin_host
from core.testing import plugin_module
from tests.auth.conftest import MakeUser, Tree, principal

# --- declarations -----------------------------------------------------------------------


def _plugin(name: str, *permissions: object) -> ModuleType:
    @hookimpl
    def register_permissions() -> list[object]:
        return list(permissions)

    return plugin_module(name, register_permissions=register_permissions)


def _host_with(*plugins: ModuleType):
    host = load_plugin_host(())
    for plugin in plugins:
        host.manager.register(plugin, name=plugin.__name__)
    host.enabled = tuple(p.__name__ for p in plugins)
    return host


def test_core_declares_its_permissions_with_chinese_descriptions(registry: PermissionRegistry) -> None:
    codes = {p.code for p in registry.all()}
    assert {
        "org.unit.view",
        "org.unit.manage",
        "audit.view",
        "policy.manage",
        "user.manage",
        "people.view",
        "people.manage",
        "people.reveal_id_number",
        "people.reveal_phone",
    } <= codes
    for permission in registry.all():
        assert permission.owner == "core"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in permission.description_zh), permission.code


def test_plugin_permissions_join_the_registry_and_may_name_default_roles() -> None:
    finance = _plugin(
        "finance",
        Permission("finance.voucher.book", "登记凭证", default_roles=("accountant",)),
        # A plain record with ``code`` and ``description`` is accepted too.
        type("Declared", (), {"code": "finance.voucher.view", "description": "查看凭证"})(),
    )
    registry = build_registry(_host_with(finance))
    declared = registry.get("finance.voucher.book")
    assert declared is not None and declared.owner == "finance"
    assert registry.description("finance.voucher.view") == "查看凭证"
    from core.auth.roles import default_role_permissions

    defaults = default_role_permissions(registry)
    assert "finance.voucher.book" in defaults["accountant"]
    assert "finance.voucher.book" not in defaults["cashier"]
    assert {"finance.voucher.book", "finance.voucher.view"} <= set(defaults["admin"])


def test_duplicate_declarations_are_rejected() -> None:
    one = _plugin("finance", Permission("finance.voucher.book", "登记凭证"))
    two = _plugin("finance_extra", Permission("finance_extra.x", "某项"), Permission("finance_extra.x", "又一次"))
    with pytest.raises(PermissionDeclarationError, match="declared more than once"):
        build_registry(_host_with(one, two))
    clash_with_core = _plugin("people_plus", Permission("people.view", "查看居民"))
    with pytest.raises(PermissionDeclarationError, match="must start with the plugin's name"):
        build_registry(_host_with(clash_with_core))


def test_malformed_codes_are_rejected() -> None:
    for code in ("Finance.View", "finance", "finance..view", "finance.view-all"):
        with pytest.raises(PermissionDeclarationError):
            build_registry(_host_with(_plugin("finance", Permission(code, "某项"))))
    with pytest.raises(PermissionDeclarationError, match="Chinese description"):
        build_registry(_host_with(_plugin("finance", type("P", (), {"code": "finance.view"})())))


def test_roles_refuse_undeclared_permissions(deployment: Deployment, registry: PermissionRegistry, roles: None) -> None:
    with deployment.session_factory() as session:
        with pytest.raises(UserInputError) as excinfo:
            define_role(
                session, registry, code="mediator", name="调解员", permissions=["people.view", "dispute.case.manage"]
            )
        assert [e.code for e in excinfo.value.errors] == ["UNKNOWN_PERMISSION"]
        assert "dispute.case.manage" in excinfo.value.errors[0].message
        with pytest.raises(UserInputError) as excinfo:
            define_role(session, registry, code="grid_worker", name="网格员", permissions=["people.view"])
        assert excinfo.value.errors[0].code == "BUILTIN_ROLE"
        role = define_role(
            session, registry, code="mediator", name="调解员", permissions=["people.view", "org.unit.view"]
        )
        assert role.permission_codes == ["org.unit.view", "people.view"]


def test_a_grant_of_an_undeclared_permission_is_refused(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    user_id = make_user("lin.hai")
    with deployment.session_factory() as session, session.begin():
        # A role carrying a code nobody declares (a disabled plugin's, or written by hand).
        role = Role(code="legacy", name="旧角色", is_builtin=False)
        role.permissions.append(RolePermission(permission_code="dispute.case.manage"))
        session.add(role)
    with deployment.session_factory() as session:
        with pytest.raises(UserInputError) as excinfo:
            service.grant_role(session, registry, None, user_id=user_id, role_code="legacy", org_unit_id=tree.street)
        assert excinfo.value.errors[0].code == "UNDECLARED_PERMISSION"
        assert "dispute.case.manage" in excinfo.value.errors[0].message


def test_default_roles_cover_the_domain_and_are_kept_in_step(
    deployment: Deployment, registry: PermissionRegistry, roles: None
) -> None:
    expected = {
        "grid_worker": "网格员",
        "building_head": "楼栋长",
        "community_worker": "社区工作者",
        "committee_chair": "居委会主任",
        "party_secretary": "党组织书记",
        "accountant": "会计",
        "family_planning_worker": "计生专干",
        "cashier": "出纳",
        "supervisor": "监督员",
        "street_staff": "街道工作人员",
        "street_leader": "街道领导",
        "district_staff": "区（县）工作人员",
        "district_supervisor": "区级督导",
        "auditor": "审计员",
        "admin": "系统管理员",
        "resident": "居民",
    }
    assert {r.code: r.name for r in DEFAULT_ROLES} == expected
    with deployment.session_factory() as session, session.begin():
        stored = {role.code: role for role in session.scalars(select(Role))}
        assert {code: role.name for code, role in stored.items()} == expected
        assert stored["admin"].permission_codes == sorted(p.code for p in registry.all())
        assert stored["resident"].permission_codes == ["people.view_own"]
        # Drift is undone by the next sync, and running it twice changes nothing.
        stored["grid_worker"].permissions.append(RolePermission(permission_code="audit.view"))
        stored["cashier"].name = "改过的名字"
    with deployment.session_factory() as session, session.begin():
        ensure_default_roles(session, registry)
        ensure_default_roles(session, registry)
    with deployment.session_factory() as session:
        grid = session.execute(select(Role).where(Role.code == "grid_worker")).scalar_one()
        assert "audit.view" not in grid.permission_codes
        assert session.scalar(select(Role.name).where(Role.code == "cashier")) == "出纳"


# --- scopes -----------------------------------------------------------------------------


def test_a_grant_at_a_street_reaches_its_communities_but_not_a_sibling_street(
    deployment: Deployment, make_user: MakeUser, tree: Tree
) -> None:
    officer = principal(deployment, make_user("street.officer", ("street_staff", tree.street)))
    with deployment.session_factory() as session:
        units = {u.id: u for u in session.scalars(select(OrgUnit))}
    for reached in (tree.street, tree.community, tree.grid, tree.other_community):
        assert can(officer, "people.view", units[reached]), units[reached].name
        assert require(officer, "people.view", units[reached]) is officer
    for outside in (tree.sibling_street, tree.sibling_community, tree.district, tree.city):
        assert not can(officer, "people.view", units[outside]), units[outside].name
        with pytest.raises(PermissionDeniedError) as excinfo:
            require(officer, "people.view", units[outside])
        assert "无权" in excinfo.value.message and units[outside].name in excinfo.value.message
    # A permission the role does not carry is held nowhere.
    assert not can(officer, "org.unit.manage", units[tree.street])
    # Not signed in: nothing.
    assert not can(None, "people.view", units[tree.street])
    with pytest.raises(PermissionDeniedError, match="请先登录"):
        require(None, "people.view", units[tree.street])


def test_a_grid_worker_sees_one_grid(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    worker = principal(deployment, make_user("grid.worker", ("grid_worker", tree.grid)))
    with deployment.session_factory() as session:
        units = {u.id: u for u in session.scalars(select(OrgUnit))}
    assert can(worker, "people.view", units[tree.grid])
    assert not can(worker, "people.view", units[tree.community])


def test_principal_merges_grants_into_minimal_paths(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    user_id = make_user(
        "many.hats",
        ("street_staff", tree.street),
        ("grid_worker", tree.grid),  # inside the street: adds nothing for people.view
        ("grid_worker", tree.sibling_community),
    )
    me = principal(deployment, user_id)
    with deployment.session_factory() as session:
        path = {u.id: u.path for u in session.scalars(select(OrgUnit))}
    assert me.paths("people.view") == tuple(sorted((path[tree.street], path[tree.sibling_community])))
    assert me.paths("people.reveal_id_number") == (path[tree.street],)
    assert {(g.role_code, g.org_unit_id) for g in me.grants} == {
        ("street_staff", tree.street),
        ("grid_worker", tree.grid),
        ("grid_worker", tree.sibling_community),
    }
    assert minimal_paths(["/1/5/", "/1/5/7/", "/1/50/", "/1/"]) == ("/1/",)
    assert minimal_paths(["/1/5/", "/1/50/", "/1/5/7/"]) == ("/1/5/", "/1/50/")


def test_principal_is_loaded_in_one_query(deployment: Deployment, config, make_user: MakeUser, tree: Tree) -> None:
    from sqlalchemy import event

    make_user("one.query", ("street_staff", tree.street), ("committee_chair", tree.community))
    with deployment.session_factory() as session:
        token = service.login(session, config, "one.query", "长城-长江-黄河-2026").token
        session.commit()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", count)
    try:
        with deployment.session_factory() as session:
            found = service.principal_for_token(session, token)
    finally:
        event.remove(deployment.engine, "before_cursor_execute", count)
    assert found is not None and found.holds_anywhere("people.view")
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, statements


def test_scope_condition_filters_in_sql(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    officer = principal(deployment, make_user("sql.officer", ("street_staff", tree.street)))
    with deployment.session_factory() as session:
        street_path = session.get_one(OrgUnit, tree.street).path
        statement = (
            select(OrgUnit.name).where(scope_condition(officer, "people.view", OrgUnit.path)).order_by(OrgUnit.path)
        )
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            sql = str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            assert f"org_unit.path >= '{street_path}'" in sql
            assert f"org_unit.path < '{street_path[:-1]}0'" in sql
        names = list(session.scalars(statement))
    assert names == ["八大关街道", "八大关社区", "第一网格", "湛山社区"]


def test_scope_condition_is_false_without_the_permission(
    deployment: Deployment, make_user: MakeUser, tree: Tree
) -> None:
    resident = principal(deployment, make_user("resident.one", ("resident", tree.grid)))
    with deployment.session_factory() as session:
        for who in (resident, None):
            condition = scope_condition(who, "people.view", OrgUnit.path)
            assert isinstance(condition, False_)
            statement = select(OrgUnit.id).where(condition)
            assert list(session.scalars(statement)) == []


def test_scope_condition_accepts_a_request_context(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    from core.api.context import RequestContext

    officer = principal(deployment, make_user("ctx.officer", ("street_staff", tree.sibling_street)))
    with deployment.session_factory() as session:
        context = RequestContext(
            session=session, settings=deployment.settings, registry=deployment.schema.registry, user=officer
        )
        names = list(session.scalars(select(OrgUnit.name).where(scope_condition(context, "people.view", OrgUnit.path))))
    assert sorted(names) == ["太平角社区", "湛山街道"]


# --- grants -----------------------------------------------------------------------------


def test_granting_outside_ones_scope_is_refused(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    leader = principal(deployment, make_user("street.leader", ("street_leader", tree.street)))
    target = make_user("new.worker")
    with deployment.session_factory() as session:
        with pytest.raises(PermissionDeniedError) as excinfo:
            service.grant_role(
                session, registry, leader, user_id=target, role_code="grid_worker", org_unit_id=tree.sibling_community
            )
        assert "太平角社区" in excinfo.value.message
        session.rollback()
        # Inside the street it works.
        grant = service.grant_role(
            session, registry, leader, user_id=target, role_code="grid_worker", org_unit_id=tree.grid
        )
        assert grant.granted_by_id == leader.id
        with pytest.raises(UserInputError) as duplicate:
            service.grant_role(
                session, registry, leader, user_id=target, role_code="grid_worker", org_unit_id=tree.grid
            )
        assert duplicate.value.errors[0].code == "ALREADY_GRANTED"


def test_nobody_grants_more_than_they_hold(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    leader = principal(deployment, make_user("leader.two", ("street_leader", tree.street)))
    target = make_user("would.be.admin")
    with deployment.session_factory() as session:
        with pytest.raises(PermissionDeniedError, match="超出本人权限"):
            service.grant_role(session, registry, leader, user_id=target, role_code="admin", org_unit_id=tree.community)
        # Without user.manage nothing can be granted at all.
        staff = principal(deployment, make_user("staff.only", ("street_staff", tree.street)))
        with pytest.raises(PermissionDeniedError):
            service.grant_role(
                session, registry, staff, user_id=target, role_code="building_head", org_unit_id=tree.grid
            )


def test_revoking_a_grant_takes_effect_at_the_next_lookup(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    admin = principal(deployment, make_user("root.admin", ("admin", tree.city)))
    worker_id = make_user("temp.worker", ("grid_worker", tree.grid))
    assert principal(deployment, worker_id).holds_anywhere("people.view")
    with deployment.session_factory() as session, session.begin():
        grant_id = session.execute(select(RoleGrant.id).where(RoleGrant.user_id == worker_id)).scalar_one()
        revoked = service.revoke_grant(session, registry, admin, grant_id)
        assert revoked.revoked_by_id == admin.id
    assert not principal(deployment, worker_id).holds_anywhere("people.view")
    with deployment.session_factory() as session, pytest.raises(UserInputError, match="已撤销"):
        service.revoke_grant(session, registry, admin, grant_id)


# --- separation of duties ---------------------------------------------------------------


def test_conflicting_roles_at_one_unit_are_refused(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    admin = principal(deployment, make_user("sod.admin", ("admin", tree.city)))
    person = make_user("liu.kuaiji", ("accountant", tree.community))
    chair = make_user("zhang.zhuren", ("committee_chair", tree.community))
    with deployment.session_factory() as session:
        with pytest.raises(UserInputError) as excinfo:
            service.grant_role(
                session, registry, admin, user_id=person, role_code="cashier", org_unit_id=tree.community
            )
        error = excinfo.value.errors[0]
        assert error.code == "SEPARATION_OF_DUTIES"
        assert "会计" in error.message and "出纳" in error.message and "钱账分离" in error.message
        with pytest.raises(UserInputError, match="主任不得兼任出纳"):
            check_separation(session, chair, "cashier", tree.community)
        # At another unit the same person may hold the other role; unrelated roles never conflict.
        check_separation(session, person, "cashier", tree.other_community)
        check_separation(session, person, "community_worker", tree.community)


def test_a_revoked_conflicting_role_no_longer_blocks(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    admin = principal(deployment, make_user("sod.admin2", ("admin", tree.city)))
    person = make_user("former.cashier", ("cashier", tree.community))
    with deployment.session_factory() as session, session.begin():
        grant_id = session.execute(select(RoleGrant.id).where(RoleGrant.user_id == person)).scalar_one()
        service.revoke_grant(session, registry, admin, grant_id)
        service.grant_role(session, registry, admin, user_id=person, role_code="accountant", org_unit_id=tree.community)


def test_requester_cannot_approve() -> None:
    with pytest.raises(UserInputError) as excinfo:
        require_different_people(7, 7)
    assert excinfo.value.errors[0].code == "APPROVER_IS_REQUESTER"
    assert "审批人不能是申请人本人" in excinfo.value.errors[0].message
    with pytest.raises(UserInputError, match="须指明审批人"):
        require_different_people(7, None)
    require_different_people(7, 8)
    with pytest.raises(UserInputError, match="审批人不能是起草人本人：起草与审批"):
        require_different_people(7, 7, requester="起草人", request="起草")


def test_principal_checks_do_not_touch_the_database() -> None:
    p = Principal.build(id=1, username="u", display_name="某人", permissions=[("people.view", "/1/5/")])
    assert p.reaches("people.view", "/1/5/23/")
    assert not p.reaches("people.view", "/1/50/")
    assert not p.reaches("people.view", "/1/")
