"""The link of assessment results to community funding: finance (or any
plugin) reads the awards through this indicator, never through an import."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.indicators.registry import Indicator
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.assessment.models import Result


def awards(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return int(
        session.scalar(
            select(func.coalesce(func.sum(Result.award_yuan), 0)).where(
                in_subtree(Result.org_path, unit.path),
                Result.published_at.is_not(None),
                Result.period_end >= start,
                Result.period_end <= end,
            )
        )
        or 0
    )


def vetoed(session: Session, unit: OrgUnit, start: date, end: date) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Result)
            .where(
                in_subtree(Result.org_path, unit.path),
                Result.published_at.is_not(None),
                Result.vetoed.is_(True),
                Result.period_end >= start,
                Result.period_end <= end,
            )
        )
        or 0
    )


INDICATORS = (
    Indicator(
        "assessment.award_yuan",
        "考核奖励经费",
        "期间内公布的考核结果按等次增加的工作经费（元，001：优秀1万元、良好5000元），计入社区经费标准。",
        awards,
        unit="元",
    ),
    Indicator("assessment.vetoed", "被一票否决次数", "期间内公布的考核结果中被一票否决的次数。", vetoed, unit="次"),
)
