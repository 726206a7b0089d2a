"""The rules of party building. Services raise ``UserInputError`` with
English codes and Chinese messages; GraphQL (``schema``) checks permissions
and the plugin's activation before calling them.

Dates: ``today`` defaults to ``local_today()`` (China Standard Time).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, NotFoundError, UserInputError
from core.board import service as board
from core.board.categories import NoticeCategoryRegistry
from core.board.models import PUBLISHED, Notice
from core.db import get_row
from core.meetings import service as meetings
from core.meetings.kinds import MeetingKind
from core.meetings.models import ABSENT, Meeting, MeetingResolution
from core.org.models import OrgUnit
from core.org.service import ancestors, get_unit, in_subtree, subtree_bounds
from core.people.models import Household, Resident
from core.plugin_host import PluginHost
from core.policy import service as policy
from core.policy.service import CHINA_STANDARD_TIME, local_today
from core.policy.thresholds import compare
from core.posts import service as posts
from core.posts.models import Body, PostAssignment
from core.reporting import service as reporting
from core.reporting.calendar import period_of, periods_of_year
from core.reporting.models import DONE_STATUSES, ObligationInstance
from core.settings import ROLE_GRASSROOTS, settings_of
from plugins.party_building import declarations as d
from plugins.party_building import meeting_kinds as kinds
from plugins.party_building.models import (
    ACTIVITY,
    ADMITTED,
    APPRAISAL_OUTCOMES,
    BIG_COMMITTEE,
    BRANCH,
    COMMITTEE,
    COMMITTEE_MEETING,
    COMMITTEE_MEMBER,
    COMMITTEE_ROLES,
    CONTACT,
    CORRECTED,
    CORRECTION,
    DEMOCRATIC_LIFE,
    DEPUTY_SECRETARY,
    DEVELOPMENT_STAGES,
    DIRECT,
    DISPOSAL_STEPS,
    DUAL,
    ENLARGED_MEETING,
    EVALUATED,
    EXAM_FAILED,
    EXAMINED,
    FULL,
    GENERAL_BRANCH,
    GROUP_MEETING,
    IN_SERVICE_ENTRY_KINDS,
    MANAGEMENT_KINDS,
    MEETING_TYPES,
    MEMBER_NOMINATED,
    MEMBER_STATUSES,
    MEMBERS_MEETING,
    NAME_LENGTH,
    NOMINATED,
    NOT_ACCEPTED,
    NOTICE_DRAFTED,
    ORGANIZATION_TYPES,
    PARTY_LECTURE,
    PERSUADED_TO_LEAVE,
    PROBATIONARY,
    QUALIFIED,
    REJECTED,
    REMOVED,
    SECRETARY,
    STARTED,
    TITLE_LENGTH,
    UNIT_KINDS,
    Appraisal,
    DemocraticLifePlan,
    DevelopmentCase,
    FeedbackSlip,
    HouseholdAssignment,
    HouseholdContact,
    InServiceEntry,
    InServiceRegistration,
    MemberUnit,
    MemberUnitAppraisal,
    PartyMember,
    PartyMemberTransfer,
    PartyOrganization,
)

SOURCE_PLUGIN = d.PLUGIN
TEXT_LENGTH = 20000
MAX_ATTENDEES = 2000


# --- helpers ------------------------------------------------------------------------------


def _text(
    value: str | None, field_name: str, what: str, *, required: bool = True, limit: int = TITLE_LENGTH
) -> str | None:
    cleaned = (value or "").strip()
    if not cleaned:
        if required:
            raise UserInputError("REQUIRED", f"请填写{what}。", field_name)
        return None
    if len(cleaned) > limit:
        raise UserInputError("TOO_LONG", f"{what}不能超过 {limit} 个字。", field_name)
    return cleaned


def _not_future(on: date, today: date, field_name: str, what: str) -> None:
    if on > today:
        raise UserInputError("DATE_IN_FUTURE", f"{what}不能晚于今天（{today}）。", field_name)


def _unit(session: Session, unit_id: int) -> OrgUnit:
    return get_unit(session, unit_id, field="orgUnitId")


def _resolve(session: Session, unit_id: int, key: Any, on: date | None = None) -> Any:
    return policy.resolve(session, _unit(session, unit_id), key, on)


def _save(session: Session, row: object | None, code: str, message: str, field_name: str) -> None:
    """Add (or, with ``None``, flush changes) under a savepoint: a unique
    index that a concurrent request got to first becomes the same refusal
    as the check made before it."""
    try:
        with session.begin_nested():
            if row is not None:
                session.add(row)
            session.flush()
    except IntegrityError:
        raise UserInputError(code, message, field_name) from None


def local_date(moment: Any) -> date:
    """The China Standard Time date of a stored timestamp."""
    return moment.astimezone(CHINA_STANDARD_TIME).date()


def get_organization(session: Session, pk: int, *, field: str = "organizationId") -> PartyOrganization:
    return get_row(session, PartyOrganization, pk, what="党组织", field=field)


def get_member(session: Session, pk: int, *, field: str = "memberId", lock: bool = False) -> PartyMember:
    return get_row(session, PartyMember, pk, what="党员", field=field, lock=lock)


def _active_organization(org: PartyOrganization, on: date, field_name: str = "organizationId") -> None:
    if org.dissolved_on is not None and org.dissolved_on <= on:
        raise UserInputError("ORGANIZATION_DISSOLVED", f"“{org.name}”已撤销。", field_name)


# --- organizations -----------------------------------------------------------------------


def create_organization(
    session: Session,
    *,
    name: str,
    org_type: str,
    org_unit_id: int,
    parent_id: int | None,
    has_groups: bool = False,
    established_on: date | None = None,
    today: date | None = None,
) -> PartyOrganization:
    """A party organization attached to an org unit. Its parent, if any, is
    a party organization whose unit contains this one's: the party tree is
    mapped onto the administrative tree, not identical to it."""
    today = today or local_today()
    problems: list[ErrorDetail] = []
    cleaned = (name or "").strip()
    if not cleaned:
        problems.append(ErrorDetail("REQUIRED", "请填写党组织名称。", "name"))
    elif len(cleaned) > NAME_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"名称不能超过 {NAME_LENGTH} 个字。", "name"))
    if org_type not in ORGANIZATION_TYPES:
        known = "、".join(f"{k}（{v}）" for k, v in ORGANIZATION_TYPES.items())
        problems.append(ErrorDetail("UNKNOWN_TYPE", f"未知的党组织类型“{org_type}”，可用类型：{known}。", "orgType"))
    if problems:
        raise UserInputError(errors=problems)
    unit = _unit(session, org_unit_id)
    if unit.dissolved_on is not None and unit.dissolved_on <= today:
        raise UserInputError("ORG_UNIT_DISSOLVED", "该组织单位已撤销。", "orgUnitId")
    parent = get_organization(session, parent_id, field="parentId") if parent_id is not None else None
    if parent is not None:
        _active_organization(parent, today, "parentId")
        low, high = subtree_bounds(parent.org_path)
        if not low <= unit.path < high:
            raise UserInputError(
                "UNIT_OUTSIDE_PARENT", f"下级党组织所在单位须在上级党组织“{parent.name}”所在单位的范围内。", "orgUnitId"
            )
    org = PartyOrganization(
        parent_id=parent.id if parent else None,
        party_path=f"/new-{uuid.uuid4().hex}/",
        depth=parent.depth + 1 if parent else 0,
        name=cleaned,
        org_type=org_type,
        org_unit_id=unit.id,
        org_path=unit.path,
        has_groups=has_groups,
        # Unknown for an organization older than its record here: it owes from the start.
        established_on=established_on,
    )
    session.add(org)
    session.flush()
    org.party_path = f"{parent.party_path if parent else '/'}{org.id}/"
    session.flush()
    return org


def change_organization_type(session: Session, org: PartyOrganization, org_type: str) -> PartyOrganization:
    if org_type not in ORGANIZATION_TYPES:
        raise UserInputError("UNKNOWN_TYPE", f"未知的党组织类型“{org_type}”。", "orgType")
    org.org_type = org_type
    session.flush()
    return org


def current_members_statement(org: PartyOrganization, *, subtree: bool = False) -> Any:
    """The current rows of ``org`` (a big committee's are its seats), or with
    ``subtree`` the current members of ``org`` and the organizations under
    it (seats are not memberships and are not counted)."""
    statement = select(PartyMember).where(PartyMember.left_on.is_(None))
    if subtree:
        statement = statement.join(PartyOrganization, PartyOrganization.id == PartyMember.organization_id).where(
            in_subtree(PartyOrganization.party_path, org.party_path), PartyMember.seat_only.is_(False)
        )
    else:
        statement = statement.where(PartyMember.organization_id == org.id)
    return statement


def member_count(session: Session, org: PartyOrganization) -> int:
    """Current members of ``org`` and of every organization under it."""
    statement = current_members_statement(org, subtree=True).with_only_columns(func.count(PartyMember.id))
    return int(session.scalar(statement) or 0)


def committee_of(session: Session, org: PartyOrganization) -> list[PartyMember]:
    return list(
        session.scalars(
            current_members_statement(org).where(PartyMember.committee_role.is_not(None)).order_by(PartyMember.id)
        )
    )


def _type_values(session: Session, org: PartyOrganization, on: date | None) -> dict[str, Any]:
    unit = _unit(session, org.org_unit_id)
    keys = [d.BRANCH_MAX_MEMBERS, d.BRANCH_MAX_COMPARATOR, d.COMMITTEE_MIN_MEMBERS, d.COMMITTEE_MIN_COMPARATOR]
    return {k: v.value for k, v in policy.resolve_many(session, unit, keys, on).items()}


def expected_type(session: Session, org: PartyOrganization, members: int, on: date | None = None) -> str:
    """The type membership requires: a branch within the branch band (50人以下,
    50 included by default), else a general branch. A party committee is
    never required, only allowed (``committee_allowed``)."""
    values = _type_values(session, org, on)
    if compare(members, values[d.BRANCH_MAX_COMPARATOR.key], values[d.BRANCH_MAX_MEMBERS.key]):
        return BRANCH
    return GENERAL_BRANCH


def committee_allowed(session: Session, org: PartyOrganization, members: int, on: date | None = None) -> bool:
    """党员100人以上……可建立党委 (000): membership allows a party committee."""
    values = _type_values(session, org, on)
    return compare(members, values[d.COMMITTEE_MIN_COMPARATOR.key], values[d.COMMITTEE_MIN_MEMBERS.key])


def secretary_only(session: Session, org: PartyOrganization, members: int, on: date | None = None) -> bool:
    """党员不足7名 (003): no committee, a secretary (and, where needed, deputies)."""
    unit = _unit(session, org.org_unit_id)
    keys = [d.SECRETARY_ONLY_MEMBERS, d.SECRETARY_ONLY_COMPARATOR]
    values = {k: v.value for k, v in policy.resolve_many(session, unit, keys, on).items()}
    return compare(members, values[d.SECRETARY_ONLY_COMPARATOR.key], values[d.SECRETARY_ONLY_MEMBERS.key])


@dataclass(frozen=True)
class OrgWarning:
    code: str
    message: str
    # A hint says what the rules allow; it is not something to correct.
    hint: bool = False


def organization_warnings(session: Session, org: PartyOrganization, on: date | None = None) -> list[OrgWarning]:
    """Where the organization's type or committee does not fit its membership
    (000, 003): reported, not silently allowed. What membership merely allows
    (a party committee at 100 or more) comes as a hint."""
    if org.dissolved_on is not None:
        return []
    if org.org_type == BIG_COMMITTEE:
        return big_committee_warnings(session, org, on)
    unit = _unit(session, org.org_unit_id)
    keys = [
        d.SECRETARY_ONLY_MEMBERS,
        d.SECRETARY_ONLY_MAX_DEPUTIES,
        d.BRANCH_COMMITTEE_MIN,
        d.BRANCH_COMMITTEE_MAX,
        d.GENERAL_BRANCH_COMMITTEE_MIN,
        d.GENERAL_BRANCH_COMMITTEE_MAX,
        d.COMMITTEE_COMMITTEE_MIN,
        d.COMMITTEE_COMMITTEE_MAX,
    ]
    values = {k: v.value for k, v in policy.resolve_many(session, unit, keys, on).items()}
    members = member_count(session, org)
    warnings: list[OrgWarning] = []
    wanted = expected_type(session, org, members, on)
    allowed = committee_allowed(session, org, members, on)
    if org.org_type == COMMITTEE:
        if not allowed:
            warnings.append(
                OrgWarning(
                    "TYPE_MISMATCH",
                    f"党员 {members} 名，未达到可建立党委的人数，按规定应设{ORGANIZATION_TYPES[wanted]}。",
                )
            )
    elif wanted != org.org_type:
        also = "，也可建立党委" if allowed else ""
        warnings.append(
            OrgWarning(
                "TYPE_MISMATCH",
                f"党员 {members} 名，按规定应设{ORGANIZATION_TYPES[wanted]}{also}，现为{ORGANIZATION_TYPES[org.org_type]}。",
            )
        )
    elif allowed:
        warnings.append(
            OrgWarning(
                "COMMITTEE_ALLOWED",
                f"党员 {members} 名，党务力量较强、工作基础较好、书记人选合适的，可以建立党委（不是必须）。",
                hint=True,
            )
        )
    committee = committee_of(session, org)
    secretaries = [m for m in committee if m.committee_role == SECRETARY]
    if not secretaries:
        warnings.append(OrgWarning("NO_SECRETARY", "尚未明确书记。"))
    if secretary_only(session, org, members, on):
        deputies = sum(1 for m in committee if m.committee_role == DEPUTY_SECRETARY)
        others = sum(1 for m in committee if m.committee_role not in (SECRETARY, DEPUTY_SECRETARY))
        max_deputies = values[d.SECRETARY_ONLY_MAX_DEPUTIES.key]
        if others or deputies > max_deputies:
            warnings.append(
                OrgWarning(
                    "COMMITTEE_NOT_ALLOWED",
                    f"党员不足 {values[d.SECRETARY_ONLY_MEMBERS.key]} 名，不设委员会，只设书记一名，"
                    f"必要时增设副书记不超过 {max_deputies} 名；现有委员 {len(committee)} 名。",
                )
            )
        return warnings
    low_key, high_key = {
        BRANCH: ("branch_committee_min", "branch_committee_max"),
        GENERAL_BRANCH: ("general_branch_committee_min", "general_branch_committee_max"),
        COMMITTEE: ("committee_committee_min", "committee_committee_max"),
    }[org.org_type]
    low = values[f"{d.PLUGIN}.org.{low_key}"]
    high = values[f"{d.PLUGIN}.org.{high_key}"]
    if not low <= len(committee) <= high:
        warnings.append(
            OrgWarning(
                "COMMITTEE_SIZE",
                f"{ORGANIZATION_TYPES[org.org_type]}委员会应有委员 {low}–{high} 名，现有 {len(committee)} 名。",
            )
        )
    return warnings


# --- members -------------------------------------------------------------------------------


def _check_role(session: Session, org: PartyOrganization, role: str | None, member_id: int | None) -> None:
    if role is None:
        return
    if role not in COMMITTEE_ROLES:
        known = "、".join(f"{k}（{v}）" for k, v in COMMITTEE_ROLES.items())
        raise UserInputError("UNKNOWN_COMMITTEE_ROLE", f"未知的委员职务“{role}”，可用：{known}。", "committeeRole")
    if role == SECRETARY:
        taken = session.scalar(
            current_members_statement(org)
            .where(PartyMember.committee_role == SECRETARY, PartyMember.id != (member_id or 0))
            .with_only_columns(PartyMember.id)
        )
        if taken is not None:
            raise UserInputError("SECRETARY_TAKEN", f"“{org.name}”已有书记，请先免去原书记。", "committeeRole")


# The core post each committee role is recorded as (core.posts.kinds).
POST_OF_ROLE = {SECRETARY: "secretary", DEPUTY_SECRETARY: "deputy_secretary", COMMITTEE_MEMBER: "member"}
PARTY_BODY_KIND = "party_organization"


def body_of(session: Session, org: PartyOrganization) -> Body:
    """The core body of ``org`` (kind ``party_organization`` at its unit),
    found or created on first use: one of the same name, else the unit's only
    party-organization body not yet linked to another organization (entered
    through core's posts before this plugin), else a new one."""
    if org.body_id is not None:
        found = session.get(Body, org.body_id)
        if found is not None:
            return found
    bodies = list(
        session.scalars(
            select(Body).where(Body.org_unit_id == org.org_unit_id, Body.kind == PARTY_BODY_KIND).order_by(Body.id)
        )
    )
    linked = set(
        session.scalars(
            select(PartyOrganization.body_id).where(
                PartyOrganization.body_id.is_not(None), PartyOrganization.id != org.id
            )
        )
    )
    named = [b for b in bodies if b.name == org.name]
    free = [b for b in bodies if b.id not in linked]
    body = named[0] if named else free[0] if len(free) == 1 else None
    if body is None:
        body = posts.create_body(session, org_unit_id=org.org_unit_id, kind=PARTY_BODY_KIND, name=org.name)
    org.body_id = body.id
    session.flush()
    return body


def sync_post(session: Session, member: PartyMember, on: date) -> None:
    """Record the member's committee role as a core post assignment (and end
    the one no longer held), so that whoever holds the secretary's post is
    read from one place: finance recognizes 一肩挑 from core's posts. Seats
    on a big party committee are not the community organization's posts."""
    org = get_organization(session, member.organization_id)
    wanted = None
    if member.left_on is None and not member.seat_only and org.org_type != BIG_COMMITTEE:
        wanted = POST_OF_ROLE.get(member.committee_role or "")
    current = session.get(PostAssignment, member.post_assignment_id) if member.post_assignment_id else None
    if current is not None and current.ended_on is None:
        if wanted == current.post_code and current.body_id == org.body_id:
            return
        posts.end_term(session, current, ended_on=max(on, current.term_start), reason="党组织委员职务变动")
    member.post_assignment_id = None
    if wanted is None:
        session.flush()
        return
    body = body_of(session, org)
    assignment = session.scalar(
        select(PostAssignment).where(
            PostAssignment.body_id == body.id,
            PostAssignment.post_code == wanted,
            PostAssignment.resident_id == member.resident_id,
            PostAssignment.ended_on.is_(None),
        )
    )
    if assignment is None:
        assignment = posts.assign(
            session,
            body_id=body.id,
            post_code=wanted,
            resident_id=member.resident_id,
            term_start=on,
            note=f"{org.name}{COMMITTEE_ROLES[member.committee_role or '']}（党建登记）",
        )
    member.post_assignment_id = assignment.id
    session.flush()


def admit_member(
    session: Session,
    *,
    resident_id: int,
    organization: PartyOrganization,
    status: str,
    joined_on: date,
    full_on: date | None = None,
    committee_role: str | None = None,
    member_unit_id: int | None = None,
    today: date | None = None,
) -> PartyMember:
    """Record a resident as a member of ``organization`` (接收组织关系 or 入党),
    or, for a big party committee, seat them on it (their membership stays
    where it is), optionally for one of its member units."""
    today = today or local_today()
    if status not in MEMBER_STATUSES:
        raise UserInputError("UNKNOWN_STATUS", "党员类别须为 probationary（预备党员）或 full（正式党员）。", "status")
    _not_future(joined_on, today, "joinedOn", "入党日期")
    if status == FULL and full_on is not None and full_on < joined_on:
        raise UserInputError("INVALID_DATE_RANGE", "转正日期不能早于入党日期。", "fullOn")
    if status == PROBATIONARY and full_on is not None:
        raise UserInputError("INVALID_VALUE", "预备党员没有转正日期。", "fullOn")
    _active_organization(organization, today)
    seat = organization.org_type == BIG_COMMITTEE
    if seat and committee_role is None:
        raise UserInputError(
            "BIG_COMMITTEE_MEMBERSHIP", "大党委不接收组织关系，只设委员：请填写委员职务。", "committeeRole"
        )
    if not seat and member_unit_id is not None:
        raise UserInputError("NOT_BIG_COMMITTEE", "只有大党委委员才代表成员单位。", "memberUnitId")
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError("居民", "residentId")
    current = session.scalar(
        select(PartyMember.id).where(
            PartyMember.resident_id == resident.id,
            PartyMember.left_on.is_(None),
            PartyMember.organization_id == organization.id if seat else PartyMember.seat_only.is_(False),
        )
    )
    if current is not None:
        if seat:
            raise UserInputError("ALREADY_SEATED", "该居民已是本大党委委员。", "residentId")
        raise UserInputError(
            "ALREADY_MEMBER", "该居民已是党员，组织关系在其他党组织；请办理组织关系转接。", "residentId"
        )
    _check_role(session, organization, committee_role, None)
    if member_unit_id is not None:
        _check_member_unit(session, organization, member_unit_id)
    member = PartyMember(
        resident_id=resident.id,
        organization_id=organization.id,
        org_unit_id=organization.org_unit_id,
        org_path=organization.org_path,
        status=status,
        joined_on=joined_on,
        full_on=full_on,
        committee_role=committee_role,
        flowing=False,
        seat_only=seat,
        member_unit_id=member_unit_id,
    )
    _save(session, member, "ALREADY_MEMBER", "该居民已是党员，或刚被他人登记；请刷新后查看。", "residentId")
    if committee_role is not None:
        sync_post(session, member, today)
    return member


def _current(member: PartyMember, *, membership: bool = False) -> None:
    if member.left_on is not None:
        raise UserInputError("MEMBERSHIP_ENDED", "该党员的组织关系已不在本组织。", "memberId")
    if membership and member.seat_only:
        raise UserInputError(
            "SEAT_NOT_MEMBERSHIP", "大党委委员的组织关系在其本人所在党组织，请在那里办理。", "memberId"
        )


def _check_member_unit(session: Session, big_committee: PartyOrganization, member_unit_id: int) -> MemberUnit:
    unit = session.get(MemberUnit, member_unit_id)
    if unit is None or unit.big_committee_id != big_committee.id or unit.left_on is not None:
        raise UserInputError("INVALID_MEMBER_UNIT", "须为本大党委现有的成员单位。", "memberUnitId")
    return unit


def set_seat_member_unit(session: Session, member: PartyMember, member_unit_id: int | None) -> PartyMember:
    """Which member unit a big-committee seat represents."""
    _current(member)
    if not member.seat_only:
        raise UserInputError("NOT_BIG_COMMITTEE", "只有大党委委员才代表成员单位。", "memberId")
    if member_unit_id is not None:
        _check_member_unit(session, get_organization(session, member.organization_id), member_unit_id)
    member.member_unit_id = member_unit_id
    session.flush()
    return member


def set_committee_role(
    session: Session, member: PartyMember, role: str | None, today: date | None = None
) -> PartyMember:
    """Appoint to (or, with None, remove from) a committee role; the core
    post follows from ``today``."""
    today = today or local_today()
    _current(member)
    org = get_organization(session, member.organization_id)
    _check_role(session, org, role, member.id)
    member.committee_role = role
    _save(session, None, "SECRETARY_TAKEN", f"“{org.name}”已有书记，请先免去原书记。", "committeeRole")
    sync_post(session, member, today)
    return member


def confirm_full_membership(session: Session, member: PartyMember, on: date, today: date | None = None) -> PartyMember:
    """预备党员转正."""
    today = today or local_today()
    _current(member, membership=True)
    if member.status != PROBATIONARY:
        raise UserInputError("NOT_PROBATIONARY", "只有预备党员才能转正。", "memberId")
    _not_future(on, today, "on", "转正日期")
    if on < member.joined_on:
        raise UserInputError("INVALID_DATE_RANGE", "转正日期不能早于入党日期。", "on")
    member.status = FULL
    member.full_on = on
    session.flush()
    return member


def transfer_member(
    session: Session, member: PartyMember, to: PartyOrganization, *, on: date, reason: str, today: date | None = None
) -> PartyMemberTransfer:
    """组织关系转接 between two organizations of this deployment; history kept.
    Committee posts do not move with the member."""
    today = today or local_today()
    _current(member, membership=True)
    reason_text = _text(reason, "reason", "转接原因", limit=TEXT_LENGTH)
    _not_future(on, today, "on", "转接日期")
    if to.id == member.organization_id:
        raise UserInputError("SAME_ORGANIZATION", "组织关系已在该党组织。", "toOrganizationId")
    _active_organization(to, today, "toOrganizationId")
    if to.org_type == BIG_COMMITTEE:
        raise UserInputError("BIG_COMMITTEE_MEMBERSHIP", "组织关系不能转入大党委。", "toOrganizationId")
    transfer = PartyMemberTransfer(
        member_id=member.id,
        from_organization_id=member.organization_id,
        to_organization_id=to.id,
        transferred_on=on,
        reason=reason_text,
    )
    session.add(transfer)
    member.organization_id = to.id
    member.org_unit_id = to.org_unit_id
    member.org_path = to.org_path
    member.committee_role = None
    session.flush()
    sync_post(session, member, on)
    return transfer


def set_flowing(session: Session, member: PartyMember, flowing: bool, destination: str | None) -> PartyMember:
    """流动党员: working away; still a member of the organization, which
    keeps in touch. A destination is required."""
    _current(member, membership=True)
    if flowing:
        member.flowing_destination = _text(destination, "destination", "外出去向（地点和单位）")
    else:
        member.flowing_destination = None
    member.flowing = flowing
    session.flush()
    return member


def end_membership(
    session: Session, member: PartyMember, *, on: date, reason: str, today: date | None = None
) -> PartyMember:
    today = today or local_today()
    _current(member)
    member.left_reason = _text(reason, "reason", "原因（转出本系统、去世、除名等）")
    _not_future(on, today, "on", "日期")
    if on < member.joined_on:
        raise UserInputError("INVALID_DATE_RANGE", "日期不能早于入党日期。", "on")
    member.left_on = on
    member.committee_role = None
    session.flush()
    sync_post(session, member, on)
    return member


# --- meetings ------------------------------------------------------------------------------


def meeting_types_for(session: Session, org: PartyOrganization, on: date | None = None) -> list[str]:
    """The meeting types an organization owes (三会一课, 民主生活会; the
    enlarged meeting for a big committee). A committee meeting only where
    there is a committee (not where a secretary alone leads, 003)."""
    if org.org_type == BIG_COMMITTEE:
        return [ENLARGED_MEETING]
    types = [MEMBERS_MEETING]
    if not secretary_only(session, org, member_count(session, org), on):
        types.append(COMMITTEE_MEETING)
    if org.has_groups:
        types.append(GROUP_MEETING)
    types += [PARTY_LECTURE, DEMOCRATIC_LIFE]
    return types


def expected_attendees(session: Session, org: PartyOrganization, meeting_type: str) -> list[PartyMember]:
    """Who should attend: the committee for a committee or enlarged meeting
    and for a democratic life meeting (the leadership team, 000); the full
    members (those with a vote) for a members' meeting; every member for a
    group meeting or a lecture."""
    statement = current_members_statement(org).order_by(PartyMember.id)
    if meeting_type in (COMMITTEE_MEETING, ENLARGED_MEETING, DEMOCRATIC_LIFE):
        statement = statement.where(PartyMember.committee_role.is_not(None))
    elif meeting_type == MEMBERS_MEETING:
        statement = statement.where(PartyMember.status == FULL)
    return list(session.scalars(statement))


def meeting_rules(session: Session, org_unit_id: int, meeting_type: str, on: date) -> tuple[str, str]:
    """(quorum rule, majority rule) of a meeting kind, as policy says on ``on``."""
    unit = _unit(session, org_unit_id)
    keys = [d.QUORUM_KEYS[meeting_type], d.MAJORITY_KEYS[meeting_type]]
    values = policy.resolve_many(session, unit, keys, on)
    return values[keys[0].key].value, values[keys[1].key].value


def is_quorate(meeting: Meeting) -> bool:
    """Whether the meeting met its kind's quorum rule (fixed when recorded)."""
    return bool(meeting.quorate)


def meeting_type_of(meeting: Meeting) -> str:
    """The party meeting type (``committee_meeting``) of a core meeting."""
    return kinds.meeting_type_of(meeting.kind)


def organization_of(session: Session, meeting: Meeting) -> PartyOrganization | None:
    if meeting.host_type != kinds.HOST_TYPE or meeting.host_id is None:
        return None
    return session.get(PartyOrganization, meeting.host_id)


def party_meetings_statement() -> Any:
    """Core meetings of the party kinds."""
    return select(Meeting).where(Meeting.kind.in_(kinds.KIND_CODES), Meeting.host_type == kinds.HOST_TYPE)


@dataclass(frozen=True)
class ResolutionInput:
    text: str
    votes_for: int
    votes_against: int = 0
    abstentions: int = 0


def _kind(meeting_type: str) -> MeetingKind:
    return next(k for k in kinds.MEETING_KINDS if k.code == kinds.kind_code(meeting_type))


def _add_resolution(
    session: Session, meeting: Meeting, item: ResolutionInput, field_name: str, today: date
) -> MeetingResolution:
    """A resolution through core meetings: below quorum none; votes at most
    those present with a vote; adopted per the kind's majority, counted
    against those who should attend (000); "none" adopts on more votes for
    than against."""
    return meetings.resolve(
        session,
        meeting,
        text=item.text,
        votes_for=item.votes_for,
        votes_against=item.votes_against,
        abstentions=item.abstentions,
        kind=_kind(meeting_type_of(meeting)),
        field=field_name,
        today=today,
    )


def leads_community(session: Session, org: PartyOrganization, community: OrgUnit) -> bool:
    """Whether ``org`` is the community's own party organization, whose
    meetings the community owes: one attached to the community itself; or,
    where none is, one at the top of the community's party organizations
    (its superior, if any, sits outside the community). A grid branch under
    a community committee keeps its own record (``meeting_compliance``)
    without fulfilling the community's calendar."""
    if org.org_unit_id == community.id:
        return True
    attached_here = session.scalar(
        select(PartyOrganization.id).where(
            PartyOrganization.org_unit_id == community.id,
            PartyOrganization.dissolved_on.is_(None),
            PartyOrganization.org_type == org.org_type
            if org.org_type == BIG_COMMITTEE
            else PartyOrganization.org_type != BIG_COMMITTEE,
        )
    )
    if attached_here is not None:
        return False
    parent = session.get(PartyOrganization, org.parent_id) if org.parent_id else None
    low, high = subtree_bounds(community.path)
    return parent is None or not low <= parent.org_path < high


def record_meeting(
    session: Session,
    host: PluginHost,
    org: PartyOrganization,
    *,
    meeting_type: str,
    held_on: date,
    topic: str,
    agenda: str | None = None,
    minutes: str | None = None,
    present_member_ids: Sequence[int] = (),
    absence_reasons: dict[int, str] | None = None,
    resolutions: Sequence[ResolutionInput] = (),
    user_id: int | None = None,
    today: date | None = None,
) -> Meeting:
    """Record a meeting held, with its attendance, as a core meeting of the
    party kind held by ``org``. A meeting that misses its kind's quorum
    (policy; only the committee meeting has one in the seeds) is recorded as
    such, cannot take resolutions and fulfils nothing. A democratic life
    meeting needs its topic reported to the superior the policy number of
    days ahead."""
    today = today or local_today()
    if meeting_type not in MEETING_TYPES:
        known = "、".join(f"{k}（{v}）" for k, v in MEETING_TYPES.items())
        raise UserInputError("UNKNOWN_MEETING_TYPE", f"未知的会议类型“{meeting_type}”，可用：{known}。", "meetingType")
    if (meeting_type == ENLARGED_MEETING) != (org.org_type == BIG_COMMITTEE):
        raise UserInputError(
            "MEETING_TYPE_NOT_FOR_ORGANIZATION",
            "大党委召开（扩大）会议；其他党组织召开三会一课和民主生活会。",
            "meetingType",
        )
    _not_future(held_on, today, "heldOn", "会议日期")
    _active_organization(org, held_on)
    topic_text = _text(topic, "topic", "会议主题")
    agenda_text = _text(agenda, "agenda", "议程", required=False, limit=TEXT_LENGTH)
    minutes_text = _text(minutes, "minutes", "会议记录", required=False, limit=TEXT_LENGTH)
    plan: DemocraticLifePlan | None = None
    if meeting_type == DEMOCRATIC_LIFE:
        plan = _reported_plan(session, org, held_on)
    present = set(present_member_ids)
    if len(present) > MAX_ATTENDEES:
        raise UserInputError("TOO_MANY", f"出席人数不能超过 {MAX_ATTENDEES}。", "presentMemberIds")
    members = {m.id: m for m in session.scalars(current_members_statement(org))}
    strangers = sorted(present - set(members))
    if strangers:
        raise UserInputError("NOT_A_MEMBER", "出席名单中有不属于本党组织的人员。", "presentMemberIds")
    expected = {m.id for m in expected_attendees(session, org, meeting_type)}
    if not expected:
        raise UserInputError(
            "NO_EXPECTED_ATTENDEES", "本党组织没有应参加此类会议的人员（请先登记党员和委员）。", "meetingType"
        )
    kind = _kind(meeting_type)
    meeting = meetings.create_meeting(
        session,
        kind,
        _unit(session, org.org_unit_id),
        title=topic_text or "",
        held_on=held_on,
        agenda=[agenda_text] if agenda_text else [],
        host_type=kinds.HOST_TYPE,
        host_id=org.id,
        user_id=user_id,
        today=today,
    )
    meeting.minutes = minutes_text
    reasons = absence_reasons or {}
    for member_id in sorted(expected | present):
        member = members[member_id] if member_id in members else session.get(PartyMember, member_id)
        assert member is not None
        if member_id in present:
            meetings.sign_in(
                session, meeting, member.resident_id, allow_guest=True, user_id=user_id, today=today, kind=kind
            )
        else:
            reason = _text(reasons.get(member_id), "absenceReasons", "缺席原因", required=False)
            meetings.sign_in(
                session,
                meeting,
                member.resident_id,
                status=ABSENT,
                absence_reason=reason,
                reason_required=False,
                user_id=user_id,
                today=today,
                kind=kind,
            )
    for index, item in enumerate(resolutions):
        _add_resolution(session, meeting, item, f"resolutions.{index}", today)
    if plan is not None:
        plan.meeting_id = meeting.id
    if is_quorate(meeting):
        meetings.fulfil_obligation(session, host, meeting, kind, user_id=user_id, today=today)
    session.flush()
    return meeting


def add_resolution(
    session: Session, meeting: Meeting, item: ResolutionInput, today: date | None = None
) -> MeetingResolution:
    return _add_resolution(session, meeting, item, "resolution", today or local_today())


# --- democratic life meeting -------------------------------------------------------------------


def plan_democratic_life(
    session: Session,
    host: PluginHost,
    org: PartyOrganization,
    *,
    planned_on: date,
    topic: str,
    today: date | None = None,
) -> DemocraticLifePlan:
    """Plan the yearly democratic life meeting. Its topic and date are owed
    to the superior ``democratic_life.report_days_ahead`` days before the
    meeting: a per-event reporting obligation is opened with that deadline,
    so a meeting planned too close to today is refused."""
    today = today or local_today()
    if org.org_type == BIG_COMMITTEE:
        raise UserInputError("MEETING_TYPE_NOT_FOR_ORGANIZATION", "大党委不召开民主生活会。", "organizationId")
    _active_organization(org, today)
    topic_text = _text(topic, "topic", "会议主题")
    days = int(_resolve(session, org.org_unit_id, d.DEMOCRATIC_LIFE_REPORT_DAYS, today))
    report_due = planned_on - timedelta(days=days)
    if report_due < today:
        raise UserInputError(
            "TOO_LATE_TO_REPORT",
            f"民主生活会的主题和时间须提前 {days} 天报上级党组织；最早可安排在 {today + timedelta(days=days)}。",
            "plannedOn",
        )
    pending = session.scalar(
        select(DemocraticLifePlan.id).where(
            DemocraticLifePlan.organization_id == org.id,
            DemocraticLifePlan.meeting_id.is_(None),
            DemocraticLifePlan.planned_on >= today,
        )
    )
    if pending is not None:
        raise UserInputError("PLAN_EXISTS", "本党组织已有尚未召开的民主生活会安排。", "organizationId")
    instance = reporting.open_event_instance(
        session,
        host,
        d.DEMOCRATIC_LIFE_TOPIC_REPORT.code,
        _unit(session, org.org_unit_id),
        event_on=today,
        due_on=report_due,
    )
    plan = DemocraticLifePlan(
        organization_id=org.id,
        org_unit_id=org.org_unit_id,
        org_path=org.org_path,
        planned_on=planned_on,
        topic=topic_text,
        report_instance_id=instance.id,
    )
    session.add(plan)
    session.flush()
    return plan


def report_democratic_life_topic(
    session: Session, host: PluginHost, plan: DemocraticLifePlan, *, user_id: int | None, today: date | None = None
) -> DemocraticLifePlan:
    """Report the topic and date upwards: submits the plan's obligation."""
    today = today or local_today()
    if plan.reported_on is not None:
        raise UserInputError("ALREADY_REPORTED", "主题已上报。", "planId")
    instance = session.get(ObligationInstance, plan.report_instance_id)
    assert instance is not None  # RESTRICT foreign key
    if not (instance.status in DONE_STATUSES and instance.reopened_at is None):
        reporting.submit(
            session,
            host,
            instance,
            user_id=user_id,
            note=f"民主生活会：{plan.topic}，拟于 {plan.planned_on} 召开",
            today=today,
        )
    plan.reported_on = today
    session.flush()
    return plan


def _reported_plan(session: Session, org: PartyOrganization, held_on: date) -> DemocraticLifePlan:
    days = int(_resolve(session, org.org_unit_id, d.DEMOCRATIC_LIFE_REPORT_DAYS, held_on))
    plans = list(
        session.scalars(
            select(DemocraticLifePlan)
            .where(DemocraticLifePlan.organization_id == org.id, DemocraticLifePlan.meeting_id.is_(None))
            .order_by(DemocraticLifePlan.planned_on)
        )
    )
    for plan in plans:
        if plan.reported_on is not None and plan.reported_on <= held_on - timedelta(days=days):
            return plan
    raise UserInputError(
        "TOPIC_NOT_REPORTED",
        f"民主生活会的主题和时间须至少提前 {days} 天报上级党组织；本次会议没有按时上报的安排。",
        "heldOn",
    )


# --- compliance: what is due, done and overdue -------------------------------------------------


@dataclass
class ComplianceItem:
    organization: PartyOrganization
    meeting_type: str
    period_start: date
    period_end: date
    held: int
    status: str  # done | due | overdue


def meeting_compliance(
    session: Session, orgs: Iterable[PartyOrganization], year: int, today: date | None = None
) -> list[ComplianceItem]:
    """Per organization and owed meeting type, each period of ``year`` that
    has begun: how many quorate meetings were held, and whether the period is
    done, still due, or overdue (ended without one)."""
    today = today or local_today()
    orgs = [o for o in orgs if o.dissolved_on is None or o.dissolved_on.year >= year]
    if not orgs:
        return []
    held: dict[tuple[int, str], list[date]] = {}
    rows = session.execute(
        select(Meeting.host_id, Meeting.kind, Meeting.held_on).where(
            Meeting.host_type == kinds.HOST_TYPE,
            Meeting.host_id.in_([o.id for o in orgs]),
            Meeting.kind.in_(kinds.KIND_CODES),
            Meeting.held_on >= date(year, 1, 1),
            Meeting.held_on <= date(year, 12, 31),
            Meeting.quorate.is_(True),
        )
    )
    for org_id, kind, on in rows:
        assert org_id is not None  # hosted by one of ``orgs``
        held.setdefault((int(org_id), kinds.meeting_type_of(kind)), []).append(on)
    items: list[ComplianceItem] = []
    for org in orgs:
        for kind in meeting_types_for(session, org, today):
            # The periods the reporting calendar owes: one source for both.
            recurrence = d.MEETING_OBLIGATIONS[kind].recurrence
            dates = held.get((org.id, kind), [])
            for start, end in periods_of_year(recurrence, year, today):
                count = sum(1 for on in dates if start <= on <= end)
                status = "done" if count else ("overdue" if end < today else "due")
                items.append(ComplianceItem(org, kind, start, end, count, status))
    return items


# --- member development (两推一评一考一公示) ----------------------------------------------------


def get_case(session: Session, pk: int, *, field: str = "caseId", lock: bool = False) -> DevelopmentCase:
    """A development case; with ``lock`` locked and re-read, so that two
    steps recorded at once are taken one after the other."""
    return get_row(session, DevelopmentCase, pk, what="发展党员记录", field=field, lock=lock)


def _step(case: DevelopmentCase, expected: str, action: str) -> None:
    if case.stage != expected:
        raise UserInputError(
            "STEP_OUT_OF_ORDER",
            f"当前环节为“{DEVELOPMENT_STAGES[case.stage]}”，须先完成“{DEVELOPMENT_STAGES[expected]}”才能{action}"
            "（两推一评一考一公示须依次进行）。",
            "caseId",
        )


def _step_date(case: DevelopmentCase, on: date, previous: date | None, today: date) -> None:
    _not_future(on, today, "on", "日期")
    if previous is not None and on < previous:
        raise UserInputError("INVALID_DATE_RANGE", f"日期不能早于上一环节（{previous}）。", "on")


def start_development(
    session: Session, *, resident_id: int, organization: PartyOrganization, today: date | None = None
) -> DevelopmentCase:
    today = today or local_today()
    _active_organization(organization, today)
    if organization.org_type == BIG_COMMITTEE:
        raise UserInputError("BIG_COMMITTEE_MEMBERSHIP", "发展党员由党支部进行，不在大党委。", "organizationId")
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError("居民", "residentId")
    member = session.scalar(
        select(PartyMember.id).where(
            PartyMember.resident_id == resident.id, PartyMember.left_on.is_(None), PartyMember.seat_only.is_(False)
        )
    )
    if member is not None:
        raise UserInputError("ALREADY_MEMBER", "该居民已是党员。", "residentId")
    open_case = session.scalar(
        select(DevelopmentCase.id).where(
            DevelopmentCase.resident_id == resident.id,
            DevelopmentCase.stage.not_in((ADMITTED, NOT_ACCEPTED, EXAM_FAILED, REJECTED)),
        )
    )
    if open_case is not None:
        raise UserInputError("CASE_OPEN", "该居民已在发展程序中。", "residentId")
    case = DevelopmentCase(
        resident_id=resident.id,
        organization_id=organization.id,
        org_unit_id=organization.org_unit_id,
        org_path=organization.org_path,
        stage=STARTED,
        started_on=today,
    )
    session.add(case)
    session.flush()
    return case


def record_member_nomination(
    session: Session, case: DevelopmentCase, *, on: date, count: int, today: date | None = None
) -> DevelopmentCase:
    """两推 (1): nominated by party members."""
    today = today or local_today()
    _step(case, STARTED, "登记党员推荐")
    _step_date(case, on, case.started_on, today)
    if count < 1:
        raise UserInputError("INVALID_VALUE", "推荐人数至少为 1。", "count")
    case.member_nominated_on, case.member_nominations, case.stage = on, count, MEMBER_NOMINATED
    session.flush()
    return case


def record_representative_nomination(
    session: Session, case: DevelopmentCase, *, on: date, count: int, today: date | None = None
) -> DevelopmentCase:
    """两推 (2): nominated by the residents' (villagers') representatives."""
    today = today or local_today()
    _step(case, MEMBER_NOMINATED, "登记群众（代表）推荐")
    _step_date(case, on, case.member_nominated_on, today)
    if count < 1:
        raise UserInputError("INVALID_VALUE", "推荐人数至少为 1。", "count")
    case.representative_nominated_on, case.representative_nominations, case.stage = on, count, NOMINATED
    session.flush()
    return case


def record_evaluation(
    session: Session, case: DevelopmentCase, *, on: date, approvals: int, participants: int, today: date | None = None
) -> DevelopmentCase:
    """一评: an evaluation meeting. Approvals not exceeding the policy ratio
    (60 %) of the participants mean the candidate is not accepted and the
    case ends (003: 凡得赞成票不超过60%的，不能确定为入党积极分子)."""
    today = today or local_today()
    _step(case, NOMINATED, "进行测评")
    _step_date(case, on, case.representative_nominated_on, today)
    if participants < 1 or approvals < 0 or approvals > participants:
        raise UserInputError("INVALID_VALUE", "参加测评人数至少为 1，赞成票不能超过参加人数。", "approvals")
    ratio = Decimal(str(_resolve(session, case.org_unit_id, d.EVALUATION_MIN_RATIO, on)))
    case.evaluated_on, case.evaluation_approvals, case.evaluation_participants = on, approvals, participants
    case.stage = EVALUATED if Decimal(approvals) > ratio * participants else NOT_ACCEPTED
    session.flush()
    return case


def record_exam(
    session: Session, case: DevelopmentCase, *, on: date, score: int, today: date | None = None
) -> DevelopmentCase:
    """一考: below the pass score the case ends."""
    today = today or local_today()
    _step(case, EVALUATED, "登记考试成绩")
    _step_date(case, on, case.evaluated_on, today)
    maximum = int(_resolve(session, case.org_unit_id, d.EXAM_MAX_SCORE, on))
    if not 0 <= score <= maximum:
        raise UserInputError("INVALID_VALUE", f"考试成绩须在 0 到 {maximum} 之间。", "score")
    passing = int(_resolve(session, case.org_unit_id, d.EXAM_PASS_SCORE, on))
    case.examined_on, case.exam_score = on, score
    case.stage = EXAMINED if score >= passing else EXAM_FAILED
    session.flush()
    return case


def board_unit(session: Session, org_unit_id: int) -> OrgUnit:
    """The public board a party organization publishes on: its community's
    (a branch attached to a grid or building posts on the community board),
    or its own unit's when it sits above the community level."""
    unit = _unit(session, org_unit_id)
    settings = settings_of(session)
    for candidate in reversed([*ancestors(session, unit), unit]):
        if settings.role_of(candidate.level) == ROLE_GRASSROOTS:
            return candidate
    return unit


PERSONAL_DATA_RULE = "发展党员工作实行“两推一评一考一公示”，发展对象须在公开栏公示，接受党员和群众监督。"


def draft_development_notice(
    session: Session,
    who: Any,
    case: DevelopmentCase,
    *,
    categories: NoticeCategoryRegistry,
    registry: Any = None,
    today: date | None = None,
) -> Notice:
    """一公示: drafts the candidate notice on the community's public board and
    sends it to the party organization for approval (core's board: draft →
    approve → publish). The branch meeting waits for its publication."""
    today = today or local_today()
    _step(case, EXAMINED, "起草公示")
    resident = session.get(Resident, case.resident_id)
    org = get_organization(session, case.organization_id)
    assert resident is not None
    days = int(_resolve(session, case.org_unit_id, d.NOTICE_DAYS, today))
    notice = board.draft_notice(
        session,
        who,
        org_unit=board_unit(session, case.org_unit_id),
        title=f"关于{resident.name}同志列为发展对象的公示",
        body=(
            f"经党员推荐、群众推荐、民主测评和考试，{org.name}拟将{resident.name}同志列为发展对象，"
            f"现予公示，公示期 {days} 天（自公开之日起，期满下架）。公示期间，党员和群众可向{org.name}反映情况和意见。"
        ),
        display_days=days,
        category="party_affairs",
        publisher_label=org.name,
        source_plugin=SOURCE_PLUGIN,
        source_key=f"development:{case.id}",
        names_persons=True,
        personal_data_rule=PERSONAL_DATA_RULE,
        categories=categories,
        registry=registry,
    )
    board.submit_for_approval(session, who, notice, registry=registry)
    case.notice_id = notice.id
    case.stage = NOTICE_DRAFTED
    session.flush()
    return notice


def notice_published_on(notice: Notice) -> date | None:
    if notice.status != PUBLISHED or notice.published_at is None:
        return None
    return local_date(notice.published_at)


def record_branch_meeting(
    session: Session,
    case: DevelopmentCase,
    *,
    on: date,
    approved: bool,
    meeting_id: int | None = None,
    today: date | None = None,
) -> DevelopmentCase:
    """The branch meeting decides, only after the notice has been on the
    public board for the policy number of days (a local default: the seeds
    set none)."""
    today = today or local_today()
    _step(case, NOTICE_DRAFTED, "提交支部大会讨论")
    _not_future(on, today, "on", "支部大会日期")
    notice = session.get(Notice, case.notice_id) if case.notice_id else None
    published = notice_published_on(notice) if notice is not None else None
    if published is None:
        raise UserInputError("NOTICE_NOT_PUBLISHED", "公示尚未在公开栏公开（须经党组织审核后公开）。", "caseId")
    days = int(_resolve(session, case.org_unit_id, d.NOTICE_DAYS, published))
    if on < published + timedelta(days=days):
        raise UserInputError(
            "NOTICE_PERIOD_NOT_OVER",
            f"公示于 {published} 公开，须满 {days} 天，{published + timedelta(days=days)} 起方可提交支部大会。",
            "on",
        )
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if (
            meeting is None
            or meeting.host_type != kinds.HOST_TYPE
            or meeting.host_id != case.organization_id
            or meeting.kind != kinds.kind_code(MEMBERS_MEETING)
        ):
            raise UserInputError("INVALID_MEETING", "须为本党组织的支部党员大会。", "meetingId")
        if not is_quorate(meeting):
            raise UserInputError("QUORUM_NOT_MET", "该支部党员大会到会人数未达到规定，不能作出决定。", "meetingId")
        case.branch_meeting_id = meeting.id
    case.branch_meeting_on = on
    case.stage = ADMITTED if approved else REJECTED
    session.flush()
    return case


# --- in-service members (一卡一簿一单) ----------------------------------------------------------


def register_in_service(
    session: Session,
    *,
    resident_id: int,
    org_unit_id: int,
    workplace: str,
    workplace_organization: str,
    registered_on: date | None = None,
    today: date | None = None,
) -> InServiceRegistration:
    today = today or local_today()
    registered_on = registered_on or today
    _not_future(registered_on, today, "registeredOn", "报到日期")
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFoundError("居民", "residentId")
    unit = _unit(session, org_unit_id)
    low, high = subtree_bounds(unit.path)
    if not low <= resident.org_path < high:
        raise UserInputError(
            "NOT_RESIDENT_HERE",
            f"在职党员向居住地社区报到：该居民不住在“{unit.name}”（以人口库的居住地为准）。",
            "residentId",
        )
    existing = session.scalar(
        select(InServiceRegistration.id).where(
            InServiceRegistration.resident_id == resident.id, InServiceRegistration.ended_on.is_(None)
        )
    )
    if existing is not None:
        raise UserInputError("ALREADY_REGISTERED", "该在职党员已在社区报到。", "residentId")
    registration = InServiceRegistration(
        resident_id=resident.id,
        org_unit_id=unit.id,
        org_path=unit.path,
        workplace=_text(workplace, "workplace", "工作单位"),
        workplace_organization=_text(workplace_organization, "workplaceOrganization", "所在单位党组织"),
        registered_on=registered_on,
    )
    _save(session, registration, "ALREADY_REGISTERED", "该在职党员已在社区报到。", "residentId")
    return registration


def add_in_service_entry(
    session: Session,
    registration: InServiceRegistration,
    *,
    kind: str,
    on: date,
    description: str,
    today: date | None = None,
) -> InServiceEntry:
    today = today or local_today()
    if kind not in IN_SERVICE_ENTRY_KINDS:
        raise UserInputError("UNKNOWN_KIND", "记录类型须为 contact（联系报到）或 activity（参加活动）。", "kind")
    if registration.ended_on is not None:
        raise UserInputError("REGISTRATION_ENDED", "该在职党员已结束在本社区报到。", "registrationId")
    _not_future(on, today, "on", "日期")
    if on < registration.registered_on:
        raise UserInputError("INVALID_DATE_RANGE", "日期不能早于报到日期。", "on")
    entry = InServiceEntry(
        registration_id=registration.id,
        kind=kind,
        entry_on=on,
        description=_text(description, "description", "内容", limit=TEXT_LENGTH),
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass
class InServiceStatus:
    registration: InServiceRegistration
    year: int
    quarter: int
    contacts_in_quarter: int
    activities_in_year: int
    min_contacts: int
    min_activities: int
    shortfalls: list[str] = field(default_factory=list)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise UserInputError("INVALID_VALUE", "季度须为 1 到 4。", "quarter")
    return period_of("quarterly", date(year, quarter * 3 - 2, 1))


def in_service_status(
    session: Session, registration: InServiceRegistration, year: int, quarter: int, today: date | None = None
) -> InServiceStatus:
    """Contacts in the quarter and activities in the year (to date) against
    the policy quotas (000: contact at least once a quarter, at least 2
    activities a year); each quota not (yet) met is a shortfall line."""
    start, end = quarter_bounds(year, quarter)
    rows = list(
        session.execute(
            select(InServiceEntry.kind, InServiceEntry.entry_on).where(
                InServiceEntry.registration_id == registration.id,
                InServiceEntry.entry_on >= date(year, 1, 1),
                InServiceEntry.entry_on <= date(year, 12, 31),
            )
        )
    )
    contacts = sum(1 for kind, on in rows if kind == CONTACT and start <= on <= end)
    activities = sum(1 for kind, _on in rows if kind == ACTIVITY)
    unit = _unit(session, registration.org_unit_id)
    values = policy.resolve_many(
        session, unit, [d.IN_SERVICE_CONTACTS_PER_QUARTER, d.IN_SERVICE_ACTIVITIES_PER_YEAR], start
    )
    min_contacts = values[d.IN_SERVICE_CONTACTS_PER_QUARTER.key].value
    min_activities = values[d.IN_SERVICE_ACTIVITIES_PER_YEAR.key].value
    status = InServiceStatus(registration, year, quarter, contacts, activities, min_contacts, min_activities)
    if contacts < min_contacts:
        status.shortfalls.append(f"本季度与社区联系 {contacts} 次，少于规定的 {min_contacts} 次。")
    if activities < min_activities:
        status.shortfalls.append(f"本年度参加社区活动 {activities} 次，少于规定的 {min_activities} 次。")
    return status


def issue_feedback_slip(
    session: Session, registration: InServiceRegistration, *, year: int, quarter: int, today: date | None = None
) -> FeedbackSlip:
    """一单: generated from the record once the quarter is over, sent to the
    workplace party organization, kept as sent."""
    today = today or local_today()
    start, end = quarter_bounds(year, quarter)
    if today <= end:
        raise UserInputError("QUARTER_NOT_OVER", f"{year} 年第 {quarter} 季度尚未结束，季末后再生成反馈单。", "quarter")
    if (
        session.scalar(
            select(FeedbackSlip.id).where(
                FeedbackSlip.registration_id == registration.id,
                FeedbackSlip.year == year,
                FeedbackSlip.quarter == quarter,
            )
        )
        is not None
    ):
        raise UserInputError("SLIP_EXISTS", "本季度的反馈单已发出。", "quarter")
    status = in_service_status(session, registration, year, quarter, today)
    resident = session.get(Resident, registration.resident_id)
    unit = _unit(session, registration.org_unit_id)
    entries = list(
        session.scalars(
            select(InServiceEntry)
            .where(
                InServiceEntry.registration_id == registration.id,
                InServiceEntry.entry_on >= start,
                InServiceEntry.entry_on <= end,
            )
            .order_by(InServiceEntry.entry_on, InServiceEntry.id)
        )
    )
    lines = [
        f"{registration.workplace_organization}：",
        (
            f"贵单位党员{resident.name if resident else ''}同志在{unit.name}报到。{year} 年第 {quarter} 季度，"
            f"与社区联系 {status.contacts_in_quarter} 次，本年度累计参加社区活动 {status.activities_in_year} 次。"
        ),
        *[f"{e.entry_on} {IN_SERVICE_ENTRY_KINDS[e.kind]}：{e.description}" for e in entries],
        *(status.shortfalls or ["符合在职党员进社区的要求。"]),
    ]
    slip = FeedbackSlip(
        registration_id=registration.id,
        year=year,
        quarter=quarter,
        contacts=status.contacts_in_quarter,
        activities=status.activities_in_year,
        content="\n".join(lines),
        sent_on=today,
    )
    _save(session, slip, "SLIP_EXISTS", "本季度的反馈单已发出。", "quarter")
    return slip


# --- household contact (联户) ------------------------------------------------------------------


def assign_household(
    session: Session, member: PartyMember, household_id: int, *, on: date | None = None, today: date | None = None
) -> HouseholdAssignment:
    today = today or local_today()
    on = on or today
    _current(member, membership=True)
    _not_future(on, today, "assignedOn", "日期")
    household = session.get(Household, household_id)
    if household is None:
        raise NotFoundError("户", "householdId")
    low, high = subtree_bounds(member.org_path)
    if not low <= household.org_path < high:
        raise UserInputError(
            "HOUSEHOLD_OUTSIDE_ORGANIZATION", "所联系的户须在该党员所在党组织的范围内。", "householdId"
        )
    taken = session.scalar(
        select(HouseholdAssignment.id).where(
            HouseholdAssignment.household_id == household.id, HouseholdAssignment.ended_on.is_(None)
        )
    )
    if taken is not None:
        raise UserInputError("HOUSEHOLD_ALREADY_ASSIGNED", "该户已有联系党员。", "householdId")
    assignment = HouseholdAssignment(
        member_id=member.id,
        household_id=household.id,
        org_unit_id=household.org_unit_id,
        org_path=household.org_path,
        assigned_on=on,
    )
    _save(session, assignment, "HOUSEHOLD_ALREADY_ASSIGNED", "该户已有联系党员。", "householdId")
    return assignment


CONTACT_METHODS = {"visit": "入户走访", "phone": "电话联系", "online": "微信等网络联系", "meeting": "见面交流"}


def log_household_contact(
    session: Session,
    assignment: HouseholdAssignment,
    *,
    on: date,
    method: str,
    note: str | None,
    today: date | None = None,
) -> HouseholdContact:
    today = today or local_today()
    if assignment.ended_on is not None:
        raise UserInputError("ASSIGNMENT_ENDED", "该联户关系已结束。", "assignmentId")
    if method not in CONTACT_METHODS:
        known = "、".join(f"{k}（{v}）" for k, v in CONTACT_METHODS.items())
        raise UserInputError("UNKNOWN_METHOD", f"联系方式可选：{known}。", "method")
    _not_future(on, today, "contactedOn", "联系日期")
    if on < assignment.assigned_on:
        raise UserInputError("INVALID_DATE_RANGE", "联系日期不能早于联户开始日期。", "contactedOn")
    contact = HouseholdContact(
        assignment_id=assignment.id,
        contacted_on=on,
        method=method,
        note=_text(note, "note", "情况", required=False, limit=TEXT_LENGTH),
    )
    session.add(contact)
    session.flush()
    return contact


@dataclass
class CoverageRow:
    assignment: HouseholdAssignment
    contacts: int
    required: int

    @property
    def covered(self) -> bool:
        return self.contacts >= self.required


def household_coverage(session: Session, org: PartyOrganization, year: int, month: int) -> list[CoverageRow]:
    """Every current household assignment of the organization's members with
    the month's contacts against the policy minimum: the gaps are the rows
    that are not covered."""
    start = date(year, month, 1)
    end = period_of("monthly", start)[1]
    assignments = list(
        session.scalars(
            select(HouseholdAssignment)
            .join(PartyMember, PartyMember.id == HouseholdAssignment.member_id)
            .where(
                PartyMember.organization_id == org.id,
                HouseholdAssignment.assigned_on <= end,
                (HouseholdAssignment.ended_on.is_(None)) | (HouseholdAssignment.ended_on >= start),
            )
            .order_by(HouseholdAssignment.id)
        )
    )
    if not assignments:
        return []
    counts = dict(
        session.execute(
            select(HouseholdContact.assignment_id, func.count())
            .where(
                HouseholdContact.assignment_id.in_([a.id for a in assignments]),
                HouseholdContact.contacted_on >= start,
                HouseholdContact.contacted_on <= end,
            )
            .group_by(HouseholdContact.assignment_id)
        ).all()
    )
    required = int(_resolve(session, org.org_unit_id, d.HOUSEHOLD_CONTACTS_PER_MONTH, start))
    return [CoverageRow(a, int(counts.get(a.id, 0)), required) for a in assignments]


def unassigned_households_statement(org: PartyOrganization) -> Any:
    """Households in the organization's area that no member contacts: the
    other gap of household contact (the first is contacts not made)."""
    assigned = select(HouseholdAssignment.household_id).where(HouseholdAssignment.ended_on.is_(None))
    return select(Household).where(in_subtree(Household.org_path, org.org_path), Household.id.not_in(assigned))


# --- appraisal ------------------------------------------------------------------------------------


def appraise_member(
    session: Session,
    member: PartyMember,
    *,
    year: int,
    half: int,
    points: int,
    outcome: str | None,
    comment: str | None,
    correction_until: date | None = None,
    today: date | None = None,
) -> Appraisal:
    """Half-yearly appraisal by points (积分量化考核): at or above the
    qualified points the outcome is "qualified". Below, the procedure for an
    unqualified member starts (003: 限期改正、劝退、除名): a correction period
    until ``correction_until``; persuasion and removal are later steps
    (``advance_disposal``), never the appraisal itself."""
    today = today or local_today()
    _current(member, membership=True)
    if half not in (1, 2):
        raise UserInputError("INVALID_VALUE", "半年须为 1（上半年）或 2（下半年）。", "half")
    period_end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    period_start = date(year, 1, 1) if half == 1 else date(year, 7, 1)
    if today < period_start:
        raise UserInputError("PERIOD_NOT_STARTED", "该半年尚未开始。", "half")
    unit = _unit(session, member.org_unit_id)
    values = policy.resolve_many(session, unit, [d.APPRAISAL_QUALIFIED_POINTS, d.APPRAISAL_MAX_POINTS], period_end)
    qualified = values[d.APPRAISAL_QUALIFIED_POINTS.key].value
    maximum = values[d.APPRAISAL_MAX_POINTS.key].value
    if not 0 <= points <= maximum:
        raise UserInputError("INVALID_VALUE", f"积分须在 0 到 {maximum} 之间。", "points")
    if points >= qualified:
        if outcome not in (None, QUALIFIED):
            raise UserInputError(
                "OUTCOME_MISMATCH", f"积分 {points} 达到合格线 {qualified}，评议结果应为合格。", "outcome"
            )
        if correction_until is not None:
            raise UserInputError("INVALID_VALUE", "合格党员没有改正期限。", "correctionUntil")
        outcome = QUALIFIED
    else:
        if outcome in DISPOSAL_STEPS:
            raise UserInputError(
                "PROCEDURE_STEP_REQUIRED",
                "不合格党员的处置须依次进行：先限期改正；期满未改正的再劝其退党；劝而不退的方可除名。",
                "outcome",
            )
        if outcome not in (None, CORRECTION):
            raise UserInputError("OUTCOME_REQUIRED", f"积分 {points} 低于合格线 {qualified}，须限期改正。", "outcome")
        if correction_until is None:
            raise UserInputError("REQUIRED", "不合格党员须限期改正：请填写改正期限。", "correctionUntil")
        if correction_until <= today:
            raise UserInputError("INVALID_DATE_RANGE", "改正期限须晚于今天。", "correctionUntil")
        outcome = CORRECTION
    exists = session.scalar(
        select(Appraisal.id).where(Appraisal.member_id == member.id, Appraisal.year == year, Appraisal.half == half)
    )
    if exists is not None:
        raise UserInputError("APPRAISAL_EXISTS", "该党员本半年已评议。", "half")
    appraisal = Appraisal(
        member_id=member.id,
        org_unit_id=member.org_unit_id,
        org_path=member.org_path,
        year=year,
        half=half,
        points=points,
        outcome=outcome,
        comment=_text(comment, "comment", "评语", required=False, limit=TEXT_LENGTH),
        appraised_on=today,
        correction_until=correction_until,
    )
    _save(session, appraisal, "APPRAISAL_EXISTS", "该党员本半年已评议。", "half")
    return appraisal


def advance_disposal(
    session: Session, appraisal: Appraisal, *, step: str, on: date, today: date | None = None
) -> Appraisal:
    """The next step for an unqualified member, in order: corrected within
    the period (ends the procedure); or, once the period is over without
    correction, persuaded to leave (劝退); or, after persuasion, removed
    (除名), which ends the membership."""
    today = today or local_today()
    if step not in DISPOSAL_STEPS:
        known = "、".join(f"{k}（{APPRAISAL_OUTCOMES[k]}）" for k in DISPOSAL_STEPS)
        raise UserInputError("UNKNOWN_STEP", f"处置步骤可选：{known}。", "step")
    if appraisal.outcome != DISPOSAL_STEPS[step]:
        raise UserInputError(
            "STEP_OUT_OF_ORDER",
            f"当前为“{APPRAISAL_OUTCOMES[appraisal.outcome]}”，不能直接“{APPRAISAL_OUTCOMES[step]}”"
            "（限期改正、劝退、除名须依次进行）。",
            "step",
        )
    _not_future(on, today, "on", "日期")
    member = get_member(session, appraisal.member_id, lock=True)
    _current(member, membership=True)
    previous = appraisal.persuaded_on or appraisal.appraised_on
    if on < previous:
        raise UserInputError("INVALID_DATE_RANGE", f"日期不能早于上一步骤（{previous}）。", "on")
    assert appraisal.correction_until is not None
    if step == CORRECTED:
        if on > appraisal.correction_until:
            raise UserInputError("CORRECTION_PERIOD_OVER", f"改正期限（{appraisal.correction_until}）已过。", "on")
        appraisal.corrected_on = on
    elif step == PERSUADED_TO_LEAVE:
        if on <= appraisal.correction_until:
            raise UserInputError(
                "CORRECTION_PERIOD_NOT_OVER",
                f"改正期限至 {appraisal.correction_until}，期满未改正的方可劝其退党。",
                "on",
            )
        appraisal.persuaded_on = on
    else:
        appraisal.removed_on = on
        member.left_on = on
        member.left_reason = "民主评议不合格，限期改正、劝退无效，予以除名"
        member.committee_role = None
    appraisal.outcome = step
    session.flush()
    if step == REMOVED:
        sync_post(session, member, on)
    return appraisal


# --- big party committee (大党委) ------------------------------------------------------------------


def add_member_unit(
    session: Session,
    big_committee: PartyOrganization,
    *,
    name: str,
    unit_kind: str,
    management: str,
    home_organization: str | None,
    joined_on: date | None = None,
    today: date | None = None,
) -> MemberUnit:
    """A resident unit joins the big committee: managed directly (no other
    superior) or dually (its affiliation stays with its home organization)."""
    today = today or local_today()
    if big_committee.org_type != BIG_COMMITTEE:
        raise UserInputError("NOT_BIG_COMMITTEE", "成员单位只能加入大党委。", "bigCommitteeId")
    _active_organization(big_committee, today, "bigCommitteeId")
    if unit_kind not in UNIT_KINDS:
        raise UserInputError(
            "UNKNOWN_KIND",
            "单位类型可选：" + "、".join(f"{k}（{v}）" for k, v in UNIT_KINDS.items()) + "。",
            "unitKind",
        )
    if management not in MANAGEMENT_KINDS:
        raise UserInputError("UNKNOWN_MANAGEMENT", "管理方式须为 direct（直接管理）或 dual（双重管理）。", "management")
    home = _text(home_organization, "homeOrganization", "隶属党组织", required=management == DUAL)
    if management == DIRECT and home is not None:
        raise UserInputError(
            "HOME_NOT_ALLOWED", "直接管理的成员单位没有其他上级党组织；双重管理须填写隶属党组织。", "homeOrganization"
        )
    unit = MemberUnit(
        big_committee_id=big_committee.id,
        org_unit_id=big_committee.org_unit_id,
        org_path=big_committee.org_path,
        name=_text(name, "name", "单位名称", limit=NAME_LENGTH),
        unit_kind=unit_kind,
        management=management,
        home_organization=home,
        joined_on=joined_on or today,
    )
    session.add(unit)
    session.flush()
    return unit


def member_units(session: Session, big_committee: PartyOrganization) -> list[MemberUnit]:
    return list(
        session.scalars(
            select(MemberUnit)
            .where(MemberUnit.big_committee_id == big_committee.id, MemberUnit.left_on.is_(None))
            .order_by(MemberUnit.id)
        )
    )


def big_committee_warnings(session: Session, org: PartyOrganization, on: date | None = None) -> list[OrgWarning]:
    """Every member unit has at least one committee member (002); the big
    committee has a secretary and 2–3 deputy secretaries, one of them the
    full-time deputy from the sitting community party organization's
    committee (专职副书记1名，由现任社区党组织成员担任). Numbers: policy."""
    warnings: list[OrgWarning] = []
    unit = _unit(session, org.org_unit_id)
    keys = [
        d.MEMBER_UNIT_MIN_REPRESENTATIVES,
        d.DEPUTY_SECRETARIES_MIN,
        d.DEPUTY_SECRETARIES_MAX,
        d.FULL_TIME_DEPUTIES_MIN,
    ]
    values = {k: v.value for k, v in policy.resolve_many(session, unit, keys, on).items()}
    minimum = int(values[d.MEMBER_UNIT_MIN_REPRESENTATIVES.key])
    committee = committee_of(session, org)
    seats: dict[int, int] = {}
    for member in committee:
        if member.member_unit_id is not None:
            seats[member.member_unit_id] = seats.get(member.member_unit_id, 0) + 1
    for member_unit in member_units(session, org):
        count = seats.get(member_unit.id, 0)
        if count < minimum:
            warnings.append(
                OrgWarning(
                    "MEMBER_UNIT_WITHOUT_REPRESENTATIVE",
                    f"成员单位“{member_unit.name}”在大党委的委员 {count} 名，至少应有 {minimum} 名。",
                )
            )
    if not any(m.committee_role == SECRETARY for m in committee):
        warnings.append(OrgWarning("NO_SECRETARY", "大党委尚未明确书记。"))
    deputies = [m for m in committee if m.committee_role == DEPUTY_SECRETARY]
    low, high = values[d.DEPUTY_SECRETARIES_MIN.key], values[d.DEPUTY_SECRETARIES_MAX.key]
    if committee and not low <= len(deputies) <= high:
        warnings.append(
            OrgWarning("DEPUTY_SECRETARIES", f"大党委应设副书记 {low}–{high} 名，现有 {len(deputies)} 名。")
        )
    full_time = values[d.FULL_TIME_DEPUTIES_MIN.key]
    if committee and full_time:
        low_path, high_path = subtree_bounds(org.org_path)
        from_community = (
            session.scalar(
                select(func.count(func.distinct(PartyMember.resident_id)))
                .join(PartyOrganization, PartyOrganization.id == PartyMember.organization_id)
                .where(
                    PartyMember.resident_id.in_([m.resident_id for m in deputies] or [0]),
                    PartyMember.left_on.is_(None),
                    PartyMember.committee_role.is_not(None),
                    PartyOrganization.org_type != BIG_COMMITTEE,
                    PartyOrganization.dissolved_on.is_(None),
                    PartyOrganization.org_path >= low_path,
                    PartyOrganization.org_path < high_path,
                )
            )
            or 0
        )
        if from_community < full_time:
            warnings.append(
                OrgWarning(
                    "FULL_TIME_DEPUTY_SECRETARY",
                    f"大党委应设专职副书记 {full_time} 名，由现任社区党组织委员担任；现有 {from_community} 名。",
                )
            )
    return warnings


GRADES = {"excellent": "优秀", "good": "良好", "qualified": "合格", "unqualified": "不合格"}


def appraise_member_unit(
    session: Session,
    unit: MemberUnit,
    *,
    year: int,
    score: int,
    grade: str,
    comment: str | None,
    today: date | None = None,
) -> MemberUnitAppraisal:
    today = today or local_today()
    if grade not in GRADES:
        raise UserInputError(
            "UNKNOWN_GRADE", "等次可选：" + "、".join(f"{k}（{v}）" for k, v in GRADES.items()) + "。", "grade"
        )
    maximum = int(_resolve(session, unit.org_unit_id, d.UNIT_SCORE_MAX, today))
    if not 0 <= score <= maximum:
        raise UserInputError("INVALID_VALUE", f"得分须在 0 到 {maximum} 之间。", "score")
    if year > today.year:
        raise UserInputError("PERIOD_NOT_STARTED", "该年度尚未开始。", "year")
    if (
        session.scalar(
            select(MemberUnitAppraisal.id).where(
                MemberUnitAppraisal.member_unit_id == unit.id, MemberUnitAppraisal.year == year
            )
        )
        is not None
    ):
        raise UserInputError("APPRAISAL_EXISTS", "该成员单位本年度已考评。", "year")
    appraisal = MemberUnitAppraisal(
        member_unit_id=unit.id,
        year=year,
        score=score,
        grade=grade,
        comment=_text(comment, "comment", "评语", required=False, limit=TEXT_LENGTH),
    )
    _save(session, appraisal, "APPRAISAL_EXISTS", "该成员单位本年度已考评。", "year")
    return appraisal


def send_unit_appraisal(
    session: Session, appraisal: MemberUnitAppraisal, today: date | None = None
) -> MemberUnitAppraisal:
    """Report the result to the unit's home organization (dual management)."""
    today = today or local_today()
    unit = session.get(MemberUnit, appraisal.member_unit_id)
    assert unit is not None
    if unit.home_organization is None:
        raise UserInputError("NO_HOME_ORGANIZATION", "直接管理的成员单位没有需报送的隶属党组织。", "appraisalId")
    if appraisal.sent_to_home_on is not None:
        raise UserInputError("ALREADY_SENT", "考评结果已报送。", "appraisalId")
    appraisal.sent_to_home_on = today
    session.flush()
    return appraisal


def organizations_under(session: Session, org: PartyOrganization) -> list[PartyOrganization]:
    return list(
        session.scalars(
            select(PartyOrganization)
            .where(in_subtree(PartyOrganization.party_path, org.party_path))
            .order_by(PartyOrganization.party_path)
        )
    )


# --- statistics ---------------------------------------------------------------------------------


@dataclass
class Summary:
    organizations: dict[str, int] = field(default_factory=dict)
    full_members: int = 0
    probationary_members: int = 0
    flowing_members: int = 0
    quorate_meetings: int = 0
    overdue_meeting_periods: int = 0
    development_stages: dict[str, int] = field(default_factory=dict)
    in_service_registrations: int = 0
    in_service_with_shortfalls: int = 0
    household_assignments: int = 0
    households_contacted: int = 0
    organizations_with_warnings: int = 0


def summary(session: Session, orgs: Sequence[PartyOrganization], today: date | None = None) -> Summary:
    """Figures over ``orgs`` (already scoped by the caller) for this year,
    quarter and month: what a street office looks at first."""
    today = today or local_today()
    result = Summary()
    if not orgs:
        return result
    ids = [o.id for o in orgs]
    for org in orgs:
        result.organizations[org.org_type] = result.organizations.get(org.org_type, 0) + 1
    rows = session.execute(
        select(PartyMember.status, PartyMember.flowing, func.count())
        .where(PartyMember.organization_id.in_(ids), PartyMember.left_on.is_(None), PartyMember.seat_only.is_(False))
        .group_by(PartyMember.status, PartyMember.flowing)
    )
    for status, flowing, count in rows:
        if status == FULL:
            result.full_members += count
        else:
            result.probationary_members += count
        if flowing:
            result.flowing_members += count
    items = meeting_compliance(session, orgs, today.year, today)
    result.quorate_meetings = int(
        session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(
                Meeting.host_type == kinds.HOST_TYPE,
                Meeting.host_id.in_(ids),
                Meeting.kind.in_(kinds.KIND_CODES),
                Meeting.held_on >= date(today.year, 1, 1),
                Meeting.quorate.is_(True),
            )
        )
        or 0
    )
    result.overdue_meeting_periods = sum(1 for i in items if i.status == "overdue")
    for stage, count in session.execute(
        select(DevelopmentCase.stage, func.count())
        .where(DevelopmentCase.organization_id.in_(ids))
        .group_by(DevelopmentCase.stage)
    ):
        result.development_stages[stage] = count
    units = sorted({o.org_unit_id for o in orgs if o.org_type != BIG_COMMITTEE})
    registrations = list(
        session.scalars(
            select(InServiceRegistration).where(
                InServiceRegistration.org_unit_id.in_(units), InServiceRegistration.ended_on.is_(None)
            )
        )
    )
    quarter = (today.month - 1) // 3 + 1
    result.in_service_registrations = len(registrations)
    result.in_service_with_shortfalls = sum(
        1 for r in registrations if in_service_status(session, r, today.year, quarter, today).shortfalls
    )
    for org in orgs:
        coverage = household_coverage(session, org, today.year, today.month)
        result.household_assignments += len(coverage)
        result.households_contacted += sum(1 for row in coverage if row.covered)
    result.organizations_with_warnings = sum(
        1 for o in orgs if any(not w.hint for w in organization_warnings(session, o, today))
    )
    return result


# --- endings ------------------------------------------------------------------------------------


def _ending(on: date, since: date, today: date, what: str) -> None:
    _not_future(on, today, "on", "日期")
    if on < since:
        raise UserInputError("INVALID_DATE_RANGE", f"日期不能早于{what}（{since}）。", "on")


def dissolve_organization(
    session: Session, org: PartyOrganization, *, on: date, today: date | None = None
) -> PartyOrganization:
    """撤销: only an organization without current members (transfer them
    first) and without current sub-organizations."""
    today = today or local_today()
    if org.dissolved_on is not None:
        raise UserInputError("ORGANIZATION_DISSOLVED", f"“{org.name}”已撤销。", "organizationId")
    _ending(on, org.established_on or on, today, "成立日期")
    if session.scalar(
        current_members_statement(org).where(PartyMember.seat_only.is_(False)).with_only_columns(PartyMember.id)
    ):
        raise UserInputError("HAS_MEMBERS", f"“{org.name}”还有党员，请先办理组织关系转接。", "organizationId")
    child = session.scalar(
        select(PartyOrganization.id).where(
            PartyOrganization.parent_id == org.id, PartyOrganization.dissolved_on.is_(None)
        )
    )
    if child is not None:
        raise UserInputError("HAS_SUBORGANIZATIONS", f"“{org.name}”还有下级党组织，请先撤销或调整。", "organizationId")
    org.dissolved_on = on
    for seat in session.scalars(current_members_statement(org)):
        seat.left_on, seat.left_reason, seat.committee_role = on, "党组织撤销", None
    session.flush()
    for holder in session.scalars(
        select(PartyMember).where(PartyMember.organization_id == org.id, PartyMember.post_assignment_id.is_not(None))
    ):
        sync_post(session, holder, on)
    return org


def end_in_service(
    session: Session, registration: InServiceRegistration, *, on: date, today: date | None = None
) -> InServiceRegistration:
    """The member moved away or retired: the card is closed, the record kept."""
    today = today or local_today()
    if registration.ended_on is not None:
        raise UserInputError("REGISTRATION_ENDED", "该在职党员已结束在本社区报到。", "registrationId")
    _ending(on, registration.registered_on, today, "报到日期")
    registration.ended_on = on
    session.flush()
    return registration


def end_household_assignment(
    session: Session, assignment: HouseholdAssignment, *, on: date, today: date | None = None
) -> HouseholdAssignment:
    today = today or local_today()
    if assignment.ended_on is not None:
        raise UserInputError("ASSIGNMENT_ENDED", "该联户关系已结束。", "assignmentId")
    _ending(on, assignment.assigned_on, today, "开始联系日期")
    assignment.ended_on = on
    session.flush()
    return assignment


def remove_member_unit(session: Session, unit: MemberUnit, *, on: date, today: date | None = None) -> MemberUnit:
    """A member unit leaves the big committee; its seats stay until removed."""
    today = today or local_today()
    if unit.left_on is not None:
        raise UserInputError("MEMBER_UNIT_LEFT", "该成员单位已退出。", "memberUnitId")
    _ending(on, unit.joined_on, today, "加入日期")
    unit.left_on = on
    session.flush()
    return unit
