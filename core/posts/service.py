"""Rules of bodies, posts and terms, and the questions other modules ask.

Writing
    ``create_body``, ``assign``, ``end_term`` and ``transfer`` raise
    ``UserInputError`` with Chinese messages. ``assign`` refuses: an unknown
    post, a body or person that does not exist, inverted dates, the same
    person holding the same post in the same body twice at overlapping
    times (ALREADY_HOLDS), a second holder of a single-holder post
    (POST_OCCUPIED), and two posts one person may not combine at one org
    unit (SEPARATION_OF_DUTIES: accountant and cashier, chair and cashier,
    see ``core.posts.kinds.CORE_POST_CONFLICTS``). Ending a term keeps the
    row; a transfer ends one holder's term and starts the next one's on the
    same day.

Reading (for other modules)
    ``holders``, ``posts_of``, ``is_same_person_holding`` (一肩挑: finance's
    signature rule), ``who_holds_funds`` and ``funds_departures`` (finance's
    departure audit). They look at the bodies *at* the given org unit, not
    below it, and default to today (China Standard Time).

Kinds come from ``kinds=`` (the deployment's ``KindRegistry``), else from
``session.info[KINDS_INFO_KEY]``, else core's declarations alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Select, and_, distinct, func, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail, NotFoundError, UserInputError
from core.auth.models import User
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.models import Resident
from core.policy.service import local_today
from core.posts.kinds import CORE_KINDS, KindRegistry, PostKind
from core.posts.models import BODY_NAME_LENGTH, END_REASON_LENGTH, Body, PostAssignment

KINDS_INFO_KEY = "jiceng.posts.kinds"

OrgUnitRef = OrgUnit | int


def kinds_of(session: Session, kinds: KindRegistry | None = None) -> KindRegistry:
    if kinds is not None:
        return kinds
    found = session.info.get(KINDS_INFO_KEY)
    return found if isinstance(found, KindRegistry) else CORE_KINDS


def _unit(session: Session, org_unit: OrgUnitRef, field: str = "orgUnitId") -> OrgUnit:
    if isinstance(org_unit, OrgUnit):
        return org_unit
    unit = session.get(OrgUnit, org_unit)
    if unit is None:
        raise NotFoundError("组织单位", field)
    return unit


def holds_on(on: date) -> ColumnElement[bool]:
    """SQL: the assignment is in force on ``on``."""
    return and_(
        PostAssignment.term_start <= on,
        or_(PostAssignment.ended_on.is_(None), PostAssignment.ended_on > on),
    )


def _overlaps(start: date, end: date | None) -> ColumnElement[bool]:
    """SQL: the assignment is in force on some day of ``[start, end)`` (``end`` empty: open)."""
    return and_(
        or_(PostAssignment.ended_on.is_(None), PostAssignment.ended_on > start),
        PostAssignment.term_start < end if end is not None else true(),
    )


# --- bodies ---------------------------------------------------------------------------------


def create_body(
    session: Session,
    *,
    org_unit_id: int,
    kind: str,
    name: str,
    kinds: KindRegistry | None = None,
) -> Body:
    registry = kinds_of(session, kinds)
    problems: list[ErrorDetail] = []
    clean = (name or "").strip()
    if not clean:
        problems.append(ErrorDetail("REQUIRED", "机构名称不能为空。", "name"))
    elif len(clean) > BODY_NAME_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"机构名称不能超过 {BODY_NAME_LENGTH} 个字。", "name"))
    if kind not in registry.body_kinds:
        known = "、".join(f"{k.code}（{k.name}）" for k in registry.body_kinds.values())
        problems.append(ErrorDetail("UNKNOWN_BODY_KIND", f"未知的机构类型“{kind}”，可用类型：{known}。", "kind"))
    if problems:
        raise UserInputError(errors=problems)
    unit = _unit(session, org_unit_id)
    if unit.dissolved_on is not None:
        raise UserInputError("ORG_UNIT_DISSOLVED", f"“{unit.name}”已撤销，不能再设立机构。", "orgUnitId")
    duplicate = session.scalar(
        select(Body.id).where(Body.org_unit_id == unit.id, Body.kind == kind, Body.name == clean)
    )
    if duplicate is not None:
        raise UserInputError(
            "DUPLICATE_BODY", f"“{unit.name}”已有同名的{registry.body_kind(kind).name}“{clean}”。", "name"
        )
    body = Body(kind=kind, name=clean, org_unit_id=unit.id, org_path=unit.path)
    session.add(body)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("CONCURRENT_CHANGE", "同名机构刚被他人设立，请刷新后重试。", "name") from exc
    return body


def get_body(session: Session, body_id: int, *, field: str = "bodyId") -> Body:
    body = session.get(Body, body_id)
    if body is None:
        raise NotFoundError("机构", field)
    return body


def bodies_under(unit: OrgUnit, kind: str | None = None) -> Select[Body]:
    """Statement: the bodies in ``unit``'s subtree (the unit included)."""
    statement = select(Body).where(in_subtree(Body.org_path, unit.path))
    if kind is not None:
        statement = statement.where(Body.kind == kind)
    return statement


