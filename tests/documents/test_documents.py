"""Files attached to records: multipart upload, type by content, size and
count limits, scope, audited downloads with the SHA-256 checked, election
archives kept apart, retention and approved disposal — on both storages."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from starlette.testclient import TestClient

from core.api.relay import decode_pk, encode_global_id
from core.app import Deployment
from core.audit.models import AuditRecord
from core.documents.models import DISPOSED, Document
from core.documents.samples import pdf_with_text, png
from core.documents.storage import storage_for
from core.testing import active_sheet
from tests.conftest import SignedIn, SignIn
from tests.documents.conftest import Tree

ATTACH = """
mutation($input: AttachDocumentInput!) {
  attachDocument(input: $input) {
    document { id documentClass filename contentType sizeBytes sha256 status downloadPath retainUntil ownerId }
    userErrors { field code message }
  }
}
"""
REQUEST_DISPOSAL = """
mutation($input: RequestDocumentDisposalInput!) {
  requestDocumentDisposal(input: $input) { document { id status } userErrors { field code message } }
}
"""
APPROVE_DISPOSAL = """
mutation($input: ApproveDocumentDisposalInput!) {
  approveDocumentDisposal(input: $input) { document { id status downloadPath } userErrors { field code message } }
}
"""


def upload(
    client: TestClient, who: SignedIn | None, owner_id: str, document_class: str, filename: str, data: bytes
) -> Any:
    """``attachDocument`` as a GraphQL multipart request."""
    operations = {
        "query": ATTACH,
        "variables": {"input": {"ownerId": owner_id, "documentClass": document_class, "file": None}},
    }
    headers = {"Authorization": f"Bearer {who.token}"} if who else {}
    return client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.file"]})},
        files={"0": (filename, data, "application/octet-stream")},
        headers=headers,
    )


def attached(
    client: TestClient, who: SignedIn, owner_id: str, document_class: str, filename: str, data: bytes
) -> dict[str, Any]:
    response = upload(client, who, owner_id, document_class, filename, data)
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["attachDocument"]
    assert payload["userErrors"] == [], payload
    return payload["document"]


def refused(
    client: TestClient, who: SignedIn, owner_id: str, document_class: str, filename: str, data: bytes
) -> list[str]:
    response = upload(client, who, owner_id, document_class, filename, data)
    assert response.status_code == 200, response.text
    payload = response.json()["data"]["attachDocument"]
    assert payload["document"] is None
    return [e["code"] for e in payload["userErrors"]]


def count_documents(deployment: Deployment) -> int:
    with deployment.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(Document)) or 0)


def test_upload_download_checked_and_audited(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    data = pdf_with_text("Tuandao community: summer culture evening plan")
    document = attached(
        client, worker, encode_global_id("OrgUnit", tree.community), "archive.culture", "计划.pdf", data
    )
    assert document["contentType"] == "application/pdf"
    assert document["sha256"] == hashlib.sha256(data).hexdigest()
    assert document["sizeBytes"] == len(data)
    assert document["retainUntil"] is None  # the ten files are kept for good unless policy says otherwise
    with deployment.session_factory() as session:
        row = session.get(Document, decode_pk(document["id"], "Document"))
        assert row is not None
        assert row.org_path.endswith(f"{tree.community}/") or row.org_unit_id == tree.community
        assert storage_for(deployment.settings).exists(row.storage_key)
    download = client.get(document["downloadPath"], headers={"Authorization": f"Bearer {worker.token}"})
    assert download.status_code == 200
    assert download.content == data
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["x-content-type-options"] == "nosniff"
    with deployment.session_factory() as session:
        reads = session.scalars(select(AuditRecord).where(AuditRecord.action == "download:archive.culture")).all()
        assert [(r.object_type, r.object_id, r.actor_user_id) for r in reads] == [
            ("Document", str(decode_pk(document["id"], "Document")), worker.user_id)
        ]
    # Not signed in: 401, and nothing is audited as read.
    assert client.get(document["downloadPath"]).status_code == 401


def test_listed_and_resolved_as_node(client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    worker = sign_in("community_worker", tree.community)
    owner = encode_global_id("OrgUnit", tree.community)
    document = attached(client, worker, owner, "archive.plans_summaries", "note.txt", "年度工作总结".encode())
    assert document["contentType"] == "text/plain"
    listed = worker("query($o: ID!) { documents(ownerId: $o) { id className filename } }", {"o": owner})["documents"]
    assert listed == [{"id": document["id"], "className": "计划总结档", "filename": "note.txt"}]
    node = worker("query($id: ID!) { node(id: $id) { __typename ... on Document { sha256 } } }", {"id": document["id"]})
    assert node["node"] == {"__typename": "Document", "sha256": document["sha256"]}


def test_type_is_told_by_content_not_name(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    worker = sign_in("community_worker", tree.community)
    owner = encode_global_id("OrgUnit", tree.community)
    # A Windows executable named like a PDF.
    assert refused(
        client, worker, owner, "archive.culture", "invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + bytes(200)
    ) == ["UNSUPPORTED_FILE_TYPE"]
    # A real PNG named .txt is a PNG.
    document = attached(client, worker, owner, "archive.culture", "photo.txt", png())
    assert document["contentType"] == "image/png"
    assert count_documents(deployment) == 1


def test_file_sent_as_json_is_refused(client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    worker = sign_in("community_worker", tree.community)
    payload = worker(
        ATTACH,
        {
            "input": {
                "ownerId": encode_global_id("OrgUnit", tree.community),
                "documentClass": "archive.culture",
                "file": "JVBERi0=",
            }
        },
    )
    assert [e["code"] for e in payload["attachDocument"]["userErrors"]] == ["FILE_REQUIRED"]


def test_out_of_scope_and_unknown_class(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    owner = encode_global_id("OrgUnit", tree.community)
    stranger = sign_in("community_worker", tree.other_street_community)
    assert refused(client, stranger, owner, "archive.culture", "a.pdf", pdf_with_text("x")) == ["FORBIDDEN"]
    worker = sign_in("community_worker", tree.community)
    assert refused(client, worker, owner, "finance.nothing", "a.pdf", pdf_with_text("x")) == ["UNKNOWN_DOCUMENT_CLASS"]
    document = attached(client, worker, owner, "archive.culture", "a.pdf", pdf_with_text("x"))
    # Another street's worker gets the same 404 as for a file that does not exist.
    other = client.get(document["downloadPath"], headers={"Authorization": f"Bearer {stranger.token}"})
    missing = client.get(
        "/documents/" + encode_global_id("Document", 2_000_000_000),
        headers={"Authorization": f"Bearer {stranger.token}"},
    )
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert stranger("query($id: ID!) { node(id: $id) { id } }", {"id": document["id"]})["node"] is None
    assert count_documents(deployment) == 1


def test_election_archive_kept_apart(client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    owner = encode_global_id("OrgUnit", tree.community)
    worker = sign_in("community_worker", tree.community)
    chair = sign_in("committee_chair", tree.community)
    assert refused(client, worker, owner, "archive.election", "ballots.pdf", pdf_with_text("ballots")) == ["FORBIDDEN"]
    document = attached(client, chair, owner, "archive.election", "ballots.pdf", pdf_with_text("ballots"))
    assert worker("query($o: ID!) { documents(ownerId: $o) { id } }", {"o": owner})["documents"] == []
    denied = client.get(document["downloadPath"], headers={"Authorization": f"Bearer {worker.token}"})
    assert denied.status_code == 404


def test_request_over_the_upload_limit_is_refused(deployment: Deployment, tree: Tree, sign_in: SignIn) -> None:
    from core.app import create_app

    small = Deployment.__new__(Deployment)
    small.__dict__.update(deployment.__dict__)
    small.settings = deployment.settings.with_overrides(documents_max_request_bytes=2000)
    with TestClient(create_app(deployment=small)) as client:
        worker = sign_in("community_worker", tree.community)
        response = upload(
            client,
            worker,
            encode_global_id("OrgUnit", tree.community),
            "archive.culture",
            "big.pdf",
            b"%PDF-" + bytes(5000),
        )
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert count_documents(deployment) == 0


def test_multipart_without_map_is_a_bad_request(client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    worker = sign_in("community_worker", tree.community)
    operations = {
        "query": ATTACH,
        "variables": {"input": {"ownerId": "x", "documentClass": "archive.culture", "file": None}},
    }
    response = client.post(
        "/graphql",
        data={"operations": json.dumps(operations)},
        files={"0": ("a.pdf", b"%PDF-1.4", "application/pdf")},
        headers={"Authorization": f"Bearer {worker.token}"},
    )
    assert response.status_code == 400
    # A path that does not point at a null in the operations.
    response = client.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.input.documentClass"]})},
        files={"0": ("a.pdf", b"%PDF-1.4", "application/pdf")},
        headers={"Authorization": f"Bearer {worker.token}"},
    )
    assert response.status_code == 400


def _age(deployment: Deployment, global_id: str, years: int) -> None:
    with deployment.session_factory() as session, session.begin():
        row = session.get(Document, decode_pk(global_id, "Document"))
        assert row is not None
        row.uploaded_at = row.uploaded_at - timedelta(days=366 * years)


def test_retention_and_approved_disposal(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    owner = encode_global_id("OrgUnit", tree.community)
    worker = sign_in("community_worker", tree.community)
    chair = sign_in("committee_chair", tree.community)
    leader = sign_in("street_leader", tree.street)
    zongzhi = attached(client, worker, owner, "archive.public_security", "调解记录.pdf", pdf_with_text("mediation log"))
    culture = attached(client, worker, owner, "archive.culture", "a.pdf", pdf_with_text("culture"))
    assert zongzhi["retainUntil"] is not None  # 综治 materials: kept two years (seed 000)

    def codes(who: SignedIn, query: str, input: dict[str, Any], name: str) -> list[str]:
        return [e["code"] for e in who(query, {"input": input})[name]["userErrors"]]

    asked = {"id": zongzhi["id"], "reason": "保存期满"}
    assert codes(chair, REQUEST_DISPOSAL, asked, "requestDocumentDisposal") == ["RETENTION_NOT_OVER"]
    assert codes(chair, REQUEST_DISPOSAL, {"id": culture["id"], "reason": "x"}, "requestDocumentDisposal") == [
        "KEPT_PERMANENTLY"
    ]
    _age(deployment, zongzhi["id"], 3)
    assert codes(worker, REQUEST_DISPOSAL, asked, "requestDocumentDisposal") == ["FORBIDDEN"]
    assert codes(chair, REQUEST_DISPOSAL, asked, "requestDocumentDisposal") == []
    # Nothing is deleted on the request alone.
    with deployment.session_factory() as session:
        row = session.get(Document, decode_pk(zongzhi["id"], "Document"))
        assert row is not None
        key = row.storage_key
    assert storage_for(deployment.settings).exists(key)
    assert codes(chair, APPROVE_DISPOSAL, {"id": zongzhi["id"]}, "approveDocumentDisposal") == ["FORBIDDEN"]
    assert codes(leader, APPROVE_DISPOSAL, {"id": zongzhi["id"]}, "approveDocumentDisposal") == []
    assert not storage_for(deployment.settings).exists(key)
    with deployment.session_factory() as session:
        row = session.get(Document, decode_pk(zongzhi["id"], "Document"))
        assert row is not None and row.status == DISPOSED and row.disposed_by_id == leader.user_id
        actions = session.scalars(
            select(AuditRecord.action).where(
                AuditRecord.object_type == "Document",
                AuditRecord.object_id == str(row.id),
                AuditRecord.outcome == "success",
            )
        ).all()
    assert "mutation:approveDocumentDisposal" in actions and "mutation:requestDocumentDisposal" in actions
    gone = client.get(zongzhi["downloadPath"], headers={"Authorization": f"Bearer {chair.token}"})
    assert gone.status_code == 410


def test_yearly_archive_export(deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    import io
    import zipfile

    from openpyxl import load_workbook

    owner = encode_global_id("OrgUnit", tree.community)
    worker = sign_in("community_worker", tree.community)
    chair = sign_in("committee_chair", tree.community)
    plan = pdf_with_text("plan")
    attached(client, worker, owner, "archive.plans_summaries", "计划.pdf", plan)
    attached(client, chair, owner, "archive.election", "选票.pdf", pdf_with_text("ballots"))
    url = f"/documents/archive.zip?unit={owner}"
    response = client.get(url, headers={"Authorization": f"Bearer {worker.token}"})
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        names = package.namelist()
        # Election archives are kept apart: not in a package of someone without their permission.
        assert len(names) == 2 and "卷内目录.xlsx" in names
        pdf_name = next(n for n in names if n != "卷内目录.xlsx")
        assert pdf_name.startswith("计划总结档/") and pdf_name.endswith("计划.pdf")
        assert package.read(pdf_name) == plan
        sheet = active_sheet(load_workbook(io.BytesIO(package.read("卷内目录.xlsx"))))
        rows = list(sheet.iter_rows(values_only=True))
    body = [r for r in rows if isinstance(r[0], int)]
    assert rows[2][0] == "序号" and len(body) == 1 and rows[-1][0] == f"制表人：{worker.username}"
    assert body[0][1] == "计划总结档" and body[0][7] == hashlib.sha256(plan).hexdigest()
    with_election = client.get(url, headers={"Authorization": f"Bearer {chair.token}"})
    with zipfile.ZipFile(io.BytesIO(with_election.content)) as package:
        assert any(n.startswith("换届选举档案/") for n in package.namelist())
    stranger = sign_in("community_worker", tree.other_street_community)
    assert client.get(url, headers={"Authorization": f"Bearer {stranger.token}"}).status_code == 403
    assert client.get(url + "&year=1900", headers={"Authorization": f"Bearer {worker.token}"}).status_code == 400
    with deployment.session_factory() as session:
        exports = session.scalars(select(AuditRecord).where(AuditRecord.action == "export:documents.archive")).all()
    assert [r.actor_user_id for r in exports] == [worker.user_id, chair.user_id]


def test_multipart_operations_pass_the_input_checks(client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    worker = sign_in("community_worker", tree.community)
    owner = encode_global_id("OrgUnit", tree.community)
    response = upload(client, worker, owner, "archive.\u0000culture", "a.pdf", pdf_with_text("x"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "INVALID_TEXT"
