"""Indicators of party building: meetings held by type (三会一课), quorate
meetings, and how many of the scheduled meetings were held on time."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.indicators.builtin import EXPECTED, ON_TIME, obligation_indicator
from core.indicators.registry import Compute, Indicator
from core.meetings.models import Meeting
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.party_building.declarations import MEETING_OBLIGATIONS
from plugins.party_building.meeting_kinds import KIND_CODES, kind_code
from plugins.party_building.models import MEETING_TYPES


def held(meeting_type: str | None = None, *, quorate_only: bool = False) -> Compute:
    """Party meetings are core meetings of the party kinds (``party_building.<type>``)."""
    kinds = (kind_code(meeting_type),) if meeting_type is not None else KIND_CODES

    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> int:
        conditions = [
            in_subtree(Meeting.org_path, unit.path),
            Meeting.held_on >= start,
            Meeting.held_on <= end,
            Meeting.kind.in_(kinds),
        ]
        if quorate_only:
            conditions.append(Meeting.quorate.is_(True))
        return int(session.scalar(select(func.count()).select_from(Meeting).where(*conditions)) or 0)

    return compute


MEETING_CODES = tuple(kind.code for kind in MEETING_OBLIGATIONS.values())

INDICATORS: tuple[Indicator, ...] = (
    *(
        Indicator(
            f"party_building.held.{code}",
            f"召开{name}次数",
            f"本期召开{name}的次数。",
            held(code),
            unit="次",
            aliases=(f"{name}次数",),
        )
        for code, name in MEETING_TYPES.items()
    ),
    Indicator(
        "party_building.meetings_held",
        "召开组织生活会议总次数",
        "本期召开的三会一课等会议次数（各类合计）。",
        held(),
        unit="次",
        aliases=("会议次数", "三会一课次数"),
    ),
    Indicator(
        "party_building.meetings_quorate",
        "达到法定人数的会议次数",
        "本期召开且到会人数达到法定人数的会议次数。",
        held(quorate_only=True),
        unit="次",
    ),
    Indicator(
        "party_building.meetings_due",
        "应开会议次数",
        "报送日历中本期截止的三会一课应开次数。",
        obligation_indicator(MEETING_CODES, EXPECTED),
        unit="次",
    ),
    Indicator(
        "party_building.meetings_on_time",
        "按时召开会议次数",
        "报送日历中本期按时召开并记录的会议次数。",
        obligation_indicator(MEETING_CODES, ON_TIME),
        unit="次",
    ),
)
