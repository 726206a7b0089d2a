"""The office layout every ``.xlsx`` the platform writes shares.

A sheet reads as the forms a street office hands in::

    ┌──────────────────────────────────────────────┐
    │            <title, merged, bold>              │  row 1
    │ 填报单位：…　统计期间：…　单位：元　<notes>    │  row 2 (merged)
    ├────┬──────────┬──────────┬───────────────────┤
    │序号│ 姓名      │ 出生日期  │ 金额（元）        │  header (bold, grey, boxed)
    │ 1  │ …        │2026-01-05│          1,234.50 │  data (boxed; dates are date cells,
    │合计│          │          │ =SUM(D4:D9)       │  numbers are numbers), totals row
    └────┴──────────┴──────────┴───────────────────┘
     制表人：            审核人：            日期：2026年12月5日

Column widths fit the content (a CJK character counts as two), long text
wraps; the sheet prints on A4, fitted to the page width (landscape when the
table is wide), with the rows from the title to the header repeated on
every page and the page number in the page footer.

Use ``SheetWriter`` for a sheet with several tables (``table`` as often as
needed, then ``finish``) or ``table_sheet`` for the usual one-table sheet.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.policy.service import local_today

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
HIGHLIGHT_FILL = PatternFill("solid", fgColor="FFE0E0")
TITLE_FONT = Font(name="宋体", size=16, bold=True)
BOLD = Font(bold=True)

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
MONEY_FORMAT = "#,##0.00"
TOTAL_LABEL = "合计"
PREPARED_BY = "制表人："

MIN_WIDTH = 6.0
MAX_WIDTH = 48.0
# Beyond this many character widths a table prints landscape.
PORTRAIT_WIDTH = 100.0


def display_width(value: object) -> float:
    """How wide ``value`` shows in a cell, in character widths: CJK (wide and
    full-width) characters count two; the widest line of a multi-line value."""
    text = _shown(value)
    return max(
        (sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line) for line in text.split("\n")),
        default=0,
    )


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


@dataclass(frozen=True)
class Column:
    """A column: its Chinese header; ``money`` writes two decimals with
    thousands separators; ``total`` sums the column in the 合计 row."""

    header: str
    money: bool = False
    total: bool = False
    wrap: bool = False


@dataclass
class Row:
    """A data row with its look: ``highlight`` fills it (overdue, refused …)."""

    values: Sequence[Any]
    highlight: bool = False


def columns(*headers: str | Column) -> list[Column]:
    return [h if isinstance(h, Column) else Column(h) for h in headers]


@dataclass
class SheetWriter:
    """Writes one sheet in the office layout; see the module docstring."""

    sheet: Worksheet
    title: str
    width: int
    org_unit: str | None = None
    period: str | None = None
    measure: str | None = None
    notes: Sequence[str] = ()
    _header_row: int | None = field(default=None, init=False)
    _widths: dict[int, float] = field(default_factory=dict, init=False)
    _wrapped: set[int] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        self.sheet.append([self.title])
        self._merge_line(font=TITLE_FONT, horizontal="center")
        self.sheet.row_dimensions[1].height = 28
        info = [
            *([f"填报单位：{self.org_unit}"] if self.org_unit else []),
            *([f"统计期间：{self.period}"] if self.period else []),
            *([f"单位：{self.measure}"] if self.measure else []),
            *self.notes,
        ]
        self.sheet.append(["　　".join(info)])
        self._merge_line(font=None, horizontal="left")

    def _merge_line(self, *, font: Font | None, horizontal: str) -> None:
        row = self.sheet.max_row
        if self.width > 1:
            self.sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=self.width)
        cell = self.sheet.cell(row=row, column=1)
        if font is not None:
            cell.font = font
        cell.alignment = Alignment(horizontal=horizontal, vertical="center")

    def blank(self) -> None:
        self.sheet.append([])

    def table(self, cols: Sequence[Column], rows: Sequence[Sequence[Any] | Row], *, totals: bool = False) -> None:
        """A header row and boxed data rows; with ``totals`` a 合计 row that
        sums (``=SUM``) the columns marked ``total``."""
        self.sheet.append([c.header for c in cols])
        header = self.sheet.max_row
        if self._header_row is None:
            self._header_row = header
        for index, col in enumerate(cols, start=1):
            cell = self.sheet.cell(row=header, column=index)
            cell.font, cell.fill, cell.border = BOLD, HEADER_FILL, BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self._measure(index, col.header)
        for row in rows:
            values, highlight = (row.values, row.highlight) if isinstance(row, Row) else (row, False)
            self.sheet.append(list(values))
            for index, col in enumerate(cols, start=1):
                cell = self.sheet.cell(row=self.sheet.max_row, column=index)
                self._style(cell, col, cell.value)
                if highlight:
                    cell.fill = HIGHLIGHT_FILL
        if totals:
            first, last = header + 1, self.sheet.max_row
            self.sheet.append([TOTAL_LABEL])
            for index, col in enumerate(cols, start=1):
                cell = self.sheet.cell(row=self.sheet.max_row, column=index)
                if col.total:
                    letter = get_column_letter(index)
                    cell.value = f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
                cell.border, cell.font = BOX, BOLD
                if col.money:
                    cell.number_format = MONEY_FORMAT
            self.sheet.cell(row=self.sheet.max_row, column=1).alignment = Alignment(horizontal="center")

    def _style(self, cell: Any, col: Column, value: object) -> None:
        cell.border = BOX
        if isinstance(value, datetime):
            cell.number_format = DATETIME_FORMAT
            cell.alignment = Alignment(horizontal="center", vertical="center")
        elif isinstance(value, date):
            cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(horizontal="center", vertical="center")
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            if col.money:
                cell.number_format = MONEY_FORMAT
            cell.alignment = Alignment(horizontal="right", vertical="center")
        else:
            wrap = col.wrap or "\n" in _shown(value) or display_width(value) > MAX_WIDTH
            cell.alignment = Alignment(vertical="center", wrap_text=wrap)
            if wrap:
                self._wrapped.add(cell.column)
        self._measure(cell.column, value)

    def _measure(self, column: int, value: object) -> None:
        self._widths[column] = max(self._widths.get(column, 0.0), display_width(value) + 2)

    def finish(self, *, prepared_by: str | None = None, on: date | None = None, footer: bool = True) -> Worksheet:
        """Fit the widths, add the 制表人/审核人/日期 footer and the print setup."""
        sheet = self.sheet
        for column in range(1, self.width + 1):
            width = min(MAX_WIDTH, max(MIN_WIDTH, self._widths.get(column, MIN_WIDTH)))
            sheet.column_dimensions[get_column_letter(column)].width = width
        if footer:
            day = on or local_today()
            parts = [f"{PREPARED_BY}{prepared_by or ''}", "审核人：", f"日期：{day.year}年{day.month}月{day.day}日"]
            places = [1, max(2, self.width // 2), max(3, self.width - 1)] if self.width >= 3 else [1, 1, 1]
            row = sheet.max_row + 2  # after a blank line
            if len(set(places)) == len(places):
                for place, text in zip(places, parts, strict=True):
                    sheet.cell(row=row, column=place, value=text)
            else:
                sheet.cell(row=row, column=1, value="　　".join(parts))
        total_width = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, self.width + 1))
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        setup.orientation = "landscape" if total_width > PORTRAIT_WIDTH else "portrait"
        setup.fitToWidth, setup.fitToHeight = 1, 0
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None  # openpyxl gives every new worksheet its page set-up properties
        fit.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        header = self._header_row or 2
        sheet.print_title_rows = f"1:{header}"
        sheet.freeze_panes = sheet.cell(row=header + 1, column=1).coordinate
        page_footer = sheet.oddFooter
        assert (
            page_footer is not None and page_footer.center is not None
        )  # openpyxl gives every new worksheet its footer parts
        page_footer.center.text = "第 &P 页，共 &N 页"
        return sheet


def new_workbook() -> Workbook:
    """An empty workbook (no sheets) that recalculates its formulas on open."""
    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    book.remove(first)
    book.calculation.fullCalcOnLoad = True
    return book


def sheet_writer(
    book: Workbook,
    name: str,
    title: str,
    width: int,
    *,
    org_unit: str | None = None,
    period: str | None = None,
    measure: str | None = None,
    notes: Sequence[str] = (),
) -> SheetWriter:
    """A new sheet named ``name`` (at most 31 characters) with the title rows."""
    return SheetWriter(
        book.create_sheet(name[:31]), title, width, org_unit=org_unit, period=period, measure=measure, notes=notes
    )


def table_sheet(
    book: Workbook,
    name: str,
    title: str,
    cols: Sequence[Column],
    rows: Sequence[Sequence[Any] | Row],
    *,
    org_unit: str | None = None,
    period: str | None = None,
    measure: str | None = None,
    notes: Sequence[str] = (),
    totals: bool = False,
    prepared_by: str | None = None,
    on: date | None = None,
    footer: bool = True,
) -> Worksheet:
    """One sheet holding one table in the office layout."""
    writer = sheet_writer(book, name, title, len(cols), org_unit=org_unit, period=period, measure=measure, notes=notes)
    writer.table(cols, rows, totals=totals)
    return writer.finish(prepared_by=prepared_by, on=on, footer=footer)


def sign_prepared_by(book: Workbook, name: str) -> None:
    """Fill the name into every empty 制表人 cell of the footers (a download
    signs its sheets with the user who exported them)."""
    for sheet in book.worksheets:
        for line in sheet.iter_rows(min_row=max(1, sheet.max_row - 1), max_col=1):
            for cell in line:
                rest = (
                    cell.value[len(PREPARED_BY) :]
                    if isinstance(cell.value, str) and cell.value.startswith(PREPARED_BY)
                    else None
                )
                if rest is not None and (not rest or rest.startswith("　")):  # no name yet
                    cell.value = f"{PREPARED_BY}{name}{rest}"


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def period_text(start: date, end: date) -> str:
    """``2026年1月1日至2026年3月31日``, the way a form writes a period."""
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
