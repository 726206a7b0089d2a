"""What users read: Chinese messages without English words where a Chinese
name exists, and ``userErrors.field`` naming the input field (camelCase) of
the mutation that was called."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

from core.policy.service import plugin_active_key, set_value
from plugins.finance import service
from tests.plugins.finance.conftest import OPENED, TODAY, World, gid

PLUGIN_DIR = Path(service.__file__).resolve().parent
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
RAISERS = {"UserInputError": 1, "ErrorDetail": 1, "PermissionDeniedError": 0}


def literal_text(node: ast.expr) -> str:
    """The literal parts of a message expression (interpolated values left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(literal_text(v) for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) + literal_text(node.orelse)
    return ""


def test_messages_have_no_english_words() -> None:
    found: list[str] = []
    for path in sorted(PLUGIN_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in RAISERS:
                continue
            position = RAISERS[name]
            message = next((k.value for k in node.keywords if k.arg == "message"), None)
            if message is None and len(node.args) > position:
                message = node.args[position]
            text = literal_text(message) if message is not None else ""
            if ENGLISH_WORD.search(text):
                found.append(f"{path.name}:{node.lineno}: {text}")
    assert found == []


def user_errors(result: dict[str, Any], mutation: str) -> list[tuple[str | None, str]]:
    return [(e["field"], e["code"]) for e in result[mutation]["userErrors"]]


def test_a_refusal_names_the_field_the_caller_gave(world: World) -> None:
    request_id = world.request("80")
    entry_id = world.income("100", TODAY)
    with world.deployment.session_factory() as session, session.begin():
        set_value(
            session, world.unit(session), plugin_active_key("finance"), False, set_by="test", reason="本社区暂不使用"
        )
    sign = world.users["worker"](
        """mutation($id: ID!) { signExpenseRequest(input: {requestId: $id, role: "handler"}) { userErrors { field code } } }""",
        {"id": gid("FinanceExpenseRequest", request_id)},
    )
    assert user_errors(sign, "signExpenseRequest") == [("requestId", "PLUGIN_NOT_ACTIVE")]
    reverse = world.users["accountant"](
        """mutation($id: ID!, $day: Date!) { reverseLedgerEntry(input: {entryId: $id, entryDate: $day, reason: "错"}) { userErrors { field code } } }""",
        {"id": gid("FinanceLedgerEntry", entry_id), "day": str(TODAY)},
    )
    assert user_errors(reverse, "reverseLedgerEntry") == [("entryId", "PLUGIN_NOT_ACTIVE")]
    count = world.users["cashier"](
        """mutation($id: ID!, $day: Date!) { recordCashCount(input: {accountId: $id, countDate: $day, counted: "1"}) { userErrors { field code } } }""",
        {"id": gid("FinanceAccount", world.cash), "day": str(TODAY)},
    )
    assert user_errors(count, "recordCashCount") == [("accountId", "PLUGIN_NOT_ACTIVE")]


def test_who_may_act_is_named_by_the_subject_field(world: World) -> None:
    # The cashier given the accountant's role still may not close the books:
    # the subject of the refusal is the community, not the month.
    cashier_as_accountant = world.extra_user("accountant", world.street, resident="陈静")
    closed = cashier_as_accountant(
        """mutation($unit: ID!, $month: Date!) { closeFinanceMonth(input: {orgUnitId: $unit, month: $month}) { userErrors { field code message } } }""",
        {"unit": gid("OrgUnit", world.community), "month": str(OPENED)},
    )
    assert user_errors(closed, "closeFinanceMonth") == [("orgUnitId", "CASHIER_CANNOT_BOOK")]
    with world.deployment.session_factory() as session, session.begin():
        audit_id = service.start_audit(
            session,
            world.principal(session, "supervisor"),
            world.unit(session),
            kind="quarterly",
            period_start=OPENED,
            period_end=OPENED.replace(month=3, day=31),
        ).id
    accountant_as_auditor = world.extra_user("supervisor", world.community, resident="刘洋")
    completed = accountant_as_auditor(
        """mutation($id: ID!) { completeFinanceAudit(input: {auditId: $id, findings: "无", conclusion: "无"}) { userErrors { field code } } }""",
        {"id": gid("FinanceAudit", audit_id)},
    )
    assert user_errors(completed, "completeFinanceAudit") == [("auditId", "AUDITOR_HANDLES_FUNDS")]


def test_each_wrong_input_is_named_by_its_own_field(world: World) -> None:
    # 刘洋, 太平角社区's accountant, with a street-wide grant: 湛山社区's books are in reach.
    street_accountant = world.extra_user("accountant", world.street, resident="刘洋")
    with world.deployment.session_factory() as session, session.begin():
        other = service.open_books(
            session,
            world.principal(session, str(street_accountant.user_id)),
            world.unit(session, world.other_community),
            opened_on=OPENED,
        )
    other_account = gid("FinanceAccount", other[0].id)
    income = street_accountant(
        """mutation($input: PostIncomeEntryInput!) { postIncomeEntry(input: $input) { userErrors { field code } } }""",
        {
            "input": {
                "orgUnitId": gid("OrgUnit", world.community),
                "accountId": other_account,
                "categoryId": gid("FinanceCategory", world.categories["401"]),
                "amount": "10",
                "entryDate": str(TODAY),
                "summary": "拨款",
                "documents": [
                    {"kind": "receipt", "number": "1", "issuer": "区财政局", "issuedOn": str(TODAY), "amount": "10"}
                ],
            }
        },
    )
    assert user_errors(income, "postIncomeEntry") == [("accountId", "OTHER_UNIT")]
    audit = world.users["supervisor"](
        """mutation($input: StartFinanceAuditInput!) { startFinanceAudit(input: $input) { userErrors { field code } } }""",
        {
            "input": {
                "orgUnitId": gid("OrgUnit", world.community),
                "kind": "quarterly",
                "periodStart": str(TODAY),
                "periodEnd": str(OPENED),
            }
        },
    )
    assert user_errors(audit, "startFinanceAudit") == [("periodEnd", "INVALID_DATE_RANGE")]
