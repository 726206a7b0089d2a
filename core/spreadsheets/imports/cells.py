"""Reading an office register: the header row, the data rows and the cell
values in the forms offices type them (dates as date cells or as
``1980-05-12``/``1980/5/12``/``1980年5月12日``/``19800512``; 是/否; Chinese
names of codes). Every refusal is a Chinese sentence about one cell."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

# Rows searched for the header row (a title and a unit line may stand above it).
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20_000
FOOTER_MARKERS = ("制表人", "填表人", "合计")
_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class BadCell(ValueError):
    """A cell that cannot be read as its column says; the message is Chinese."""


class BadFile(ValueError):
    """A file that is not a readable register; the message is Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Field:
    """A column of a register: its Chinese header (and other names offices
    use for it), the key rows are read into, and an example value."""

    header: str
    key: str
    required: bool = False
    example: Any = ""
    note: str = ""
    aliases: tuple[str, ...] = ()


@dataclass
class SheetRows:
    """The data rows of a register: ``rows`` are (sheet row number, values by key)."""

    header_row: int
    columns: dict[str, int]  # key -> 1-based column
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().replace("\u3000", " ").strip()
        return value or None
    return value


def read_rows(data: bytes, fields: Sequence[Field]) -> SheetRows:
    """The rows of the first sheet below the header row that names the fields."""
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise BadFile("INVALID_FILE", "无法读取该文件：请上传 Excel 2007 及以上版本的 .xlsx 工作簿。") from None
    try:
        sheet = book.worksheets[0]
        names = {name: f.key for f in fields for name in (f.header, *f.aliases)}
        header_row, columns = 0, {}
        lines = sheet.iter_rows(values_only=True)
        for number, line in enumerate(lines, start=1):
            found = {
                names[str(_clean(v))]: i
                for i, v in enumerate(line, start=1)
                if _clean(v) is not None and str(_clean(v)) in names
            }
            if any(f.required for f in fields) and all(f.key in found for f in fields if f.required):
                header_row, columns = number, found
                break
            if number >= HEADER_SEARCH_ROWS:
                break
        if not header_row:
            required = "、".join(f.header for f in fields if f.required)
            raise BadFile(
                "MISSING_COLUMNS", f"前 {HEADER_SEARCH_ROWS} 行中没有找到表头：须有“{required}”等列（可下载模板）。"
            )
        result = SheetRows(header_row=header_row, columns=columns)
        for number, line in enumerate(lines, start=header_row + 1):
            values = {
                key: _clean(line[column - 1]) if column - 1 < len(line) else None for key, column in columns.items()
            }
            if all(v is None for v in values.values()):
                continue
            first = next((str(v) for v in values.values() if v is not None), "")
            if first.startswith(FOOTER_MARKERS):
                break
            result.rows.append((number, values))
            if len(result.rows) > MAX_ROWS:
                raise BadFile("TOO_MANY_ROWS", f"一次最多导入 {MAX_ROWS} 行，请分成几个文件。")
        return result
    finally:
        book.close()


def text(value: Any) -> str | None:
    """A cell as text (numbers typed as numbers read as their digits)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip() or None


def id_number_text(value: Any) -> str | None:
    """An ID number must be typed as text: Excel keeps only 15 digits of a number."""
    if value is None:
        return None
    if isinstance(value, int | float):
        raise BadCell("身份证号码被存成了数值，末尾数字可能已丢失：请把该列设为“文本”格式后重新填写。")
    return str(value).strip().upper().replace(" ", "") or None


def day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value) or ""
    match = _DATE_TEXT.match(raw)
    if match is None and raw.isdigit() and len(raw) == 8:
        match = re.match(r"^(\d{4})(\d{2})(\d{2})$", raw)
    if match is None:
        raise BadCell(f"“{raw}”不是日期：请写成 2026-01-31 或设为日期格式。")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise BadCell(f"日期“{raw}”不存在。") from None


def choice(value: Any, names: Mapping[str, str], label: str) -> str | None:
    """A code by its Chinese name (or the code itself)."""
    raw = text(value)
    if raw is None:
        return None
    if raw in names:
        return raw
    for code, name in names.items():
        if raw == name:
            return code
    raise BadCell(f"{label}“{raw}”不是可选值：{'、'.join(names.values())}。")


def yes_no(value: Any, label: str) -> bool | None:
    raw = text(value)
    if raw is None:
        return None
    if raw in ("是", "Y", "y", "1", "true", "TRUE", "√"):
        return True
    if raw in ("否", "N", "n", "0", "false", "FALSE"):
        return False
    raise BadCell(f"{label}请填“是”或“否”。")
