"""GraphQL of posts and terms: scope of reads and writes, user errors that
leave nothing written, nested fields without N+1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, func, select

from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth.permissions import Principal
from core.posts import service
from core.posts.models import Body, PostAssignment
from tests.posts.conftest import START, Tree, add_households, gid, ok, principal_at, run

ASSIGN = """
mutation($input: AssignPostInput!) {
  assignPost(input: $input) {
    assignment { id postCode postName termStart isCurrent residentName body { name } }
    userErrors { field code message }
  }
}
"""

CREATE_BODY = """
mutation($input: CreateBodyInput!) {
  createBody(input: $input) { body { id name kind kindName orgUnit { name } } userErrors { field code message } }
}
"""


@pytest.fixture
def officer(deployment: Deployment, tree: Tree) -> Principal:
    """A street officer of 文庙街道: views and manages posts there."""
    return principal_at(deployment, [("posts.view", tree.street), ("posts.manage", tree.street)])


def assign_input(tree: Tree, body: int, post: str, person: str, **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "bodyId": gid("Body", body),
            "postCode": post,
            "residentId": gid("Resident", tree.residents[person]),
            "termStart": START.isoformat(),
            **extra,
        }
    }


def count(deployment: Deployment, model: type) -> int:
    with deployment.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_one_person_holding_three_posts(deployment: Deployment, tree: Tree, officer: Principal) -> None:
    for body, post in ((tree.party, "secretary"), (tree.committee, "chair"), (tree.centre, "director")):
        data = ok(run(deployment, ASSIGN, assign_input(tree, body, post, "张伟"), user=officer))["assignPost"]
        assert data["userErrors"] == []
        assert data["assignment"]["residentName"] == "张伟" and data["assignment"]["isCurrent"]
    data = ok(
        run(
            deployment,
            """query($r: ID!, $u: ID!) {
                 postsOfResident(residentId: $r) { postCode postName body { name kindName } }
                 postHolders(orgUnitId: $u, postCode: "chair") { residentName body { name } }
               }""",
            {"r": gid("Resident", tree.residents["张伟"]), "u": gid("OrgUnit", tree.community)},
            user=officer,
        )
    )
    assert [(p["postCode"], p["body"]["name"]) for p in data["postsOfResident"]] == [
        ("secretary", "文庙社区党委"),
        ("chair", "文庙社区居民委员会"),
        ("director", "文庙社区服务站"),
    ]
    assert data["postHolders"] == [{"residentName": "张伟", "body": {"name": "文庙社区居民委员会"}}]


def test_refusals_are_user_errors_and_write_nothing(deployment: Deployment, tree: Tree, officer: Principal) -> None:
    ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "accountant", "陈静"), user=officer))
    ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "chair", "张伟"), user=officer))
    before = count(deployment, PostAssignment)

    for post, person in (("cashier", "陈静"), ("cashier", "张伟")):
        data = ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, post, person), user=officer))["assignPost"]
        assert data["assignment"] is None
        assert [(e["code"], e["field"]) for e in data["userErrors"]] == [("SEPARATION_OF_DUTIES", "postCode")]
    data = ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "chair", "王芳"), user=officer))["assignPost"]
    assert [e["code"] for e in data["userErrors"]] == ["POST_OCCUPIED"]
    data = ok(
        run(
            deployment,
            ASSIGN,
            assign_input(tree, tree.committee, "mayor", "王芳", termEnd="2023-01-01"),
            user=officer,
        )
    )["assignPost"]
    assert [(e["code"], e["field"]) for e in data["userErrors"]] == [
        ("UNKNOWN_POST", "postCode"),
        ("INVALID_DATE_RANGE", "termEnd"),
    ]
    data = ok(
        run(
            deployment,
            ASSIGN,
            {
                "input": {
                    **assign_input(tree, tree.committee, "member", "王芳")["input"],
                    "residentId": gid("Resident", 999_999),
                }
            },
            user=officer,
        )
    )["assignPost"]
    assert [(e["code"], e["field"]) for e in data["userErrors"]] == [("NOT_FOUND", "residentId")]

    assert count(deployment, PostAssignment) == before
    with deployment.session_factory() as session:
        refused = session.scalars(select(AuditRecord).where(AuditRecord.outcome == "refused")).all()
        assert len(refused) == 5 and all(r.action == "mutation:assignPost" for r in refused)


def test_end_and_transfer_keep_history(deployment: Deployment, tree: Tree, officer: Principal) -> None:
    chair = ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "chair", "王芳"), user=officer))["assignPost"]
    cashier = ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "cashier", "陈静"), user=officer))[
        "assignPost"
    ]
    data = ok(
        run(
            deployment,
            """mutation($input: EndPostTermInput!) {
                 endPostTerm(input: $input) { assignment { endedOn endReason isCurrent } userErrors { code } }
               }""",
            {"input": {"id": chair["assignment"]["id"], "endedOn": "2024-07-01", "reason": "辞职"}},
            user=officer,
        )
    )["endPostTerm"]
    assert data == {"assignment": {"endedOn": "2024-07-01", "endReason": "辞职", "isCurrent": False}, "userErrors": []}
    data = ok(
        run(
            deployment,
            """mutation($input: TransferPostInput!) {
                 transferPost(input: $input) {
                   ended { endedOn residentName }
                   assignment { termStart residentName predecessor { residentName } }
                   userErrors { code field }
                 }
               }""",
            {
                "input": {
                    "id": cashier["assignment"]["id"],
                    "residentId": gid("Resident", tree.residents["杨帆"]),
                    "on": "2024-08-01",
                    "reason": "调任",
                }
            },
            user=officer,
        )
    )["transferPost"]
    assert data["ended"] == {"endedOn": "2024-08-01", "residentName": "陈静"}
    assert data["assignment"] == {
        "termStart": "2024-08-01",
        "residentName": "杨帆",
        "predecessor": {"residentName": "陈静"},
    }

    history = ok(
        run(
            deployment,
            """query($u: ID!) { bodies(under: $u, kind: "residents_committee") { nodes {
                 current: assignments(on: "2024-09-01") { residentName postCode }
                 all: assignments(includeEnded: true) { residentName postCode endedOn }
               } } }""",
            {"u": gid("OrgUnit", tree.community)},
            user=officer,
        )
    )["bodies"]["nodes"]
    assert history[0]["current"] == [{"residentName": "杨帆", "postCode": "cashier"}]
    assert [(a["residentName"], a["endedOn"]) for a in history[0]["all"]] == [
        ("王芳", "2024-07-01"),
        ("陈静", "2024-08-01"),
        ("杨帆", None),
    ]
    # Ending twice is refused.
    data = ok(
        run(
            deployment,
            "mutation($input: EndPostTermInput!) { endPostTerm(input: $input) { userErrors { code } } }",
            {"input": {"id": chair["assignment"]["id"], "endedOn": "2024-09-01", "reason": "再次"}},
            user=officer,
        )
    )["endPostTerm"]
    assert data["userErrors"] == [{"code": "ALREADY_ENDED"}]


def test_reads_and_writes_stay_in_scope(deployment: Deployment, tree: Tree, officer: Principal) -> None:
    ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "chair", "张伟"), user=officer))
    with deployment.session_factory() as session, session.begin():
        sibling_chair = service.assign(
            session,
            body_id=tree.sibling_committee,
            post_code="chair",
            resident_id=tree.residents["赵磊"],
            term_start=START,
        )
        sibling_id = sibling_chair.id

    # Lists are narrowed to the officer's street.
    nodes = ok(
        run(
            deployment,
            "query($u: ID!) { bodies(under: $u) { totalCount nodes { name } } }",
            {"u": gid("OrgUnit", tree.city)},
            user=officer,
        )
    )
    assert nodes["bodies"]["totalCount"] == 4
    assert "延安社区居民委员会" not in {n["name"] for n in nodes["bodies"]["nodes"]}
    data = ok(
        run(
            deployment,
            "query($r: ID!) { postsOfResident(residentId: $r, includeEnded: true) { postCode } }",
            {"r": gid("Resident", tree.residents["赵磊"])},
            user=officer,
        )
    )
    assert data["postsOfResident"] == []
    data = ok(
        run(
            deployment,
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            {
                "ids": [
                    gid("Body", tree.sibling_committee),
                    gid("PostAssignment", sibling_id),
                    gid("Body", tree.committee),
                ]
            },
            user=officer,
        )
    )
    assert data["nodes"][:2] == [None, None] and data["nodes"][2] is not None

    # A unit outside the scope: FORBIDDEN.
    for query in (
        "query($u: ID!) { postHolders(orgUnitId: $u) { id } }",
        "query($u: ID!) { sizingWarnings(orgUnitId: $u) { code } }",
    ):
        result = run(deployment, query, {"u": gid("OrgUnit", tree.sibling_community)}, user=officer)
        assert result["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        result = run(deployment, query, {"u": gid("OrgUnit", tree.community)}, user=None)
        assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    # Writes outside the scope, or with view only: refused (FORBIDDEN), nothing written.
    viewer = principal_at(deployment, [("posts.view", tree.city)])
    bodies_before, assignments_before = count(deployment, Body), count(deployment, PostAssignment)
    attempts = [
        (
            officer,
            CREATE_BODY,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", tree.sibling_community),
                    "kind": "mediation_committee",
                    "name": "调委会",
                }
            },
        ),
        (
            viewer,
            CREATE_BODY,
            {"input": {"orgUnitId": gid("OrgUnit", tree.community), "kind": "mediation_committee", "name": "调委会"}},
        ),
        (officer, ASSIGN, assign_input(tree, tree.sibling_committee, "member", "赵磊")),
        (viewer, ASSIGN, assign_input(tree, tree.committee, "member", "王芳")),
        (
            officer,
            "mutation($input: EndPostTermInput!) { endPostTerm(input: $input) { userErrors { code } } }",
            {"input": {"id": gid("PostAssignment", sibling_id), "endedOn": "2024-09-01", "reason": "越权"}},
        ),
    ]
    # A body or assignment of another street answers as one that does not
    # exist (NOT_FOUND); units are public, so a unit outside the scope is FORBIDDEN.
    expected = ["FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "FORBIDDEN", "NOT_FOUND"]
    for (user, document, variables), code in zip(attempts, expected, strict=True):
        payload = next(iter(ok(run(deployment, document, variables, user=user)).values()))
        assert [e["code"] for e in payload["userErrors"]] == [code], payload
    assert (count(deployment, Body), count(deployment, PostAssignment)) == (bodies_before, assignments_before)

    # Within the scope: allowed.
    data = ok(
        run(
            deployment,
            CREATE_BODY,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", tree.community),
                    "kind": "mediation_committee",
                    "name": "文庙社区人民调解委员会",
                }
            },
            user=officer,
        )
    )["createBody"]
    assert data["body"]["kindName"] == "人民调解委员会" and data["body"]["orgUnit"]["name"] == "文庙社区"


def test_resident_record_needs_people_view(deployment: Deployment, tree: Tree, officer: Principal) -> None:
    ok(run(deployment, ASSIGN, assign_input(tree, tree.committee, "chair", "张伟"), user=officer))
    query = "query($u: ID!) { postHolders(orgUnitId: $u) { residentName resident { id } } }"
    variables = {"u": gid("OrgUnit", tree.community)}
    [holder] = ok(run(deployment, query, variables, user=officer))["postHolders"]
    assert holder == {"residentName": "张伟", "resident": None}
    both = principal_at(deployment, [("posts.view", tree.street), ("people.view", tree.community)])
    [holder] = ok(run(deployment, query, variables, user=both))["postHolders"]
    assert holder["resident"] == {"id": gid("Resident", tree.residents["张伟"])}


def test_sizing_warnings_field(deployment: Deployment, tree: Tree, officer: Principal) -> None:
    with deployment.session_factory() as session, session.begin():
        add_households(session, tree.grid, 320)
    data = ok(
        run(
            deployment,
            'query($u: ID!) { sizingWarnings(orgUnitId: $u, on: "2024-06-01") { code actual expected message orgUnit { name } body { name } } }',
            {"u": gid("OrgUnit", tree.community)},
            user=officer,
        )
    )["sizingWarnings"]
    # Committees first, then units in tree order.
    assert [(w["code"], w["actual"], w["expected"]) for w in data] == [
        ("COMMITTEE_TOO_SMALL", 0, 5),
        ("COMMUNITY_TOO_SMALL", 320, 1500),
        ("GRID_TOO_LARGE", 320, 300),
    ]
    assert data[0]["body"] == {"name": "文庙社区居民委员会"} and data[2]["orgUnit"] == {"name": "第一网格"}
    assert data[2]["body"] is None


@pytest.fixture
def statements(deployment: Deployment) -> Iterator[list[str]]:
    seen: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", remember)
    yield seen
    event.remove(deployment.engine, "before_cursor_execute", remember)


def test_nested_fields_load_per_page_not_per_row(
    deployment: Deployment, tree: Tree, officer: Principal, statements: list[str]
) -> None:
    with deployment.session_factory() as session, session.begin():
        for i in range(8):
            body = service.create_body(
                session, org_unit_id=tree.other_community, kind="working_committee", name=f"工作委员会{i}"
            )
            for j, name in enumerate(("张伟", "王芳", "李娜")):
                service.assign(
                    session,
                    body_id=body.id,
                    post_code="chair" if j == 0 else "member",
                    resident_id=tree.residents[name],
                    term_start=date(2024, 1, 1),
                )
    query = """query($u: ID!) { bodies(under: $u, first: 50) { nodes {
        name orgUnit { name }
        assignments { postName residentName body { name } predecessor { id } }
      } } }"""
    statements.clear()
    nodes = ok(run(deployment, query, {"u": gid("OrgUnit", tree.street)}, user=officer))["bodies"]["nodes"]
    assert len(nodes) == 12
    assert sum(len(n["assignments"]) for n in nodes) == 24
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The unit of `under`, the page, its units, its assignments, their
    # residents, their bodies: one query per level, not one per row.
    assert len(selects) == 6, selects
