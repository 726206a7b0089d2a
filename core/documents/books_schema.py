"""GraphQL for the six books (六簿): which books a unit's archive holds for a
year, from which sources, how many entries, and where to download each."""

from __future__ import annotations

from urllib.parse import urlencode

import strawberry

from core.api.context import RequestContext
from core.api.errors import UserInputError
from core.api.ids import object_for
from core.auth.permissions import require_signed_in
from core.documents.archives import ARCHIVE_VIEW
from core.documents.books import book_content, catalogue_for
from core.plugin_host import host_of
from core.policy.service import local_today


@strawberry.type(name="ArchiveBook", description="六簿之一：由平台已有记录生成的登记簿。")
class ArchiveBookType:
    code: str = strawberry.field(description="登记簿代码，如 seal_use_register。")
    name: str = strawberry.field(description="中文名称，如 用章登记簿。")
    headers: list[str] = strawberry.field(description="表头。")
    sources: list[str] = strawberry.field(description="本人有权查看、在该单位启用的记录来源。")
    entry_count: int = strawberry.field(description="该年的条目数。")
    download_path: str = strawberry.field(description="下载 .xlsx 的路径（GET，带 Authorization 头）。")


@strawberry.type
class ArchiveBooksQuery:
    @strawberry.field(
        description="一个单位某年的六簿（须在该单位有 documents.archive_view 权限；只列出本人有权查看其记录的登记簿）。"
    )
    def archive_books(
        self, info: strawberry.Info, org_unit_id: strawberry.ID, year: int | None = None
    ) -> list[ArchiveBookType]:
        context: RequestContext = info.context
        principal = require_signed_in(context)
        unit = object_for(context, org_unit_id, "OrgUnit", ARCHIVE_VIEW.code, field="orgUnitId")
        this_year = local_today().year
        year = this_year if year is None else year
        if not 1949 <= year <= this_year:
            raise UserInputError("INVALID_VALUE", f"年份应在 1949 到 {this_year} 之间。", "year")
        host = host_of(context)
        found = []
        for code in catalogue_for(host).books:
            content = book_content(context.session, host, principal, unit, year, code)
            if content is None:
                continue
            query = urlencode({"unit": org_unit_id, "year": year})
            found.append(
                ArchiveBookType(
                    code=code,
                    name=content.book.name,
                    headers=list(content.book.headers),
                    sources=list(content.sources),
                    entry_count=len(content.rows),
                    download_path=f"/documents/books/{code}.xlsx?{query}",
                )
            )
        return found
