"""Who may do what with the money, decided from core's post assignments.

A role grant says a user may *attempt* an action at a unit; the posts the
person actually holds in the community's bodies (``core.posts``) decide
whether they may *do* it: only the accountant books (and never the
cashier: 钱账分离), only the cashier pays (and never the chair or the
accountant), only the chair signs as chair. A user holds a post when the
assignment names the user's account or the resident the account is linked
to.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.models import User
from core.auth.permissions import Principal
from core.org.models import OrgUnit
from core.policy.service import local_today
from core.posts.models import Body, PostAssignment
from core.posts.service import holds_on

ACCOUNTANT = "accountant"
CASHIER = "cashier"
CHAIR = "chair"
SECRETARY = "secretary"
VICE_CHAIR = "vice_chair"


def held_posts(session: Session, unit: OrgUnit, user_id: int, on: date | None = None) -> set[str]:
    """The post codes ``user_id`` holds on ``on`` in the bodies at ``unit``."""
    resident_id = session.scalar(select(User.resident_id).where(User.id == user_id))
    mine = PostAssignment.user_id == user_id
    if resident_id is not None:
        mine = or_(mine, PostAssignment.resident_id == resident_id)
    rows = session.scalars(
        select(PostAssignment.post_code)
        .join(Body, Body.id == PostAssignment.body_id)
        .where(Body.org_unit_id == unit.id, holds_on(on or local_today()), mine)
    )
    return set(rows)


def is_person_of(session: Session, assignment: PostAssignment, user_id: int) -> bool:
    """Whether ``user_id`` is the person of ``assignment``."""
    if assignment.user_id == user_id:
        return True
    resident_id = session.scalar(select(User.resident_id).where(User.id == user_id))
    return resident_id is not None and resident_id == assignment.resident_id


def require_bookkeeper(session: Session, unit: OrgUnit, principal: Principal, field: str | None = None) -> None:
    """The accountant of ``unit`` books; the cashier never does (钱账分离)."""
    posts = held_posts(session, unit, principal.id)
    if CASHIER in posts:
        raise UserInputError("CASHIER_CANNOT_BOOK", "出纳不得记账：管钱的人不管账（钱账分离）。", field)
    if ACCOUNTANT not in posts:
        raise UserInputError("NOT_ACCOUNTANT", f"只有“{unit.name}”在任的会计才能记账、冲销和月结。", field)


def require_cashier(session: Session, unit: OrgUnit, principal: Principal, field: str | None = None) -> None:
    """The cashier of ``unit`` pays; the chair and the accountant never do."""
    posts = held_posts(session, unit, principal.id)
    if CHAIR in posts:
        raise UserInputError("CHAIR_CANNOT_PAY", "居委会主任不得兼任出纳，不能经手付款。", field)
    if ACCOUNTANT in posts:
        raise UserInputError("ACCOUNTANT_CANNOT_PAY", "会计不得经手现金：管账的人不管钱（钱账分离）。", field)
    if CASHIER not in posts:
        raise UserInputError("NOT_CASHIER", f"只有“{unit.name}”在任的出纳才能付款和盘点现金。", field)


def require_financial_staff(session: Session, unit: OrgUnit, principal: Principal, field: str | None = None) -> None:
    """财会人员: the accountant or the cashier of ``unit``."""
    if not held_posts(session, unit, principal.id) & {ACCOUNTANT, CASHIER}:
        raise UserInputError("NOT_FINANCIAL_STAFF", f"只有“{unit.name}”在任的会计或出纳才能拒绝支付或报销。", field)


def require_post(
    session: Session, unit: OrgUnit, principal: Principal, post: str, label: str, field: str | None = None
) -> None:
    if post not in held_posts(session, unit, principal.id):
        raise UserInputError("NOT_POST_HOLDER", f"须由“{unit.name}”在任的{label}本人办理。", field)


def require_grant_above(
    principal: Principal, permission_code: str, unit: OrgUnit, label: str, field: str | None = None
) -> None:
    """The permission must come from a grant *above* the community (the
    street office), not from one held at the community itself."""
    for path in principal.paths(permission_code):
        if unit.path.startswith(path) and path != unit.path:
            return
    raise UserInputError("NOT_STREET_OFFICIAL", f"此步骤须由上级{label}办理，社区本级人员不能代签。", field)
