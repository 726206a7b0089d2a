"""The rest of the GraphQL surface: books, corrections, cash, closing,
audits, disclosure and reports, each through the API once with its refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.posts import service as posts
from plugins.finance import service
from tests.plugins.finance.conftest import OPENED, TODAY, World, gid

DAY = OPENED.replace(day=10)


def ok(result: dict[str, Any], field: str) -> dict[str, Any]:
    payload = result[field]
    assert payload["userErrors"] == [], payload["userErrors"]
    return payload


def errors(result: dict[str, Any], field: str) -> list[str]:
    return [e["code"] for e in result[field]["userErrors"]]


INCOME = """mutation($input: PostIncomeEntryInput!) { postIncomeEntry(input: $input) { entry { id voucherNumber amount documents { kindName amount } } userErrors { code field } } }"""
REVERSE = """mutation($input: ReverseLedgerEntryInput!) { reverseLedgerEntry(input: $input) { entry { amount reverses summary } userErrors { code } } }"""
CLOSE = """mutation($input: CloseFinanceMonthInput!) { closeFinanceMonth(input: $input) { monthClose { month income expense closingBalance } userErrors { code } } }"""
COUNT = """mutation($input: RecordCashCountInput!) { recordCashCount(input: $input) { cashCount { book counted difference } userErrors { code } } }"""


def test_books_corrections_cash_and_closing(world: World) -> None:
    u, unit = world.users, gid("OrgUnit", world.community)
    category = ok(
        u["accountant"](
            """mutation($input: AddFinanceCategoryInput!) { addFinanceCategory(input: $input) { category { id code directionName } userErrors { code } } }""",
            {"input": {"orgUnitId": unit, "direction": "income", "code": "404", "name": "物业用房租金"}},
        ),
        "addFinanceCategory",
    )["category"]
    assert category["directionName"] == "收入"
    entry_input = {
        "orgUnitId": unit,
        "accountId": gid("FinanceAccount", world.bank),
        "categoryId": category["id"],
        "amount": "1200.00",
        "entryDate": str(DAY),
        "summary": "一季度租金",
        "documents": [
            {
                "kind": "receipt",
                "number": "SJ-001",
                "issuer": "太平角社区居委会",
                "issuedOn": str(DAY),
                "amount": "1200.00",
            }
        ],
    }
    entry = ok(u["accountant"](INCOME, {"input": entry_input}), "postIncomeEntry")["entry"]
    assert entry["amount"] == "1200.00" and entry["documents"] == [{"kindName": "收据", "amount": "1200.00"}]
    count = ok(
        u["cashier"](
            COUNT, {"input": {"accountId": gid("FinanceAccount", world.cash), "countDate": str(DAY), "counted": "1000"}}
        ),
        "recordCashCount",
    )
    assert count["cashCount"] == {"book": "1000.00", "counted": "1000.00", "difference": "0.00"}
    closed = ok(u["accountant"](CLOSE, {"input": {"orgUnitId": unit, "month": str(DAY)}}), "closeFinanceMonth")[
        "monthClose"
    ]
    assert closed == {"month": str(OPENED), "income": "1200.00", "expense": "0.00", "closingBalance": "2200.00"}
    assert errors(u["accountant"](INCOME, {"input": entry_input}), "postIncomeEntry") == ["MONTH_CLOSED"]
    fix = {"entryId": entry["id"], "entryDate": str(DAY + timedelta(days=31)), "reason": "应记入下季度"}
    assert errors(u["cashier"](REVERSE, {"input": fix}), "reverseLedgerEntry") == ["FORBIDDEN"]
    reversal = ok(u["accountant"](REVERSE, {"input": fix}), "reverseLedgerEntry")["entry"]
    assert reversal["amount"] == "-1200.00" and reversal["reverses"] == entry["id"]
    reports = u["supervisor"](
        """query($unit: ID!, $from: Date!, $to: Date!) {
             financeLedger(orgUnitId: $unit, from: $from, to: $to) { openingBalance closingBalance lines { income balance entry { voucherNumber } } }
             financeTrialBalance(orgUnitId: $unit, from: $from, to: $to) { account { code } openingBalance income expense closingBalance }
             financeCategoryTotals(orgUnitId: $unit, from: $from, to: $to) { category { code } amount entries }
             financeMonthCloses(orgUnitId: $unit) { month }
             financeCashCounts(orgUnitId: $unit) { countDate }
             financeEntries(orgUnitId: $unit, first: 1) { edges { node { voucherNumber } } pageInfo { hasNextPage } } }""",
        {"unit": unit, "from": str(OPENED), "to": str(DAY + timedelta(days=40))},
    )
    assert (
        reports["financeLedger"]["openingBalance"] == "1000.00"
        and reports["financeLedger"]["closingBalance"] == "1000.00"
    )
    assert [r["closingBalance"] for r in reports["financeTrialBalance"]] == ["1000.00", "0.00"]
    assert {t["category"]["code"]: (t["amount"], t["entries"]) for t in reports["financeCategoryTotals"]}["404"] == (
        "0.00",
        2,
    )
    assert reports["financeMonthCloses"] == [{"month": str(OPENED)}]
    assert reports["financeEntries"]["pageInfo"]["hasNextPage"] is True


def test_expense_refusal_and_rejection_through_graphql(world: World) -> None:
    u = world.users
    create = """mutation($input: CreateExpenseRequestInput!) { createExpenseRequest(input: $input) { request { id } userErrors { code } } }"""
    request = ok(
        u["worker"](
            create,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", world.community),
                    "title": "宣传栏更换",
                    "amount": "300",
                    "categoryId": gid("FinanceCategory", world.categories["509"]),
                    "accountId": gid("FinanceAccount", world.bank),
                }
            },
        ),
        "createExpenseRequest",
    )["request"]["id"]
    docs = ok(
        u["worker"](
            f"""mutation($id: ID!) {{ addExpenseDocuments(input: {{requestId: $id, documents: [{{kind: "invoice", number: "FP1",
        issuer: "青岛广告公司", issuedOn: "{TODAY}", amount: "300"}}]}}) {{ request {{ documents {{ issuer }} }} userErrors {{ code }} }} }}""",
            {"id": request},
        ),
        "addExpenseDocuments",
    )
    assert docs["request"]["documents"] == [{"issuer": "青岛广告公司"}]
    u["chair"](
        """mutation($id: ID!) { approveExpenseStep(input: {requestId: $id, note: "同意"}) { userErrors { code } } }""",
        {"id": request},
    )
    rejected = ok(
        u["street_leader"](
            """mutation($id: ID!) { rejectExpenseRequest(input: {requestId: $id, reason: "请先比价"}) {
        request { status rejectionReason steps { kind status note } } userErrors { code } } }""",
            {"id": request},
        ),
        "rejectExpenseRequest",
    )
    assert rejected["request"]["status"] == "rejected" and rejected["request"]["steps"][1]["note"] == "请先比价"
    other = ok(
        u["worker"](
            create,
            {
                "input": {
                    "orgUnitId": gid("OrgUnit", world.community),
                    "title": "购买茶叶",
                    "amount": "60",
                    "categoryId": gid("FinanceCategory", world.categories["501"]),
                    "accountId": gid("FinanceAccount", world.cash),
                }
            },
        ),
        "createExpenseRequest",
    )["request"]["id"]
    refusal = ok(
        u["cashier"](
            """mutation($id: ID!) { refuseExpensePayment(input: {requestId: $id, reason: "招待费不得列支"}) {
        request { status statusName refusalReason } userErrors { code } } }""",
            {"id": other},
        ),
        "refuseExpensePayment",
    )
    assert refusal["request"] == {"status": "refused", "statusName": "财会人员拒付", "refusalReason": "招待费不得列支"}


def test_audits_disclosure_and_funding_through_graphql(world: World) -> None:
    u, unit = world.users, gid("OrgUnit", world.community)
    with world.deployment.session_factory() as session, session.begin():
        (cashier,) = posts.holders(session, world.community, "cashier")
        posts.end_term(session, cashier, ended_on=TODAY, reason="辞职")
        assignment = cashier.id
    due = u["supervisor"](
        """query($unit: ID!, $since: Date!) { financeDeparturesDue(orgUnitId: $unit, since: $since) { assignment postName residentName endedOn } }""",
        {"unit": unit, "since": str(TODAY - timedelta(days=7))},
    )["financeDeparturesDue"]
    assert due == [
        {
            "assignment": gid("PostAssignment", assignment),
            "postName": "出纳",
            "residentName": "陈静",
            "endedOn": str(TODAY),
        }
    ]
    start = """mutation($input: StartFinanceAuditInput!) { startFinanceAudit(input: $input) { audit { id kindName status } userErrors { code } } }"""
    assert errors(
        u["accountant"](
            start, {"input": {"orgUnitId": unit, "kind": "departure", "assignmentId": due[0]["assignment"]}}
        ),
        "startFinanceAudit",
    ) == ["FORBIDDEN"]
    audit = ok(
        u["supervisor"](
            start, {"input": {"orgUnitId": unit, "kind": "departure", "assignmentId": due[0]["assignment"]}}
        ),
        "startFinanceAudit",
    )["audit"]
    assert audit["kindName"] == "离任审计"
    complete = """mutation($input: CompleteFinanceAuditInput!) { completeFinanceAudit(input: $input) { audit { status cashHandedOver handoverTo } userErrors { code field } } }"""
    missing = u["supervisor"](complete, {"input": {"auditId": audit["id"], "findings": "无", "conclusion": "同意"}})[
        "completeFinanceAudit"
    ]["userErrors"]
    # Each missing part of the handover is named by its own field.
    assert [(e["code"], e["field"]) for e in missing] == [
        ("HANDOVER_REQUIRED", "handoverToResidentId"),
        ("HANDOVER_REQUIRED", "cashHandedOver"),
    ]
    done = ok(
        u["supervisor"](
            complete,
            {
                "input": {
                    "auditId": audit["id"],
                    "findings": "账实相符",
                    "conclusion": "同意离任",
                    "handoverToResidentId": gid("Resident", world.residents["孙丽"]),
                    "cashHandedOver": "1000.00",
                }
            },
        ),
        "completeFinanceAudit",
    )
    assert done["audit"]["status"] == "completed" and done["audit"]["cashHandedOver"] == "1000.00"
    published = ok(
        u["street_staff"](
            """mutation($id: ID!) { publishFinanceAudit(input: {auditId: $id}) { audit { notice } userErrors { code } } }""",
            {"id": audit["id"]},
        ),
        "publishFinanceAudit",
    )
    assert published["audit"]["notice"]
    listed = u["supervisor"](
        """query($unit: ID!) { financeAudits(orgUnitId: $unit) { kind status } financeFundingStandard(orgUnitId: $unit) { households perHundredHouseholds: per100Households chairMonthly annualAllowance members } }""",
        {"unit": unit},
    )
    assert listed["financeAudits"] == [{"kind": "departure", "status": "completed"}]
    assert listed["financeFundingStandard"] == {
        "households": 0,
        "perHundredHouseholds": "1500.00",
        "chairMonthly": "1200.00",
        "annualAllowance": str(12 * (1200 + 2 * 1100)) + ".00",
        "members": 2,
    }
    half = OPENED.replace(month=7) if OPENED.replace(month=12, day=31) < TODAY else OPENED
    disclosure = ok(
        u["chair"](
            """mutation($input: GenerateFinanceDisclosureInput!) { generateFinanceDisclosure(input: $input) {
        disclosure { id periodEnd income expense byCategory { name } notice } userErrors { code } } }""",
            {"input": {"orgUnitId": unit, "periodStart": str(half)}},
        ),
        "generateFinanceDisclosure",
    )["disclosure"]
    assert disclosure["income"] == "0.00" and disclosure["notice"]
    node = u["chair"](
        """query($id: ID!) { node(id: $id) { ... on FinanceDisclosure { periodStart } } }""", {"id": disclosure["id"]}
    )
    assert node["node"] == {"periodStart": str(half)}
    hidden = world.sign_in("accountant", world.other_community)(
        """query($id: ID!) { node(id: $id) { id } }""", {"id": disclosure["id"]}
    )
    assert hidden["node"] is None


TODO = """{ financeTodo { action actionName request { title } } }"""


def test_todo_lists_what_each_person_can_do_now(world: World) -> None:
    u = world.users
    request_id = world.request("300")
    assert [i["action"] for i in u["chair"](TODO)["financeTodo"]] == ["approve", "sign_chair"]
    assert [i["action"] for i in u["worker"](TODO)["financeTodo"]] == ["sign_handler"]
    assert u["street_leader"](TODO)["financeTodo"] == []  # the chair's step comes first
    assert u["cashier"](TODO)["financeTodo"] == []
    world.approve_all(request_id)
    world.sign_all(request_id)
    assert [i["action"] for i in u["cashier"](TODO)["financeTodo"]] == ["pay"]
    assert u["chair"](TODO)["financeTodo"] == []
    world.act("cashier", service.pay, request_id)
    items = u["accountant"](TODO)["financeTodo"]
    assert [(i["action"], i["actionName"]) for i in items] == [("book", "待我记账")]
    assert u["cashier"](TODO)["financeTodo"] == []


def test_uncounted_cash_days(world: World) -> None:
    world.income("50", DAY, account="cash")
    world.income("60", DAY + timedelta(days=1), account="cash")
    world.income("70", DAY + timedelta(days=1), account="bank")
    query = """query($unit: ID!, $from: Date!) { financeUncountedDays(orgUnitId: $unit, from: $from) { day account { code } } }"""
    found = world.users["cashier"](query, {"unit": gid("OrgUnit", world.community), "from": str(OPENED)})[
        "financeUncountedDays"
    ]
    assert found == [
        {"day": str(DAY), "account": {"code": "1001"}},
        {"day": str(DAY + timedelta(days=1)), "account": {"code": "1001"}},
    ]
    world.users["cashier"](
        COUNT, {"input": {"accountId": gid("FinanceAccount", world.cash), "countDate": str(DAY), "counted": "1050"}}
    )
    found = world.users["cashier"](query, {"unit": gid("OrgUnit", world.community), "from": str(OPENED)})[
        "financeUncountedDays"
    ]
    assert [f["day"] for f in found] == [str(DAY + timedelta(days=1))]


def test_street_overview_of_the_communities(world: World) -> None:
    world.request("80")
    refused = world.request("60")
    world.act("cashier", service.refuse_payment, refused, reason="无预算")
    query = """query($under: ID!) { financeOverview(under: $under) { orgUnit { name } balance pendingRequests paidUnbooked refusedPayments lastClosedMonth openAudits } }"""
    rows = world.users["street_leader"](query, {"under": gid("OrgUnit", world.street)})["financeOverview"]
    # 湛山社区 has no books, so only 太平角社区 is listed.
    assert rows == [
        {
            "orgUnit": {"name": "太平角社区"},
            "balance": "1000.00",
            "pendingRequests": 1,
            "paidUnbooked": 0,
            "refusedPayments": 1,
            "lastClosedMonth": None,
            "openAudits": 0,
        }
    ]
    other = world.sign_in("street_leader", world.other_community)
    assert other(query, {"under": gid("OrgUnit", world.street)})["financeOverview"] == []
