"""Demo records for the demo community (the one the ``community_worker``
demo account works in) and its street: cases at every stage, one escalated
to the street, one emergency, half-monthly screenings of the last two
months, last month's 统计表 submitted, appeals (one overdue) and grid
events (a new pregnancy stays unrouted: no family-planning module)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.identity import make_id_number
from core.people.models import Resident
from core.plugin_host import load_plugin_host
from core.policy.service import local_today
from core.settings import Settings
from plugins.mediation import service
from plugins.mediation.models import DisputeCase
from plugins.mediation.service import PartyInput


def _user_at(session: Session, username: str) -> tuple[int, OrgUnit] | None:
    found = demo_account(session, username)
    return (found[0].id, found[1]) if found else None


def _previous_month(today: date) -> tuple[date, date]:
    first = date(today.year, today.month, 1) - timedelta(days=1)
    return date(first.year, first.month, 1), first


def load_demo_mediation(session: Session, settings: Settings, progress: Progress, *, today: date | None = None) -> int:
    """Returns how many cases the demo community registered (none without the demo accounts)."""
    worker = _user_at(session, "community_worker")
    street_staff = _user_at(session, "street_staff")
    grid = _user_at(session, "grid_worker")
    if worker is None or street_staff is None:
        return 0
    today = today or local_today()
    host = load_plugin_host(settings.plugins)
    worker_id, community = worker
    staff_id, street = street_staff
    residents = list(
        session.scalars(
            select(Resident).where(in_subtree(Resident.org_path, community.path)).order_by(Resident.id).limit(12)
        )
    )
    if len(residents) < 8:
        return 0
    last_start, last_end = _previous_month(today)

    def day(offset: int) -> date:
        return max(last_start, today - timedelta(days=offset))

    def register(
        title: str, category: str, source: str, risk: str, facts: str, a: int, b: int | None, on: date
    ) -> DisputeCase:
        parties = [PartyInput(role="applicant", resident_id=residents[a].id)]
        if b is not None:
            parties.append(PartyInput(role="respondent", resident_id=residents[b].id))
        else:
            parties.append(
                PartyInput(
                    role="respondent",
                    name="刘建国",
                    id_number=make_id_number("370203", date(1980, 5, 12), 451),
                    phone="13905321234",
                )
            )
        return service.register_case(
            session,
            settings,
            unit=community,
            title=title,
            category=category,
            source=source,
            risk_level=risk,
            facts=facts,
            parties=parties,
            registered_on=on,
            user_id=worker_id,
            today=today,
        )

    # A neighbour dispute: mediated, agreement, followed up and closed in the community.
    closed = register(
        "楼上漏水致楼下墙面受损",
        "neighbour",
        "walk_in",
        "minor",
        "楼上住户卫生间防水层老化漏水，致楼下客厅墙面霉变，双方就维修费用分担发生争执。",
        0,
        1,
        last_start + timedelta(days=3),
    )
    service.accept(session, closed, user_id=worker_id)
    service.start_mediation(session, closed, mediation_type="people", mediators=["王秀兰", "陈志强"], user_id=worker_id)
    service.resolve(
        session,
        settings,
        closed,
        outcome="agreement",
        agreement="楼上住户负责重做防水层并承担楼下墙面修复费用 1,800 元，十五日内履行完毕。",
        user_id=worker_id,
        today=last_start + timedelta(days=10),
    )
    service.record_follow_up(
        session,
        closed,
        visited_on=last_start + timedelta(days=20),
        agreement_kept=True,
        note="已修复，双方满意。",
        user_id=worker_id,
        today=today,
    )
    service.close(session, settings, closed, reason="协议履行完毕", user_id=worker_id, today=today)

    # A family dispute being mediated.
    mediating = register(
        "赡养老人费用分担",
        "family",
        "screening",
        "minor",
        "三兄妹就母亲住院费用和日常赡养费分担意见不一，老人到社区求助。",
        2,
        3,
        day(12),
    )
    service.accept(session, mediating, user_id=worker_id)
    service.start_mediation(session, mediating, mediation_type="people", mediators=["王秀兰"], user_id=worker_id)

    # A labour dispute above the community's remit: escalated to the street.
    escalated = register(
        "装修工程款拖欠",
        "labour",
        "petition",
        "ordinary",
        "外来装修队 6 名工人反映包工头拖欠工资共计 4.2 万元，多次讨要未果。",
        4,
        None,
        day(8),
    )
    service.accept(session, escalated, user_id=worker_id)
    service.escalate(
        session,
        settings,
        escalated,
        reason="涉及外来务工人员欠薪，超出社区调处权限，需街道劳动保障所参与。",
        user_id=worker_id,
        today=today,
    )
    service.accept(session, escalated, user_id=staff_id)

    # An emergency: property-fee dispute of a whole building, risk of a collective petition.
    emergency = register(
        "物业费上调引发业主聚集",
        "property",
        "grid_report",
        "major",
        "物业公司拟将物业费由每平方米 1.2 元上调至 1.8 元，40 余户业主在物业办公室聚集，扬言集体上访。",
        5,
        None,
        day(2),
    )
    service.flag_emergency(
        session,
        settings,
        emergency,
        emergency="mass_petition",
        reason="40 余户业主聚集，扬言集体上访。",
        user_id=worker_id,
        today=today,
    )

    # Just registered.
    register(
        "停车位占用纠纷", "neighbour", "walk_in", "minor", "两户居民因楼下公共车位长期被占发生口角。", 6, 7, day(1)
    )

    # Screenings as they were recorded, each on its day: both halves of last
    # month (the second one found nothing) and this month's first half.
    for screened_on, disputes, factors, note in (
        (last_start + timedelta(days=13), 2, 0, "入户走访 120 户，发现邻里纠纷 2 件。"),
        (last_end - timedelta(days=1), 0, 0, None),
        (date(today.year, today.month, min(today.day, 14)), 1, 1, "发现物业费调整引发的不稳定因素 1 个。"),
    ):
        service.record_screening(
            session,
            host,
            community,
            screened_on=screened_on,
            disputes_found=disputes,
            instability_factors=factors,
            note=note,
            user_id=worker_id,
            today=screened_on,
        )
    # Last month's 统计表, submitted on the 3rd (before the default deadline, the 5th).
    month = f"{last_start.year:04d}-{last_start.month:02d}"
    submitted_on = min(today, date(today.year, today.month, 3))
    try:
        with session.begin_nested():
            service.submit_monthly_summary(
                session, host, community, month, note=None, user_id=worker_id, today=submitted_on
            )
    except UserInputError as exc:  # a locality whose policy refuses it: the demo goes on
        progress.note(f"演示统计表未报送：{exc}")

    # Appeals: one closed with a rating, one forwarded, one overdue.
    done = service.intake_appeal(
        session,
        community,
        channel="walk_in",
        resident_id=residents[8 % len(residents)].id,
        appellant_name=None,
        phone=None,
        subject="小区路灯损坏",
        content="3 号楼前两盏路灯损坏一个月，夜间出行不便。",
        received_on=last_start + timedelta(days=5),
        user_id=worker_id,
        today=today,
    )
    service.resolve_appeal(session, done, resolution="已联系物业更换灯具。", today=last_start + timedelta(days=9))
    service.feedback_appeal(
        session,
        done,
        feedback="路灯已修复，已电话告知居民。",
        satisfaction="satisfied",
        today=last_start + timedelta(days=10),
    )
    forwarded = service.intake_appeal(
        session,
        community,
        channel="hotline",
        resident_id=None,
        appellant_name="孙女士",
        phone="13812345678",
        subject="占道经营噪音扰民",
        content="小区门口夜市摊点经营至凌晨，噪音扰民。",
        received_on=day(4),
        user_id=worker_id,
        today=today,
    )
    service.forward_appeal(session, forwarded, office="区城市管理执法局", today=today)
    service.intake_appeal(
        session,
        community,
        channel="phone",
        resident_id=residents[9 % len(residents)].id,
        appellant_name=None,
        phone=None,
        subject="低保复核进度",
        content="询问低保年度复核结果。",
        received_on=today - timedelta(days=40),
        user_id=worker_id,
        today=today,
    )

    # Grid events.
    if grid is not None:
        grid_id, grid_unit = grid
        for event_type, text in (
            ("facility_damage", "5 号楼单元门门禁损坏。"),
            ("newcomer", "3 号楼 2 单元 401 新迁入一户三口。"),
            ("new_pregnancy", "辖区一名育龄妇女新怀孕。"),
            ("instability", "多名业主因物业费上调在微信群串联。"),
        ):
            service.report_grid_event(
                session,
                settings,
                host,
                grid_unit,
                event_type=event_type,
                description=text,
                occurred_on=today,
                resident_id=None,
                user_id=grid_id,
                today=today,
            )
    # What occurred this year, and the year's survey: the 平安村 criteria.
    service.record_incident(
        session,
        community,
        kind="security_problem",
        occurred_on=day(6),
        summary="小区东门外夜间多次发生电动车电瓶被盗。",
        user_id=worker_id,
        today=today,
    )
    service.record_satisfaction_survey(
        session,
        community,
        year=today.year,
        surveyed_on=day(3),
        respondents=200,
        satisfied=168,
        basically_satisfied=24,
        note="入户随机抽样问卷。",
        user_id=worker_id,
        today=today,
    )
    session.flush()
    count = len(session.scalars(select(DisputeCase.id).where(DisputeCase.origin_unit_id == community.id)).all())
    progress.note(
        f"矛盾纠纷演示数据：个案 {count} 件（{community.name}，其中 2 件在{street.name}），排查、统计表、诉求与网格事件"
    )
    return count
