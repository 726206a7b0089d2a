"""The demo's import: a community's register of places, imported as an
office would upload it (so ``importJob`` and the audit trail have an example)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.org.models import OrgUnit
from core.settings import Settings
from core.spreadsheets.imports.kinds import KINDS
from core.spreadsheets.imports.models import ImportJob
from core.spreadsheets.imports.service import import_now
from core.spreadsheets.layout import columns, new_workbook, table_sheet, workbook_bytes

DEMO_FILE = "社区公共场所登记表.xlsx"


def load_demo_import(session: Session, settings: Settings, community: OrgUnit) -> ImportJob:
    """Two public places of ``community`` (in its first grid), imported from
    a register in the office layout."""
    grid = (
        session.scalars(select(OrgUnit).where(OrgUnit.parent_id == community.id).order_by(OrgUnit.id)).first()
        or community
    )
    book = new_workbook()
    table_sheet(
        book,
        "场所",
        f"{community.name}公共场所登记表",
        columns("场所名称", "类型", "地址", "是否出租", "所属网格"),
        [
            ["社区党群服务中心", "其他", f"{community.name}办公楼一楼", "否", grid.name],
            ["社区便民超市", "商铺", f"{community.name}办公楼东侧", "是", grid.name],
        ],
        org_unit=community.name,
    )
    return import_now(session, settings, community, KINDS["places"], workbook_bytes(book), file_name=DEMO_FILE)