# --- assignments --------------------------------------------------------------------------


def get_assignment(session: Session, assignment_id: int, *, field: str = "id", lock: bool = False) -> PostAssignment:
    statement = select(PostAssignment).where(PostAssignment.id == assignment_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    found = session.scalars(statement).first()
    if found is None:
        raise NotFoundError("任职记录", field)
    return found


def _lock(session: Session, model: type, pk: int, what: str, field: str):  # type: ignore[no-untyped-def]
    """The row, locked until the transaction ends (PostgreSQL; SQLite
    serializes writers anyway), so that concurrent assignments to the same
    body or person are checked one after the other."""
    row = session.scalars(
        select(model).where(model.id == pk).with_for_update().execution_options(populate_existing=True)  # type: ignore[attr-defined]
    ).first()
    if row is None:
        raise NotFoundError(what, field)
    return row


def _clean_reason(reason: str | None, problems: list[ErrorDetail], field: str, *, required: bool) -> str | None:
    clean = (reason or "").strip() or None
    if clean is None and required:
        problems.append(ErrorDetail("REQUIRED", "请填写离任原因（如任期届满、辞职、调任）。", field))
    elif clean is not None and len(clean) > END_REASON_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"离任原因不能超过 {END_REASON_LENGTH} 个字。", field))
    return clean


def assign(
    session: Session,
    *,
    body_id: int,
    post_code: str,
    resident_id: int,
    term_start: date,
    term_end: date | None = None,
    ended_on: date | None = None,
    end_reason: str | None = None,
    user_id: int | None = None,
    note: str | None = None,
    predecessor_id: int | None = None,
    manages_funds: bool = False,
    kinds: KindRegistry | None = None,
) -> PostAssignment:
    """Record that a resident holds ``post_code`` in a body from ``term_start``.

    ``ended_on`` (with ``end_reason``) records a term that is already over,
    for entering past terms. ``manages_funds``: the holder of a post declared
    ``may_manage_funds`` (chair, vice-chair) manages the funds."""
    registry = kinds_of(session, kinds)
    problems: list[ErrorDetail] = []
    post = registry.post_kinds.get(post_code)
    if post is None:
        known = "、".join(f"{k.code}（{k.name}）" for k in registry.post_kinds.values())
        problems.append(ErrorDetail("UNKNOWN_POST", f"未知的职务“{post_code}”，可用职务：{known}。", "postCode"))
    elif manages_funds and not (post.may_manage_funds or post.holds_funds):
        problems.append(_not_a_funds_post(registry, post.name))
    if term_end is not None and term_end < term_start:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "任期届满日期不能早于任职开始日期。", "termEnd"))
    if ended_on is not None and ended_on < term_start:
        problems.append(ErrorDetail("INVALID_DATE_RANGE", "离任日期不能早于任职开始日期。", "endedOn"))
    reason = _clean_reason(end_reason, problems, "endReason", required=ended_on is not None)
    if problems:
        raise UserInputError(errors=problems)
    assert post is not None
    body = _lock(session, Body, body_id, "机构", "bodyId")
    resident = _lock(session, Resident, resident_id, "居民", "residentId")
    if user_id is not None and session.get(User, user_id) is None:
        raise NotFoundError("用户账号", "userId")
    unit = session.get(OrgUnit, body.org_unit_id)
    assert unit is not None
    if unit.dissolved_on is not None and term_start >= unit.dissolved_on:
        raise UserInputError(
            "ORG_UNIT_DISSOLVED", f"“{unit.name}”已于 {unit.dissolved_on} 撤销，不能在此后任职。", "termStart"
        )
    _check_overlaps(session, registry, body, unit, post, resident, term_start, ended_on)
    assignment = PostAssignment(
        body_id=body.id,
        post_code=post.code,
        resident_id=resident.id,
        user_id=user_id,
        term_start=term_start,
        term_end=term_end,
        ended_on=ended_on,
        end_reason=reason if ended_on is not None else None,
        predecessor_id=predecessor_id,
        note=(note or "").strip() or None,
        manages_funds=manages_funds or post.holds_funds,
    )
    session.add(assignment)
    try:
        session.flush()
    except IntegrityError as exc:
        raise UserInputError("CONCURRENT_CHANGE", "该职务刚被他人修改，请刷新后重试。", "postCode") from exc
    return assignment


