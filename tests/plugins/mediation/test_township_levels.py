"""A county whose levels are township and village (DOMAIN.md section 1) runs
three-level handling, emergencies and the reporting calendar as a city of
streets and communities does: rules name levels by their role in the tree."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from core.app import Deployment
from core.org import service as org_service
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from tests.conftest import TOWNSHIP_LEVELS, plugin_deployment, sign_in_as
from tests.plugins.mediation.conftest import (
    ACCEPT,
    ESCALATE,
    RESOLVE,
    START,
    case_input,
    codes,
    gid,
    ok,
)
from tests.plugins.mediation.test_cases import register


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "mediation", org_levels=TOWNSHIP_LEVELS)


@pytest.fixture
def county(deployment: Deployment) -> dict[str, int]:
    with deployment.session_factory() as session, session.begin():

        def unit(name: str, level: str, parent: int | None) -> int:
            return org_service.create_unit(
                session, deployment.settings, name=name, level=level, parent_id=parent, established_on=date(2020, 1, 1)
            ).id

        city = unit("滁州市", "city", None)
        county = unit("定远县", "county", city)
        township = unit("池河镇", "township", county)
        village = unit("东山村", "village", township)
        grid = unit("东山村第一网格", "grid", village)
    return {"city": city, "county": county, "township": township, "village": village, "grid": grid}


def _mediating(call: Any, cid: str) -> None:
    ok(call(ACCEPT, {"input": {"caseId": cid}}), "acceptDisputeCase")
    ok(call(START, {"input": {"caseId": cid, "mediationType": "joint", "mediators": ["赵磊"]}}), "startMediation")


def test_three_level_handling_in_townships_and_villages(
    deployment: Deployment, client: Any, county: dict[str, int]
) -> None:
    worker = sign_in_as(deployment, client, "community_worker", county["village"])
    township = sign_in_as(deployment, client, "street_staff", county["township"])
    admin = sign_in_as(deployment, client, "district_staff", county["county"])
    # An ordinary dispute: "一般不出乡镇" — not finalized in the village.
    case = register(worker, county["village"], riskLevel="ordinary")
    assert case["finalizeLevel"] == "township" and not case["canFinalizeHere"]
    _mediating(worker, case["id"])
    refused = worker(RESOLVE, {"input": {"caseId": case["id"], "outcome": "reconciled"}})["resolveDisputeCase"]
    assert [e["code"] for e in refused["userErrors"]] == ["ABOVE_REMIT"]
    assert "乡镇" in refused["userErrors"][0]["message"]
    moved = ok(worker(ESCALATE, {"input": {"caseId": case["id"], "reason": "超出村级权限"}}), "escalateDisputeCase")
    assert moved["disputeCase"]["orgUnit"]["name"] == "池河镇"
    _mediating(township, case["id"])
    done = ok(township(RESOLVE, {"input": {"caseId": case["id"], "outcome": "reconciled"}}), "resolveDisputeCase")
    assert done["disputeCase"]["resolvedLevel"] == "township"
    # A major one goes to the county ("重大不出县") and no further.
    major = register(worker, county["village"], riskLevel="major")
    ok(worker(ESCALATE, {"input": {"caseId": major["id"], "reason": "重大纠纷"}}), "escalateDisputeCase")
    _mediating(township, major["id"])
    assert codes(
        township(RESOLVE, {"input": {"caseId": major["id"], "outcome": "reconciled"}}), "resolveDisputeCase"
    ) == ["ABOVE_REMIT"]
    at_county = ok(
        township(ESCALATE, {"input": {"caseId": major["id"], "reason": "需县级调处"}}), "escalateDisputeCase"
    )
    assert at_county["disputeCase"]["orgUnit"]["name"] == "定远县"
    ok(admin(ACCEPT, {"input": {"caseId": major["id"]}}), "acceptDisputeCase")
    assert codes(admin(ESCALATE, {"input": {"caseId": major["id"], "reason": "再上报"}}), "escalateDisputeCase") == [
        "TOP_LEVEL_REACHED"
    ]
    # An emergency found in a grid goes at once to the township.
    urgent = ok(
        worker(
            "mutation($input: RegisterDisputeCaseInput!) { registerDisputeCase(input: $input) {"
            " disputeCase { orgUnit { name } } userErrors { code } } }",
            {"input": case_input(county["village"], emergency="mass_petition")},
        ),
        "registerDisputeCase",
    )
    assert urgent["disputeCase"]["orgUnit"]["name"] == "池河镇"


def test_villages_and_townships_owe_the_mediation_reports(
    deployment: Deployment, client: Any, county: dict[str, int]
) -> None:
    with deployment.session_factory() as session, session.begin():
        reporting.materialize(session, deployment.host, date(2026, 3, 10))
    with deployment.session_factory() as session:
        owing = set(session.execute(select(ObligationInstance.type_code, ObligationInstance.org_unit_id)).all())
    assert ("mediation.screening", county["village"]) in owing
    assert ("mediation.monthly_summary", county["village"]) in owing
    assert ("mediation.monthly_summary", county["township"]) in owing
    assert {unit for _, unit in owing} == {county["village"], county["township"]}
    admin = sign_in_as(deployment, client, "admin", county["county"])
    status = admin(
        'query($unit: ID!) { mediationReportingStatus(orgUnitId: $unit, month: "2026-02") {'
        " orgUnit { name } screeningsRequired } }",
        {"unit": gid("OrgUnit", county["county"])},
    )["mediationReportingStatus"]
    assert {(row["orgUnit"]["name"], row["screeningsRequired"]) for row in status} == {("池河镇", None), ("东山村", 2)}
