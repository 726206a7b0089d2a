"""Meetings: creating one from its kind's roster, signing in, resolving,
minutes, closing (which fulfils the kind's reporting obligation) and the
links from resolutions to what they decided.

Permission checks are the caller's (GraphQL checks the kind's
``manage_permission`` at the meeting's unit; a plugin checks its own). Every
refusal is a ``UserInputError`` with a Chinese message; nothing is written
before the checks pass.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import CursorResult, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.permissions import Permission
from core.db import utcnow
from core.meetings import rules
from core.meetings.kinds import (
    CORE_OWNER,
    ROLL_CALL,
    MeetingKind,
    NamedRoster,
    PluginRoster,
    PostRoster,
    RosterContext,
    RosterEntry,
    kinds_for_session,
)
from core.meetings.models import (
    ABSENT,
    AGAINST,
    ATTENDANCE_NAMES,
    CHOICE_NAMES,
    FOR,
    PENDING,
    PRESENT,
    PROXY,
    REASON_LENGTH,
    TITLE_LENGTH,
    Meeting,
    MeetingAgendaItem,
    MeetingAttendance,
    MeetingResolution,
    MeetingResolutionLink,
    MeetingVote,
)
from core.org.models import OrgUnit
from core.people.models import Resident
from core.plugin_host import PluginHost
from core.policy import service as policy
from core.policy.service import local_today
from core.posts.models import Body, PostAssignment
from core.posts.service import holds_on

VIEW = Permission(
    "meetings.view",
    "查看会议、签到、决议和会议记录",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
    ),
)
MANAGE = Permission(
    "meetings.manage",
    "召集会议、登记签到、表决结果和会议记录",
    default_roles=("community_worker", "committee_chair", "party_secretary"),
)
PERMISSIONS = (VIEW, MANAGE)
MAX_AGENDA_ITEMS = 50
MAX_PARTICIPANTS = 2000
TEXT_LIMIT = 20000
COUNTING = (PRESENT, PROXY)


def _text(value: str | None, field: str, label: str, *, limit: int = TITLE_LENGTH, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise UserInputError("REQUIRED", f"请填写{label}。", field)
        return None
    if len(text) > limit:
        raise UserInputError("TOO_LONG", f"{label}不能超过 {limit} 字。", field)
    return text


def kind_of(session: Session, meeting: Meeting, kinds: Mapping[str, MeetingKind] | None = None) -> MeetingKind:
    found = (kinds if kinds is not None else kinds_for_session(session)).get(meeting.kind)
    if found is None:
        raise UserInputError("UNKNOWN_MEETING_KIND", "该会议的类型在本部署中未启用。", "meetingId")
    return found


def rules_of(session: Session, kind: MeetingKind, unit: OrgUnit, on: date) -> tuple[rules.RuleValues, rules.RuleValues]:
    """(quorum, resolution rule) of ``kind`` as policy says at ``unit`` on ``on``."""
    keys = [*kind.quorum.policy_keys(), *kind.resolution.policy_keys()]
    resolved = policy.resolve_many(session, unit, keys, on)
    values = {k: v.value for k, v in resolved.items()}
    return rules.values_of(kind.quorum, values), rules.values_of(kind.resolution, values)


def _days(session: Session, unit: OrgUnit, key: Any, on: date) -> int:
    return int(policy.resolve(session, unit, key, on))


# --- the roster ---------------------------------------------------------------------------


def roster_of(
    session: Session,
    kind: MeetingKind,
    unit: OrgUnit,
    on: date,
    *,
    host_type: str | None = None,
    host_id: int | None = None,
    participant_ids: Sequence[int] = (),
) -> list[RosterEntry]:
    """Who should attend a meeting of ``kind`` at ``unit`` on ``on``: one
    entry per person, in a stable order."""
    entries: list[RosterEntry] = []
    if isinstance(kind.roster, PostRoster):
        statement = (
            select(PostAssignment.resident_id, Resident.name, PostAssignment.post_code)
            .join(Body, Body.id == PostAssignment.body_id)
            .join(Resident, Resident.id == PostAssignment.resident_id)
            .where(Body.org_unit_id == unit.id, PostAssignment.post_code.in_(kind.roster.post_codes), holds_on(on))
            .order_by(PostAssignment.resident_id)
        )
        if kind.roster.body_kind is not None:
            statement = statement.where(Body.kind == kind.roster.body_kind)
        from core.posts.service import kinds_of

        names = kinds_of(session).post_kinds
        entries = [
            RosterEntry(resident_id=rid, name=name, role=names[code].name if code in names else code)
            for rid, name, code in session.execute(statement)
        ]
    elif isinstance(kind.roster, PluginRoster):
        entries = list(kind.roster.load(RosterContext(session, unit, on, host_type, host_id)))
    elif isinstance(kind.roster, NamedRoster):
        ids = sorted(set(participant_ids))
        if len(ids) > MAX_PARTICIPANTS:
            raise UserInputError("TOO_MANY", f"参会人员不能超过 {MAX_PARTICIPANTS} 人。", "participantIds")
        rows = session.execute(
            select(Resident.id, Resident.name).where(Resident.id.in_(ids)).order_by(Resident.id)
        ).all()
        if len(rows) != len(ids):
            raise UserInputError("NOT_FOUND", "参会人员中有找不到的居民。", "participantIds")
        entries = [RosterEntry(resident_id=rid, name=name) for rid, name in rows]
    seen: set[int] = set()
    unique = []
    for entry in entries:
        if entry.resident_id not in seen:
            seen.add(entry.resident_id)
            unique.append(entry)
    return unique


# --- creating a meeting -------------------------------------------------------------------


def create_meeting(
    session: Session,
    kind: MeetingKind,
    unit: OrgUnit,
    *,
    title: str,
    held_on: date,
    notice_on: date | None = None,
    agenda: Sequence[str] = (),
    participant_ids: Sequence[int] = (),
    host_type: str | None = None,
    host_id: int | None = None,
    user_id: int | None = None,
    today: date | None = None,
) -> Meeting:
    """A meeting of ``kind`` at ``unit`` on ``held_on``, its agenda, and one
    attendance row per person on the roster (not yet signed in). The notice
    must have gone out the kind's policy number of days ahead."""
    today = today or local_today()
    title_text = _text(title, "title", "会议名称")
    if kind.plugin != CORE_OWNER and not policy.is_plugin_active(session, unit, kind.plugin, held_on):
        raise UserInputError("PLUGIN_NOT_ACTIVE", f"“{kind.name}”所属的功能模块在该单位未启用。", "kind")
    if kind.host_type is not None and (host_type != kind.host_type or host_id is None):
        raise UserInputError("HOST_REQUIRED", f"“{kind.name}”须由召开会议的组织召集。", "hostId")
    if isinstance(kind.roster, NamedRoster) and not participant_ids:
        raise UserInputError("NO_PARTICIPANTS", f"“{kind.name}”须列明参会人员。", "participantIds")
    if not isinstance(kind.roster, NamedRoster) and participant_ids:
        raise UserInputError(
            "ROSTER_FROM_RECORDS", f"“{kind.name}”的应到人员由登记的成员确定，不能另行指定。", "participantIds"
        )
    if kind.notice_days is not None:
        days = _days(session, unit, kind.notice_days, held_on)
        if notice_on is None and days > 0:
            raise UserInputError(
                "NOTICE_REQUIRED", f"“{kind.name}”须提前 {days} 日通知会议时间和议题，请填写通知日期。", "noticeOn"
            )
        if notice_on is not None and notice_on > held_on - timedelta(days=days):
            raise UserInputError(
                "NOTICE_TOO_LATE",
                f"“{kind.name}”须至少提前 {days} 日通知（最迟 {held_on - timedelta(days=days)}），通知日期为 {notice_on}。",
                "noticeOn",
            )
    if notice_on is not None and notice_on > today:
        raise UserInputError("NOTICE_IN_FUTURE", "通知日期不能晚于今天：请在通知发出后登记。", "noticeOn")
    if len(agenda) > MAX_AGENDA_ITEMS:
        raise UserInputError("TOO_MANY", f"议程不能超过 {MAX_AGENDA_ITEMS} 项。", "agenda")
    items = [_text(item, f"agenda.{i}", "议程事项") for i, item in enumerate(agenda)]
    roster = roster_of(
        session, kind, unit, held_on, host_type=host_type, host_id=host_id, participant_ids=participant_ids
    )
    if not roster:
        raise UserInputError(
            "NO_EXPECTED_ATTENDEES", f"没有应参加“{kind.name}”的人员（请先登记相关职务或成员）。", "kind"
        )
    quorum, _ = rules_of(session, kind, unit, held_on)
    meeting = Meeting(
        kind=kind.code,
        org_unit_id=unit.id,
        org_path=unit.path,
        host_type=host_type,
        host_id=host_id,
        title=title_text,
        held_on=held_on,
        notice_on=notice_on,
        expected_count=len(roster),
        present_count=0,
        quorate=quorum.meets(0, len(roster), 0),
        results_due_on=(
            held_on + timedelta(days=_days(session, unit, kind.publish_within, held_on))
            if kind.publish_within is not None
            else None
        ),
        created_by_id=user_id,
    )
    session.add(meeting)
    session.flush()
    for position, item in enumerate(items, start=1):
        session.add(MeetingAgendaItem(meeting_id=meeting.id, position=position, title=item))
    for entry in roster:
        session.add(
            MeetingAttendance(
                meeting_id=meeting.id,
                resident_id=entry.resident_id,
                name=entry.name[:100],
                role=entry.role,
                expected=True,
                status=PENDING,
            )
        )
    session.flush()
    return meeting


