"""The party organization's collective decision behind a public-board notice
(000: 向居民群众公开的事项必须经社区党组织委员会集体研究决定): where the plugin
is active at the notice's unit, approving a notice names a resolution of a
quorate committee meeting of a party organization at or above the notice's
unit, and the resolution must have been adopted."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.api.relay import decode_pk_for_scope_check
from core.board.decisions import NoticeDecision
from core.board.models import Notice
from core.meetings.models import Meeting, MeetingResolution
from core.org.models import OrgUnit
from core.org.service import subtree_bounds
from core.policy.service import is_plugin_active
from plugins.party_building.declarations import PLUGIN
from plugins.party_building.meeting_kinds import (
    HOST_TYPE,
    KIND_CODES,
    kind_code,
    meeting_type_of,
)
from plugins.party_building.models import (
    BIG_COMMITTEE,
    COMMITTEE_MEETING,
    MEETING_TYPES,
    PartyOrganization,
)

FIELD = "resolutionId"


def check_notice_decision(
    session: Session, notice: Notice, resolution_id: str | None, today: date
) -> NoticeDecision | None:
    unit = session.get(OrgUnit, notice.org_unit_id)
    if unit is None or not is_plugin_active(session, unit, PLUGIN, today):
        return None
    if resolution_id is None:
        raise UserInputError(
            "DECISION_REQUIRED",
            "公开事项须经社区党组织委员会集体研究决定：请选择党组织委员会议通过的决议。",
            FIELD,
        )
    # The scope rule is explicit here: only a resolution of a party
    # organization's meeting at or above the notice's unit counts, and any
    # other (another street's included) answers exactly as a missing one.
    pk = decode_pk_for_scope_check(resolution_id, "MeetingResolution", field=FIELD)
    resolution = session.get(MeetingResolution, pk)
    meeting = session.get(Meeting, resolution.meeting_id) if resolution is not None else None
    party = meeting is not None and meeting.host_type == HOST_TYPE and meeting.kind in KIND_CODES
    org = session.get(PartyOrganization, meeting.host_id) if meeting is not None and party else None
    low, high = subtree_bounds(org.org_path) if org is not None else ("", "")
    if resolution is None or meeting is None or org is None or not low <= notice.org_path < high:
        raise UserInputError("NOT_FOUND", "找不到该会议决议：须为本社区（或上级）党组织的会议决议。", FIELD)
    if org.org_type == BIG_COMMITTEE:
        raise UserInputError(
            "NOT_THE_ORGANIZATION", "须为本社区（或上级）党组织委员会的决议，不能是大党委的决议。", FIELD
        )
    meeting_type = meeting_type_of(meeting.kind)
    if meeting.kind != kind_code(COMMITTEE_MEETING):
        raise UserInputError(
            "NOT_A_COMMITTEE_MEETING", f"须为党组织委员会议的决议，该决议出自{MEETING_TYPES[meeting_type]}。", FIELD
        )
    if not meeting.quorate:
        raise UserInputError("QUORUM_NOT_MET", "该次委员会议到会人数未达到规定，不能作出决定。", FIELD)
    if not resolution.adopted:
        raise UserInputError("RESOLUTION_NOT_ADOPTED", "该决议未获通过（赞成人数未超过应到会委员的半数）。", FIELD)
    return NoticeDecision(
        reference=f"{org.name}{MEETING_TYPES[meeting_type]}（{meeting.held_on}）决议：{resolution.text}",
        decided_on=meeting.held_on,
        source=PLUGIN,
        key=f"resolution:{resolution.id}",
    )
