"""GraphQL for attached documents.

Files are uploaded with ``attachDocument`` as a multipart request (the
GraphQL multipart request specification, ``core.api.multipart``) and read
with ``GET /documents/<id>`` (``core.documents.web``), which is audited.
``documents(ownerId:)`` lists a record's files the caller may read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import strawberry
from sqlalchemy import select
from strawberry.file_uploads import Upload

from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for
from core.api.mutations import atomic
from core.api.relay import Node, decode_global_id, encode_global_id, model_type
from core.api.rows import row_as, rows_as
from core.api.signed_links import sign_link
from core.auth.permissions import principal_of, registry_for_context, require_signed_in
from core.documents import service
from core.documents.classes import DocumentClassRegistry, document_classes_for_context
from core.documents.content import TYPE_NAMES
from core.documents.enums import DocumentStatus
from core.documents.models import DISPOSED, STATUS_NAMES, Document
from core.documents.storage import storage_for

DOWNLOAD_PREFIX = "/documents/"
LINK_PREFIX = DOWNLOAD_PREFIX + "link/"


def _classes(context: RequestContext) -> DocumentClassRegistry:
    return document_classes_for_context(context)


def readable(context: RequestContext, rows: Sequence[Document]) -> list[Document]:
    """The rows whose class's read permission the caller holds where they are."""
    principal = principal_of(context)
    if principal is None:
        return []
    classes = _classes(context)
    found = []
    for row in rows:
        doc_class = classes.get(row.document_class)
        if doc_class is not None and principal.reaches(doc_class.read_permission, row.org_path):
            found.append(row)
    return found


