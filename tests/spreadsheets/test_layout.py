"""The office layout every workbook shares, read back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from core.spreadsheets.layout import (
    Column,
    Row,
    columns,
    display_width,
    new_workbook,
    sign_prepared_by,
    table_sheet,
    workbook_bytes,
)

DAY = date(2026, 3, 5)


def _read(cols: list[Column], rows: list[list[Any] | Row], *, totals: bool = False) -> Worksheet:
    book = new_workbook()
    table_sheet(
        book,
        "名单",
        "宁安路社区困难群众名单",
        cols,
        rows,
        org_unit="宁安路社区",
        period="2026年3月",
        measure="元",
        on=DAY,
        totals=totals,
    )
    return load_workbook(BytesIO(workbook_bytes(book)))["名单"]


def test_title_unit_period_header_dates_numbers_totals_and_footer() -> None:
    cols = columns(
        "序号", "姓名", "出生日期", Column("补助金额（元）", money=True, total=True), Column("人数", total=True)
    )
    sheet = _read(
        cols,
        [
            [1, "张伟", date(1950, 1, 2), Decimal("1200.50"), 2],
            Row([2, "李娜", date(1960, 5, 6), Decimal(300), 1], highlight=True),
        ],
        totals=True,
    )
    assert sheet["A1"].value == "宁安路社区困难群众名单"
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "填报单位：宁安路社区　　统计期间：2026年3月　　单位：元"
    assert [c.value for c in sheet[3]] == ["序号", "姓名", "出生日期", "补助金额（元）", "人数"]
    assert sheet["A3"].font.b and sheet["A3"].border.left.style == "thin"
    # Real dates and numbers, not text.
    assert isinstance(sheet["C4"].value, datetime) and sheet["C4"].value.date() == date(1950, 1, 2)
    assert sheet["C4"].number_format == "yyyy-mm-dd" and sheet["C4"].is_date
    assert sheet["D4"].value == 1200.5 and sheet["D4"].number_format == "#,##0.00"
    assert sheet["A5"].fill.fgColor.rgb.endswith("FFE0E0") and not sheet["A4"].fill.fgColor.rgb.endswith("FFE0E0")
    # 合计 sums exactly the data rows.
    assert [c.value for c in sheet[6]] == ["合计", None, None, "=SUM(D4:D5)", "=SUM(E4:E5)"]
    assert sum(c.value for (c,) in sheet["D4:D5"]) == 1500.5
    # Footer two rows below the table: 制表人, 审核人, 日期.
    assert (
        sheet["A8"].value == "制表人："
        and sheet["B8"].value == "审核人："
        and sheet["D8"].value == "日期：2026年3月5日"
    )


def test_print_setup_fits_a4_width_and_repeats_the_title_rows() -> None:
    narrow = _read(columns("序号", "姓名"), [[1, "张伟"]])
    assert narrow.print_title_rows == "$1:$3"
    paper = narrow.page_setup.paperSize
    assert paper is not None and int(paper) == 9 and narrow.page_setup.orientation == "portrait"
    fit = narrow.sheet_properties.pageSetUpPr
    assert (
        fit is not None and fit.fitToPage and narrow.page_setup.fitToWidth == 1 and narrow.page_setup.fitToHeight == 0
    )
    assert narrow.freeze_panes == "A4"
    footer = narrow.oddFooter
    assert footer is not None and footer.center.text is not None and "&P" in footer.center.text
    wide = _read(columns(*(f"第{i}栏（很长的表头文字）" for i in range(8))), [["x"] * 8])
    assert wide.page_setup.orientation == "landscape"


def test_widths_fit_content_with_cjk_counted_double() -> None:
    assert display_width("宁安路社区") == 10 and display_width("abc") == 3 and display_width("ａ") == 2
    assert display_width("一行\n较长的第二行") == 12
    sheet = _read(columns("序号", "住址", "备注"), [[1, "青岛市市南区宁夏路街道宁安路社区12号楼", "ok"]])
    assert sheet.column_dimensions["B"].width == display_width("青岛市市南区宁夏路街道宁安路社区12号楼") + 2
    assert sheet.column_dimensions["A"].width >= 6 and sheet.column_dimensions["C"].width == 6
    # Very long text is capped and wraps.
    long = _read(columns("说明"), [["很" * 100]])
    assert long.column_dimensions["A"].width == 48 and long["A4"].alignment.wrap_text


def test_totals_of_an_empty_table_are_zero() -> None:
    sheet = _read([Column("项目"), Column("金额", money=True, total=True)], [], totals=True)
    assert sheet["A4"].value == "合计" and sheet["B4"].value == 0


def test_a_download_signs_the_footer_with_the_exporter() -> None:
    book = new_workbook()
    table_sheet(book, "一", "表一", columns("序号", "姓名", "备注"), [[1, "张伟", None]], on=DAY)
    table_sheet(book, "二", "表二", columns("序号"), [[1]], on=DAY)
    sign_prepared_by(book, "王主任")
    assert (
        book["一"]["A6"].value == "制表人：王主任"
        and book["二"]["A6"].value == "制表人：王主任　　审核人：　　日期：2026年3月5日"
    )
