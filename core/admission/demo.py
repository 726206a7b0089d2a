"""Demo admission: the Jilin preset's requirements and report forms for the
demo street (approved at its district), unadmitted obligations not counted
there, one requirement waiting for approval, one refusal by the demo
community, and the community's monthly mediation form filled from records."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.admission import service
from core.admission.declarations import COUNT_UNADMITTED
from core.admission.presets import apply_admission_preset
from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
from core.plugin_host import host_for_plugins
from core.policy import service as policy
from core.settings import Settings

if TYPE_CHECKING:
    from core.auth.permissions import Principal
    from core.org.models import OrgUnit
    from core.plugin_host import PluginHost

DEMO_PRESET = "jilin"


def load_demo_admission(session: Session, settings: Settings) -> None:
    staff = demo_account(session, "street_staff")
    worker = demo_account(session, "community_worker")
    chair = demo_account(session, "committee_chair")
    if staff is None or worker is None or chair is None:
        return
    street, community = staff[1], worker[1]
    host = host_for_plugins(settings.plugins)
    today = policy.local_today()
    apply_admission_preset(session, host, street, DEMO_PRESET, today, valid_from=date(today.year - 1, 1, 1))
    policy.set_value(
        session,
        street,
        COUNT_UNADMITTED,
        False,
        effective_from=date(today.year - 1, 1, 1),
        set_by="演示数据",
        reason="街道集体研究：未经准入的事项不计入社区缺报（001）",
    )
    service.register(
        session,
        None,
        street,
        service.RequirementInput(
            issuer="区应急管理局",
            title="社区安全生产检查台账",
            content="社区每月对辖区商户开展安全生产检查并建立台账。",
            authority="区应急管理局工作要求（待审批）",
            staff="拟由社区网格员兼任",
            funds_note="尚未落实经费",
            valid_from=today,
            cadence="monthly",
            levels=settings.level_codes(["grassroots"]),
            subjects=["task.safety_ledger"],
        ),
    )
    service.refuse(
        session,
        principal_for_user(session, chair[0].id),
        community,
        "task.fire_survey",
        "区消防部门要求社区入户普查消防设施，未经准入审批，也未安排人员和经费（001：未经批准的事项，社区有权拒绝协助）。",
    )
    _fill_demo_form(session, host, community, principal_for_user(session, worker[0].id), today)


def _fill_demo_form(
    session: Session, host: PluginHost, community: OrgUnit, worker: Principal | None, today: date
) -> None:
    from core.indicators import forms
    from core.indicators.models import ReportForm
    from core.indicators.registry import registry_for

    form = session.scalars(
        select(ReportForm).where(
            ReportForm.code == "mediation_monthly", ReportForm.org_path.in_(_ancestors(community.path))
        )
    ).first()
    if form is None:
        return
    period = forms.period_of(form.recurrence, today)
    submission = forms.fill(session, None, form, community, period[0], indicators=registry_for(host))
    forms.set_value(session, worker, submission, "note", "本月开展矛盾纠纷排查，调处邻里纠纷，无群体性事件。", None)


def _ancestors(path: str) -> list[str]:
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
