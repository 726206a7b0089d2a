"""The example operations in ``graphql/operations`` run against the demo city.

Every ``*.graphql`` file there is picked up: it must hold exactly one named
operation, named like the file, and this module must know how to fill in its
variables (``EXAMPLES``) from the demo data and what a sensible answer is.
An example may run as one of the demo accounts (``core.demo.people``: the
username is the role code, the password ``DEMO_PASSWORD``), signed in over
HTTP; its variables are then looked up as that account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.app import Deployment, build_deployment, create_app
from core.cli import builtin_plugin_names
from core.demo.people import DEMO_PASSWORD
from core.policy.service import local_today
from graphql import OperationDefinitionNode, parse, validate
from tests.conftest import GraphQLCall, graphql_caller, make_settings

OPERATIONS_DIR = Path(__file__).resolve().parent.parent / "graphql" / "operations"
OPERATION_FILES = sorted(OPERATIONS_DIR.glob("*.graphql"))

DEMO_DISTRICTS = {"市南区": "370202", "市北区": "370203", "崂山区": "370212", "李沧区": "370213", "城阳区": "370214"}


def unit_id(gql: GraphQLCall, division_code: str) -> str:
    data = gql("query($code: String!) { orgUnitByDivisionCode(divisionCode: $code) { id } }", {"code": division_code})
    assert data["orgUnitByDivisionCode"], f"no demo unit with division code {division_code}"
    return str(data["orgUnitByDivisionCode"]["id"])


def first_descendant(gql: GraphQLCall, division_code: str, level: str) -> str:
    data = gql(
        "query($id: ID!, $level: String!) { node(id: $id) { ... on OrgUnit { descendants(level: $level, first: 1) { nodes { id } } } } }",
        {"id": unit_id(gql, division_code), "level": level},
    )
    nodes = data["node"]["descendants"]["nodes"]
    assert nodes, f"no {level} under {division_code} in the demo data"
    return str(nodes[0]["id"])


# --- what each operation gets and should answer -------------------------------


def check_org_levels(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    levels = data["orgLevels"]
    assert [level["code"] for level in levels][:5] == ["city", "district", "street", "community", "grid"]
    assert [level["rank"] for level in levels] == list(range(len(levels)))
    assert all(level["name"] for level in levels)


def check_districts_of_city(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    connection = data["orgUnits"]
    assert connection["totalCount"] == len(DEMO_DISTRICTS)
    assert {n["name"]: n["divisionCode"] for n in connection["nodes"]} == DEMO_DISTRICTS
    for district in connection["nodes"]:
        counts = {c["level"]: c["count"] for c in district["subtreeCounts"]}
        assert counts.get("street", 0) > 0 and counts.get("community", 0) > 0 and counts.get("grid", 0) > 0, district
        assert "district" not in counts and "city" not in counts
    shinan = next(n for n in connection["nodes"] if n["divisionCode"] == "370202")
    assert {c["level"]: c["count"] for c in shinan["subtreeCounts"]}["street"] == 10


def check_unit_children(data: dict[str, Any], variables: dict[str, Any]) -> None:
    unit = data["node"]
    assert unit["name"] == "市南区"
    children = unit["children"]
    assert children["totalCount"] == 10
    assert len(children["edges"]) == variables["first"]
    assert children["edges"][0]["node"]["name"] == "八大峡街道"
    assert {edge["node"]["level"] for edge in children["edges"]} == {"street"}
    assert all(edge["cursor"] for edge in children["edges"])
    info = children["pageInfo"]
    assert (info["hasNextPage"], info["hasPreviousPage"]) == (True, False)
    assert info["startCursor"] == children["edges"][0]["cursor"]
    assert info["endCursor"] == children["edges"][-1]["cursor"]


def check_unit_ancestors(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    unit = data["node"]
    assert unit["level"] == "grid"
    ancestors = unit["ancestors"]
    assert [a["level"] for a in ancestors] == ["city", "district", "street", "community"]
    assert [a["name"] for a in ancestors[:2]] == ["青岛市", "市南区"]
    assert all(a["levelName"] for a in ancestors)


def check_subtree_search(data: dict[str, Any], variables: dict[str, Any]) -> None:
    unit = data["node"]
    assert unit["name"] == "崂山区"
    connection = unit["descendants"]
    assert connection["totalCount"] > variables["first"]
    assert len(connection["nodes"]) == variables["first"]
    assert connection["pageInfo"]["hasNextPage"] is True and connection["pageInfo"]["endCursor"]
    for node in connection["nodes"]:
        assert node["level"] == "community" and node["depth"] == 3
        assert node["parent"]["name"].endswith("街道")
        assert node["name"].endswith(("社区", "村"))


def check_node_by_id(data: dict[str, Any], variables: dict[str, Any]) -> None:
    node = data["node"]
    assert node["__typename"] == "OrgUnit"
    assert node["id"] == variables["id"]
    assert (node["name"], node["level"], node["divisionCode"], node["depth"]) == ("市南区", "district", "370202", 1)
    assert node["parent"]["name"] == "青岛市"
    assert node["moves"] == []


def granted_unit(gql: GraphQLCall) -> str:
    """The unit where the signed-in demo account holds its role."""
    grants = gql("{ me { grants { orgUnit { id } } } }")["me"]["grants"]
    assert len(grants) == 1, grants
    return str(grants[0]["orgUnit"]["id"])


MASKED_ID_NUMBER = re.compile(r"^\d{6}\*{8}[\dX]{4}$")


def check_residents_of_street(data: dict[str, Any], variables: dict[str, Any]) -> None:
    connection = data["residents"]
    assert connection["totalCount"] > variables.get("first", 20)
    assert len(connection["nodes"]) == 20 and connection["pageInfo"]["hasNextPage"] is True
    for resident in connection["nodes"]:
        assert MASKED_ID_NUMBER.match(resident["idNumber"]), resident
        if resident["populationType"] == "REGISTERED":
            assert resident["idNumber"].startswith("370202")  # 市南区
        assert resident["phone"] is None or "****" in resident["phone"]
        assert resident["age"] >= 0 and resident["gender"] in ("MALE", "FEMALE")
        assert resident["orgUnit"]["levelName"] and resident["household"] and resident["membership"]["relationshipName"]


def check_households_of_grid(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    households = data["households"]["nodes"]
    assert households and data["households"]["totalCount"] == len(households)
    for household in households:
        members = household["members"]
        assert [m["isHead"] for m in members].count(True) == 1
        head = next(m for m in members if m["isHead"])
        assert (head["relationshipName"], head["resident"]["name"]) == ("户主", household["head"]["name"])
        assert household["place"]["placeKind"] in ("ROOM", "RENTAL_HOUSING")
        assert all(m["resident"]["phone"] is None or "****" in m["resident"]["phone"] for m in members)


def check_rental_housing_of_district(data: dict[str, Any], variables: dict[str, Any]) -> None:
    places = data["places"]
    assert places["totalCount"] > variables.get("first", 10)
    for place in places["nodes"]:
        assert place["isRental"] is True and place["address"].startswith("青岛市市南区")
        assert place["owner"] is None or place["owner"]["populationType"] == "REGISTERED"
        for household in place["households"]:
            assert household["populationType"] == "FLOATING"
            for member in household["members"]:
                resident = member["resident"]
                # Floating residents' ID numbers carry their home county's code.
                assert resident["populationType"] == "FLOATING" and not resident["idNumber"].startswith("370202")
                assert resident["movedInOn"]
    assert any(place["households"] for place in places["nodes"])


def check_sign_in(data: dict[str, Any], variables: dict[str, Any]) -> None:
    payload = data["login"]
    assert payload["userErrors"] == [] and len(payload["token"]) >= 32
    assert payload["user"]["username"] == variables["username"]


def check_my_residents(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    assert [g["role"]["code"] for g in data["me"]["grants"]] == ["grid_worker"]
    residents = data["residents"]
    # Asked for the whole city (over 4,000 residents), the grid worker gets one grid's.
    assert 0 < residents["totalCount"] < 200
    for edge in residents["edges"]:
        assert MASKED_ID_NUMBER.match(edge["node"]["idNumber"])


def first_resident(gql: GraphQLCall) -> dict[str, Any]:
    city = unit_id(gql, "370200")
    data = gql("query($c: ID!) { residents(under: $c, first: 1) { nodes { id } } }", {"c": city})
    return {"resident": data["residents"]["nodes"][0]["id"]}


def check_reveal(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    payload = data["revealSensitiveField"]
    assert payload["userErrors"] == []
    assert payload["label"] and re.fullmatch(r"\d{17}[\dX]", payload["value"]), payload


def own_board(gql: GraphQLCall) -> dict[str, Any]:
    data = gql("{ me { grants { orgUnit { id } } } }")
    return {"orgUnitId": data["me"]["grants"][0]["orgUnit"]["id"], "first": 10}


def check_public_board(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    notices = data["publicBoard"]["nodes"]
    assert notices, "the demo community's board shows its published notices"
    assert all(n["publishedAt"] and n["categoryName"] and n["publisherLabel"] for n in notices), notices


def last_month() -> str:
    first_of_month = local_today().replace(day=1)
    return (first_of_month - timedelta(days=1)).strftime("%Y-%m")


def check_street_dispute_desk(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    cases = data["disputeCases"]
    assert cases["totalCount"] >= len(cases["nodes"]) > 0
    assert data["emergencies"], "the demo street has an emergency case"
    for case in cases["nodes"]:
        assert case["caseNumber"].startswith("调〔") and case["statusName"]
        assert case["caseStatus"] in ("REGISTERED", "ESCALATED", "HANDED_DOWN", "ACCEPTED", "MEDIATING"), case
        for party in case["parties"]:
            assert party["idNumber"] is None or "*" in party["idNumber"], party
            assert party["phone"] is None or "*" in party["phone"], party


def check_street_reporting_completeness(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    counts = data["reportingCompleteness"]
    # Asked for the communities only: the counts are theirs, the street's own are apart.
    assert (counts["expected"], counts["missing"]) == (
        counts["subordinates"]["expected"],
        counts["subordinates"]["missing"],
    )
    assert counts["expected"] >= counts["submitted"] >= counts["onTime"]
    assert counts["lateZeroReports"] <= min(counts["late"], counts["zeroReports"])
    assert all(p["isLate"] for p in counts["problems"]), counts["problems"]
    assert all(p["orgUnit"]["name"] for p in counts["problems"])


def own_archive(gql: GraphQLCall) -> dict[str, Any]:
    return {"orgUnitId": granted_unit(gql)}


def check_community_archive(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    files = data["documents"]
    assert {f["documentClass"] for f in files} >= {"archive.plans_summaries", "archive.public_security"}, files
    assert all(len(f["sha256"]) == 64 and f["downloadPath"].startswith("/documents/") for f in files), files
    # 综治 materials are kept two years; the other files for good (policy).
    assert all((f["retainUntil"] is None) == (f["documentClass"] != "archive.public_security") for f in files), files


def check_archive_books_and_handovers(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    books = {b["code"]: b for b in data["archiveBooks"]}
    assert {"meeting_minutes", "residents_register", "seal_use_register"} <= set(books), books
    assert books["residents_register"]["entryCount"] > 0
    assert all(b["downloadPath"].startswith(f"/documents/books/{code}.xlsx?") for code, b in books.items())
    handover = data["archiveHandovers"][0]
    assert handover["handoverStatus"] == "PENDING" and handover["fromConfirmedAt"] and handover["toConfirmedAt"] is None
    assert {i["itemKind"] for i in handover["items"]} == {"ARCHIVE_FILE", "BOOK", "OTHER"}


def check_visit_responsibilities(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    found = data["visitResponsibilities"]
    assert [r["postCode"] for r in found] == ["grid_worker"], found
    assert found[0]["postName"] == "网格员" and len(found[0]["responsibleNames"]) == 1


def own_unit_last_month(gql: GraphQLCall) -> dict[str, Any]:
    return {"unit": granted_unit(gql), "month": last_month()}


def check_mediation_monthly_summary(data: dict[str, Any], variables: dict[str, Any]) -> None:
    summary = data["mediationMonthlySummary"]
    assert summary["month"] == variables["month"] and summary["rows"]
    assert all(isinstance(row["value"], int) and row["value"] >= 0 for row in summary["rows"])
    statuses = data["mediationReportingStatus"]
    assert statuses and all(
        row["screeningsRequired"] >= 1 and row["monthlySummary"]["obligationStatus"] for row in statuses
    )


def check_party_organizations(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    organizations = data["partyOrganizations"]["nodes"]
    assert organizations
    assert any(o["warnings"] for o in organizations), "the demo shows mismatches as warnings"
    for organization in organizations:
        assert all(member["politicalStatus"] in (None, "****") for member in organization["committee"])


def first_party_branch(gql: GraphQLCall) -> dict[str, Any]:
    nodes = gql("{ partyOrganizations(first: 10) { nodes { id orgType } } }")["partyOrganizations"]["nodes"]
    return {"org": next(n["id"] for n in nodes if n["orgType"] == "branch")}


def check_party_meeting_compliance(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    rows = data["partyMeetingCompliance"]
    assert rows and {row["complianceStatus"] for row in rows} <= {"DONE", "DUE", "OVERDUE"}, rows
    assert any(row["held"] for row in rows)


def check_community_books(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    accounts = data["financeAccounts"]
    assert accounts and all(re.fullmatch(r"-?\d+\.\d{2}", a["balance"]) for a in accounts), accounts
    rows = data["financeTrialBalance"]
    assert rows
    for row in rows:
        # Opening + income - expense = closing, exactly (decimal strings, never floats).
        opening, income, expense, closing = (
            Decimal(row[k]) for k in ("openingBalance", "income", "expense", "closingBalance")
        )
        assert opening + income - expense == closing, row
    assert data["financeFundingStandard"]["households"] > 0


def check_pending_expenses(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    requests = [edge["node"] for edge in data["financeExpenseRequests"]["edges"]]
    assert requests, "the demo leaves requests pending"
    assert all(r["steps"] and r["tierName"] for r in requests)
    assert all(
        r["requestStatus"] == "PENDING" and r["approvalTier"] in ("CHAIR", "STREET", "ASSEMBLY") for r in requests
    )


def check_elderly_visit_desk(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    visits = data["myVisitList"]
    assert visits["totalCount"] >= len(visits["nodes"]) > 0
    dues = [node["dueOn"] for node in visits["nodes"]]
    assert dues == sorted(dues), "most overdue first"
    assert visits["nodes"][0]["daysOverdue"] > 0, "the demo has an overdue visit"
    assert all(node["categoryName"] and node["intervalDays"] > 0 for node in visits["nodes"])
    cards = data["seniorCardWorklist"]
    assert cards["totalCount"] >= len(cards["nodes"]) > 0
    assert all(node["residentName"] and node["eligibleOn"] <= node["dueBy"] for node in cards["nodes"])


def check_street_admission(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    statuses = sorted(r["requirementStatus"] for r in data["admissionRequirements"])
    assert statuses.count("APPROVED") >= 5 and "DRAFT" in statuses, statuses
    approved = [r for r in data["admissionRequirements"] if r["requirementStatus"] == "APPROVED"]
    assert all(r["approvingUnit"]["name"] == "市南区" for r in approved)
    burden = data["admissionBurden"]
    assert burden and all(b["unadmitted"] == 0 for b in burden), burden
    assert any(b["forms"] > 0 and b["byIssuer"] for b in burden)
    assert [r["subjectCode"] for r in data["admissionRefusals"]] == ["task.fire_survey"]


def check_street_report_forms(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    share = data["reportFormShare"]
    assert len(share["forms"]) == 4
    assert share["share"] >= 0.9, share
    for item in share["forms"]:
        assert item["form"]["requirement"] is not None


def check_community_assessment(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    results = data["assessmentResults"]
    assert results and all(r["gradeName"] for r in results)
    assert all(any(s["evidence"] for s in r["scores"]) for r in results)
    [application] = data["titleApplications"]
    assert application["upcomingStep"] == "DEMOCRATIC_EVALUATION"
    assert [s["titleStep"] for s in application["steps"]] == ["SELF_ASSESSMENT", "STREET_REVIEW"]


def check_family_planning_desk(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    women = data["childbearingWomen"]
    assert women["totalCount"] >= len(women["nodes"]) > 0
    assert any(node["profile"] and node["profile"]["maritalStatusLabel"] for node in women["nodes"])
    assert any(f["reasonLabel"] == "新增怀孕：孕期服务" for f in data["familyPlanningFollowUps"]["nodes"])
    assert any(
        c["statusLabel"] == "已办结发证" and c["certificateNumber"] for c in data["familyPlanningCertificates"]["nodes"]
    )
    assert data["familyPlanningStatistics"][0]["women"] == women["totalCount"]


def check_family_planning_self_governance(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    texts = data["familyPlanningTexts"]
    assert {t["kindLabel"] for t in texts} == {"计划生育村（居）民自治章程", "计划生育协议书范本"}
    assert all("居民代表会议" in t["assemblyResolutionRef"] and t["assemblyResolutionId"] for t in texts)
    board = data["supervisoryBoard"]
    assert len(board["members"]) == 2 and board["reviews"][0]["findings"]
    assert data["familyPlanningAssociation"]["members"] and data["familyPlanningAssociation"]["activities"]
    assert "计划生育居民自治工作报告" in data["familyPlanningYearReport"]["text"]


@dataclass(frozen=True)
class Example:
    variables: Callable[[GraphQLCall], dict[str, Any]]
    check: Callable[[dict[str, Any], dict[str, Any]], None]
    # The demo account the operation runs as; None: not signed in.
    signed_in_as: str | None = None


def check_import_desk(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    kinds = {k["kind"]: k for k in data["importKinds"]}
    assert set(kinds) == {"ORG_UNITS", "RESIDENTS", "HOUSEHOLDS", "PLACES"}
    assert kinds["RESIDENTS"]["templatePath"] == "/imports/templates/residents.xlsx"
    assert {"header": "公民身份号码", "required": True} in [
        {k: c[k] for k in ("header", "required")} for c in kinds["RESIDENTS"]["columns"]
    ]
    # The demo community's register of places, imported when the demo was built.
    jobs = data["importJobs"]
    assert [(j["kind"], j["status"], j["total"], j["processed"], j["created"]) for j in jobs] == [
        ("PLACES", "SUCCEEDED", 2, 2, 2)
    ]


def check_self_governance_desk(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    initiatives = data["residentInitiatives"]["nodes"]
    assert {n["meetingObligation"] for n in initiatives} == {None, "OPEN", "MISSING", "SUBMITTED"}
    collecting = next(n for n in initiatives if n["meetingObligation"] is None)
    assert 0 < collecting["signatureCount"] < collecting["signaturesNeeded"] <= collecting["baseCount"]
    hearings = {n["matter"]: n for n in data["hearings"]["nodes"]}
    assert len(hearings) == 2
    done = next(n for n in hearings.values() if n["upcomingStep"] is None)
    assert done["passed"] is True and done["resultNoticeId"] and done["sentOn"]
    assert any(p["mayVote"] is False for p in done["participants"])
    assert any(n["upcomingStep"] == "DISCUSSION" for n in hearings.values())
    texts = {n["kindName"]: n for n in data["selfGovernanceTexts"]["nodes"]}
    assert texts["居民公约"]["currentVersion"]["adoptionResolutionId"]
    assert texts["社区居民自治章程"]["currentVersion"] is None
    statuses = {n["statusName"] for n in data["buildingHeadNominations"]["nodes"]}
    assert statuses == {"公示中", "已任命"}


def check_committee_elections(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    elections = {n["kindName"]: n for n in data["committeeElections"]["nodes"]}
    general = elections["换届选举"]
    assert general["statusName"] == "选举结束" and general["ballotsReturned"] <= general["registeredVoters"]
    elected = [c for c in general["candidates"] if c["statusName"] == "当选"]
    assert len(elected) == general["seats"] and all(c["postAssignmentId"] for c in elected)
    assert any(not m["serving"] and m["leftReason"] for m in general["committee"])
    assert elections["补选"]["statusName"] == "筹备中"
    ratings = data["democraticAppraisals"]["nodes"][0]["ratings"]
    assert len(ratings) == general["seats"] and {r["gradeName"] for r in ratings} == {"称职", "不称职"}


def check_community_meetings(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    meetings = [e["node"] for e in data["meetings"]["edges"]]
    assemblies = [m for m in meetings if m["kindName"].startswith("社区成员代表大会")]
    quorate = [m for m in assemblies if m["quorate"]]
    short = [m for m in assemblies if not m["quorate"]]
    assert quorate and short, "the demo holds a quorate assembly and one below quorum"
    assert all(m["resolutions"] == [] for m in short)
    assert any(r["adopted"] for m in quorate for r in m["resolutions"])
    assert all(m["presentCount"] * 2 > m["expectedCount"] for m in quorate)


def check_meeting_kinds(data: dict[str, Any], _variables: dict[str, Any]) -> None:
    kinds = {k["code"]: k for k in data["meetingKinds"]}
    assembly = kinds["representatives_assembly"]
    assert (assembly["attendeeSource"], assembly["publishesResults"], assembly["minutesRequired"]) == (
        "POSTS",
        True,
        True,
    )
    assert kinds["party_building.committee_meeting"]["attendeeSource"] == "PLUGIN"


EXAMPLES: dict[str, Example] = {
    "OrgLevels": Example(lambda gql: {}, check_org_levels),
    "DistrictsOfCity": Example(lambda gql: {"cityId": unit_id(gql, "370200")}, check_districts_of_city),
    "UnitChildren": Example(lambda gql: {"id": unit_id(gql, "370202"), "first": 4}, check_unit_children),
    "UnitAncestors": Example(lambda gql: {"id": first_descendant(gql, "370202", "grid")}, check_unit_ancestors),
    "SubtreeSearch": Example(
        lambda gql: {"id": unit_id(gql, "370212"), "level": "community", "first": 5}, check_subtree_search
    ),
    "NodeById": Example(lambda gql: {"id": unit_id(gql, "370202")}, check_node_by_id),
    "ResidentsOfStreet": Example(
        lambda gql: {"streetId": granted_unit(gql)}, check_residents_of_street, signed_in_as="street_staff"
    ),
    "HouseholdsOfGrid": Example(
        lambda gql: {"gridId": granted_unit(gql)}, check_households_of_grid, signed_in_as="grid_worker"
    ),
    "SignIn": Example(lambda gql: {"username": "grid_worker", "password": DEMO_PASSWORD}, check_sign_in),
    "MyResidents": Example(
        lambda gql: {"city": unit_id(gql, "370200")}, check_my_residents, signed_in_as="grid_worker"
    ),
    "RevealIdNumber": Example(first_resident, check_reveal, signed_in_as="street_staff"),
    # The board is public; the account only tells which community is the demo one.
    "PublicBoard": Example(own_board, check_public_board, signed_in_as="community_worker"),
    "RentalHousingOfDistrict": Example(
        lambda gql: {"districtId": granted_unit(gql)},
        check_rental_housing_of_district,
        signed_in_as="district_supervisor",
    ),
    "ElderlyVisitDesk": Example(
        lambda gql: {"unit": granted_unit(gql)}, check_elderly_visit_desk, signed_in_as="community_worker"
    ),
    "StreetDisputeDesk": Example(lambda gql: {}, check_street_dispute_desk, signed_in_as="street_leader"),
    "StreetAdmission": Example(
        lambda gql: {"street": granted_unit(gql)}, check_street_admission, signed_in_as="street_staff"
    ),
    "StreetReportForms": Example(
        lambda gql: {"street": granted_unit(gql)}, check_street_report_forms, signed_in_as="street_staff"
    ),
    "CommunityAssessment": Example(
        lambda gql: {"community": granted_unit(gql)}, check_community_assessment, signed_in_as="committee_chair"
    ),
    "SelfGovernanceDesk": Example(
        lambda gql: {"unit": granted_unit(gql)}, check_self_governance_desk, signed_in_as="community_worker"
    ),
    "CommitteeElections": Example(
        lambda gql: {"street": granted_unit(gql)}, check_committee_elections, signed_in_as="street_staff"
    ),
    "FamilyPlanningDesk": Example(
        lambda gql: {"unit": granted_unit(gql)}, check_family_planning_desk, signed_in_as="family_planning_worker"
    ),
    "FamilyPlanningSelfGovernance": Example(
        lambda gql: {"unit": granted_unit(gql), "year": local_today().year},
        check_family_planning_self_governance,
        signed_in_as="committee_chair",
    ),
    "StreetReportingCompleteness": Example(
        lambda gql: {"street": granted_unit(gql)}, check_street_reporting_completeness, signed_in_as="street_staff"
    ),
    "MediationMonthlySummary": Example(
        own_unit_last_month, check_mediation_monthly_summary, signed_in_as="community_worker"
    ),
    "PartyOrganizations": Example(lambda gql: {}, check_party_organizations, signed_in_as="party_secretary"),
    "ImportDesk": Example(lambda gql: {"unit": granted_unit(gql)}, check_import_desk, signed_in_as="community_worker"),
    "CommunityBooks": Example(
        lambda gql: {"unit": granted_unit(gql), "from": f"{local_today().year}-01-01"},
        check_community_books,
        signed_in_as="committee_chair",
    ),
    "PendingExpenses": Example(lambda gql: {}, check_pending_expenses, signed_in_as="street_leader"),
    "CommunityArchive": Example(own_archive, check_community_archive, signed_in_as="community_worker"),
    "ArchiveBooksAndHandovers": Example(own_archive, check_archive_books_and_handovers, signed_in_as="committee_chair"),
    "VisitResponsibilities": Example(
        lambda gql: {"under": granted_unit(gql)}, check_visit_responsibilities, signed_in_as="committee_chair"
    ),
    "PartyMeetingCompliance": Example(
        first_party_branch, check_party_meeting_compliance, signed_in_as="party_secretary"
    ),
    "CommunityMeetings": Example(
        lambda gql: {"unit": granted_unit(gql)}, check_community_meetings, signed_in_as="committee_chair"
    ),
    "MeetingKinds": Example(lambda gql: {}, check_meeting_kinds, signed_in_as="community_worker"),
}


LOGIN = (
    "mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { code } } }"
)


@pytest.fixture
def demo_client(demo_deployment: Deployment) -> Iterator[TestClient]:
    with TestClient(create_app(deployment=demo_deployment)) as client:
        yield client


def caller_for(client: TestClient, example: Example) -> GraphQLCall:
    """Not signed in, or signed in over HTTP as the example's demo account."""
    anonymous = graphql_caller(client)
    if example.signed_in_as is None:
        return anonymous
    payload = anonymous(LOGIN, {"u": example.signed_in_as, "p": DEMO_PASSWORD})["login"]
    assert payload["token"], payload["userErrors"]
    return graphql_caller(client, payload["token"])


