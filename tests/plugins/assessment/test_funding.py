"""Assessment results reach the funding standard of finance through the
``assessment.award_yuan`` indicator, where both plugins are enabled."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.api.relay import encode_global_id
from core.app import Deployment
from core.policy.service import local_today
from tests.conftest import SignIn, plugin_deployment

FUNDING = "query($u: ID!) { financeFundingStandard(orgUnitId: $u) { households annualFunding assessmentAward } }"


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "assessment", "finance")


def test_an_excellent_grade_adds_the_award_to_the_funding(world: dict[str, Any], sign_in: SignIn) -> None:
    leader = sign_in("street_leader", world["street"])
    items = [
        {
            "code": "households",
            "name": "户籍信息",
            "kind": "indicator",
            "points": "100",
            "indicatorCode": "people.households",
            "target": "1",
        }
    ]
    scheme = leader(
        """mutation($input: CreateAssessmentSchemeInput!) { createAssessmentScheme(input: $input) { scheme { id } userErrors { code } } }""",
        {
            "input": {
                "orgUnitId": encode_global_id("OrgUnit", world["street"]),
                "name": "月度考核",
                "targetLevel": "community",
                "items": items,
            }
        },
    )["createAssessmentScheme"]["scheme"]
    period = {"input": {"schemeId": scheme["id"], "periodStart": local_today().isoformat()}}
    results = leader(
        "mutation($input: AssessmentPeriodInput!) { openAssessmentPeriod(input: $input) { results { id orgUnit { name } } } }",
        period,
    )["openAssessmentPeriod"]["results"]
    grade = "mutation($r: ID!, $g: String!) { setAssessmentGrade(input: {resultId: $r, grade: $g}) { userErrors { code } } }"
    for result in results:
        chosen = "excellent" if result["orgUnit"]["name"] == "社区01" else "pass"
        assert leader(grade, {"r": result["id"], "g": chosen})["setAssessmentGrade"]["userErrors"] == []
    published = leader(
        "mutation($input: AssessmentPeriodInput!) { publishAssessment(input: $input) { userErrors { code } } }", period
    )
    assert published["publishAssessment"]["userErrors"] == []
    chair = sign_in("committee_chair", world["communities"][0])
    funding = chair(FUNDING, {"u": encode_global_id("OrgUnit", world["communities"][0])})["financeFundingStandard"]
    assert funding["households"] == 2
    assert funding["assessmentAward"] == "10000.00"
    other = sign_in("committee_chair", world["communities"][1])
    assert (
        other(FUNDING, {"u": encode_global_id("OrgUnit", world["communities"][1])})["financeFundingStandard"][
            "assessmentAward"
        ]
        == "0.00"
    )
