"""Locality presets: TOML files of policy values taken from one locality's
documents (``config/localities/*.toml``), applied to an org unit at once.

A preset looks like::

    title = "吉林市"
    description = "……"
    sources = ["001 吉林市……"]

    [[values]]
    key = "org.grid.max_households"
    value = 300
    source = "001：社区要按300户划定工作网格（责任区）"

Applying a preset sets every key this deployment declares. A key whose
plugin is not enabled (or not installed) is reported and skipped, so one
preset serves deployments with different plugins; an undeclared key in the
namespace of core or of an enabled plugin is an error, as is a value the key
does not accept. Nothing is written unless every key can be applied.
Re-applying is harmless: values already recorded for the same unit and date
are left alone.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.demo.progress import Progress
from core.org.models import OrgUnit
from core.policy import service
from core.policy.models import PolicyValue
from core.policy.registry import PolicyRegistry

PRESET_DIR_NAME = "localities"
# The presets shipped with the source tree.
BUILTIN_PRESET_DIR = Path(__file__).resolve().parent.parent.parent / "config" / PRESET_DIR_NAME

# "requirements" and "forms" are read by core.admission.presets (work admission, report forms).
_TOP_FIELDS = {"title", "description", "sources", "values", "requirements", "forms"}
_VALUE_FIELDS = {"key", "value", "source"}


class PresetError(ValueError):
    """A preset file cannot be found or read."""


@dataclass(frozen=True)
class PresetEntry:
    key: str
    value: Any
    source: str = ""


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    description: str
    sources: tuple[str, ...]
    entries: tuple[PresetEntry, ...]
    path: Path | None = None


def preset_dirs(config_path: str | Path | None = None) -> list[Path]:
    """Where presets are looked up: next to the deployment's config file, then the built-in ones."""
    dirs = []
    if config_path:
        dirs.append(Path(config_path).resolve().parent / PRESET_DIR_NAME)
    dirs.append(BUILTIN_PRESET_DIR)
    return list(dict.fromkeys(dirs))


def available_presets(config_path: str | Path | None = None) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for directory in preset_dirs(config_path):
        if directory.is_dir():
            for path in sorted(directory.glob("*.toml")):
                found.setdefault(path.stem, path)
    return found


def find_preset(name_or_path: str, config_path: str | Path | None = None) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.is_file():
        return candidate
    presets = available_presets(config_path)
    if name_or_path in presets:
        return presets[name_or_path]
    known = "、".join(sorted(presets)) or "无"
    raise PresetError(f"找不到地方预设“{name_or_path}”。可用的预设：{known}；也可给出 .toml 文件路径。")


def load_preset(path: Path) -> Preset:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PresetError(f"无法读取预设 {path}：{exc}") from exc
    where = f"预设 {path.name}"
    unknown = set(data) - _TOP_FIELDS
    if unknown:
        raise PresetError(f"{where} 含有未知字段：{', '.join(sorted(unknown))}")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PresetError(f"{where} 缺少 title（地方名称）")
    values = data.get("values", [])
    if not isinstance(values, list) or not all(isinstance(v, Mapping) for v in values):
        raise PresetError(f"{where}：values 须为 [[values]] 表的数组")
    entries: list[PresetEntry] = []
    seen: set[str] = set()
    for number, item in enumerate(values, start=1):
        unknown = set(item) - _VALUE_FIELDS
        if unknown:
            raise PresetError(f"{where} 第 {number} 项含有未知字段：{', '.join(sorted(unknown))}")
        key = item.get("key")
        if not isinstance(key, str) or not key:
            raise PresetError(f"{where} 第 {number} 项缺少 key")
        if "value" not in item:
            raise PresetError(f"{where} 的 {key} 缺少 value")
        if key in seen:
            raise PresetError(f"{where} 中 {key} 出现了不止一次")
        seen.add(key)
        entries.append(PresetEntry(key=key, value=item["value"], source=str(item.get("source", ""))))
    sources = data.get("sources", [])
    return Preset(
        name=path.stem,
        title=title.strip(),
        description=str(data.get("description", "")).strip(),
        sources=tuple(str(s) for s in (sources if isinstance(sources, list) else [sources])),
        entries=tuple(entries),
        path=path,
    )


