"""The six books (六簿) generated from the records (``register_archive_books``),
exported as office spreadsheets and put into the yearly archive package;
archive handovers between custodians, confirmed by both sides."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.documents.books import (
    ArchiveBook,
    ArchiveBookError,
    BookSource,
    build_catalogue,
)
from core.hookspecs import hookimpl
from core.org import service as org_service
from core.plugin_host import PluginHost, _new_manager
from core.policy.service import local_today
from core.testing import active_sheet
from tests.conftest import SignedIn, SignIn
from tests.seals.test_seals import APPLY, APPROVE, REGISTER, STAMP, _make_chair


@pytest.fixture
def storage_settings(tmp_path: Any) -> dict[str, Any]:
    """Books and handovers store no file: the directory storage is enough."""
    return {"documents_storage": "local", "documents_path": str(tmp_path / "documents")}


BOOKS = (
    "query($u: ID!, $y: Int) { archiveBooks(orgUnitId: $u, year: $y) { code name sources entryCount downloadPath } }"
)
RECORD = """
mutation($input: RecordArchiveHandoverInput!) {
  recordArchiveHandover(input: $input) {
    handover { id status statusName fromName toName handedOverOn items { kind kindName code title quantity } }
    userErrors { field code message }
  }
}
"""
CONFIRM = """
mutation($input: ConfirmArchiveHandoverInput!) {
  confirmArchiveHandover(input: $input) { handover { id status fromConfirmedAt toConfirmedAt } userErrors { field code } }
}
"""


def _community(deployment: Deployment, root_unit: int, name: str = "团岛社区") -> int:
    with deployment.session_factory() as session, session.begin():
        return org_service.create_unit(
            session, deployment.settings, name=name, level="community", parent_id=root_unit
        ).id


def _stamped_use(deployment: Deployment, community: int, worker: SignedIn, chair: SignedIn) -> str:
    unit = encode_global_id("OrgUnit", community)
    seal = chair(REGISTER, {"input": {"orgUnitId": unit, "name": "团岛社区居委会", "custodianPost": "chair"}})[
        "registerSeal"
    ]["seal"]
    use = worker(APPLY, {"input": {"sealId": seal["id"], "purpose": "出具居住证明", "documentTitle": "居住证明"}})
    use_id = use["applySealUse"]["sealUse"]["id"]
    chair(APPROVE, {"input": {"id": use_id}})
    _make_chair(deployment, community, chair.user_id)
    assert chair(STAMP, {"input": {"id": use_id}})["recordSealStamp"]["userErrors"] == []
    return str(seal["id"])


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    return list(active_sheet(load_workbook(io.BytesIO(content))).iter_rows(values_only=True))


def test_the_seal_use_register_is_generated_exported_and_archived(
    deployment: Deployment, root_unit: int, sign_in: SignIn, client: TestClient
) -> None:
    community = _community(deployment, root_unit)
    worker, chair = sign_in("community_worker", community), sign_in("committee_chair", community)
    _stamped_use(deployment, community, worker, chair)
    unit = encode_global_id("OrgUnit", community)
    books = {b["code"]: b for b in chair(BOOKS, {"u": unit})["archiveBooks"]}
    # Core's own sources: meetings, households, stamped seal uses.
    assert {"meeting_minutes", "residents_register", "seal_use_register"} <= set(books)
    register = books["seal_use_register"]
    assert (register["name"], register["entryCount"], register["sources"]) == ("用章登记簿", 1, ["印章管理：已用印"])
    auth = {"Authorization": f"Bearer {chair.token}"}
    response = client.get(register["downloadPath"], headers=auth)
    assert response.status_code == 200, response.text
    rows = _sheet(response.content)
    assert rows[0][0] == f"团岛社区用章登记簿（{local_today().year}年）"
    assert rows[2][:4] == ("用印日期", "印章", "用印事由", "文件名称")
    assert rows[3][1:5] == ("团岛社区居委会", "出具居住证明", "居住证明", 1)
    assert rows[3][0].date() == local_today()  # a real date cell
    # Refusals: an unknown book, a year out of range, someone of another street, nobody signed in.
    assert client.get(f"/documents/books/phone_log.xlsx?unit={unit}", headers=auth).status_code == 404
    assert client.get(f"/documents/books/seal_use_register.xlsx?unit={unit}&year=1900", headers=auth).status_code == 400
    stranger = sign_in("committee_chair", _community(deployment, root_unit, "八大关社区"))
    stranger_auth = {"Authorization": f"Bearer {stranger.token}"}
    assert client.get(register["downloadPath"], headers=stranger_auth).status_code == 403
    assert client.get(register["downloadPath"]).status_code == 401
    # The yearly package holds the books with entries, listed in the index.
    package = client.get(f"/documents/archive.zip?unit={unit}", headers=auth)
    assert package.status_code == 200
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        assert "六簿/用章登记簿.xlsx" in archive.namelist()
        assert _sheet(archive.read("六簿/用章登记簿.xlsx"))[3][2] == "出具居住证明"
        index = _sheet(archive.read("卷内目录.xlsx"))
    assert any(row[1] == "六簿" and row[2] == "用章登记簿.xlsx" for row in index[3:])
    with deployment.session_factory() as session:
        actions = session.scalars(select(AuditRecord.action).where(AuditRecord.action.like("export:documents.%"))).all()
    assert "export:documents.book" in actions and "export:documents.archive" in actions


def test_the_minutes_book_comes_from_core_meetings(deployment: Deployment, root_unit: int, sign_in: SignIn) -> None:
    from core.meetings import service as meetings
    from core.meetings.builtin import ASSEMBLY_KIND
    from tests.meetings.helpers import HELD_ON, TODAY, make_assembly

    with deployment.session_factory() as session, session.begin():
        assembly = make_assembly(session, deployment.settings, root_unit, representatives=3)
        unit = org_service.get_unit(session, assembly.community)
        meeting = meetings.create_meeting(
            session,
            ASSEMBLY_KIND,
            unit,
            title="上半年成员代表大会",
            held_on=HELD_ON,
            notice_on=date(2026, 6, 15),
            today=TODAY,
        )
        meetings.record_minutes(session, meeting, "审议通过经费使用计划。", today=TODAY)
    chair = sign_in("committee_chair", assembly.community)
    books = {
        b["code"]: b
        for b in chair(BOOKS, {"u": encode_global_id("OrgUnit", assembly.community), "y": HELD_ON.year})["archiveBooks"]
    }
    assert books["meeting_minutes"]["entryCount"] == 1
    # Without the archive permission there are no books at all.
    grid_worker = sign_in("grid_worker", assembly.community)
    refused = grid_worker(BOOKS, {"u": encode_global_id("OrgUnit", assembly.community)}, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def _host(*items: Any) -> PluginHost:
    manager = _new_manager()
    manager.register(SimpleNamespace(register_archive_books=hookimpl(lambda: list(items))), name="volunteer")
    return PluginHost(manager=manager, enabled=("volunteer",))


def test_book_declarations_are_checked() -> None:
    book = ArchiveBook("volunteer.hours", "志愿服务登记簿", ("日期", "内容"))
    source = BookSource("volunteer.hours", "志愿服务", "volunteer.view", lambda *_: [])
    found = build_catalogue(_host(book, source))
    assert found.books["volunteer.hours"] == book and found.sources["volunteer.hours"][0].plugin == "volunteer"
    with pytest.raises(ArchiveBookError, match="must start with 'volunteer.'"):
        build_catalogue(_host(ArchiveBook("hours", "簿", ("日期",))))
    with pytest.raises(ArchiveBookError, match="unknown book 'phone_log'"):
        build_catalogue(_host(BookSource("phone_log", "电话", "volunteer.view", lambda *_: [])))


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["recordArchiveHandover"]["userErrors"]]


def test_a_handover_is_drawn_up_and_confirmed_by_both_sides(
    deployment: Deployment, root_unit: int, sign_in: SignIn
) -> None:
    community = _community(deployment, root_unit)
    outgoing, incoming = sign_in("community_worker", community), sign_in("committee_chair", community)
    seal_id = _stamped_use(deployment, community, outgoing, incoming)
    resident = sign_in("resident", community)
    stranger = sign_in("community_worker", _community(deployment, root_unit, "八大关社区"))
    today = local_today()
    items = [
        {"kind": "archive_file", "code": "archive.culture", "quantity": 3},
        {"kind": "book", "code": "seal_use_register"},
        {"kind": "seal", "sealId": seal_id},
        {"kind": "other", "title": "档案柜钥匙", "quantity": 2},
    ]
    base = {
        "orgUnitId": encode_global_id("OrgUnit", community),
        "fromUserId": encode_global_id("User", outgoing.user_id),
        "toUserId": encode_global_id("User", incoming.user_id),
        "handedOverOn": today.isoformat(),
        "items": items,
    }
    assert _codes(outgoing(RECORD, {"input": {**base, "toUserId": base["fromUserId"]}})) == ["SAME_PERSON"]
    assert _codes(outgoing(RECORD, {"input": {**base, "items": []}})) == ["ITEMS_REQUIRED"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert _codes(outgoing(RECORD, {"input": {**base, "handedOverOn": tomorrow}})) == ["DATE_IN_FUTURE"]
    bad = [
        {"kind": "archive_file", "code": "archive.nothing"},
        {"kind": "book", "code": "phone_log"},
        {"kind": "box"},
        {"kind": "other"},
    ]
    assert _codes(outgoing(RECORD, {"input": {**base, "items": bad}})) == [
        "UNKNOWN_CLASS",
        "UNKNOWN_BOOK",
        "UNKNOWN_KIND",
        "TITLE_REQUIRED",
    ]
    assert _codes(resident(RECORD, {"input": base})) in (["FORBIDDEN"], ["NOT_FOUND"])
    assert _codes(stranger(RECORD, {"input": base})) in (["FORBIDDEN"], ["NOT_FOUND"])
    made = outgoing(RECORD, {"input": {**base, "note": "调岗交接"}})["recordArchiveHandover"]
    assert made["userErrors"] == []
    handover = made["handover"]
    assert handover["status"] == "pending" and handover["fromName"] == outgoing.username
    assert [(i["kind"], i["title"], i["quantity"]) for i in handover["items"]] == [
        ("archive_file", "文化工作档", 3),
        ("book", "用章登记簿", 1),
        ("seal", "团岛社区居委会", 1),
        ("other", "档案柜钥匙", 2),
    ]
    confirm = {"input": {"id": handover["id"]}}
    other_worker = sign_in("community_worker", community)
    assert [e["code"] for e in other_worker(CONFIRM, confirm)["confirmArchiveHandover"]["userErrors"]] == [
        "NOT_A_PARTY"
    ]
    first = outgoing(CONFIRM, confirm)["confirmArchiveHandover"]["handover"]
    assert first["status"] == "pending" and first["fromConfirmedAt"] and first["toConfirmedAt"] is None
    assert [e["code"] for e in outgoing(CONFIRM, confirm)["confirmArchiveHandover"]["userErrors"]] == [
        "ALREADY_CONFIRMED"
    ]
    assert incoming(CONFIRM, confirm)["confirmArchiveHandover"]["handover"]["status"] == "confirmed"
    with deployment.session_factory() as session:
        audited = session.scalars(
            select(AuditRecord.action).where(AuditRecord.object_type == "ArchiveHandover").order_by(AuditRecord.id)
        ).all()
    assert len(audited) >= 3
