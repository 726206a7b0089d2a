"""Materializing, submitting, locking and reopening obligation instances,
and the completeness of a subtree.

``materialize(session, host, on=date)`` creates, for every recurring
obligation type, the instances of the period containing ``on`` and of the
period before it (so that a missed run catches up), for every owing unit:
a unit of one of the type's levels, active for the declaring plugin on the
period's first day, existing on that day (established on or before it — or,
where ``reporting.owe_establishment_period`` says so, on or before the
period's end — and not dissolved on or before it), and kept by the type's
``owed_where``. A unit without ``established_on`` (imported with the tree,
existing before the records begin) owes every period. It is idempotent: an
existing instance is left alone. The same run records ``missing`` for open instances whose
deadline has passed and locks instances whose lock date has passed.

A period locks ``reporting.lock_after_days`` days after its deadline
(resolved for the owing unit). A locked instance takes no submission until
a holder of ``reporting.reopen`` reopens it; the reopened instance locks
again when it is next submitted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, or_, select, update
from sqlalchemy.orm import Session

from core.api.errors import NotFoundError, UserInputError
from core.db import utcnow
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.plugin_host import PluginHost
from core.policy import service as policy
from core.policy.keys import plugin_active_key
from core.policy.registry import registry_for as policy_registry_for
from core.reporting.calendar import WorkingDays, due_day, period_of, previous_period
from core.reporting.models import (
    DONE_STATUSES,
    LATE,
    MISSING,
    OPEN,
    SUBMITTED,
    ZERO_REPORT,
    ObligationInstance,
)
from core.reporting.obligations import (
    CORE_OWNER,
    PER_EVENT,
    ObligationType,
    registry_for,
)
from core.reporting.policy_keys import (
    HOLIDAY_SHIFT,
    LOCK_AFTER_DAYS,
    OWE_ESTABLISHMENT_PERIOD,
)
from core.settings import settings_of

NOTE_LENGTH = 2000


@dataclass
class MaterializeResult:
    created: int = 0
    existing: int = 0
    marked_missing: int = 0
    locked: int = 0
    by_type: dict[str, int] = field(default_factory=dict)


def _owing_units(
    session: Session, host: PluginHost, kind: ObligationType, period: tuple[date, date], *, only: int | None = None
) -> list[OrgUnit]:
    """The units that owe ``kind`` for ``period`` (with ``only``: that unit, if it does)."""
    start, end = period
    statement = (
        select(OrgUnit)
        .where(
            # The type names levels by role; the deployment's configuration says which codes.
            OrgUnit.level.in_(settings_of(session).level_codes(kind.levels)),
            or_(OrgUnit.established_on.is_(None), OrgUnit.established_on <= end),
            or_(OrgUnit.dissolved_on.is_(None), OrgUnit.dissolved_on > start),
        )
        .order_by(OrgUnit.path)
    )
    if only is not None:
        statement = statement.where(OrgUnit.id == only)
    units = list(session.scalars(statement))
    registry = policy_registry_for(host)
    if kind.plugin != CORE_OWNER and kind.plugin not in registry.enabled_plugins:
        return []
    # Set up after the period began: owed only where policy says so.
    newcomers = [unit for unit in units if unit.established_on is not None and unit.established_on > start]
    if newcomers:
        owe = policy.resolve_for_units(session, newcomers, OWE_ESTABLISHMENT_PERIOD, end, registry=registry)
        units = [unit for unit in units if unit.id not in owe or owe[unit.id].value]
    if kind.plugin == CORE_OWNER:
        owing = units
    else:
        active = registry.active_key(kind.plugin) or plugin_active_key(kind.plugin)
        values = policy.resolve_for_units(session, units, active, start)
        owing = [unit for unit in units if values[unit.id].value]
    if kind.owed_where is not None and owing:
        kept = set(kind.owed_where(session, owing, period))
        owing = [unit for unit in owing if unit.id in kept]
    return owing


def _periods_due(
    session: Session, host: PluginHost, kind: ObligationType, on: date
) -> list[tuple[tuple[date, date], list[OrgUnit]]]:
    """The previous and the current period of ``kind`` on ``on``, each with
    the units owing it. A ``times_a_month`` type's periods depend on each
    unit's count (its ``count_key`` policy value on ``on``)."""
    if kind.count_key is None:
        current = period_of(kind.recurrence, on)
        return [
            (period, _owing_units(session, host, kind, period))
            for period in (previous_period(kind.recurrence, current), current)
        ]
    month = period_of("monthly", on)
    candidates = {
        u.id: u for p in (previous_period("monthly", month), month) for u in _owing_units(session, host, kind, p)
    }
    counts = policy.resolve_for_units(
        session, list(candidates.values()), policy_registry_for(host).require(kind.count_key), on
    )
    wanted: dict[tuple[date, date], set[int]] = {}
    for unit_id in candidates:
        count = int(counts[unit_id].value)
        current = period_of(kind.recurrence, on, count)
        for period in (previous_period(kind.recurrence, current, count), current):
            wanted.setdefault(period, set()).add(unit_id)
    return [
        (period, [u for u in _owing_units(session, host, kind, period) if u.id in ids])
        for period, ids in sorted(wanted.items())
    ]


