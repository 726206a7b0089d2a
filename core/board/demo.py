"""Demo notices on the public board of the demo community: drafted by the
demo community worker, approved by the demo party secretary on a committee
meeting's decision, published. Where a plugin keeps the committee's meetings
(party building), approval needs one of its resolutions: its demo approves
these notices instead."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.service import principal_for_user
from core.board import service
from core.demo.accounts import demo_account
from core.demo.progress import Progress
from core.plugin_host import PluginHost
from core.policy.service import local_today

DEMO_NOTICES = (
    (
        "finance",
        "{year}年上半年社区财务收支公开",
        (
            "一、收入：上级拨付办公经费 30,000 元，服务群众专项经费 50,000 元。\n"
            "二、支出：办公用品 4,200 元，文体活动 8,600 元，环境整治 15,300 元。\n"
            "如有疑问，请于公开期内到社区居务监督委员会反映。"
        ),
        True,
    ),
    (
        "community_affairs",
        "关于开展楼道杂物清理的通知",
        "本月第三周开展楼道杂物清理，请各位居民提前清理自家门前物品，保持消防通道畅通。",
        True,
    ),
    ("party_affairs", "社区党委主题党日活动安排", "本月主题党日活动安排见党员群，请各支部按时组织。", False),
)


def load_demo_notices(session: Session, host: PluginHost, progress: Progress, *, today: date | None = None) -> int:
    """Publish the demo notices; none when the demo accounts do not exist
    (production has none). Returns how many were drafted."""
    worker = demo_account(session, "community_worker")
    secretary = demo_account(session, "party_secretary")
    if worker is None or secretary is None or worker[1].id != secretary[1].id:
        return 0
    drafter = principal_for_user(session, worker[0].id)
    approver = principal_for_user(session, secretary[0].id)
    unit = worker[1]
    year = (today or local_today()).year
    for category, title, body, publish in DEMO_NOTICES:
        notice = service.draft_notice(
            session,
            drafter,
            org_unit=unit,
            title=title.format(year=year),
            body=body,
            category=category,
            publisher_label=f"{unit.name}居民委员会" if category != "party_affairs" else f"{unit.name}党委",
        )
        service.submit_for_approval(session, drafter, notice)
        if publish:
            try:
                service.approve(
                    session,
                    approver,
                    notice,
                    host=host,
                    meeting_reference=f"{unit.name}党组织委员会会议：研究本月公开事项",
                    meeting_on=today or local_today(),
                    today=today,
                )
            except UserInputError as refused:
                # A plugin keeps the committee's meetings here: its demo approves
                # these with a committee resolution.
                if refused.errors[0].code != "DECISION_REQUIRED":
                    raise
                continue
            service.publish(session, drafter, notice, on=today, host=host)
    progress.note(f"公开栏公告 {len(DEMO_NOTICES)} 条")
    return len(DEMO_NOTICES)
