"""Reading and setting locality policy.

The value of a key for an org unit on a date is the value set by the nearest
unit on the unit's path — the unit itself first, then its parent, up to the
root — whose latest current row with ``effective_from <= on`` sets a value;
a unit whose latest row clears its value is passed over. Without any, the
key's default applies. The path comes from the unit's materialized path, so
one statement reads the rows of every unit on it (``resolve_many`` and
``resolve_for_units`` likewise use one statement for many keys or units).

Dates are calendar dates in China Standard Time (UTC+8, no daylight saving).

Keys are given as ``PolicyKey`` objects (a plugin's own declarations) or as
strings; a string needs the deployment's registry, passed as ``registry=``
or found in ``session.info[REGISTRY_INFO_KEY]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.db import utcnow
from core.org.models import OrgUnit
from core.org.service import get_unit
from core.plugin_host import host_of, plugin_title
from core.policy.keys import PolicyKey, plugin_active_key
from core.policy.models import SET_BY_LENGTH, PolicyValue
from core.policy.registry import PolicyRegistry, registry_for_context

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
REGISTRY_INFO_KEY = "jiceng.policy.registry"

KeyRef = str | PolicyKey


def local_today() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


@dataclass(frozen=True)
class ResolvedValue:
    """The value of one key in force for one unit on one date, and where it comes from."""

    key: PolicyKey
    value: Any
    org_unit_id: int
    on: date
    # None: no unit on the path sets a value; the key's default applies.
    source_unit_id: int | None = None
    effective_from: date | None = None
    record_id: int | None = None

    @property
    def is_default(self) -> bool:
        return self.source_unit_id is None

    @property
    def inherited(self) -> bool:
        """Not set by the unit itself: from an ancestor or the default."""
        return self.source_unit_id != self.org_unit_id


class PluginNotActiveError(UserInputError):
    """A plugin's feature was used for an org unit outside the plugin's active subtrees."""

    def __init__(
        self, plugin: str, unit: OrgUnit, field: str | None = "orgUnitId", *, title: str | None = None
    ) -> None:
        super().__init__(
            "PLUGIN_NOT_ACTIVE",
            f"“{title or plugin}”模块在“{unit.name}”未启用，如需使用请联系上级单位开启。",
            field,
        )
        self.plugin = plugin
        self.org_unit_id = unit.id


# --- keys ---------------------------------------------------------------------


def _registry(session: Session, registry: PolicyRegistry | None) -> PolicyRegistry | None:
    return registry if registry is not None else session.info.get(REGISTRY_INFO_KEY)


def _declaration(session: Session, key: KeyRef, registry: PolicyRegistry | None, field: str = "key") -> PolicyKey:
    if isinstance(key, PolicyKey):
        return key
    found = _registry(session, registry)
    if found is not None:
        return found.require(key, field=field)
    raise LookupError(f"policy key {key!r} given by name without a registry: pass registry= or a PolicyKey")


def _path_ids(unit: OrgUnit) -> list[int]:
    """Root first, the unit itself last."""
    return [*unit.ancestor_ids, unit.id]


# --- resolution ---------------------------------------------------------------------


def _latest_rows(
    session: Session, unit_ids: Iterable[int], keys: Iterable[str], on: date
) -> dict[tuple[int, str], PolicyValue]:
    """Per (unit, key), the latest current row in force on ``on``: one statement."""
    unit_ids, keys = sorted(set(unit_ids)), sorted(set(keys))
    if not unit_ids or not keys:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=(PolicyValue.org_unit_id, PolicyValue.key),
            order_by=(PolicyValue.effective_from.desc(), PolicyValue.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(PolicyValue.id, rank)
        .where(
            PolicyValue.org_unit_id.in_(unit_ids),
            PolicyValue.key.in_(keys),
            PolicyValue.superseded_at.is_(None),
            PolicyValue.effective_from <= on,
        )
        .subquery()
    )
    rows = session.scalars(select(PolicyValue).join(ranked, PolicyValue.id == ranked.c.id).where(ranked.c.rank == 1))
    return {(row.org_unit_id, row.key): row for row in rows}


def _pick(
    declaration: PolicyKey, unit: OrgUnit, path: Sequence[int], latest: dict[tuple[int, str], PolicyValue], on: date
) -> ResolvedValue:
    for unit_id in reversed(path):
        row = latest.get((unit_id, declaration.key))
        if row is None or row.value is None:
            continue
        try:
            value = declaration.from_json(row.value)
        except (UserInputError, ValueError):
            # Stored under an older, incompatible declaration: passed over.
            continue
        return ResolvedValue(
            key=declaration,
            value=value,
            org_unit_id=unit.id,
            on=on,
            source_unit_id=unit_id,
            effective_from=row.effective_from,
            record_id=row.id,
        )
    return ResolvedValue(key=declaration, value=declaration.default, org_unit_id=unit.id, on=on)


def resolve_many(
    session: Session,
    org_unit: OrgUnit,
    keys: Iterable[KeyRef] | None = None,
    on: date | None = None,
    *,
    registry: PolicyRegistry | None = None,
) -> dict[str, ResolvedValue]:
    """The values of ``keys`` (every declared key when None) for one unit, by key."""
    on = on or local_today()
    if keys is None:
        found = _registry(session, registry)
        if found is None:
            raise LookupError("resolve_many without keys needs the registry")
        declarations = found.all()
    else:
        declarations = [_declaration(session, key, registry, "keys") for key in keys]
    path = _path_ids(org_unit)
    latest = _latest_rows(session, path, (d.key for d in declarations), on)
    return {d.key: _pick(d, org_unit, path, latest, on) for d in declarations}


def resolve_detail(
    session: Session, org_unit: OrgUnit, key: KeyRef, on: date | None = None, *, registry: PolicyRegistry | None = None
) -> ResolvedValue:
    declaration = _declaration(session, key, registry)
    return resolve_many(session, org_unit, [declaration], on)[declaration.key]


def resolve(
    session: Session, org_unit: OrgUnit, key: KeyRef, on: date | None = None, *, registry: PolicyRegistry | None = None
) -> Any:
    """The value of ``key`` in force for ``org_unit`` on ``on`` (default: today)."""
    return resolve_detail(session, org_unit, key, on, registry=registry).value


def resolve_for_units(
    session: Session,
    units: Sequence[OrgUnit],
    key: KeyRef,
    on: date | None = None,
    *,
    registry: PolicyRegistry | None = None,
) -> dict[int, ResolvedValue]:
    """The value of one key for many units (say, every community of a street), by unit id."""
    on = on or local_today()
    declaration = _declaration(session, key, registry)
    paths = {unit.id: _path_ids(unit) for unit in units}
    latest = _latest_rows(session, {uid for path in paths.values() for uid in path}, [declaration.key], on)
    return {unit.id: _pick(declaration, unit, paths[unit.id], latest, on) for unit in units}


# --- plugins active per subtree ----------------------------------------------------


def is_plugin_active(
    session: Session,
    org_unit: OrgUnit,
    plugin_name: str,
    on: date | None = None,
    *,
    registry: PolicyRegistry | None = None,
) -> bool:
    """Whether ``plugin_name`` is in use for ``org_unit`` on ``on``.

    A plugin that is not enabled in the deployment is never active (known
    only with a registry); an enabled one follows ``plugin.<name>.active``.
    """
    found = _registry(session, registry)
    if found is not None:
        if plugin_name not in found.enabled_plugins:
            return False
        declaration = found.active_key(plugin_name) or plugin_active_key(plugin_name)
    else:
        declaration = plugin_active_key(plugin_name)
    return bool(resolve(session, org_unit, declaration, on))


def active_plugins(session: Session, org_unit: OrgUnit, registry: PolicyRegistry, on: date | None = None) -> list[str]:
    """The enabled plugins in use for ``org_unit``: one statement."""
    names = sorted(registry.enabled_plugins)
    declarations = [registry.active_key(name) or plugin_active_key(name) for name in names]
    values = resolve_many(session, org_unit, declarations, on)
    return [name for name, d in zip(names, declarations, strict=True) if values[d.key].value]


def require_plugin_active(
    target: Any,
    org_unit: OrgUnit | int,
    plugin_name: str,
    *,
    on: date | None = None,
    field: str | None = "orgUnitId",
) -> OrgUnit:
    """Refuse to work for a unit outside the plugin's active subtrees.

    Plugins call this at the top of each query and mutation that works on an
    org unit::

        unit = require_plugin_active(info, input_unit_id, "finance")

    ``target`` is the strawberry ``info``, its ``context`` or a ``Session``;
    ``org_unit`` a unit or its id. Returns the unit; raises
    ``PluginNotActiveError`` (code ``PLUGIN_NOT_ACTIVE``), which mutations
    wrapped in ``atomic`` return as a user error.
    """
    context = getattr(target, "context", target)
    session: Session = getattr(context, "session", context)
    registry = registry_for_context(context) if hasattr(context, "settings") else None
    unit = org_unit if isinstance(org_unit, OrgUnit) else get_unit(session, org_unit, field=field or "orgUnitId")
    if not is_plugin_active(session, unit, plugin_name, on, registry=registry):
        host = host_of(context) if hasattr(context, "settings") else None
        raise PluginNotActiveError(plugin_name, unit, field, title=plugin_title(host, plugin_name))
    return unit


# --- setting values ---------------------------------------------------------------------


def _check_common(org_unit: OrgUnit, effective_from: date, set_by: str, reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserInputError("REQUIRED", "请填写设定原因（如文件名称和文号）。", "reason")
    if not set_by or len(set_by) > SET_BY_LENGTH:
        raise UserInputError("INVALID_VALUE", f"设定人须为 1 到 {SET_BY_LENGTH} 个字。", "setBy")
    if org_unit.dissolved_on is not None and effective_from >= org_unit.dissolved_on:
        raise UserInputError(
            "UNIT_DISSOLVED",
            f"“{org_unit.name}”已于 {org_unit.dissolved_on} 撤销，不能再设定之后生效的策略。",
            "orgUnitId",
        )
    return reason


def _record(
    session: Session,
    org_unit: OrgUnit,
    key: str,
    value_text: str | None,
    *,
    effective_from: date,
    set_by: str,
    reason: str,
) -> PolicyValue:
    """Insert a row; a current row of the same unit, key and date is superseded, not changed."""
    previous = session.scalars(
        select(PolicyValue).where(
            PolicyValue.org_unit_id == org_unit.id,
            PolicyValue.key == key,
            PolicyValue.effective_from == effective_from,
            PolicyValue.superseded_at.is_(None),
        )
    ).first()
    row = PolicyValue(
        org_unit_id=org_unit.id,
        key=key,
        value=value_text,
        effective_from=effective_from,
        set_by=set_by,
        reason=reason,
        set_at=utcnow(),
    )
    try:
        if previous is not None:
            previous.superseded_at = row.set_at
            session.flush()
        session.add(row)
        session.flush()
        if previous is not None:
            previous.superseded_by_id = row.id
            session.flush()
    except IntegrityError as exc:
        raise UserInputError("CONCURRENT_CHANGE", "该策略项刚被他人修改，请刷新后重试。", "key") from exc
    return row


def set_value(
    session: Session,
    org_unit: OrgUnit,
    key: KeyRef,
    value: Any,
    *,
    effective_from: date | None = None,
    set_by: str,
    reason: str,
    registry: PolicyRegistry | None = None,
) -> PolicyValue:
    """Record that ``key`` is ``value`` for ``org_unit`` and its subtree from
    ``effective_from`` (default: today). Raises ``UserInputError`` (fields
    ``key``, ``value``, ``reason``, ``orgUnitId``) with Chinese messages."""
    declaration = _declaration(session, key, registry)
    parsed = declaration.parse(value)
    effective_from = effective_from or local_today()
    reason = _check_common(org_unit, effective_from, set_by, reason)
    return _record(
        session,
        org_unit,
        declaration.key,
        declaration.to_json(parsed),
        effective_from=effective_from,
        set_by=set_by,
        reason=reason,
    )


def clear_value(
    session: Session,
    org_unit: OrgUnit,
    key: KeyRef,
    *,
    effective_from: date | None = None,
    set_by: str,
    reason: str,
    registry: PolicyRegistry | None = None,
) -> PolicyValue:
    """From ``effective_from`` on, ``org_unit`` stops setting its own value
    for ``key`` and inherits from above again."""
    declaration = _declaration(session, key, registry)
    effective_from = effective_from or local_today()
    reason = _check_common(org_unit, effective_from, set_by, reason)
    own = _latest_rows(session, [org_unit.id], [declaration.key], effective_from).get((org_unit.id, declaration.key))
    if own is None or own.value is None:
        raise UserInputError(
            "NOTHING_TO_CLEAR",
            f"“{org_unit.name}”在 {effective_from} 没有自行设定{declaration.label()}，无需取消。",
            "key",
        )
    return _record(
        session, org_unit, declaration.key, None, effective_from=effective_from, set_by=set_by, reason=reason
    )


# --- history ------------------------------------------------------------------------------

RecordStatus = Literal["IN_FORCE", "SCHEDULED", "REPLACED", "SUPERSEDED"]


@dataclass(frozen=True)
class HistoryEntry:
    record: PolicyValue
    # IN_FORCE: the unit's latest row in force on the reference date;
    # SCHEDULED: takes effect later; REPLACED: followed by a later-dated row;
    # SUPERSEDED: corrected by a row set later for the same date.
    status: RecordStatus


def record_status(session: Session, record: PolicyValue, on: date | None = None) -> RecordStatus:
    """The status of one row on ``on`` (default: today)."""
    on = on or local_today()
    if record.superseded_at is not None:
        return "SUPERSEDED"
    if record.effective_from > on:
        return "SCHEDULED"
    latest = _latest_rows(session, [record.org_unit_id], [record.key], on).get((record.org_unit_id, record.key))
    return "IN_FORCE" if latest is not None and latest.id == record.id else "REPLACED"


def history(
    session: Session,
    org_unit: OrgUnit,
    key: KeyRef,
    *,
    include_ancestors: bool = False,
    on: date | None = None,
    registry: PolicyRegistry | None = None,
) -> list[HistoryEntry]:
    """Every row ever recorded for ``key`` at ``org_unit`` (and, if asked,
    at its ancestors): root first, then by date and by when it was set."""
    declaration = _declaration(session, key, registry)
    on = on or local_today()
    path = _path_ids(org_unit) if include_ancestors else [org_unit.id]
    rows = list(
        session.scalars(
            select(PolicyValue)
            .where(PolicyValue.org_unit_id.in_(path), PolicyValue.key == declaration.key)
            .order_by(PolicyValue.effective_from, PolicyValue.id)
        )
    )
    in_force: dict[int, int] = {}
    for row in rows:
        if row.superseded_at is None and row.effective_from <= on:
            in_force[row.org_unit_id] = row.id  # rows come in date order: the last one wins
    position = {unit_id: i for i, unit_id in enumerate(path)}
    entries = []
    for row in sorted(rows, key=lambda r: (position[r.org_unit_id], r.effective_from, r.id)):
        status: RecordStatus
        if row.superseded_at is not None:
            status = "SUPERSEDED"
        elif row.effective_from > on:
            status = "SCHEDULED"
        elif in_force.get(row.org_unit_id) == row.id:
            status = "IN_FORCE"
        else:
            status = "REPLACED"
        entries.append(HistoryEntry(record=row, status=status))
    return entries
