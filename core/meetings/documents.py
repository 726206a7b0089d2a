"""Files of a meeting through core documents: the minutes (会议记录) and the
signed attendance sheet (签到表)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.api.errors import UserInputError
from core.documents.classes import DocumentClass
from core.documents.content import JPEG, PDF, PNG, TEXT
from core.org.models import OrgUnit
from core.policy.keys import PolicyKey, ValueType

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.meetings.models import Meeting

MINUTES_YEARS = PolicyKey(
    "meetings.retention.minutes_years",
    ValueType.INT,
    0,
    "会议记录、签到表的保存年限；0 为永久保存（种子：会议记录完整保存）",
    unit="年",
    min=0,
    max=100,
)


def _unit_of(session: Session, meeting: Meeting) -> OrgUnit | None:
    return session.get(OrgUnit, meeting.org_unit_id)


def _open_meetings(_session: Session, meeting: Meeting) -> None:
    if meeting.closed_at is not None:
        raise UserInputError("MEETING_CLOSED", "会议已结束归档，不能再添加会议文件。", "ownerId")


MINUTES = DocumentClass(
    code="meetings.minutes",
    name="会议记录",
    owner_type="Meeting",
    attach_permission="meetings.manage",
    read_permission="meetings.view",
    unit_of=_unit_of,
    retention=MINUTES_YEARS,
    content_types=(PDF, JPEG, PNG, TEXT),
    max_count=10,
    check_owner=_open_meetings,
)
ATTENDANCE_SHEET = DocumentClass(
    code="meetings.attendance_sheet",
    name="签到表（签字）",
    owner_type="Meeting",
    attach_permission="meetings.manage",
    read_permission="meetings.view",
    unit_of=_unit_of,
    retention=MINUTES_YEARS,
    content_types=(PDF, JPEG, PNG),
    max_count=5,
    check_owner=_open_meetings,
)
DOCUMENT_CLASSES = (MINUTES, ATTENDANCE_SHEET)
