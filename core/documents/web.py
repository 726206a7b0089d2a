"""``GET /documents/<Document id>``: the file, to a signed-in caller who may
read its class where its record is; ``GET /documents/link/<token>``: the
same through a short-lived signed link issued by
``createDocumentDownloadLink`` (``core.api.signed_links``), for a browser
that cannot send a header, as the user it was issued to, who must still be
active and still may read it; ``GET /documents/public/<Document id>``:
a public file (a notice's attachment) while its record is shown to everyone
(the notice is on the board), without sign-in. Every download is audited.

A sibling of ``core.api.downloads.download_route`` with the same sign-in,
refusals (JSON ``{code, message}``) and audit. A file of another street and
a file that does not exist are the same 404. The stored bytes are checked
against the SHA-256 recorded at upload before anything is sent.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.api.downloads import DownloadRefused, _AuditContext, _refusal_response
from core.api.relay import MAX_INTEGER_PK, decode_pk
from core.api.signed_links import LinkError, read_link
from core.audit.service import record_read
from core.auth.service import principal_for_user, principal_from_authorization
from core.documents.classes import DocumentClass, document_classes_for
from core.documents.models import DISPOSED, Document
from core.documents.storage import StoredFileMissing, storage_for

NOT_FOUND = DownloadRefused(404, "NOT_FOUND", "没有这个文件，或您无权查看。")


def _document(session: Session, request: Request) -> tuple[Document, DocumentClass]:
    try:
        pk = decode_pk(request.path_params["id"], "Document", field="id")
    except Exception:
        raise NOT_FOUND from None
    document = session.get(Document, pk) if 0 <= pk <= MAX_INTEGER_PK else None
    doc_class = (
        document_classes_for(request.app.state.deployment.host).get(document.document_class) if document else None
    )
    if document is None or doc_class is None:
        raise NOT_FOUND
    return document, doc_class


def _serve(session: Session, request: Request, document: Document, user: Any, *, via: str | None = None) -> Response:
    if document.status == DISPOSED:
        raise DownloadRefused(410, "DISPOSED", "该文件已按保存期限批准销毁。")
    try:
        data = storage_for(request.app.state.deployment.settings).get(document.storage_key)
    except StoredFileMissing:
        raise DownloadRefused(500, "FILE_MISSING", "文件在存储中缺失，请联系管理员。") from None
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise DownloadRefused(500, "FILE_CORRUPTED", "文件内容与上传时的校验值不符，请联系管理员。")
    record_read(
        _AuditContext(session, user, request),  # user None: an anonymous reader of the board
        action=f"download:{document.document_class}",
        object_type="Document",
        object_id=document.id,
        org_unit_id=document.org_unit_id,
        purpose="下载附件",
        detail={
            "sha256": document.sha256,
            "owner": f"{document.owner_type}:{document.owner_id}",
            **({"via": via} if via else {}),
        },
    )
    session.commit()
    disposition = f"attachment; filename=\"document\"; filename*=UTF-8''{quote(document.filename)}"
    return Response(
        data,
        media_type=document.content_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


def download_document(request: Request) -> Response:
    with request.app.state.deployment.write_session_factory() as session:
        try:
            principal = principal_from_authorization(session, request.headers.get("authorization"))
            if principal is None:
                raise DownloadRefused(401, "UNAUTHENTICATED", "请先登录（Authorization: Bearer 会话令牌）。")
            document, doc_class = _document(session, request)
            if not principal.reaches(doc_class.read_permission, document.org_path):
                raise NOT_FOUND
            return _serve(session, request, document, principal)
        except DownloadRefused as refused:
            return _refusal_response(refused)


LINK_REFUSALS = {
    "INVALID_LINK": DownloadRefused(403, "INVALID_LINK", "下载链接无效。"),
    "LINK_EXPIRED": DownloadRefused(410, "LINK_EXPIRED", "下载链接已过期，请重新获取。"),
}


def download_by_link(request: Request) -> Response:
    deployment = request.app.state.deployment
    with deployment.write_session_factory() as session:
        try:
            try:
                link = read_link(deployment.settings, request.path_params["token"], "Document")
            except LinkError as error:
                raise LINK_REFUSALS[error.code] from None
            principal = principal_for_user(session, link.user_id)
            if principal is None:
                raise LINK_REFUSALS["INVALID_LINK"]
            document = session.get(Document, link.object_pk)
            doc_class = document_classes_for(deployment.host).get(document.document_class) if document else None
            if (
                document is None
                or doc_class is None
                or not principal.reaches(doc_class.read_permission, document.org_path)
            ):
                raise NOT_FOUND
            return _serve(session, request, document, principal, via="signed_link")
        except DownloadRefused as refused:
            return _refusal_response(refused)


def download_public_document(request: Request) -> Response:
    with request.app.state.deployment.write_session_factory() as session:
        try:
            document, doc_class = _document(session, request)
            shown = doc_class.shown_publicly
            if not doc_class.public or shown is None or not shown(session, document.owner_id):
                raise NOT_FOUND
            return _serve(session, request, document, None)
        except DownloadRefused as refused:
            return _refusal_response(refused)


PUBLIC_PREFIX = "/documents/public/"
LINK_PREFIX = "/documents/link/"
ROUTES = [
    Route(PUBLIC_PREFIX + "{id}", download_public_document, methods=["GET"], name="download:public_document"),
    Route(LINK_PREFIX + "{token}", download_by_link, methods=["GET"], name="download:document_link"),
    Route("/documents/{id}", download_document, methods=["GET"], name="download:document"),
]
