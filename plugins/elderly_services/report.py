"""The quarterly elderly report through the reporting calendar: its figures
are the unit's statistics on the period's last day (or today, when
submitted early), never typed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.plugin_host import PluginHost
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from plugins.elderly_services.declarations import QUARTERLY_REPORT
from plugins.elderly_services.models import ElderlyReport
from plugins.elderly_services.statistics import UnitStatistics, unit_statistics


def figures_of(row: UnitStatistics) -> dict[str, int]:
    figures = {
        "elderly": row.elderly,
        "very_old": row.very_old,
        "living_alone": row.living_alone,
        "empty_nest": row.empty_nest,
        "visits_scheduled": row.visits_scheduled,
        "visits_overdue": row.visits_overdue,
        "cards_issued": row.cards_issued,
    }
    figures.update({f"band.{b.band}": b.count for b in row.bands})
    return figures


def submit_report(
    session: Session,
    host: PluginHost,
    context: Any,
    instance: ObligationInstance,
    *,
    user_id: int,
    note: str | None,
    today: Any,
) -> ElderlyReport:
    if instance.type_code != QUARTERLY_REPORT.code:
        raise UserInputError("WRONG_OBLIGATION", f"这不是“{QUARTERLY_REPORT.name}”的报送事项。", "instanceId")
    unit = session.get(OrgUnit, instance.org_unit_id)
    assert unit is not None
    on = min(instance.period_end, today)
    statistics = unit_statistics(session, context, unit, on)[0]
    reporting.submit(session, host, instance, user_id=user_id, note=note, today=today)
    report = ElderlyReport(
        instance_id=instance.id,
        org_unit_id=unit.id,
        org_path=unit.path,
        period_start=instance.period_start,
        period_end=instance.period_end,
        figures=figures_of(statistics),
        submitted_by_id=user_id,
    )
    session.add(report)
    session.flush()
    return report
