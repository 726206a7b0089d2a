"""The quarterly family-planning report through the reporting calendar:
figures from the records for the period (counts only), never typed."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.org.models import OrgUnit
from core.plugin_host import PluginHost
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from plugins.family_planning.declarations import QUARTERLY_REPORT
from plugins.family_planning.models import Report
from plugins.family_planning.statistics import figures_for


def submit_report(
    session: Session, host: PluginHost, instance: ObligationInstance, *, user_id: int, note: str | None, today: date
) -> Report:
    if instance.type_code != QUARTERLY_REPORT.code:
        raise UserInputError("WRONG_OBLIGATION", f"这不是“{QUARTERLY_REPORT.name}”的报送事项。", "instanceId")
    unit = session.get(OrgUnit, instance.org_unit_id)
    assert unit is not None
    end = min(instance.period_end, today)
    figures = figures_for(session, unit, instance.period_start, end, end).flat()
    reporting.submit(session, host, instance, user_id=user_id, note=note, today=today)
    report = Report(
        instance_id=instance.id, org_unit_id=unit.id, org_path=unit.path, figures=figures, submitted_by_id=user_id
    )
    session.add(report)
    session.flush()
    return report
