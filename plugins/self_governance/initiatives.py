"""Extraordinary meetings on residents' initiative (临时会议, DOMAIN 2.7; seed 000).

The assembly "应当" meet when a policy share of adult residents, of
households or of residents' groups proposes it; the charter adds a share of
the representatives. Each signature is checked against the people registry:
an adult resident of the community (floating residents as policy says), one
signature each; for households, one per household; for residents' groups,
one per group (signed by a resident of the group); for representatives, a
holder of a representative's post in the community's assembly. The moment
the count meets the share, the committee owes a meeting within the policy's
number of days: a ``per_event`` obligation of core reporting, which shows up
the tree as open, then missing. A quorate meeting of the community's
representatives' assembly (core meetings) fulfils it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.meetings.builtin import REPRESENTATIVES_ASSEMBLY
from core.meetings.models import Meeting
from core.org.models import OrgUnit
from core.org.service import ancestors, in_subtree
from core.people.models import Household, HouseholdMember, Resident
from core.plugin_host import PluginHost
from core.policy.service import resolve
from core.posts import service as posts
from core.posts.models import Body, PostAssignment
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from core.settings import settings_of
from plugins.self_governance.common import (
    check_taking_part,
    clean_text,
    count_taking_part,
    needed,
    share_met,
)
from plugins.self_governance.declarations import (
    INITIATIVE_COMPARATOR,
    INITIATIVE_MEETING,
    INITIATIVE_MEETING_DAYS,
    INITIATIVE_SHARES,
)
from plugins.self_governance.models import (
    BASES,
    COLLECTING,
    GROUPS,
    HOUSEHOLDS,
    MET,
    REACHED,
    REPRESENTATIVES,
    RESIDENTS,
    TITLE_LENGTH,
    SelfgovInitiative,
    SelfgovInitiativeSignature,
)

GROUP_LEVEL = "resident_group"
ASSEMBLY = "representatives_assembly"
REPRESENTATIVE = "representative"


def open_initiative(
    session: Session, community: OrgUnit, *, title: str, purpose: str, basis: str, today: date, user_id: int | None
) -> SelfgovInitiative:
    clean = clean_text(title, field="title", what="提议事项", limit=TITLE_LENGTH)
    reason = clean_text(purpose, field="purpose", what="提议理由", limit=None)
    if basis not in BASES:
        raise UserInputError(
            "UNKNOWN_BASIS", f"提议方式须为：{'、'.join(f'{k}（{v}）' for k, v in BASES.items())}。", "basis"
        )
    initiative = SelfgovInitiative(
        org_unit_id=community.id,
        org_path=community.path,
        title=clean,
        purpose=reason,
        basis=basis,
        opened_on=today,
        status=COLLECTING,
        created_by_id=user_id,
    )
    session.add(initiative)
    session.flush()
    return initiative


def _group_levels(session: Session) -> set[str]:
    settings = settings_of(session)
    return {level.code for level in settings.org_levels if level.code == GROUP_LEVEL}


def group_of(session: Session, resident: Resident, community: OrgUnit) -> OrgUnit | None:
    """The residents' group (居民小组) the resident is registered in, if any."""
    unit = session.get(OrgUnit, resident.org_unit_id)
    assert unit is not None
    levels = _group_levels(session)
    for candidate in [unit, *reversed(ancestors(session, unit))]:
        if candidate.id == community.id:
            return None
        if candidate.level in levels:
            return candidate
    return None


def representatives(session: Session, community: OrgUnit, on: date) -> list[int]:
    """Residents holding a representative's post in the community's assembly on ``on``."""
    return list(
        session.scalars(
            select(PostAssignment.resident_id)
            .join(Body, Body.id == PostAssignment.body_id)
            .where(
                Body.org_unit_id == community.id,
                Body.kind == ASSEMBLY,
                PostAssignment.post_code == REPRESENTATIVE,
                posts.holds_on(on),
            )
            .distinct()
        )
    )


def base_count(session: Session, community: OrgUnit, basis: str, on: date) -> int:
    """The whole the signatures are measured against."""
    if basis == RESIDENTS:
        return count_taking_part(session, community, on)
    if basis == HOUSEHOLDS:
        return int(
            session.scalar(
                select(func.count()).select_from(Household).where(in_subtree(Household.org_path, community.path))
            )
            or 0
        )
    if basis == GROUPS:
        return int(
            session.scalar(
                select(func.count())
                .select_from(OrgUnit)
                .where(
                    in_subtree(OrgUnit.path, community.path),
                    OrgUnit.level.in_(_group_levels(session)),
                    OrgUnit.dissolved_on.is_(None),
                )
            )
            or 0
        )
    return len(representatives(session, community, on))


def signature_count(session: Session, initiative: SelfgovInitiative) -> int:
    return int(
        session.scalar(select(func.count()).where(SelfgovInitiativeSignature.initiative_id == initiative.id)) or 0
    )


def needed_count(session: Session, initiative: SelfgovInitiative, on: date) -> tuple[int, int]:
    """(signatures needed, the whole) under the policy in force on ``on``."""
    community = session.get(OrgUnit, initiative.org_unit_id)
    assert community is not None
    whole = base_count(session, community, initiative.basis, on)
    share = str(resolve(session, community, INITIATIVE_SHARES[initiative.basis], on))
    comparator = str(resolve(session, community, INITIATIVE_COMPARATOR, on))
    return needed(whole, share, comparator), whole


