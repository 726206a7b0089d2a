"""Excel export of the 三会一课 ledger a street office checks:

``GET /party_building/export/meeting-compliance.xlsx?unit=<OrgUnit id>&year=YYYY``

Needs a session token (``Authorization: Bearer …``, as for GraphQL) and
``party_building.view`` at the unit; lists the party organizations attached
in the unit's subtree that the caller may see, with each owed meeting type
and period: held (quorate) count and done / due / overdue, from the same
service call as ``partyMeetingCompliance``. No personal data. Every export is
audited as a read.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.api.errors import UserInputError
from core.api.relay import decode_pk
from core.audit.service import record_read
from core.auth.permissions import Principal, scope_condition
from core.auth.service import principal_from_authorization
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.policy.service import local_today
from plugins.party_building import service
from plugins.party_building.declarations import VIEW
from plugins.party_building.models import MEETING_TYPES, ORGANIZATION_TYPES, PartyOrganization

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ORGANIZATIONS = 500
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
STATUS_NAMES = {"done": "已开", "due": "本期待开", "overdue": "期满未开"}
HEADERS = ("序号", "党组织", "类型", "挂靠单位", "会议类型", "期间", "召开次数", "情况")
OVERDUE_FILL = PatternFill("solid", fgColor="FFE0E0")


class _Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message


class _AuditContext:
    """What ``record_read`` reads from a request context."""

    def __init__(self, session: Session, user: Principal, request: Request) -> None:
        self.session = session
        self.user = user
        self.request = request
        self.in_mutation = False
        self.audit_note = None
        self.host = request.app.state.deployment.host
        self.settings = request.app.state.deployment.settings
        self.cache: dict[str, Any] = {}


def _unit(session: Session, request: Request, principal: Principal) -> OrgUnit:
    try:
        pk = decode_pk(request.query_params.get("unit", ""), "OrgUnit", field="unit")
    except UserInputError as error:
        raise _Refusal(400, "INVALID_ID", error.errors[0].message) from None
    unit = session.get(OrgUnit, pk)
    if unit is None:
        raise _Refusal(404, "NOT_FOUND", "没有这个组织单位。")
    if not principal.reaches(VIEW.code, unit.path):
        raise _Refusal(403, "FORBIDDEN", f"无权导出“{unit.name}”的党建数据（需要 {VIEW.code}）。")
    return unit


def _year(request: Request) -> int:
    raw = request.query_params.get("year") or str(local_today().year)
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise _Refusal(400, "INVALID_YEAR", "year 应为四位年份。")
    return int(raw)


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


def meeting_compliance_export(request: Request) -> Response:
    deployment = request.app.state.deployment
    with deployment.session_factory() as session:
        try:
            principal = principal_from_authorization(session, request.headers.get("authorization"))
            if principal is None:
                raise _Refusal(401, "UNAUTHENTICATED", "请先登录（Authorization: Bearer 会话令牌）。")
            unit = _unit(session, request, principal)
            year = _year(request)
            workbook = compliance_workbook(session, principal, unit, year)
            record_read(
                _AuditContext(session, principal, request),
                action="export:party_building.meeting_compliance",
                object_type="OrgUnit",
                object_id=unit.id,
                org_unit_id=unit.id,
                purpose="导出三会一课落实情况",
                detail={"year": year},
            )
            session.commit()
        except _Refusal as error:
            headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if error.status == 401 else None
            return JSONResponse({"code": error.code, "message": error.message}, status_code=error.status, headers=headers)
    buffer = BytesIO()
    workbook.save(buffer)
    filename = f"{unit.name}{year}年三会一课落实情况.xlsx"
    disposition = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return Response(buffer.getvalue(), media_type=XLSX, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


ROUTES = [Route("/party_building/export/meeting-compliance.xlsx", meeting_compliance_export, methods=["GET"])]
