"""Excel exports: the 统计表 and the 个案登记表 carry the numbers the API
returns; sign-in and permission are required; exports are audited."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from core.audit.models import AuditRecord
from core.policy.service import local_today
from tests.plugins.mediation.conftest import (
    ESCALATE,
    REGISTER,
    Env,
    case_input,
    gid,
    ok,
)
from tests.plugins.mediation.test_reporting import SCREEN, SUMMARY

MONTHLY = "/mediation/export/monthly-summary.xlsx"
CASES = "/mediation/export/cases.xlsx"


def _data(env: Env) -> Any:
    worker = env.call("community_worker", env.tree.community)
    ok(
        worker(
            REGISTER,
            {
                "input": case_input(
                    env.tree.community,
                    parties=[
                        {"role": "applicant", "residentId": gid("Resident", env.tree.residents[0])},
                        {"role": "respondent", "name": "刘建国", "idNumber": "370203198005124513"},
                    ],
                )
            },
        ),
        "registerDisputeCase",
    )
    second = ok(
        worker(
            REGISTER, {"input": case_input(env.tree.community, category="labour", riskLevel="ordinary", title="欠薪")}
        ),
        "registerDisputeCase",
    )
    ok(
        worker(ESCALATE, {"input": {"caseId": second["disputeCase"]["id"], "reason": "超出权限"}}),
        "escalateDisputeCase",
    )
    ok(
        worker(
            SCREEN,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", env.tree.community),
                    "screenedOn": local_today().isoformat(),
                    "disputesFound": 3,
                }
            },
        ),
        "recordMediationScreening",
    )
    return worker


def _sheet(content: bytes) -> Any:
    return load_workbook(BytesIO(content)).active


def test_monthly_summary_xlsx_has_the_api_numbers(env: Env) -> None:
    worker = _data(env)
    today = local_today()
    month = f"{today.year:04d}-{today.month:02d}"
    for unit in (env.tree.community, env.tree.street):
        caller = worker if unit == env.tree.community else env.call("street_leader", env.tree.street)
        api = caller(SUMMARY, {"unit": gid("OrgUnit", unit), "month": month})["mediationMonthlySummary"]
        response = env.client.get(
            MONTHLY,
            params={"unit": gid("OrgUnit", unit), "month": month},
            headers={"Authorization": f"Bearer {caller.token}"},
        )
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        sheet = _sheet(response.content)
        assert sheet["A1"].value.endswith("矛盾纠纷排查调处情况统计表")
        cells = {row[1]: row[2] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[0], int)}
        for row in api["rows"]:
            assert cells[row["label"]] == row["value"], row
        total = next(row for row in sheet.iter_rows() if row[0].value == "合计")
        first, last = total[2].value.removeprefix("=SUM(").removesuffix(")").split(":")
        assert sum(c.value for (c,) in sheet[first:last]) == sum(c["count"] for c in api["byCategory"])
        assert sheet[first].offset(row=-1).value == "件数" and last == f"C{total[0].row - 1}"
        categories = {c["code"]: c["count"] for c in api["byCategory"]}
        assert cells["劳动争议"] == categories["labour"] == 1
    assert cells["上报上级（件）"] == 0  # the street kept it inside its subtree


def test_case_register_xlsx(env: Env) -> None:
    worker = _data(env)
    response = env.client.get(
        CASES, params={"unit": gid("OrgUnit", env.tree.community)}, headers={"Authorization": f"Bearer {worker.token}"}
    )
    assert response.status_code == 200, response.text
    sheet = _sheet(response.content)
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    assert header[:3] == ("序号", "案号", "登记日期") and "当事人" in header
    body = [r for r in rows[3:] if isinstance(r[0], int)]
    assert len(body) == 2
    assert isinstance(body[0][2], datetime)  # 登记日期 is a date cell
    assert rows[-1][0] == f"制表人：{worker.username}" and sheet.print_title_rows == "$1:$3"  # signed by the exporter
    first = dict(zip(header, body[0], strict=True))
    assert first["承办单位"] == "宁安路社区" and first["纠纷类别"] == "邻里纠纷"
    # Identities are masked as in the API.
    assert (
        "张伟" in first["当事人"]
        and "370203********4513" in first["当事人"]
        and "370203198005124513" not in first["当事人"]
    )
    second = dict(zip(header, body[1], strict=True))
    assert second["承办单位"] == "宁夏路街道" and second["状态"] == "已上报待受理"
    with env.session() as session:
        actions = session.scalars(select(AuditRecord.action).where(AuditRecord.action.like("export:%"))).all()
    assert actions == ["export:mediation.cases"]


def test_exports_need_sign_in_and_permission(env: Env) -> None:
    _data(env)
    params = {"unit": gid("OrgUnit", env.tree.community), "month": "2026-01"}
    assert env.client.get(MONTHLY, params=params).status_code == 401
    assert env.client.get(MONTHLY, params=params, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    other = env.call("street_leader", env.tree.other_street)
    assert env.client.get(MONTHLY, params=params, headers={"Authorization": f"Bearer {other.token}"}).status_code == 403
    assert (
        env.client.get(
            CASES, params={"unit": params["unit"]}, headers={"Authorization": f"Bearer {other.token}"}
        ).status_code
        == 403
    )
    head = env.call("building_head", env.tree.building)
    assert (
        env.client.get(
            CASES, params={"unit": gid("OrgUnit", env.tree.building)}, headers={"Authorization": f"Bearer {head.token}"}
        ).status_code
        == 403
    )
    leader = env.call("street_leader", env.tree.street)
    auth = {"Authorization": f"Bearer {leader.token}"}
    assert env.client.get(MONTHLY, params={**params, "month": "2026-13"}, headers=auth).status_code == 400
    assert env.client.get(MONTHLY, params={"unit": "nonsense", "month": "2026-01"}, headers=auth).status_code == 400
    assert env.client.get(CASES, params={"unit": params["unit"], "from": "2026-02-30"}, headers=auth).status_code == 400
