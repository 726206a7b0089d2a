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
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.downloads import Download, download_route
from core.auth.permissions import Principal, scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.policy.service import local_today
from core.spreadsheets.layout import Row, columns, new_workbook, table_sheet
from plugins.party_building import service
from plugins.party_building.declarations import PLUGIN, VIEW
from plugins.party_building.models import (
    MEETING_TYPES,
    ORGANIZATION_TYPES,
    PartyOrganization,
)

MAX_ORGANIZATIONS = 500
STATUS_NAMES = {"done": "已开", "due": "本期待开", "overdue": "期满未开"}
HEADERS = ("序号", "党组织", "类型", "挂靠单位", "会议类型", "期间起", "期间止", "召开次数", "情况")


def compliance_workbook(session: Session, principal: Principal, unit: OrgUnit, year: int) -> Workbook:
    orgs = list(
        session.scalars(
            select(PartyOrganization)
            .where(
                in_subtree(PartyOrganization.org_path, unit.path),
                scope_condition(principal, VIEW.code, PartyOrganization.org_path),
            )
            .order_by(PartyOrganization.party_path)
            .limit(MAX_ORGANIZATIONS)
        )
    )
    units = (
        {u.id: u.name for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_({o.org_unit_id for o in orgs})))}
        if orgs
        else {}
    )
    items = service.meeting_compliance(session, orgs, year)
    overdue = sum(1 for i in items if i.status == "overdue")
    rows = [
        Row(
            [
                index,
                item.organization.name,
                ORGANIZATION_TYPES[item.organization.org_type],
                units.get(item.organization.org_unit_id, ""),
                MEETING_TYPES[item.meeting_type],
                item.period_start,
                item.period_end,
                item.held,
                STATUS_NAMES[item.status],
            ],
            highlight=item.status == "overdue",
        )
        for index, item in enumerate(items, start=1)
    ]
    workbook = new_workbook()
    table_sheet(
        workbook,
        "三会一课落实情况",
        f"{unit.name}{year}年“三会一课”及民主生活会落实情况",
        columns(*HEADERS),
        rows,
        org_unit=unit.name,
        period=f"{year}年",
        notes=[f"党组织 {len(orgs)} 个，期满未开 {overdue} 期"],
    )
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
