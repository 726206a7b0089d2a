"""Residents see their own household only: an account linked to a resident
(``user_account.resident_id``) and holding ``people.view_own`` sees the
current members of that resident's household — in lists, ``node(id:)`` and
nested fields, filtered in SQL — and nobody else; linking needs
``people.manage`` at the resident's unit, one account per resident."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.models import User
from core.auth.permissions import Principal, registry_for
from core.auth.roles import define_role
from core.cli import main
from core.org.models import OrgUnit
from core.people import service
from core.people.categories import CORE_CATEGORIES
from core.people.identity import mask_id_number
from core.people.models import Household, HouseholdMember, Resident
from tests.people.conftest import (
    PASSWORD,
    AsUser,
    PeopleTree,
    audit_records,
    id_number,
    ok,
    run,
)

CATEGORY = {c.code: c for c in CORE_CATEGORIES}


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


@dataclass
class Family:
    """Household ``home`` in grid a: 张三 (head, the account holder), 李梅
    (wife), 张老汉 (father, registered in grid b) and 张小 (son, left the
    household). Neighbours: 王五's household in grid a, 赵六 in grid c.
    孙七 lives in grid a without a household."""

    zhang: int
    li: int
    father: int
    son: int
    wang: int
    zhao: int
    sun: int
    home: int
    neighbour_home: int
    member_zhang: int
    member_son: int
    member_wang: int


@pytest.fixture
def family(deployment: Deployment, tree: PeopleTree, as_user: AsUser) -> Family:
    """(``as_user`` creates the built-in roles.)"""
    with deployment.session_factory() as session, session.begin():
        zhang = service.register_resident(
            session,
            name="张三",
            org_unit_id=tree.grid_a,
            id_number=id_number(date(1980, 5, 1), 11),
            phone="13800138000",
        )
        li = service.register_resident(
            session, name="李梅", org_unit_id=tree.grid_a, id_number=id_number(date(1982, 3, 9), 22)
        )
        father = service.register_resident(session, name="张老汉", org_unit_id=tree.grid_b)
        son = service.register_resident(session, name="张小", org_unit_id=tree.grid_a)
        wang = service.register_resident(session, name="王五", org_unit_id=tree.grid_a)
        zhao = service.register_resident(session, name="赵六", org_unit_id=tree.grid_c)
        sun = service.register_resident(session, name="孙七", org_unit_id=tree.grid_a)
        home = service.register_household(session, org_unit_id=tree.grid_a, household_number="370202000001")
        neighbour_home = service.register_household(session, org_unit_id=tree.grid_a, household_number="370202000002")
        member_zhang = service.add_household_member(session, home, zhang, relationship_code="02")
        service.add_household_member(session, home, li, relationship_code="12")
        service.add_household_member(session, home, father, relationship_code="50")
        member_son = service.add_household_member(
            session, home, son, relationship_code="20", joined_on=date(2005, 1, 1)
        )
        service.remove_household_member(session, member_son, left_on=date(2024, 6, 1))
        member_wang = service.add_household_member(session, neighbour_home, wang, relationship_code="02")
        service.attach_category(session, li, CATEGORY["disabled"])
        service.attach_category(session, li, CATEGORY["entitled_group"])
        return Family(
            zhang.id,
            li.id,
            father.id,
            son.id,
            wang.id,
            zhao.id,
            sun.id,
            home.id,
            neighbour_home.id,
            member_zhang.id,
            member_son.id,
            member_wang.id,
        )


def linked_user(deployment: Deployment, username: str, resident_id: int | None, *grants: tuple[str, int]) -> Principal:
    """A user linked to ``resident_id`` (None: not linked) with these grants."""
    registry = registry_for(deployment.host)
    with deployment.session_factory() as session, session.begin():
        user = auth_service.create_user(
            session, AuthConfig(), username=username, display_name=username, password=PASSWORD, resident_id=resident_id
        )
        for role_code, unit_id in grants:
            auth_service.grant_role(session, registry, None, user_id=user.id, role_code=role_code, org_unit_id=unit_id)
        user_id = user.id
    with deployment.session_factory() as session:
        found = auth_service.principal_for_user(session, user_id)
    assert found is not None
    return found


@pytest.fixture
def resident(deployment: Deployment, tree: PeopleTree, family: Family) -> Principal:
    """张三's self-service account: the built-in resident role at the community."""
    return linked_user(deployment, "zhang.san", family.zhang, ("resident", tree.community))


RESIDENTS = """
query ($under: ID!, $householdId: ID, $category: String) {
  residents(under: $under, householdId: $householdId, category: $category) { totalCount nodes { name } }
}
"""