@dataclass(frozen=True)
class Owed:
    """An obligation a unit owes and the first period it owes it for (none
    for a ``per_event`` type: the declaring plugin opens those per event)."""

    kind: ObligationType
    period: tuple[date, date] | None = None
    due_on: date | None = None


def owed_by(session: Session, host: PluginHost, unit: OrgUnit, on: date | None = None) -> list[Owed]:
    """What ``unit`` owes, as ``materialize`` run on ``on`` and later will
    create it: for each recurring type, the first period it owes — the period
    it was established in, or the next one (``reporting.owe_establishment_period``),
    never one before the previous period of ``on`` (materialize creates no
    older ones) — with its deadline. Types whose plugin is off at the unit,
    or which the unit owes for none of its next periods, are left out."""
    on = on or policy.local_today()
    owed: list[Owed] = []
    for kind in registry_for(host).all():
        if kind.recurrence == PER_EVENT:
            if _owing_units(session, host, kind, (on, on), only=unit.id):
                owed.append(Owed(kind))
            continue
        # A times_a_month type's periods depend on the unit's own count.
        count = None
        if kind.count_key is not None:
            key = policy_registry_for(host).require(kind.count_key)
            count = int(policy.resolve_for_units(session, [unit], key, on)[unit.id].value)
        earliest = previous_period(kind.recurrence, period_of(kind.recurrence, on, count), count)
        period = period_of(kind.recurrence, max(unit.established_on or on, earliest[0]), count)
        # The establishment period, if not owed the next one; a plugin's own
        # narrowing (owed_where) may leave the unit out of both.
        for _ in range(2):
            if _owing_units(session, host, kind, period, only=unit.id):
                owed.append(Owed(kind, period, compute_due(session, host, kind, unit, period[1])))
                break
            period = period_of(kind.recurrence, period[1] + timedelta(days=1), count)
    return owed


def compute_due(
    session: Session,
    host: PluginHost,
    kind: ObligationType,
    unit: OrgUnit,
    period_end: date,
    days: WorkingDays | None = None,
) -> date:
    """The deadline of ``kind`` for ``unit``'s period ending ``period_end``,
    moved off a non-working day as policy says."""
    assert kind.due is not None
    registry = policy_registry_for(host)
    keys = [registry.require(kind.due.day_key), HOLIDAY_SHIFT]
    if kind.due.next_month_key is not None:
        keys.append(registry.require(kind.due.next_month_key))
    values = policy.resolve_many(session, unit, keys, period_end, registry=registry)
    next_month = values[kind.due.next_month_key].value if kind.due.next_month_key is not None else None
    raw = due_day(period_end, values[kind.due.day_key].value, kind.due.offset(next_month))
    days = days or WorkingDays(session, raw - timedelta(days=40), raw + timedelta(days=40))
    return days.shift(raw, unit.path, values[HOLIDAY_SHIFT.key].value)


