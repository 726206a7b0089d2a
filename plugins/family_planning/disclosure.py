"""四公开 (DOMAIN 2.2) drafted from the records, and the yearly report to
the residents' (representatives') assembly.

A disclosure draft carries aggregates only: numbers of births, of
certificates issued by kind, of rewards and aid by kind with their amounts.
Names appear only where the locality's policy names the rule that requires
them (``family_planning.disclosure.benefit_names_rule``), and only the
names of benefit recipients — never a marriage, pregnancy, contraception or
birth detail. The draft goes through core's board: approved by the party
organization (its collective decision, ``check_notice_decision``) before it
is published.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.board import service as board
from core.board.categories import NoticeCategory, categories_for
from core.board.models import Notice
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.plugin_host import PluginHost
from core.policy.service import resolve
from plugins.family_planning import declarations as d
from plugins.family_planning.governance import current_board
from plugins.family_planning.models import Activity, AssociationMember, Benefit, Review
from plugins.family_planning.service import text_in_force
from plugins.family_planning.statistics import (
    benefit_name,
    certificate_name,
    figures_for,
)

CATEGORY = "family_planning.four_publics"
NOTICE_CATEGORIES = (NoticeCategory(CATEGORY, "计划生育四公开"),)


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def disclosure_body(session: Session, unit: OrgUnit, kind: str, year: int, today: date) -> tuple[str, str | None]:
    """The notice body for one of the four kinds, and the rule naming persons (or None)."""
    start, end = _year(year)
    figures = figures_for(session, unit, start, end, today)
    lines: list[str] = []
    rule: str | None = None
    if kind == "policies":
        for text_kind, name in d.TEXT_KINDS.items():
            current = text_in_force(session, unit, text_kind, today)
            if current is None:
                lines.append(f"{name}：尚未通过。")
            else:
                lines.append(
                    f"{name}（第{current.version}版，{current.adopted_on} 经{current.assembly_resolution_ref}通过）：{current.title}。"
                )
        lines.append("国家和地方的人口与计划生育法律、法规和政策原文见社区（村）服务站。")
    elif kind == "births":
        lines.append(f"{year}年本社区（村）出生 {figures.births} 人。")
        lines.append(f"受理计划生育证明申请 {figures.certificates_applied} 件。")
        for code, count in sorted(figures.certificates_issued.items()):
            lines.append(f"办结发放{certificate_name(code)} {count} 件。")
    elif kind == "benefits":
        names_rule = "；".join(
            str(r).strip() for r in resolve(session, unit, d.BENEFIT_NAMES_RULE, today) or [] if str(r).strip()
        )
        if not figures.benefits:
            lines.append(f"{year}年尚未发放计划生育奖励扶助。")
        for code, (count, amount) in sorted(figures.benefits.items()):
            lines.append(f"{benefit_name(code)}：{count} 人次，共 {amount:.2f} 元。")
        if names_rule and figures.benefits:
            rule = names_rule
            rows = session.execute(
                select(Benefit.kind, Resident.name, Benefit.amount)
                .join(Resident, Resident.id == Benefit.resident_id)
                .where(in_subtree(Benefit.org_path, unit.path), Benefit.granted_on >= start, Benefit.granted_on <= end)
                .order_by(Benefit.kind, Benefit.id)
            ).all()
            lines.append(f"名单（依据：{names_rule}）：")
            lines.extend(f"{benefit_name(k)}：{name} {amount:.2f} 元" for k, name, amount in rows)
    elif kind == "participation":
        members = session.scalars(select(AssociationMember).where(AssociationMember.org_unit_id == unit.id)).all()
        activities = session.scalars(
            select(Activity).where(Activity.org_unit_id == unit.id, Activity.held_on >= start, Activity.held_on <= end)
        ).all()
        board_members = current_board(session, unit, today)
        reviews = session.scalars(
            select(Review).where(Review.org_unit_id == unit.id, Review.reviewed_on >= start, Review.reviewed_on <= end)
        ).all()
        lines.append(f"计划生育协会会员 {len(members)} 人，{year}年开展活动 {len(activities)} 次。")
        lines.append(
            f"计划生育监事会成员 {len(board_members)} 人（居民代表和计生协会会员），{year}年开展监督检查 {len(reviews)} 次。"
        )
        lines.append(
            "监事会检查计划生育公开是否全面、真实、及时，居民反映的问题是否及时解决，干部是否遵守自治章程和协议；居民可向监事会反映意见。"
        )
    else:
        raise UserInputError(
            "UNKNOWN_CHOICE",
            "公开内容须为：" + "、".join(f"{k}（{v}）" for k, v in d.DISCLOSURE_KINDS.items()) + "。",
            "kind",
        )
    return "\n".join(lines), rule


def draft_disclosure(
    session: Session, who: Any, host: PluginHost, unit: OrgUnit, *, kind: str, year: int, today: date
) -> Notice:
    body, rule = disclosure_body(session, unit, kind, year, today)
    title = f"{unit.name}{year}年计划生育四公开：{d.DISCLOSURE_KINDS[kind]}"
    return board.draft_notice(
        session,
        who,
        org_unit=unit,
        title=title[:200],
        body=body,
        category=CATEGORY,
        publisher_label=f"{unit.name}居民委员会",
        source_plugin=d.PLUGIN,
        source_key=f"four_publics:{kind}:{year}",
        names_persons=rule is not None,
        personal_data_rule=rule,
        categories=categories_for(host),
    )


CHECKS = (
    ("disclosure_complete", "计划生育公开是否全面"),
    ("disclosure_true", "公开内容是否真实"),
    ("disclosure_timely", "公开是否及时"),
    ("problems_solved_in_time", "居民反映的问题是否及时解决"),
    ("cadres_keep_rules", "干部是否遵守自治章程和协议"),
)


def draft_review_notice(session: Session, who: Any, host: PluginHost, review: Review, today: date) -> Notice:
    """A board notice of a supervisory review: its checks, findings and their
    follow-up (no person named), where policy says reviews are published."""
    unit = session.get(OrgUnit, review.org_unit_id)
    assert unit is not None
    if not resolve(session, unit, d.PUBLISH_REVIEWS, today):
        raise UserInputError("NOT_PUBLISHED_HERE", "本地规定监事会检查结果不在公开栏公开。", "reviewId")
    if review.notice_id is not None:
        raise UserInputError("ALREADY_DRAFTED", "该次检查已生成公开栏公告。", "reviewId")
    from plugins.family_planning.models import Finding

    lines = [f"检查日期：{review.reviewed_on}"]
    lines += [f"{label}：{'是' if getattr(review, code) else '否'}" for code, label in CHECKS]
    lines.append(f"检查结论：{review.summary}")
    for index, finding in enumerate(
        session.scalars(select(Finding).where(Finding.review_id == review.id).order_by(Finding.id)), 1
    ):
        state = (
            f"已于 {finding.resolved_on} 整改：{finding.follow_up}"
            if finding.resolved_on
            else (f"整改期限 {finding.due_on}" if finding.due_on else "整改中")
        )
        lines.append(f"问题{index}：{finding.description}（{state}）")
    notice = board.draft_notice(
        session,
        who,
        org_unit=unit,
        title=f"{unit.name}计划生育监事会监督检查结果（{review.reviewed_on}）",
        body="\n".join(lines),
        category=CATEGORY,
        publisher_label=f"{unit.name}计划生育监事会",
        source_plugin=d.PLUGIN,
        source_key=f"review:{review.id}",
        categories=categories_for(host),
    )
    review.notice_id = notice.id
    session.flush()
    return notice


def year_report(session: Session, unit: OrgUnit, year: int, today: date) -> tuple[dict[str, int], str]:
    """The yearly family-planning report to the assembly: figures and text from the records."""
    start, end = _year(year)
    figures = figures_for(session, unit, start, end, today)
    charter = text_in_force(session, unit, "charter", end)
    reviews = session.scalars(
        select(Review).where(Review.org_unit_id == unit.id, Review.reviewed_on >= start, Review.reviewed_on <= end)
    ).all()
    lines = [
        f"{unit.name}{year}年计划生育居民自治工作报告（提交居民（代表）会议审议）",
        f"一、基本情况：现有育龄妇女 {figures.women} 人，其中已婚 {figures.married_women} 人；{year}年出生 {figures.births} 人。",
        (
            f"二、服务：孕期和避孕节育服务跟进结束 {figures.follow_ups_closed} 件，尚在跟进 {figures.follow_ups_open} 件；"
            f"受理证明申请 {figures.certificates_applied} 件，办结发证 {sum(figures.certificates_issued.values())} 件。"
        ),
        (
            f"三、合同管理：在执行的计划生育协议 {figures.agreements} 份；户方违约 {figures.breaches_household} 次，"
            f"居委会（村委会）及其成员违约 {figures.breaches_committee} 次。"
        ),
        "四、奖励扶助："
        + (
            "；".join(f"{benefit_name(k)} {c} 人次 {a:.2f} 元" for k, (c, a) in sorted(figures.benefits.items()))
            or "无"
        )
        + "。",
        f"五、民主监督：监事会检查 {len(reviews)} 次。",
        "六、自治章程："
        + (f"现行第{charter.version}版（{charter.adopted_on} 通过）。" if charter else "尚未通过，请本次会议讨论。"),
    ]
    return figures.flat(), "\n".join(lines)
