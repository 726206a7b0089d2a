"""Standardization titles (规范化创建, DOMAIN 3.7, seed 000): 自荐、自评,逐级审报、
分级审批 — self-assessment, the street office's preliminary review, democratic
evaluation, public notice on the board, district acceptance, district
approval, strictly in that order, each step recorded with who, when, the
finding and its evidence (votes; the published notice). A failed step ends
the application; the title is conferred by the last step."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.permissions import PermissionRegistry, require
from core.board.models import PUBLISHED, Notice
from core.policy import service as policy
from core.settings import settings_of
from plugins.assessment import declarations as d
from plugins.assessment.models import TitleApplication, TitleStep

IN_PROGRESS, APPROVED, REJECTED = "in_progress", "approved", "rejected"
STATUS_NAMES = {IN_PROGRESS: "创建中", APPROVED: "已命名", REJECTED: "未通过"}


def steps_of(session: Session, application: TitleApplication) -> list[TitleStep]:
    return list(
        session.scalars(
            select(TitleStep).where(TitleStep.application_id == application.id).order_by(TitleStep.position)
        )
    )


def next_step(session: Session, application: TitleApplication) -> str | None:
    if application.status != IN_PROGRESS:
        return None
    done = int(
        session.scalar(select(func.count()).select_from(TitleStep).where(TitleStep.application_id == application.id))
        or 0
    )
    return d.STEPS[done][0] if done < len(d.STEPS) else None


def apply(
    session: Session,
    who: Any,
    unit: Any,
    title: str,
    note: str,
    *,
    registry: PermissionRegistry | None = None,
    today: date | None = None,
) -> TitleApplication:
    """Self-nomination with the self-assessment (the first step)."""
    require(who, d.TITLE_APPLY.code, unit, registry=registry)
    if title not in d.TITLES:
        raise UserInputError("INVALID_VALUE", f"称号须为 {'、'.join(d.TITLES)} 之一。", "title")
    if settings_of(session).role_of(unit.level) != "grassroots":
        raise UserInputError("INVALID_LEVEL", "规范化创建由社区（村）申报。", "orgUnitId")
    year = (today or policy.local_today()).year
    open_one = session.scalar(
        select(TitleApplication.id).where(
            TitleApplication.org_unit_id == unit.id,
            TitleApplication.title == title,
            TitleApplication.status != REJECTED,
        )
    )
    if open_one:
        raise UserInputError("ALREADY_APPLIED", f"本社区已申报或已获得“{d.TITLES[title]}”。", "title")
    application = TitleApplication(org_unit_id=unit.id, org_path=unit.path, title=title, year=year, status=IN_PROGRESS)
    session.add(application)
    session.flush()
    record_step(session, who, application, "self_assessment", passed=True, note=note, registry=registry)
    return application


def record_step(
    session: Session,
    who: Any,
    application: TitleApplication,
    step: str,
    *,
    passed: bool,
    note: str,
    votes_for: int | None = None,
    votes_total: int | None = None,
    notice: Notice | None = None,
    registry: PermissionRegistry | None = None,
) -> TitleStep:
    if step not in d.STEP_NAMES:
        raise UserInputError("INVALID_VALUE", "没有这一创建步骤。", "step")
    if application.status != IN_PROGRESS:
        raise UserInputError("CLOSED", f"该申报已{STATUS_NAMES[application.status]}。", "applicationId")
    expected = next_step(session, application)
    if step != expected:
        raise UserInputError(
            "OUT_OF_ORDER",
            f"规范化创建须逐级进行：下一步应为“{d.STEP_NAMES[expected or '']}”，不能先做“{d.STEP_NAMES[step]}”。",
            "step",
        )
    permission = next(p for code, _, p in d.STEPS if code == step)
    principal = require(who, permission.code, application.org_path, registry=registry)
    text = (note or "").strip()
    if not text:
        raise UserInputError("REQUIRED", f"请写明“{d.STEP_NAMES[step]}”的情况和结论。", "note")
    if step == "democratic_evaluation" and (
        votes_total is None or votes_for is None or votes_total <= 0 or not 0 <= votes_for <= votes_total
    ):
        raise UserInputError("VOTES_REQUIRED", "民主测评须记录参评人数和满意（赞成）票数。", "votesTotal")
    if step == "public_notice":
        if notice is None:
            raise UserInputError("NOTICE_REQUIRED", "公示须在本社区公开栏发布公告，并指明该公告。", "noticeId")
        if notice.org_unit_id != application.org_unit_id or notice.status != PUBLISHED:
            raise UserInputError("NOTICE_NOT_PUBLISHED", "所指公告须已在本社区公开栏公开。", "noticeId")
    row = TitleStep(
        application_id=application.id,
        position=[s for s, _, _ in d.STEPS].index(step),
        step=step,
        passed=passed,
        note=text[:4000],
        votes_for=votes_for,
        votes_total=votes_total,
        notice_id=notice.id if notice else None,
        recorded_by_id=principal.id,
    )
    session.add(row)
    if not passed:
        application.status = REJECTED
    elif step == d.STEPS[-1][0]:
        application.status = APPROVED
    session.flush()
    return row
