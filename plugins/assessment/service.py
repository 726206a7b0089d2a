"""Schemes, scoring, veto, grades with quotas, publication (DOMAIN 3.7).

Rules:
- a scheme's cycle is the policy of the assessing unit's level
  (``assessment.cycle.<role>``); its items' points sum to
  ``assessment.total_points`` (``POINTS_TOTAL``); a veto item carries no points;
- an indicator item scores points × min(1, value / target) from the records;
  a hand-scored item needs evidence (``EVIDENCE_REQUIRED``) and a score
  between 0 and its points; a veto item vetoes with evidence, or from its
  indicator when the value reaches the target;
- a vetoed result scores 0 and can only be graded ``fail`` (``VETOED``);
- the share of ``excellent`` and ``good`` grades among a period's results
  stays within the policy quota (以内: the quota itself allowed), ``QUOTA_EXCEEDED``;
- publishing needs every item scored and every result graded; it fixes the
  award (``assessment.award.<grade>_yuan``) the unit's funding adds, read by
  finance through the ``assessment.award_yuan`` indicator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import PermissionRegistry, require
from core.db import utcnow
from core.indicators.registry import IndicatorRegistry
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.policy import service as policy
from core.reporting.calendar import period_of
from core.settings import settings_of
from plugins.assessment import declarations as d
from plugins.assessment.models import Item, Result, Scheme, Score

TWO = Decimal("0.01")


@dataclass
class ItemInput:
    code: str
    name: str
    kind: str
    points: Decimal = Decimal(0)
    indicator_code: str | None = None
    target: Decimal | None = None


def create_scheme(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    name: str,
    target_level: str,
    items: Sequence[ItemInput],
    indicators: IndicatorRegistry,
    registry: PermissionRegistry | None = None,
    today: date | None = None,
) -> Scheme:
    principal = require(who, d.MANAGE.code, unit, registry=registry) if who is not None else None
    today = today or policy.local_today()
    settings = settings_of(session)
    problems: list[ErrorDetail] = []
    role = settings.role_of(unit.level)
    key = d.CYCLE_KEYS.get(role or "")
    if key is None:
        problems.append(
            ErrorDetail(
                "NO_CYCLE_FOR_LEVEL", f"“{settings.level_name(unit.level)}”一级没有考核周期的地方策略。", "orgUnitId"
            )
        )
    if not (name or "").strip() or len(name) > 200:
        problems.append(ErrorDetail("REQUIRED", "请填写方案名称（不超过 200 字）。", "name"))
    if settings.level_rank(target_level) is None or settings.rank_of(target_level) <= settings.rank_of(unit.level):
        problems.append(ErrorDetail("INVALID_VALUE", "被考核的层级须是本单位以下的层级。", "targetLevel"))
    total = Decimal(0)
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"items.{index}"
        if not item.code or item.code in seen or len(item.code) > 64:
            problems.append(
                ErrorDetail("INVALID_VALUE", "考核项代码不能为空、不超过 64 个字符且不能重复。", f"{where}.code")
            )
        seen.add(item.code)
        if not (item.name or "").strip():
            problems.append(ErrorDetail("REQUIRED", "请填写考核项名称。", f"{where}.name"))
        if item.kind not in d.ITEM_KINDS:
            problems.append(ErrorDetail("INVALID_VALUE", "考核项种类须为 indicator、manual 或 veto。", f"{where}.kind"))
            continue
        if item.kind == d.VETO:
            if item.points != 0:
                problems.append(ErrorDetail("INVALID_VALUE", "一票否决项不计分值。", f"{where}.points"))
        elif item.points <= 0:
            problems.append(ErrorDetail("INVALID_VALUE", "分值须大于 0。", f"{where}.points"))
        if item.kind == d.INDICATOR and item.indicator_code is None:
            problems.append(ErrorDetail("REQUIRED", "按指标计分的考核项须指定指标。", f"{where}.indicatorCode"))
        if item.indicator_code is not None:
            if indicators.get(item.indicator_code) is None:
                problems.append(
                    ErrorDetail("UNKNOWN_INDICATOR", f"没有“{item.indicator_code}”这个指标。", f"{where}.indicatorCode")
                )
            if item.target is None or item.target <= 0:
                problems.append(ErrorDetail("REQUIRED", "按指标计分或否决须给出大于 0 的目标值。", f"{where}.target"))
        total += item.points
    wanted = policy.resolve(session, unit, d.TOTAL_POINTS, today)
    if not items:
        problems.append(ErrorDetail("REQUIRED", "请列出考核项。", "items"))
    elif total != Decimal(wanted):
        problems.append(ErrorDetail("POINTS_TOTAL", f"各项分值之和为 {total}，须为 {wanted} 分。", "items"))
    if problems:
        raise UserInputError(errors=problems)
    assert key is not None
    scheme = Scheme(
        org_unit_id=unit.id,
        org_path=unit.path,
        name=name.strip(),
        target_level=target_level,
        cycle=str(policy.resolve(session, unit, key, today)),
        created_by_id=principal.id if principal else None,
    )
    session.add(scheme)
    session.flush()
    for position, item in enumerate(items):
        session.add(
            Item(
                scheme_id=scheme.id,
                position=position,
                code=item.code,
                name=item.name.strip(),
                kind=item.kind,
                points=item.points,
                indicator_code=item.indicator_code,
                target=item.target,
            )
        )
    session.flush()
    return scheme


def items_of(session: Session, scheme_id: int) -> list[Item]:
    return list(session.scalars(select(Item).where(Item.scheme_id == scheme_id).order_by(Item.position)))


def open_period(
    session: Session,
    who: Any,
    scheme: Scheme,
    day: date,
    *,
    indicators: IndicatorRegistry,
    registry: PermissionRegistry | None = None,
) -> list[Result]:
    """Results for every assessed unit of the period containing ``day``, the
    indicator and indicator-veto items scored from records. Re-opening
    rescores the indicator items of unpublished results."""
    principal = require(who, d.MANAGE.code, scheme.org_path, registry=registry) if who is not None else None
    start, end = period_of(scheme.cycle, day)
    units = list(
        session.scalars(
            select(OrgUnit)
            .where(in_subtree(OrgUnit.path, scheme.org_path), OrgUnit.level == scheme.target_level)
            .order_by(OrgUnit.path)
        )
    )
    existing = {
        r.org_unit_id: r
        for r in session.scalars(select(Result).where(Result.scheme_id == scheme.id, Result.period_start == start))
    }
    items = items_of(session, scheme.id)
    results = []
    for unit in units:
        result = existing.get(unit.id)
        if result is None:
            result = Result(
                scheme_id=scheme.id, org_unit_id=unit.id, org_path=unit.path, period_start=start, period_end=end
            )
            session.add(result)
            session.flush()
        results.append(result)
        if result.published_at is not None:
            continue
        for item in items:
            if item.indicator_code is None:
                continue
            value = indicators.require(item.indicator_code).value(session, unit, start, end)
            score = _score_row(session, result, item)
            score.value = value
            assert item.target is not None
            if item.kind == d.VETO:
                score.vetoed = value >= item.target
                score.evidence = f"{item.indicator_code} = {value}（业务记录）"
            else:
                score.score = (item.points * min(Decimal(1), value / item.target)).quantize(TWO, ROUND_HALF_UP)
            score.scored_by_id = principal.id if principal else None
            score.scored_at = utcnow()
        _refresh_veto(session, result)
    session.flush()
    return results


def _score_row(session: Session, result: Result, item: Item) -> Score:
    row = session.scalars(select(Score).where(Score.result_id == result.id, Score.item_id == item.id)).first()
    if row is None:
        row = Score(result_id=result.id, item_id=item.id)
        session.add(row)
        session.flush()
    return row


def _refresh_veto(session: Session, result: Result) -> None:
    session.flush()
    result.vetoed = bool(
        session.scalar(
            select(func.count()).select_from(Score).where(Score.result_id == result.id, Score.vetoed.is_(True))
        )
    )
    if result.vetoed and result.grade not in (None, d.FAIL):
        result.grade = None


def _unpublished(result: Result) -> None:
    if result.published_at is not None:
        raise UserInputError("PUBLISHED", "考核结果已公布，不能再修改。", "resultId")


def score_item(
    session: Session,
    who: Any,
    result: Result,
    item_code: str,
    *,
    score: Decimal | None,
    vetoed: bool,
    evidence: str,
    registry: PermissionRegistry | None = None,
) -> Result:
    """A hand score with its evidence, or a veto item's finding."""
    scheme = session.get(Scheme, result.scheme_id)
    assert scheme is not None
    principal = require(who, d.MANAGE.code, scheme.org_path, registry=registry)
    _unpublished(result)
    item = session.scalars(select(Item).where(Item.scheme_id == scheme.id, Item.code == item_code)).first()
    if item is None:
        raise UserInputError("UNKNOWN_ITEM", f"考核方案没有“{item_code}”这一项。", "itemCode")
    if item.kind == d.INDICATOR:
        raise UserInputError("FROM_RECORDS", f"“{item.name}”按业务记录计分，不能人工评分。", "itemCode")
    text = (evidence or "").strip()
    if not text:
        raise UserInputError("EVIDENCE_REQUIRED", f"人工评分和一票否决须写明依据（“{item.name}”）。", "evidence")
    row = _score_row(session, result, item)
    if item.kind == d.VETO:
        row.vetoed = vetoed
    else:
        if score is None or score < 0 or score > item.points:
            raise UserInputError("OUT_OF_RANGE", f"“{item.name}”的得分须在 0 到 {item.points} 分之间。", "score")
        row.score = score.quantize(TWO, ROUND_HALF_UP)
    row.evidence = text[:4000]
    row.scored_by_id = principal.id
    row.scored_at = utcnow()
    _refresh_veto(session, result)
    session.flush()
    return result


