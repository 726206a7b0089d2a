"""The six books as office spreadsheets:
``GET /documents/books/<code>.xlsx?unit=<OrgUnit id>&year=2026`` (the
archive-view permission at the unit, then each source's own permission;
audited like every download)."""

from __future__ import annotations

from openpyxl import Workbook
from starlette.routing import Route

from core.api.downloads import Download, DownloadRefused, download_route
from core.documents.archives import ARCHIVE_VIEW
from core.documents.books import BookContent, book_content, catalogue_for
from core.org.models import OrgUnit
from core.policy.service import local_today
from core.spreadsheets.layout import columns, new_workbook, table_sheet


def book_workbook(content: BookContent, unit: OrgUnit, year: int, prepared_by: str) -> Workbook:
    book = new_workbook()
    table_sheet(
        book,
        content.book.name,
        f"{unit.name}{content.book.name}（{year}年）",
        columns(*content.book.headers),
        content.rows,
        org_unit=unit.name,
        period=f"{year}年",
        prepared_by=prepared_by,
        on=local_today(),
    )
    return book


def _book(download: Download) -> tuple[Workbook, str]:
    host = download.request.app.state.deployment.host
    code = download.request.path_params["code"]
    if code not in catalogue_for(host).books:
        raise DownloadRefused(404, "UNKNOWN_BOOK", f"没有名为“{code}”的登记簿。")
    this_year = local_today().year
    year = download.int_param("year", this_year, low=1949, high=this_year)
    content = book_content(download.session, host, download.principal, download.unit, year, code)
    if content is None:
        name = catalogue_for(host).books[code].name
        raise DownloadRefused(403, "FORBIDDEN", f"无权查看“{download.unit.name}”的{name}（需要其记录的查看权限）。")
    workbook = book_workbook(content, download.unit, year, download.principal.display_name)
    return workbook, f"{download.unit.name}{content.book.name}{year}.xlsx"


ROUTES: list[Route] = [
    download_route(
        "/documents/books/{code}.xlsx", _book, permission=ARCHIVE_VIEW.code, plugin=None, action="documents.book"
    ),
]
