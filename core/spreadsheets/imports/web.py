"""Template downloads: ``GET /imports/templates/<kind>.xlsx?unit=<OrgUnit id>``
returns an empty register in the office layout with the headers and one
example row naming a real unit below ``unit``. Needs the kind's import
permission at the unit (``core.api.downloads``: signed in, audited)."""

from __future__ import annotations

from collections.abc import Callable

from openpyxl import Workbook
from sqlalchemy import select
from starlette.routing import Route

from core.api.downloads import Download, download_route
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.spreadsheets.imports import service
from core.spreadsheets.imports.kinds import KINDS, ImportKind
from core.spreadsheets.imports.schema import TEMPLATE_PREFIX


def _builder(kind: ImportKind) -> Callable[[Download], tuple[Workbook, str]]:
    def build(download: Download) -> tuple[Workbook, str]:
        deepest = download.session.scalars(
            select(OrgUnit)
            .where(in_subtree(OrgUnit.path, download.unit.path), OrgUnit.dissolved_on.is_(None))
            .order_by(OrgUnit.depth.desc(), OrgUnit.path)
            .limit(1)
        ).first()
        return service.template(kind, download.unit, deepest), f"{kind.name}导入模板.xlsx"

    return build


ROUTES: list[Route] = [
    download_route(
        f"{TEMPLATE_PREFIX}{kind.code}.xlsx",
        _builder(kind),
        permission=kind.permission,
        plugin=None,
        action=f"imports.template.{kind.code}",
    )
    for kind in KINDS.values()
]