def total_score(session: Session, result: Result) -> Decimal:
    """The points earned; 0 when a veto item vetoed the result."""
    if result.vetoed:
        return Decimal(0)
    total = session.scalar(select(func.coalesce(func.sum(Score.score), 0)).where(Score.result_id == result.id))
    return Decimal(total or 0).quantize(TWO)


def _period_results(session: Session, result: Result) -> list[Result]:
    return list(
        session.scalars(
            select(Result).where(Result.scheme_id == result.scheme_id, Result.period_start == result.period_start)
        )
    )


def set_grade(
    session: Session,
    who: Any,
    result: Result,
    grade: str,
    *,
    registry: PermissionRegistry | None = None,
    today: date | None = None,
) -> Result:
    scheme = session.get(Scheme, result.scheme_id)
    assert scheme is not None
    require(who, d.MANAGE.code, scheme.org_path, registry=registry)
    _unpublished(result)
    if grade not in d.GRADES:
        raise UserInputError("INVALID_VALUE", f"等次须为 {'、'.join(d.GRADES)} 之一。", "grade")
    if result.vetoed and grade != d.FAIL:
        raise UserInputError("VETOED", "该单位被一票否决，只能评为不称职（不合格）。", "grade")
    key = d.QUOTA_KEYS.get(grade)
    if key is not None:
        peers = _period_results(session, result)
        unit = org_service.get_unit(session, scheme.org_unit_id)
        percent = int(policy.resolve(session, unit, key, today or policy.local_today()))
        already = sum(1 for r in peers if r.grade == grade and r.id != result.id)
        # 以内: the quota itself is allowed (count × 100 ≤ n × percent).
        if (already + 1) * 100 > len(peers) * percent:
            raise UserInputError(
                "QUOTA_EXCEEDED",
                f"评为{d.GRADES[grade]}的不能超过参评单位的 {percent}%（共 {len(peers)} 个单位，已评 {already} 个）。",
                "grade",
            )
    result.grade = grade
    session.flush()
    return result


