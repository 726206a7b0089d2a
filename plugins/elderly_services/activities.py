"""Activities for the elderly and 敬老 events (seed 000: 文体活动, 学习; 001:
敬老服务) with participants from the registry, never copied."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import require
from core.org.models import OrgUnit
from core.policy.service import require_plugin_active
from plugins.elderly_services.declarations import CARE, PLUGIN
from plugins.elderly_services.models import (
    ACTIVITY_KINDS,
    ElderlyActivity,
    ElderlyActivityParticipant,
)

TITLE_LENGTH = 200


def record_activity(
    session: Session,
    context: Any,
    unit: OrgUnit,
    *,
    title: str,
    kind: str,
    held_on: date,
    place: str | None,
    participant_ids: Sequence[int],
    user_id: int,
    today: date,
) -> ElderlyActivity:
    """Record an activity held by ``unit`` with its participants (each once)."""
    require(context, CARE.code, unit)
    require_plugin_active(context if hasattr(context, "session") else session, unit, PLUGIN, field="orgUnitId")
    problems: list[ErrorDetail] = []
    clean = (title or "").strip()
    if not clean:
        problems.append(ErrorDetail("TITLE_REQUIRED", "请填写活动名称。", "title"))
    elif len(clean) > TITLE_LENGTH:
        problems.append(ErrorDetail("TITLE_TOO_LONG", f"活动名称不能超过 {TITLE_LENGTH} 字。", "title"))
    if kind not in ACTIVITY_KINDS:
        problems.append(
            ErrorDetail(
                "UNKNOWN_KIND", f"活动类别须为：{'、'.join(f'{k}（{v}）' for k, v in ACTIVITY_KINDS.items())}。", "kind"
            )
        )
    if held_on > today:
        problems.append(ErrorDetail("HELD_IN_FUTURE", "活动日期不能晚于今天。", "heldOn"))
    if not participant_ids:
        problems.append(ErrorDetail("PARTICIPANTS_REQUIRED", "请至少登记一名参加的居民。", "participantIds"))
    if problems:
        raise UserInputError(errors=problems)
    activity = ElderlyActivity(
        org_unit_id=unit.id,
        org_path=unit.path,
        title=clean,
        kind=kind,
        held_on=held_on,
        place=(place or "").strip() or None,
        recorded_by_id=user_id,
    )
    session.add(activity)
    session.flush()
    for resident_id in dict.fromkeys(participant_ids):
        session.add(ElderlyActivityParticipant(activity_id=activity.id, resident_id=resident_id))
    session.flush()
    return activity
