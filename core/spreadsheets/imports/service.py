"""Checking and running imports.

``check_file`` is the dry run: every row is checked as the import would
(the natural keys against the registry and against earlier rows of the
file), nothing is written, and the bad cells come back as a list and as an
error workbook: the uploaded file with each bad cell filled and commented
with the reason, plus a sheet listing them. ``run_import`` checks the file
again and writes every row in one transaction, or nothing: a file with any
bad cell, or a row refused while writing, leaves the registry as it was.
Progress (``processed`` of ``total``) is visible to other requests while it
runs (``progress_of``); the job row keeps the outcome.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.db import utcnow
from core.org.models import OrgUnit
from core.settings import Settings
from core.spreadsheets.imports.cells import BadFile, SheetRows, read_rows
from core.spreadsheets.imports.kinds import (
    CREATED,
    KINDS,
    UNCHANGED,
    UPDATED,
    ImportContext,
    ImportKind,
    RowErrors,
)
from core.spreadsheets.imports.models import FAILED, RUNNING, SUCCEEDED, ImportJob
from core.spreadsheets.layout import Column, Row, columns, new_workbook, table_sheet

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
COMMENT_AUTHOR = "Jiceng"
# Cell errors listed in an API answer; the error workbook has them all.
LISTED_ERRORS = 200

_progress: dict[int, int] = {}
_progress_lock = threading.Lock()


@dataclass(frozen=True)
class CellError:
    row: int
    column: str  # the Chinese header, or "" for the row as a whole
    message: str


@dataclass
class CheckResult:
    kind: ImportKind
    total: int
    errors: list[CellError] = field(default_factory=list)
    plans: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    sheet: SheetRows | None = None


def kind_of(code: str) -> ImportKind:
    kind = KINDS.get(code)
    if kind is None:
        raise UserInputError("UNKNOWN_KIND", f"不能导入“{code}”：可导入 {'、'.join(KINDS)}。", "kind")
    return kind


def check_rows(session: Session, settings: Settings, unit: OrgUnit, kind: ImportKind, data: bytes) -> CheckResult:
    """Every row checked; ``BadFile`` becomes a ``UserInputError`` on ``file``."""
    try:
        sheet = read_rows(data, kind.fields)
    except BadFile as bad:
        raise UserInputError(bad.code, bad.message, "file") from None
    if not sheet.rows:
        raise UserInputError("EMPTY_FILE", "表头下面没有数据行。", "file")
    context = ImportContext.of(session, settings, unit)
    result = CheckResult(kind=kind, total=len(sheet.rows), sheet=sheet)
    for number, values in sheet.rows:
        try:
            result.plans.append((number, kind.check(context, number, values)))
        except RowErrors as bad:
            for key, message in bad.errors:
                header = kind.field(key).header if key else ""
                result.errors.append(CellError(number, header, message))
    return result


def error_workbook(data: bytes, result: CheckResult) -> bytes:
    """The uploaded workbook with the bad cells filled and commented, and a
    sheet 错误清单 listing every reason."""
    book = load_workbook(BytesIO(data))
    sheet = book.worksheets[0]
    assert result.sheet is not None
    keys = {f.header: f.key for f in result.kind.fields}
    for error in result.errors:
        column = result.sheet.columns.get(keys.get(error.column, ""), 1)
        cell = sheet.cell(row=error.row, column=column)
        cell.fill = ERROR_FILL
        earlier = cell.comment.text + "\n" if cell.comment else ""
        cell.comment = Comment(earlier + error.message, COMMENT_AUTHOR, width=300, height=120)
    if "错误清单" in book.sheetnames:
        del book["错误清单"]
    table_sheet(
        book,
        "错误清单",
        f"{result.kind.name}导入错误清单",
        columns("行号", "列", "原因"),
        [(e.row, e.column or "整行", e.message) for e in result.errors],
        notes=[f"共 {result.total} 行，{len({e.row for e in result.errors})} 行有误，{len(result.errors)} 处"],
        footer=False,
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def template(kind: ImportKind, unit: OrgUnit, example_unit: OrgUnit | None) -> Workbook:
    """An empty register in the office layout: the headers (required ones
    marked ＊, notes as comments) and one example row."""
    book = new_workbook()

    def named(place: OrgUnit) -> str:
        return place.division_code or place.name

    # A new unit's parent is the importing unit; people and places go to its deepest unit.
    example = [
        named(unit) if f.key == "parent" else named(example_unit) if f.key == "unit" and example_unit else f.example
        for f in kind.fields
    ]
    sheet = table_sheet(
        book,
        kind.name,
        f"{unit.name}{kind.name}导入表",
        [Column(f.header) for f in kind.fields],
        [Row(example)],
        org_unit=unit.name,
        notes=["＊为必填；第 4 行是示例，导入前请删除"],
        footer=False,
    )
    for index, f in enumerate(kind.fields, start=1):
        header = sheet.cell(row=3, column=index)
        text = ("必填。" if f.required else "") + f.note
        if text:
            header.comment = Comment(text, COMMENT_AUTHOR)
        if f.key == "id_number":
            sheet.cell(row=4, column=index).number_format = "@"
            for row in range(5, 1000):
                sheet.cell(row=row, column=index).number_format = "@"
    return book


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def progress_of(job: ImportJob) -> int:
    """Rows done: the job row's count, or while it runs in this process the live one."""
    if job.status in (SUCCEEDED, FAILED):
        return job.processed
    with _progress_lock:
        return max(job.processed, _progress.get(job.id, 0))


