"""Excel exports an office hands in: the monthly 统计表 and the 个案登记表.

``GET /mediation/export/monthly-summary.xlsx?unit=<OrgUnit id>&month=YYYY-MM``
``GET /mediation/export/cases.xlsx?unit=<OrgUnit id>&from=YYYY-MM-DD&to=YYYY-MM-DD``

Both need a session token (``Authorization: Bearer …``, as for GraphQL) and
``mediation.view`` at the unit. The numbers come from the same service
calls the GraphQL fields use; sensitive values are masked as in the API.
Every export is audited as a read.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.api.errors import UserInputError
from core.api.relay import decode_pk
from core.audit.service import record_read
from core.auth.permissions import Principal
from core.auth.service import principal_from_authorization
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.identity import mask_id_number
from core.policy.service import local_today
from plugins.mediation import declarations as d
from plugins.mediation import service
from plugins.mediation.models import DisputeCase, DisputeParty, FollowUpVisit
from plugins.mediation.schema import visible_cases
from plugins.mediation.sensitive import party_value

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CASE_ROWS = 5000
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CASE_HEADERS = (
    "序号",
    "案号",
    "登记日期",
    "登记单位",
    "承办单位",
    "案由",
    "纠纷类别",
    "来源",
    "风险等级",
    "紧急情形",
    "当事人",
    "调解方式",
    "调解员",
    "状态",
    "调处结果",
    "调结日期",
    "结案日期",
    "回访情况",
)


class _Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        self.status, self.code, self.message = status, code, message


def _refuse(error: _Refusal) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if error.status == 401 else None
    return JSONResponse({"code": error.code, "message": error.message}, status_code=error.status, headers=headers)


def _principal(session: Session, request: Request) -> Principal:
    principal = principal_from_authorization(session, request.headers.get("authorization"))
    if principal is None:
        raise _Refusal(401, "UNAUTHENTICATED", "请先登录（Authorization: Bearer 会话令牌）。")
    return principal


def _unit(session: Session, request: Request, principal: Principal) -> OrgUnit:
    ref = request.query_params.get("unit", "")
    try:
        pk = decode_pk(ref, "OrgUnit", field="unit")
    except UserInputError as error:
        raise _Refusal(400, "INVALID_ID", error.errors[0].message) from None
    unit = session.get(OrgUnit, pk)
    if unit is None:
        raise _Refusal(404, "NOT_FOUND", "没有这个组织单位。")
    if not principal.reaches(d.VIEW.code, unit.path):
        raise _Refusal(403, "FORBIDDEN", f"无权导出“{unit.name}”的矛盾纠纷数据（需要 mediation.view）。")
    return unit


def _workbook_response(workbook: Workbook, filename: str) -> Response:
    buffer = BytesIO()
    workbook.save(buffer)
    disposition = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return Response(buffer.getvalue(), media_type=XLSX, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def _title(sheet: Any, text: str, width: int) -> None:
    sheet.append([text])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    cell = sheet.cell(row=sheet.max_row, column=1)
    cell.font = Font(size=16, bold=True)
    cell.alignment = Alignment(horizontal="center")


def _boxed(sheet: Any, values: list[Any], *, bold: bool = False) -> None:
    sheet.append(values)
    for column in range(1, len(values) + 1):
        cell = sheet.cell(row=sheet.max_row, column=column)
        cell.border = BOX
        if bold:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")


def _audit(session: Session, principal: Principal, request: Request, unit: OrgUnit, what: str) -> None:
    record_read(
        _AuditContext(session, principal, request),
        action=f"export:{what}",
        object_type="OrgUnit",
        object_id=unit.id,
        org_unit_id=unit.id,
        purpose="导出报表",
        detail={"query": str(request.query_params)[:200]},
    )


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


def monthly_summary_workbook(session: Session, unit: OrgUnit, month: str) -> Workbook:
    period = service.month_period(month, field="month")
    figures = service.summary_figures(session, unit, period)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "统计表"
    _title(sheet, f"{unit.name}矛盾纠纷排查调处情况统计表", 3)
    sheet.append([f"统计月份：{period[0].year}年{period[0].month}月", None, f"填报日期：{local_today().isoformat()}"])
    sheet.append([f"填报单位：{unit.name}", None, "零报告" if figures.is_zero else ""])
    _boxed(sheet, ["序号", "项目", "数量"], bold=True)
    for index, (code, label) in enumerate(service.SUMMARY_ROWS, start=1):
        _boxed(sheet, [index, label, figures.figures.get(code, 0)])
    sheet.append([])
    _boxed(sheet, ["序号", "新登记个案类别", "件数"], bold=True)
    for index, (code, name) in enumerate(d.CATEGORIES.items(), start=1):
        _boxed(sheet, [index, name, figures.by_category.get(code, 0)])
    sheet.append([])
    sheet.append(["填表人：", None, "审核人（负责人）："])
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 20
    return workbook


def case_rows(session: Session, principal: Principal, unit: OrgUnit, start: date, end: date) -> list[list[Any]]:
    cases = list(
        session.scalars(
            visible_cases(principal)
            .where(
                service.origin_in(unit) | in_subtree(DisputeCase.org_path, unit.path),
                DisputeCase.registered_on >= start,
                DisputeCase.registered_on <= end,
            )
            .order_by(DisputeCase.registered_on, DisputeCase.id)
            .limit(MAX_CASE_ROWS)
        )
    )
    ids = [c.id for c in cases]
    parties: dict[int, list[DisputeParty]] = {}
    visits: dict[int, list[FollowUpVisit]] = {}
    if ids:
        for party in session.scalars(select(DisputeParty).where(DisputeParty.case_id.in_(ids)).order_by(DisputeParty.id)):
            parties.setdefault(party.case_id, []).append(party)
        for visit in session.scalars(select(FollowUpVisit).where(FollowUpVisit.case_id.in_(ids)).order_by(FollowUpVisit.due_on)):
            visits.setdefault(visit.case_id, []).append(visit)
    unit_ids = {c.org_unit_id for c in cases} | {c.origin_unit_id for c in cases}
    names = {u.id: u.name for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))} if unit_ids else {}
    rows = []
    for index, case in enumerate(cases, start=1):
        people = []
        for party in parties.get(case.id, []):
            name = party_value(session, party, "name")
            id_number = mask_id_number(party_value(session, party, "id_number"))
            people.append(f"{d.PARTY_ROLES.get(party.role, party.role)}：{name or ''}" + (f"（{id_number}）" if id_number else ""))
        follow = "；".join(
            f"应于{v.due_on}回访" + (f"，{v.visited_on}已回访" + ("，协议履行" if v.agreement_kept else "，协议未履行") if v.visited_on else "，未回访")
            for v in visits.get(case.id, [])
        )
        rows.append(
            [
                index,
                case.case_number,
                case.registered_on.isoformat(),
                names.get(case.origin_unit_id, ""),
                names.get(case.org_unit_id, ""),
                case.title,
                d.CATEGORIES.get(case.category, case.category),
                d.SOURCES.get(case.source, case.source),
                d.RISK_LEVELS.get(case.risk_level, case.risk_level),
                d.EMERGENCIES.get(case.emergency, "") if case.emergency else "",
                "\n".join(people),
                d.MEDIATION_TYPES.get(case.mediation_type, "") if case.mediation_type else "",
                "、".join(case.mediators or []),
                d.CASE_STATUSES.get(case.status, case.status),
                d.OUTCOMES.get(case.outcome, "") if case.outcome else "",
                case.resolved_on.isoformat() if case.resolved_on else "",
                case.closed_on.isoformat() if case.closed_on else "",
                follow,
            ]
        )
    return rows


def cases_workbook(session: Session, principal: Principal, unit: OrgUnit, start: date, end: date) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "个案登记表"
    _title(sheet, f"{unit.name}矛盾纠纷个案登记表", len(CASE_HEADERS))
    sheet.append([f"登记期间：{start.isoformat()} 至 {end.isoformat()}"])
    _boxed(sheet, list(CASE_HEADERS), bold=True)
    for row in case_rows(session, principal, unit, start, end):
        _boxed(sheet, row)
    for column, width in enumerate((6, 18, 12, 14, 14, 24, 14, 10, 10, 16, 36, 10, 14, 12, 14, 12, 12, 30), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return workbook


def _date_param(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise _Refusal(400, "INVALID_DATE", f"{name} 应为 YYYY-MM-DD。") from None


def monthly_summary_export(request: Request) -> Response:
    deployment = request.app.state.deployment
    with deployment.session_factory() as session:
        try:
            principal = _principal(session, request)
            unit = _unit(session, request, principal)
            month = request.query_params.get("month", "")
            try:
                workbook = monthly_summary_workbook(session, unit, month)
            except UserInputError as error:
                raise _Refusal(400, error.errors[0].code, error.errors[0].message) from None
            _audit(session, principal, request, unit, "mediation.monthly_summary")
            session.commit()
        except _Refusal as error:
            return _refuse(error)
    return _workbook_response(workbook, f"{unit.name}矛盾纠纷统计表{month}.xlsx")


def cases_export(request: Request) -> Response:
    deployment = request.app.state.deployment
    with deployment.session_factory() as session:
        try:
            principal = _principal(session, request)
            unit = _unit(session, request, principal)
            today = local_today()
            start = _date_param(request, "from", date(today.year, 1, 1))
            end = _date_param(request, "to", today)
            if end < start:
                raise _Refusal(400, "INVALID_RANGE", "结束日期不能早于开始日期。")
            workbook = cases_workbook(session, principal, unit, start, end)
            _audit(session, principal, request, unit, "mediation.cases")
            session.commit()
        except _Refusal as error:
            return _refuse(error)
    return _workbook_response(workbook, f"{unit.name}矛盾纠纷个案登记表.xlsx")


ROUTES = [
    Route("/mediation/export/monthly-summary.xlsx", monthly_summary_export, methods=["GET"]),
    Route("/mediation/export/cases.xlsx", cases_export, methods=["GET"]),
]
