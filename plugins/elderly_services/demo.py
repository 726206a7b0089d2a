"""Demo records in the demo community (the one the ``community_worker``
demo account works in): the elderly visit schedule built from the registry,
two residents recognised as 特困 and 孤寡 (one overdue), visits made (one
needing follow-up, one long ago so that it is overdue again), senior
cards issued, and a home-care station serving meals and day care, a 敬老 tea party;
the grid worker post of the demo grid responsible for the grid's elderly."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.org.service import in_subtree
from core.people.models import Resident
from core.plugin_host import load_plugin_host
from core.policy.service import local_today
from core.settings import Settings
from core.visits import service as visits
from core.visits.models import VisitSchedule
from core.visits.programmes import programmes_for
from plugins.elderly_services import activities, care, service
from plugins.elderly_services.declarations import PROGRAMME_CODE
from plugins.elderly_services.models import SeniorCard


def load_demo_elderly(session: Session, settings: Settings, progress: Progress, *, today: date | None = None) -> int:
    """Returns how many residents the demo community's schedule holds (none without the demo accounts)."""
    found = demo_account(session, "community_worker")
    if found is None:
        return 0
    user, community = found
    principal = principal_for_user(session, user.id)
    today = today or local_today()
    programme = programmes_for(load_plugin_host(settings.plugins))[PROGRAMME_CODE]
    scheduled = visits.refresh_schedule(session, programme, community, today=today)
    elderly = list(
        session.scalars(
            select(Resident)
            .where(in_subtree(Resident.org_path, community.path), Resident.birth_date <= date(today.year - 61, 1, 1))
            .order_by(Resident.id)
            .limit(6)
        )
    )
    if len(elderly) < 4:
        return scheduled
    visits.enrol(
        session,
        principal,
        programme,
        elderly[0],
        category="extreme_poverty",
        reason="经民政部门认定为特困供养人员（证书编号 TK-2026-018）。",
        enrolled_from=today - timedelta(days=60),
        enrolled_until=None,
        enrolled_by_id=user.id,
        today=today,
    )
    visits.enrol(
        session,
        principal,
        programme,
        elderly[1],
        category="no_family",
        reason="无配偶、无子女，经居委会核实。",
        enrolled_from=today - timedelta(days=5),
        enrolled_until=None,
        enrolled_by_id=user.id,
        today=today,
    )
    visits.record_visit(
        session,
        principal,
        programme,
        elderly[1],
        visited_on=today - timedelta(days=2),
        method="home",
        findings="身体尚可，独自做饭有困难。",
        follow_up_needed=True,
        follow_up_note="联系居家养老助餐服务。",
        visitor_id=user.id,
        today=today,
    )
    due = session.scalars(
        select(VisitSchedule)
        .where(VisitSchedule.programme == programme.code, in_subtree(VisitSchedule.org_path, community.path))
        .order_by(VisitSchedule.id)
        .limit(3)
    ).all()
    for row in due:
        resident = session.get(Resident, row.resident_id)
        assert resident is not None
        visits.record_visit(
            session,
            principal,
            programme,
            resident,
            visited_on=today - timedelta(days=40),
            method="phone",
            findings="电话问候，生活正常。",
            follow_up_needed=False,
            follow_up_note=None,
            visitor_id=user.id,
            today=today,
        )
    for index, resident in enumerate(elderly[2:4]):
        if session.scalar(select(SeniorCard.id).where(SeniorCard.resident_id == resident.id)) is None:
            service.issue_card(
                session,
                principal,
                resident,
                card_number=f"YD{community.id:06d}{index:03d}",
                issued_on=today - timedelta(days=10 * index),
                issuer_id=user.id,
                today=today,
            )
    provider = care.add_provider(
        session,
        principal,
        community,
        name=f"{community.name}居家养老服务站",
        services=["meals", "day_care", "cleaning"],
        phone="0532-83001234",
    )
    for resident in elderly[4:6] or elderly[:1]:
        for service_code in ("meals", "day_care"):
            enrolment = care.enrol(
                session,
                principal,
                resident,
                provider,
                service=service_code,
                enrolled_from=today - timedelta(days=30),
                enrolled_until=None,
            )
            for days in (1, 2):
                care.record_service(
                    session,
                    principal,
                    enrolment,
                    served_on=today - timedelta(days=days),
                    note=None,
                    user_id=user.id,
                    today=today,
                )
    activities.record_activity(
        session,
        principal,
        community,
        title="重阳节敬老茶话会",
        kind="respect",
        held_on=today - timedelta(days=5),
        place="社区活动室",
        participant_ids=[r.id for r in elderly],
        user_id=user.id,
        today=today,
    )
    _grid_responsibility(session, programme, community, today)
    progress.note(f"老龄服务：走访对象 {scheduled} 人")
    return scheduled


def _grid_responsibility(session: Session, programme: Any, community: Any, today: date) -> None:
    """The grid worker post of the demo grid is responsible for its elderly:
    a resident of the grid holds the post with the grid_worker account, so
    that account's own list is the grid's, and it moves when the post does."""
    from core.posts import service as posts
    from core.visits.responsibility import assign_responsibility

    grid_worker, chair = demo_account(session, "grid_worker"), demo_account(session, "committee_chair")
    if grid_worker is None or chair is None or not grid_worker[1].path.startswith(community.path):
        return
    grid = grid_worker[1]
    holder = session.scalars(
        select(Resident).where(in_subtree(Resident.org_path, grid.path)).order_by(Resident.id).limit(1)
    ).first()
    if holder is None:
        return
    body = posts.create_body(session, org_unit_id=grid.id, kind="grid_team", name=f"{grid.name}服务团队")
    posts.assign(
        session,
        body_id=body.id,
        post_code="grid_worker",
        resident_id=holder.id,
        user_id=grid_worker[0].id,
        term_start=today - timedelta(days=365),
    )
    assign_responsibility(
        session, principal_for_user(session, chair[0].id), programme, grid, post_code="grid_worker", user_id=None
    )
