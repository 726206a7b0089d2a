"""Who sees and changes which people: a role reaches its unit's subtree,
lists are filtered in SQL, ``node(id:)`` is null outside the scope,
mutations outside it are refused (and audited), sensitive categories need
``people.view_sensitive``, and nobody who is not signed in sees anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth.permissions import Principal
from core.people import service
from core.people.categories import CORE_CATEGORIES
from tests.people.conftest import REGISTER, AsUser, PeopleTree, audit_records, error_codes, ok, run

CATEGORY = {c.code: c for c in CORE_CATEGORIES}


@dataclass
class World:
    """In grid a: 张三 (household a, disabled, entitled group) and 李四, whose
    household is in grid b; in grid b: 王五 (household b); in grid c: 赵六."""

    zhang: str
    li: str
    wang: str
    zhao: str
    household_a: str
    household_b: str
    member_b: str
    place_b: str


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


@pytest.fixture
def world(deployment: Deployment, tree: PeopleTree) -> World:
    with deployment.session_factory() as session, session.begin():
        zhang = service.register_resident(session, name="张三", org_unit_id=tree.grid_a)
        li = service.register_resident(session, name="李四", org_unit_id=tree.grid_a)
        place_b = service.register_place(session, kind="room", name="5号楼101室", org_unit_id=tree.grid_b)
        wang = service.register_resident(session, name="王五", org_unit_id=tree.grid_b, place_id=place_b.id)
        zhao = service.register_resident(session, name="赵六", org_unit_id=tree.grid_c)
        household_a = service.register_household(session, org_unit_id=tree.grid_a)
        household_b = service.register_household(session, org_unit_id=tree.grid_b, place_id=place_b.id)
        service.add_household_member(session, household_a, zhang, relationship_code="02")
        member_b = service.add_household_member(session, household_b, wang, relationship_code="02")
        service.add_household_member(session, household_b, li, relationship_code="70")
        service.attach_category(session, zhang, CATEGORY["disabled"])
        service.attach_category(session, zhang, CATEGORY["entitled_group"])
        service.attach_category(session, zhao, CATEGORY["petitioner"])
        return World(
            gid("Resident", zhang.id),
            gid("Resident", li.id),
            gid("Resident", wang.id),
            gid("Resident", zhao.id),
            gid("Household", household_a.id),
            gid("Household", household_b.id),
            gid("HouseholdMember", member_b.id),
            gid("Place", place_b.id),
        )


@pytest.fixture
def grid_worker(as_user: AsUser, tree: PeopleTree) -> Principal:
    return as_user("grid.a", ("grid_worker", tree.grid_a))


LIST = """
query ($under: ID!, $category: String) {
  residents(under: $under, category: $category) {
    totalCount
    nodes { name household { id } categories { category { code } } }
  }
}
"""

NODES = """
query ($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    ... on Resident { name }
    ... on Household { householdNumber }
    ... on HouseholdMember { relationshipCode }
    ... on Place { name }
  }
}
"""


def listed(deployment: Deployment, user: Principal | None, under: str, category: str | None = None) -> list[str]:
    data = ok(run(deployment, LIST, {"under": under, "category": category}, user=user))
    return [node["name"] for node in data["residents"]["nodes"]]


def test_a_grid_worker_sees_their_grid_only(
    deployment: Deployment, tree: PeopleTree, world: World, grid_worker: Principal
) -> None:
    assert listed(deployment, grid_worker, tree.gid("city")) == ["张三", "李四"]
    assert listed(deployment, grid_worker, tree.gid("community")) == ["张三", "李四"]
    assert listed(deployment, grid_worker, tree.gid("grid_b")) == []
    data = ok(run(deployment, LIST, {"under": tree.gid("city")}, user=grid_worker))["residents"]
    assert data["totalCount"] == 2
    # 李四's household lies in grid b: not shown.
    assert {n["name"]: n["household"] for n in data["nodes"]} == {"张三": {"id": world.household_a}, "李四": None}


def test_node_is_null_outside_the_scope(deployment: Deployment, world: World, grid_worker: Principal) -> None:
    ids = [world.zhang, world.wang, world.zhao, world.household_a, world.household_b, world.member_b, world.place_b]
    nodes = ok(run(deployment, NODES, {"ids": ids}, user=grid_worker))["nodes"]
    assert nodes[0] == {"__typename": "Resident", "name": "张三"}
    assert nodes[1:3] == [None, None]
    assert nodes[3]["__typename"] == "Household"
    assert nodes[4:] == [None, None, None]


def test_a_street_officer_sees_the_whole_street(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, world: World
) -> None:
    officer = as_user("street.a", ("street_staff", tree.street))
    assert listed(deployment, officer, tree.gid("city")) == ["张三", "李四", "王五"]
    nodes = ok(run(deployment, NODES, {"ids": [world.zhao, world.member_b, world.place_b]}, user=officer))["nodes"]
    assert nodes[0] is None and nodes[1]["relationshipCode"] == "02" and nodes[2]["name"] == "5号楼101室"


def test_nobody_sees_anything_without_signing_in(deployment: Deployment, tree: PeopleTree, world: World) -> None:
    result = run(deployment, LIST, {"under": tree.gid("city")})
    assert error_codes(result) == ["UNAUTHENTICATED"] and result["data"] is None
    assert ok(run(deployment, NODES, {"ids": [world.zhang, world.household_a]}))["nodes"] == [None, None]
    assert error_codes(run(deployment, "{ residentCategories { code } }")) == ["UNAUTHENTICATED"]
    payload = ok(run(deployment, REGISTER, {"input": {"orgUnitId": tree.gid("grid_a"), "name": "无名"}}))[
        "registerResident"
    ]
    assert [e["code"] for e in payload["userErrors"]] == ["UNAUTHENTICATED"]


def test_sensitive_categories_need_view_sensitive(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, world: World, grid_worker: Principal
) -> None:
    def categories(user: Principal, under: str) -> dict[str, list[str]]:
        data = ok(run(deployment, LIST, {"under": under}, user=user))["residents"]["nodes"]
        return {n["name"]: [c["category"]["code"] for c in n["categories"]] for n in data}

    # 残疾 is health data: hidden from a grid worker, shown to a community worker.
    assert categories(grid_worker, tree.gid("grid_a"))["张三"] == ["entitled_group"]
    worker = as_user("community.a", ("community_worker", tree.community))
    assert categories(worker, tree.gid("grid_a"))["张三"] == ["disabled", "entitled_group"]

    # Filtering by a sensitive category is narrowed to where the caller may see it.
    assert listed(deployment, grid_worker, tree.gid("city"), "disabled") == []
    assert listed(deployment, worker, tree.gid("city"), "disabled") == ["张三"]
    assert listed(deployment, worker, tree.gid("city"), "petitioner") == []
    assert listed(deployment, grid_worker, tree.gid("city"), "entitled_group") == ["张三"]

    codes = {
        c["code"]
        for c in ok(run(deployment, "{ residentCategories { code sensitive } }", user=grid_worker))[
            "residentCategories"
        ]
    }
    assert codes == {c.code for c in CORE_CATEGORIES if not c.sensitive}
    all_codes = ok(run(deployment, "{ residentCategories { code } }", user=worker))["residentCategories"]
    assert {c["code"] for c in all_codes} == {c.code for c in CORE_CATEGORIES}


ATTACH = """
mutation ($input: AttachResidentCategoryInput!) {
  attachResidentCategory(input: $input) {
    assignment { category { code name } since }
    userErrors { field code message }
  }
}
"""

UPDATE = """
mutation ($input: UpdateResidentInput!) { updateResident(input: $input) { resident { name } userErrors { code field } } }
"""

ADD_MEMBER = """
mutation ($input: AddHouseholdMemberInput!) { addHouseholdMember(input: $input) { member { id } userErrors { code field } } }
"""


def user_errors(result: dict[str, Any], field: str) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in ok(result)[field]["userErrors"]]


def test_mutations_outside_the_scope_are_refused_and_audited(
    deployment: Deployment, tree: PeopleTree, world: World, grid_worker: Principal
) -> None:
    register = run(deployment, REGISTER, {"input": {"orgUnitId": tree.gid("grid_b"), "name": "越界"}}, user=grid_worker)
    assert user_errors(register, "registerResident") == [("FORBIDDEN", "orgUnitId")]
    update = run(deployment, UPDATE, {"input": {"id": world.wang, "name": "改名"}}, user=grid_worker)
    assert user_errors(update, "updateResident") == [("NOT_FOUND", "id")]  # not theirs to see
    move_away = run(
        deployment, UPDATE, {"input": {"id": world.zhang, "orgUnitId": tree.gid("grid_b")}}, user=grid_worker
    )
    assert user_errors(move_away, "updateResident") == [("FORBIDDEN", "orgUnitId")]
    join = run(
        deployment,
        ADD_MEMBER,
        {"input": {"householdId": world.household_a, "residentId": world.wang, "relationshipCode": "10"}},
        user=grid_worker,
    )
    assert user_errors(join, "addHouseholdMember") == [("NOT_FOUND", "residentId")]

    refused = audit_records(deployment, "mutation:registerResident")
    assert [(r.outcome, r.actor_label, r.org_unit_id) for r in refused] == [("refused", "grid.a", tree.grid_b)]
    assert '"FORBIDDEN"' in (refused[0].detail or "")
    assert [r.outcome for r in audit_records(deployment, "mutation:updateResident")] == ["refused", "refused"]

    # Inside the scope the same mutations work.
    inside = run(deployment, UPDATE, {"input": {"id": world.li, "name": "李四儿"}}, user=grid_worker)
    assert user_errors(inside, "updateResident") == []


def test_attaching_a_sensitive_category_needs_view_sensitive(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, world: World, grid_worker: Principal
) -> None:
    def attach(user: Principal, category: str) -> list[tuple[str, str | None]]:
        return user_errors(
            run(
                deployment,
                ATTACH,
                {"input": {"residentId": world.li, "category": category, "since": "2025-01-01"}},
                user=user,
            ),
            "attachResidentCategory",
        )

    assert attach(grid_worker, "petitioner") == [("FORBIDDEN", "category")]
    assert attach(grid_worker, "entitled_group") == []
    assert attach(grid_worker, "entitled_group") == [("ALREADY_ATTACHED", "category")]
    assert attach(grid_worker, "astronaut") == [("UNKNOWN_CATEGORY", "category")]
    worker = as_user("community.a", ("community_worker", tree.community))
    assert attach(worker, "petitioner") == []
    outsider = as_user("grid.c", ("community_worker", tree.grid_c))
    assert attach(outsider, "entitled_group") == [("NOT_FOUND", "residentId")]


def test_scope_paths_intersect_the_scopes_of_several_permissions() -> None:
    from core.people.service import scope_paths

    who = Principal.build(
        id=1,
        username="x",
        display_name="x",
        permissions=[
            ("people.view", "/1/2/"),
            ("people.view", "/1/9/"),
            ("people.view_sensitive", "/1/2/3/"),
            ("people.view_sensitive", "/1/"),
        ],
    )
    assert scope_paths(who, "people.view") == ("/1/2/", "/1/9/")
    assert scope_paths(who, "people.view", "people.view_sensitive") == ("/1/2/", "/1/9/")
    narrow = Principal.build(
        id=2,
        username="y",
        display_name="y",
        permissions=[
            ("people.view", "/1/2/"),
            ("people.view_sensitive", "/1/2/3/"),
            ("people.view_sensitive", "/1/7/"),
        ],
    )
    assert scope_paths(narrow, "people.view", "people.view_sensitive") == ("/1/2/3/",)
    assert scope_paths(narrow, "people.manage") == ()
    assert scope_paths(None, "people.view") == ()


def test_lists_intersect_under_with_every_granted_subtree(
    deployment: Deployment, as_user: AsUser, tree: PeopleTree, world: World
) -> None:
    two_grids = as_user("two.grids", ("grid_worker", tree.grid_a), ("grid_worker", tree.grid_c))
    assert listed(deployment, two_grids, tree.gid("city")) == ["张三", "李四", "赵六"]
    assert listed(deployment, two_grids, tree.gid("street")) == ["张三", "李四"]
    assert listed(deployment, two_grids, tree.gid("grid_c")) == ["赵六"]
    assert listed(deployment, two_grids, tree.gid("grid_b")) == []
    # people.view over the street, people.view_sensitive only at grid c's community: 赵六 is a petitioner.
    mixed = as_user("mixed", ("street_staff", tree.street), ("committee_chair", tree.other_community))
    assert listed(deployment, mixed, tree.gid("city"), "petitioner") == ["赵六"]
    assert listed(deployment, mixed, tree.gid("city"), "disabled") == ["张三"]
