"""The holiday table through GraphQL: who may keep it, duplicates, local
rows that apply only to a subtree, and deadlines moved by what is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from core.api.relay import encode_global_id
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from tests.reporting.conftest import REPORT, Env

HOLIDAY = "id day name isWorkday orgUnitId"
ADD = f"""
mutation($input: AddHolidayInput!) {{
  addHoliday(input: $input) {{ holiday {{ {HOLIDAY} }} userErrors {{ field code message }} }}
}}"""
REMOVE = f"""
mutation($input: RemoveHolidayInput!) {{
  removeHoliday(input: $input) {{ holiday {{ {HOLIDAY} }} userErrors {{ field code message }} }}
}}"""
LIST = f"query($year: Int!, $unit: ID) {{ holidays(year: $year, orgUnitId: $unit) {{ {HOLIDAY} }} }}"


def codes(payload: dict[str, Any]) -> list[tuple[object, object]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


def test_holidays_are_kept_by_the_right_people_and_move_deadlines(env: Env) -> None:
    admin = env.sign_in("admin", env.tree.city)
    leader = env.sign_in("street_leader", env.tree.street)
    worker = env.sign_in("community_worker", env.tree.community)
    street = encode_global_id("OrgUnit", env.tree.street)

    # 2026-06-05 (the deadline of May's report) is a Friday.
    national = {"day": "2026-06-05", "name": "测试假日"}
    assert codes(leader(ADD, {"input": national})["addHoliday"]) == [(None, "FORBIDDEN")]
    assert codes(worker(ADD, {"input": {**national, "orgUnitId": street}})["addHoliday"]) == [(None, "FORBIDDEN")]
    added = admin(ADD, {"input": national})["addHoliday"]
    assert added["userErrors"] == [] and added["holiday"]["orgUnitId"] is None
    assert codes(admin(ADD, {"input": national})["addHoliday"]) == [("day", "DUPLICATE")]
    assert codes(admin(ADD, {"input": {"day": "2026-06-06", "name": " "}})["addHoliday"]) == [("name", "INVALID_VALUE")]

    # A street keeps its own make-up working day for its subtree only.
    local = leader(ADD, {"input": {"day": "2026-06-06", "name": "调休上班", "isWorkday": True, "orgUnitId": street}})
    assert local["addHoliday"]["userErrors"] == []
    in_street = worker(LIST, {"year": 2026, "unit": encode_global_id("OrgUnit", env.tree.community)})["holidays"]
    assert [(h["day"], h["isWorkday"]) for h in in_street] == [("2026-06-05", False), ("2026-06-06", True)]
    elsewhere = worker(LIST, {"year": 2026, "unit": encode_global_id("OrgUnit", env.tree.other_community)})["holidays"]
    assert [h["day"] for h in elsewhere] == ["2026-06-05"]
    assert [h["day"] for h in worker(LIST, {"year": 2026})["holidays"]] == ["2026-06-05"]
    assert worker(LIST, {"year": 1900}, expect_errors=True)["errors"]

    # reporting.holiday_shift defaults to the next working day: the street's Saturday
    # make-up day catches the deadline there; elsewhere it moves to Monday.
    with env.session() as session, session.begin():
        reporting.materialize(session, env.host, date(2026, 5, 20))
    with env.session() as session:
        due = dict(
            session.execute(
                select(ObligationInstance.org_unit_id, ObligationInstance.due_on).where(
                    ObligationInstance.type_code == REPORT, ObligationInstance.period_start == date(2026, 5, 1)
                )
            ).all()
        )
    assert due[env.tree.community] == date(2026, 6, 6)
    assert due[env.tree.other_community] == date(2026, 6, 8)

    removed = leader(REMOVE, {"input": {"id": added["holiday"]["id"]}})["removeHoliday"]
    assert codes(removed) == [(None, "FORBIDDEN")]
    assert admin(REMOVE, {"input": {"id": added["holiday"]["id"]}})["removeHoliday"]["userErrors"] == []
    assert [h["day"] for h in worker(LIST, {"year": 2026})["holidays"]] == []
