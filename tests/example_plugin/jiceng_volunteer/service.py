"""Rules for registering a volunteer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, UserInputError
from core.org import service as org_service
from jiceng_volunteer.models import NAME_LENGTH, Volunteer

# Mainland mobile (11 digits) or a landline with area code.
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")
MAX_SKILLS = 10
SKILL_LENGTH = 20


def register(
    session: Session,
    *,
    org_unit_id: int,
    name: str,
    phone: str | None,
    skills: Sequence[str],
    registered_on: date | None,
    today: date | None = None,
) -> Volunteer:
    today = today or date.today()
    name = name.strip()
    phone = (phone or "").strip() or None
    cleaned_skills = [s.strip() for s in skills if s.strip()]

    problems: list[ErrorDetail] = []
    if not name:
        problems.append(ErrorDetail("NAME_REQUIRED", "请填写志愿者姓名。", "name"))
    elif len(name) > NAME_LENGTH:
        problems.append(ErrorDetail("NAME_TOO_LONG", f"姓名不能超过 {NAME_LENGTH} 个字。", "name"))
    if phone is not None and not PHONE.match(phone):
        problems.append(ErrorDetail("INVALID_PHONE", "联系电话须为 11 位手机号或带区号的固定电话。", "phone"))
    if len(cleaned_skills) > MAX_SKILLS or any(len(s) > SKILL_LENGTH for s in cleaned_skills):
        problems.append(
            ErrorDetail("INVALID_SKILLS", f"特长最多 {MAX_SKILLS} 项，每项不超过 {SKILL_LENGTH} 个字。", "skills")
        )
    if registered_on is not None and registered_on > today:
        problems.append(ErrorDetail("REGISTERED_IN_FUTURE", "登记日期不能晚于今天。", "registeredOn"))
    if problems:
        raise UserInputError(errors=problems)

    unit = org_service.get_unit(session, org_unit_id, field="orgUnitId")
    if unit.dissolved_on is not None and unit.dissolved_on <= today:
        raise UserInputError("ORG_UNIT_DISSOLVED", "该组织单位已撤销，不能再登记志愿者。", "orgUnitId")

    volunteer = Volunteer(
        org_unit_id=unit.id,
        name=name,
        phone=phone,
        skills=list(dict.fromkeys(cleaned_skills)),
        registered_on=registered_on or today,
    )
    session.add(volunteer)
    session.flush()
    return volunteer
