"""The collective decision behind a notice's approval (DOMAIN 3.1).

"向居民群众公开的事项必须经社区党组织委员会集体研究决定" (000): approving a
notice records the party organization's decision, never one person's
consent. Where a plugin keeps the party organization's meetings (the
``check_notice_decision`` hook, party building), the approval names one of
its resolutions and the plugin checks it; elsewhere the approver records
the meeting: what decided it and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.api.errors import ErrorDetail, UserInputError
from core.board.models import DECISION_REFERENCE_LENGTH, Notice
from core.plugin_host import PluginHost


@dataclass(frozen=True)
class NoticeDecision:
    """What approved a notice: ``source``/``key`` name a plugin's record (a
    resolution) or are empty for a meeting recorded as text; ``reference``
    is what the record shows (会议名称、决议), ``decided_on`` the meeting's day."""

    reference: str
    decided_on: date
    source: str | None = None
    key: str | None = None


def decision_for(
    session: Any,
    host: PluginHost,
    notice: Notice,
    *,
    resolution_id: str | None,
    meeting_reference: str | None,
    meeting_on: date | None,
    today: date,
) -> NoticeDecision:
    """The decision approving ``notice``: a plugin's checked resolution where
    a plugin answers the hook for the notice's unit, else the meeting the
    approver records."""
    decided = host.hook.check_notice_decision(session=session, notice=notice, resolution_id=resolution_id, today=today)
    if decided is not None:
        return decided
    problems: list[ErrorDetail] = []
    if resolution_id is not None:
        problems.append(
            ErrorDetail(
                "RESOLUTION_NOT_AVAILABLE",
                "本单位未启用党建模块，不能选择会议决议；请填写党组织会议的名称和日期。",
                "resolutionId",
            )
        )
    reference = (meeting_reference or "").strip()
    if not reference:
        problems.append(
            ErrorDetail(
                "DECISION_REQUIRED",
                "公开事项须经社区党组织委员会集体研究决定：请填写作出决定的会议（名称、议题）。",
                "meetingReference",
            )
        )
    elif len(reference) > DECISION_REFERENCE_LENGTH:
        problems.append(
            ErrorDetail("TOO_LONG", f"会议记录不能超过 {DECISION_REFERENCE_LENGTH} 个字。", "meetingReference")
        )
    if meeting_on is None:
        problems.append(ErrorDetail("REQUIRED", "请填写作出决定的会议日期。", "meetingOn"))
    elif meeting_on > today:
        problems.append(ErrorDetail("DATE_IN_FUTURE", "会议日期不能晚于今天。", "meetingOn"))
    if problems:
        raise UserInputError(errors=problems)
    assert meeting_on is not None
    return NoticeDecision(reference=reference, decided_on=meeting_on)
