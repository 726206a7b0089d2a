"""Requirements and report forms from a locality preset
(``config/localities/<name>.toml``: ``[[requirements]]`` and ``[[forms]]``).

A preset's requirements are the written admissions of the built-in plugins'
obligations; they are recorded as approved at the level
``admission.approval_level`` names (the preset is the approval on file).
Subjects of plugins that are not enabled, and forms whose indicators no
enabled plugin declares, are skipped and reported. Applying twice adds
nothing: a requirement with the same title for the same unit, or a form with
the same code, is left alone.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.admission import service
from core.admission.models import Requirement
from core.org.models import OrgUnit
from core.plugin_host import PluginHost
from core.policy.presets import PresetError, find_preset
from core.settings import settings_of


@dataclass
class AdmissionPresetResult:
    requirements: int = 0
    forms: int = 0
    skipped: list[str] = field(default_factory=list)


def _read(name_or_path: str | Path) -> dict[str, Any]:
    path = Path(name_or_path) if isinstance(name_or_path, Path) else find_preset(name_or_path)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PresetError(f"无法读取预设 {path}：{exc}") from exc


def apply_admission_preset(
    session: Session,
    host: PluginHost,
    unit: OrgUnit,
    name_or_path: str | Path,
    on: date,
    *,
    valid_from: date | None = None,
) -> AdmissionPresetResult:
    """Record the preset's requirements for ``unit``'s subtree (valid from
    ``valid_from``, default ``on``) and define its forms, owed from the period of ``on``."""
    from core.indicators import forms
    from core.indicators.registry import registry_for as indicators_for
    from core.reporting.obligations import registry_for as obligations_for

    data = _read(name_or_path)
    settings = settings_of(session)
    declared = obligations_for(host)
    indicators = indicators_for(host)
    result = AdmissionPresetResult()
    by_key: dict[str, Requirement] = {}
    for item in data.get("requirements", []):
        title = str(item["title"])
        existing = session.scalars(
            select(Requirement).where(Requirement.org_unit_id == unit.id, Requirement.title == title)
        ).first()
        subjects = [
            code
            for code in item.get("subjects", [])
            if service.subject_kind(code) != "obligation_type" or declared.get(code)
        ]
        result.skipped += [
            f"{title}：{code}（模块未启用）" for code in item.get("subjects", []) if code not in subjects
        ]
        if existing is not None:
            by_key[str(item.get("key", title))] = existing
            continue
        requirement = service.register(
            session,
            None,
            unit,
            service.RequirementInput(
                issuer=item["issuer"],
                title=title,
                content=item["content"],
                authority=item["authority"],
                staff=item["staff"],
                funds_note=item["funds_note"],
                funds_yuan=int(item.get("funds_yuan", 0)),
                valid_from=valid_from or on,
                levels=settings.level_codes(item.get("levels", [])),
                cadence=item.get("cadence"),
                subjects=subjects,
            ),
            host=host,
        )
        service.approve(session, None, requirement, today=on)
        by_key[str(item.get("key", title))] = requirement
        result.requirements += 1
    for item in data.get("forms", []):
        code = str(item["code"])
        basis = by_key.get(str(item["requirement"]))
        missing = [
            f["indicator"]
            for f in item.get("fields", [])
            if "indicator" in f and indicators.get(f["indicator"]) is None
        ]
        if basis is None or missing:
            result.skipped.append(f"报表 {item['name']}：缺少指标 {', '.join(missing) or '或准入事项'}")
            continue
        from core.indicators.models import ReportForm

        if session.scalar(select(ReportForm.id).where(ReportForm.org_unit_id == unit.id, ReportForm.code == code)):
            continue
        fields = [
            forms.FieldInput(
                code=f["code"],
                label=f["label"],
                indicator_code=f.get("indicator"),
                value_type=f.get("manual", "int"),
                required=bool(f.get("required", True)),
                min_value=Decimal(str(f["min"])) if "min" in f else None,
                max_value=Decimal(str(f["max"])) if "max" in f else None,
            )
            for f in item.get("fields", [])
        ]
        forms.define(
            session,
            None,
            unit,
            basis,
            forms.FormInput(
                code=code,
                name=item["name"],
                levels=settings.level_codes(item.get("levels", [])),
                recurrence=item.get("recurrence", "monthly"),
                due_day=int(item.get("due_day", 5)),
                fields=fields,
            ),
            indicators=indicators,
            host=host,
            today=on,
        )
        result.forms += 1
    return result
