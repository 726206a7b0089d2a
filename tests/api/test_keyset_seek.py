"""A cursor's seek comes first in the WHERE clause so that SQLite starts its
index range at the cursor (not at a looser subtree bound on the same column)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import sqlite

from core.api.relay import _after, _where_first
from core.org.models import OrgUnit
from core.org.service import in_subtree


def test_seek_is_the_first_where_term() -> None:
    statement = select(OrgUnit).where(in_subtree(OrgUnit.path, "/1/2/"))
    page = _where_first(statement, _after((OrgUnit.path, OrgUnit.id), ["/1/2/7/", 40], False))
    sql = str(page.compile(dialect=sqlite.dialect()))
    where = sql.split("WHERE", 1)[1].strip()
    assert where.startswith("(org_unit.path, org_unit.id) >"), where
