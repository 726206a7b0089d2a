"""Drawing up and confirming archive handovers (档案交接): see
``core.documents.handover_models``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import Principal, require
from core.auth.service import principal_for_user
from core.db import utcnow
from core.documents.archives import ARCHIVE_CLASSES, ARCHIVE_FILE, ARCHIVE_VIEW
from core.documents.books import BookCatalogue
from core.documents.handover_models import (
    CONFIRMED,
    ITEM_KINDS,
    PENDING,
    ArchiveHandover,
)
from core.org.models import OrgUnit
from core.seals.models import Seal

MAX_ITEMS = 200
TITLE_LENGTH = 200
NOTE_LENGTH = 2000


@dataclass(frozen=True)
class HandoverItem:
    kind: str
    title: str
    quantity: int = 1
    # archive_file: a document class code (archive.*); book: a book code.
    code: str | None = None
    # seal: the seal handed over (checked to be the unit's).
    seal_id: int | None = None


def _custodian(session: Session, user_id: int, unit: OrgUnit, field: str) -> Principal:
    # Unknown, inactive and out-of-scope accounts answer alike.
    found = principal_for_user(session, user_id)
    if found is None or not found.reaches(ARCHIVE_VIEW.code, unit.path):
        raise UserInputError("NOT_A_CUSTODIAN", f"该用户不存在或无权查看“{unit.name}”的档案，不能作为交接一方。", field)
    return found


def _items(session: Session, unit: OrgUnit, items: list[HandoverItem], books: BookCatalogue) -> list[dict[str, Any]]:
    if not items:
        raise UserInputError("ITEMS_REQUIRED", "请列出移交的档案、登记簿或印章。", "items")
    if len(items) > MAX_ITEMS:
        raise UserInputError("TOO_MANY_ITEMS", f"一次交接最多 {MAX_ITEMS} 项。", "items")
    archive_codes = {c.code: c.name for c in ARCHIVE_CLASSES}
    problems: list[ErrorDetail] = []
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        field = f"items.{index}"
        title = (item.title or "").strip()
        if item.kind not in ITEM_KINDS:
            problems.append(
                ErrorDetail(
                    "UNKNOWN_KIND", f"第 {index + 1} 项的类别须为 archive_file、book、seal 或 other。", f"{field}.kind"
                )
            )
            continue
        before = len(problems)
        if not 1 <= item.quantity <= 10000:
            problems.append(
                ErrorDetail("INVALID_VALUE", f"第 {index + 1} 项的数量应在 1 到 10000 之间。", f"{field}.quantity")
            )
        if item.kind == "archive_file" and item.code not in archive_codes:
            problems.append(
                ErrorDetail("UNKNOWN_CLASS", f"第 {index + 1} 项须为十档之一（如 archive.culture）。", f"{field}.code")
            )
        elif item.kind == "book" and item.code not in books.books:
            problems.append(
                ErrorDetail("UNKNOWN_BOOK", f"第 {index + 1} 项须为六簿之一（如 seal_use_register）。", f"{field}.code")
            )
        elif item.kind == "seal":
            seal = session.get(Seal, item.seal_id) if item.seal_id is not None else None
            if seal is None or seal.org_unit_id != unit.id:
                problems.append(ErrorDetail("NOT_FOUND", f"第 {index + 1} 项须为本单位登记的印章。", f"{field}.sealId"))
                continue
            title = title or seal.name
        if len(problems) > before:
            continue
        code = item.code or ""
        if item.kind == "archive_file":
            title = title or archive_codes[code]
        elif item.kind == "book":
            title = title or books.books[code].name
        if not title or len(title) > TITLE_LENGTH:
            problems.append(
                ErrorDetail(
                    "TITLE_REQUIRED", f"第 {index + 1} 项请写明名称（不超过 {TITLE_LENGTH} 字）。", f"{field}.title"
                )
            )
        cleaned.append(
            {"kind": item.kind, "code": item.code, "seal_id": item.seal_id, "title": title, "quantity": item.quantity}
        )
    if problems:
        raise UserInputError(errors=problems)
    return cleaned


def record_handover(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    from_user_id: int,
    to_user_id: int,
    handed_over_on: date,
    items: list[HandoverItem],
    note: str | None,
    books: BookCatalogue,
    today: date,
) -> ArchiveHandover:
    """Draw up a handover between two custodians of the unit's archive; it
    waits for both sides to confirm."""
    principal = require(who, ARCHIVE_FILE.code, unit)
    if from_user_id == to_user_id:
        raise UserInputError("SAME_PERSON", "移交人和接收人不能是同一人。", "toUserId")
    if handed_over_on > today:
        raise UserInputError("DATE_IN_FUTURE", "交接日期不能晚于今天。", "handedOverOn")
    if note is not None and len(note) > NOTE_LENGTH:
        raise UserInputError("TOO_LONG", f"备注不能超过 {NOTE_LENGTH} 字。", "note")
    _custodian(session, from_user_id, unit, "fromUserId")
    _custodian(session, to_user_id, unit, "toUserId")
    handover = ArchiveHandover(
        org_unit_id=unit.id,
        org_path=unit.path,
        from_user_id=from_user_id,
        to_user_id=to_user_id,
        handed_over_on=handed_over_on,
        items=_items(session, unit, items, books),
        note=(note or "").strip() or None,
        status=PENDING,
        created_by_id=principal.id,
    )
    session.add(handover)
    session.flush()
    return handover


def confirm_handover(session: Session, who: Any, handover: ArchiveHandover) -> ArchiveHandover:
    """One side confirms in person; complete once both have."""
    principal = require(who, ARCHIVE_VIEW.code, handover.org_path)
    if principal.id == handover.from_user_id:
        side = "from_confirmed_at"
    elif principal.id == handover.to_user_id:
        side = "to_confirmed_at"
    else:
        raise UserInputError("NOT_A_PARTY", "只有移交人或接收人本人可以确认交接。", "id")
    if getattr(handover, side) is not None:
        raise UserInputError("ALREADY_CONFIRMED", "您已确认过这次交接。", "id")
    setattr(handover, side, utcnow())
    if handover.from_confirmed_at is not None and handover.to_confirmed_at is not None:
        handover.status = CONFIRMED
    session.flush()
    return handover
