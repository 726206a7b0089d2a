"""Rules of the organization tree: creating, renaming and moving units, and
the index-backed subtree and ancestor queries every module uses."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    Table,
    and_,
    func,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, NotFoundError, UserInputError
from core.db import Base
from core.org.models import OrgUnit, OrgUnitMove
from core.settings import Settings

DIVISION_CODE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")
MAX_NAME_LENGTH = 100


def subtree_bounds(path: str) -> tuple[str, str]:
    """The half-open range of paths under (and including) ``path``.

    '0' is the character right after '/', so every path that starts with
    ``/1/5/`` sorts before ``/1/50``.
    """
    return path, path[:-1] + "0"


def in_subtree(path_column: SQLColumnExpression[str | None], path: str) -> ColumnElement[bool]:
    low, high = subtree_bounds(path)
    return and_(path_column >= low, path_column < high)


def subtree_statement(unit: OrgUnit, *, level: str | None = None, include_self: bool = True) -> Select[OrgUnit]:
    statement = select(OrgUnit).where(in_subtree(OrgUnit.path, unit.path))
    if not include_self:
        statement = statement.where(OrgUnit.id != unit.id)
    if level is not None:
        statement = statement.where(OrgUnit.level == level)
    return statement


def ancestors(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """Root first, parent last: one indexed query."""
    ids = unit.ancestor_ids
    if not ids:
        return []
    found = {u.id: u for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


@dataclass(frozen=True)
class LevelCount:
    level: str
    count: int


def subtree_counts(session: Session, settings: Settings, unit: OrgUnit) -> list[LevelCount]:
    """How many units of each level lie under ``unit`` (itself excluded),
    top level first; levels no longer configured come last."""
    rows = session.execute(
        select(OrgUnit.level, func.count())
        .where(in_subtree(OrgUnit.path, unit.path), OrgUnit.id != unit.id)
        .group_by(OrgUnit.level)
    )
    counts = [LevelCount(level=level, count=count) for level, count in rows]
    unranked = len(settings.org_levels)

    def rank(count: LevelCount) -> tuple[int, str]:
        found = settings.level_rank(count.level)
        return (unranked if found is None else found, count.level)

    return sorted(counts, key=rank)


def get_unit(session: Session, unit_id: int, *, field: str = "id") -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFoundError("组织单位", field)
    return unit


def _check_fields(
    settings: Settings,
    *,
    name: str | None,
    level: str | None,
    division_code: str | None,
) -> list[ErrorDetail]:
    problems: list[ErrorDetail] = []
    if name is not None and not name.strip():
        problems.append(ErrorDetail("REQUIRED", "名称不能为空。", "name"))
    if name is not None and len(name.strip()) > MAX_NAME_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"名称不能超过 {MAX_NAME_LENGTH} 个字。", "name"))
    if level is not None and settings.level_rank(level) is None:
        known = "、".join(f"{lv.code}（{lv.name}）" for lv in settings.org_levels)
        problems.append(ErrorDetail("UNKNOWN_LEVEL", f"未知的层级“{level}”，可用层级：{known}。", "level"))
    if division_code and not DIVISION_CODE.match(division_code):
        problems.append(
            ErrorDetail(
                "INVALID_DIVISION_CODE", "区划代码须为 6 位（GB/T 2260）、9 位或 12 位统计用区划代码。", "divisionCode"
            )
        )
    return problems


def _check_level_below(settings: Settings, parent: OrgUnit | None, level: str, field: str) -> None:
    if parent is None:
        return
    parent_rank = settings.level_rank(parent.level)
    own_rank = settings.level_rank(level)
    if parent_rank is not None and own_rank is not None and own_rank <= parent_rank:
        raise UserInputError(
            "LEVEL_NOT_BELOW_PARENT",
            f"“{settings.level_name(level)}”不能设在“{settings.level_name(parent.level)}”之下。",
            field,
        )


def create_unit(
    session: Session,
    settings: Settings,
    *,
    name: str,
    level: str,
    parent_id: int | None,
    division_code: str | None = None,
    established_on: date | None = None,
) -> OrgUnit:
    """A new unit under ``parent_id``. ``established_on`` None records a unit
    whose founding date is unknown (a tree imported as it stands): it owes
    every reporting period. The API gives a unit created there the day of
    creation instead, so that it owes nothing from before it existed."""
    problems = _check_fields(settings, name=name, level=level, division_code=division_code)
    if problems:
        raise UserInputError(errors=problems)
    parent = get_unit(session, parent_id, field="parentId") if parent_id is not None else None
    _check_level_below(settings, parent, level, "level")
    if parent is not None and parent.dissolved_on is not None:
        raise UserInputError("PARENT_DISSOLVED", "上级单位已撤销，不能再设下级。", "parentId")
    unit = OrgUnit(
        name=name.strip(),
        level=level,
        parent_id=parent.id if parent else None,
        division_code=division_code or None,
        # A unique placeholder until the id is known.
        path=f"/new-{uuid.uuid4().hex}/",
        depth=parent.depth + 1 if parent else 0,
        established_on=established_on,
    )
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    session.flush()
    return unit


def update_unit(
    session: Session,
    settings: Settings,
    unit: OrgUnit,
    *,
    name: str | None = None,
    division_code: str | None = None,
    established_on: date | None = None,
    dissolved_on: date | None = None,
) -> OrgUnit:
    problems = _check_fields(settings, name=name, level=None, division_code=division_code)
    established = established_on or unit.established_on
    dissolved = dissolved_on or unit.dissolved_on
    if established and dissolved and dissolved < established:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "撤销日期不能早于设立日期。", "dissolvedOn"))
    if problems:
        raise UserInputError(errors=problems)
    if name is not None:
        unit.name = name.strip()
    if division_code is not None:
        unit.division_code = division_code or None
    if established_on is not None:
        unit.established_on = established_on
    if dissolved_on is not None:
        unit.dissolved_on = dissolved_on
    session.flush()
    return unit


def move_unit(
    session: Session,
    settings: Settings,
    unit: OrgUnit,
    new_parent: OrgUnit,
    *,
    reason: str,
    effective_on: date,
) -> OrgUnitMove:
    """Re-zone ``unit`` and everything under it to ``new_parent``."""
    if not reason.strip():
        raise UserInputError("REQUIRED", "请填写调整原因（如区划调整文件号）。", "reason")
    if new_parent.id == unit.parent_id:
        raise UserInputError("ALREADY_THERE", "该单位已在此上级之下。", "newParentId")
    low, high = subtree_bounds(unit.path)
    if low <= new_parent.path < high:
        raise UserInputError("MOVE_INTO_OWN_SUBTREE", "不能把单位移到它自己的下级之下。", "newParentId")
    _check_level_below(settings, new_parent, unit.level, "newParentId")
    if new_parent.dissolved_on is not None:
        raise UserInputError("PARENT_DISSOLVED", "目标上级已撤销。", "newParentId")

    old_parent = session.get(OrgUnit, unit.parent_id) if unit.parent_id else None
    old_path = unit.path
    new_path = f"{new_parent.path}{unit.id}/"
    depth_change = new_parent.depth + 1 - unit.depth
    move = OrgUnitMove(
        org_unit_id=unit.id,
        from_parent_id=unit.parent_id,
        to_parent_id=new_parent.id,
        from_parent_name=old_parent.name if old_parent else None,
        to_parent_name=new_parent.name,
        from_path=old_path,
        effective_on=effective_on,
        reason=reason.strip(),
    )
    session.add(move)
    session.execute(
        update(OrgUnit)
        .where(in_subtree(OrgUnit.path, old_path))
        .values(
            path=literal(new_path) + func.substr(OrgUnit.path, len(old_path) + 1),
            depth=OrgUnit.depth + depth_change,
        )
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OrgUnit)
        .where(OrgUnit.id == unit.id)
        .values(parent_id=new_parent.id)
        .execution_options(synchronize_session=False)
    )
    for table in path_copy_tables(session):
        column = table.c[PATH_COPY_COLUMN]
        session.execute(
            update(table)
            .where(in_subtree(column, old_path))
            .values({PATH_COPY_COLUMN: literal(new_path) + func.substr(column, len(old_path) + 1)})
        )
    session.flush()
    # Objects already loaded in this session still carry the old paths.
    session.expire_all()
    return move


PATH_COPY_COLUMN = "org_path"


def path_copy_tables(session: Session) -> list[Table]:
    """Tables of this database that copy their unit's path into ``org_path``
    (residents, households, places, plugin records) and so follow a move.

    Only tables that exist here count: a disabled plugin's models may be
    imported without its tables being created."""
    existing = set(inspect(session.connection()).get_table_names())
    return [table for table in Base.metadata.sorted_tables if PATH_COPY_COLUMN in table.c and table.name in existing]


def moves_of(session: Session, unit_ids: Sequence[int]) -> dict[int, list[OrgUnitMove]]:
    rows = session.scalars(
        select(OrgUnitMove)
        .where(OrgUnitMove.org_unit_id.in_(unit_ids))
        .order_by(OrgUnitMove.org_unit_id, OrgUnitMove.id)
    )
    grouped: dict[int, list[OrgUnitMove]] = {uid: [] for uid in unit_ids}
    for move in rows:
        grouped[move.org_unit_id].append(move)
    return grouped
