"""Attaching files to records, and disposing of them after retention.

A file is accepted only for a class its record's type declares, by a
caller holding the class's ``attach_permission`` where the record is, within
the class's count and size, and when its content (not its name) is of a
type the class allows. Public files are refused when their readable text
holds an ID or phone number. Disposal: asked for once retention is over
(``documents.dispose_request``), approved by another person
(``documents.dispose_approve``); the file is deleted then, the row and the
audit records stay.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.permissions import (
    Permission,
    PermissionRegistry,
    principal_of,
    require,
    require_different_people,
)

# Personal data in a public file is refused with the notice text's own code.
from core.board.service import PERSONAL_DATA_IN_NOTICE
from core.db import utcnow
from core.documents.classes import DocumentClass, DocumentClassRegistry
from core.documents.content import TYPE_NAMES, readable_text, sniff
from core.documents.models import (
    DISPOSAL_REQUESTED,
    DISPOSED,
    KEPT,
    STATUS_NAMES,
    Document,
)
from core.documents.storage import Storage
from core.policy.service import local_today, resolve
from core.privacy.personal_data import personal_data_problems

DISPOSE_REQUEST = Permission(
    "documents.dispose_request",
    "申请销毁保存期限已满的档案文件",
    default_roles=("committee_chair", "party_secretary", "street_staff"),
)
DISPOSE_APPROVE = Permission(
    "documents.dispose_approve",
    "批准销毁保存期限已满的档案文件（与申请人不同）",
    default_roles=("street_leader",),
)
REASON_LENGTH = 500


@dataclass(frozen=True)
class IncomingFile:
    """A file as the request carried it: the name the client gave (kept
    for people, never trusted for the type) and its bytes."""

    filename: str
    data: bytes


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{max(1, size // 1024)} KB"


def _clean_filename(name: str) -> str:
    # Only the last path segment, without control characters; never used as a path.
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return (base or "file")[:255]


def document_class(
    classes: DocumentClassRegistry, code: str, owner_type: str, *, field: str = "documentClass"
) -> DocumentClass:
    found = classes.get(code)
    if found is None or found.owner_type != owner_type:
        accepted = "、".join(f"{c.name}（{c.code}）" for c in classes.all() if c.owner_type == owner_type)
        hint = f"此类记录可附：{accepted}。" if accepted else "此类记录不接受附件。"
        raise UserInputError("UNKNOWN_DOCUMENT_CLASS", f"没有这种附件类别“{code}”。{hint}", field)
    return found


def attach(
    session: Session,
    context: Any,
    storage: Storage,
    doc_class: DocumentClass,
    owner: Any,
    incoming: IncomingFile,
    *,
    registry: PermissionRegistry | None = None,
) -> Document:
    """Store ``incoming`` as a file of ``doc_class`` on ``owner`` (a row the
    caller was allowed to name)."""
    principal = principal_of(context)
    unit = doc_class.unit_of(session, owner)
    require(context, doc_class.attach_permission, unit, registry=registry)
    if doc_class.check_owner is not None:
        doc_class.check_owner(session, owner)
    data = incoming.data
    if len(data) > doc_class.max_bytes:
        raise UserInputError(
            "FILE_TOO_LARGE",
            f"文件大小 {_size_text(len(data))}，超过“{doc_class.name}”每个文件 {_size_text(doc_class.max_bytes)} 的上限。",
            "file",
        )
    if not data:
        raise UserInputError("EMPTY_FILE", "文件是空的。", "file")
    content_type = sniff(data)
    if content_type not in doc_class.content_types:
        allowed = "、".join(TYPE_NAMES[t] for t in doc_class.content_types)
        raise UserInputError(
            "UNSUPPORTED_FILE_TYPE",
            f"按文件内容判断，这不是“{doc_class.name}”接受的类型（{allowed}）；文件类型不以扩展名为准。",
            "file",
        )
    if doc_class.public:
        text = readable_text(data, content_type)
        problems = personal_data_problems(
            {"file": text}, code=PERSONAL_DATA_IN_NOTICE, field_names={"file": "附件"}, where="公开栏"
        )
        if problems:
            raise UserInputError(errors=problems)
    count = session.scalar(
        select(func.count())
        .select_from(Document)
        .where(
            Document.owner_type == doc_class.owner_type,
            Document.owner_id == owner.id,
            Document.document_class == doc_class.code,
            Document.status != DISPOSED,
        )
    )
    if (count or 0) >= doc_class.max_count:
        raise UserInputError("TOO_MANY_FILES", f"每条记录最多附 {doc_class.max_count} 个“{doc_class.name}”。", "file")
    key = f"{date.today():%Y/%m}/{uuid.uuid4().hex}"
    document = Document(
        document_class=doc_class.code,
        owner_type=doc_class.owner_type,
        owner_id=owner.id,
        org_unit_id=unit.id,
        org_path=unit.path,
        filename=_clean_filename(incoming.filename),
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        status=KEPT,
        uploaded_by_id=principal.id if principal else None,
    )
    session.add(document)
    session.flush()
    # Written last: a refusal above leaves nothing in the storage.
    storage.put(key, data)
    return document


def retention_years(session: Session, document: Document, doc_class: DocumentClass) -> int:
    """Years the file is kept (policy in force at its unit); 0: for good."""
    from core.org.models import OrgUnit

    unit = session.get_one(OrgUnit, document.org_unit_id)
    return int(resolve(session, unit, doc_class.retention))


def retain_until(session: Session, document: Document, doc_class: DocumentClass) -> date | None:
    """The last day the file must be kept (its upload year plus the
    retention years, to the year's end: archives are kept by year); None
    when kept for good."""
    years = retention_years(session, document, doc_class)
    if years <= 0:
        return None
    return date(document.uploaded_at.year + years, 12, 31)


def request_disposal(
    session: Session,
    context: Any,
    document: Document,
    doc_class: DocumentClass,
    *,
    reason: str,
    registry: PermissionRegistry | None = None,
) -> Document:
    principal = require(context, DISPOSE_REQUEST.code, document.org_path, registry=registry)
    if document.status != KEPT:
        raise UserInputError("INVALID_STATUS", f"该文件当前为“{STATUS_NAMES[document.status]}”。", "id")
    until = retain_until(session, document, doc_class)
    if until is None:
        raise UserInputError("KEPT_PERMANENTLY", f"“{doc_class.name}”按本地政策永久保存，不得销毁。", "id")
    today = local_today()
    if today <= until:
        raise UserInputError(
            "RETENTION_NOT_OVER", f"“{doc_class.name}”须保存至 {until.isoformat()}，保存期限未满，不得销毁。", "id"
        )
    text = (reason or "").strip()
    if not text:
        raise UserInputError("REQUIRED", "请写明销毁理由。", "reason")
    if len(text) > REASON_LENGTH:
        raise UserInputError("TOO_LONG", f"销毁理由不能超过 {REASON_LENGTH} 字。", "reason")
    document.status = DISPOSAL_REQUESTED
    document.disposal_requested_by_id = principal.id
    document.disposal_requested_at = utcnow()
    document.disposal_reason = text
    session.flush()
    return document


def approve_disposal(
    session: Session,
    context: Any,
    storage: Storage,
    document: Document,
    doc_class: DocumentClass,
    *,
    registry: PermissionRegistry | None = None,
) -> Document:
    """Delete the file after retention, approved by someone other than the
    requester; checked again against the policy in force today."""
    principal = require(context, DISPOSE_APPROVE.code, document.org_path, registry=registry)
    if document.status != DISPOSAL_REQUESTED:
        raise UserInputError("NOT_REQUESTED", "该文件没有待批准的销毁申请。", "id")
    require_different_people(
        document.disposal_requested_by_id, principal.id, field="id", requester="销毁申请人", request="申请销毁"
    )
    until = retain_until(session, document, doc_class)
    if until is None or local_today() <= until:
        raise UserInputError("RETENTION_NOT_OVER", f"“{doc_class.name}”的保存期限未满，不得销毁。", "id")
    document.status = DISPOSED
    document.disposed_by_id = principal.id
    document.disposed_at = utcnow()
    session.flush()
    storage.delete(document.storage_key)
    return document
