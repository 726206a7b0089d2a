"""Demo assessment: the demo street's monthly scheme (100 points, one item
from the board's disclosures, two scored by hand, one veto item) with last
month's results scored, graded within the quotas and published — one
community vetoed — and the demo community's application for 合格社区 halfway
through the standardization sequence."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
from core.indicators.registry import registry_for
from core.plugin_host import host_for_plugins
from core.policy.service import local_today
from core.settings import Settings
from plugins.assessment import declarations as d
from plugins.assessment import service, titles
from plugins.assessment.models import Result


def load_demo_assessment(session: Session, settings: Settings) -> None:
    leader = demo_account(session, "street_leader")
    staff = demo_account(session, "street_staff")
    chair = demo_account(session, "committee_chair")
    if leader is None or staff is None or chair is None:
        return
    street, community = leader[1], chair[1]
    who = principal_for_user(session, leader[0].id)
    indicators = registry_for(host_for_plugins(settings.plugins))
    community_level = community.level
    scheme = service.create_scheme(
        session,
        who,
        street,
        name=f"{street.name}社区工作月度考核",
        target_level=community_level,
        items=[
            service.ItemInput(
                "disclosure", "政务居务按时公开", d.INDICATOR, Decimal(30), "board.disclosures_on_time", Decimal(2)
            ),
            service.ItemInput("satisfaction", "居民满意度测评", d.MANUAL, Decimal(40)),
            service.ItemInput("ledgers", "台账资料规范", d.MANUAL, Decimal(30)),
            service.ItemInput("safety", "发生重大安全责任事故", d.VETO),
        ],
        indicators=indicators,
    )
    last_month = local_today().replace(day=1) - timedelta(days=1)
    results = service.open_period(session, who, scheme, last_month, indicators=indicators)
    for index, result in enumerate(results):
        service.score_item(
            session,
            who,
            result,
            "satisfaction",
            score=Decimal(36 - index),
            vetoed=False,
            evidence="随机入户问卷 30 份汇总",
        )
        service.score_item(
            session, who, result, "ledgers", score=Decimal(27), vetoed=False, evidence="街道现场检查台账记录"
        )
        if index == len(results) - 1 and len(results) > 1:
            service.score_item(
                session,
                who,
                result,
                "safety",
                score=None,
                vetoed=True,
                evidence="本月辖区发生一起燃气爆炸责任事故（事故调查报告）",
            )
    for result in session.scalars(select(Result).where(Result.scheme_id == scheme.id).order_by(Result.org_path)):
        service.set_grade(session, who, result, d.FAIL if result.vetoed else d.PASS)
    service.publish(session, who, scheme, last_month)
    application = titles.apply(
        session,
        principal_for_user(session, chair[0].id),
        community,
        "qualified",
        "对照合格社区标准自查，组织建设、服务设施、台账资料均达标。",
    )
    titles.record_step(
        session,
        principal_for_user(session, staff[0].id),
        application,
        "street_review",
        passed=True,
        note="街道实地查看服务站、查阅台账，同意上报。",
    )
