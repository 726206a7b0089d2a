"""Indicators of community finance: disclosures and audit results published
on time (from the reporting calendar), income and expense booked in the period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.indicators.builtin import EXPECTED, ON_TIME, obligation_indicator
from core.indicators.registry import Compute, Indicator
from core.org.models import OrgUnit
from core.org.service import in_subtree
from plugins.finance.models import EXPENSE, INCOME, LedgerEntry

DISCLOSURES = ("finance.disclosure", "finance.quarterly_disclosure")


def booked(direction: str) -> Compute:
    def compute(session: Session, unit: OrgUnit, start: date, end: date) -> Decimal:
        fen = session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount_fen), 0)).where(
                in_subtree(LedgerEntry.org_path, unit.path),
                LedgerEntry.direction == direction,
                LedgerEntry.entry_date >= start,
                LedgerEntry.entry_date <= end,
            )
        )
        return Decimal(int(fen or 0)) / 100

    return compute


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "finance.disclosures_due",
        "应财务公开期数",
        "报送日历中本期截止的季度、半年财务公开期数。",
        obligation_indicator(DISCLOSURES, EXPECTED),
        unit="期",
    ),
    Indicator(
        "finance.disclosures_on_time",
        "按时财务公开期数",
        "季度、半年财务公开在截止日前完成的期数。",
        obligation_indicator(DISCLOSURES, ON_TIME),
        unit="期",
        aliases=("财务公开按时期数",),
    ),
    Indicator(
        "finance.audits_published_on_time",
        "按时公布审计结果期数",
        "季度财务审计结果按时公布的期数。",
        obligation_indicator(("finance.quarterly_audit",), ON_TIME),
        unit="期",
    ),
    Indicator(
        "finance.income_yuan",
        "本期收入",
        "本期记账的收入合计（元，含红字冲销）。",
        booked(INCOME),
        unit="元",
        aliases=("收入合计",),
    ),
    Indicator(
        "finance.expense_yuan",
        "本期支出",
        "本期记账的支出合计（元，含红字冲销）。",
        booked(EXPENSE),
        unit="元",
        aliases=("支出合计",),
    ),
)