HOUSEHOLDS = """
query ($under: ID!) { households(under: $under) { totalCount nodes { householdNumber } } }
"""


def names(deployment: Deployment, user: Principal | None, under: int, **variables: Any) -> list[str]:
    data = ok(run(deployment, RESIDENTS, {"under": gid("OrgUnit", under), **variables}, user=user))["residents"]
    assert data["totalCount"] == len(data["nodes"])
    return sorted(node["name"] for node in data["nodes"])


# --- lists -------------------------------------------------------------------------------


def test_residents_list_shows_the_current_members_of_ones_own_household(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    assert resident.resident_id == family.zhang
    # Not the neighbours (王五, 孙七 in the same grid, 赵六 elsewhere), not the son who left.
    assert names(deployment, resident, tree.city) == ["张三", "张老汉", "李梅"]
    # ``under`` still narrows: the father is registered in grid b.
    assert names(deployment, resident, tree.grid_a) == ["张三", "李梅"]
    assert names(deployment, resident, tree.grid_b) == ["张老汉"]
    assert names(deployment, resident, tree.grid_c) == []
    # Filters apply within the household; the neighbours' household is empty.
    assert names(deployment, resident, tree.city, householdId=gid("Household", family.home)) == [
        "张三",
        "张老汉",
        "李梅",
    ]
    assert names(deployment, resident, tree.city, householdId=gid("Household", family.neighbour_home)) == []
    assert names(deployment, resident, tree.city, category="entitled_group") == ["李梅"]
    # A sensitive category gives no own-household view: membership in it is itself sensitive.
    assert names(deployment, resident, tree.city, category="disabled") == []


def test_households_list_shows_ones_own_household(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    data = ok(run(deployment, HOUSEHOLDS, {"under": gid("OrgUnit", tree.city)}, user=resident))["households"]
    assert data == {"totalCount": 1, "nodes": [{"householdNumber": "370202000001"}]}
    empty = ok(run(deployment, HOUSEHOLDS, {"under": gid("OrgUnit", tree.grid_c)}, user=resident))["households"]
    assert empty["totalCount"] == 0
    places = ok(
        run(
            deployment,
            "query ($u: ID!) { places(under: $u) { totalCount } }",
            {"u": gid("OrgUnit", tree.city)},
            user=resident,
        )
    )
    assert places["places"]["totalCount"] == 0


def test_the_own_household_filter_is_sql(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    """One statement per page, however many residents the city has: the
    household is read by a subquery inside it."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", count)
    try:
        names(deployment, resident, tree.city)
    finally:
        event.remove(deployment.engine, "before_cursor_execute", count)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    page = next(s for s in selects if "FROM resident" in s and "own_resident" in s)
    assert "household_id" in page
    # The page and its count (paginate); nothing loops over residents in Python.
    assert len(selects) <= 2, selects


def test_a_resident_without_a_household_sees_only_themself(
    deployment: Deployment, tree: PeopleTree, family: Family
) -> None:
    sun = linked_user(deployment, "sun.qi", family.sun, ("resident", tree.community))
    assert names(deployment, sun, tree.city) == ["孙七"]
    data = ok(run(deployment, HOUSEHOLDS, {"under": gid("OrgUnit", tree.city)}, user=sun))["households"]
    assert data["totalCount"] == 0


def test_without_a_link_or_without_the_permission_nothing_is_visible(
    deployment: Deployment, tree: PeopleTree, family: Family
) -> None:
    unlinked = linked_user(deployment, "nobody", None, ("resident", tree.community))
    assert unlinked.resident_id is None
    assert names(deployment, unlinked, tree.city) == []
    # Linked, but holding a role without people.view_own.
    cashier = linked_user(deployment, "li.mei", family.li, ("cashier", tree.community))
    assert cashier.resident_id == family.li
    assert names(deployment, cashier, tree.city) == []
    for user in (unlinked, cashier):
        found = ok(run(deployment, NODE, {"id": gid("Resident", family.zhang)}, user=user))["node"]
        assert found is None
        assert ok(run(deployment, "{ me { resident { name } } }", user=user))["me"]["resident"] is None


def test_people_view_and_own_household_add_up(deployment: Deployment, tree: PeopleTree, family: Family) -> None:
    """A grid worker of grid c who lives in household ``home`` sees grid c
    and their own household."""
    worker = linked_user(
        deployment, "zhang.worker", family.zhang, ("grid_worker", tree.grid_c), ("resident", tree.grid_c)
    )
    assert names(deployment, worker, tree.city) == ["张三", "张老汉", "李梅", "赵六"]


# --- node(id:) and nested fields ---------------------------------------------------------

NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename
    ... on Resident { name }
    ... on Household { householdNumber }
    ... on HouseholdMember { relationshipName }
  }
}
"""


def test_node_answers_for_ones_own_household_only(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    def node(type_name: str, pk: int) -> Any:
        return ok(run(deployment, NODE, {"id": gid(type_name, pk)}, user=resident))["node"]

    assert node("Resident", family.zhang) == {"__typename": "Resident", "name": "张三"}
    assert node("Resident", family.li) == {"__typename": "Resident", "name": "李梅"}
    assert node("Resident", family.father) == {"__typename": "Resident", "name": "张老汉"}
    assert node("Household", family.home) == {"__typename": "Household", "householdNumber": "370202000001"}
    assert node("HouseholdMember", family.member_zhang) == {"__typename": "HouseholdMember", "relationshipName": "户主"}
    # Neighbours, the son who left and his old membership: as if they did not exist.
    for type_name, pk in (
        ("Resident", family.wang),
        ("Resident", family.zhao),
        ("Resident", family.sun),
        ("Resident", family.son),
        ("Household", family.neighbour_home),
        ("HouseholdMember", family.member_wang),
        ("HouseholdMember", family.member_son),
    ):
        assert node(type_name, pk) is None, (type_name, pk)


NESTED = """
query ($id: ID!) {
  node(id: $id) {
    ... on Resident {
      name idNumber phone
      place { name }
      categories { category { code } }
      membership { relationshipName household { householdNumber } }
      household {
        householdNumber
        head { name }
        members(includeFormer: true) { relationshipName leftOn resident { name } household { householdNumber } }
      }
    }
  }
}
"""


def test_nested_fields_stay_within_the_household(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    me = ok(run(deployment, NESTED, {"id": gid("Resident", family.zhang)}, user=resident))["node"]
    assert me["name"] == "张三"
    # Masked, as for everyone.
    assert me["idNumber"] == mask_id_number(id_number(date(1980, 5, 1), 11))
    assert me["phone"] == "138****8000"
    assert me["place"] is None
    assert me["membership"] == {"relationshipName": "户主", "household": {"householdNumber": "370202000001"}}
    household = me["household"]
    assert household["head"] == {"name": "张三"}
    # Current members only, even when former ones are asked for.
    assert [(m["relationshipName"], m["leftOn"], m["resident"]["name"]) for m in household["members"]] == [
        ("户主", None, "张三"),
        ("妻", None, "李梅"),
        ("父母", None, "张老汉"),
    ]
    assert all(m["household"] == {"householdNumber": "370202000001"} for m in household["members"])
    # Non-sensitive categories only (not ``disabled``).
    wife = ok(run(deployment, NESTED, {"id": gid("Resident", family.li)}, user=resident))["node"]
    assert wife["categories"] == [{"category": {"code": "entitled_group"}}]


def test_a_grid_worker_still_sees_former_members(
    deployment: Deployment, tree: PeopleTree, family: Family, as_user: AsUser
) -> None:
    worker = as_user("grid.a", ("grid_worker", tree.grid_a))
    found = ok(run(deployment, NESTED, {"id": gid("Resident", family.zhang)}, user=worker))["node"]
    assert [m["resident"] and m["resident"]["name"] for m in found["household"]["members"]] == [
        "张三",
        "李梅",
        None,  # 张老汉 is registered in grid b, outside grid a
        "张小",
    ]


def test_me_shows_the_linked_resident(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    me = ok(run(deployment, "{ me { resident { name household { householdNumber } } } }", user=resident))["me"]
    assert me["resident"] == {"name": "张三", "household": {"householdNumber": "370202000001"}}


# --- sensitive fields ----------------------------------------------------------------------

REVEAL = """
mutation ($input: RevealSensitiveFieldInput!) {
  revealSensitiveField(input: $input) { value userErrors { field code } }
}
"""


def reveal(deployment: Deployment, user: Principal, resident_id: int, field: str) -> dict[str, Any]:
    variables = {"input": {"objectId": gid("Resident", resident_id), "field": field, "purpose": "核对本人信息"}}
    return ok(run(deployment, REVEAL, variables, user=user))["revealSensitiveField"]


def test_a_resident_reveals_their_own_id_number_and_phone_only(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    own = reveal(deployment, resident, family.zhang, "idNumber")
    assert own == {"value": id_number(date(1980, 5, 1), 11), "userErrors": []}
    assert reveal(deployment, resident, family.zhang, "phone")["value"] == "13800138000"
    # Not even the wife's.
    assert reveal(deployment, resident, family.li, "idNumber") == {
        "value": None,
        "userErrors": [{"field": "objectId", "code": "FORBIDDEN"}],
    }
    records = audit_records(deployment, "reveal:Resident.idNumber")
    assert [(r.actor_label, r.object_id, json.loads(r.detail or "{}").get("own")) for r in records] == [
        ("zhang.san", str(family.zhang), True)
    ]
    listed = ok(run(deployment, "{ sensitiveFields { field ownPermission } }", user=resident))["sensitiveFields"]
    assert {(f["field"], f["ownPermission"]) for f in listed} >= {
        ("idNumber", "people.view_own"),
        ("phone", "people.view_own"),
    }


def test_own_reveal_needs_people_view_own(deployment: Deployment, tree: PeopleTree, family: Family) -> None:
    cashier = linked_user(deployment, "zhang.cashier", family.zhang, ("cashier", tree.community))
    # Without people.view_own the record is not theirs to see: as if it did not exist.
    assert reveal(deployment, cashier, family.zhang, "idNumber")["userErrors"] == [
        {"field": "objectId", "code": "NOT_FOUND"}
    ]


# --- linking accounts ----------------------------------------------------------------------

CREATE_USER = """
mutation ($input: CreateUserInput!) {
  createUser(input: $input) {
    user { username resident { name } }
    grant { role { code } }
    userErrors { field code }
  }
}
"""


def create_user(deployment: Deployment, user: Principal, username: str, unit: int, resident_id: int) -> dict[str, Any]:
    variables = {
        "input": {
            "username": username,
            "displayName": username,
            "password": PASSWORD,
            "role": "resident",
            "orgUnitId": gid("OrgUnit", unit),
            "residentId": gid("Resident", resident_id),
        }
    }
    return ok(run(deployment, CREATE_USER, variables, user=user))["createUser"]


def test_create_user_links_a_resident_in_scope(
    deployment: Deployment, tree: PeopleTree, family: Family, as_user: AsUser
) -> None:
    # Granting the resident role needs people.view_own too (nobody grants
    # more than they hold): the street's administrator.
    leader = as_user("street.admin", ("admin", tree.street))
    created = create_user(deployment, leader, "li.mei", tree.community, family.li)
    assert created == {
        "user": {"username": "li.mei", "resident": {"name": "李梅"}},
        "grant": {"role": {"code": "resident"}},
        "userErrors": [],
    }
    with deployment.session_factory() as session:
        user = session.scalars(select(User).where(User.username == "li.mei")).one()
        assert user.resident_id == family.li
        principal = auth_service.principal_for_user(session, user.id)
    assert principal is not None and principal.resident_id == family.li
    assert names(deployment, principal, tree.city) == ["张三", "张老汉", "李梅"]
    record = audit_records(deployment, "mutation:createUser")[-1]
    assert record.outcome == "success" and json.loads(record.detail or "{}")["residentId"] == family.li

    # One account per resident.
    again = create_user(deployment, leader, "li.mei.2", tree.community, family.li)
    assert again == {
        "user": None,
        "grant": None,
        "userErrors": [{"field": "residentId", "code": "RESIDENT_ALREADY_LINKED"}],
    }


def test_linking_is_refused_outside_the_people_manage_scope(
    deployment: Deployment, tree: PeopleTree, family: Family, as_user: AsUser
) -> None:
    leader = as_user("street.admin", ("admin", tree.street))
    # 赵六 lives in another street: the leader cannot see him at all.
    outside = create_user(deployment, leader, "zhao.liu", tree.community, family.zhao)
    assert outside["userErrors"] == [{"field": "residentId", "code": "NOT_FOUND"}]
    missing = create_user(deployment, leader, "ghost", tree.community, 987654)
    assert missing["userErrors"] == [{"field": "residentId", "code": "NOT_FOUND"}]

    # Seeing residents is not enough to link them: people.manage is needed.
    with deployment.session_factory() as session, session.begin():
        define_role(
            session,
            registry_for(deployment.host),
            code="account_clerk",
            name="账号管理员",
            permissions=["user.manage", "people.view", "people.view_own"],
        )
    clerk = as_user("clerk", ("account_clerk", tree.street))
    refused = create_user(deployment, clerk, "wang.wu", tree.community, family.wang)
    assert refused["userErrors"] == [{"field": "residentId", "code": "FORBIDDEN"}]
    with deployment.session_factory() as session:
        assert session.scalar(select(User.id).where(User.resident_id.is_not(None))) is None
    assert [r.outcome for r in audit_records(deployment, "mutation:createUser")] == ["refused"] * 3


def test_deleting_the_resident_unlinks_the_account(deployment: Deployment, tree: PeopleTree, family: Family) -> None:
    linked = linked_user(deployment, "sun.qi", family.sun, ("resident", tree.community))
    with deployment.session_factory() as session, session.begin():
        session.execute(delete(Resident).where(Resident.id == family.sun))
    with deployment.session_factory() as session:
        assert session.scalar(select(User.resident_id).where(User.id == linked.id)) is None
    # The link is a foreign key.
    with deployment.session_factory() as session, pytest.raises(IntegrityError), session.begin():
        session.execute(update(User).where(User.id == linked.id).values(resident_id=987654))


# --- the principal -------------------------------------------------------------------------


def test_the_principal_with_its_resident_is_still_one_query(
    deployment: Deployment, tree: PeopleTree, family: Family, resident: Principal
) -> None:
    with deployment.session_factory() as session:
        token = auth_service.login(session, AuthConfig(), "zhang.san", PASSWORD).token
        session.commit()
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", count)
    try:
        with deployment.session_factory() as session:
            by_token = auth_service.principal_for_token(session, token)
        token_selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        statements.clear()
        with deployment.session_factory() as session:
            by_user = auth_service.principal_for_user(session, resident.id)
        user_selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    finally:
        event.remove(deployment.engine, "before_cursor_execute", count)
    assert by_token is not None and by_user is not None
    assert by_token.resident_id == by_user.resident_id == family.zhang
    assert by_token.holds_anywhere("people.view_own")
    assert len(token_selects) == 1, token_selects
    assert len(user_selects) == 1, user_selects


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, deployment: Deployment) -> Iterator[None]:
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JICENG_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("JICENG_DATABASE_URL", deployment.settings.database_url)
    monkeypatch.setenv("JICENG_USER_PASSWORD", "居民自助账号的初始密码-2026")
    yield


def test_user_create_links_a_resident(
    cli_env: None, deployment: Deployment, tree: PeopleTree, family: Family, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["user", "create", "--org-unit", gid("OrgUnit", tree.community), "--role", "resident"]
    # The database key is not a public identifier; the global ID is.
    assert main([*base, "--username", "zhang.0", "--resident-id", str(family.zhang)]) == 1
    assert "不是居民的全局 ID" in capsys.readouterr().err
    assert main([*base, "--username", "zhang.san", "--resident-id", gid("Resident", family.zhang)]) == 0
    assert "已关联居民" in capsys.readouterr().out
    # A resident already linked, or none, is refused.
    assert main([*base, "--username", "zhang.2", "--resident-id", gid("Resident", family.zhang)]) == 1
    assert "只能关联一个账号" in capsys.readouterr().err
    assert main([*base, "--username", "ghost", "--resident-id", gid("Resident", 987654)]) == 1
    assert "居民不存在" in capsys.readouterr().err
    assert main([*base, "--username", "bad", "--resident-id", "not-an-id"]) == 1
    assert "不是居民的全局 ID" in capsys.readouterr().err
    with deployment.session_factory() as session:
        linked = session.execute(select(User.username, User.resident_id).where(User.resident_id.is_not(None))).all()
    assert [tuple(row) for row in linked] == [("zhang.san", family.zhang)]
    record = audit_records(deployment, "cli:user.create")[-1]
    assert json.loads(record.detail or "{}")["residentId"] == family.zhang


# --- the demo ----------------------------------------------------------------------------------


def test_the_demo_resident_sees_their_household(demo_deployment: Deployment) -> None:
    with demo_deployment.session_factory() as session:
        user = session.scalars(select(User).where(User.username == "resident")).one()
        assert user.resident_id is not None
        own = session.get(Resident, user.resident_id)
        assert own is not None and own.household_id is not None
        members = set(
            session.scalars(
                select(Resident.name)
                .join(HouseholdMember, HouseholdMember.resident_id == Resident.id)
                .where(HouseholdMember.household_id == own.household_id, HouseholdMember.left_on.is_(None))
            )
        )
        household = session.get(Household, own.household_id)
        city = session.scalar(select(OrgUnit.id).where(OrgUnit.level == "city"))
        principal = auth_service.principal_for_user(session, user.id)
    assert household is not None and city is not None and principal is not None
    assert len(members) >= 2
    listed = ok(run(demo_deployment, RESIDENTS, {"under": gid("OrgUnit", city)}, user=principal))["residents"]
    assert listed["totalCount"] == len(members)
    assert {node["name"] for node in listed["nodes"]} == members
    households = ok(run(demo_deployment, HOUSEHOLDS, {"under": gid("OrgUnit", city)}, user=principal))["households"]
    assert households["totalCount"] == 1
