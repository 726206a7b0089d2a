"""``GET /documents/<Document id>``: the file, to a signed-in caller who may
read its class where its record is; every download is audited.

A sibling of ``core.api.downloads.download_route`` with the same sign-in,
refusals (JSON ``{code, message}``) and audit. A file of another street and
a file that does not exist are the same 404. The stored bytes are checked
against the SHA-256 recorded at upload before anything is sent.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.api.downloads import DownloadRefused, _AuditContext, _refusal_response
from core.api.relay import decode_pk
from core.audit.service import record_read
from core.auth.service import principal_from_authorization
from core.documents.classes import document_classes_for
from core.documents.models import DISPOSED, Document
from core.documents.storage import StoredFileMissing, storage_for

NOT_FOUND = DownloadRefused(404, "NOT_FOUND", "没有这个文件，或您无权查看。")


def download_document(request: Request) -> Response:
    deployment = request.app.state.deployment
    with deployment.write_session_factory() as session:
        try:
            principal = principal_from_authorization(session, request.headers.get("authorization"))
            if principal is None:
                raise DownloadRefused(401, "UNAUTHENTICATED", "请先登录（Authorization: Bearer 会话令牌）。")
            try:
                pk = decode_pk(request.path_params["id"], "Document", field="id")
            except Exception:  # noqa: BLE001 - any malformed ID is plainly "no such file"
                raise NOT_FOUND from None
            document = session.get(Document, pk) if 0 <= pk < 2**31 else None
            doc_class = document_classes_for(deployment.host).get(document.document_class) if document else None
            if document is None or doc_class is None or not principal.reaches(doc_class.read_permission, document.org_path):
                raise NOT_FOUND
            if document.status == DISPOSED:
                raise DownloadRefused(410, "DISPOSED", "该文件已按保存期限批准销毁。")
            try:
                data = storage_for(deployment.settings).get(document.storage_key)
            except StoredFileMissing:
                raise DownloadRefused(500, "FILE_MISSING", "文件在存储中缺失，请联系管理员。") from None
            if hashlib.sha256(data).hexdigest() != document.sha256:
                raise DownloadRefused(500, "FILE_CORRUPTED", "文件内容与上传时的校验值不符，请联系管理员。")
            record_read(
                _AuditContext(session, principal, request),
                action=f"download:{document.document_class}",
                object_type="Document",
                object_id=document.id,
                org_unit_id=document.org_unit_id,
                purpose="下载附件",
                detail={"sha256": document.sha256, "owner": f"{document.owner_type}:{document.owner_id}"},
            )
            session.commit()
        except DownloadRefused as refused:
            return _refusal_response(refused)
    disposition = f"attachment; filename=\"document\"; filename*=UTF-8''{quote(document.filename)}"
    return Response(
        data,
        media_type=document.content_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )


ROUTES = [Route("/documents/{id}", download_document, methods=["GET"], name="download:document")]