def publish(
    session: Session, who: Any, scheme: Scheme, day: date, *, registry: PermissionRegistry | None = None
) -> list[Result]:
    require(who, d.MANAGE.code, scheme.org_path, registry=registry) if who is not None else None
    start, _ = period_of(scheme.cycle, day)
    results = list(
        session.scalars(
            select(Result).where(Result.scheme_id == scheme.id, Result.period_start == start).order_by(Result.org_path)
        )
    )
    if not results:
        raise UserInputError("NOT_OPENED", "该期考核尚未开始。", "periodStart")
    items = items_of(session, scheme.id)
    problems: list[ErrorDetail] = []
    scored = {
        (row.result_id, row.item_id)
        for row in session.scalars(select(Score).where(Score.result_id.in_([r.id for r in results])))
        if row.score is not None or row.evidence is not None
    }
    for result in results:
        unit = org_service.get_unit(session, result.org_unit_id)
        missing = [item.name for item in items if item.kind != d.VETO and (result.id, item.id) not in scored]
        if missing and not result.vetoed:
            problems.append(ErrorDetail("UNSCORED", f"“{unit.name}”尚未评分：{'、'.join(missing)}。", "periodStart"))
        if result.grade is None:
            problems.append(ErrorDetail("UNGRADED", f"“{unit.name}”尚未评定等次。", "periodStart"))
    if problems:
        raise UserInputError(errors=problems)
    unit = org_service.get_unit(session, scheme.org_unit_id)
    now = utcnow()
    for result in results:
        key = d.AWARD_KEYS.get(result.grade or "")
        result.award_yuan = int(policy.resolve(session, unit, key, result.period_end)) if key else 0
        result.published_at = now
    session.flush()
    return results
