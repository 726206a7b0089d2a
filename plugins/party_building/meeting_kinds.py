"""The party's meetings as core meeting kinds (``register_meeting_kinds``):
三会一课, the democratic life meeting and the big committee's enlarged
meeting. Each is held by a party organization (``host_type``
``PartyOrganization``); who should attend comes from the party's own
membership records (a ``PluginRoster``): the committee for a committee,
enlarged or democratic life meeting, the full members for a members'
meeting, every member for a group meeting or lecture. Quorum and majority
are the plugin's policy keys, counted against those due (DOMAIN 2.1, 3.2);
a quorate meeting fulfils the community's reporting-calendar instance of
its type when its organization leads the community."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.meetings.kinds import MeetingKind, PluginRoster, RosterContext, RosterEntry
from core.meetings.rules import VoteRule
from core.org.models import OrgUnit
from plugins.party_building import declarations as d
from plugins.party_building.models import MEETING_TYPES, PartyOrganization

HOST_TYPE = "PartyOrganization"
PREFIX = f"{d.PLUGIN}."
COMMITTEE_ROLE_NAMES = {"secretary": "书记", "deputy_secretary": "副书记", "member": "委员"}


def kind_code(meeting_type: str) -> str:
    return f"{PREFIX}{meeting_type}"


def meeting_type_of(kind: str) -> str:
    """``party_building.committee_meeting`` → ``committee_meeting``."""
    return kind.removeprefix(PREFIX)


KIND_CODES = tuple(kind_code(t) for t in MEETING_TYPES)


def _roster(meeting_type: str) -> PluginRoster:
    def load(context: RosterContext) -> list[RosterEntry]:
        from core.people.models import Resident
        from plugins.party_building.service import expected_attendees

        org = context.session.get(PartyOrganization, context.host_id) if context.host_id is not None else None
        if org is None:
            return []
        members = expected_attendees(context.session, org, meeting_type)
        names = {
            r.id: r.name
            for r in context.session.query(Resident).filter(Resident.id.in_([m.resident_id for m in members]))
        }
        return [
            RosterEntry(
                resident_id=m.resident_id,
                name=names.get(m.resident_id, ""),
                role=COMMITTEE_ROLE_NAMES.get(m.committee_role or "", "党员"),
            )
            for m in members
        ]

    return PluginRoster(load)


def _obligation_unit(session: Session, meeting: Any) -> OrgUnit | None:
    """The community whose calendar the meeting fulfils, when its
    organization leads the community (``service.leads_community``)."""
    from plugins.party_building.service import board_unit, leads_community

    org = session.get(PartyOrganization, meeting.host_id)
    if org is None:
        return None
    community = board_unit(session, org.org_unit_id)
    return community if leads_community(session, org, community) else None


MEETING_KINDS: tuple[MeetingKind, ...] = tuple(
    MeetingKind(
        code=kind_code(meeting_type),
        name=name,
        roster=_roster(meeting_type),
        quorum=VoteRule(rule=d.QUORUM_KEYS[meeting_type]),
        resolution=VoteRule(rule=d.MAJORITY_KEYS[meeting_type]),
        # Recorded after the meeting, with its minutes optional as before.
        minutes_required=False,
        obligation=d.MEETING_OBLIGATIONS[meeting_type].code if meeting_type in d.MEETING_OBLIGATIONS else None,
        obligation_unit=_obligation_unit,
        host_type=HOST_TYPE,
        view_permission=d.VIEW.code,
        manage_permission=d.MANAGE.code,
        description="党组织的会议（三会一课、民主生活会、大党委会议），由党组织召开，应到人员取自党员名册。",
    )
    for meeting_type, name in MEETING_TYPES.items()
)
