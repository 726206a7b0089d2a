"""Spreadsheet downloads (``.xlsx``) that offices hand in, served next to
GraphQL with the same sign-in, scope, plugin activation and audit.

A plugin declares one with ``download_route`` and registers it through
``register_routes``::

    download_route(
        "/mediation/export/cases.xlsx",
        build_cases,                       # (Download) -> (Workbook, file name)
        permission="mediation.view",
        plugin="mediation",
        action="mediation.cases",
    )

Every download is ``GET <path>?unit=<OrgUnit id>&…``: the caller sends the
session token (``Authorization: Bearer …``) and needs ``permission`` at the
unit, where ``plugin`` must be active. Refusals are JSON ``{code, message}``
with Chinese messages: 401 without a valid session, 400 for a malformed
parameter (or a ``UserInputError`` from the builder), 404 for an unknown
unit, 403 outside the caller's scope or where the plugin is switched off.
A download that succeeds is written to the audit trail as a read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core.api.errors import UserInputError
from core.audit.service import record_read
from core.auth.permissions import Principal
from core.auth.permissions import registry_for as permissions_registry_for
from core.auth.service import principal_from_authorization
from core.org.models import OrgUnit
from core.org.refs import UnitRefError, find_unit_by_ref
from core.plugin_host import plugin_title
from core.policy.service import is_plugin_active
from core.spreadsheets.layout import sign_prepared_by

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUERY_AUDIT_LENGTH = 200


class DownloadRefused(Exception):
    """Ends a download with an HTTP status and a JSON ``{code, message}``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass
class Download:
    """What a builder gets: the signed-in caller, the unit (checked) and the request."""

    session: Session
    principal: Principal
    unit: OrgUnit
    request: Request

    def param(self, name: str) -> str | None:
        value = self.request.query_params.get(name)
        return value.strip() if value and value.strip() else None

    def date_param(self, name: str, default: date) -> date:
        raw = self.param(name)
        if raw is None:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise DownloadRefused(400, "INVALID_DATE", f"参数 {name} 应为日期 YYYY-MM-DD。") from None

    def int_param(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = self.param(name)
        if raw is None:
            return default
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            raise DownloadRefused(400, "INVALID_VALUE", f"参数 {name} 应为 {low} 到 {high} 之间的整数。")
        return int(raw)

    def date_range(self, default_start: date, default_end: date) -> tuple[date, date]:
        """``from`` and ``to`` (inclusive), refused when reversed."""
        start, end = self.date_param("from", default_start), self.date_param("to", default_end)
        if end < start:
            raise DownloadRefused(400, "INVALID_RANGE", "结束日期不能早于开始日期。")
        return start, end


Builder = Callable[[Download], tuple[Workbook, str]]


class _AuditContext:
    """The parts of a request context that ``record_read`` reads."""

    def __init__(self, session: Session, user: Principal, request: Request) -> None:
        self.session = session
        self.user = user
        self.request = request
        self.in_mutation = False
        self.audit_note = None
        self.host = request.app.state.deployment.host
        self.settings = request.app.state.deployment.settings
        self.cache: dict[str, Any] = {}


def _refusal_response(refused: DownloadRefused) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if refused.status == 401 else None
    return JSONResponse({"code": refused.code, "message": refused.message}, status_code=refused.status, headers=headers)


def workbook_response(workbook: Workbook, filename: str) -> Response:
    """The workbook as an attachment named ``filename`` (Chinese names kept, RFC 6266)."""
    buffer = BytesIO()
    workbook.save(buffer)
    disposition = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        buffer.getvalue(), media_type=XLSX, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"}
    )


def _unit(session: Session, request: Request, principal: Principal, permission: str, plugin: str | None) -> OrgUnit:
    raw = request.query_params.get("unit", "")
    if not raw:
        raise DownloadRefused(400, "REQUIRED", "请用参数 unit 指定组织单位（全局 ID 或区划代码）。")
    try:
        unit = find_unit_by_ref(session, raw)
    except UnitRefError as error:
        # The organization tree is public: an unknown unit is plainly 404, one out of scope 403.
        raise DownloadRefused(404 if error.code == "NOT_FOUND" else 400, error.code, error.message) from None
    if not principal.reaches(permission, unit.path):
        what = permissions_registry_for(request.app.state.deployment.host).description(permission)
        raise DownloadRefused(403, "FORBIDDEN", f"无权导出“{unit.name}”的数据（需要“{what}”权限）。")
    if plugin is not None and not is_plugin_active(session, unit, plugin):
        title = plugin_title(request.app.state.deployment.host, plugin)
        raise DownloadRefused(403, "PLUGIN_NOT_ACTIVE", f"“{title}”模块在“{unit.name}”未启用。")
    return unit


def download_route(path: str, build: Builder, *, permission: str, plugin: str | None, action: str) -> Route:
    """A ``GET`` route serving the workbook ``build`` makes; see the module docstring."""

    def endpoint(request: Request) -> Response:
        deployment = request.app.state.deployment
        with deployment.write_session_factory() as session:
            try:
                principal = principal_from_authorization(session, request.headers.get("authorization"))
                if principal is None:
                    raise DownloadRefused(401, "UNAUTHENTICATED", "请先登录（Authorization: Bearer 会话令牌）。")
                unit = _unit(session, request, principal, permission, plugin)
                try:
                    workbook, filename = build(
                        Download(session=session, principal=principal, unit=unit, request=request)
                    )
                except UserInputError as error:
                    first = error.errors[0]
                    raise DownloadRefused(400, first.code, first.message) from None
                sign_prepared_by(workbook, principal.display_name)
                record_read(
                    _AuditContext(session, principal, request),
                    action=f"export:{action}",
                    object_type="OrgUnit",
                    object_id=unit.id,
                    org_unit_id=unit.id,
                    purpose="导出报表",
                    detail={"query": str(request.query_params)[:QUERY_AUDIT_LENGTH]},
                )
                session.commit()
            except DownloadRefused as refused:
                return _refusal_response(refused)
        return workbook_response(workbook, filename)

    return Route(path, endpoint, methods=["GET"], name=f"download:{action}")
