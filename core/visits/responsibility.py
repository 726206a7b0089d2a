"""Who is responsible for a programme's residents under a unit: a post at the
unit (whoever holds it on the day: the list follows the holder when the post
changes hands) or one user.

Residents under a unit with a responsibility are on the own list of the
responsible party only; residents under no responsibility stay on the own
list of every worker holding the programme's record permission where they
live. Either way the list never reaches beyond that permission's scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from core.api.errors import UserInputError
from core.auth.models import User
from core.auth.permissions import Principal, require, require_signed_in, scope_condition
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.posts import service as posts
from core.posts.models import Body, PostAssignment
from core.visits.models import VisitResponsibility, VisitSchedule
from core.visits.programmes import VisitProgramme


def assign_responsibility(
    session: Session,
    context: Any,
    programme: VisitProgramme,
    unit: OrgUnit,
    *,
    post_code: str | None,
    user_id: int | None,
) -> VisitResponsibility:
    """Make a post at ``unit`` (or one user) responsible for the programme's
    residents under it, replacing the unit's previous responsibility.
    Needs the programme's supervising permission at the unit; a user must
    hold the record permission there."""
    principal = require(context, programme.view_permission, unit)
    if (post_code is None) == (user_id is None):
        raise UserInputError("ONE_RESPONSIBLE", "请指定负责的岗位或负责人（二者选一）。", "postCode")
    if post_code is not None and post_code not in posts.kinds_of(session).post_kinds:
        raise UserInputError("UNKNOWN_POST", f"没有“{post_code}”这种岗位。", "postCode")
    if user_id is not None:
        from core.auth.service import principal_for_user

        # Unknown, inactive and out-of-scope accounts answer alike.
        holder = principal_for_user(session, user_id)
        if holder is None or not holder.reaches(programme.record_permission, unit.path):
            raise UserInputError(
                "NOT_A_VISITOR",
                f"该用户不存在或在“{unit.name}”没有“{programme.name}”的走访权限，不能作为负责人。",
                "userId",
            )
    row = session.scalar(
        select(VisitResponsibility).where(
            VisitResponsibility.programme == programme.code, VisitResponsibility.org_unit_id == unit.id
        )
    )
    if row is None:
        row = VisitResponsibility(programme=programme.code, org_unit_id=unit.id, org_path=unit.path)
        session.add(row)
    row.post_code, row.user_id, row.assigned_by_id = post_code, user_id, principal.id
    session.flush()
    return row


def current_holders(session: Session, row: VisitResponsibility, on: date) -> list[PostAssignment]:
    """The assignments through which the post of ``row`` is held at its unit on ``on``."""
    if row.post_code is None:
        return []
    return posts.holders(session, row.org_unit_id, row.post_code, on)


def _covers(responsibility: Any) -> ColumnElement[bool]:
    """SQL: the schedule row lies under the responsibility's unit (same programme)."""
    return and_(
        responsibility.programme == VisitSchedule.programme,
        func.substr(VisitSchedule.org_path, 1, func.length(responsibility.org_path)) == responsibility.org_path,
    )


def _mine(session: Session, principal: Principal, on: date) -> ColumnElement[bool]:
    """SQL over ``VisitResponsibility``: the caller is the responsible user or
    holds the responsible post at its unit on ``on``."""
    resident_id = session.scalar(select(User.resident_id).where(User.id == principal.id))
    holder = PostAssignment.user_id == principal.id
    if resident_id is not None:
        holder = or_(holder, PostAssignment.resident_id == resident_id)
    holds_post = exists(
        select(PostAssignment.id)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(
            Body.org_unit_id == VisitResponsibility.org_unit_id,
            PostAssignment.post_code == VisitResponsibility.post_code,
            posts.holds_on(on),
            holder,
        )
        .correlate(VisitResponsibility)
    )
    return or_(
        VisitResponsibility.user_id == principal.id, and_(VisitResponsibility.post_code.is_not(None), holds_post)
    )


def own_list_statement(session: Session, context: Any, programme: VisitProgramme, on: date) -> Any:
    """The residents the caller is responsible for, within the programme's
    record permission: those under a responsibility that is the caller's,
    and those under none."""
    principal = require_signed_in(context)
    mine_paths = list(
        session.scalars(
            select(VisitResponsibility.org_path).where(
                VisitResponsibility.programme == programme.code, _mine(session, principal, on)
            )
        )
    )
    anyone = aliased(VisitResponsibility)
    unassigned = not_(exists(select(anyone.id).where(_covers(anyone)).correlate(VisitSchedule)))
    assigned_to_me = or_(*(in_subtree(VisitSchedule.org_path, path) for path in mine_paths)) if mine_paths else false()
    return select(VisitSchedule).where(
        VisitSchedule.programme == programme.code,
        scope_condition(context, programme.record_permission, VisitSchedule.org_path),
        or_(assigned_to_me, unassigned),
    )
