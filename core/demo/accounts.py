"""Finding the demo accounts (username = role code, ``core.demo.people``)
from the demo data of core modules and plugins."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.models import RoleGrant, User
from core.org.models import OrgUnit


def demo_account(session: Session, username: str) -> tuple[User, OrgUnit] | None:
    """The demo account ``username`` and the unit of its first active grant;
    None where the demo has no such account (production mode creates none)."""
    row = session.execute(
        select(User, OrgUnit)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .join(OrgUnit, OrgUnit.id == RoleGrant.org_unit_id)
        .where(User.username == username, RoleGrant.revoked_at.is_(None))
        .order_by(RoleGrant.id)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None