def materialize(
    session: Session,
    host: PluginHost,
    on: date | None = None,
    *,
    progress: Callable[[str], None] | None = None,
) -> MaterializeResult:
    """Create the instances owed for the current and the previous period of
    every recurring type; see the module docstring."""
    on = on or policy.local_today()
    result = MaterializeResult()
    say = progress or (lambda _message: None)
    for kind in registry_for(host).all():
        if kind.recurrence == PER_EVENT:
            continue
        created_for_type = 0
        for period, units in _periods_due(session, host, kind, on):
            existing = set(
                session.scalars(
                    select(ObligationInstance.org_unit_id).where(
                        ObligationInstance.type_code == kind.code, ObligationInstance.period_start == period[0]
                    )
                )
            )
            days = WorkingDays(session, period[1], period[1] + timedelta(days=31 * 13))
            for unit in units:
                if unit.id in existing:
                    result.existing += 1
                    continue
                session.add(
                    ObligationInstance(
                        type_code=kind.code,
                        org_unit_id=unit.id,
                        org_path=unit.path,
                        period_start=period[0],
                        period_end=period[1],
                        due_on=compute_due(session, host, kind, unit, period[1], days),
                        status=OPEN,
                    )
                )
                created_for_type += 1
            session.flush()
        result.created += created_for_type
        result.by_type[kind.code] = created_for_type
        say(f"{kind.code}（{kind.name}）：新建 {created_for_type} 条")
    # Report forms defined through the API (core.indicators) are owed the same way.
    from core.indicators.forms import materialize_all

    forms_created = materialize_all(session, host, on)
    result.created += forms_created
    say(f"报表（一表通）：新建 {forms_created} 条")
    result.marked_missing = mark_missing(session, on)
    result.locked = lock_due(session, host, on)
    say(f"逾期未报 {result.marked_missing} 条，锁定 {result.locked} 条")
    return result


def open_event_instance(
    session: Session,
    host: PluginHost,
    type_code: str,
    unit: OrgUnit,
    *,
    event_on: date,
    due_on: date,
) -> ObligationInstance:
    """The instance a ``per_event`` obligation opens for one event (a meeting
    to hold, a visit to make after an incident): its period is the event's
    day. The declaring plugin calls this; calling it again for the same unit,
    type and day returns the existing instance."""
    kind = registry_for(host).require(type_code)
    if kind.recurrence != PER_EVENT:
        raise UserInputError("NOT_PER_EVENT", f"“{kind.name}”按周期生成，不能按事项新建。", "typeCode")
    if due_on < event_on:
        raise UserInputError("INVALID_VALUE", "截止日不能早于事项发生日。", "dueOn")
    existing = session.scalars(
        select(ObligationInstance).where(
            ObligationInstance.type_code == kind.code,
            ObligationInstance.org_unit_id == unit.id,
            ObligationInstance.period_start == event_on,
        )
    ).first()
    if existing is not None:
        return existing
    instance = ObligationInstance(
        type_code=kind.code,
        org_unit_id=unit.id,
        org_path=unit.path,
        period_start=event_on,
        period_end=event_on,
        due_on=due_on,
        status=OPEN,
    )
    session.add(instance)
    session.flush()
    return instance


def mark_missing(session: Session, on: date) -> int:
    """Record ``missing`` for open instances whose deadline passed before ``on``."""
    outcome = session.execute(
        update(ObligationInstance)
        .where(ObligationInstance.status == OPEN, ObligationInstance.due_on < on)
        .values(status=MISSING)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return int(outcome.rowcount or 0)  # type: ignore[attr-defined]  # Session.execute is typed as Result; DML gives a CursorResult


def lock_date(session: Session, host: PluginHost, instance: ObligationInstance, unit: OrgUnit | None = None) -> date:
    """The last day ``instance`` takes submissions without being reopened."""
    unit = unit or session.get(OrgUnit, instance.org_unit_id)
    assert unit is not None
    days = policy.resolve(session, unit, LOCK_AFTER_DAYS, instance.due_on, registry=policy_registry_for(host))
    return instance.due_on + timedelta(days=int(days))


def lock_due(session: Session, host: PluginHost, on: date) -> int:
    """Lock instances (not reopened) whose lock date passed before ``on``."""
    candidates = list(
        session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.locked.is_(False),
                ObligationInstance.reopened_at.is_(None),
                ObligationInstance.due_on < on,
            )
        )
    )
    count = 0
    for instance in candidates:
        if lock_date(session, host, instance) < on:
            instance.locked = True
            count += 1
    session.flush()
    return count


