"""Demo meetings, and the helpers that seat a community's representatives
and hold its assembly (used by the demo data of core and plugins).

The demo community's representatives' assembly: 31 representatives (the
seeds: at least 30) holding the ``representative`` post; one half-yearly
assembly that met its quorum, decided and was closed with minutes, its
results drafted for the public board; and one called after it that fell
short of the quorum and could decide nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.meetings import service
from core.meetings.builtin import ASSEMBLY_KIND
from core.meetings.models import Meeting, MeetingResolution
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.policy.service import local_today
from core.posts import service as posts
from core.posts.models import Body

if TYPE_CHECKING:
    from core.plugin_host import PluginHost

REPRESENTATIVES = 31
ASSEMBLY_BODY = "representatives_assembly"


def ensure_representatives(
    session: Session, unit: OrgUnit, *, count: int = REPRESENTATIVES, since: date | None = None
) -> list[int]:
    """The residents holding the representative's post in ``unit``'s
    assembly; when there is no assembly yet, one is formed from the unit's
    adult residents (by registry order). A small demo community fills the
    rest with representatives of resident units (驻区单位), who live
    elsewhere in the parent unit's area: people of the registry, never
    made up here."""
    body = session.scalar(select(Body).where(Body.org_unit_id == unit.id, Body.kind == ASSEMBLY_BODY))
    if body is None:
        body = posts.create_body(session, org_unit_id=unit.id, kind=ASSEMBLY_BODY, name=f"{unit.name}成员代表大会")
        today = local_today()
        adult = or_(Resident.birth_date.is_(None), Resident.birth_date <= date(today.year - 18, 1, 1))
        residents = list(
            session.scalars(
                select(Resident.id)
                .where(in_subtree(Resident.org_path, unit.path), Resident.moved_out_on.is_(None), adult)
                .order_by(Resident.id)
                .limit(count)
            )
        )
        parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id is not None else None
        if len(residents) < count and parent is not None:
            residents += session.scalars(
                select(Resident.id)
                .where(
                    in_subtree(Resident.org_path, parent.path),
                    ~in_subtree(Resident.org_path, unit.path),
                    Resident.moved_out_on.is_(None),
                    adult,
                )
                .order_by(Resident.id)
                .limit(count - len(residents))
            )
        start = since or date(today.year - 1, 1, 1)
        for resident_id in residents:
            posts.assign(
                session, body_id=body.id, post_code="representative", resident_id=resident_id, term_start=start
            )
    return [a.resident_id for a in posts.holders(session, unit, "representative")]


def hold_assembly(
    session: Session,
    unit: OrgUnit,
    *,
    held_on: date,
    title: str,
    present: int,
    decisions: Sequence[tuple[str, int, int]] = (),
    minutes: str | None = None,
    close: bool = True,
    host: PluginHost | None = None,
    today: date | None = None,
) -> tuple[Meeting, list[MeetingResolution]]:
    """Hold an assembly of ``unit``: notice three days ahead (the default
    policy), the first ``present`` representatives signed in, the others
    absent with leave, each decision ``(text, for, against)`` voted, the
    minutes written and the meeting closed (when ``close``)."""
    today = today or local_today()
    representatives = ensure_representatives(session, unit)
    meeting = service.create_meeting(
        session,
        ASSEMBLY_KIND,
        unit,
        title=title,
        held_on=held_on,
        notice_on=held_on - timedelta(days=5),
        agenda=[text for text, _, _ in decisions] or ["听取居委会工作报告"],
        today=today,
    )
    for index, resident_id in enumerate(representatives):
        if index < present:
            service.sign_in(session, meeting, resident_id, today=today, kind=ASSEMBLY_KIND)
        else:
            service.sign_in(
                session,
                meeting,
                resident_id,
                status="absent",
                absence_reason="外出务工，会前请假",
                today=today,
                kind=ASSEMBLY_KIND,
            )
    resolutions = []
    for text, for_, against in decisions:
        # A small demo community seats fewer representatives: the votes shrink with it.
        against = min(against, meeting.present_count)
        for_ = min(for_, meeting.present_count - against)
        resolutions.append(
            service.resolve(
                session,
                meeting,
                text=text,
                votes_for=for_,
                votes_against=against,
                abstentions=meeting.present_count - for_ - against,
                today=today,
                kind=ASSEMBLY_KIND,
            )
        )
    if minutes:
        service.record_minutes(session, meeting, minutes, today=today)
    if close and host is not None:
        service.close_meeting(session, host, meeting, today=today, kind=ASSEMBLY_KIND)
    return meeting, resolutions


def load_demo_meetings(session: Session) -> int:
    """The demo community's assemblies: one quorate, one below quorum."""
    from core.demo.accounts import demo_account
    from core.plugin_host import host_for_plugins
    from core.settings import settings_of

    chair = demo_account(session, "committee_chair")
    if chair is None:
        return 0
    unit = chair[1]
    today = local_today()
    host = host_for_plugins(settings_of(session).plugins)
    first = date(today.year, 6, 20) if today >= date(today.year, 6, 25) else date(today.year - 1, 12, 20)
    meeting, _ = hold_assembly(
        session,
        unit,
        held_on=first,
        title=f"{first.year}年{'上' if first.month <= 6 else '下'}半年社区成员代表大会",
        present=24,
        decisions=[("通过居委会半年工作报告", 22, 0), ("同意更换小区东门门禁系统，经费从公益金列支", 20, 2)],
        minutes="主任作半年工作报告；代表审议门禁更换方案，逐项表决。",
        close=True,
        host=host,
        today=today,
    )
    from core.auth.service import principal_for_user
    from core.meetings.publication import draft_results

    draft_results(session, principal_for_user(session, chair[0].id), meeting, ASSEMBLY_KIND)
    later = today - timedelta(days=3)
    hold_assembly(
        session,
        unit,
        held_on=later,
        title="临时代表会议（讨论停车收费）",
        present=10,
        close=False,
        today=today,
    )
    return 2
