"""The family-planning statistics as an office spreadsheet (计划生育统计表):
one row per unit, the same counts as ``familyPlanningStatistics``; no
person appears in it."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from core.api.downloads import Download, download_route
from core.policy.service import local_today
from plugins.family_planning.declarations import CERTIFICATE_KINDS, PLUGIN, VIEW
from plugins.family_planning.statistics import UnitFigures, unit_statistics

HEADERS = [
    "单位",
    "育龄妇女",
    "已婚",
    "现孕",
    "出生",
    "受理证明申请",
    *(f"发放{n}" for n in CERTIFICATE_KINDS.values()),
    "尚在跟进服务",
    "结束服务跟进",
    "在执行协议",
    "户方违约",
    "居委会违约",
    "奖励扶助人次",
    "奖励扶助金额（元）",
]


def statistics_workbook(title: str, rows: list[UnitFigures], start: date, end: date) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one worksheet
    sheet.title = "计划生育统计"
    sheet.append([title])
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.append([f"统计期间：{start} 至 {end}"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(
            [
                row.org_unit.name,
                row.women,
                row.married_women,
                row.pregnant,
                row.births,
                row.certificates_applied,
                *(row.certificates_issued.get(k, 0) for k in CERTIFICATE_KINDS),
                row.follow_ups_open,
                row.follow_ups_closed,
                row.agreements,
                row.breaches_household,
                row.breaches_committee,
                sum(c for c, _ in row.benefits.values()),
                float(sum(a for _, a in row.benefits.values())),
            ]
        )
    return workbook


def _statistics(download: Download) -> tuple[Workbook, str]:
    today = local_today()
    start = date(today.year, 1, 1)
    rows = unit_statistics(download.session, download.unit, start, today, today)
    title = f"{download.unit.name}计划生育统计表"
    return statistics_workbook(title, rows, start, today), f"{title}.xlsx"


ROUTES = [
    download_route(
        "/family_planning/export/statistics.xlsx",
        _statistics,
        permission=VIEW.code,
        plugin=PLUGIN,
        action="family_planning.statistics",
    ),
]
