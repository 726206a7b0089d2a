"""Excel export of the 三会一课 ledger a street office checks:

``GET /party_building/export/meeting-compliance.xlsx?unit=<OrgUnit id>&year=YYYY``

A ``core.api.downloads`` route: a session token (``Authorization: Bearer …``),
``party_building.view`` at the unit, the plugin active there. It lists the party organizations attached
in the unit's subtree that the caller may see, with each owed meeting type
and period: held (quorate) count and done / due / overdue, from the same
service call as ``partyMeetingCompliance``. No personal data. Every export is
audited as a read.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.downloads import Download, download_route
from core.auth.permissions import Principal, scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.policy.service import local_today
from plugins.party_building import service
from plugins.party_building.declarations import PLUGIN, VIEW
from plugins.party_building.models import (
    MEETING_TYPES,
    ORGANIZATION_TYPES,
    PartyOrganization,
)

MAX_ORGANIZATIONS = 500
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STATUS_NAMES = {"done": "已开", "due": "本期待开", "overdue": "期满未开"}
HEADERS = ("序号", "党组织", "类型", "挂靠单位", "会议类型", "期间", "召开次数", "情况")
OVERDUE_FILL = PatternFill("solid", fgColor="FFE0E0")


def compliance_workbook(session: Session, principal: Principal, unit: OrgUnit, year: int) -> Workbook:
    orgs = list(
        session.scalars(
            select(PartyOrganization)
            .where(in_subtree(PartyOrganization.org_path, unit.path), scope_condition(principal, VIEW.code, PartyOrganization.org_path))
            .order_by(PartyOrganization.party_path)
            .limit(MAX_ORGANIZATIONS)
        )
    )
    units = {u.id: u.name for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_({o.org_unit_id for o in orgs})))} if orgs else {}
    items = service.meeting_compliance(session, orgs, year)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "三会一课落实情况"
    sheet.append([f"{unit.name}{year}年“三会一课”及民主生活会落实情况"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    overdue = sum(1 for i in items if i.status == "overdue")
    sheet.append([f"党组织 {len(orgs)} 个；期满未开 {overdue} 期；导出日期 {local_today().isoformat()}"])
    sheet.append(list(HEADERS))
    for column in range(1, len(HEADERS) + 1):
        cell = sheet.cell(row=3, column=column)
        cell.font, cell.border, cell.alignment = Font(bold=True), BOX, Alignment(horizontal="center")
    for index, item in enumerate(items, start=1):
        org = item.organization
        sheet.append([
            index,
            org.name,
            ORGANIZATION_TYPES[org.org_type],
            units.get(org.org_unit_id, ""),
            MEETING_TYPES[item.meeting_type],
            f"{item.period_start.isoformat()} 至 {item.period_end.isoformat()}",
            item.held,
            STATUS_NAMES[item.status],
        ])
        for column in range(1, len(HEADERS) + 1):
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.border = BOX
            if item.status == "overdue":
                cell.fill = OVERDUE_FILL
    for letter, width in zip("ABCDEFGH", (6, 28, 8, 16, 22, 26, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook


def _compliance(download: Download) -> tuple[Workbook, str]:
    year = download.int_param("year", local_today().year, low=2000, high=2100)
    workbook = compliance_workbook(download.session, download.principal, download.unit, year)
    return workbook, f"{download.unit.name}{year}年三会一课落实情况.xlsx"


ROUTES = [
    download_route(
        "/party_building/export/meeting-compliance.xlsx",
        _compliance,
        permission=VIEW.code,
        plugin=PLUGIN,
        action="party_building.meeting_compliance",
    )
]
