"""The office spreadsheet of the archive (登记簿、卷内目录): every ``.xlsx`` the
archive writes goes through ``office_workbook`` so that its layout can move
to a shared layout helper in one place.

Layout: a merged title, the unit and period, Chinese headers in bold, thin
borders, real date cells, column widths fitted to content, printed
landscape to the width of A4 with the title and headers repeated on each
page, and a 制表人/审核人/日期 footer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MAX_WIDTH = 60
HEADER_ROW = 3


def _width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, date) else str("" if value is None else value)
    # CJK characters take two columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def office_workbook(
    title: str,
    *,
    unit: str,
    period: str,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    sheet_title: str,
    prepared_by: str = "",
    today: date | None = None,
) -> Workbook:
    """One sheet in the office layout (see the module docstring)."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    columns = max(len(headers), 1)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    sheet.append([f"单位：{unit}", *([""] * (columns - 2)), f"期间：{period}"] if columns > 1 else [f"单位：{unit}　期间：{period}"])
    sheet.append(list(headers))
    widths = [_width(h) for h in headers]
    for row in rows:
        sheet.append(list(row))
        for index, value in enumerate(row[:columns]):
            widths[index] = max(widths[index], _width(value))
    for line in sheet.iter_rows(min_row=HEADER_ROW, max_row=sheet.max_row, max_col=columns):
        for cell in line:
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.row == HEADER_ROW:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(horizontal="center")
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 2)
    sheet.append([])
    sheet.append([f"制表人：{prepared_by}", "审核人：", f"日期：{(today or date.today()).isoformat()}"])
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return book


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
