"""The finance migration matches the models (tests/test_migrations.py
covers core and the example plugin only), and the demo loads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from core.app import Deployment
from core.auth.models import RoleGrant, User
from core.board.models import PENDING_APPROVAL, Notice
from core.demo import load_demo
from core.demo.progress import Progress
from plugins.finance import service
from plugins.finance.models import (
    BOOKED,
    PENDING,
    Disclosure,
    ExpenseRequest,
    LedgerEntry,
    MonthClose,
)
from tests.conftest import DatabaseFactory, migrated_deployment
from tests.test_migrations import differences


@pytest.fixture(scope="module")
def finance_demo(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    deployment = migrated_deployment(database_factory.create(backend), plugins=("finance",))
    yield deployment
    deployment.dispose()


def test_migration_matches_the_models(finance_demo: Deployment) -> None:
    assert differences(finance_demo) == []
    tables = {t.name for t in finance_demo.metadata.sorted_tables}
    assert {"finance_ledger_entry", "finance_expense_request", "finance_month_close"} <= tables


def test_demo_books(finance_demo: Deployment) -> None:
    with finance_demo.session_factory() as session, session.begin():
        load_demo(session, finance_demo.settings, finance_demo.host, Progress(quiet=True))
    with finance_demo.session_factory() as session:
        unit_id = session.scalar(
            select(RoleGrant.org_unit_id).join(User, User.id == RoleGrant.user_id).where(User.username == "accountant")
        )
        assert unit_id is not None
        entries = session.scalar(
            select(func.count()).select_from(LedgerEntry).where(LedgerEntry.org_unit_id == unit_id)
        )
        assert entries and entries > 10
        statuses = list(session.scalars(select(ExpenseRequest.status).where(ExpenseRequest.org_unit_id == unit_id)))
        assert statuses.count(PENDING) == 3 and statuses.count(BOOKED) > 5
        tiers = {r.tier for r in session.scalars(select(ExpenseRequest).where(ExpenseRequest.status == BOOKED))}
        assert tiers == {"chair", "street", "assembly"}
        months = session.scalar(select(func.count()).select_from(MonthClose))
        assert months is not None and months >= 5
        disclosure = session.scalars(select(Disclosure)).one()
        notice = session.get(Notice, disclosure.notice_id)
        assert notice is not None and notice.status == PENDING_APPROVAL
        # The books balance: every account's balance is what its entries say.
        unit = service.community(session, unit_id)
        for row in service.trial_balance(session, unit, disclosure.period_start, disclosure.period_end):
            assert row.closing_fen == row.opening_fen + row.income_fen - row.expense_fen


OVERVIEW = """
query PendingExpenses {
  financeExpenseRequests(status: "pending", first: 10) {
    edges {
      node {
        id
        title
        amount
        tierName
        orgUnit { id name }
        steps { kindName statusName }
        signaturesRequired
        missingSignatures
      }
    }
  }
}
"""

APPROVE = """
mutation ApproveAsChair($id: ID!) {
  approveExpenseStep(input: { requestId: $id, note: "同意，按程序办理" }) {
    request { id status statusName steps { kindName statusName } }
    userErrors { field code message }
  }
}
"""

BOOKS = """
query Books($unit: ID!) {
  financeAccounts(orgUnitId: $unit) { code name balance }
  financeTrialBalance(orgUnitId: $unit, from: "2026-01-01") { account { name } openingBalance income expense closingBalance }
  financeDisclosures(orgUnitId: $unit) { periodStart periodEnd income expense majorItems { date summary amount } notice }
  financeFundingStandard(orgUnitId: $unit) { households annualFunding annualAllowance }
}
"""


def test_example_operations_on_the_demo(finance_demo: Deployment) -> None:
    """The operations quoted in the report work against the demo data."""
    from starlette.testclient import TestClient

    from core.app import create_app
    from core.auth import service as auth_service
    from core.auth.config import AuthConfig
    from core.demo.people import DEMO_PASSWORD
    from tests.conftest import graphql_caller

    with finance_demo.session_factory() as session:
        if session.scalar(select(func.count()).select_from(ExpenseRequest)) == 0:
            with session.begin():
                load_demo(session, finance_demo.settings, finance_demo.host, Progress(quiet=True))
    with finance_demo.session_factory() as session:
        config = AuthConfig.from_settings(finance_demo.settings)
        tokens = {}
        for name in ("street_leader", "committee_chair"):
            tokens[name] = auth_service.login(session, config, name, DEMO_PASSWORD).token
            session.commit()
    with TestClient(create_app(deployment=finance_demo)) as client:
        leader = graphql_caller(client, tokens["street_leader"])
        chair = graphql_caller(client, tokens["committee_chair"])
        edges = leader(OVERVIEW)["financeExpenseRequests"]["edges"]
        assert len(edges) == 3
        small = next(e["node"] for e in edges if e["node"]["tierName"] == "小额：居（村）委会主任审批")
        approved = chair(APPROVE, {"id": small["id"]})["approveExpenseStep"]
        assert approved["userErrors"] == [] and approved["request"]["status"] == "approved"
        books = leader(BOOKS, {"unit": small["orgUnit"]["id"]})
        assert len(books["financeAccounts"]) == 2 and books["financeDisclosures"][0]["notice"]
