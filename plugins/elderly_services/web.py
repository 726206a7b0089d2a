"""The elderly statistics as an office spreadsheet (老龄基础数据统计表): one row
per unit, the same numbers as ``elderlyStatistics``."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from core.api.downloads import Download, download_route
from core.policy.service import local_today
from plugins.elderly_services.declarations import PLUGIN, VIEW
from plugins.elderly_services.statistics import UnitStatistics, unit_statistics

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HIDDEN = "—"


def statistics_workbook(title: str, rows: list[UnitStatistics], on: str) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "老龄基础数据"
    band_labels = [b.band for b in rows[0].bands] if rows else []
    headers = [
        "单位", "老年人数", *band_labels, "高龄", "独居", "空巢", "特困", "孤寡",
        "走访对象", "逾期未走访", "本月走访次数", "已办优待证",
    ]
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append([f"统计日期：{on}"])
    sheet.append(headers)
    for row in rows:
        sheet.append(
            [
                row.org_unit.name, row.elderly, *(b.count for b in row.bands), row.very_old, row.living_alone,
                row.empty_nest,
                HIDDEN if row.extreme_poverty is None else row.extreme_poverty,
                HIDDEN if row.no_family is None else row.no_family,
                row.visits_scheduled, row.visits_overdue, row.visits_done_this_month, row.cards_issued,
            ]
        )
    for line in sheet.iter_rows(min_row=3, max_row=sheet.max_row, max_col=len(headers)):
        for cell in line:
            cell.border = BOX
            if cell.row == 3:
                cell.font = Font(bold=True)
    sheet.column_dimensions[get_column_letter(1)].width = 18
    return workbook


def _statistics(download: Download) -> tuple[Workbook, str]:
    today = local_today()
    rows = unit_statistics(download.session, download.principal, download.unit, today)
    title = f"{download.unit.name}老龄基础数据统计表"
    return statistics_workbook(title, rows, today.isoformat()), f"{title}.xlsx"


ROUTES = [
    download_route(
        "/elderly_services/export/statistics.xlsx", _statistics, permission=VIEW.code, plugin=PLUGIN, action="elderly_services.statistics"
    ),
]
