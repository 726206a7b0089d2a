"""The yearly archive of a community (立卷归档) as one package:
``GET /documents/archive.zip?unit=<OrgUnit id>&year=2026`` returns a zip of
the files filed on the unit's archive that year, by class in folders, with
an index spreadsheet (目录) in the office layout, and the six books (六簿)
of that year as spreadsheets in their own folder. Only classes the caller
may read are included (election archives need their own permission, so a
package without it leaves them out). Refusals as every download; the
export is audited with the SHA-256 of each file.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core.api.downloads import (
    Download,
    DownloadRefused,
    _AuditContext,
    _refusal_response,
    _unit,
)
from core.audit.service import record_read
from core.auth.service import principal_from_authorization
from core.documents.archives import ARCHIVE_VIEW
from core.documents.book_export import book_workbook
from core.documents.books import book_content, catalogue_for
from core.documents.classes import document_classes_for
from core.documents.content import TYPE_NAMES
from core.documents.models import DISPOSED, Document
from core.documents.service import retain_until
from core.documents.storage import StoredFileMissing, storage_for
from core.org.models import OrgUnit
from core.policy.service import CHINA_STANDARD_TIME, local_today
from core.spreadsheets.layout import columns, new_workbook, table_sheet, workbook_bytes

INDEX_HEADERS = ("序号", "档案类别", "文件名", "文件类型", "大小（字节）", "归档日期", "保存至", "SHA-256", "包内路径")
BOOKS_FOLDER = "六簿"


def _index(unit: OrgUnit, year: int, rows: list[tuple[object, ...]], prepared_by: str) -> bytes:
    book = new_workbook()
    table_sheet(
        book,
        "卷内目录",
        f"{unit.name}{year}年卷内目录",
        columns(*INDEX_HEADERS),
        [(number, *row) for number, row in enumerate(rows, start=1)],
        org_unit=unit.name,
        period=f"{year}年",
        prepared_by=prepared_by,
    )
    return workbook_bytes(book)


def _document_row(class_name: str, document: Document, kept: str, path: str) -> tuple[object, ...]:
    return (
        class_name,
        document.filename,
        TYPE_NAMES.get(document.content_type, document.content_type),
        document.size_bytes,
        document.uploaded_at.astimezone(CHINA_STANDARD_TIME).date(),
        kept,
        document.sha256,
        path,
    )


def export_archive(request: Request) -> Response:
    deployment = request.app.state.deployment
    with deployment.write_session_factory() as session:
        try:
            principal = principal_from_authorization(session, request.headers.get("authorization"))
            if principal is None:
                raise DownloadRefused(401, "UNAUTHENTICATED", "请先登录（Authorization: Bearer 会话令牌）。")
            unit = _unit(session, request, principal, ARCHIVE_VIEW.code, None)
            download = Download(session=session, principal=principal, unit=unit, request=request)
            this_year = local_today().year
            year = download.int_param("year", this_year, low=1949, high=this_year)
            classes = document_classes_for(deployment.host)
            start = datetime(year, 1, 1, tzinfo=CHINA_STANDARD_TIME).astimezone(UTC)
            end = datetime(year + 1, 1, 1, tzinfo=CHINA_STANDARD_TIME).astimezone(UTC)
            documents = session.scalars(
                select(Document)
                .where(
                    Document.owner_type == "OrgUnit",
                    Document.owner_id == unit.id,
                    Document.status != DISPOSED,
                    Document.uploaded_at >= start,
                    Document.uploaded_at < end,
                )
                .order_by(Document.document_class, Document.id)
            ).all()
            storage = storage_for(deployment.settings)
            package = io.BytesIO()
            rows: list[tuple[object, ...]] = []
            digests: list[str] = []
            with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as archive:
                for document in documents:
                    doc_class = classes.get(document.document_class)
                    if doc_class is None or not principal.reaches(doc_class.read_permission, document.org_path):
                        continue
                    try:
                        data = storage.get(document.storage_key)
                    except StoredFileMissing:
                        raise DownloadRefused(
                            500, "FILE_MISSING", f"文件“{document.filename}”在存储中缺失，请联系管理员。"
                        ) from None
                    if hashlib.sha256(data).hexdigest() != document.sha256:
                        raise DownloadRefused(500, "FILE_CORRUPTED", f"文件“{document.filename}”与上传时的校验值不符。")
                    path = f"{doc_class.name}/{document.id}-{document.filename}"
                    archive.writestr(path, data)
                    until = retain_until(session, document, doc_class)
                    rows.append(_document_row(doc_class.name, document, until.isoformat() if until else "永久", path))
                    digests.append(f"{document.id}:{document.sha256}")
                host = deployment.host
                for code in catalogue_for(host).books:
                    content = book_content(session, host, principal, unit, year, code)
                    if content is None or not content.rows:
                        continue
                    data = workbook_bytes(book_workbook(content, unit, year, principal.display_name))
                    path = f"{BOOKS_FOLDER}/{content.book.name}.xlsx"
                    archive.writestr(path, data)
                    digest = hashlib.sha256(data).hexdigest()
                    rows.append(
                        (
                            BOOKS_FOLDER,
                            f"{content.book.name}.xlsx",
                            "Excel 表格",
                            len(data),
                            local_today(),
                            "随年度档案",
                            digest,
                            path,
                        )
                    )
                    digests.append(f"{code}:{len(content.rows)}")
                archive.writestr("卷内目录.xlsx", _index(unit, year, rows, principal.display_name))
            record_read(
                _AuditContext(session, principal, request),
                action="export:documents.archive",
                object_type="OrgUnit",
                object_id=unit.id,
                org_unit_id=unit.id,
                purpose="年度立卷归档",
                # Bounded whatever the number of files: the count and a digest of (id, SHA-256) pairs.
                detail={
                    "year": year,
                    "files": len(rows),
                    "digest": hashlib.sha256("\n".join(digests).encode()).hexdigest(),
                },
            )
            session.commit()
        except DownloadRefused as refused:
            return _refusal_response(refused)
    filename = f"{unit.name}{year}年档案.zip"
    disposition = f"attachment; filename=\"archive.zip\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        package.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


ROUTES = [Route("/documents/archive.zip", export_archive, methods=["GET"], name="download:documents.archive")]
