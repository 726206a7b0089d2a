"""Party building through GraphQL: permissions and scope (lists filtered in
SQL), the plugin switched off per subtree, membership as sensitive
information (gated roster fields, masked political status revealed only with
the permission and audited), warnings returned with mutations, quorum and
development refusals as userErrors, and the notice on the public board."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.board.models import Notice
from core.org.models import OrgUnit
from core.people import service as people
from core.policy import service as policy
from core.policy.keys import plugin_active_key
from tests.conftest import SignIn
from tests.plugins.party_building.conftest import World


def gid(type_name: str, pk: int) -> str:
    return encode_global_id(type_name, pk)


def errors(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


CREATE_ORG = """
mutation($input: CreatePartyOrganizationInput!) {
  createPartyOrganization(input: $input) {
    organization { id name orgType orgTypeName memberCount expectedType orgUnit { name } }
    warnings { code message }
    userErrors { field code message }
  }
}
"""

ADMIT = """
mutation($input: AdmitPartyMemberInput!) {
  admitPartyMember(input: $input) {
    member { id name status politicalStatus committeeRole }
    warnings { code message }
    userErrors { field code message }
  }
}
"""

RECORD_MEETING = """
mutation($input: RecordPartyMeetingInput!) {
  recordPartyMeeting(input: $input) {
    meeting { id expectedCount presentCount quorate resolutions { text adopted } attendance { status name } kind kindName hostId }
    userErrors { field code message }
  }
}
"""


def residents(deployment: Deployment, unit_id: int, count: int) -> list[int]:
    with deployment.session_factory() as session, session.begin():
        return [people.register_resident(session, name=f"党员{n}", org_unit_id=unit_id).id for n in range(count)]


def create_branch(caller: Any, world: World, name: str = "宁安路社区党支部", unit: int | None = None) -> dict[str, Any]:
    payload = caller(
        CREATE_ORG,
        {"input": {"orgUnitId": gid("OrgUnit", unit or world.community), "name": name, "orgType": "branch"}},
    )["createPartyOrganization"]
    assert payload["userErrors"] == [], payload
    return payload


def admit(caller: Any, org_id: str, resident_id: int, **extra: Any) -> dict[str, Any]:
    return caller(
        ADMIT,
        {
            "input": {
                "organizationId": org_id,
                "residentId": gid("Resident", resident_id),
                "status": "full",
                "joinedOn": "2015-07-01",
                **extra,
            }
        },
    )["admitPartyMember"]


def test_organization_warnings_scope_and_activation(deployment: Deployment, world: World, sign_in: SignIn) -> None:
    secretary = sign_in("party_secretary", world.community)
    created = create_branch(secretary, world)
    assert [w["code"] for w in created["warnings"]] == ["NO_SECRETARY"]
    org_id = created["organization"]["id"]
    people_ = residents(deployment, world.grid, 3)
    first = admit(secretary, org_id, people_[0], committeeRole="secretary")
    assert first["userErrors"] == [] and first["warnings"] == []
    # The secretary of one community cannot act in the neighbour's.
    denied = secretary(
        CREATE_ORG,
        {"input": {"orgUnitId": gid("OrgUnit", world.neighbour), "name": "延安路党支部", "orgType": "branch"}},
    )["createPartyOrganization"]
    assert errors(denied) == ["FORBIDDEN"]
    # A community worker sees organizations but may not change them.
    worker = sign_in("community_worker", world.community)
    refused = admit(worker, org_id, people_[1])
    assert errors(refused) == ["FORBIDDEN"]
    listed = worker("{ partyOrganizations { nodes { name memberCount warnings { code } } } }")["partyOrganizations"][
        "nodes"
    ]
    assert listed == [{"name": "宁安路社区党支部", "memberCount": 1, "warnings": []}]
    neighbour_worker = sign_in("community_worker", world.neighbour)
    assert neighbour_worker("{ partyOrganizations { nodes { name } } }")["partyOrganizations"]["nodes"] == []

    # Switched off for the community: every mutation is refused there.
    with deployment.session_factory() as session, session.begin():
        unit = session.get(OrgUnit, world.community)
        assert unit is not None
        policy.set_value(
            session,
            unit,
            plugin_active_key("party_building"),
            False,
            set_by="test",
            reason="本社区暂不使用党建模块",
            effective_from=date(2000, 1, 1),
        )
    off = admit(secretary, org_id, people_[2])
    assert errors(off) == ["PLUGIN_NOT_ACTIVE"]


def test_membership_is_sensitive(deployment: Deployment, world: World, sign_in: SignIn) -> None:
    secretary = sign_in("party_secretary", world.community)
    org_id = create_branch(secretary, world)["organization"]["id"]
    [person] = residents(deployment, world.grid, 1)
    member = admit(secretary, org_id, person)["member"]
    assert member["politicalStatus"] == "****" and member["status"] == "full"
    roster = "{ partyMembers { nodes { name status politicalStatus } } }"
    assert secretary(roster)["partyMembers"]["nodes"] == [
        {"name": "党员0", "status": "full", "politicalStatus": "****"}
    ]
    # The neighbour community's secretary holds the roster permission, not here: the list is filtered in SQL.
    neighbour = sign_in("party_secretary", world.neighbour)
    assert neighbour(roster)["partyMembers"]["nodes"] == []
    assert neighbour(f'{{ node(id: "{member["id"]}") {{ id }} }}')["node"] is None
    # A community worker has no roster, and sees no status on a member node.
    worker = sign_in("community_worker", world.community)
    assert worker(roster, expect_errors=True)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    node = worker(
        f'{{ node(id: "{member["id"]}") {{ ... on PartyMember {{ name status joinedOn politicalStatus }} }} }}'
    )["node"]
    assert node == {"name": "党员0", "status": None, "joinedOn": None, "politicalStatus": "****"}

    reveal = """
    mutation($input: RevealSensitiveFieldInput!) { revealSensitiveField(input: $input) { value label userErrors { code } } }
    """
    ask = {"input": {"objectId": member["id"], "field": "politicalStatus", "purpose": "核对党员信息"}}
    refused = worker(reveal, ask)["revealSensitiveField"]
    assert refused["value"] is None and errors(refused) == ["FORBIDDEN"]
    shown = secretary(reveal, ask)["revealSensitiveField"]
    assert shown["value"] == "中共党员（宁安路社区党支部）" and shown["userErrors"] == []
    with deployment.session_factory() as session:
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.action == "reveal:PartyMember.politicalStatus")
        ).all()
    assert len(actions) == 1


def test_meeting_without_quorum_takes_no_resolution(deployment: Deployment, world: World, sign_in: SignIn) -> None:
    secretary = sign_in("party_secretary", world.community)
    org_id = create_branch(secretary, world)["organization"]["id"]
    roles = ("secretary", "deputy_secretary", "committee_member", "committee_member")
    ids = [
        admit(secretary, org_id, r, committeeRole=role)["member"]["id"]
        for r, role in zip(residents(deployment, world.grid, 4), roles, strict=True)
    ]
    ids += [admit(secretary, org_id, r)["member"]["id"] for r in residents(deployment, world.grid, 4)]
    # The committee meeting: 半数以上的委员到会 — 1 of 4 committee members is not enough.
    meeting = {
        "organizationId": org_id,
        "meetingType": "committee_meeting",
        "heldOn": str(policy.local_today()),
        "topic": "讨论年度工作",
        "agenda": "一、通报工作；二、表决",
        "minutes": "……",
        "presentMemberIds": ids[:1],
        "absences": [{"memberId": ids[2], "reason": "外出务工"}],
        "resolutions": [{"text": "通过年度工作计划", "votesFor": 1}],
    }
    refused = secretary(RECORD_MEETING, {"input": meeting})["recordPartyMeeting"]
    assert errors(refused) == ["QUORUM_NOT_MET"] and refused["meeting"] is None
    # Exactly half of the committee is 半数以上; a resolution still needs more
    # than half of those due (3 of 4), not of those present.
    meeting["presentMemberIds"] = ids[:2]
    meeting["resolutions"] = [{"text": "通过年度工作计划", "votesFor": 2}]
    held = secretary(RECORD_MEETING, {"input": meeting})["recordPartyMeeting"]
    assert held["userErrors"] == []
    assert (held["meeting"]["expectedCount"], held["meeting"]["presentCount"], held["meeting"]["quorate"]) == (
        4,
        2,
        True,
    )
    assert held["meeting"]["resolutions"] == [{"text": "通过年度工作计划", "adopted": False}]
    meeting["presentMemberIds"] = ids[:3]
    meeting["resolutions"] = [{"text": "通过年度工作计划", "votesFor": 3}]
    held = secretary(RECORD_MEETING, {"input": meeting})["recordPartyMeeting"]
    assert held["meeting"]["resolutions"] == [{"text": "通过年度工作计划", "adopted": True}]
    # A members' meeting has no quorum in the seeds: 2 of 8 full members is a meeting held.
    meeting.update(meetingType="members_meeting", presentMemberIds=ids[4:6], resolutions=[])
    members_meeting = secretary(RECORD_MEETING, {"input": meeting})["recordPartyMeeting"]
    assert members_meeting["userErrors"] == [] and members_meeting["meeting"]["quorate"] is True
    compliance = secretary(
        "query($o: ID!) { partyMeetingCompliance(organizationId: $o) { meetingType status held } }", {"o": org_id}
    )["partyMeetingCompliance"]
    assert {"meetingType": "members_meeting", "status": "done", "held": 1} in compliance
    assert {"meetingType": "committee_meeting", "status": "done", "held": 2} in compliance


DEVELOPMENT_FIELDS = "developmentCase { id stage stageName candidateName noticePublishedOn notice { id status } } userErrors { field code message }"


def test_development_with_the_public_board(deployment: Deployment, world: World, sign_in: SignIn) -> None:
    secretary = sign_in("party_secretary", world.community)
    deputy = sign_in("party_secretary", world.community)
    worker = sign_in("community_worker", world.community)
    org_id = create_branch(secretary, world)["organization"]["id"]
    [candidate] = residents(deployment, world.grid, 1)

    def step(name: str, kind: str, **fields: Any) -> dict[str, Any]:
        document = f"mutation($input: {kind}!) {{ {name}(input: $input) {{ {DEVELOPMENT_FIELDS} }} }}"
        return secretary(document, {"input": fields})[name]

    case = step(
        "startMemberDevelopment",
        "StartMemberDevelopmentInput",
        organizationId=org_id,
        residentId=gid("Resident", candidate),
    )
    case_id = case["developmentCase"]["id"]
    today = str(policy.local_today())
    skipped = step("recordDevelopmentExam", "RecordDevelopmentExamInput", caseId=case_id, on=today, score=90)
    assert errors(skipped) == ["STEP_OUT_OF_ORDER"]
    step(
        "recordDevelopmentNomination",
        "RecordDevelopmentNominationInput",
        caseId=case_id,
        by="MEMBERS",
        on=today,
        count=3,
    )
    step(
        "recordDevelopmentNomination",
        "RecordDevelopmentNominationInput",
        caseId=case_id,
        by="REPRESENTATIVES",
        on=today,
        count=8,
    )
    step(
        "recordDevelopmentEvaluation",
        "RecordDevelopmentEvaluationInput",
        caseId=case_id,
        on=today,
        approvals=8,
        participants=10,
    )
    step("recordDevelopmentExam", "RecordDevelopmentExamInput", caseId=case_id, on=today, score=88)
    drafted = step("draftDevelopmentNotice", "DraftDevelopmentNoticeInput", caseId=case_id)
    assert drafted["userErrors"] == [] and drafted["developmentCase"]["notice"]["status"] == "pending_approval"
    notice_id = drafted["developmentCase"]["notice"]["id"]
    early = step(
        "recordDevelopmentBranchMeeting", "RecordDevelopmentBranchMeetingInput", caseId=case_id, on=today, approved=True
    )
    assert errors(early) == ["NOTICE_NOT_PUBLISHED"]

    # The committee decides what goes on the board: its meeting's resolution approves the notice.
    committee = [
        admit(secretary, org_id, r, committeeRole=role)["member"]["id"]
        for r, role in zip(
            residents(deployment, world.grid, 3), ("secretary", "committee_member", "committee_member"), strict=True
        )
    ]
    held = secretary(
        RECORD_MEETING.replace("resolutions { text adopted }", "resolutions { id text adopted }"),
        {
            "input": {
                "organizationId": org_id,
                "meetingType": "committee_meeting",
                "heldOn": today,
                "topic": "研究发展对象公示",
                "presentMemberIds": committee,
                "resolutions": [{"text": "同意将发展对象在公开栏公示", "votesFor": 3}],
            }
        },
    )["recordPartyMeeting"]
    [resolution] = held["meeting"]["resolutions"]
    approve = "mutation($input: ApproveNoticeInput!) { approveNotice(input: $input) { notice { decisionReference } userErrors { code } } }"
    missing = deputy(approve, {"input": {"id": notice_id}})["approveNotice"]
    assert [e["code"] for e in missing["userErrors"]] == ["DECISION_REQUIRED"]
    approved = deputy(approve, {"input": {"id": notice_id, "resolutionId": resolution["id"]}})["approveNotice"]
    assert approved["userErrors"] == [] and "同意将发展对象在公开栏公示" in approved["notice"]["decisionReference"]
    action = "mutation($input: NoticeActionInput!) {{ {0}(input: $input) {{ userErrors {{ code }} }} }}"
    assert worker(action.format("publishNotice"), {"input": {"id": notice_id}})["publishNotice"]["userErrors"] == []
    # Published today: the branch meeting before the 7-day notice period ends is refused.
    too_soon = step(
        "recordDevelopmentBranchMeeting", "RecordDevelopmentBranchMeetingInput", caseId=case_id, on=today, approved=True
    )
    assert errors(too_soon) == ["NOTICE_PERIOD_NOT_OVER"]
    public = worker(
        "query($u: ID!) { publicBoard(orgUnitId: $u) { nodes { title category } } }",
        {"u": gid("OrgUnit", world.community)},
    )["publicBoard"]["nodes"]
    assert public == [{"title": "关于党员0同志列为发展对象的公示", "category": "party_affairs"}]

    # Eight days later (the notice was published eight days ago).
    with deployment.session_factory() as session, session.begin():
        for notice in session.scalars(select(Notice)):
            assert notice.published_at is not None
            notice.published_at = notice.published_at - timedelta(days=8)
    on = str(policy.local_today())
    done = step(
        "recordDevelopmentBranchMeeting", "RecordDevelopmentBranchMeetingInput", caseId=case_id, on=on, approved=True
    )
    assert done["userErrors"] == [] and done["developmentCase"]["stage"] == "admitted"


def test_democratic_life_plan_opens_the_report_obligation(
    deployment: Deployment, world: World, sign_in: SignIn
) -> None:
    secretary = sign_in("party_secretary", world.community)
    org_id = create_branch(secretary, world)["organization"]["id"]
    plan = """
    mutation($input: PlanDemocraticLifeMeetingInput!) {
      planDemocraticLifeMeeting(input: $input) {
        plan { id plannedOn reportedOn reportInstance { typeCode dueOn status } }
        userErrors { field code }
      }
    }
    """
    today = policy.local_today()
    late = secretary(
        plan, {"input": {"organizationId": org_id, "plannedOn": str(today + timedelta(days=2)), "topic": "对照检查"}}
    )
    assert errors(late["planDemocraticLifeMeeting"]) == ["TOO_LATE_TO_REPORT"]
    ok = secretary(
        plan, {"input": {"organizationId": org_id, "plannedOn": str(today + timedelta(days=10)), "topic": "对照检查"}}
    )
    found = ok["planDemocraticLifeMeeting"]["plan"]
    assert found["reportInstance"] == {
        "typeCode": "party_building.democratic_life_topic",
        "dueOn": str(today + timedelta(days=5)),
        "status": "open",
    }
    reported = secretary(
        "mutation($input: ReportDemocraticLifeTopicInput!) { reportDemocraticLifeTopic(input: $input) { plan { reportedOn reportInstance { status } } userErrors { code } } }",
        {"input": {"planId": found["id"]}},
    )["reportDemocraticLifeTopic"]
    assert reported["plan"] == {"reportedOn": str(today), "reportInstance": {"status": "submitted"}}


def run(caller: Any, mutation: str, input_type: str, selection: str, **fields: Any) -> dict[str, Any]:
    document = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}"
    payload = caller(document, {"input": fields})[mutation]
    assert payload["userErrors"] == [], (mutation, payload["userErrors"])
    return payload


def test_every_operation_is_wired(deployment: Deployment, world: World, sign_in: SignIn) -> None:
    """Each mutation and query once, as the community party secretary; the
    rules themselves are tested in test_service."""
    secretary = sign_in("party_secretary", world.community)
    today = policy.local_today()
    first = create_branch(secretary, world)["organization"]["id"]
    second = create_branch(secretary, world, "宁安路社区第二党支部", unit=world.grid)["organization"]["id"]
    run(
        secretary,
        "changePartyOrganizationType",
        "ChangePartyOrganizationTypeInput",
        "organization { orgType }",
        organizationId=first,
        orgType="general_branch",
    )
    ids = residents(deployment, world.grid, 4)
    member = admit(secretary, first, ids[0], status="probationary", joinedOn=str(today - timedelta(days=400)))[
        "member"
    ]["id"]
    other = admit(secretary, first, ids[1])["member"]["id"]
    run(
        secretary,
        "setPartyCommitteeRole",
        "SetPartyCommitteeRoleInput",
        "member { committeeRole }",
        memberId=other,
        committeeRole="secretary",
    )
    run(
        secretary,
        "confirmFullMembership",
        "ConfirmFullMembershipInput",
        "member { status fullOn }",
        memberId=member,
        on=str(today),
    )
    moved = run(
        secretary,
        "transferPartyMember",
        "TransferPartyMemberInput",
        "member { organization { name } transfers { fromOrganizationName toOrganizationName } }",
        memberId=member,
        toOrganizationId=second,
        on=str(today),
        reason="迁居第一网格",
    )["member"]
    assert moved["transfers"] == [
        {"fromOrganizationName": "宁安路社区党支部", "toOrganizationName": "宁安路社区第二党支部"}
    ]
    run(
        secretary,
        "setFlowingMember",
        "SetFlowingMemberInput",
        "member { flowing }",
        memberId=member,
        flowing=True,
        destination="上海市浦东新区",
    )
    gone = admit(secretary, first, ids[2])["member"]["id"]
    run(
        secretary,
        "endPartyMembership",
        "EndPartyMembershipInput",
        "member { leftOn }",
        memberId=gone,
        on=str(today),
        reason="去世",
    )

    meeting = run(
        secretary,
        "recordPartyMeeting",
        "RecordPartyMeetingInput",
        "meeting { id }",
        organizationId=first,
        meetingType="party_lecture",
        heldOn=str(today),
        topic="党课",
        presentMemberIds=[other],
    )["meeting"]["id"]
    added = run(
        secretary,
        "addMeetingResolution",
        "AddMeetingResolutionInput",
        "meeting { resolutions { adopted } }",
        meetingId=meeting,
        resolution={"text": "开展志愿服务", "votesFor": 1},
    )
    assert added["meeting"]["resolutions"] == [{"adopted": True}]

    registration = run(
        secretary,
        "registerInServiceMember",
        "RegisterInServiceMemberInput",
        "registration { id name }",
        orgUnitId=gid("OrgUnit", world.community),
        residentId=gid("Resident", ids[3]),
        workplace="市北区税务局",
        workplaceOrganization="市北区税务局机关党支部",
        registeredOn=str(today - timedelta(days=200)),
    )["registration"]["id"]
    run(
        secretary,
        "addInServiceEntry",
        "AddInServiceEntryInput",
        "registration { entries { kindName } }",
        registrationId=registration,
        kind="activity",
        on=str(today),
        description="参加社区义诊",
    )
    previous_quarter_end = date(today.year, (today.month - 1) // 3 * 3 + 1, 1) - timedelta(days=1)
    slip = run(
        secretary,
        "issueFeedbackSlip",
        "IssueFeedbackSlipInput",
        "feedbackSlip { content }",
        registrationId=registration,
        year=previous_quarter_end.year,
        quarter=(previous_quarter_end.month - 1) // 3 + 1,
    )
    assert "市北区税务局机关党支部" in slip["feedbackSlip"]["content"]

    with deployment.session_factory() as session, session.begin():
        household = people.register_household(session, org_unit_id=world.grid, address="宁安路8号").id
    assignment = run(
        secretary,
        "assignContactHousehold",
        "AssignContactHouseholdInput",
        "assignment { id householdAddress }",
        memberId=other,
        householdId=gid("Household", household),
    )["assignment"]["id"]
    run(
        secretary,
        "logHouseholdContact",
        "LogHouseholdContactInput",
        "assignment { id }",
        assignmentId=assignment,
        contactedOn=str(today),
        method="visit",
        note="了解困难",
    )
    half = 1 if today.month <= 6 else 2
    run(
        secretary,
        "appraisePartyMember",
        "AppraisePartyMemberInput",
        "appraisal { outcome }",
        memberId=other,
        year=today.year,
        half=half,
        points=90,
    )

    big = secretary(
        CREATE_ORG,
        {
            "input": {
                "orgUnitId": gid("OrgUnit", world.community),
                "name": "宁安路社区大党委",
                "orgType": "big_committee",
            }
        },
    )["createPartyOrganization"]["organization"]["id"]
    unit = run(
        secretary,
        "addMemberUnit",
        "AddMemberUnitInput",
        "memberUnit { id managementName } warnings { code }",
        bigCommitteeId=big,
        name="宁安路小学",
        unitKind="school",
        management="dual",
        homeOrganization="市北区教育局党委",
    )
    assert "MEMBER_UNIT_WITHOUT_REPRESENTATIVE" in [w["code"] for w in unit["warnings"]]
    unit_id = unit["memberUnit"]["id"]
    seat = admit(secretary, big, ids[1], committeeRole="deputy_secretary")["member"]["id"]
    seated = run(
        secretary,
        "setSeatMemberUnit",
        "SetSeatMemberUnitInput",
        "member { seatOnly memberUnit { name } } warnings { code }",
        memberId=seat,
        memberUnitId=unit_id,
    )
    assert seated["member"] == {"seatOnly": True, "memberUnit": {"name": "宁安路小学"}}
    assert "MEMBER_UNIT_WITHOUT_REPRESENTATIVE" not in [w["code"] for w in seated["warnings"]]
    appraisal = run(
        secretary,
        "appraiseMemberUnit",
        "AppraiseMemberUnitInput",
        "appraisal { id gradeName }",
        memberUnitId=unit_id,
        year=today.year - 1,
        score=90,
        grade="excellent",
    )["appraisal"]["id"]
    sent = run(
        secretary,
        "sendMemberUnitAppraisal",
        "SendMemberUnitAppraisalInput",
        "appraisal { sentToHomeOn }",
        appraisalId=appraisal,
    )
    assert sent["appraisal"]["sentToHomeOn"] == str(today)

    under = gid("OrgUnit", world.street)
    data = secretary(
        """
        query($under: ID!, $org: ID!, $big: ID!, $year: Int!) {
          partyOrganizationWarnings(under: $under) { organization { name } code }
          partyMembers(under: $under, includeFormer: true) { totalCount nodes { name leftOn } }
          partyMeetings(organizationId: $org) { nodes { kindName } }
          democraticLifePlans(under: $under) { totalCount }
          developmentCases(under: $under) { totalCount }
          inServiceRegistrations(under: $under) { nodes { name status { shortfalls } feedbackSlips { quarter } } }
          householdCoverage(organizationId: $org) { contacts covered assignment { householdAddress member { name } } }
          partyAppraisals(organizationId: $org, year: $year) { outcomeName member { name } }
          memberUnits(bigCommitteeId: $big) { name committeeMembers { name } appraisals { grade sentToHomeOn } }
          partyMeetingCompliance(under: $under) { organization { name } meetingType status }
          unassignedHouseholds(organizationId: $org) { totalCount }
        }
        """,
        {"under": under, "org": first, "big": big, "year": today.year},
    )
    # The secretary works at the community: the street filter narrows to what they may see.
    assert data["partyMembers"]["totalCount"] == 4
    assert data["partyMeetings"]["nodes"] == [{"kindName": "党课"}]
    assert data["householdCoverage"] == [
        {"contacts": 1, "covered": True, "assignment": {"householdAddress": "宁安路8号", "member": {"name": "党员1"}}}
    ]
    assert data["partyAppraisals"] == [{"outcomeName": "合格", "member": {"name": "党员1"}}]
    assert data["memberUnits"][0]["committeeMembers"] == [{"name": "党员1"}]
    assert {i["organization"]["name"] for i in data["partyMeetingCompliance"]} == {
        "宁安路社区党支部",
        "宁安路社区第二党支部",
        "宁安路社区大党委",
    }
    assert data["inServiceRegistrations"]["nodes"][0]["feedbackSlips"]
    assert data["unassignedHouseholds"]["totalCount"] == 0

    end = "mutation($input: EndRecordInput!) {{ {0}(input: $input) {{ userErrors {{ code }} }} }}"
    on = {"on": str(today)}
    assert (
        secretary(end.format("endHouseholdAssignment"), {"input": {"id": assignment, **on}})["endHouseholdAssignment"][
            "userErrors"
        ]
        == []
    )
    assert (
        secretary(end.format("endInServiceRegistration"), {"input": {"id": registration, **on}})[
            "endInServiceRegistration"
        ]["userErrors"]
        == []
    )
    assert (
        secretary(end.format("removeMemberUnit"), {"input": {"id": unit_id, **on}})["removeMemberUnit"]["userErrors"]
        == []
    )
    # The first branch still has members: it cannot be dissolved; the big committee (seats only) can.
    refused = secretary(end.format("dissolvePartyOrganization"), {"input": {"id": first, **on}})[
        "dissolvePartyOrganization"
    ]
    assert errors(refused) == ["HAS_MEMBERS"]
    assert (
        secretary(end.format("dissolvePartyOrganization"), {"input": {"id": big, **on}})["dissolvePartyOrganization"][
            "userErrors"
        ]
        == []
    )
    after = secretary(
        "query($org: ID!, $big: ID!) { unassignedHouseholds(organizationId: $org) { totalCount } memberUnits(bigCommitteeId: $big) { name } }",
        {"org": first, "big": big},
    )
    assert after == {"unassignedHouseholds": {"totalCount": 1}, "memberUnits": []}