def _open(meeting: Meeting, today: date, field: str = "meetingId") -> None:
    if meeting.closed_at is not None:
        raise UserInputError("MEETING_CLOSED", "会议已结束归档，不能再修改签到、决议或记录。", field)
    if meeting.held_on > today:
        raise UserInputError("NOT_HELD_YET", f"会议定于 {meeting.held_on} 召开，尚未举行。", field)


# --- sign-in ------------------------------------------------------------------------------


def sign_in(
    session: Session,
    meeting: Meeting,
    resident_id: int,
    *,
    status: str = PRESENT,
    absence_reason: str | None = None,
    proxy_name: str | None = None,
    allow_guest: bool = False,
    user_id: int | None = None,
    today: date | None = None,
    kind: MeetingKind | None = None,
    reason_required: bool = True,
) -> MeetingAttendance:
    """Sign one person in: present, absent (with the reason for leave) or
    represented by a proxy where the kind allows. Each person signs once:
    the row moves from pending in one conditional update, so a second sign-in
    (even a concurrent one) is refused and counted nowhere. ``allow_guest``
    lets someone off the roster attend without counting for quorum."""
    today = today or local_today()
    kind = kind or kind_of(session, meeting)
    _open(meeting, today)
    if status not in (PRESENT, ABSENT, PROXY):
        raise UserInputError("INVALID_VALUE", "签到状态须为出席、缺席或委托出席。", "status")
    reason = _text(
        absence_reason, "absenceReason", "缺席原因", limit=REASON_LENGTH, required=status == ABSENT and reason_required
    )
    if status != ABSENT and reason is not None:
        raise UserInputError("INVALID_VALUE", "只有缺席才填写缺席原因。", "absenceReason")
    proxy = _text(proxy_name, "proxyName", "受托人姓名", limit=100, required=status == PROXY)
    if status == PROXY and not kind.proxies_allowed:
        raise UserInputError("PROXY_NOT_ALLOWED", f"“{kind.name}”不允许委托他人出席。", "status")
    if status != PROXY and proxy is not None:
        raise UserInputError("INVALID_VALUE", "只有委托出席才填写受托人。", "proxyName")
    row = session.scalar(
        select(MeetingAttendance).where(
            MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.resident_id == resident_id
        )
    )
    values = {
        "status": status,
        "absence_reason": reason,
        "proxy_name": proxy,
        "signed_at": utcnow(),
        "signed_by_id": user_id,
    }
    if row is None:
        if not allow_guest:
            raise UserInputError("NOT_ON_ROSTER", f"该人员不在“{kind.name}”的应到名单中。", "residentId")
        if status == PROXY:
            raise UserInputError("PROXY_NOT_ALLOWED", "列席人员不能委托他人出席。", "status")
        resident = session.get(Resident, resident_id)
        if resident is None:
            raise UserInputError("NOT_FOUND", "找不到该居民。", "residentId")
        row = MeetingAttendance(
            meeting_id=meeting.id, resident_id=resident_id, name=resident.name[:100], expected=False, **values
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            raise UserInputError("ALREADY_SIGNED_IN", "该人员已签到，不能重复签到。", "residentId") from None
        return row
    result = session.execute(
        update(MeetingAttendance)
        .where(MeetingAttendance.id == row.id, MeetingAttendance.status == PENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)  # an UPDATE's result, typed only as Result
    if result.rowcount != 1:
        session.refresh(row)
        raise UserInputError(
            "ALREADY_SIGNED_IN",
            f"该人员已签到（{ATTENDANCE_NAMES.get(row.status, row.status)}），不能重复签到。",
            "residentId",
        )
    session.refresh(row)
    if row.expected and status in COUNTING:
        session.execute(
            update(Meeting)
            .where(Meeting.id == meeting.id)
            .values(present_count=Meeting.present_count + 1)
            .execution_options(synchronize_session=False)
        )
        session.refresh(meeting)
        _requorum(session, kind, meeting)
    return row


def _requorum(session: Session, kind: MeetingKind, meeting: Meeting) -> None:
    unit = session.get(OrgUnit, meeting.org_unit_id)
    assert unit is not None
    quorum, _ = rules_of(session, kind, unit, meeting.held_on)
    meeting.quorate = quorum.meets(meeting.present_count, meeting.expected_count, meeting.present_count)
    session.flush()


def quorum_text(session: Session, meeting: Meeting, kind: MeetingKind | None = None) -> str:
    kind = kind or kind_of(session, meeting)
    unit = session.get(OrgUnit, meeting.org_unit_id)
    assert unit is not None
    quorum, _ = rules_of(session, kind, unit, meeting.held_on)
    return quorum.text()


# --- resolutions --------------------------------------------------------------------------


def resolve(
    session: Session,
    meeting: Meeting,
    *,
    text: str,
    votes_for: int = 0,
    votes_against: int = 0,
    abstentions: int = 0,
    roll_call: Mapping[int, str] | None = None,
    subjects: Sequence[tuple[str, int]] = (),
    user_id: int | None = None,
    today: date | None = None,
    kind: MeetingKind | None = None,
    field: str = "resolution",
) -> MeetingResolution:
    """Record a resolution and its votes. Below quorum nothing can be
    resolved. Counts may not exceed those with a vote present; a roll call
    names each voter, who must be signed in present. Adopted per the kind's
    resolution rule (policy on the meeting's day); "none" adopts on more
    votes for than against."""
    today = today or local_today()
    kind = kind or kind_of(session, meeting)
    _open(meeting, today)
    unit = session.get(OrgUnit, meeting.org_unit_id)
    assert unit is not None
    quorum, majority = rules_of(session, kind, unit, meeting.held_on)
    if not meeting.quorate:
        raise UserInputError(
            "QUORUM_NOT_MET",
            rules.shortfall_message(quorum.rule, meeting.present_count, meeting.expected_count, "实到", quorum.fraction)
            + "会议不能作出决议。",
            field,
        )
    body = _text(text, f"{field}.text", "决议内容", limit=TEXT_LIMIT)
    votes: list[tuple[int, str]] = []
    if kind.voting == ROLL_CALL:
        if roll_call is None:
            raise UserInputError("ROLL_CALL_REQUIRED", f"“{kind.name}”须逐人记名表决。", f"{field}.votes")
        voters = {
            a.resident_id: a
            for a in session.scalars(
                select(MeetingAttendance).where(
                    MeetingAttendance.meeting_id == meeting.id,
                    MeetingAttendance.expected.is_(True),
                    MeetingAttendance.status.in_(COUNTING),
                )
            )
        }
        for resident_id, choice in roll_call.items():
            if choice not in CHOICE_NAMES:
                raise UserInputError("INVALID_VALUE", "表决意见须为赞成、反对或弃权。", f"{field}.votes")
            if resident_id not in voters:
                raise UserInputError("NOT_A_VOTER", "表决人须为已签到出席的应到人员。", f"{field}.votes")
            votes.append((voters[resident_id].id, choice))
        votes_for = sum(1 for _, c in votes if c == FOR)
        votes_against = sum(1 for _, c in votes if c == AGAINST)
        abstentions = len(votes) - votes_for - votes_against
    elif roll_call is not None:
        raise UserInputError("COUNTS_ONLY", f"“{kind.name}”按票数登记表决结果，不逐人记名。", f"{field}.votes")
    if min(votes_for, votes_against, abstentions) < 0:
        raise UserInputError("INVALID_VALUE", "票数不能为负数。", f"{field}.votesFor")
    if votes_for + votes_against + abstentions > meeting.present_count:
        raise UserInputError(
            "VOTES_EXCEED_PRESENT",
            f"赞成、反对、弃权票合计不能超过有表决权的实到人数 {meeting.present_count}。",
            f"{field}.votesFor",
        )
    adopted = (
        majority.meets(votes_for, meeting.expected_count, meeting.present_count)
        if majority.rule != rules.NO_RULE
        else votes_for > votes_against
    )
    resolution = MeetingResolution(
        meeting_id=meeting.id,
        text=body,
        votes_for=votes_for,
        votes_against=votes_against,
        abstentions=abstentions,
        roll_call=kind.voting == ROLL_CALL,
        adopted=adopted,
        created_by_id=user_id,
    )
    session.add(resolution)
    session.flush()
    for attendance_id, choice in votes:
        session.add(MeetingVote(resolution_id=resolution.id, attendance_id=attendance_id, choice=choice))
    for subject_type, subject_id in subjects:
        link_subject(session, resolution, subject_type, subject_id)
    session.flush()
    return resolution


def link_subject(
    session: Session, resolution: MeetingResolution, subject_type: str, subject_id: int
) -> MeetingResolutionLink:
    """Record that ``resolution`` decided the record (GraphQL type name, key);
    linking the same record twice returns the existing link."""
    found = session.scalar(
        select(MeetingResolutionLink).where(
            MeetingResolutionLink.resolution_id == resolution.id,
            MeetingResolutionLink.subject_type == subject_type,
            MeetingResolutionLink.subject_id == subject_id,
        )
    )
    if found is not None:
        return found
    link = MeetingResolutionLink(resolution_id=resolution.id, subject_type=subject_type, subject_id=subject_id)
    session.add(link)
    session.flush()
    return link


def resolutions_deciding(session: Session, subject_type: str, subject_id: int) -> list[MeetingResolution]:
    """The resolutions linked to a record, oldest first."""
    return list(
        session.scalars(
            select(MeetingResolution)
            .join(MeetingResolutionLink, MeetingResolutionLink.resolution_id == MeetingResolution.id)
            .where(MeetingResolutionLink.subject_type == subject_type, MeetingResolutionLink.subject_id == subject_id)
            .order_by(MeetingResolution.id)
        )
    )


def check_decision(
    session: Session,
    resolution: MeetingResolution | None,
    *,
    kind_codes: Sequence[str],
    unit_path: str,
    field: str,
    what: str,
) -> tuple[Meeting, MeetingResolution]:
    """The meeting and resolution another record cites as its decision: a
    resolution of a meeting of one of ``kind_codes`` held at ``unit_path``
    or above, quorate, adopted. Anything else is a user error naming why;
    one outside the unit's line answers as not found."""
    from core.org.service import subtree_bounds

    meeting = session.get(Meeting, resolution.meeting_id) if resolution is not None else None
    low, high = subtree_bounds(meeting.org_path) if meeting is not None else ("", "")
    if resolution is None or meeting is None or not low <= unit_path < high:
        raise UserInputError("NOT_FOUND", f"找不到该会议决议：须为本单位（或上级）{what}的决议。", field)
    if meeting.kind not in kind_codes:
        kinds = kinds_for_session(session)
        name = kinds[meeting.kind].name if meeting.kind in kinds else meeting.kind
        raise UserInputError("WRONG_MEETING_KIND", f"须为{what}的决议，该决议出自“{name}”。", field)
    if not meeting.quorate:
        raise UserInputError("QUORUM_NOT_MET", "该次会议到会人数未达到规定，不能作出决定。", field)
    if not resolution.adopted:
        raise UserInputError("RESOLUTION_NOT_ADOPTED", "该决议未获通过。", field)
    return meeting, resolution


# --- minutes and closing ------------------------------------------------------------------


def record_minutes(session: Session, meeting: Meeting, text: str, *, today: date | None = None) -> Meeting:
    _open(meeting, today or local_today())
    meeting.minutes = _text(text, "minutes", "会议记录", limit=TEXT_LIMIT)
    session.flush()
    return meeting


def close_meeting(
    session: Session,
    host: PluginHost,
    meeting: Meeting,
    *,
    user_id: int | None = None,
    today: date | None = None,
    kind: MeetingKind | None = None,
) -> Meeting:
    """End the meeting: whoever on the roster has not signed in is recorded
    absent (without leave); the minutes must be there where the kind
    requires them; a quorate meeting fulfils its kind's reporting obligation
    for the period containing it."""
    today = today or local_today()
    kind = kind or kind_of(session, meeting)
    _open(meeting, today)
    if kind.minutes_required and not (meeting.minutes or "").strip() and not _has_minutes_document(session, meeting):
        raise UserInputError("MINUTES_REQUIRED", f"“{kind.name}”须有会议记录：请先填写或上传会议记录。", "minutes")
    session.execute(
        update(MeetingAttendance)
        .where(MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.status == PENDING)
        .values(status=ABSENT)
        .execution_options(synchronize_session=False)
    )
    meeting.closed_at = utcnow()
    session.flush()
    if meeting.quorate:
        fulfil_obligation(session, host, meeting, kind, user_id=user_id, today=today)
    return meeting


def _has_minutes_document(session: Session, meeting: Meeting) -> bool:
    from core.documents.models import Document
    from core.meetings.documents import MINUTES

    return (
        session.scalar(
            select(Document.id)
            .where(
                Document.owner_type == "Meeting",
                Document.owner_id == meeting.id,
                Document.document_class == MINUTES.code,
            )
            .limit(1)
        )
        is not None
    )


def fulfil_obligation(
    session: Session, host: PluginHost, meeting: Meeting, kind: MeetingKind, *, user_id: int | None, today: date
) -> Any:
    """Submit the reporting-calendar instances of the kind's obligations
    (``kind.obligation`` and those attached by other plugins) owed by the
    meeting's unit (or ``kind.obligation_unit``) for the period holding the
    meeting. An instance already done, locked or not materialized is left
    alone; returns the first instance submitted, if any."""
    first = None
    for code in kind.obligation_codes():
        instance = _fulfil(session, host, meeting, kind, code, user_id=user_id, today=today)
        first = first or instance
    return first


def _fulfil(
    session: Session,
    host: PluginHost,
    meeting: Meeting,
    kind: MeetingKind,
    code: str,
    *,
    user_id: int | None,
    today: date,
) -> Any:
    from core.reporting import service as reporting
    from core.reporting.calendar import period_of
    from core.reporting.models import DONE_STATUSES, ObligationInstance
    from core.reporting.obligations import registry_for

    obligation = registry_for(host).get(code)
    if obligation is None:
        return None
    unit = (
        kind.obligation_unit(session, meeting)
        if kind.obligation_unit is not None
        else session.get(OrgUnit, meeting.org_unit_id)
    )
    if unit is None:
        return None
    count = None
    if obligation.count_key is not None:
        count = int(policy.resolve(session, unit, obligation.count_key, meeting.held_on))
    period = period_of(obligation.recurrence, meeting.held_on, count)
    instance = session.scalar(
        select(ObligationInstance).where(
            ObligationInstance.type_code == obligation.code,
            ObligationInstance.org_unit_id == unit.id,
            ObligationInstance.period_start == period[0],
        )
    )
    if instance is None or (instance.status in DONE_STATUSES and instance.reopened_at is None):
        return None
    if reporting.is_locked(session, host, instance, today):
        return None
    reporting.submit(
        session, host, instance, user_id=user_id, note=f"{kind.name}：{meeting.title}（{meeting.held_on}）", today=today
    )
    if meeting.obligation_instance_id is None:
        meeting.obligation_instance_id = instance.id
    session.flush()
    return instance


def attendance_of(session: Session, meeting: Meeting) -> list[MeetingAttendance]:
    return list(
        session.scalars(
            select(MeetingAttendance)
            .where(MeetingAttendance.meeting_id == meeting.id)
            .order_by(MeetingAttendance.expected.desc(), MeetingAttendance.id)
        )
    )