# --- tests --------------------------------------------------------------------


def operation_name(path: Path) -> str:
    """The one named operation of ``path``; fails if the file holds any other shape."""
    document = parse(path.read_text(encoding="utf-8"))
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1, f"{path.name}: put exactly one operation in each file"
    assert operations[0].name is not None, f"{path.name}: the operation needs a name"
    name = operations[0].name.value
    assert name == path.stem, f"{path.name}: name the file after its operation ({name}.graphql)"
    return name


def test_operations_directory_is_not_empty() -> None:
    assert OPERATION_FILES, f"no example operations in {OPERATIONS_DIR}"


def test_every_example_has_its_file() -> None:
    names = {path.stem for path in OPERATION_FILES}
    assert set(EXAMPLES) <= names, f"EXAMPLES lists operations without a file: {sorted(set(EXAMPLES) - names)}"


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.name)
def test_operation_validates_and_has_variables(path: Path) -> None:
    """Checked without a database, so a renamed field fails here first."""
    name = operation_name(path)
    assert name in EXAMPLES, (
        f"{path.name}: no variables provider for operation {name}; add an Example to EXAMPLES in {Path(__file__).name}"
    )
    schema = build_deployment(make_settings("sqlite://", plugins=builtin_plugin_names())).schema.graphql_schema
    errors = validate(schema, parse(path.read_text(encoding="utf-8")))
    assert not errors, [error.message for error in errors]


@pytest.mark.parametrize("path", OPERATION_FILES, ids=lambda p: p.name)
def test_operation_runs_on_demo_data(path: Path, demo_client: TestClient) -> None:
    name = operation_name(path)
    example = EXAMPLES.get(name)
    if example is None:
        pytest.fail(f"{path.name}: no variables provider for operation {name}; add an Example to EXAMPLES")
    gql = caller_for(demo_client, example)
    variables = example.variables(gql)
    data = gql(path.read_text(encoding="utf-8"), variables)
    assert data and all(value is not None for value in data.values()), data
    example.check(data, variables)
