"""Assessment: schemes per level and cycle from policy, 100-point items from
indicators or by hand with evidence, veto items, grade quotas, publication
to the units assessed, and the award indicator the funding reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from core.policy import service as policy
from core.policy.service import local_today
from plugins.assessment.declarations import CYCLE_KEYS
from tests.conftest import SignIn

CREATE = """
mutation($input: CreateAssessmentSchemeInput!) {
  createAssessmentScheme(input: $input) { scheme { id cycle items { code points } } userErrors { field code message } }
}"""
OPEN = """
mutation($input: AssessmentPeriodInput!) {
  openAssessmentPeriod(input: $input) { results { id orgUnit { name } score vetoed } userErrors { field code message } }
}"""
SCORE = """
mutation($input: ScoreAssessmentItemInput!) {
  scoreAssessmentItem(input: $input) { result { score vetoed scores { itemCode score vetoed evidence } } userErrors { field code message } }
}"""
GRADE = """
mutation($input: SetAssessmentGradeInput!) { setAssessmentGrade(input: $input) { result { grade } userErrors { field code message } } }
"""
PUBLISH = """
mutation($input: AssessmentPeriodInput!) { publishAssessment(input: $input) { results { awardYuan grade } userErrors { field code message } } }
"""
RESULTS = "query($u: ID!) { assessmentResults(under: $u) { orgUnit { name } score grade gradeName publishedAt } }"
VALUE = """
query($u: ID!, $s: Date!, $e: Date!) { indicatorValue(code: "assessment.award_yuan", under: $u, periodStart: $s, periodEnd: $e) }
"""


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


ITEMS = [
    {
        "code": "households",
        "name": "户籍信息完整",
        "kind": "indicator",
        "points": "30",
        "indicatorCode": "people.households",
        "target": "2",
    },
    {"code": "satisfaction", "name": "居民满意度", "kind": "manual", "points": "70"},
    {"code": "safety", "name": "重大安全事故", "kind": "veto"},
]


def _scheme(caller: Any, unit: int, items: list[dict[str, Any]] = ITEMS) -> dict[str, Any]:
    return caller(
        CREATE,
        {
            "input": {
                "orgUnitId": encode_global_id("OrgUnit", unit),
                "name": "社区工作考核",
                "targetLevel": "community",
                "items": items,
            }
        },
    )["createAssessmentScheme"]


def test_schemes_follow_the_policy_of_their_level(
    deployment: Deployment, world: dict[str, Any], sign_in: SignIn
) -> None:
    leader = sign_in("street_leader", world["street"])
    short = [dict(ITEMS[0]), dict(ITEMS[1], points="60")]
    assert _codes(_scheme(leader, world["street"], short)) == ["POINTS_TOTAL"]
    assert _codes(_scheme(leader, world["street"], [*ITEMS[:2], dict(ITEMS[2], points="5")])) == [
        "INVALID_VALUE",
        "POINTS_TOTAL",
    ]
    assert _scheme(leader, world["street"])["scheme"]["cycle"] == "monthly"
    supervisor = sign_in("district_supervisor", world["district"])
    assert _scheme(supervisor, world["district"])["scheme"]["cycle"] == "quarterly"
    with deployment.session_factory() as session, session.begin():
        street = org_service.get_unit(session, world["street"])
        policy.set_value(
            session,
            street,
            CYCLE_KEYS["subdistrict"],
            "quarterly",
            effective_from=date(2020, 1, 1),
            set_by="t",
            reason="地方规定",
        )
    assert _scheme(leader, world["street"])["scheme"]["cycle"] == "quarterly"
    worker = sign_in("community_worker", world["communities"][0])
    assert _codes(_scheme(worker, world["street"])) == ["FORBIDDEN"]


def test_scores_veto_quotas_and_publication(world: dict[str, Any], sign_in: SignIn) -> None:
    leader = sign_in("street_leader", world["street"])
    scheme = _scheme(leader, world["street"])["scheme"]
    today = local_today().isoformat()
    opened = leader(OPEN, {"input": {"schemeId": scheme["id"], "periodStart": today}})["openAssessmentPeriod"][
        "results"
    ]
    results = sorted(opened, key=lambda r: r["orgUnit"]["name"])
    # From records: two households earn the 30 points, one household half of them.
    assert [(r["orgUnit"]["name"], r["score"]) for r in results[:2]] == [("社区01", "30.00"), ("社区02", "15.00")]
    first, last = results[0]["id"], results[-1]["id"]
    no_evidence = leader(SCORE, {"input": {"resultId": first, "itemCode": "satisfaction", "score": "60"}})[
        "scoreAssessmentItem"
    ]
    assert _codes(no_evidence) == ["EVIDENCE_REQUIRED"]
    too_much = leader(
        SCORE, {"input": {"resultId": first, "itemCode": "satisfaction", "score": "71", "evidence": "问卷"}}
    )
    assert _codes(too_much["scoreAssessmentItem"]) == ["OUT_OF_RANGE"]
    by_hand = leader(SCORE, {"input": {"resultId": first, "itemCode": "households", "score": "30", "evidence": "自报"}})
    assert _codes(by_hand["scoreAssessmentItem"]) == ["FROM_RECORDS"]
    for result in results:
        scored = leader(
            SCORE,
            {
                "input": {
                    "resultId": result["id"],
                    "itemCode": "satisfaction",
                    "score": "60",
                    "evidence": "随机问卷 30 份",
                }
            },
        )
        assert scored["scoreAssessmentItem"]["userErrors"] == []
    vetoed = leader(
        SCORE, {"input": {"resultId": last, "itemCode": "safety", "vetoed": True, "evidence": "事故调查报告"}}
    )
    assert vetoed["scoreAssessmentItem"]["result"]["score"] == "0"
    assert vetoed["scoreAssessmentItem"]["result"]["vetoed"] is True
    assert _codes(leader(GRADE, {"input": {"resultId": last, "grade": "good"}})["setAssessmentGrade"]) == ["VETOED"]
    assert (
        leader(GRADE, {"input": {"resultId": last, "grade": "fail"}})["setAssessmentGrade"]["result"]["grade"] == "fail"
    )
    # Ten units: one excellent (10 % 以内), three good (30 % 以内).
    assert leader(GRADE, {"input": {"resultId": first, "grade": "excellent"}})["setAssessmentGrade"]["userErrors"] == []
    assert _codes(
        leader(GRADE, {"input": {"resultId": results[1]["id"], "grade": "excellent"}})["setAssessmentGrade"]
    ) == ["QUOTA_EXCEEDED"]
    for result in results[1:4]:
        assert (
            leader(GRADE, {"input": {"resultId": result["id"], "grade": "good"}})["setAssessmentGrade"]["userErrors"]
            == []
        )
    assert _codes(leader(GRADE, {"input": {"resultId": results[4]["id"], "grade": "good"}})["setAssessmentGrade"]) == [
        "QUOTA_EXCEEDED"
    ]
    period = {"input": {"schemeId": scheme["id"], "periodStart": today}}
    assert set(_codes(leader(PUBLISH, period)["publishAssessment"])) == {"UNGRADED"}
    community = encode_global_id("OrgUnit", world["communities"][0])
    worker = sign_in("community_worker", world["communities"][0])
    assert worker(RESULTS, {"u": community})["assessmentResults"] == []
    for result in results[4:9]:
        leader(GRADE, {"input": {"resultId": result["id"], "grade": "pass"}})
    published = leader(PUBLISH, period)["publishAssessment"]["results"]
    assert sorted((r["awardYuan"] for r in published), reverse=True)[:5] == [10000, 5000, 5000, 5000, 0]
    assert worker(RESULTS, {"u": community})["assessmentResults"][0]["gradeName"] == "优秀"
    assert _codes(leader(GRADE, {"input": {"resultId": first, "grade": "pass"}})["setAssessmentGrade"]) == ["PUBLISHED"]
    # The funding standard reads the awards through the indicator.
    street = encode_global_id("OrgUnit", world["street"])
    year = local_today().year
    assert leader(VALUE, {"u": street, "s": f"{year}-01-01", "e": f"{year}-12-31"})["indicatorValue"] == "25000"
