"""Browser download links: issued through GraphQL to a reader of the file,
signed (HMAC under the secret key), tied to the user and the file, short-lived,
refused when tampered with, expired or when the user may no longer read it,
and audited as that user's download."""

from __future__ import annotations

import json
import time

from sqlalchemy import select, update
from starlette.testclient import TestClient

from core.api.relay import decode_pk, encode_global_id
from core.api.signed_links import LinkError, read_link, sign_link
from core.app import Deployment
from core.audit.models import AuditRecord
from core.auth.models import User
from core.documents.samples import pdf_with_text
from tests.conftest import SignedIn, SignIn
from tests.documents.conftest import Tree
from tests.documents.test_documents import attached

LINK = """
mutation($id: ID!) {
  createDocumentDownloadLink(input: { documentId: $id }) { url expiresAt userErrors { field code message } }
}
"""
DATA = pdf_with_text("Tuandao community: minutes of the residents' meeting")


def file_of(client: TestClient, sign_in: SignIn, tree: Tree) -> tuple[str, SignedIn]:
    worker = sign_in("community_worker", tree.community)
    owner = encode_global_id("OrgUnit", tree.community)
    return attached(client, worker, owner, "archive.culture", "会议记录.pdf", DATA)["id"], worker


def test_a_link_opens_the_file_without_a_header_and_is_audited(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    document_id, worker = file_of(client, sign_in, tree)
    issued = worker(LINK, {"id": document_id})["createDocumentDownloadLink"]
    assert issued["userErrors"] == [] and issued["url"].startswith("/documents/link/")
    assert issued["expiresAt"]
    opened = client.get(issued["url"])
    assert opened.status_code == 200 and opened.content == DATA
    assert opened.headers["cache-control"] == "no-store"
    pk = str(decode_pk(document_id, "Document"))
    with deployment.session_factory() as session:
        reads = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "download:archive.culture", AuditRecord.object_id == pk)
        ).all()
        assert [(r.actor_user_id, json.loads(r.detail or "{}").get("via")) for r in reads] == [
            (worker.user_id, "signed_link")
        ]


def test_tampered_foreign_and_expired_links_are_refused(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    document_id, worker = file_of(client, sign_in, tree)
    url = worker(LINK, {"id": document_id})["createDocumentDownloadLink"]["url"]
    token = url.rsplit("/", 1)[1]
    body, signature = token.split(".")
    for bad in (f"{body}.{signature[:-2]}AA", f"{body[:-2]}AA.{signature}", "nonsense", "a.b.c", "x" * 300):
        answer = client.get(f"/documents/link/{bad}")
        assert answer.status_code == 403 and answer.json()["code"] == "INVALID_LINK", bad
    # Signed with another key (another deployment's secret): not valid here.
    other = deployment.settings.with_overrides(secret_key="another-deployment-secret-key-0123456789")
    foreign, _ = sign_link(other, "Document", decode_pk(document_id, "Document"), worker.user_id)
    assert client.get(f"/documents/link/{foreign}").json()["code"] == "INVALID_LINK"
    # Past its time: 410.
    pk = decode_pk(document_id, "Document")
    old, _ = sign_link(deployment.settings, "Document", pk, worker.user_id, now=time.time() - 3600)
    expired = client.get(f"/documents/link/{old}")
    assert expired.status_code == 410 and expired.json()["code"] == "LINK_EXPIRED"
    try:
        read_link(deployment.settings, old, "Document")
    except LinkError as error:
        assert error.code == "LINK_EXPIRED"
    # A link for another kind of object is not a document link.
    other_kind, _ = sign_link(deployment.settings, "Export", pk, worker.user_id)
    assert client.get(f"/documents/link/{other_kind}").json()["code"] == "INVALID_LINK"


def test_a_link_needs_the_user_to_still_read_the_file(
    deployment: Deployment, client: TestClient, tree: Tree, sign_in: SignIn
) -> None:
    document_id, worker = file_of(client, sign_in, tree)
    url = worker(LINK, {"id": document_id})["createDocumentDownloadLink"]["url"]
    # Issued to someone of another street, the link would not open this file.
    stranger = sign_in("community_worker", tree.other_street_community)
    pk = decode_pk(document_id, "Document")
    theirs, _ = sign_link(deployment.settings, "Document", pk, stranger.user_id)
    assert client.get(f"/documents/link/{theirs}").status_code == 404
    # An account switched off: its links stop working.
    with deployment.session_factory() as session, session.begin():
        session.execute(update(User).where(User.id == worker.user_id).values(is_active=False))
    assert client.get(url).json()["code"] == "INVALID_LINK"


def test_only_a_reader_of_the_file_gets_a_link(client: TestClient, tree: Tree, sign_in: SignIn) -> None:
    document_id, _worker = file_of(client, sign_in, tree)
    stranger = sign_in("community_worker", tree.other_street_community)
    refused = stranger(LINK, {"id": document_id})["createDocumentDownloadLink"]
    assert refused["url"] is None and [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    assert refused["userErrors"][0]["field"] == "documentId"