def _not_a_funds_post(registry: KindRegistry, post_name: str) -> ErrorDetail:
    allowed = "、".join(k.name for k in registry.post_kinds.values() if k.may_manage_funds and not k.holds_funds)
    return ErrorDetail(
        "NOT_A_FUNDS_POST", f"{post_name}不是可以掌管经费的职务；可标记掌管经费的职务：{allowed}。", "managesFunds"
    )


def set_manages_funds(
    session: Session, assignment: PostAssignment, manages_funds: bool, *, kinds: KindRegistry | None = None
) -> PostAssignment:
    """Mark or unmark a term as managing the funds (chair, vice-chair …); a
    post that always holds funds (accountant, cashier) stays marked."""
    registry = kinds_of(session, kinds)
    current = get_assignment(session, assignment.id, lock=True)
    post = registry.post_kind(current.post_code)
    if post.holds_funds:
        if not manages_funds:
            raise UserInputError("ALWAYS_MANAGES_FUNDS", f"{post.name}始终经管资金或账目，不能取消。", "managesFunds")
        return current
    if manages_funds and not post.may_manage_funds:
        raise UserInputError(errors=[_not_a_funds_post(registry, post.name)])
    current.manages_funds = manages_funds
    session.flush()
    return current


def _funds_holder(registry: KindRegistry) -> ColumnElement[bool]:
    """SQL: the assignment's holder handles funds (离任审计): a funds post, or a
    post that may manage funds on an assignment marked so."""
    return or_(
        PostAssignment.post_code.in_(registry.funds_posts),
        and_(PostAssignment.manages_funds.is_(True), PostAssignment.post_code.in_(registry.may_manage_funds_posts)),
    )


def _check_overlaps(
    session: Session,
    registry: KindRegistry,
    body: Body,
    unit: OrgUnit,
    post: PostKind,
    resident: Resident,
    start: date,
    end: date | None,
) -> None:
    overlapping = _overlaps(start, end)
    same = session.scalars(
        select(PostAssignment)
        .where(
            PostAssignment.body_id == body.id,
            PostAssignment.post_code == post.code,
            PostAssignment.resident_id == resident.id,
            overlapping,
        )
        .order_by(PostAssignment.term_start)
        .limit(1)
    ).first()
    if same is not None:
        raise UserInputError(
            "ALREADY_HOLDS",
            f"{resident.name}在“{body.name}”担任{post.name}的任期（自 {same.term_start} 起）与此时间重叠，不能重复任职。",
            "residentId",
        )
    if post.single_holder:
        other = session.execute(
            select(PostAssignment.term_start, Resident.name)
            .join(Resident, Resident.id == PostAssignment.resident_id)
            .where(
                PostAssignment.body_id == body.id,
                PostAssignment.post_code == post.code,
                PostAssignment.resident_id != resident.id,
                overlapping,
            )
            .order_by(PostAssignment.term_start)
            .limit(1)
        ).first()
        if other is not None:
            holder_start, holder_name = other
            raise UserInputError(
                "POST_OCCUPIED",
                f"“{body.name}”的{post.name}只能由一人担任，{holder_name}自 {holder_start} 起担任此职，"
                "与此时间重叠；请先办理其离任，或办理职务移交。",
                "postCode",
            )
    rivals = registry.conflicts_of(post.code)
    if rivals:
        clash = session.execute(
            select(PostAssignment.post_code, Body.name)
            .join(Body, Body.id == PostAssignment.body_id)
            .where(
                Body.org_unit_id == unit.id,
                PostAssignment.resident_id == resident.id,
                PostAssignment.post_code.in_(sorted(rivals)),
                overlapping,
            )
            .order_by(PostAssignment.term_start, PostAssignment.id)
            .limit(1)
        ).first()
        if clash is not None:
            rival_code, rival_body = clash
            raise UserInputError(
                "SEPARATION_OF_DUTIES",
                f"{resident.name}在“{unit.name}”已担任“{rival_body}”{registry.post_kind(rival_code).name}，"
                f"不能同时担任{post.name}：{rivals[rival_code].reason_zh}。",
                "postCode",
            )


