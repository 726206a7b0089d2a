"""The elderly statistics as an office spreadsheet (老龄基础数据统计表): one row
per unit, the same numbers as ``elderlyStatistics``."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook

from core.api.downloads import Download, download_route
from core.policy.service import local_today
from core.spreadsheets.layout import columns, new_workbook, table_sheet
from plugins.elderly_services.declarations import PLUGIN, VIEW
from plugins.elderly_services.statistics import UnitStatistics, unit_statistics

HIDDEN = "—"


def statistics_workbook(title: str, rows: list[UnitStatistics], on: date, org_unit: str | None = None) -> Workbook:
    band_labels = [b.band for b in rows[0].bands] if rows else []
    cols = columns(
        "单位",
        "老年人数",
        *band_labels,
        "高龄",
        "独居",
        "空巢",
        "特困",
        "孤寡",
        "走访对象",
        "逾期未走访",
        "本月走访次数",
        "已办优待证",
    )
    values = [
        [
            row.org_unit.name,
            row.elderly,
            *(b.count for b in row.bands),
            row.very_old,
            row.living_alone,
            row.empty_nest,
            HIDDEN if row.extreme_poverty is None else row.extreme_poverty,
            HIDDEN if row.no_family is None else row.no_family,
            row.visits_scheduled,
            row.visits_overdue,
            row.visits_done_this_month,
            row.cards_issued,
        ]
        for row in rows
    ]
    workbook = new_workbook()
    # The first row is the unit itself (its whole subtree): the total of the rows below it.
    table_sheet(
        workbook,
        "老龄基础数据",
        title,
        cols,
        values,
        org_unit=org_unit,
        period=f"截至{on.year}年{on.month}月{on.day}日",
        measure="人、次",
        on=on,
    )
    return workbook


def _statistics(download: Download) -> tuple[Workbook, str]:
    today = local_today()
    rows = unit_statistics(download.session, download.principal, download.unit, today)
    title = f"{download.unit.name}老龄基础数据统计表"
    return statistics_workbook(title, rows, today, download.unit.name), f"{title}.xlsx"


ROUTES = [
    download_route(
        "/elderly_services/export/statistics.xlsx",
        _statistics,
        permission=VIEW.code,
        plugin=PLUGIN,
        action="elderly_services.statistics",
    ),
]
