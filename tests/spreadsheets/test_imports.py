"""Spreadsheet imports through GraphQL: the dry run marks each bad cell with
its reason, the import is all-or-nothing with pollable progress, a second
run changes nothing, everything stays inside the importer's subtree, and it
is audited without ID numbers."""

from __future__ import annotations

import base64
import json
import time
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from sqlalchemy import func, select
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.audit.service import chain_pending
from core.people.identity import make_id_number
from core.people.models import Household, HouseholdMember, Place, Resident
from core.spreadsheets.imports.models import ImportJob
from core.testing import active_sheet
from tests.conftest import SignedIn, SignIn
from tests.spreadsheets.conftest import Tree, sheet_bytes

CHECK = """mutation($input: ImportFileInput!) {
  checkImport(input: $input) { total errorCount errors { row column message } errorWorkbook userErrors { field code message } }
}"""
START = """mutation($input: ImportFileInput!) {
  startImport(input: $input) { job { id status total } userErrors { field code message } }
}"""
JOB = "query($id: ID!) { importJob(id: $id) { id kind status statusName total processed created updated unchanged message } }"
RESIDENT_HEADERS = ["姓名", "公民身份号码", "性别", "出生日期", "联系电话", "户号", "与户主关系", "住址", "所属网格"]


def post(client: TestClient, who: SignedIn, query: str, kind: str, unit: int, data: bytes) -> dict[str, Any]:
    operations = {
        "query": query,
        "variables": {"input": {"kind": kind, "unitId": encode_global_id("OrgUnit", unit), "file": None}},
    }
    response = client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": ("人口.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        headers={"Authorization": f"Bearer {who.token}"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def wait(who: SignedIn, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        job = who(JOB, {"id": job_id})["importJob"]
        if job["status"] in ("SUCCEEDED", "FAILED"):
            return job
        time.sleep(0.05)
    raise AssertionError("import job did not finish")


def chained(deployment: Deployment) -> None:
    """Chain audit records still pending (PostgreSQL chains them after commit)."""
    with deployment.session_factory() as session:
        chain_pending(session)


def count(deployment: Deployment, model: Any) -> int:
    with deployment.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


ZHANG = make_id_number("370202", date(1980, 5, 12), 451)
LI = make_id_number("370202", date(1982, 3, 1), 462)
CHILD = make_id_number("370202", date(2010, 8, 8), 13)


def good_rows() -> list[list[Any]]:
    return [
        ["张伟", ZHANG, "男", date(1980, 5, 12), "13800000001", "H001", "户主", "团岛路 1 号", "团岛一网格"],
        ["李娜", LI, "女", "1982-03-01", None, "H001", "配偶", "团岛路 1 号", "团岛一网格"],
        ["张小明", CHILD, None, None, None, "H001", "子", None, "370202001001"],
    ]


def test_dry_run_marks_each_bad_cell_with_the_reason(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    bad_checksum = ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1")
    rows = [
        *good_rows()[:1],
        ["王芳", bad_checksum, None, None, None, None, None, None, "团岛一网格"],
        ["赵强", ZHANG, None, None, None, None, None, None, "团岛一网格"],  # the same person twice
        ["孙丽", LI, "男", "1982-02-30", None, None, None, None, "不存在网格"],
        ["周杰", 370202198203014621, None, None, None, None, None, None, "云南路社区"],  # a number, outside the subtree
        ["吴刚", CHILD, None, None, "12345", "H001", "户主", None, "团岛一网格"],  # a second head
    ]
    data = sheet_bytes(RESIDENT_HEADERS, rows)
    result = post(client, worker, CHECK, "RESIDENTS", tree.community, data)["checkImport"]
    assert result["userErrors"] == [] and result["total"] == 6
    found = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert found[(5, "公民身份号码")] == "身份证号码校验位不正确，请核对是否输错。"
    assert found[(6, "公民身份号码")] == "公民身份号码与第 4 行重复。"
    assert "不存在" in found[(7, "出生日期")] and "不是团岛社区下属的单位" in found[(7, "所属网格")]
    assert found[(7, "性别")] == "性别与身份证号码不一致。"
    assert "文本" in found[(8, "公民身份号码")] and "不是团岛社区下属的单位" in found[(8, "所属网格")]
    assert "电话号码格式不正确" in found[(9, "联系电话")] and "户主与第 4 行重复" in found[(9, "与户主关系")]
    assert result["errorCount"] == len(found) == 9
    # No ID number in any message.
    assert not any(ZHANG in m or LI in m for m in found.values())
    book = load_workbook(BytesIO(base64.b64decode(result["errorWorkbook"])))
    sheet = book.worksheets[0]
    marked = {
        (c.row, sheet.cell(3, c.column).value)
        for line in sheet.iter_rows()
        for c in line
        if isinstance(c, Cell) and c.comment is not None  # merged cells carry no comment
    }
    assert marked == set(found)
    assert sheet["B5"].fill.fgColor.rgb.endswith("FFC7CE") and sheet["B5"].comment.text == found[(5, "公民身份号码")]
    assert sheet["A5"].comment is None and not sheet["A5"].fill.fgColor.rgb.endswith("FFC7CE")
    listing = list(book["错误清单"].iter_rows(min_row=4, values_only=True))
    assert len(listing) == 9 and listing[0][0] == 5
    # A dry run writes nothing, and the real import of the same file is refused whole.
    refused = post(client, worker, START, "RESIDENTS", tree.community, data)["startImport"]
    assert refused["job"] is None and [e["code"] for e in refused["userErrors"]] == ["INVALID_ROWS"]
    assert count(deployment, Resident) == 0 and count(deployment, ImportJob) == 0


def test_import_runs_as_a_job_and_a_second_run_changes_nothing(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    data = sheet_bytes(RESIDENT_HEADERS, good_rows())
    assert post(client, worker, CHECK, "RESIDENTS", tree.community, data)["checkImport"]["errorCount"] == 0
    started = post(client, worker, START, "RESIDENTS", tree.community, data)["startImport"]
    assert started["userErrors"] == [] and started["job"]["total"] == 3
    job = wait(worker, started["job"]["id"])
    assert job["status"] == "SUCCEEDED" and (job["processed"], job["created"], job["updated"], job["unchanged"]) == (
        3,
        3,
        0,
        0,
    )
    with deployment.session_factory() as session:
        residents = {r.id_number: r for r in session.scalars(select(Resident))}
        assert set(residents) == {ZHANG, LI, CHILD}
        assert residents[CHILD].birth_date == date(2010, 8, 8) and residents[CHILD].sex == "male"
        assert residents[ZHANG].org_unit_id == tree.grid and residents[CHILD].org_unit_id == tree.community
        household = session.scalars(select(Household)).one()
        assert household.household_number == "H001" and household.address == "团岛路 1 号"
        members = {m.resident_id: (m.relationship_code, m.is_head) for m in session.scalars(select(HouseholdMember))}
        assert members == {
            residents[ZHANG].id: ("02", True),
            residents[LI].id: ("10", False),
            residents[CHILD].id: ("20", False),
        }
    # The same file again: recognized by ID number and household number.
    again = wait(worker, post(client, worker, START, "RESIDENTS", tree.community, data)["startImport"]["job"]["id"])
    assert (again["status"], again["created"], again["updated"], again["unchanged"]) == ("SUCCEEDED", 0, 0, 3)
    assert (
        count(deployment, Resident) == 3
        and count(deployment, Household) == 1
        and count(deployment, HouseholdMember) == 3
    )
    chained(deployment)
    with deployment.session_factory() as session:
        audits = session.scalars(select(AuditRecord).where(AuditRecord.action == "import:residents")).all()
        assert [a.outcome for a in audits] == ["success", "success"] and all(
            a.org_unit_id == tree.community for a in audits
        )
        everything = " ".join(str(r.detail) for r in session.scalars(select(AuditRecord)))
    assert ZHANG not in everything and LI not in everything  # ID numbers stay out of the audit trail


def test_a_row_refused_while_writing_leaves_nothing(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    wait(
        worker,
        post(client, worker, START, "RESIDENTS", tree.community, sheet_bytes(RESIDENT_HEADERS, good_rows()[:1]))[
            "startImport"
        ]["job"]["id"],
    )
    # H001 already has a head: only the write finds it; the first (good) row must not stay.
    newcomer = make_id_number("370202", date(1990, 1, 1), 1)
    rows = [
        ["钱七", newcomer, None, None, None, None, None, None, "团岛一网格"],
        ["李娜", LI, None, None, None, "H001", "户主", None, "团岛一网格"],
    ]
    job = wait(
        worker,
        post(client, worker, START, "RESIDENTS", tree.community, sheet_bytes(RESIDENT_HEADERS, rows))["startImport"][
            "job"
        ]["id"],
    )
    assert job["status"] == "FAILED" and job["message"].startswith("第 5 行：该户已有户主。") and job["processed"] == 0
    assert count(deployment, Resident) == 1
    chained(deployment)
    with deployment.session_factory() as session:
        assert (
            session.scalar(
                select(AuditRecord.outcome)
                .where(AuditRecord.action == "import:residents")
                .order_by(AuditRecord.id.desc())
            )
            == "refused"
        )


def test_scope_permission_and_job_visibility(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    outsider = sign_in("community_worker", tree.other_street)
    data = sheet_bytes(RESIDENT_HEADERS, good_rows())
    forbidden = post(client, outsider, START, "RESIDENTS", tree.community, data)["startImport"]
    assert [e["code"] for e in forbidden["userErrors"]] == ["FORBIDDEN"]
    # Org units need org.unit.manage, which a community worker does not hold.
    org = sheet_bytes(["名称", "层级", "上级单位"], [["团岛二网格", "网格", "团岛社区"]], title=None)
    assert [
        e["code"] for e in post(client, worker, CHECK, "ORG_UNITS", tree.community, org)["checkImport"]["userErrors"]
    ] == ["FORBIDDEN"]
    job_id = post(client, worker, START, "RESIDENTS", tree.community, data)["startImport"]["job"]["id"]
    wait(worker, job_id)
    assert outsider(JOB, {"id": job_id})["importJob"] is None
    listing = "query($u: ID!) { importJobs(under: $u) { id } }"
    assert outsider(listing, {"u": encode_global_id("OrgUnit", tree.community)})["importJobs"] == []
    assert worker(listing, {"u": encode_global_id("OrgUnit", tree.street)})["importJobs"] == [{"id": job_id}]
    assert outsider("query($id: ID!) { node(id: $id) { id } }", {"id": job_id})["node"] is None
    bad = post(client, worker, CHECK, "RESIDENTS", tree.community, b"not a workbook")["checkImport"]
    assert [(e["field"], e["code"]) for e in bad["userErrors"]] == [("file", "INVALID_FILE")]
    headerless = post(client, worker, CHECK, "RESIDENTS", tree.community, sheet_bytes(["名字"], [["张三"]]))[
        "checkImport"
    ]
    assert headerless["userErrors"][0]["code"] == "MISSING_COLUMNS" and "姓名" in headerless["userErrors"][0]["message"]


def test_org_units_households_and_places(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    leader = sign_in("street_leader", tree.street)
    units = sheet_bytes(
        ["名称", "层级", "上级单位", "区划代码", "成立日期"],
        [
            ["海岸社区", "社区", "八大峡街道", "370202001002", date(2021, 6, 1)],
            ["海岸一网格", "网格", "海岸社区", None, None],  # the parent comes from the row above
            ["错层网格", "社区", "团岛一网格", None, None],
            ["越界社区", "社区", "云南路街道", None, "2021-13-01"],
        ],
        title=None,
    )
    checked = post(client, leader, CHECK, "ORG_UNITS", tree.street, units)["checkImport"]
    found = {(e["row"], e["column"]): e["message"] for e in checked["errors"]}
    assert set(found) == {(4, "层级"), (5, "上级单位"), (5, "成立日期")}
    assert found[(4, "层级")] == "“社区/村”不能设在“网格”之下。"
    good = sheet_bytes(
        ["名称", "层级", "上级单位", "区划代码", "成立日期"],
        [
            ["海岸社区", "社区", "八大峡街道", "370202001002", date(2021, 6, 1)],
            ["海岸一网格", "网格", "海岸社区", None, None],
        ],
        title=None,
    )
    for expected in ((2, 0, 0), (0, 0, 2)):
        job = wait(leader, post(client, leader, START, "ORG_UNITS", tree.street, good)["startImport"]["job"]["id"])
        assert (job["status"], job["created"], job["updated"], job["unchanged"]) == ("SUCCEEDED", *expected)
    households = sheet_bytes(
        ["户号", "户别", "人口类型", "住址", "所属网格"], [["H900", "集体户", "流动", "海岸路 9 号", "海岸一网格"]]
    )
    assert (
        wait(leader, post(client, leader, START, "HOUSEHOLDS", tree.street, households)["startImport"]["job"]["id"])[
            "created"
        ]
        == 1
    )
    places = sheet_bytes(
        ["场所名称", "类型", "地址", "所属楼栋", "是否出租", "所属网格"],
        [
            ["1 号楼", "楼栋", "海岸路 1 号", None, "否", "海岸一网格"],
            ["101 室", "房屋", None, "1 号楼", "是", "海岸一网格"],
            ["小卖部", "商场", None, None, "也许", "海岸一网格"],
        ],
    )
    checked = post(client, leader, CHECK, "PLACES", tree.street, places)["checkImport"]
    assert {(e["row"], e["column"]) for e in checked["errors"]} == {(6, "类型"), (6, "是否出租")}
    fixed = sheet_bytes(
        ["场所名称", "类型", "地址", "所属楼栋", "是否出租", "所属网格"],
        [
            ["1 号楼", "楼栋", "海岸路 1 号", None, "否", "海岸一网格"],
            ["101 室", "房屋", None, "1 号楼", "是", "海岸一网格"],
        ],
    )
    for counts in ((2, 0), (0, 2)):
        job = wait(leader, post(client, leader, START, "PLACES", tree.street, fixed)["startImport"]["job"]["id"])
        assert (job["created"], job["unchanged"]) == counts
    with deployment.session_factory() as session:
        room = session.scalars(select(Place).where(Place.name == "101 室")).one()
        assert room.is_rental and room.parent_place_id is not None
        assert session.scalars(select(Household)).one().household_type == "collective"


def test_template_download_in_the_office_layout(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    kinds = worker("{ importKinds { kind name templatePath columns { header required } } }")["importKinds"]
    residents = next(k for k in kinds if k["kind"] == "RESIDENTS")
    assert residents["templatePath"] == "/imports/templates/residents.xlsx"
    assert {"header": "公民身份号码", "required": True} in residents["columns"]
    response = client.get(
        residents["templatePath"],
        params={"unit": encode_global_id("OrgUnit", tree.community)},
        headers={"Authorization": f"Bearer {worker.token}"},
    )
    assert response.status_code == 200, response.text
    sheet = active_sheet(load_workbook(BytesIO(response.content)))
    assert sheet["A1"].value == "团岛社区居民导入表" and sheet.print_title_rows == "$1:$3"
    headers = [c.value for c in sheet[3]]
    assert headers[:2] == ["姓名", "公民身份号码"] and headers[-1] == "所属网格"
    example = dict(zip(headers, (c.value for c in sheet[4]), strict=True))
    assert example["所属网格"] == "团岛一网格" and sheet.cell(4, 2).number_format == "@"
    # The template, filled with the example row, passes the dry run.
    assert post(client, worker, CHECK, "RESIDENTS", tree.community, response.content)["checkImport"]["errorCount"] == 0
    leader = sign_in("street_leader", tree.street)
    for kind in ("org_units", "households", "places"):
        filled = client.get(
            f"/imports/templates/{kind}.xlsx",
            params={"unit": encode_global_id("OrgUnit", tree.street)},
            headers={"Authorization": f"Bearer {leader.token}"},
        )
        checked = post(client, leader, CHECK, kind.upper(), tree.street, filled.content)["checkImport"]
        assert (checked["total"], checked["errors"]) == (1, []), kind
    assert (
        client.get(
            residents["templatePath"],
            params={"unit": encode_global_id("OrgUnit", tree.other_street)},
            headers={"Authorization": f"Bearer {worker.token}"},
        ).status_code
        == 403
    )


def test_progress_is_visible_while_the_job_runs(
    deployment: Deployment, tree: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.org.models import OrgUnit
    from core.spreadsheets.imports import jobs, service

    monkeypatch.setattr(jobs, "PROGRESS_EVERY_ROWS", 1)
    data = sheet_bytes(RESIDENT_HEADERS, good_rows())
    with deployment.session_factory() as session, session.begin():
        unit = session.get(OrgUnit, tree.community)
        assert unit is not None
        job = ImportJob(
            kind="residents",
            org_unit_id=unit.id,
            org_path=unit.path,
            file_name="x.xlsx",
            file_sha256=service.sha256(data),
            status="queued",
            total=0,
            processed=0,
            created=0,
            updated=0,
            unchanged=0,
        )
        session.add(job)
        session.flush()
        job_id = job.id
    seen: list[tuple[int, int, int]] = []

    def watch(done: int, _total: int) -> None:
        with deployment.session_factory() as other:
            row = other.get(ImportJob, job_id)
            assert row is not None
            seen.append((done, row.processed, service.progress_of(row)))

    finished = jobs.execute(
        deployment.write_session_factory,
        deployment.settings,
        job_id,
        data,
        actor_user_id=None,
        actor_label="test",
        on_progress=watch,
    )
    assert finished is not None and finished.status == "succeeded" and finished.processed == 3
    assert [live for _done, _stored, live in seen] == [1, 2, 3]  # in the serving process
    if deployment.engine.dialect.name == "postgresql":  # and in the job row, for every process
        assert [stored for _done, stored, _live in seen] == [1, 2, 3]
