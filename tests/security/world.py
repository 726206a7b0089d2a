"""Two streets with the same kinds of records, for cross-street tests.

The demo locality is loaded as ``jiceng serve --demo`` loads it: its
plugin records all lie in the first street of 市南区 (the victim street V).
Then the demo accounts are renamed and a second set is created in the
second street of 市南区 (the attacker's street X), and every plugin's demo
loader runs again, so X holds records of the same types as V.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.models import User
from core.auth.permissions import registry_for
from core.auth.roles import DEFAULT_ROLES, ensure_default_roles
from core.demo import load_demo
from core.demo.people import DEMO_USER_UNITS, _demo_user_units
from core.demo.progress import Progress
from core.org.models import OrgUnit
from core.plugin_host import PluginHost
from core.settings import Settings
from core.spreadsheets.imports.demo import load_demo_import


@dataclass(frozen=True)
class TwoStreets:
    victim: OrgUnit
    attacker: OrgUnit


def _first_child(session: Session, parent: OrgUnit, level: str, index: int = 0) -> OrgUnit:
    children = list(
        session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == parent.id, OrgUnit.level == level).order_by(OrgUnit.id)
        )
    )
    return children[index] if len(children) > index else parent


def build_two_streets(session: Session, settings: Settings, host: PluginHost) -> TwoStreets:
    progress = Progress(quiet=True)
    load_demo(session, settings, host, progress)
    units = _demo_user_units(session)
    victim = units["street"]
    # The demo accounts of V keep their grants under another name.
    for user in session.scalars(select(User).where(User.username.in_([r.code for r in DEFAULT_ROLES]))):
        user.username = f"v-{user.username}"
    session.flush()
    attacker = _first_child(session, units["district"], "street", 1)
    x_units = {"city": attacker, "district": attacker, "street": attacker}
    parent = attacker
    for level in ("community", "grid", "building"):
        x_units[level] = _first_child(session, parent, level)
        parent = x_units[level]
    registry = registry_for(host)
    ensure_default_roles(session, registry)
    config = AuthConfig.from_settings(settings)
    for role in DEFAULT_ROLES:
        unit = x_units[DEMO_USER_UNITS.get(role.code, "community")]
        user = auth_service.create_user(
            session,
            config,
            username=role.code,
            display_name=f"X{role.name}",
            password="x-street-demo-2026",
            password_hash="!",
        )
        auth_service.grant_role(session, registry, None, user_id=user.id, role_code=role.code, org_unit_id=unit.id)
    session.flush()
    host.hook.load_demo_data(session=session, settings=settings, progress=progress)
    load_demo_import(session, settings, x_units["community"])
    session.flush()
    return TwoStreets(victim=victim, attacker=attacker)


def add_street_holidays(session: Session, streets: TwoStreets) -> None:
    """A local holiday in each street (the demo has none)."""
    from datetime import date

    from core.reporting.calendar import add_holiday

    for unit in (streets.victim, streets.attacker):
        add_holiday(session, date(2026, 12, 30), "街道节", is_workday=False, org_unit=unit)
    session.flush()
