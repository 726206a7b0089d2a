"""The GraphQL API of sign-in, ``me``, roles, permissions and grants, run
against the deployment's schema with a ``Principal`` in the request context
(as the HTTP endpoint will put it there from ``Authorization: Bearer``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth import service
from core.auth.permissions import Principal
from tests.auth.conftest import PASSWORD, MakeUser, Tree, ok, principal, run

LOGIN = """
mutation ($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) {
    token expiresAt
    user { id username displayName }
    userErrors { field code message }
  }
}
"""

ME = """
{
  me {
    user { username displayName }
    grants { role { code name } orgUnit { name } isActive }
    scopes { permission { code } orgUnits { name } }
    sessionExpiresAt
  }
}
"""

GRANT = """
mutation ($userId: ID!, $role: String!, $orgUnitId: ID!) {
  grantRole(input: {userId: $userId, role: $role, orgUnitId: $orgUnitId}) {
    grant { id role { code } orgUnit { name } user { username } }
    userErrors { field code message }
  }
}
"""


def _gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def _signed_in(deployment: Deployment, token: str) -> Principal | None:
    """What the HTTP layer does with ``Authorization: Bearer <token>``."""
    with deployment.session_factory() as session:
        return service.principal_from_authorization(session, f"Bearer {token}")


def _login(deployment: Deployment, username: str, password: str = PASSWORD) -> dict[str, Any]:
    return ok(run(deployment, LOGIN, {"username": username, "password": password}))["login"]


def test_login_then_me(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    make_user("wang.wei", ("street_staff", tree.street), ("resident", tree.grid), display_name="王伟")
    payload = _login(deployment, "wang.wei")
    assert payload["userErrors"] == []
    assert payload["user"] == {"id": payload["user"]["id"], "username": "wang.wei", "displayName": "王伟"}
    assert payload["token"].startswith("jcs_") and payload["expiresAt"]

    me = _signed_in(deployment, payload["token"])
    data = ok(run(deployment, ME, user=me))["me"]
    assert data["user"] == {"username": "wang.wei", "displayName": "王伟"}
    assert sorted((g["role"]["code"], g["orgUnit"]["name"]) for g in data["grants"]) == [
        ("resident", "第一网格"),
        ("street_staff", "八大关街道"),
    ]
    scopes = {s["permission"]["code"]: [u["name"] for u in s["orgUnits"]] for s in data["scopes"]}
    assert scopes["people.view"] == ["八大关街道"]
    assert scopes["people.view_own"] == ["第一网格"]
    assert data["sessionExpiresAt"]


def test_me_is_null_when_not_signed_in_and_lists_need_sign_in(deployment: Deployment, roles: None) -> None:
    assert ok(run(deployment, "{ me { user { username } } }")) == {"me": None}
    for document in ("{ roles { code } }", "{ permissions { code } }", "{ users { nodes { username } } }"):
        result = run(deployment, document)
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", document
        assert result["errors"][0]["message"] == "请先登录。"


def test_login_errors_are_the_same_for_unknown_user_and_wrong_password(
    deployment: Deployment, make_user: MakeUser
) -> None:
    make_user("he.ping")
    wrong = _login(deployment, "he.ping", "not-the-password")
    unknown = _login(deployment, "nobody.here", "not-the-password")
    assert (
        wrong
        == unknown
        == {
            "token": None,
            "expiresAt": None,
            "user": None,
            "userErrors": [{"field": None, "code": "INVALID_CREDENTIALS", "message": "用户名或密码错误。"}],
        }
    )


def test_failed_logins_count_through_the_mutation_and_are_audited_without_the_password(
    deployment: Deployment, make_user: MakeUser
) -> None:
    make_user("xu.ming")
    for _ in range(5):
        assert _login(deployment, "xu.ming", "wrong-password-x")["userErrors"][0]["code"] == "INVALID_CREDENTIALS"
    locked = _login(deployment, "xu.ming")
    assert locked["token"] is None
    assert (locked["userErrors"][0]["code"], locked["userErrors"][0]["field"]) == ("LOGIN_THROTTLED", "username")
    assert "请于北京时间" in locked["userErrors"][0]["message"]
    with deployment.session_factory() as session:
        records = list(session.scalars(select(AuditRecord).where(AuditRecord.action == "mutation:login")))
    assert [r.outcome for r in records] == ["refused"] * 6
    assert all("xu.ming" in (r.detail or "") for r in records)
    assert not any("wrong-password" in (r.detail or "") or PASSWORD in (r.detail or "") for r in records)


def test_logout_ends_the_session_at_once(deployment: Deployment, make_user: MakeUser) -> None:
    make_user("qian.bo")
    token = _login(deployment, "qian.bo")["token"]
    me = _signed_in(deployment, token)
    assert me is not None
    result = ok(run(deployment, "mutation { logout { endedSessions userErrors { code } } }", user=me))
    assert result["logout"] == {"endedSessions": 1, "userErrors": []}
    assert _signed_in(deployment, token) is None
    with deployment.session_factory() as session:
        record = session.scalars(select(AuditRecord).where(AuditRecord.action == "mutation:logout")).one()
    assert (record.outcome, record.actor_user_id, record.actor_label) == ("success", me.id, "qian.bo")


def test_change_password_through_the_api(deployment: Deployment, make_user: MakeUser) -> None:
    make_user("tang.jie")
    here = _login(deployment, "tang.jie")["token"]
    elsewhere = _login(deployment, "tang.jie")["token"]
    document = """
    mutation ($current: String!, $new: String!) {
      changePassword(input: {currentPassword: $current, newPassword: $new}) {
        user { username } userErrors { field code message }
      }
    }"""
    me = _signed_in(deployment, here)
    short = ok(run(deployment, document, {"current": PASSWORD, "new": "短"}, user=me))["changePassword"]
    assert short["userErrors"][0]["code"] == "PASSWORD_TOO_SHORT"
    assert short["userErrors"][0]["field"] == "newPassword"
    assert "密码至少需要 12 个字符" in short["userErrors"][0]["message"]
    done = ok(run(deployment, document, {"current": PASSWORD, "new": "一个全新的而且足够长的密码"}, user=me))[
        "changePassword"
    ]
    assert done == {"user": {"username": "tang.jie"}, "userErrors": []}
    assert _signed_in(deployment, here) is not None
    assert _signed_in(deployment, elsewhere) is None


def test_grant_role_within_scope_and_refused_outside(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    leader = principal(deployment, make_user("jiang.leader", ("street_leader", tree.street)))
    target = make_user("new.grid.worker")
    variables = {"userId": _gid("User", target), "role": "grid_worker", "orgUnitId": _gid("OrgUnit", tree.grid)}
    granted = ok(run(deployment, GRANT, variables, user=leader))["grantRole"]
    assert granted["userErrors"] == []
    assert granted["grant"]["role"] == {"code": "grid_worker"}
    assert granted["grant"]["orgUnit"] == {"name": "第一网格"}
    assert granted["grant"]["user"] == {"username": "new.grid.worker"}

    # Refusals are user errors with code FORBIDDEN (and audited as refused).
    outside = ok(
        run(deployment, GRANT, {**variables, "orgUnitId": _gid("OrgUnit", tree.sibling_community)}, user=leader)
    )
    assert outside["grantRole"]["grant"] is None
    [error] = outside["grantRole"]["userErrors"]
    assert (error["field"], error["code"]) == (None, "FORBIDDEN")
    assert "太平角社区" in error["message"]

    escalation = ok(run(deployment, GRANT, {**variables, "role": "admin"}, user=leader))
    assert [e["code"] for e in escalation["grantRole"]["userErrors"]] == ["FORBIDDEN"]

    unknown_role = ok(run(deployment, GRANT, {**variables, "role": "emperor"}, user=leader))["grantRole"]
    assert unknown_role["userErrors"][0]["code"] == "UNKNOWN_ROLE"

    anonymous = ok(run(deployment, GRANT, variables))
    assert [(e["code"], e["message"]) for e in anonymous["grantRole"]["userErrors"]] == [
        ("UNAUTHENTICATED", "请先登录。")
    ]
    with deployment.session_factory() as session:
        refused = list(
            session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused").order_by(AuditRecord.seq))
        )
    forbidden = [r for r in refused if (r.detail or "").startswith('{"codes":["FORBIDDEN"]')]
    assert [(r.action, r.actor_label) for r in forbidden] == [
        ("mutation:grantRole", "jiang.leader"),
        ("mutation:grantRole", "jiang.leader"),
    ]
    unauthenticated = [r for r in refused if (r.detail or "").startswith('{"codes":["UNAUTHENTICATED"]')]
    assert [(r.action, r.actor_label) for r in unauthenticated] == [("mutation:grantRole", "anonymous")]


def test_separation_of_duties_through_the_api(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    admin = principal(deployment, make_user("api.admin", ("admin", tree.city)))
    person = make_user("api.accountant", ("accountant", tree.community))
    variables = {"userId": _gid("User", person), "role": "cashier", "orgUnitId": _gid("OrgUnit", tree.community)}
    errors = ok(run(deployment, GRANT, variables, user=admin))["grantRole"]["userErrors"]
    assert [e["code"] for e in errors] == ["SEPARATION_OF_DUTIES"]


def test_revoke_grant(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    leader = principal(deployment, make_user("revoking.leader", ("street_leader", tree.street)))
    worker = make_user("revoked.worker", ("grid_worker", tree.grid))
    outsider = principal(deployment, make_user("other.leader", ("street_leader", tree.sibling_street)))
    grant_id = principal(deployment, worker).grants[0].grant_id
    document = """
    mutation ($id: ID!) { revokeGrant(input: {grantId: $id}) { grant { isActive revokedAt } userErrors { code } } }"""
    refused = ok(run(deployment, document, {"id": _gid("RoleGrant", grant_id)}, user=outsider))
    assert refused["revokeGrant"] == {"grant": None, "userErrors": [{"code": "NOT_FOUND"}]}
    done = ok(run(deployment, document, {"id": _gid("RoleGrant", grant_id)}, user=leader))["revokeGrant"]
    assert done["grant"]["isActive"] is False and done["grant"]["revokedAt"]
    assert principal(deployment, worker).grants == ()


def test_create_user_with_a_first_grant(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    leader = principal(deployment, make_user("creating.leader", ("street_leader", tree.street)))
    document = """
    mutation ($input: CreateUserInput!) {
      createUser(input: $input) { user { username displayName } grant { role { name } } userErrors { field code } }
    }"""
    base = {
        "username": "Zhao.Xin",
        "displayName": "赵欣",
        "password": "初始密码-请本人登录后修改",
        "role": "building_head",
        "orgUnitId": _gid("OrgUnit", tree.grid),
    }
    created = ok(run(deployment, document, {"input": base}, user=leader))["createUser"]
    assert created == {
        "user": {"username": "zhao.xin", "displayName": "赵欣"},
        "grant": {"role": {"name": "楼栋长"}},
        "userErrors": [],
    }
    again = ok(run(deployment, document, {"input": base}, user=leader))["createUser"]
    assert again["userErrors"] == [{"field": "username", "code": "USERNAME_TAKEN"}]
    # Outside the leader's street: refused before the username is even looked at.
    outside = ok(
        run(
            deployment, document, {"input": {**base, "orgUnitId": _gid("OrgUnit", tree.sibling_community)}}, user=leader
        )
    )
    assert outside["createUser"] == {"user": None, "grant": None, "userErrors": [{"field": None, "code": "FORBIDDEN"}]}


def test_roles_and_permissions_queries(deployment: Deployment, make_user: MakeUser, tree: Tree) -> None:
    me = principal(deployment, make_user("reader", ("resident", tree.grid)))
    data = ok(
        run(
            deployment,
            "{ roles { code name isBuiltin permissions { code description declared } } permissions { code description owner } }",
            user=me,
        )
    )
    roles = {r["code"]: r for r in data["roles"]}
    assert roles["grid_worker"]["name"] == "网格员" and roles["grid_worker"]["isBuiltin"]
    assert {"code": "people.view", "description": "查看居民、住户和房屋信息（敏感项脱敏）", "declared": True} in roles[
        "grid_worker"
    ]["permissions"]
    permissions = {p["code"]: p for p in data["permissions"]}
    assert permissions["user.manage"]["owner"] == "core"
    assert permissions["people.reveal_id_number"]["description"].startswith("查看完整身份证号")


def test_users_and_nodes_are_limited_to_the_viewers_scope(
    deployment: Deployment, make_user: MakeUser, tree: Tree
) -> None:
    staff = principal(deployment, make_user("scope.staff", ("street_staff", tree.street)))
    inside = make_user("inside.worker", ("grid_worker", tree.grid))
    outside = make_user("outside.worker", ("grid_worker", tree.sibling_community))
    listed = ok(run(deployment, "{ users { nodes { username } } }", user=staff))["users"]["nodes"]
    assert sorted(u["username"] for u in listed) == ["inside.worker", "scope.staff"]
    document = "query ($id: ID!) { node(id: $id) { ... on User { username } } }"
    assert ok(run(deployment, document, {"id": _gid("User", inside)}, user=staff))["node"] == {
        "username": "inside.worker"
    }
    assert ok(run(deployment, document, {"id": _gid("User", outside)}, user=staff))["node"] is None
    assert ok(run(deployment, document, {"id": _gid("User", inside)}))["node"] is None
    # A resident sees only themself.
    resident = principal(deployment, make_user("just.resident", ("resident", tree.grid)))
    listed = ok(run(deployment, "{ users { nodes { username } } }", user=resident))["users"]["nodes"]
    assert [u["username"] for u in listed] == ["just.resident"]
