"""The locality presets that name mediation keys (Dingyuan, Taonan) apply
cleanly, and Taonan's "by the 25th of the same month" is the deadline the
monthly summary gets."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.org import service as org_service
from core.policy.presets import apply_preset, find_preset, load_preset
from core.policy.registry import registry_for
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from plugins.mediation import service
from tests.plugins.mediation.conftest import Env, set_policy


@pytest.mark.parametrize(
    ("preset", "due"),
    [("dingyuan", date(2026, 11, 5)), ("taonan", date(2026, 10, 26))],
)
def test_preset_sets_the_monthly_summary_deadline(env: Env, preset: str, due: date) -> None:
    # Deadlines on weekends stay put here; 2026-10-25 is a Sunday, moved to Monday the 26th by default.
    if preset == "dingyuan":
        set_policy(env.deployment, env.tree.city, "reporting.holiday_shift", "unchanged")
    registry = registry_for(env.deployment.host)
    with env.session() as session, session.begin():
        unit = org_service.get_unit(session, env.tree.district)
        report = apply_preset(
            session, registry, load_preset(find_preset(preset)), unit, effective_from=date(2020, 1, 1), set_by="测试"
        )
        assert report.ok and {item.status for item in report.items} == {"set"}
        community = org_service.get_unit(session, env.tree.community)
        instance = service.ensure_instance(
            session,
            env.deployment.host,
            "mediation.monthly_summary",
            community,
            (date(2026, 10, 1), date(2026, 10, 31)),
        )
        assert instance.due_on == due
        # The calendar's own run gives the other communities the same local deadline.
        reporting.materialize(session, env.deployment.host, date(2026, 11, 3))
        neighbour = session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.type_code == "mediation.monthly_summary",
                ObligationInstance.org_unit_id == env.tree.neighbour,
                ObligationInstance.period_start == date(2026, 10, 1),
            )
        ).one()
        assert neighbour.due_on == due