def end_term(session: Session, assignment: PostAssignment, *, ended_on: date, reason: str) -> PostAssignment:
    """End a term: the row stays, with the first day without the post and why."""
    current = get_assignment(session, assignment.id, lock=True)
    problems: list[ErrorDetail] = []
    if current.ended_on is not None:
        raise UserInputError("ALREADY_ENDED", f"该任职已于 {current.ended_on} 结束。", "id")
    if ended_on < current.term_start:
        problems.append(
            ErrorDetail("INVALID_DATE_RANGE", f"离任日期不能早于任职开始日期 {current.term_start}。", "endedOn")
        )
    clean = _clean_reason(reason, problems, "reason", required=True)
    if problems:
        raise UserInputError(errors=problems)
    current.ended_on = ended_on
    current.end_reason = clean
    session.flush()
    return current


def transfer(
    session: Session,
    assignment: PostAssignment,
    *,
    resident_id: int,
    on: date,
    reason: str,
    user_id: int | None = None,
    note: str | None = None,
    kinds: KindRegistry | None = None,
) -> tuple[PostAssignment, PostAssignment]:
    """Hand a post over (交接): the current holder's term ends on ``on`` and
    ``resident_id`` holds the post from ``on`` for the rest of the term.
    Returns (ended, new)."""
    current = get_assignment(session, assignment.id, lock=True)
    if current.ended_on is not None:
        raise UserInputError("ALREADY_ENDED", f"该任职已于 {current.ended_on} 结束，无法移交。", "id")
    if resident_id == current.resident_id:
        raise UserInputError("SAME_PERSON", "接任人与现任人是同一人。", "residentId")
    if on < current.term_start:
        raise UserInputError("INVALID_DATE_RANGE", f"移交日期不能早于现任人任职开始日期 {current.term_start}。", "on")
    ended = end_term(session, current, ended_on=on, reason=reason)
    term_end = current.term_end if current.term_end is not None and current.term_end >= on else None
    successor = assign(
        session,
        body_id=current.body_id,
        post_code=current.post_code,
        resident_id=resident_id,
        term_start=on,
        term_end=term_end,
        user_id=user_id,
        note=note,
        predecessor_id=current.id,
        manages_funds=current.manages_funds,
        kinds=kinds,
    )
    return ended, successor


# --- questions other modules ask ------------------------------------------------------------


def holders(
    session: Session, org_unit: OrgUnitRef, post_code: str | None = None, on: date | None = None
) -> list[PostAssignment]:
    """Assignments in force on ``on`` in the bodies at ``org_unit``, of one
    post or of all; ordered by body, then post, then start."""
    unit = _unit(session, org_unit)
    statement = (
        select(PostAssignment)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(Body.org_unit_id == unit.id, holds_on(on or local_today()))
    )
    if post_code is not None:
        statement = statement.where(PostAssignment.post_code == post_code)
    statement = statement.order_by(Body.id, PostAssignment.post_code, PostAssignment.term_start, PostAssignment.id)
    return list(session.scalars(statement))


