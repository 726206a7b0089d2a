"""Mediation's part of the six books: dispute cases in the mediation log and
residents' appeals in the letters-and-visits log, each with the case's
subject but never the sensitive facts or phone numbers."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.policy.service import local_today
from tests.plugins.mediation.conftest import (
    REGISTER,
    Env,
    case_input,
    gid,
    ok,
    set_policy,
)
from tests.plugins.mediation.test_appeals import intake

BOOKS = "query($u: ID!) { archiveBooks(orgUnitId: $u) { code entryCount sources downloadPath } }"


def test_cases_and_appeals_fill_their_books(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    ok(worker(REGISTER, {"input": case_input(env.tree.community)}), "registerDisputeCase")
    assert intake(worker, env.tree.community)["userErrors"] == []
    chair = env.call("committee_chair", env.tree.community)
    books = {b["code"]: b for b in chair(BOOKS, {"u": gid("OrgUnit", env.tree.community)})["archiveBooks"]}
    assert (books["mediation_log"]["entryCount"], books["mediation_log"]["sources"]) == (1, ["矛盾纠纷调处：纠纷案件"])
    assert books["letters_visits"]["entryCount"] == 1
    response = env.client.get(
        books["mediation_log"]["downloadPath"], headers={"Authorization": f"Bearer {chair.token}"}
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    rows = list(sheet.iter_rows(values_only=True))
    registered = rows[3][0]
    assert isinstance(registered, datetime) and registered.date() == local_today() and rows[3][3] == "楼上漏水纠纷"
    # The facts and the parties' phones stay out of the book.
    assert not any("13905321234" in str(v) or "卫生间漏水" in str(v) for row in rows for v in row)
    # Where the plugin is switched off, its sources leave the books.
    set_policy(env.deployment, env.tree.street, "plugin.mediation.active", False)
    codes = {b["code"] for b in chair(BOOKS, {"u": gid("OrgUnit", env.tree.community)})["archiveBooks"]}
    assert "mediation_log" not in codes and "letters_visits" not in codes