def sign(
    session: Session, host: PluginHost, initiative: SelfgovInitiative, resident: Resident, *, today: date
) -> SelfgovInitiativeSignature:
    """One signature, checked against the registry; reaching the share opens
    the meeting the committee owes. ``initiative`` is locked by the caller,
    so that two signatures at once cannot both take the last place."""
    if initiative.status != COLLECTING:
        raise UserInputError("NOT_COLLECTING", "该提议已达到法定人数，不再征集联名。", "initiativeId")
    community = session.get(OrgUnit, initiative.org_unit_id)
    assert community is not None
    check_taking_part(session, community, resident, today, field="residentId", who="联名人")
    mine = select(SelfgovInitiativeSignature.id).where(SelfgovInitiativeSignature.initiative_id == initiative.id)
    if session.scalar(mine.where(SelfgovInitiativeSignature.resident_id == resident.id)) is not None:
        raise UserInputError("ALREADY_SIGNED", f"{resident.name}已在该提议上签名，每人只能签名一次。", "residentId")
    household_id = group_id = None
    if initiative.basis == HOUSEHOLDS:
        household_id = (
            session.scalar(
                select(HouseholdMember.household_id).where(
                    HouseholdMember.resident_id == resident.id, HouseholdMember.left_on.is_(None)
                )
            )
            or resident.household_id
        )
        if household_id is None:
            raise UserInputError("NO_HOUSEHOLD", f"{resident.name}未登记所在户，不能代表一户签名。", "residentId")
        if session.scalar(mine.where(SelfgovInitiativeSignature.household_id == household_id)) is not None:
            raise UserInputError(
                "HOUSEHOLD_ALREADY_SIGNED", f"{resident.name}所在的户已有人签名，每户只计一次。", "residentId"
            )
    elif initiative.basis == GROUPS:
        group = group_of(session, resident, community)
        if group is None:
            raise UserInputError("NO_GROUP", f"{resident.name}不属于任何居民小组，不能代表居民小组提议。", "residentId")
        if session.scalar(mine.where(SelfgovInitiativeSignature.group_unit_id == group.id)) is not None:
            raise UserInputError("GROUP_ALREADY_SIGNED", f"“{group.name}”已提议，每个居民小组只计一次。", "residentId")
        group_id = group.id
    elif initiative.basis == REPRESENTATIVES and resident.id not in representatives(session, community, today):
        raise UserInputError(
            "NOT_A_REPRESENTATIVE", f"{resident.name}不是本社区在任的成员代表，不能以代表身份联名。", "residentId"
        )
    signature = SelfgovInitiativeSignature(
        initiative_id=initiative.id,
        resident_id=resident.id,
        household_id=household_id,
        group_unit_id=group_id,
        signed_on=today,
    )
    session.add(signature)
    session.flush()
    count = signature_count(session, initiative)
    whole = base_count(session, community, initiative.basis, today)
    share = str(resolve(session, community, INITIATIVE_SHARES[initiative.basis], today))
    comparator = str(resolve(session, community, INITIATIVE_COMPARATOR, today))
    if share_met(count, whole, share, comparator):
        days = int(resolve(session, community, INITIATIVE_MEETING_DAYS, today))
        instance = reporting.open_event_instance(
            session, host, INITIATIVE_MEETING.code, community, event_on=today, due_on=today + timedelta(days=days)
        )
        initiative.status = REACHED
        initiative.reached_on = today
        initiative.base_count = whole
        initiative.signature_count = count
        initiative.obligation_instance_id = instance.id
        session.flush()
    return signature


def record_meeting(
    session: Session,
    host: PluginHost,
    initiative: SelfgovInitiative,
    meeting: Meeting,
    *,
    today: date,
    user_id: int | None,
) -> SelfgovInitiative:
    """The extraordinary meeting was held: a quorate meeting of the
    community's representatives' assembly (core meetings) on or after the
    day the share was reached fulfils the owed meeting (late after its day)."""
    if initiative.status != REACHED:
        raise UserInputError(
            "NOT_REACHED" if initiative.status == COLLECTING else "ALREADY_MET",
            "联名尚未达到法定人数，居委会不负有召集义务。"
            if initiative.status == COLLECTING
            else "该提议的临时会议已登记召开。",
            "initiativeId",
        )
    assert initiative.reached_on is not None
    if meeting.kind != REPRESENTATIVES_ASSEMBLY or meeting.org_unit_id != initiative.org_unit_id:
        raise UserInputError("WRONG_MEETING", "须为本社区召开的社区成员代表大会（居民会议）会议。", "meetingId")
    held_on = meeting.held_on
    if held_on < initiative.reached_on or held_on > today:
        raise UserInputError(
            "INVALID_DATE",
            f"会议须在联名达到法定人数之日（{initiative.reached_on}）以后召开，且已经召开。",
            "meetingId",
        )
    if not meeting.quorate:
        raise UserInputError(
            "QUORUM_NOT_MET", "该次会议到会代表未达到规定人数，不能作为应提议召开的会议。", "meetingId"
        )
    instance = (
        session.get(ObligationInstance, initiative.obligation_instance_id)
        if initiative.obligation_instance_id
        else None
    )
    if instance is not None:
        reporting.submit(
            session,
            host,
            instance,
            user_id=user_id,
            note=f"应居民提议召开临时会议：{initiative.title}（{held_on}）",
            today=held_on,
        )
    initiative.status = MET
    initiative.meeting_held_on = held_on
    initiative.meeting_id = meeting.id
    session.flush()
    return initiative
