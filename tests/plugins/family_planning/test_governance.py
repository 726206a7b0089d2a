"""Self-governance by contract: versioned charter and agreement template
adopted by the assembly, two-sided agreements with breaches by either side,
the supervisory board, the association, the yearly report; statistics in
GraphQL and .xlsx and the quarterly report, counts only."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from core.policy.service import local_today
from core.reporting.calendar import period_of
from core.reporting.models import ObligationInstance
from core.reporting.service import materialize
from plugins.family_planning.models import Report
from tests.plugins.family_planning.conftest import (
    PURPOSE,
    Env,
    codes,
    gid,
    ok,
    record_profile,
    set_policy,
)

ADOPT = """mutation($input: AdoptTextInput!) { adoptFamilyPlanningText(input: $input) {
  text { id kind version adoptedOn assemblyResolutionRef assemblyResolutionId } userErrors { field code message } } }"""
SIGN = """mutation($input: SignAgreementInput!) { signFamilyPlanningAgreement(input: $input) {
  agreement { id templateVersion committeeDuties signatoryName } userErrors { field code message } } }"""
BREACH = """mutation($input: RecordBreachInput!) { recordFamilyPlanningBreach(input: $input) {
  agreement { breaches { party partyLabel outcome } } userErrors { field code message } } }"""
AGREEMENTS = "query($u: ID!, $p: String!) { familyPlanningAgreements(under: $u, purpose: $p) { nodes { signatoryName breaches { party } } } }"
TODAY = local_today()


def _sheet(content: bytes) -> Worksheet:
    """The active sheet of a downloaded workbook."""
    sheet = load_workbook(BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def adopt(env: Env, kind: str, adopted_on: date, resolution: str | None = None) -> dict[str, Any]:
    chair = env.call("committee_chair")
    values = {
        "orgUnitId": env.unit(),
        "kind": kind,
        "title": "协议书",
        "body": "双方权利义务……",
        "assemblyResolutionId": resolution or env.resolution(adopted_on),
    }
    return chair(ADOPT, {"input": values})["adoptFamilyPlanningText"]


def sign(env: Env, template: str, **extra: Any) -> dict[str, Any]:
    values = {
        "householdId": gid("Household", env.tree.households["couple"]),
        "residentId": env.rid("wife30"),
        "templateId": template,
        "signedOn": str(TODAY - timedelta(days=5)),
        "householdDuties": "按时参加健康检查。",
        "householdRights": "获得上门服务。",
        "committeeDuties": "每季度上门随访。",
        "committeeLiability": "未按期随访的，责令整改并公开说明。",
        **extra,
    }
    return env.worker()(SIGN, {"input": values})["signFamilyPlanningAgreement"]


def test_texts_are_versioned_and_name_the_assembly_resolution(env: Env) -> None:
    first = ok(adopt(env, "agreement_template", TODAY - timedelta(days=100)))["text"]
    second = ok(adopt(env, "agreement_template", TODAY - timedelta(days=10)))["text"]
    assert (first["version"], second["version"]) == (1, 2)
    assert second["adoptedOn"] == str(TODAY - timedelta(days=10))  # the assembly's day
    assert (
        "居民代表会议" in second["assemblyResolutionRef"]
        and "通过计划生育协议书范本" in second["assemblyResolutionRef"]
    )
    assert codes(adopt(env, "rules_of_fines", TODAY)) == ["UNKNOWN_CHOICE"]
    # A resolution that does not exist, or of another street's assembly, is not found.
    assert codes(adopt(env, "charter", TODAY, gid("MeetingResolution", 999999))) == ["NOT_FOUND"]
    texts = env.call("party_secretary")(
        "query($u: ID!) { familyPlanningTexts(orgUnitId: $u) { version assemblyResolutionRef } }", {"u": env.unit()}
    )
    assert [t["version"] for t in texts["familyPlanningTexts"]] == [2, 1]


def test_an_agreement_binds_both_sides_on_the_template_in_force(env: Env) -> None:
    old = ok(adopt(env, "agreement_template", TODAY - timedelta(days=100)))["text"]["id"]
    current = ok(adopt(env, "agreement_template", TODAY - timedelta(days=10)))["text"]["id"]
    assert codes(sign(env, old)) == ["TEMPLATE_NOT_IN_FORCE"]
    # "既要约民，又要约官": the committee's service duties and liability are required.
    assert set(codes(sign(env, current, committeeDuties="", committeeLiability=" "))) == {"REQUIRED"}
    assert codes(sign(env, current, residentId=env.rid("girl14"))) == ["NOT_A_MEMBER"]
    agreement = ok(sign(env, current))["agreement"]
    assert agreement["templateVersion"] == 2 and agreement["signatoryName"] == "居民wife30"
    worker = env.worker()
    for party in ("committee", "household"):
        recorded = worker(
            BREACH,
            {
                "input": {
                    "agreementId": agreement["id"],
                    "party": party,
                    "occurredOn": str(TODAY - timedelta(days=1)),
                    "description": "未按约履行。",
                    "outcome": "补做随访并向户方说明。" if party == "committee" else "经劝说后补做检查。",
                }
            },
        )["recordFamilyPlanningBreach"]
        ok(recorded)
    assert [b["party"] for b in recorded["agreement"]["breaches"]] == ["committee", "household"]
    early = worker(
        BREACH,
        {
            "input": {
                "agreementId": agreement["id"],
                "party": "committee",
                "occurredOn": str(TODAY - timedelta(days=30)),
                "description": "x",
                "outcome": "y",
            }
        },
    )["recordFamilyPlanningBreach"]
    assert codes(early) == ["BEFORE_AGREEMENT"]
    # Agreements are audited records: listed with a purpose, never to the grid worker.
    assert (
        worker(AGREEMENTS, {"u": env.unit(), "p": PURPOSE})["familyPlanningAgreements"]["nodes"][0]["signatoryName"]
        == "居民wife30"
    )
    grid = env.call("grid_worker", env.tree.grid)
    assert (
        grid(AGREEMENTS, {"u": env.unit(), "p": PURPOSE}, expect_errors=True)["errors"][0]["extensions"]["code"]
        == "FORBIDDEN"
    )


MEMBER = "mutation($input: AddAssociationMemberInput!) { addFamilyPlanningAssociationMember(input: $input) { ok userErrors { code } } }"
BOARD_MEMBER = (
    "mutation($input: AddBoardMemberInput!) { addSupervisoryBoardMember(input: $input) { ok userErrors { code } } }"
)
REVIEW = """mutation($input: RecordReviewInput!) { recordSupervisoryReview(input: $input) {
  review { id disclosureTimely findings { id description resolvedOn } } userErrors { field code } } }"""
RESOLVE = """mutation($input: ResolveFindingInput!) { resolveSupervisoryFinding(input: $input) {
  review { findings { followUp resolvedOn } } userErrors { code } } }"""
BOARD = "query($u: ID!) { supervisoryBoard(orgUnitId: $u) { members { name seat } reviews { summary } } }"


def review_input(env: Env, **extra: Any) -> dict[str, Any]:
    return {
        "orgUnitId": env.unit(),
        "reviewedOn": str(TODAY),
        "disclosureComplete": True,
        "disclosureTrue": True,
        "disclosureTimely": False,
        "problemsSolvedInTime": True,
        "cadresKeepRules": True,
        "summary": "公开不够及时。",
        **extra,
    }


def test_supervisory_board_and_association(env: Env) -> None:
    chair = env.call("committee_chair")
    supervisor = env.call("supervisor")
    assert codes(
        supervisor(REVIEW, {"input": review_input(env, disclosureTimely=True)})["recordSupervisoryReview"]
    ) == ["NO_BOARD"]
    seat = {
        "orgUnitId": env.unit(),
        "residentId": env.rid("husband32"),
        "seat": "association_member",
        "joinedOn": str(TODAY),
    }
    assert codes(chair(BOARD_MEMBER, {"input": seat})["addSupervisoryBoardMember"]) == ["NOT_ASSOCIATION_MEMBER"]
    assert chair(MEMBER, {"input": {"orgUnitId": env.unit(), "residentId": env.rid("husband32"), "role": "president"}})[
        "addFamilyPlanningAssociationMember"
    ]["ok"]
    assert chair(BOARD_MEMBER, {"input": seat})["addSupervisoryBoardMember"]["ok"]
    far = {**seat, "residentId": env.rid("far30"), "seat": "resident_representative"}
    assert codes(chair(BOARD_MEMBER, {"input": far})["addSupervisoryBoardMember"]) == ["NOT_FOUND"]
    assert codes(supervisor(REVIEW, {"input": review_input(env)})["recordSupervisoryReview"]) == ["FINDINGS_REQUIRED"]
    review = ok(
        supervisor(REVIEW, {"input": review_input(env, findings=[{"description": "奖励兑现未及时公开。"}])})[
            "recordSupervisoryReview"
        ]
    )
    finding = review["review"]["findings"][0]["id"]
    resolved = ok(
        chair(RESOLVE, {"input": {"findingId": finding, "followUp": "已补充公开。", "resolvedOn": str(TODAY)}})[
            "resolveSupervisoryFinding"
        ]
    )
    assert resolved["review"]["findings"][0]["resolvedOn"] == str(TODAY)
    again = chair(RESOLVE, {"input": {"findingId": finding, "followUp": "x", "resolvedOn": str(TODAY)}})[
        "resolveSupervisoryFinding"
    ]
    assert codes(again) == ["ALREADY_RESOLVED"]
    # Published where the rules say: a board notice draft, once per review, none where policy says no.
    draft = "mutation($r: ID!) { draftSupervisoryReviewNotice(input: {reviewId: $r}) { notice { body } userErrors { code } } }"
    notice = ok(chair(draft, {"r": review["review"]["id"]})["draftSupervisoryReviewNotice"])["notice"]
    assert "公开是否及时：否" in notice["body"] and "已补充公开" in notice["body"]
    assert codes(chair(draft, {"r": review["review"]["id"]})["draftSupervisoryReviewNotice"]) == ["ALREADY_DRAFTED"]
    set_policy(env.deployment, env.tree.community, "family_planning.supervisory.publish_reviews", False)
    second = ok(supervisor(REVIEW, {"input": review_input(env, disclosureTimely=True)})["recordSupervisoryReview"])[
        "review"
    ]["id"]
    assert codes(chair(draft, {"r": second})["draftSupervisoryReviewNotice"]) == ["NOT_PUBLISHED_HERE"]
    board = env.call("street_leader", env.tree.street)(BOARD, {"u": env.unit()})["supervisoryBoard"]
    assert board["members"] == [{"name": "居民husband32", "seat": "association_member"}]
    assert codes(
        env.call("grid_worker", env.tree.grid)(REVIEW, {"input": review_input(env)})["recordSupervisoryReview"]
    ) in (["NOT_FOUND"], ["FORBIDDEN"])


STATS = """query($u: ID!) { familyPlanningStatistics(under: $u) { orgUnit { name } women marriedWomen births
  certificatesIssued { key count } benefits { key count amount } } }"""
XLSX = "/family_planning/export/statistics.xlsx"


def test_statistics_and_the_spreadsheet_have_the_same_counts(env: Env) -> None:
    ok(record_profile(env.worker(), env.rid("wife30")))
    leader = env.call("street_leader", env.tree.street)
    rows = leader(STATS, {"u": gid("OrgUnit", env.tree.street)})["familyPlanningStatistics"]
    assert [r["orgUnit"]["name"] for r in rows] == ["宁夏路街道", "宁安路社区"]
    assert rows[0]["women"] == 1 and rows[0]["marriedWomen"] == 1
    response = env.client.get(
        XLSX, params={"unit": gid("OrgUnit", env.tree.street)}, headers={"Authorization": f"Bearer {leader.token}"}
    )
    assert response.status_code == 200, response.text
    sheet = _sheet(response.content)
    header = [c.value for c in sheet[3]]
    first = [c.value for c in sheet[4]]
    assert first[0] == "宁夏路街道" and first[header.index("育龄妇女")] == 1 and first[header.index("已婚")] == 1
    grid = env.call("grid_worker", env.tree.grid)
    assert (
        env.client.get(
            XLSX, params={"unit": gid("OrgUnit", env.tree.street)}, headers={"Authorization": f"Bearer {grid.token}"}
        ).status_code
        == 403
    )


def test_the_yearly_report_to_the_assembly_comes_from_the_records(env: Env) -> None:
    ok(record_profile(env.worker(), env.rid("wife30")))
    ok(adopt(env, "charter", TODAY - timedelta(days=3)))
    report = env.call("committee_chair")(
        "query($u: ID!, $y: Int!) { familyPlanningYearReport(orgUnitId: $u, year: $y) { text figures { key count } } }",
        {"u": env.unit(), "y": TODAY.year},
    )["familyPlanningYearReport"]
    assert "现有育龄妇女 1 人，其中已婚 1 人" in report["text"]
    assert "现行第1版" in report["text"]
    assert "居民wife30" not in report["text"]


SUBMIT = """mutation($input: SubmitReportInput!) { submitFamilyPlanningReport(input: $input) {
  status figures { key count } userErrors { field code } } }"""


def test_the_quarterly_report_is_owed_by_policy_and_filled_from_the_records(env: Env) -> None:
    ok(record_profile(env.worker(), env.rid("wife30")))
    set_policy(env.deployment, env.tree.community, "family_planning.report.owed", True)
    with env.session() as session, session.begin():
        materialize(session, env.deployment.host, TODAY)
    current = period_of("quarterly", TODAY)
    with env.session() as session:
        instance = session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.type_code == "family_planning.quarterly_report",
                ObligationInstance.period_start == current[0],
            )
        ).one()
    chair = env.call("committee_chair")
    result = ok(
        chair(SUBMIT, {"input": {"instanceId": gid("ObligationInstance", instance.id)}})["submitFamilyPlanningReport"]
    )
    assert {f["key"]: f["count"] for f in result["figures"]}["women"] == 1
    with env.session() as session:
        figures = session.scalar(select(Report.figures).where(Report.instance_id == instance.id))
        assert figures is not None and figures["married_women"] == 1
