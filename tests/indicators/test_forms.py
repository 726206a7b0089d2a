"""Report forms filled from records (一表通): defined through the API against
an approved requirement, owed through the reporting calendar, filled from
indicators, changed only with a reason, validated, submitted, aggregated up
the tree, exported; hand-entered fields an indicator provides are flagged."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from core.admission import service as admission
from core.admission.models import Requirement
from core.api.relay import encode_global_id
from core.app import Deployment
from core.indicators.registry import Indicator, IndicatorError, build_registry
from core.org import service as org_service
from core.people.models import Household, Resident
from core.policy.service import local_today
from core.reporting.models import ObligationInstance
from core.testing import active_sheet
from tests.conftest import SignIn

DEFINE = """
mutation($input: DefineReportFormInput!) {
  defineReportForm(input: $input) {
    reportForm { id typeCode fillShare fields { code source indicatorCode asksTwice } }
    userErrors { field code message }
  }
}"""
FILL = """
mutation($input: FillReportFormInput!) {
  fillReportForm(input: $input) { submission { id status values { fieldCode source number text computed reason } } userErrors { field code message } }
}"""
SET = """
mutation($input: SetReportValueInput!) {
  setReportValue(input: $input) { submission { values { fieldCode source number text computed reason } } userErrors { field code message } }
}"""
SUBMIT = """
mutation($id: ID!) { submitReportForm(input: {submissionId: $id}) { submission { status } userErrors { field code message } } }
"""
TABLE = """
query($f: ID!, $u: ID!, $p: Date!) {
  reportTable(formId: $f, under: $u, periodStart: $p) { headers rows { orgUnit { name } values submitted owed } total { values submitted owed } }
}"""
SHARE = "query($u: ID!) { reportFormShare(under: $u) { fields fromRecords share forms { fields fromRecords } } }"


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


@pytest.fixture
def world(deployment: Deployment, root_unit: int) -> dict[str, int]:
    with deployment.session_factory() as session, session.begin():

        def make(name, level, parent):
            return org_service.create_unit(session, deployment.settings, name=name, level=level, parent_id=parent)

        district = make("市南区", "district", root_unit)
        street = make("八大关街道", "street", district.id)
        a = make("太平角社区", "community", street.id)
        b = make("湛山社区", "community", street.id)
        for unit, count in ((a, 2), (b, 1)):
            for _ in range(count):
                session.add(Household(org_unit_id=unit.id, org_path=unit.path))
        session.add(Resident(name="王大爷", birth_date=date(1950, 1, 1), org_unit_id=a.id, org_path=a.path))
        session.add(Resident(name="小李", birth_date=date(2000, 1, 1), org_unit_id=a.id, org_path=a.path))
        data = admission.RequirementInput(
            issuer="区民政局",
            title="老龄统计",
            content="按月报送老龄统计",
            authority="001",
            staff="老龄专干",
            funds_note="随事转拨",
            valid_from=date(2020, 1, 1),
            cadence="monthly",
        )
        approved = admission.register(session, None, street, data)
        admission.approve(session, None, approved, today=date(2020, 1, 1))
        draft = admission.register(session, None, street, data)
        return {"street": street.id, "a": a.id, "b": b.id, "approved": approved.id, "draft": draft.id}


def _form_input(world: dict[str, int], requirement: str = "approved", **extra: Any) -> dict[str, Any]:
    return {
        "orgUnitId": encode_global_id("OrgUnit", world["street"]),
        "requirementId": encode_global_id("AdmissionRequirement", world[requirement]),
        "code": "elderly",
        "name": "老龄工作统计表",
        "levels": ["community"],
        "recurrence": "monthly",
        "dueDay": 5,
        "fields": [
            {"code": "households", "label": "户数", "indicatorCode": "people.households"},
            {"code": "elderly", "label": "60岁及以上居民数", "indicatorCode": "people.residents_60_plus"},
            {"code": "activities", "label": "敬老活动次数", "valueType": "int", "minValue": "0", "maxValue": "100"},
            {"code": "total_households", "label": "总户数", "valueType": "int", "required": False},
            {"code": "note", "label": "说明", "valueType": "text", "required": False},
        ],
        **extra,
    }


def test_a_form_is_tied_to_an_approved_requirement(world: dict[str, int], sign_in: SignIn) -> None:
    leader = sign_in("street_leader", world["street"])
    refused = leader(DEFINE, {"input": _form_input(world, "draft")})["defineReportForm"]
    assert _codes(refused) == ["REQUIREMENT_NOT_APPROVED"]
    unknown = _form_input(world)
    unknown["fields"][0]["indicatorCode"] = "people.nothing"
    assert _codes(leader(DEFINE, {"input": unknown})["defineReportForm"]) == ["UNKNOWN_INDICATOR"]
    worker = sign_in("community_worker", world["a"])
    assert _codes(worker(DEFINE, {"input": _form_input(world)})["defineReportForm"]) == ["FORBIDDEN"]


def test_fill_from_records_change_with_reason_validate_submit(
    deployment: Deployment, world: dict[str, int], sign_in: SignIn, client: TestClient
) -> None:
    leader = sign_in("street_leader", world["street"])
    form = leader(DEFINE, {"input": _form_input(world)})["defineReportForm"]["reportForm"]
    # Hand-entered "总户数" asks again for what people.households provides.
    assert [f["asksTwice"] for f in form["fields"]] == [None, None, None, "people.households", None]
    assert form["fillShare"] == pytest.approx(2 / 5)
    with deployment.session_factory() as session:
        owed = session.scalars(
            select(ObligationInstance.org_unit_id).where(ObligationInstance.type_code == form["typeCode"])
        ).all()
        assert sorted(owed) == sorted([world["a"], world["b"]])
        assert (
            admission.covering(session, org_service.get_unit(session, world["a"]), form["typeCode"], local_today())
            is not None
        )
    period = local_today().replace(day=1).isoformat()
    worker = sign_in("community_worker", world["a"])
    unit_a = encode_global_id("OrgUnit", world["a"])
    not_owed = worker(FILL, {"input": {"formId": form["id"], "orgUnitId": unit_a, "periodStart": "2001-01-01"}})[
        "fillReportForm"
    ]
    assert _codes(not_owed) == ["NOT_OWED"]
    filled = worker(FILL, {"input": {"formId": form["id"], "orgUnitId": unit_a, "periodStart": period}})[
        "fillReportForm"
    ]["submission"]
    values = {v["fieldCode"]: v for v in filled["values"]}
    assert (values["households"]["number"], values["households"]["source"]) == ("2.00", "indicator")
    assert values["elderly"]["number"] == "1.00"
    sid = filled["id"]
    no_reason = worker(SET, {"input": {"submissionId": sid, "fieldCode": "households", "value": "3"}})["setReportValue"]
    assert _codes(no_reason) == ["REASON_REQUIRED"]
    changed = worker(
        SET, {"input": {"submissionId": sid, "fieldCode": "households", "value": "3", "reason": "一户尚未录入系统"}}
    )
    households = next(v for v in changed["setReportValue"]["submission"]["values"] if v["fieldCode"] == "households")
    assert (households["source"], households["number"], households["computed"], households["reason"]) == (
        "override",
        "3.00",
        "2.00",
        "一户尚未录入系统",
    )
    out = worker(SET, {"input": {"submissionId": sid, "fieldCode": "activities", "value": "101"}})["setReportValue"]
    assert _codes(out) == ["OUT_OF_RANGE"]
    fraction = worker(SET, {"input": {"submissionId": sid, "fieldCode": "activities", "value": "1.5"}})[
        "setReportValue"
    ]
    assert _codes(fraction) == ["INVALID_VALUE"]
    incomplete = worker(SUBMIT, {"id": sid})["submitReportForm"]["userErrors"]
    assert [(e["code"], e["field"]) for e in incomplete] == [("INCOMPLETE", "submissionId")]
    assert "敬老活动次数" in incomplete[0]["message"]
    assert (
        worker(SET, {"input": {"submissionId": sid, "fieldCode": "activities", "value": "2"}})["setReportValue"][
            "userErrors"
        ]
        == []
    )
    # Refilling keeps the figure changed with a reason.
    refilled = worker(FILL, {"input": {"formId": form["id"], "orgUnitId": unit_a, "periodStart": period}})[
        "fillReportForm"
    ]["submission"]
    assert next(v for v in refilled["values"] if v["fieldCode"] == "households")["number"] == "3.00"
    assert worker(SUBMIT, {"id": sid})["submitReportForm"]["submission"]["status"] == "submitted"
    assert _codes(
        worker(SET, {"input": {"submissionId": sid, "fieldCode": "activities", "value": "1"}})["setReportValue"]
    ) == ["ALREADY_SUBMITTED"]
    with deployment.session_factory() as session:
        instance = session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.type_code == form["typeCode"], ObligationInstance.org_unit_id == world["a"]
            )
        ).one()
        assert instance.status == "submitted"
    # Up the tree: the street's table computes each community's subtree and sums the hand-entered figures.
    table = leader(TABLE, {"f": form["id"], "u": encode_global_id("OrgUnit", world["street"]), "p": period})[
        "reportTable"
    ]
    assert table["headers"] == ["户数", "60岁及以上居民数", "敬老活动次数", "总户数", "说明"]
    assert [(r["orgUnit"]["name"], r["values"][:3], r["submitted"], r["owed"]) for r in table["rows"]] == [
        ("太平角社区", ["2", "1", "2"], 1, 1),
        ("湛山社区", ["1", "0", None], 0, 1),
    ]
    assert (table["total"]["values"][:3], table["total"]["submitted"], table["total"]["owed"]) == (
        ["3", "1", "2"],
        1,
        2,
    )
    share = leader(SHARE, {"u": encode_global_id("OrgUnit", world["street"])})["reportFormShare"]
    assert (share["fields"], share["fromRecords"]) == (5, 2)
    # The office-layout spreadsheet of the same table.
    response = client.get(
        "/forms/export.xlsx",
        params={"unit": encode_global_id("OrgUnit", world["street"]), "form": form["id"], "period": period},
        headers={"Authorization": f"Bearer {leader.token}"},
    )
    assert response.status_code == 200, response.text
    sheet = active_sheet(load_workbook(BytesIO(response.content)))
    assert sheet.cell(1, 1).value == "老龄工作统计表"
    assert [sheet.cell(3, c).value for c in range(1, 4)] == ["单位", "户数", "60岁及以上居民数"]
    assert [sheet.cell(6, c).value for c in range(1, 3)] == ["合计（八大关街道）", 3]
    other = client.get(
        "/forms/export.xlsx",
        params={"unit": encode_global_id("OrgUnit", world["street"]), "form": form["id"]},
        headers={"Authorization": f"Bearer {worker.token}"},
    )
    assert other.status_code == 403


def test_indicator_declarations_are_checked() -> None:
    import pluggy

    from core import hookspecs
    from core.hookspecs import hookimpl
    from core.plugin_host import PluginHost

    def host_with(items: list[Indicator]) -> PluginHost:
        class Declares:
            @hookimpl
            def register_indicators(self) -> list[Any]:
                return items

        manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        manager.add_hookspecs(hookspecs)
        manager.register(Declares(), name="sample")
        return PluginHost(manager=manager, enabled=("sample",))

    def zero(*a):
        return 0

    assert [i.plugin for i in build_registry(host_with([Indicator("sample.a", "甲", "", zero)])).all()] == ["sample"]
    with pytest.raises(IndicatorError, match="must start with the plugin's name"):
        build_registry(host_with([Indicator("people.households", "户数", "", zero)]))
    with pytest.raises(IndicatorError, match="declared more than once"):
        build_registry(host_with([Indicator("sample.a", "甲", "", zero), Indicator("sample.a", "乙", "", zero)]))


def test_the_calendar_owes_a_form_every_period(deployment: Deployment, world: dict[str, int]) -> None:
    from core.indicators import forms
    from core.indicators.registry import registry_for
    from core.reporting import service as reporting

    with deployment.session_factory() as session, session.begin():
        street = org_service.get_unit(session, world["street"])
        requirement = session.get(Requirement, world["approved"])
        assert requirement is not None
        form = forms.define(
            session,
            None,
            street,
            requirement,
            forms.FormInput(
                code="households",
                name="户数月报",
                levels=("community",),
                recurrence="monthly",
                due_day=5,
                fields=[forms.FieldInput(code="households", label="户数", indicator_code="people.households")],
            ),
            indicators=registry_for(deployment.host),
            host=deployment.host,
            today=date(2026, 3, 10),
        )
        type_code = form.type_code
        reporting.materialize(session, deployment.host, on=date(2026, 4, 2))
    with deployment.session_factory() as session:
        rows = session.execute(
            select(ObligationInstance.period_start, ObligationInstance.due_on)
            .where(ObligationInstance.type_code == type_code)
            .distinct()
            .order_by(ObligationInstance.period_start)
        ).all()
        # March owed from the definition, April from the calendar's run; due the 5th of the next month (a working day).
        assert [(str(start), str(due)) for start, due in rows] == [
            ("2026-03-01", "2026-04-06"),
            ("2026-04-01", "2026-05-05"),
        ]