def is_locked(session: Session, host: PluginHost, instance: ObligationInstance, today: date) -> bool:
    if instance.locked:
        return True
    return instance.reopened_at is None and lock_date(session, host, instance) < today


def effective_status(instance: ObligationInstance, today: date) -> str:
    """The status as of ``today``: an open instance past its deadline is missing."""
    if instance.status == OPEN and instance.due_on < today:
        return MISSING
    return instance.status


def get_instance(session: Session, instance_id: int, *, field: str = "instanceId") -> ObligationInstance:
    instance = session.get(ObligationInstance, instance_id)
    if instance is None:
        raise NotFoundError("报送事项", field)
    return instance


def _clean_note(note: str | None) -> str | None:
    note = (note or "").strip() or None
    if note is not None and len(note) > NOTE_LENGTH:
        raise UserInputError("TOO_LONG", f"说明不能超过 {NOTE_LENGTH} 个字。", "note")
    return note


def submit(
    session: Session,
    host: PluginHost,
    instance: ObligationInstance,
    *,
    user_id: int | None,
    note: str | None = None,
    zero_report: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> ObligationInstance:
    """Record a submission (or, with ``zero_report``, a 零报告): ``submitted``
    on or before the deadline, ``late`` after it. A zero report keeps the
    status ``zero_report`` either way; whether it was on time is read from
    ``submitted_on``."""
    today = today or policy.local_today()
    note = _clean_note(note)
    if zero_report and note is None:
        raise UserInputError("REQUIRED", "零报告须说明本期无事项可报的情况。", "note")
    if today < instance.period_start:
        raise UserInputError("NOT_STARTED", f"本期自 {instance.period_start} 开始，尚不能报送。", "instanceId")
    if is_locked(session, host, instance, today):
        raise UserInputError("LOCKED", "本期已锁定，不能再报送；如需补报或更正，请上级单位重新开放。", "instanceId")
    if instance.status in DONE_STATUSES and instance.reopened_at is None:
        raise UserInputError("ALREADY_SUBMITTED", "本期已报送。", "instanceId")
    if zero_report:
        instance.status = ZERO_REPORT
    else:
        instance.status = SUBMITTED if today <= instance.due_on else LATE
    instance.submitted_at = now or utcnow()
    instance.submitted_on = today
    instance.submitted_by = user_id
    instance.note = note
    if instance.reopened_at is not None:
        # The correction is in: the period locks again.
        instance.locked = True
    session.flush()
    return instance


def reopen(
    session: Session, instance: ObligationInstance, *, user_id: int | None, reason: str, now: datetime | None = None
) -> ObligationInstance:
    """Let a locked (or submitted) instance take one more submission."""
    reason = (reason or "").strip()
    if not reason:
        raise UserInputError("REQUIRED", "请填写重新开放的原因。", "reason")
    instance.locked = False
    instance.reopened_by = user_id
    instance.reopened_at = now or utcnow()
    instance.reopen_reason = reason
    session.flush()
    return instance


# --- reading ------------------------------------------------------------------------------


def due_soon_statement(today: date, within_days: int) -> Select[ObligationInstance]:
    """Open instances whose deadline is on or before ``today + within_days``
    (overdue ones included), earliest deadline first."""
    return (
        select(ObligationInstance)
        .where(
            ObligationInstance.status.in_((OPEN, MISSING)),
            ObligationInstance.period_start <= today,
            ObligationInstance.due_on <= today + timedelta(days=within_days),
            ObligationInstance.locked.is_(False),
        )
        .order_by(ObligationInstance.due_on, ObligationInstance.org_path, ObligationInstance.id)
    )


# Which instances of a unit's subtree a completeness question covers.
SCOPE_ALL = "all"
SCOPE_OWN = "own"
SCOPE_SUBORDINATES = "subordinates"
SCOPES = (SCOPE_ALL, SCOPE_OWN, SCOPE_SUBORDINATES)


@dataclass
class Completeness:
    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    zero_reports: int = 0
    late: int = 0
    # Zero reports filed after the deadline: counted in ``zero_reports`` and in ``late``.
    late_zero_reports: int = 0
    missing: int = 0
    open: int = 0
    # Refused, or (where policy says so) unadmitted: not counted at all (core.admission).
    not_admitted: int = 0
    problems: list[ObligationInstance] = field(default_factory=list)
    # The same counts split: the unit's own instances and its subordinates'.
    own: Completeness | None = None
    subordinates: Completeness | None = None

    @property
    def reporting_rate(self) -> float:
        return self.submitted / self.expected if self.expected else 0.0

    @property
    def on_time_rate(self) -> float:
        return self.on_time / self.expected if self.expected else 0.0

    def add(self, row: ObligationInstance, today: date) -> None:
        self.expected += 1
        status = effective_status(row, today)
        if status in DONE_STATUSES:
            self.submitted += 1
            if is_late(row, today):
                self.late += 1
                self.problems.append(row)
            else:
                self.on_time += 1
            if status == ZERO_REPORT:
                self.zero_reports += 1
                if is_late(row, today):
                    self.late_zero_reports += 1
        elif status == MISSING:
            self.missing += 1
            self.problems.append(row)
        else:
            self.open += 1


def is_late(instance: ObligationInstance, today: date) -> bool:
    """Whether ``instance`` missed its deadline: submitted (a zero report
    too) after ``due_on``, or not submitted and ``due_on`` has passed.
    Lateness is a fact of its own beside the status, which for a zero report
    says only that it was one."""
    if instance.status in DONE_STATUSES:
        return instance.submitted_on is None or instance.submitted_on > instance.due_on
    return instance.due_on < today


def is_zero_report(instance: ObligationInstance) -> bool:
    return instance.status == ZERO_REPORT


def completeness(
    session: Session,
    unit: OrgUnit,
    *,
    type_code: str | None = None,
    period_start: date | None = None,
    period_end: date | None = None,
    today: date | None = None,
    scope: str = SCOPE_ALL,
) -> Completeness:
    """Counts over the instances of ``unit``'s subtree whose period lies in
    [``period_start``, ``period_end``]: submitted counts zero reports and late
    submissions; on time means submitted on or before the deadline; late
    means submitted after it (a late zero report is both late and a zero
    report, counted in ``late_zero_reports`` too); missing means the deadline
    passed without a submission. ``problems`` lists the late and missing
    instances. Instances refused by their unit, or admitted by no approved
    requirement where ``admission.count_unadmitted`` is off, are not counted
    at all: ``not_admitted`` says how many (``core.admission``).

    ``scope``: ``all`` (the unit and its subordinates), ``own`` (what the
    unit itself owes) or ``subordinates`` (what the units below it owe: a
    street's view of its communities). ``own`` and ``subordinates`` of the
    result always hold the split of the whole subtree, whatever ``scope``."""
    if scope not in SCOPES:
        raise UserInputError("INVALID_VALUE", "范围须为本单位、下级单位或全部。", "scope")
    today = today or policy.local_today()
    conditions = [in_subtree(ObligationInstance.org_path, unit.path)]
    if type_code is not None:
        conditions.append(ObligationInstance.type_code == type_code)
    if period_start is not None:
        conditions.append(ObligationInstance.period_start >= period_start)
    if period_end is not None:
        conditions.append(ObligationInstance.period_end <= period_end)
    rows = list(
        session.scalars(
            select(ObligationInstance)
            .where(and_(*conditions))
            .order_by(ObligationInstance.org_path, ObligationInstance.due_on)
        )
    )
    from core.admission.service import not_counted

    skipped = not_counted(session, rows)
    own, subordinates = Completeness(), Completeness()
    result = Completeness(own=own, subordinates=subordinates)
    for row in rows:
        is_own = row.org_unit_id == unit.id
        if row.id in skipped:
            (own if is_own else subordinates).not_admitted += 1
            if scope == SCOPE_ALL or (scope == SCOPE_OWN) == is_own:
                result.not_admitted += 1
            continue
        (own if is_own else subordinates).add(row, today)
        if scope == SCOPE_ALL or (scope == SCOPE_OWN) == is_own:
            result.add(row, today)
    return result
