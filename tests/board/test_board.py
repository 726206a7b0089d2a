"""The public board: approval by the party organization before publication,
separation of drafter and approver, scope, expiry and withdrawal; anonymous
reading through GraphQL and the plain web page, which escapes what it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypedDict

import pytest
from sqlalchemy import event, select
from starlette.testclient import TestClient

from core.api.errors import UserInputError
from core.api.relay import decode_pk, encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.permissions import Principal
from core.board import service
from core.board.models import Notice
from core.board.web import PAGE_CSP
from core.org import service as org_service
from core.org.models import OrgUnit
from core.policy.service import local_today
from tests.conftest import TEST_PASSWORD, GraphQLCall, SignedIn, SignIn


@dataclass
class Tree:
    """长春市 → 朝阳区 → 桂林街道 → {桂林社区 (220104001001), 清华社区}."""

    city: int
    street: int
    community: int
    other_community: int


@pytest.fixture
def tree(deployment: Deployment) -> Tree:
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: int | None, code: str | None = None) -> int:
            return org_service.create_unit(
                session, deployment.settings, name=name, level=level, parent_id=parent, division_code=code
            ).id

        city = add("长春市", "city", None, "220100")
        district = add("朝阳区", "district", city, "220104")
        street = add("桂林街道", "street", district, "220104001")
        community = add("桂林社区", "community", street, "220104001001")
        other = add("清华社区", "community", street, "220104001002")
    return Tree(city=city, street=street, community=community, other_community=other)


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


NOTICE_FIELDS = "id title status categoryName publisherLabel approvedAt publishedAt"

DRAFT = f"""
mutation($input: DraftNoticeInput!) {{
  draftNotice(input: $input) {{ notice {{ {NOTICE_FIELDS} }} userErrors {{ field code message }} }}
}}
"""


def action(name: str) -> str:
    kind = {"withdrawNotice": "WithdrawNoticeInput", "approveNotice": "ApproveNoticeInput"}.get(
        name, "NoticeActionInput"
    )
    return f"""
