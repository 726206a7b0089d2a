"""Reports (ledger, trial balance, by category), the .xlsx export read back,
and the GraphQL surface: a whole expense through the API, refusals as
userErrors, the plugin switched off per subtree."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import event
from starlette.testclient import TestClient

from core.policy.keys import plugin_active_key
from core.policy.service import set_value
from plugins.finance import service
from plugins.finance.web import REQUEST_HEADERS
from tests.plugins.finance.conftest import OPENED, TODAY, World, gid

DAY = OPENED.replace(day=10)


def test_ledger_trial_balance_and_category_totals(world: World) -> None:
    world.income("5000", DAY)
    world.income("300", DAY + timedelta(days=1), account="cash", category="403")
    request_id = world.paid("86.50")
    with world.deployment.session_factory() as session, session.begin():
        request = service.get_request(session, request_id)
        request.requested_on = request.paid_on = DAY + timedelta(days=2)
    world.act("accountant", service.book_expense, request_id)
    end = DAY + timedelta(days=20)
    with world.deployment.session_factory() as session:
        unit = world.unit(session)
        cash = service.ledger(session, unit, OPENED, end, world.cash)
        assert cash.opening_fen == 100_000
        assert [(line.income_fen, line.expense_fen, line.balance_fen) for line in cash.lines] == [
            (30_000, 0, 130_000),
            (0, 8_650, 121_350),
        ]
        assert cash.closing_fen == 121_350
        rows = {
            r.account.code: (r.opening_fen, r.income_fen, r.expense_fen, r.closing_fen)
            for r in service.trial_balance(session, unit, DAY + timedelta(days=1), end)
        }
        assert rows == {"1001": (100_000, 30_000, 8_650, 121_350), "1002": (500_000, 0, 0, 500_000)}
        totals = {t.category.code: t.amount_fen for t in service.by_category(session, unit, OPENED, end) if t.entries}
        assert totals == {"401": 500_000, "403": 30_000, "501": 8_650}


def test_xlsx_export_needs_sign_in_and_permission(world: World, client: TestClient) -> None:
    world.income("5000", DAY)
    unit = gid("OrgUnit", world.community)
    url = f"/finance/export/report.xlsx?unit={unit}&from={OPENED}&to={DAY + timedelta(days=5)}"
    assert client.get(url).status_code == 401
    cashier = {"Authorization": f"Bearer {world.users['cashier'].token}"}
    assert client.get(url, headers=cashier).status_code == 403
    other = world.sign_in("accountant", world.other_community)
    assert client.get(url, headers={"Authorization": f"Bearer {other.token}"}).status_code == 403
    response = client.get(url, headers={"Authorization": f"Bearer {world.users['accountant'].token}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["日记账", "科目余额表", "收支分类汇总", "开支审批"]
    ledger = [list(row) for row in book["日记账"].iter_rows(values_only=True)]
    title, unit_line = ledger[0][0], ledger[1][0]
    assert isinstance(title, str) and isinstance(unit_line, str)
    assert title.endswith("社区日记账") and "单位：元" in unit_line  # the office layout: title, unit, period
    assert ledger[2] == ["日期", "凭证号", "账户", "科目", "摘要", "收入（元）", "支出（元）", "余额（元）"]
    assert ledger[3][4] == "期初余额" and Decimal(str(ledger[3][7])) == Decimal(1000)
    assert ledger[4][1] == f"记{OPENED.year}-0001" and ledger[4][2] == "银行存款" and ledger[4][3] == "上级拨付工作经费"
    assert Decimal(str(ledger[4][5])) == Decimal(5000) and Decimal(str(ledger[4][7])) == Decimal(6000)
    assert isinstance(ledger[4][0], datetime)  # entry dates are date cells
    assert ledger[6][0] == "合计" and ledger[6][5] == "=SUM(F4:F6)" and ledger[6][6] == "=SUM(G4:G6)"
    trial = [list(row) for row in book["科目余额表"].iter_rows(values_only=True)]
    assert trial[2][:2] == ["账户代码", "账户名称"] and trial[4][:2] == ["1002", "银行存款"]
    assert Decimal(str(trial[4][5])) == Decimal(5000)
    assert [list(row) for row in book["开支审批"].iter_rows(min_row=3, max_row=4, values_only=True)] == [
        list(REQUEST_HEADERS),
        [None] * len(REQUEST_HEADERS),
    ]
    world.request("86.50")
    response = client.get(
        f"/finance/export/report.xlsx?unit={unit}&from={OPENED}",
        headers={"Authorization": f"Bearer {world.users['accountant'].token}"},
    )
    requests = [list(row) for row in load_workbook(BytesIO(response.content))["开支审批"].iter_rows(values_only=True)]
    assert requests[3][1:6] == [
        "开支 86.50 元",
        86.5,
        "小额：居（村）委会主任审批",
        "居（村）委会主任审批：待审批",
        "审批中",
    ]
    accountant = {"Authorization": f"Bearer {world.users['accountant'].token}"}
    assert client.get(f"/finance/export/report.xlsx?unit={unit}&from=bad", headers=accountant).status_code == 400
    # The books are a community's: a street is refused with the reason.
    leader = {"Authorization": f"Bearer {world.users['street_leader'].token}"}
    street = client.get(f"/finance/export/report.xlsx?unit={gid('OrgUnit', world.street)}", headers=leader)
    assert (street.status_code, street.json()["code"]) == (400, "NOT_A_COMMUNITY")


EXPENSE = """
mutation($input: CreateExpenseRequestInput!) {
  createExpenseRequest(input: $input) {
    request { id status tier steps { kind status } signaturesRequired amount }
    userErrors { field code message }
  }
}"""
APPROVE = """mutation($id: ID!) { approveExpenseStep(input: {requestId: $id}) { request { status } userErrors { code message } } }"""
SIGN = """mutation($id: ID!, $role: String!) { signExpenseRequest(input: {requestId: $id, role: $role}) { signature { roleName } userErrors { code } } }"""
PAY = """mutation($id: ID!) { payExpenseRequest(input: {requestId: $id}) { request { status paidOn } userErrors { code message } } }"""
BOOK = """mutation($id: ID!) { bookExpense(input: {requestId: $id}) { entry { voucherNumber amount category { name } } userErrors { code } } }"""


def _input(world: World, amount: str, **extra: Any) -> dict[str, Any]:
    return {
        "orgUnitId": gid("OrgUnit", world.community),
        "title": "购买打印纸",
        "amount": amount,
        "categoryId": gid("FinanceCategory", world.categories["501"]),
        "accountId": gid("FinanceAccount", world.cash),
        "documents": [
            {"kind": "invoice", "number": "No.0012", "issuer": "青岛文具商行", "issuedOn": str(TODAY), "amount": amount}
        ],
        **extra,
    }


def test_an_expense_through_graphql(world: World) -> None:
    u = world.users
    created = u["worker"](EXPENSE, {"input": _input(world, "86.50")})["createExpenseRequest"]
    assert created["userErrors"] == []
    request = created["request"]
    assert (request["status"], request["tier"], request["amount"]) == ("pending", "chair", "86.50")
    assert request["signaturesRequired"] == ["handler", "chair", "secretary"]
    rid = request["id"]
    assert u["worker"](APPROVE, {"id": rid})["approveExpenseStep"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert u["chair"](APPROVE, {"id": rid})["approveExpenseStep"]["request"]["status"] == "approved"
    assert u["cashier"](PAY, {"id": rid})["payExpenseRequest"]["userErrors"][0]["code"] == "SIGNATURES_MISSING"
    for name, role in (("worker", "handler"), ("chair", "chair"), ("secretary", "secretary")):
        assert u[name](SIGN, {"id": rid, "role": role})["signExpenseRequest"]["userErrors"] == []
    assert u["chair"](PAY, {"id": rid})["payExpenseRequest"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert u["cashier"](PAY, {"id": rid})["payExpenseRequest"]["request"]["status"] == "paid"
    assert u["cashier"](BOOK, {"id": rid})["bookExpense"]["userErrors"][0]["code"] == "FORBIDDEN"
    entry = u["accountant"](BOOK, {"id": rid})["bookExpense"]["entry"]
    assert entry == {"voucherNumber": f"记{TODAY.year}-0001", "amount": "86.50", "category": {"name": "办公费"}}
    data = u["street_leader"](
        """query($unit: ID!) { financeExpenseRequests(orgUnitId: $unit) { edges { node { status statusName steps { kindName actedBy } } } }
           financeAccounts(orgUnitId: $unit) { code balance }
           financeApprovalChain(orgUnitId: $unit, amount: "600") { tier steps signatures } }""",
        {"unit": gid("OrgUnit", world.community)},
    )
    assert data["financeExpenseRequests"]["edges"][0]["node"]["status"] == "booked"
    assert {a["code"]: a["balance"] for a in data["financeAccounts"]} == {"1001": "913.50", "1002": "0.00"}
    assert data["financeApprovalChain"]["steps"] == ["chair", "assembly", "street", "filing"]


def test_refusals_are_user_errors(world: World) -> None:
    u = world.users
    own = u["worker"](EXPENSE, {"input": _input(world, "2600")})["createExpenseRequest"]["request"]["id"]
    u["chair"](APPROVE, {"id": own})
    typed = f"""mutation($id: ID!) {{ recordAssemblyResolution(input: {{requestId: $id, meetingDate: "{TODAY}", number: "代〔2026〕5号",
        representatives: 36, attendance: 20, votesFor: 11}}) {{ request {{ status }} userErrors {{ code }} }} }}"""
    # The assembly's decision is a meeting's resolution, never counts typed in.
    assert [e["code"] for e in u["chair"](typed, {"id": own})["recordAssemblyResolution"]["userErrors"]] == [
        "ASSEMBLY_MEETING_REQUIRED"
    ]
    resolution = """mutation($id: ID!, $r: ID!) { recordAssemblyResolution(input: {requestId: $id, number: "代〔2026〕5号",
        resolutionId: $r}) { request { status assemblyResolution { attendance votesFor resolutionId } } userErrors { code } } }"""
    decided = gid("MeetingResolution", world.assembly_resolution(present=20, votes_for=11))
    errors = u["worker"](resolution, {"id": own, "r": decided})["recordAssemblyResolution"]["userErrors"]
    assert [e["code"] for e in errors] == ["APPROVER_IS_REQUESTER"]
    done = u["chair"](resolution, {"id": own, "r": decided})["recordAssemblyResolution"]
    assert done["userErrors"] == []
    assert done["request"]["assemblyResolution"] == {"attendance": 20, "votesFor": 11, "resolutionId": decided}
    bad = u["worker"](EXPENSE, {"input": _input(world, "50.005")})["createExpenseRequest"]["userErrors"]
    assert [e["code"] for e in bad] == ["INVALID_AMOUNT"]
    income = u["cashier"](
        """mutation($input: PostIncomeEntryInput!) { postIncomeEntry(input: $input) { entry { id } userErrors { code } } }""",
        {
            "input": {
                "orgUnitId": gid("OrgUnit", world.community),
                "accountId": gid("FinanceAccount", world.cash),
                "categoryId": gid("FinanceCategory", world.categories["401"]),
                "amount": "10",
                "entryDate": str(DAY),
                "summary": "x",
                "documents": [],
            }
        },
    )
    assert income["postIncomeEntry"]["userErrors"][0]["code"] == "FORBIDDEN"
    iou = u["accountant"](
        """mutation($input: PostIncomeEntryInput!) { postIncomeEntry(input: $input) { entry { id } userErrors { code } } }""",
        {
            "input": {
                "orgUnitId": gid("OrgUnit", world.community),
                "accountId": gid("FinanceAccount", world.cash),
                "categoryId": gid("FinanceCategory", world.categories["401"]),
                "amount": "10",
                "entryDate": str(DAY),
                "summary": "x",
                "documents": [],
            }
        },
    )
    assert iou["postIncomeEntry"]["userErrors"][0]["code"] == "INFORMAL_IOU"


def test_the_plugin_switched_off_refuses(world: World) -> None:
    with world.deployment.session_factory() as session, session.begin():
        set_value(
            session, world.unit(session), plugin_active_key("finance"), False, set_by="test", reason="本社区暂不使用"
        )
    created = world.users["worker"](EXPENSE, {"input": _input(world, "50")})["createExpenseRequest"]
    assert [e["code"] for e in created["userErrors"]] == ["PLUGIN_NOT_ACTIVE"]
    body = world.users["accountant"](
        """query($unit: ID!) { financeAccounts(orgUnitId: $unit) { code } }""",
        {"unit": gid("OrgUnit", world.community)},
        expect_errors=True,
    )
    assert "未启用" in body["errors"][0]["message"]


def test_queries_are_scoped(world: World) -> None:
    other = world.sign_in("accountant", world.other_community)
    body = other(
        """query($unit: ID!) { financeAccounts(orgUnitId: $unit) { code } }""",
        {"unit": gid("OrgUnit", world.community)},
        expect_errors=True,
    )
    assert body["errors"]
    world.request("80")
    listed = other("""{ financeExpenseRequests { edges { node { id } } } }""")
    assert listed["financeExpenseRequests"]["edges"] == []


def test_a_page_of_requests_loads_their_steps_in_one_statement(world: World) -> None:
    for amount in ("50", "300", "800"):
        world.request(amount)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "finance_approval_step" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(world.deployment.engine, "before_cursor_execute", count)
    try:
        data = world.users["street_leader"](
            "{ financeExpenseRequests(first: 10) { edges { node { amount steps { kindName } } } } }"
        )
    finally:
        event.remove(world.deployment.engine, "before_cursor_execute", count)
    steps = [len(edge["node"]["steps"]) for edge in data["financeExpenseRequests"]["edges"]]
    assert sorted(steps) == [1, 2, 4]
    assert len(statements) == 1, statements
