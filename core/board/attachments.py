"""Public attachments of a notice (a table of figures, a scanned
announcement), filed through core's documents while the notice is a draft:
what the party organization approves is the notice with its files. Their
readable text (plain text, a PDF's text) is checked for ID and phone
numbers like the notice text and refused with the same code."""

from __future__ import annotations

from typing import Any

from core.api.errors import UserInputError
from core.board.models import DRAFT, PUBLISHED, STATUS_NAMES, Notice
from core.documents.classes import DocumentClass
from core.documents.content import JPEG, PDF, PNG, TEXT
from core.org.models import OrgUnit
from core.policy.keys import PolicyKey, ValueType

ATTACHMENT_YEARS = PolicyKey(
    "board.retention.attachment_years",
    ValueType.INT,
    0,
    "公开栏公告附件的保存年限；0 为永久保存（种子未规定年限）",
    unit="年",
    min=0,
    max=100,
)


def _unit_of(session: Any, notice: Notice) -> OrgUnit:
    return session.get(OrgUnit, notice.org_unit_id)


def _only_drafts(_session: Any, notice: Notice) -> None:
    if notice.status != DRAFT:
        raise UserInputError(
            "INVALID_STATUS",
            f"公告当前为“{STATUS_NAMES[notice.status]}”，只有草稿可以添加附件（附件随公告一并审核）。",
            "ownerId",
        )


def _on_the_board(session: Any, notice_id: int) -> bool:
    from core.policy.service import local_today

    notice = session.get(Notice, notice_id)
    return notice is not None and notice.status_on(local_today()) == PUBLISHED


NOTICE_ATTACHMENT = DocumentClass(
    code="board.attachment",
    name="公开栏公告附件",
    owner_type="Notice",
    attach_permission="board.draft",
    read_permission="board.view",
    unit_of=_unit_of,
    retention=ATTACHMENT_YEARS,
    content_types=(PDF, JPEG, PNG, TEXT),
    max_count=10,
    max_bytes=10 * 1024 * 1024,
    public=True,
    check_owner=_only_drafts,
    shown_publicly=_on_the_board,
)