mutation($input: {kind}!) {{
  {name}(input: $input) {{ notice {{ {NOTICE_FIELDS} }} userErrors {{ field code message }} }}
}}
"""


PUBLIC_BOARD = """
query($unit: ID!, $category: String, $first: Int, $after: String) {
  publicBoard(orgUnitId: $unit, category: $category, first: $first, after: $after) {
    nodes { title body category categoryName publisherLabel orgUnit { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

NOTICES = """
query($under: ID!, $status: String) {
  notices(under: $under, status: $status) { nodes { title status } }
}
"""


def draft_input(unit: int, title: str = "2026年第三季度财务收支公开", **extra: Any) -> dict[str, Any]:
    return {
        "input": {
            "orgUnitId": gid("OrgUnit", unit),
            "title": title,
            "body": "本季度收入 12,000 元，支出 9,500 元。",
            "category": "finance",
            "publisherLabel": "桂林社区居民委员会",
            **extra,
        }
    }


def errors(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


@dataclass
class Staff:
    worker: SignedIn
    secretary: SignedIn


@pytest.fixture
def staff(sign_in: SignIn, tree: Tree) -> Staff:
    return Staff(
        worker=sign_in("community_worker", tree.community), secretary=sign_in("party_secretary", tree.community)
    )


def drafted(staff: Staff, tree: Tree, title: str = "2026年第三季度财务收支公开", **extra: Any) -> str:
    payload = staff.worker(DRAFT, draft_input(tree.community, title, **extra))["draftNotice"]
    assert payload["userErrors"] == []
    return str(payload["notice"]["id"])


MEETING: dict[str, Any] = {"meeting_reference": "桂林社区党委委员会议", "meeting_on": date(2026, 1, 5)}
# Without the party-building plugin, the approver names the committee meeting that decided.
DECISION = {"meetingReference": "桂林社区党委委员会议：研究本季度公开事项", "meetingOn": "2026-01-05"}


def step(caller: SignedIn, name: str, notice_id: str, **extra: Any) -> dict[str, Any]:
    if name == "approveNotice" and not extra:
        extra = DECISION
    return caller(action(name), {"input": {"id": notice_id, **extra}})[name]


def published(staff: Staff, tree: Tree, title: str = "2026年第三季度财务收支公开", **extra: Any) -> str:
    notice_id = drafted(staff, tree, title, **extra)
    assert errors(step(staff.worker, "submitNoticeForApproval", notice_id)) == []
    assert errors(step(staff.secretary, "approveNotice", notice_id)) == []
    assert errors(step(staff.worker, "publishNotice", notice_id)) == []
    return notice_id


def board_titles(gql: GraphQLCall, unit: int) -> list[str]:
    return [n["title"] for n in gql(PUBLIC_BOARD, {"unit": gid("OrgUnit", unit)})["publicBoard"]["nodes"]]


# --- the life of a notice --------------------------------------------------------------------


def test_drafted_approved_published_reaches_the_board(
    staff: Staff, tree: Tree, gql: GraphQLCall, client: TestClient, deployment: Deployment
) -> None:
    notice_id = drafted(staff, tree)
    submitted = step(staff.worker, "submitNoticeForApproval", notice_id)
    assert submitted["notice"]["status"] == "pending_approval"
    approved = step(staff.secretary, "approveNotice", notice_id)
    assert approved["notice"]["status"] == "approved" and approved["notice"]["approvedAt"]
    done = step(staff.worker, "publishNotice", notice_id)
    assert done["notice"]["status"] == "published" and done["notice"]["publishedAt"]

    board = gql(PUBLIC_BOARD, {"unit": gid("OrgUnit", tree.community)})["publicBoard"]["nodes"]
    assert board == [
        {
            "title": "2026年第三季度财务收支公开",
            "body": "本季度收入 12,000 元，支出 9,500 元。",
            "category": "finance",
            "categoryName": "财务公开",
            "publisherLabel": "桂林社区居民委员会",
            "orgUnit": {"name": "桂林社区"},
        }
    ]
    page = client.get(f"/board/{gid('OrgUnit', tree.community)}")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "桂林社区公开栏" in page.text and "2026年第三季度财务收支公开" in page.text
    # Public, but never cached, framed or sniffed; only its own inline style is allowed.
    assert page.headers["cache-control"] == "no-store" and page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["content-security-policy"] == PAGE_CSP
    # Each step is audited by atomic.
    with deployment.session_factory() as session:
        actions = list(
            session.scalars(select(AuditRecord.action).where(AuditRecord.outcome == "success").order_by(AuditRecord.id))
        )
    assert [a for a in actions if "Notice" in a] == [
        "mutation:draftNotice",
        "mutation:submitNoticeForApproval",
        "mutation:approveNotice",
        "mutation:publishNotice",
    ]


def test_unpublished_notices_never_reach_the_board(
    staff: Staff, tree: Tree, gql: GraphQLCall, client: TestClient
) -> None:
    drafted(staff, tree, "草稿公告")
    pending = drafted(staff, tree, "待审公告")
    step(staff.worker, "submitNoticeForApproval", pending)
    approved = drafted(staff, tree, "已审未公开公告")
    step(staff.worker, "submitNoticeForApproval", approved)
    step(staff.secretary, "approveNotice", approved)

    assert board_titles(gql, tree.community) == []
    page = client.get(f"/board/{gid('OrgUnit', tree.community)}").text
    assert "草稿公告" not in page and "待审公告" not in page and "已审未公开公告" not in page
    assert "目前没有公开的内容" in page
    # Staff see all three.
    listed = staff.worker(NOTICES, {"under": gid("OrgUnit", tree.community)})["notices"]["nodes"]
    assert sorted(n["status"] for n in listed) == ["approved", "draft", "pending_approval"]


def test_publication_needs_the_party_organizations_approval(staff: Staff, tree: Tree, gql: GraphQLCall) -> None:
    notice_id = drafted(staff, tree)
    assert errors(step(staff.worker, "publishNotice", notice_id)) == ["NOT_APPROVED"]
    step(staff.worker, "submitNoticeForApproval", notice_id)
    assert errors(step(staff.worker, "publishNotice", notice_id)) == ["NOT_APPROVED"]
    # A community worker does not hold board.approve.
    assert errors(step(staff.worker, "approveNotice", notice_id)) == ["FORBIDDEN"]
    assert board_titles(gql, tree.community) == []


def test_the_approver_is_not_the_drafter(staff: Staff, tree: Tree, sign_in: SignIn) -> None:
    payload = staff.secretary(DRAFT, draft_input(tree.community, "党组织书记起草的公告"))["draftNotice"]
    notice_id = payload["notice"]["id"]
    step(staff.secretary, "submitNoticeForApproval", notice_id)
    refused = step(staff.secretary, "approveNotice", notice_id)["userErrors"]
    assert [e["code"] for e in refused] == ["APPROVER_IS_REQUESTER"]
    # The person who wrote a notice is its drafter (起草人), not an applicant.
    assert "起草人" in refused[0]["message"] and "申请人" not in refused[0]["message"]
    other_secretary = sign_in("party_secretary", tree.community)
    assert step(other_secretary, "approveNotice", notice_id)["notice"]["status"] == "approved"


def test_a_community_worker_cannot_publish_on_another_communitys_board(
    staff: Staff, tree: Tree, sign_in: SignIn, gql: GraphQLCall
) -> None:
    outsider = sign_in("community_worker", tree.other_community)
    payload = outsider(DRAFT, draft_input(tree.community))["draftNotice"]
    assert errors(payload) == ["FORBIDDEN"] and payload["notice"] is None
    notice_id = drafted(staff, tree)
    step(staff.worker, "submitNoticeForApproval", notice_id)
    step(staff.secretary, "approveNotice", notice_id)
    # Another community's notice answers as one that does not exist.
    assert errors(step(outsider, "publishNotice", notice_id)) == ["NOT_FOUND"]
    assert errors(step(outsider, "withdrawNotice", notice_id, reason="误发")) == ["NOT_FOUND"]
    outside_secretary = sign_in("party_secretary", tree.other_community)
    assert board_titles(gql, tree.community) == []
    # Outside staff do not see the notice in their lists either.
    assert outsider(NOTICES, {"under": gid("OrgUnit", tree.community)})["notices"]["nodes"] == []
    assert outside_secretary(NOTICES, {"under": gid("OrgUnit", tree.street)})["notices"]["nodes"] == []


def test_withdrawn_notices_leave_the_board(staff: Staff, tree: Tree, gql: GraphQLCall, client: TestClient) -> None:
    notice_id = published(staff, tree, "将被撤回的公告")
    published(staff, tree, "留在公开栏的公告")
    assert errors(step(staff.worker, "withdrawNotice", notice_id, reason="")) == ["REQUIRED"]
    withdrawn = step(staff.worker, "withdrawNotice", notice_id, reason="数据有误，更正后重新公开")
    assert withdrawn["notice"]["status"] == "withdrawn"
    assert board_titles(gql, tree.community) == ["留在公开栏的公告"]
    assert "将被撤回的公告" not in client.get(f"/board/{gid('OrgUnit', tree.community)}").text
    # A withdrawn notice cannot be published again.
    assert errors(step(staff.worker, "publishNotice", notice_id)) == ["INVALID_STATUS"]


def test_expired_notices_leave_the_board(staff: Staff, tree: Tree, gql: GraphQLCall, deployment: Deployment) -> None:
    today = local_today()
    published(staff, tree, "今日到期的公告", expiresOn=today.isoformat())
    published(staff, tree, "长期公告")
    assert sorted(board_titles(gql, tree.community)) == ["今日到期的公告", "长期公告"]
    with deployment.session_factory() as session:
        tomorrow = [n.title for n in service.published_notices(session, tree.community, on=today + timedelta(days=1))]
        assert tomorrow == ["长期公告"]
    # Already past its last day: approved, but it cannot be published.
    late = drafted(staff, tree, "已过期的公告", expiresOn=(today - timedelta(days=1)).isoformat())
    step(staff.worker, "submitNoticeForApproval", late)
    step(staff.secretary, "approveNotice", late)
    assert errors(step(staff.worker, "publishNotice", late)) == ["EXPIRED"]


def test_the_board_shows_one_board_newest_first_paged(staff: Staff, tree: Tree, gql: GraphQLCall) -> None:
    for n in range(3):
        published(staff, tree, f"公告{n}")
    first = gql(PUBLIC_BOARD, {"unit": gid("OrgUnit", tree.community), "first": 2})["publicBoard"]
    assert [n["title"] for n in first["nodes"]] == ["公告2", "公告1"] and first["pageInfo"]["hasNextPage"]
    rest = gql(
        PUBLIC_BOARD, {"unit": gid("OrgUnit", tree.community), "first": 2, "after": first["pageInfo"]["endCursor"]}
    )["publicBoard"]
    assert [n["title"] for n in rest["nodes"]] == ["公告0"] and not rest["pageInfo"]["hasNextPage"]
    assert board_titles(gql, tree.other_community) == []
    assert board_titles(gql, tree.street) == []
    by_category = gql(PUBLIC_BOARD, {"unit": gid("OrgUnit", tree.community), "category": "party_affairs"})
    assert by_category["publicBoard"]["nodes"] == []


# --- anonymous access ------------------------------------------------------------------------


def test_anonymous_callers_read_the_board_but_not_drafts(staff: Staff, tree: Tree, gql: GraphQLCall) -> None:
    published(staff, tree, "公开的公告")
    draft_id = drafted(staff, tree, "草稿")
    assert board_titles(gql, tree.community) == ["公开的公告"]
    denied = gql(NOTICES, {"under": gid("OrgUnit", tree.community)}, expect_errors=True)
    assert denied["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    node = gql("query($id: ID!) { node(id: $id) { id ... on Notice { title } } }", {"id": draft_id})
    assert node["node"] is None
    payload = gql(action("publishNotice"), {"input": {"id": draft_id}})["publishNotice"]
    assert errors(payload) == ["UNAUTHENTICATED"]
    refused = gql(DRAFT, draft_input(tree.community))["draftNotice"]
    assert errors(refused) == ["UNAUTHENTICATED"]
    # The public type carries no accounts or review data.
    failed = gql('{ __type(name: "PublicNotice") { fields { name } } }')
    names = {f["name"] for f in failed["__type"]["fields"]}
    assert not names & {"draftedBy", "approvedBy", "status", "sourceKey", "id"}


# --- the web page ---------------------------------------------------------------------------


def test_the_web_page_escapes_what_it_shows(staff: Staff, tree: Tree, client: TestClient) -> None:
    published(staff, tree, "<script>alert('公开栏')</script>", body="<img src=x onerror=alert(1)> & 说明")
    page = client.get(f"/board/{gid('OrgUnit', tree.community)}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;公开栏&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; 说明" in page
    assert '<meta name="viewport"' in page and 'lang="zh-CN"' in page


def test_the_web_page_by_division_code_and_unknown_units(staff: Staff, tree: Tree, client: TestClient) -> None:
    published(staff, tree, "按区划代码访问")
    assert "按区划代码访问" in client.get("/board/220104001001").text
    # A database key is not a public identifier: the page of unit 1 is not at /board/1.
    for ref in ("999999999", "abc", "0", "99999999999999999999", str(tree.community), gid("OrgUnit", 987654)):
        missing = client.get(f"/board/{ref}")
        assert missing.status_code == 404, ref
        assert "没有找到这个单位的公开栏" in missing.text


def test_the_web_page_reads_the_notices_in_one_query(
    staff: Staff, tree: Tree, client: TestClient, deployment: Deployment
) -> None:
    for n in range(4):
        published(staff, tree, f"公告{n}")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", record)
    try:
        page = client.get(f"/board/{gid('OrgUnit', tree.community)}")
    finally:
        event.remove(deployment.engine, "before_cursor_execute", record)
    assert page.status_code == 200 and page.text.count("<article>") == 4
    assert len([s for s in statements if "FROM notice" in s]) == 1
    assert len(statements) <= 3, statements


# --- the service API plugins call -------------------------------------------------------------


def principal(deployment: Deployment, user_id: int, grants: list[tuple[str, int]]) -> Principal:
    """A signed-in account (created here) holding each permission code at a unit."""
    config = AuthConfig.from_settings(deployment.settings)
    with deployment.session_factory() as session, session.begin():
        user = auth_service.create_user(
            session, config, username=f"board-user-{user_id}", display_name="测试", password=TEST_PASSWORD
        )
        pairs = [(code, org_service.get_unit(session, unit).path) for code, unit in grants]
        user_id = user.id
    return Principal.build(id=user_id, username=f"board-user-{user_id}", display_name="测试", permissions=pairs)


class _NoticeFields(TypedDict):
    org_unit: OrgUnit | int
    title: str
    body: str
    category: str
    publisher_label: str
    source_plugin: str
    source_key: str


def test_personal_data_needs_a_stated_rule(deployment: Deployment, tree: Tree) -> None:
    drafter = principal(deployment, 1, [("board.draft", tree.community)])
    fields: _NoticeFields = {
        "org_unit": tree.community,
        "title": "2026年度低保对象名单公示",
        "body": "……",
        "category": "community_affairs",
        "publisher_label": "桂林社区居民委员会",
        "source_plugin": "assistance",
        "source_key": "subsistence-2026",
    }
    with deployment.session_factory() as session:
        with pytest.raises(UserInputError) as refused:
            service.draft_notice(session, drafter, names_persons=True, **fields)
        assert refused.value.errors[0].code == "PERSONAL_DATA_RULE_REQUIRED"
        rule = "《最低生活保障审核确认办法》第十五条：审核确认结果在村（居）公示"
        notice = service.draft_notice(session, drafter, names_persons=True, personal_data_rule=rule, **fields)
        assert (notice.names_persons, notice.personal_data_rule) == (True, rule)
        assert service.notices_from_source(session, "assistance", "subsistence-2026") == [notice]
        # Core's own drafts name nobody.
        other: _NoticeFields = {**fields, "source_key": "other"}
        plain = service.draft_notice(session, drafter, **other)
        assert (plain.names_persons, plain.personal_data_rule) == (False, None)
        session.rollback()


def test_service_enforces_order_and_scope(deployment: Deployment, tree: Tree) -> None:
    drafter = principal(deployment, 1, [("board.draft", tree.community), ("board.publish", tree.community)])
    approver = principal(deployment, 2, [("board.approve", tree.community)])
    with deployment.session_factory() as session:
        notice = service.draft_notice(
            session,
            drafter,
            org_unit=tree.community,
            title="居务公开",
            body="正文",
            category="community_affairs",
            publisher_label="桂林社区居民委员会",
        )
        with pytest.raises(UserInputError) as early:
            service.publish(session, drafter, notice)
        assert early.value.errors[0].code == "NOT_APPROVED"
        with pytest.raises(UserInputError):
            service.approve(session, approver, notice, host=deployment.host, **MEETING)  # not yet submitted
        service.submit_for_approval(session, drafter, notice)
        service.approve(session, approver, notice, host=deployment.host, **MEETING)
        assert service.published_notices(session, tree.community) == []
        service.publish(session, drafter, notice, on=date.today())
        assert service.published_notices(session, tree.community) == [notice]
        assert service.published_notices(session, tree.other_community) == []
        with pytest.raises(UserInputError) as unknown:
            service.draft_notice(
                session, drafter, org_unit=tree.community, title="x", body="y", category="gossip", publisher_label="z"
            )
        assert unknown.value.errors[0].code == "UNKNOWN_CATEGORY"
        session.rollback()
    with deployment.session_factory() as session:
        assert session.scalars(select(Notice)).all() == []


def test_the_approver_is_not_the_submitter(deployment: Deployment, tree: Tree) -> None:
    drafter = principal(deployment, 1, [("board.draft", tree.community)])
    submitter = principal(deployment, 2, [("board.draft", tree.community), ("board.approve", tree.community)])
    with deployment.session_factory() as session:
        notice = service.draft_notice(
            session,
            drafter,
            org_unit=tree.community,
            title="党务公开",
            body="正文",
            category="party_affairs",
            publisher_label="桂林社区党委",
        )
        service.submit_for_approval(session, submitter, notice)
        with pytest.raises(UserInputError) as same:
            service.approve(session, submitter, notice, host=deployment.host, **MEETING)
        assert same.value.errors[0].code == "APPROVER_IS_REQUESTER"
        session.rollback()


def test_staff_filter_notices_by_status(staff: Staff, tree: Tree, deployment: Deployment, sign_in: SignIn) -> None:
    expiring = published(staff, tree, "已过期的公告", expiresOn=local_today().isoformat())
    published(staff, tree, "在公开栏的公告")
    drafted(staff, tree, "草稿")
    with deployment.session_factory() as session, session.begin():
        notice = session.get(Notice, int(service_pk(expiring)))
        assert notice is not None
        notice.expires_on = local_today() - timedelta(days=1)
    street = sign_in("street_staff", tree.street)

    def titles(status: str) -> list[str]:
        found = street(NOTICES, {"under": gid("OrgUnit", tree.street), "status": status})["notices"]["nodes"]
        return [n["title"] for n in found]

    assert titles("expired") == ["已过期的公告"]
    assert titles("published") == ["在公开栏的公告"]
    assert titles("draft") == ["草稿"]
    bad = street(NOTICES, {"under": gid("OrgUnit", tree.street), "status": "archived"}, expect_errors=True)
    assert bad["errors"][0]["extensions"]["code"] == "UNKNOWN_STATUS"


def service_pk(global_id: str) -> int:
    return decode_pk(global_id, "Notice")


def test_a_plugins_named_list_shows_its_rule(
    deployment: Deployment, tree: Tree, client: TestClient, gql: GraphQLCall
) -> None:
    drafter = principal(deployment, 1, [("board.draft", tree.community), ("board.publish", tree.community)])
    approver = principal(deployment, 2, [("board.approve", tree.community)])
    rule = "《最低生活保障审核确认办法》第十五条：审核确认结果在村（居）公示"
    with deployment.session_factory() as session, session.begin():
        notice = service.draft_notice(
            session,
            drafter,
            org_unit=tree.community,
            title="2026年度低保对象审核结果公示",
            body="张某某，3人。",
            category="community_affairs",
            publisher_label="桂林社区居民委员会",
            source_plugin="assistance",
            source_key="round-2026",
            names_persons=True,
            personal_data_rule=rule,
        )
        service.submit_for_approval(session, drafter, notice)
        service.approve(session, approver, notice, host=deployment.host, **MEETING)
        service.publish(session, drafter, notice)
    board = gql(
        PUBLIC_BOARD.replace("categoryName", "categoryName personalDataRule"), {"unit": gid("OrgUnit", tree.community)}
    )
    assert board["publicBoard"]["nodes"][0]["personalDataRule"] == rule
    assert f"公开个人信息的依据：{rule}" in client.get(f"/board/{gid('OrgUnit', tree.community)}").text


def test_approval_records_the_committee_decision(staff: Staff, tree: Tree, deployment: Deployment) -> None:
    notice_id = drafted(staff, tree)
    assert errors(step(staff.worker, "submitNoticeForApproval", notice_id)) == []
    # 经社区党组织委员会集体研究决定: one person's consent is not enough.
    refused = step(staff.secretary, "approveNotice", notice_id, meetingReference=" ")
    assert sorted(errors(refused)) == ["DECISION_REQUIRED", "REQUIRED"] and refused["notice"] is None
    future = step(
        staff.secretary,
        "approveNotice",
        notice_id,
        meetingReference="党委会",
        meetingOn=(local_today() + timedelta(days=1)).isoformat(),
    )
    assert errors(future) == ["DATE_IN_FUTURE"]
    # Without the party-building plugin there is no resolution to choose.
    no_plugin = step(
        staff.secretary, "approveNotice", notice_id, resolutionId="UGFydHlNZWV0aW5nUmVzb2x1dGlvbjox", **DECISION
    )
    assert errors(no_plugin) == ["RESOLUTION_NOT_AVAILABLE"]
    assert errors(step(staff.secretary, "approveNotice", notice_id)) == []
    with deployment.session_factory() as session:
        notice = service.get_notice(session, decode_pk(notice_id, "Notice"))
        assert (notice.decision_reference, notice.decision_on, notice.decision_source) == (
            DECISION["meetingReference"],
            date(2026, 1, 5),
            None,
        )


ID_NUMBER = "370202198005171233"  # area, birth date and check digit valid


def test_personal_data_in_a_notice_is_refused_by_field(staff: Staff, tree: Tree, gql: GraphQLCall) -> None:
    body = {"body": f"经研究，同意王某某（身份证号 {ID_NUMBER}）的申请，联系电话 138 1234 5678。"}
    payload = staff.worker(DRAFT, draft_input(tree.community, **body))["draftNotice"]
    assert payload["notice"] is None
    [problem] = payload["userErrors"]
    assert (problem["code"], problem["field"]) == ("PERSONAL_DATA_IN_NOTICE", "body")
    # Named masked, with where it was found; never in full.
    assert (
        "正文" in problem["message"]
        and "370202********1233" in problem["message"]
        and "138****5678" in problem["message"]
    )
    assert ID_NUMBER not in problem["message"]

    title = staff.worker(DRAFT, draft_input(tree.community, "请联系13812345678领取"))["draftNotice"]["userErrors"]
    assert [(e["code"], e["field"]) for e in title] == [("PERSONAL_DATA_IN_NOTICE", "title")]
    assert "标题" in title[0]["message"]

    # Eighteen digits that are not an ID number (wrong check digit) and amounts pass.
    fine = draft_input(tree.community, body="合同编号 370202198005171234，金额 12,000 元。")
    assert staff.worker(DRAFT, fine)["draftNotice"]["userErrors"] == []
    assert board_titles(gql, tree.community) == []


def test_a_notice_holding_personal_data_is_not_submitted_or_published(deployment: Deployment, tree: Tree) -> None:
    drafter = principal(deployment, 1, [("board.draft", tree.community), ("board.publish", tree.community)])
    approver = principal(deployment, 2, [("board.approve", tree.community)])
    with deployment.session_factory() as session:
        notice = service.draft_notice(
            session,
            drafter,
            org_unit=tree.community,
            title="居务公开",
            body="正文",
            category="community_affairs",
            publisher_label="桂林社区居民委员会",
        )
        # Written around the service (an old row, a direct edit): caught on submission ...
        notice.body = f"申请人身份证 {ID_NUMBER[:6]}{ID_NUMBER[8:17]}"  # a 15-digit legacy number
        with pytest.raises(UserInputError) as caught:
            service.submit_for_approval(session, drafter, notice)
        assert [(e.code, e.field) for e in caught.value.errors] == [("PERSONAL_DATA_IN_NOTICE", "body")]
        notice.body = "正文"
        service.submit_for_approval(session, drafter, notice)
        service.approve(
            session,
            approver,
            notice,
            host=deployment.host,
            meeting_reference="社区党委会第3次会议",
            meeting_on=date(2026, 1, 5),
        )
        # ... and on publication.
        notice.title = "联系人手机 +86 13912345678"
        with pytest.raises(UserInputError) as caught:
            service.publish(session, drafter, notice, on=date.today())
        assert [(e.code, e.field) for e in caught.value.errors] == [("PERSONAL_DATA_IN_NOTICE", "title")]
        assert service.published_notices(session, tree.community) == []
        session.rollback()
