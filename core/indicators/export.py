"""The ``.xlsx`` of a report form in the office layout:
``GET /forms/export.xlsx?unit=<OrgUnit id>&form=<ReportForm id>&period=YYYY-MM-DD``
(``forms.view`` at the unit; audited like every download).

``form_workbook`` is the one place that lays out the sheet, so the layout can
move to a shared office-layout helper without touching the callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.api.downloads import Download, DownloadRefused, download_route
from core.api.errors import UserInputError
from core.api.relay import decode_pk
from core.indicators import forms
from core.indicators.models import ReportForm
from core.indicators.registry import registry_for
from core.policy.service import local_today

Cell = Decimal | str | int | None


def form_workbook(
    title: str, subtitle: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]], footer: Sequence[str] = ()
) -> Workbook:
    """A titled table: title merged across the columns, the unit and period
    under it, bordered header and body, signature lines at the foot."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on its one worksheet
    sheet.title = title[:31]
    width = max(len(headers), 1)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=16)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append([subtitle])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append(list(headers))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for cell in sheet[sheet.max_row]:
            cell.border = border
    sheet.append([])
    for line in footer:
        sheet.append([line])
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 16 if column > 1 else 24
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    return book


def build_form(download: Download) -> tuple[Workbook, str]:
    raw = download.param("form")
    if raw is None:
        raise DownloadRefused(400, "REQUIRED", "请用参数 form 指定报表。")
    try:
        pk = decode_pk(raw, "ReportForm", field="form")
    except UserInputError as error:
        raise DownloadRefused(400, "INVALID_ID", error.errors[0].message) from None
    form = download.session.get(ReportForm, pk)
    if form is None or not (
        download.unit.path.startswith(form.org_path) or form.org_path.startswith(download.unit.path)
    ):
        raise DownloadRefused(404, "NOT_FOUND", "报表不存在或无权访问。")
    period = download.date_param("period", local_today())
    indicators = registry_for(download.request.app.state.deployment.host)
    items, rows, total = forms.table(download.session, form, download.unit, period, indicators=indicators)
    start, end = forms.period_of(form.recurrence, period)
    headers = ["单位", *[f"{item.label}" for item in items], "已报/应报"]
    body = [[row.unit.name, *row.values, f"{row.submitted}/{row.owed}"] for row in rows]
    body.append([f"合计（{total.unit.name}）", *total.values, f"{total.submitted}/{total.owed}"])
    book = form_workbook(
        form.name,
        f"填报单位：{download.unit.name}    报告期：{start} 至 {end}",
        headers,
        body,
        footer=("单位负责人：            填表人：            报出日期：",),
    )
    return book, f"{form.name}-{download.unit.name}-{start:%Y%m}.xlsx"


ROUTES = [
    download_route("/forms/export.xlsx", build_form, permission=forms.VIEW.code, plugin=None, action="forms.table")
]
