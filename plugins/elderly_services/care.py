"""Home-based care (居家养老服务, seed 001): providers, residents enrolled in a
service with a provider, and the services delivered (day-care attendance is
a record of the day_care service, one a day)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.auth.permissions import require
from core.org.models import OrgUnit
from core.people.models import Resident
from core.people.service import age_on
from core.policy.service import require_plugin_active
from plugins.elderly_services.declarations import CARE, PLUGIN
from plugins.elderly_services.models import (
    CARE_SERVICES,
    CareEnrolment,
    CareProvider,
    CareServiceRecord,
)
from plugins.elderly_services.service import policy_at

NAME_LENGTH = 100
NOTE_LENGTH = 2000


def _active(session: Session, context: Any, unit_id: int, field: str) -> OrgUnit:
    return require_plugin_active(context if hasattr(context, "session") else session, unit_id, PLUGIN, field=field)


def add_provider(
    session: Session, context: Any, unit: OrgUnit, *, name: str, services: Sequence[str], phone: str | None
) -> CareProvider:
    require(context, CARE.code, unit)
    _active(session, context, unit.id, "orgUnitId")
    problems: list[ErrorDetail] = []
    clean = (name or "").strip()
    if not clean:
        problems.append(ErrorDetail("NAME_REQUIRED", "请填写服务商名称。", "name"))
    elif len(clean) > NAME_LENGTH:
        problems.append(ErrorDetail("NAME_TOO_LONG", f"服务商名称不能超过 {NAME_LENGTH} 字。", "name"))
    unknown = [s for s in services if s not in CARE_SERVICES]
    if unknown or not services:
        problems.append(
            ErrorDetail(
                "UNKNOWN_SERVICE",
                f"服务项目须为：{'、'.join(f'{k}（{v}）' for k, v in CARE_SERVICES.items())}。",
                "services",
            )
        )
    if problems:
        raise UserInputError(errors=problems)
    provider = CareProvider(
        org_unit_id=unit.id,
        org_path=unit.path,
        name=clean,
        services=",".join(dict.fromkeys(services)),
        phone=(phone or "").strip() or None,
    )
    session.add(provider)
    session.flush()
    return provider


def enrol(
    session: Session,
    context: Any,
    resident: Resident,
    provider: CareProvider,
    *,
    service: str,
    enrolled_from: date,
    enrolled_until: date | None,
) -> CareEnrolment:
    require(context, CARE.code, resident.org_path)
    unit = _active(session, context, resident.org_unit_id, "residentId")
    problems: list[ErrorDetail] = []
    if service not in CARE_SERVICES:
        problems.append(ErrorDetail("UNKNOWN_SERVICE", "未知的居家养老服务项目。", "service"))
    elif service not in provider.services.split(","):
        problems.append(
            ErrorDetail("PROVIDER_DOES_NOT_OFFER", f"该服务商不提供“{CARE_SERVICES[service]}”。", "service")
        )
    if enrolled_until is not None and enrolled_until < enrolled_from:
        problems.append(ErrorDetail("INVALID_DATES", "截止日期不能早于起始日期。", "enrolledUntil"))
    policy = policy_at(session, unit, enrolled_from)
    if resident.birth_date is None or age_on(resident.birth_date, enrolled_from) < policy.first_age:
        problems.append(ErrorDetail("NOT_ELDERLY", f"居家养老服务对象须年满 {policy.first_age} 周岁。", "residentId"))
    if problems:
        raise UserInputError(errors=problems)
    overlapping = session.scalar(
        select(CareEnrolment.id).where(
            CareEnrolment.resident_id == resident.id,
            CareEnrolment.service == service,
            or_(CareEnrolment.enrolled_until.is_(None), CareEnrolment.enrolled_until >= enrolled_from),
            *([CareEnrolment.enrolled_from <= enrolled_until] if enrolled_until is not None else []),
        )
    )
    if overlapping is not None:
        raise UserInputError("ALREADY_ENROLLED", "该居民在这段时间已登记此项服务。", "service")
    enrolment = CareEnrolment(
        resident_id=resident.id,
        org_unit_id=resident.org_unit_id,
        org_path=resident.org_path,
        provider_id=provider.id,
        service=service,
        enrolled_from=enrolled_from,
        enrolled_until=enrolled_until,
    )
    session.add(enrolment)
    session.flush()
    return enrolment


def record_service(
    session: Session,
    context: Any,
    enrolment: CareEnrolment,
    *,
    served_on: date,
    note: str | None,
    user_id: int,
    today: date,
) -> CareServiceRecord:
    require(context, CARE.code, enrolment.org_path)
    _active(session, context, enrolment.org_unit_id, "enrolmentId")
    problems: list[ErrorDetail] = []
    if served_on > today:
        problems.append(ErrorDetail("SERVED_IN_FUTURE", "服务日期不能晚于今天。", "servedOn"))
    if served_on < enrolment.enrolled_from or (
        enrolment.enrolled_until is not None and served_on > enrolment.enrolled_until
    ):
        problems.append(ErrorDetail("OUTSIDE_ENROLMENT", "服务日期不在该服务的起止日期内。", "servedOn"))
    clean = (note or "").strip() or None
    if clean is not None and len(clean) > NOTE_LENGTH:
        problems.append(ErrorDetail("NOTE_TOO_LONG", f"服务说明不能超过 {NOTE_LENGTH} 字。", "note"))
    if problems:
        raise UserInputError(errors=problems)
    if enrolment.service == "day_care" and session.scalar(
        select(CareServiceRecord.id).where(
            CareServiceRecord.enrolment_id == enrolment.id, CareServiceRecord.served_on == served_on
        )
    ):
        raise UserInputError("ALREADY_RECORDED", "该居民当日的日间照料出勤已登记。", "servedOn")
    record = CareServiceRecord(
        enrolment_id=enrolment.id,
        org_unit_id=enrolment.org_unit_id,
        org_path=enrolment.org_path,
        served_on=served_on,
        note=clean,
        recorded_by_id=user_id,
    )
    session.add(record)
    session.flush()
    return record
