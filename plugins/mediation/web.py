"""Excel exports an office hands in: the monthly 统计表 and the 个案登记表.

``GET /mediation/export/monthly-summary.xlsx?unit=<OrgUnit id>&month=YYYY-MM``
``GET /mediation/export/cases.xlsx?unit=<OrgUnit id>&from=YYYY-MM-DD&to=YYYY-MM-DD``

Both are ``core.api.downloads`` routes: a session token
(``Authorization: Bearer …``, as for GraphQL), ``mediation.view`` at the
unit, the plugin active there; every download is audited. The numbers come
from the same service calls the GraphQL fields use; sensitive values are
masked as in the API.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.downloads import Download, download_route
from core.auth.permissions import Principal
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.identity import mask_id_number
from core.policy.service import local_today
from core.spreadsheets.layout import (
    Column,
    columns,
    new_workbook,
    period_text,
    sheet_writer,
    table_sheet,
)
from plugins.mediation import declarations as d
from plugins.mediation import service
from plugins.mediation.models import DisputeCase, DisputeParty, FollowUpVisit
from plugins.mediation.schema import visible_cases
from plugins.mediation.sensitive import party_value

MAX_CASE_ROWS = 5000
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


def monthly_summary_workbook(session: Session, unit: OrgUnit, month: str) -> Workbook:
    period = service.month_period(month, field="month")
    figures = service.summary_figures(session, unit, period)
    workbook = new_workbook()
    writer = sheet_writer(
        workbook,
        "统计表",
        f"{unit.name}矛盾纠纷排查调处情况统计表",
        3,
        org_unit=unit.name,
        period=f"{period[0].year}年{period[0].month}月",
        notes=["零报告"] if figures.is_zero else (),
    )
    writer.table(
        columns("序号", "项目", "数量"),
        [
            [index, label, figures.figures.get(code, 0)]
            for index, (code, label) in enumerate(service.SUMMARY_ROWS, start=1)
        ],
    )
    writer.blank()
    writer.table(
        columns("序号", "新登记个案类别", Column("件数", total=True)),
        [
            [index, name, figures.by_category.get(code, 0)]
            for index, (code, name) in enumerate(d.CATEGORIES.items(), start=1)
        ],
        totals=True,
    )
    writer.finish()
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
        for party in session.scalars(
            select(DisputeParty).where(DisputeParty.case_id.in_(ids)).order_by(DisputeParty.id)
        ):
            parties.setdefault(party.case_id, []).append(party)
        for visit in session.scalars(
            select(FollowUpVisit).where(FollowUpVisit.case_id.in_(ids)).order_by(FollowUpVisit.due_on)
        ):
            visits.setdefault(visit.case_id, []).append(visit)
    unit_ids = {c.org_unit_id for c in cases} | {c.origin_unit_id for c in cases}
    names = {u.id: u.name for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))} if unit_ids else {}
    rows = []
    for index, case in enumerate(cases, start=1):
        people = []
        for party in parties.get(case.id, []):
            name = party_value(session, party, "name")
            id_number = mask_id_number(party_value(session, party, "id_number"))
            people.append(
                f"{d.PARTY_ROLES.get(party.role, party.role)}：{name or ''}" + (f"（{id_number}）" if id_number else "")
            )
        follow = "；".join(
            f"应于{v.due_on}回访"
            + (
                f"，{v.visited_on}已回访" + ("，协议履行" if v.agreement_kept else "，协议未履行")
                if v.visited_on
                else "，未回访"
            )
            for v in visits.get(case.id, [])
        )
        rows.append(
            [
                index,
                case.case_number,
                case.registered_on,
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
                case.resolved_on,
                case.closed_on,
                follow,
            ]
        )
    return rows


def cases_workbook(session: Session, principal: Principal, unit: OrgUnit, start: date, end: date) -> Workbook:
    workbook = new_workbook()
    table_sheet(
        workbook,
        "个案登记表",
        f"{unit.name}矛盾纠纷个案登记表",
        columns(*CASE_HEADERS),
        case_rows(session, principal, unit, start, end),
        org_unit=unit.name,
        period=period_text(start, end),
    )
    return workbook


def _monthly_summary(download: Download) -> tuple[Workbook, str]:
    month = download.param("month") or ""
    workbook = monthly_summary_workbook(download.session, download.unit, month)
    return workbook, f"{download.unit.name}矛盾纠纷统计表{month}.xlsx"


def _cases(download: Download) -> tuple[Workbook, str]:
    today = local_today()
    start, end = download.date_range(date(today.year, 1, 1), today)
    workbook = cases_workbook(download.session, download.principal, download.unit, start, end)
    return workbook, f"{download.unit.name}矛盾纠纷个案登记表.xlsx"


ROUTES = [
    download_route(
        "/mediation/export/monthly-summary.xlsx",
        _monthly_summary,
        permission=d.VIEW.code,
        plugin=d.PLUGIN,
        action="mediation.monthly_summary",
    ),
    download_route(
        "/mediation/export/cases.xlsx", _cases, permission=d.VIEW.code, plugin=d.PLUGIN, action="mediation.cases"
    ),
]