ItemStatus = Literal["set", "unchanged", "skipped", "error"]


@dataclass
class ApplyItem:
    key: str
    status: ItemStatus
    value: Any = None
    message: str = ""


@dataclass
class ApplyReport:
    preset: Preset
    unit: OrgUnit
    effective_from: date
    dry_run: bool
    items: list[ApplyItem] = field(default_factory=list)

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def ok(self) -> bool:
        return self.count("error") == 0


def apply_preset(
    session: Session,
    registry: PolicyRegistry,
    preset: Preset,
    unit: OrgUnit,
    *,
    effective_from: date,
    set_by: str,
    reason: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ApplyReport:
    """Apply ``preset`` to ``unit`` from ``effective_from``; see the module docstring.

    When the report has errors nothing was written.
    """
    progress = progress or Progress(quiet=True)
    report = ApplyReport(preset=preset, unit=unit, effective_from=effective_from, dry_run=dry_run)
    reason = (reason or "").strip() or f"应用地方预设“{preset.title}”（{preset.name}）"
    to_write: list[tuple[PresetEntry, Any]] = []

    progress.note(f"检查 {len(preset.entries)} 个策略项")
    for entry in preset.entries:
        status = registry.status(entry.key)
        if status == "plugin_not_enabled":
            report.items.append(
                ApplyItem(entry.key, "skipped", entry.value, f"插件 {registry.plugin_of(entry.key)} 已安装但未启用")
            )
        elif status == "plugin_not_installed":
            report.items.append(
                ApplyItem(entry.key, "skipped", entry.value, f"插件 {registry.plugin_of(entry.key)} 未安装")
            )
        elif status == "unknown":
            owner = registry.plugin_of(entry.key)
            report.items.append(
                ApplyItem(
                    entry.key,
                    "error",
                    entry.value,
                    f"{'核心' if owner == 'core' else f'插件 {owner} '}没有声明此策略项",
                )
            )
        else:
            declaration = registry.keys[entry.key]
            try:
                to_write.append((entry, declaration.parse(entry.value)))
            except UserInputError as exc:
                report.items.append(ApplyItem(entry.key, "error", entry.value, exc.errors[0].message))
    if unit.dissolved_on is not None and effective_from >= unit.dissolved_on:
        report.items.append(ApplyItem("", "error", None, f"“{unit.name}”已于 {unit.dissolved_on} 撤销"))
    if not report.ok:
        report.items.sort(key=_item_order)
        return report

    existing = {
        row.key: row.value
        for row in session.scalars(
            select(PolicyValue).where(
                PolicyValue.org_unit_id == unit.id,
                PolicyValue.key.in_([entry.key for entry, _ in to_write]),
                PolicyValue.effective_from == effective_from,
                PolicyValue.superseded_at.is_(None),
            )
        )
    }
    for done, (entry, value) in enumerate(to_write, start=1):
        declaration = registry.keys[entry.key]
        if existing.get(entry.key) == declaration.to_json(value):
            report.items.append(ApplyItem(entry.key, "unchanged", value, "同一生效日期已是此值"))
        else:
            if not dry_run:
                service.set_value(
                    session,
                    unit,
                    declaration,
                    value,
                    effective_from=effective_from,
                    set_by=set_by,
                    reason=f"{reason}；依据：{entry.source}" if entry.source else reason,
                )
            report.items.append(ApplyItem(entry.key, "set", value))
        progress.step("写入策略值", done, len(to_write))
    report.items.sort(key=_item_order)
    return report


def _item_order(item: ApplyItem) -> tuple[int, str]:
    return {"error": 0, "set": 1, "unchanged": 2, "skipped": 3}[item.status], item.key
