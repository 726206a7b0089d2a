"""Demo records in the demo community (where the ``family_planning_worker``
demo account works), consistent with the registry: 婚育信息 of women of
childbearing age there, a birth, certificate applications (one issued), a
pregnancy follow-up in service, the charter and agreement template adopted
by the assembly, an agreement with a key household with a breach by the
committee's side and what followed, rewards and aid, the supervisory board
with a review and a finding, the association with an activity, and the
births disclosure of 四公开 on the public board."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.service import principal_for_user
from core.board import service as board
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.meetings.models import MeetingResolution
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import HouseholdMember, Resident
from core.plugin_host import load_plugin_host
from core.policy.service import local_today
from core.settings import Settings
from core.visits import service as visits
from core.visits.programmes import programmes_for
from plugins.family_planning import declarations as d
from plugins.family_planning import disclosure, governance, service

CHARTER = """第一条 本章程依据国家和地方人口与计划生育法律、法规和政策，经居民代表会议讨论通过。
第二条 计划生育工作坚持说服教育，不搞强迫命令；尊重和保护居民的人身、民主和财产权利。
第三条 居委会为育龄群众提供政策咨询、避孕药具和生殖健康服务，送服务上门。
第四条 居委会成员和计生专干同样受本章程约束（既要约民，又要约官），接受监事会和居民监督。
第五条 计划生育四公开：政策规定、生育和证明办理情况、奖励扶助兑现情况、群众组织参与监督的规则。"""
TEMPLATE = """一、户方义务：了解和遵守计划生育政策，按时参加健康检查，如实登记婚育信息。
二、户方权利：获得政策咨询、避孕药具、生殖健康和孕期服务，享受奖励扶助，监督居委会履约。
三、居委会义务：送服务上门，按期随访，及时兑现奖励扶助，为户方保守个人信息。
四、违约责任：任何一方违约，由居民代表会议审议，监事会监督整改；居委会成员违约的，追究其责任。"""


def _women(session: Session, community: OrgUnit, today: date) -> list[Resident]:
    """Women of childbearing age (by the community's policy) aged 20 or more."""
    return list(
        session.scalars(
            select(Resident)
            .where(
                in_subtree(Resident.org_path, community.path),
                service.childbearing(session, community, today),
                Resident.birth_date <= date(today.year - 20, 1, 1),
            )
            .order_by(Resident.id)
            .limit(8)
        )
    )


def _adults(session: Session, community: OrgUnit, today: date, exclude: set[int]) -> list[Resident]:
    rows = session.scalars(
        select(Resident)
        .where(
            in_subtree(Resident.org_path, community.path),
            Resident.moved_out_on.is_(None),
            Resident.birth_date <= date(today.year - 25, 1, 1),
        )
        .order_by(Resident.id.desc())
        .limit(10)
    )
    return [r for r in rows if r.id not in exclude][:4]


def assembly_resolution(
    session: Session, community: OrgUnit, *, held_on: date, text: str, today: date
) -> MeetingResolution:
    """A representatives' assembly of ``community`` held on ``held_on`` (the
    demo's shared assembly: its representatives post holders in core, all
    present) and the resolution it adopted unanimously: what the charter and
    template versions cite."""
    from core.meetings.demo import ensure_representatives, hold_assembly

    seated = len(ensure_representatives(session, community))
    _, [adopted] = hold_assembly(
        session,
        community,
        held_on=held_on,
        title=f"{community.name}{held_on.year}年居民代表会议",
        present=seated,
        decisions=[(text, seated, 0)],
        today=today,
    )
    return adopted


def load_demo_family_planning(
    session: Session, settings: Settings, progress: Progress, *, today: date | None = None
) -> int:
    """Returns how many 婚育信息 records were made (none without the demo accounts)."""
    found = demo_account(session, "family_planning_worker")
    chair = demo_account(session, "committee_chair")
    if found is None or chair is None:
        return 0
    user, community = found
    worker = principal_for_user(session, user.id)
    chair_principal = principal_for_user(session, chair[0].id)
    today = today or local_today()
    women = _women(session, community, today)
    if len(women) < 3:
        return 0
    adults = _adults(session, community, today, {w.id for w in women})
    if len(adults) < 4:
        return 0
    methods = ["iud", "pill", "condom", "none", "implant", "iud", "condom", "none"]
    for index, woman in enumerate(women):
        married = index % 4 != 3
        service.record_profile(
            session,
            woman,
            marital_status="married" if married else "unmarried",
            married_on=date(today.year - 3 - index, 5, 1) if married else None,
            children=1 if married and index % 2 == 0 else 0,
            contraception=methods[index] if married else None,
            pregnant=index == 1,
            expected_on=today + timedelta(days=120) if index == 1 else None,
            user_id=user.id,
            today=today,
        )
    service.record_birth(
        session, women[0], born_on=today - timedelta(days=75), child=None, user_id=user.id, today=today
    )
    issued = service.apply_certificate(
        session,
        women[0],
        kind="birth_registration",
        applied_on=today - timedelta(days=70),
        user_id=user.id,
        today=today,
    )
    service.decide_certificate(
        session,
        issued,
        decision="issued",
        number=f"SY{today.year}{community.id:04d}001",
        note=None,
        user_id=user.id,
        today=today,
    )
    service.apply_certificate(
        session, women[2], kind="only_child_honour", applied_on=today - timedelta(days=3), user_id=user.id, today=today
    )
    pregnant = women[1]
    follow_up = service.open_follow_up(
        session,
        community,
        resident_id=pregnant.id,
        reason="new_pregnancy",
        source="worker",
        opened_on=today - timedelta(days=20),
        user_id=user.id,
    )
    service.start_service(follow_up)
    programme = programmes_for(load_plugin_host(settings.plugins))[d.PROGRAMME_CODE]
    visits.enrol(
        session,
        worker,
        programme,
        pregnant,
        category="pregnancy",
        reason="计划生育服务跟进：孕期服务",
        enrolled_from=today - timedelta(days=20),
        enrolled_until=None,
        enrolled_by_id=user.id,
        today=today,
    )
    visits.record_visit(
        session,
        worker,
        programme,
        pregnant,
        visited_on=today - timedelta(days=10),
        method="home",
        findings="上门送孕期保健资料，提醒按时产检。",
        follow_up_needed=False,
        follow_up_note=None,
        visitor_id=user.id,
        today=today,
    )
    adopted = assembly_resolution(
        session,
        community,
        held_on=today - timedelta(days=60),
        text="通过计划生育居民自治章程和计划生育协议书范本。",
        today=today,
    )
    service.adopt_text(
        session,
        community,
        kind="charter",
        title=f"{community.name}计划生育居民自治章程",
        body=CHARTER,
        resolution=adopted,
        user_id=user.id,
        today=today,
    )
    template = service.adopt_text(
        session,
        community,
        kind="agreement_template",
        title=f"{community.name}计划生育协议书",
        body=TEMPLATE,
        resolution=adopted,
        user_id=user.id,
        today=today,
    )
    resolution = f"{community.name}居民代表会议决议"
    household_id = session.scalar(
        select(HouseholdMember.household_id).where(
            HouseholdMember.resident_id == women[0].id, HouseholdMember.left_on.is_(None)
        )
    )
    if household_id is not None:
        from core.people.models import Household

        household = session.get(Household, household_id)
        assert household is not None
        agreement = service.sign_agreement(
            session,
            household,
            women[0],
            template,
            signed_on=template.adopted_on + timedelta(days=5),
            valid_until=date(today.year, 12, 31),
            household_duties="按时参加健康检查，如实登记婚育信息。",
            household_rights="获得上门服务和奖励扶助，监督居委会履约。",
            committee_duties="每季度上门随访一次，及时兑现奖励扶助。",
            committee_liability="未按期随访或未及时兑现的，由居民代表会议责令整改并在四公开中说明。",
            user_id=user.id,
            today=today,
        )
        if agreement.signed_on <= today - timedelta(days=30):
            service.record_breach(
                session,
                agreement,
                party="committee",
                occurred_on=today - timedelta(days=30),
                description="第二季度未按约上门随访。",
                outcome="计生专干向该户说明情况并补做随访，监事会督促整改。",
                user_id=user.id,
                today=today,
            )
    for woman in women[:2]:
        service.grant_benefit(
            session,
            woman,
            kind="only_child_reward",
            amount="960.00",
            granted_on=today - timedelta(days=15),
            decision_ref=resolution,
            user_id=user.id,
            today=today,
        )
    for index, resident in enumerate(adults[:3]):
        governance.add_association_member(
            session,
            community,
            resident,
            role="president" if index == 0 else "member",
            joined_on=date(today.year - 1, 3, 1),
            today=today,
        )
    governance.add_board_member(
        session, community, adults[0], seat="association_member", joined_on=date(today.year, 1, 20), today=today
    )
    governance.add_board_member(
        session, community, adults[3], seat="resident_representative", joined_on=date(today.year, 1, 20), today=today
    )
    governance.record_activity(
        session,
        community,
        title="人口学校：生殖健康讲座",
        kind="population_school",
        held_on=today - timedelta(days=12),
        participants=36,
        user_id=user.id,
        today=today,
    )
    governance.record_review(
        session,
        community,
        reviewed_on=today - timedelta(days=5),
        checks={
            "disclosure_complete": True,
            "disclosure_true": True,
            "disclosure_timely": False,
            "problems_solved_in_time": True,
            "cadres_keep_rules": True,
        },
        summary="四公开内容全面真实，第二季度奖励兑现情况公开晚了半个月。",
        findings=[governance.FindingInput("奖励兑现情况未按季度及时公开。", today + timedelta(days=15))],
        user_id=user.id,
        today=today,
    )
    _disclose(session, settings, chair_principal, community, today, progress)
    progress.note(f"计划生育：婚育信息 {len(women)} 条，协议、监事会、计生协会和四公开示例")
    return len(women)


def _disclose(
    session: Session, settings: Settings, chair: object, community: OrgUnit, today: date, progress: Progress
) -> None:
    """The births disclosure: drafted from the records, approved by the party organization, published."""
    host = load_plugin_host(settings.plugins)
    notice = disclosure.draft_disclosure(session, chair, host, community, kind="births", year=today.year, today=today)
    board.submit_for_approval(session, chair, notice)
    secretary = demo_account(session, "party_secretary")
    if secretary is None:
        return
    approver = principal_for_user(session, secretary[0].id)
    try:
        board.approve(
            session,
            approver,
            notice,
            host=host,
            meeting_reference=f"{community.name}党组织委员会会议：研究计划生育四公开事项",
            meeting_on=today,
            today=today,
        )
    except UserInputError:
        progress.note("计划生育四公开：草稿待党组织会议决议审核")
        return
    board.publish(session, chair, notice, host=host)