def posts_of(
    session: Session, resident_id: int, on: date | None = None, *, include_ended: bool = False
) -> list[PostAssignment]:
    """What a person holds on ``on`` (every body, every unit), or with
    ``include_ended`` every term they ever held; oldest first."""
    statement = select(PostAssignment).where(PostAssignment.resident_id == resident_id)
    if not include_ended:
        statement = statement.where(holds_on(on or local_today()))
    return list(session.scalars(statement.order_by(PostAssignment.term_start, PostAssignment.id)))


def residents_holding_all(
    session: Session, org_unit: OrgUnitRef, *post_codes: str, on: date | None = None
) -> list[int]:
    """Residents who on ``on`` hold every one of ``post_codes`` in bodies at ``org_unit``."""
    codes = sorted(set(post_codes))
    if not codes:
        return []
    unit = _unit(session, org_unit)
    statement = (
        select(PostAssignment.resident_id)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(Body.org_unit_id == unit.id, PostAssignment.post_code.in_(codes), holds_on(on or local_today()))
        .group_by(PostAssignment.resident_id)
        .having(func.count(distinct(PostAssignment.post_code)) == len(codes))
        .order_by(PostAssignment.resident_id)
    )
    return list(session.scalars(statement))


def is_same_person_holding(session: Session, org_unit: OrgUnitRef, *post_codes: str, on: date | None = None) -> bool:
    """Whether one person holds all of ``post_codes`` at ``org_unit`` on
    ``on`` — e.g. ``("chair", "secretary")``: 一肩挑, which changes who signs
    a reimbursement."""
    if len(set(post_codes)) < 2:
        raise ValueError("is_same_person_holding needs at least two different post codes")
    return bool(residents_holding_all(session, org_unit, *post_codes, on=on))


def who_holds_funds(
    session: Session, org_unit: OrgUnitRef, on: date | None = None, *, kinds: KindRegistry | None = None
) -> list[PostAssignment]:
    """Assignments in force on ``on`` at ``org_unit`` whose holder handles
    money or books (accountant, cashier and any post declared with
    ``holds_funds``; a chair or vice-chair whose assignment ``manages_funds``)."""
    holder = _funds_holder(kinds_of(session, kinds))
    unit = _unit(session, org_unit)
    statement = (
        select(PostAssignment)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(Body.org_unit_id == unit.id, holder, holds_on(on or local_today()))
        .order_by(PostAssignment.post_code, PostAssignment.term_start, PostAssignment.id)
    )
    return list(session.scalars(statement))


def funds_departures(
    session: Session,
    org_unit: OrgUnitRef,
    since: date,
    until: date | None = None,
    *,
    kinds: KindRegistry | None = None,
) -> list[PostAssignment]:
    """Terms of funds holders at ``org_unit`` that ended in ``[since, until]``
    (``until`` empty: up to now): who is due a departure audit (离任审计)."""
    holder = _funds_holder(kinds_of(session, kinds))
    unit = _unit(session, org_unit)
    statement = (
        select(PostAssignment)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(
            Body.org_unit_id == unit.id,
            holder,
            PostAssignment.ended_on.is_not(None),
            PostAssignment.ended_on >= since,
        )
        .order_by(PostAssignment.ended_on, PostAssignment.id)
    )
    if until is not None:
        statement = statement.where(PostAssignment.ended_on <= until)
    return list(session.scalars(statement))


def assignments_of_bodies(
    session: Session, body_ids: Sequence[int], *, on: date | None = None, include_ended: bool = False
) -> dict[int, list[PostAssignment]]:
    """Assignments of many bodies in one query, by body id: those in force on
    ``on``, or all of them with ``include_ended``."""
    grouped: dict[int, list[PostAssignment]] = {body_id: [] for body_id in body_ids}
    if not body_ids:
        return grouped
    statement = select(PostAssignment).where(PostAssignment.body_id.in_(sorted(set(body_ids))))
    if not include_ended:
        statement = statement.where(holds_on(on or local_today()))
    statement = statement.order_by(PostAssignment.body_id, PostAssignment.term_start, PostAssignment.id)
    for row in session.scalars(statement):
        grouped[row.body_id].append(row)
    return grouped
