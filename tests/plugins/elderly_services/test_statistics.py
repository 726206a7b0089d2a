"""Elderly statistics per unit: age bands, categories, living arrangement,
visits and cards, in GraphQL and as the .xlsx office table with the same
numbers; sensitive counts hidden without people.view_sensitive."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.policy.service import local_today
from tests.plugins.elderly_services.conftest import Env, gid, set_policy
from tests.plugins.elderly_services.test_visits import ENROL, PROGRAMME, RECORD

STATS = """
query($under: ID!) {
  elderlyStatistics(under: $under) {
    orgUnit { name } elderly bands { band count } veryOld livingAlone emptyNest extremePoverty noFamily
    visitsScheduled visitsOverdue visitsDoneThisMonth cardsIssued
  }
}
"""
XLSX = "/elderly_services/export/statistics.xlsx"


def _data(env: Env) -> None:
    env.refresh()
    worker = env.call("community_worker", env.tree.community)
    since = (local_today() - timedelta(days=30)).isoformat()
    worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "no_family",
                "reason": "核实孤寡",
                "enrolledFrom": since,
            }
        },
    )
    worker(
        RECORD,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("pair68"),
                "visitedOn": local_today().isoformat(),
                "method": "video",
                "findings": "视频问候",
            }
        },
    )


def test_statistics_count_bands_categories_and_visits(env: Env) -> None:
    _data(env)
    chair = env.call("committee_chair", env.tree.street)
    rows = chair(STATS, {"under": gid("OrgUnit", env.tree.street)})["elderlyStatistics"]
    street = rows[0]
    already_60 = local_today().day > 1
    elderly = 6 + (1 if already_60 else 0)
    assert street["orgUnit"]["name"] == "宁夏路街道"
    assert street["elderly"] == elderly
    assert {b["band"]: b["count"] for b in street["bands"]} == {
        "60—69岁": 3 + (1 if already_60 else 0),
        "70—79岁": 1,
        "80—89岁": 2,
        "90岁以上": 0,
    }
    assert (street["veryOld"], street["livingAlone"], street["emptyNest"]) == (2, 1, 2)
    assert (street["extremePoverty"], street["noFamily"]) == (0, 1)
    assert street["visitsScheduled"] == 5
    assert street["visitsOverdue"] == 1  # enrolled 30 days ago, interval 14
    assert street["visitsDoneThisMonth"] == 1
    assert rows[1]["orgUnit"]["name"] == "宁安路社区" and rows[1]["elderly"] == elderly
    # Without people.view_sensitive the sensitive counts are hidden.
    staff = env.call("supervisor", env.tree.street)
    hidden = staff(STATS, {"under": gid("OrgUnit", env.tree.street)})["elderlyStatistics"][0]
    assert hidden["noFamily"] is None and hidden["extremePoverty"] is None and hidden["elderly"] == elderly


def test_band_width_is_policy(env: Env) -> None:
    set_policy(env.deployment, env.tree.street, "elderly_services.age_band_width", 5)
    chair = env.call("committee_chair", env.tree.street)
    bands = [
        b["band"] for b in chair(STATS, {"under": gid("OrgUnit", env.tree.street)})["elderlyStatistics"][0]["bands"]
    ]
    assert bands == ["60—64岁", "65—69岁", "70—74岁", "75岁以上"]


def test_statistics_xlsx_has_the_api_numbers(env: Env) -> None:
    _data(env)
    chair = env.call("committee_chair", env.tree.street)
    api = chair(STATS, {"under": gid("OrgUnit", env.tree.street)})["elderlyStatistics"]
    response = env.client.get(
        XLSX, params={"unit": gid("OrgUnit", env.tree.street)}, headers={"Authorization": f"Bearer {chair.token}"}
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(BytesIO(response.content)).active
    assert isinstance(sheet, Worksheet)
    assert sheet.cell(1, 1).value == "宁夏路街道老龄基础数据统计表"
    header = [c.value for c in sheet[3]]
    assert header[:2] == ["单位", "老年人数"] and "独居" in header
    first = [c.value for c in sheet[4]]
    assert first[0] == "宁夏路街道" and first[1] == api[0]["elderly"]
    assert first[header.index("孤寡")] == api[0]["noFamily"]
    assert first[header.index("逾期未走访")] == api[0]["visitsOverdue"]
    other = env.client.get(
        XLSX, params={"unit": gid("OrgUnit", env.tree.other_street)}, headers={"Authorization": f"Bearer {chair.token}"}
    )
    assert other.status_code == 403