def load_documents(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)``: files the caller may read (their class's read permission)."""
    if not pks:
        return {}
    rows = list(context.session.scalars(select(Document).where(Document.id.in_(pks))))
    return {row.id: row for row in readable(context, rows)}


@model_type(
    Document,
    name="Document",
    description="记录所附的文件（发票扫描件、档案文件……）；读取权限由文件类别决定，与所属记录同一范围。",
)
class DocumentType(Node):
    document_class: str = strawberry.field(description="文件类别代码（见 documentClasses），如 finance.voucher_scan。")
    filename: str = strawberry.field(description="上传时的文件名（仅供识别，类型以内容为准）。")
    content_type: str = strawberry.field(description="按内容判定的文件类型（MIME）。")
    size_bytes: int = strawberry.field(description="大小（字节）。")
    sha256: str = strawberry.field(description="文件内容的 SHA-256（十六进制）。")
    uploaded_at: datetime = strawberry.field(description="上传时间。")
    status: str = strawberry.field(
        description="状态：kept（保存中）、disposal_requested（已申请销毁）、disposed（已销毁）。",
        deprecation_reason="改用 retentionStatus（枚举）。",
    )

    @strawberry.field(description="保存状态。")
    def retention_status(self) -> DocumentStatus:
        return DocumentStatus(self.status)

    disposal_reason: str | None = strawberry.field(description="销毁理由。")
    disposed_at: datetime | None = strawberry.field(description="销毁时间。")

    @strawberry.field(description="文件类别名称。")
    def class_name(self, info: strawberry.Info) -> str:
        found = _classes(info.context).get(self.document_class)
        return found.name if found else self.document_class

    @strawberry.field(description="文件类型名称。")
    def content_type_name(self, root: Document) -> str:
        return TYPE_NAMES.get(root.content_type, root.content_type)

    @strawberry.field(description="状态的中文名称。")
    def status_name(self, root: Document) -> str:
        return STATUS_NAMES[root.status]

    @strawberry.field(description="所属记录的全局 ID。")
    def owner_id(self, root: Document) -> strawberry.ID:
        return strawberry.ID(encode_global_id(root.owner_type, root.owner_id))

    @strawberry.field(description="须保存至哪一天（按本地政策的保存年限）；为空表示永久保存。")
    def retain_until(self, root: Document, info: strawberry.Info) -> date | None:
        context: RequestContext = info.context
        found = _classes(context).get(root.document_class)
        return service.retain_until(context.session, root, found) if found else None

    @strawberry.field(description="下载地址（GET，须带会话令牌；每次下载都记入审计）；已销毁时为空。")
    def download_path(self, root: Document, info: strawberry.Info) -> str | None:
        if root.status == DISPOSED:
            return None
        return DOWNLOAD_PREFIX + encode_global_id("Document", root.id)


@strawberry.type(name="DocumentClass", description="一类可附文件：哪类记录接受、多少、多大、什么类型。")
class DocumentClassInfo:
    code: str = strawberry.field(description="类别代码。")
    name: str = strawberry.field(description="中文名称。")
    owner_type: str = strawberry.field(description="接受此类文件的记录类型（GraphQL 类型名）。")
    max_count: int = strawberry.field(description="每条记录最多几个文件。")
    max_bytes: int = strawberry.field(description="每个文件的大小上限（字节）。")
    content_types: list[str] = strawberry.field(description="接受的文件类型（按内容判定）。")
    public: bool = strawberry.field(description="是否公开（公开的文件不得含身份证号、手机号）。")
    retention_key: str = strawberry.field(description="规定保存年限的本地政策项。")


def _owner(context: RequestContext, owner_id: str) -> Any:
    """The record ``owner_id`` names, if the caller may see it; a type that
    accepts no files is refused like an unknown record type."""
    type_name, _pk = decode_global_id(owner_id, field="ownerId")
    if type_name not in {c.owner_type for c in _classes(context).all()}:
        raise UserInputError("INVALID_ID", "此类记录不接受附件。", "ownerId")
    return object_for(context, owner_id, type_name, None, field="ownerId")


@strawberry.type
class DocumentQuery:
    @strawberry.field(
        description="一条记录所附的、您有权查看的文件（不含已销毁的，除非 includeDisposed）。"
        "记录属于每次查阅都记入审计的类型（如计划生育证明申请）时须给出 purpose，查阅记入审计。"
    )
    def documents(
        self, info: strawberry.Info, owner_id: strawberry.ID, include_disposed: bool = False, purpose: str | None = None
    ) -> list[DocumentType]:
        from core.privacy.audited import PURPOSE_KEY, clean_purpose

        context: RequestContext = info.context
        if purpose is not None:
            context.cache[PURPOSE_KEY] = clean_purpose(purpose)
        try:
            owner = _owner(context, owner_id)
        finally:
            context.cache.pop(PURPOSE_KEY, None)
        type_name, _pk = decode_global_id(owner_id, field="ownerId")
        query = select(Document).where(Document.owner_type == type_name, Document.owner_id == owner.id)
        if not include_disposed:
            query = query.where(Document.status != DISPOSED)
        return rows_as(DocumentType, readable(context, list(context.session.scalars(query.order_by(Document.id)))))

    @strawberry.field(description="本部署声明的文件类别。")
    def document_classes(self, info: strawberry.Info) -> list[DocumentClassInfo]:
        return [
            DocumentClassInfo(
                code=c.code,
                name=c.name,
                owner_type=c.owner_type,
                max_count=c.max_count,
                max_bytes=c.max_bytes,
                content_types=list(c.content_types),
                public=c.public,
                retention_key=c.retention.key,
            )
            for c in _classes(info.context).all()
        ]


@strawberry.input
class AttachDocumentInput:
    owner_id: strawberry.ID = strawberry.field(description="所属记录的全局 ID。")
    document_class: str = strawberry.field(description="文件类别代码（见 documentClasses）。")
    file: Upload = strawberry.field(description="文件：按 GraphQL multipart request 规范以 multipart/form-data 上传。")


@strawberry.input
class RequestDocumentDisposalInput:
    id: strawberry.ID
    reason: str = strawberry.field(description="销毁理由。")


@strawberry.input
class ApproveDocumentDisposalInput:
    id: strawberry.ID


@strawberry.type
class DocumentPayload:
    document: DocumentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _incoming(value: Any) -> service.IncomingFile:
    """The uploaded file; a value sent as JSON instead of a file part is refused."""
    handle = getattr(value, "file", None)
    if handle is None or not hasattr(handle, "read"):
        raise UserInputError(
            "FILE_REQUIRED", "请以 multipart/form-data 上传文件（GraphQL multipart request 规范）。", "file"
        )
    handle.seek(0)
    return service.IncomingFile(filename=getattr(value, "filename", None) or "file", data=handle.read())


def _document(context: RequestContext, global_id: str) -> tuple[Document, Any]:
    document = object_for(context, global_id, "Document", None, field="id", lock=True, what="文件")
    doc_class = _classes(context).get(document.document_class)
    if doc_class is None:
        raise UserInputError("UNKNOWN_DOCUMENT_CLASS", "该文件的类别在本部署中未声明。", "id")
    return document, doc_class


@strawberry.input(description="为一个文件签发短时有效的下载链接。")
class CreateDocumentDownloadLinkInput:
    document_id: strawberry.ID = strawberry.field(description="文件（须有读取权限）。")


@strawberry.type(description="短时有效的下载链接：浏览器直接打开即可下载，无须带会话令牌。")
class DocumentDownloadLinkPayload:
    url: str | None = strawberry.field(
        default=None, description="下载链接（相对本服务地址），仅限签发给的用户身份使用，打开时记入审计。"
    )
    expires_at: datetime | None = strawberry.field(default=None, description="失效时间。")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DocumentMutation:
    @strawberry.mutation(
        description="签发文件的下载链接（HMAC 签名，绑定本人和该文件，settings.download_link_seconds 秒内有效，默认 5 分钟）："
        "须能读取该文件；打开链接时仍须有读取权限，并记入审计。"
    )
    @atomic
    def create_document_download_link(
        self, info: strawberry.Info, input: CreateDocumentDownloadLinkInput
    ) -> DocumentDownloadLinkPayload:
        context: RequestContext = info.context
        document = object_for(context, input.document_id, "Document", None, field="documentId", what="文件")
        if document.status == DISPOSED:
            raise UserInputError("DISPOSED", "该文件已按保存期限批准销毁，不能再下载。", "documentId")
        principal = require_signed_in(context)
        token, expires_at = sign_link(context.settings, "Document", document.id, principal.user_id)
        expires = datetime.fromtimestamp(expires_at, tz=UTC)
        context.audit_subject(
            "Document",
            document.id,
            document.org_unit_id,
            detail={"class": document.document_class, "expiresAt": expires.isoformat()},
        )
        return DocumentDownloadLinkPayload(url=LINK_PREFIX + token, expires_at=expires)

    @strawberry.mutation(
        description="给记录附一个文件：须在记录所属单位拥有该文件类别的上传权限；大小、个数、类型（按内容判定）受类别限制。"
    )
    @atomic
    def attach_document(self, info: strawberry.Info, input: AttachDocumentInput) -> DocumentPayload:
        context: RequestContext = info.context
        owner = _owner(context, input.owner_id)
        type_name, _pk = decode_global_id(input.owner_id, field="ownerId")
        doc_class = service.document_class(_classes(context), input.document_class, type_name)
        document = service.attach(
            context.session,
            context,
            storage_for(context.settings),
            doc_class,
            owner,
            _incoming(input.file),
            registry=registry_for_context(context),
        )
        context.audit_subject(
            "Document",
            document.id,
            document.org_unit_id,
            detail={"class": document.document_class, "sha256": document.sha256, "size": document.size_bytes},
        )
        return DocumentPayload(document=row_as(DocumentType, document))

    @strawberry.mutation(
        description="申请销毁保存期限已满的文件：须有 documents.dispose_request 权限；期限未满的被拒绝。"
    )
    @atomic
    def request_document_disposal(self, info: strawberry.Info, input: RequestDocumentDisposalInput) -> DocumentPayload:
        context: RequestContext = info.context
        document, doc_class = _document(context, input.id)
        service.request_disposal(
            context.session, context, document, doc_class, reason=input.reason, registry=registry_for_context(context)
        )
        return DocumentPayload(document=row_as(DocumentType, document))

    @strawberry.mutation(
        description="批准销毁：须有 documents.dispose_approve 权限且不是申请人；文件从存储中删除，记录和审计留存。"
    )
    @atomic
    def approve_document_disposal(self, info: strawberry.Info, input: ApproveDocumentDisposalInput) -> DocumentPayload:
        context: RequestContext = info.context
        document, doc_class = _document(context, input.id)
        service.approve_disposal(
            context.session,
            context,
            storage_for(context.settings),
            document,
            doc_class,
            registry=registry_for_context(context),
        )
        context.audit_subject(
            "Document",
            document.id,
            document.org_unit_id,
            detail={"class": document.document_class, "sha256": document.sha256, "reason": document.disposal_reason},
        )
        return DocumentPayload(document=row_as(DocumentType, document))
