"""Meetings through GraphQL: a representatives' assembly called with its
notice, the roster taken from the posts, sign-in, below quorum no
resolution, a resolution linked to what it decided, minutes, closing,
results drafted for the public board; every refusal a user error in
Chinese; another street sees nothing and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from core.policy.service import local_today
from tests.conftest import SignIn
from tests.meetings.helpers import make_assembly

CREATE = """mutation($input: CreateMeetingInput!) { createMeeting(input: $input) {
  meeting { id kind kindName expectedCount presentCount quorate quorumRule agenda attendance { residentId name role status } }
  userErrors { field code message } } }"""
SIGN = """mutation($input: SignInToMeetingInput!) { signInToMeeting(input: $input) {
  meeting { presentCount quorate } userErrors { field code message } } }"""
RESOLVE = """mutation($input: ResolveAtMeetingInput!) { resolveAtMeeting(input: $input) {
  resolution { id text votesFor adopted subjects { subjectType subjectId } meeting { title } } userErrors { field code message } } }"""
MINUTES = """mutation($input: MeetingMinutesInput!) { recordMeetingMinutes(input: $input) { meeting { minutes } userErrors { code } } }"""
CLOSE = """mutation($input: MeetingActionInput!) { closeMeeting(input: $input) {
  meeting { closed attendance { status } } userErrors { field code message } } }"""
PUBLISH = """mutation($input: MeetingActionInput!) { draftMeetingResults(input: $input) {
  meeting { resultsNoticeId resultsDueOn resultsPublishedOn resultsLate } userErrors { code } } }"""
LIST = """query($u: ID!) { meetings(orgUnitId: $u) { edges { node { title quorate resolutions { adopted } } } } }"""


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


def test_an_assembly_from_notice_to_results(deployment: Deployment, root_unit: int, sign_in: SignIn) -> None:
    today = local_today()
    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit)
        street = org_service.create_unit(
            session, deployment.settings, name="八大峡街道", level="street", parent_id=root_unit
        ).id
    unit = encode_global_id("OrgUnit", assembly.community)
    worker = sign_in("community_worker", assembly.community)
    supervisor = sign_in("supervisor", assembly.community)
    neighbour = sign_in("community_worker", street)
    base = {
        "orgUnitId": unit,
        "kind": "representatives_assembly",
        "title": "社区成员代表大会",
        "heldOn": str(today),
        "agenda": ["审议门禁更换方案"],
    }
    late = worker(CREATE, {"input": {**base, "noticeOn": str(today - timedelta(days=1))}})["createMeeting"]
    assert _codes(late) == ["NOTICE_TOO_LATE"] and "提前 3 日" in late["userErrors"][0]["message"]
    # The tree is public: another street's community is seen, not run.
    assert _codes(
        neighbour(CREATE, {"input": {**base, "noticeOn": str(today - timedelta(days=3))}})["createMeeting"]
    ) == ["FORBIDDEN"]
    created = worker(CREATE, {"input": {**base, "noticeOn": str(today - timedelta(days=3))}})["createMeeting"]
    meeting = created["meeting"]
    assert (meeting["expectedCount"], meeting["presentCount"], meeting["quorate"], meeting["agenda"]) == (
        5,
        0,
        False,
        ["审议门禁更换方案"],
    )
    assert {a["role"] for a in meeting["attendance"]} == {"代表"} and {a["status"] for a in meeting["attendance"]} == {
        "pending"
    }
    ids = [a["residentId"] for a in meeting["attendance"]]
    sign = {"meetingId": meeting["id"]}
    outsider = encode_global_id("Resident", assembly.outsider)
    assert _codes(worker(SIGN, {"input": {**sign, "residentId": outsider}})["signInToMeeting"]) == ["NOT_ON_ROSTER"]
    assert _codes(supervisor(SIGN, {"input": {**sign, "residentId": ids[0]}})["signInToMeeting"]) == ["FORBIDDEN"]
    assert _codes(neighbour(SIGN, {"input": {**sign, "residentId": ids[0]}})["signInToMeeting"]) == ["NOT_FOUND"]
    for rid in ids[:2]:
        worker(SIGN, {"input": {**sign, "residentId": rid}})
    assert _codes(worker(SIGN, {"input": {**sign, "residentId": ids[0]}})["signInToMeeting"]) == ["ALREADY_SIGNED_IN"]
    decision = {"meetingId": meeting["id"], "text": "同意更换门禁", "votesFor": 2, "subjectIds": [unit]}
    short = worker(RESOLVE, {"input": decision})["resolveAtMeeting"]
    assert _codes(short) == ["QUORUM_NOT_MET"] and "不能作出决议" in short["userErrors"][0]["message"]
    signed = worker(SIGN, {"input": {**sign, "residentId": ids[2]}})["signInToMeeting"]["meeting"]
    assert signed == {"presentCount": 3, "quorate": True}
    absent = worker(SIGN, {"input": {**sign, "residentId": ids[3], "status": "absent"}})["signInToMeeting"]
    assert _codes(absent) == ["REQUIRED"]
    resolved = worker(RESOLVE, {"input": decision})["resolveAtMeeting"]["resolution"]
    assert (resolved["adopted"], resolved["subjects"]) == (True, [{"subjectType": "OrgUnit", "subjectId": unit}])
    assert neighbour(f'{{ node(id: "{resolved["id"]}") {{ id }} }}')["node"] is None
    assert _codes(worker(PUBLISH, {"input": sign})["draftMeetingResults"]) == ["MEETING_NOT_CLOSED"]
    assert _codes(worker(CLOSE, {"input": sign})["closeMeeting"]) == ["MINUTES_REQUIRED"]
    worker(MINUTES, {"input": {**sign, "minutes": "代表审议门禁更换方案。"}})
    closed = worker(CLOSE, {"input": sign})["closeMeeting"]["meeting"]
    assert closed["closed"] and sorted(a["status"] for a in closed["attendance"]) == [
        "absent",
        "absent",
        "present",
        "present",
        "present",
    ]
    published = worker(PUBLISH, {"input": sign})["draftMeetingResults"]["meeting"]
    assert published["resultsNoticeId"] and published["resultsDueOn"] == str(today + timedelta(days=7))
    assert (published["resultsPublishedOn"], published["resultsLate"]) == (None, False)
    # The results notice goes through the board: submitted, approved by the party organization, published.
    secretary = sign_in("party_secretary", assembly.community)
    notice = {"id": published["resultsNoticeId"]}
    board = "mutation($input: %s!) { %s(input: $input) { notice { status } userErrors { code } } }"
    assert (
        worker(board % ("NoticeActionInput", "submitNoticeForApproval"), {"input": notice})["submitNoticeForApproval"][
            "userErrors"
        ]
        == []
    )
    approval = {**notice, "meetingReference": "社区党组织委员会议：同意公开代表大会决定", "meetingOn": str(today)}
    assert (
        secretary(board % ("ApproveNoticeInput", "approveNotice"), {"input": approval})["approveNotice"]["userErrors"]
        == []
    )
    assert (
        worker(board % ("NoticeActionInput", "publishNotice"), {"input": notice})["publishNotice"]["userErrors"] == []
    )
    shown = worker(f'{{ node(id: "{meeting["id"]}") {{ ... on Meeting {{ resultsPublishedOn resultsLate }} }} }}')[
        "node"
    ]
    assert shown == {"resultsPublishedOn": str(today), "resultsLate": False}
    listed = supervisor(LIST, {"u": unit})["meetings"]["edges"]
    assert [e["node"] for e in listed] == [
        {"title": "社区成员代表大会", "quorate": True, "resolutions": [{"adopted": True}]}
    ]
    assert neighbour(LIST, {"u": unit})["meetings"]["edges"] == []