def _set_progress(job_id: int, processed: int) -> None:
    with _progress_lock:
        _progress[job_id] = processed


def run_import(
    session: Session,
    settings: Settings,
    job: ImportJob,
    data: bytes,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportJob:
    """Check the file again and write it all inside ``session``'s
    transaction (the caller commits, or rolls back on ``UserInputError``)."""
    unit = session.get(OrgUnit, job.org_unit_id)
    assert unit is not None
    kind = kind_of(job.kind)
    result = check_rows(session, settings, unit, kind, data)
    # The job row is written only at the end, so that its progress can be
    # recorded meanwhile from another connection without waiting on this one.
    if result.errors:
        rows = len({e.row for e in result.errors})
        raise UserInputError(
            "INVALID_ROWS",
            f"有 {rows} 行共 {len(result.errors)} 处错误，未导入任何记录：请先做检查，按错误表改正后再导入。",
            "file",
        )
    context = ImportContext.of(session, settings, unit)
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    for processed, (number, plan) in enumerate(result.plans, start=1):
        try:
            counts[kind.apply(context, plan)] += 1
        except RowErrors as bad:
            raise UserInputError(
                "ROW_REFUSED", f"第 {number} 行：{bad.errors[0][1]} 未导入任何记录。", "file"
            ) from None
        except UserInputError as refused:
            raise UserInputError(
                "ROW_REFUSED", f"第 {number} 行：{refused.errors[0].message} 未导入任何记录。", "file"
            ) from None
        _set_progress(job.id, processed)
        if on_progress is not None:
            on_progress(processed, result.total)
    job.status, job.total, job.processed, job.finished_at = SUCCEEDED, result.total, result.total, utcnow()
    job.created, job.updated, job.unchanged = counts[CREATED], counts[UPDATED], counts[UNCHANGED]
    session.flush()
    return job


def import_now(
    session: Session,
    settings: Settings,
    unit: OrgUnit,
    kind: ImportKind,
    data: bytes,
    *,
    file_name: str,
    created_by_id: int | None = None,
) -> ImportJob:
    """Import inside ``session``'s transaction (the demo, scripts): the job
    row and the rows, or ``UserInputError`` with nothing the caller keeps."""
    job = ImportJob(
        kind=kind.code,
        org_unit_id=unit.id,
        org_path=unit.path,
        created_by_id=created_by_id,
        file_name=file_name,
        file_sha256=sha256(data),
        status=RUNNING,
        total=0,
        processed=0,
        created=0,
        updated=0,
        unchanged=0,
    )
    session.add(job)
    session.flush()
    try:
        return run_import(session, settings, job, data)
    finally:
        forget_progress(job.id)


def start(job: ImportJob) -> None:
    job.status = RUNNING
    _set_progress(job.id, 0)


def finish_failed(job: ImportJob, message: str) -> None:
    job.status, job.finished_at, job.message = FAILED, utcnow(), message
    job.processed = job.created = job.updated = job.unchanged = 0


def forget_progress(job_id: int) -> None:
    with _progress_lock:
        _progress.pop(job_id, None)
