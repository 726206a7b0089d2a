"""Who must act next on an expense request, by name where core's posts say it.

``pending_acts`` lists what is still owed on a request — the current
approval step, each missing signature, the payment, the booking — and for
each the people who may do it (the holders of the post at the community,
never the handler for a countersignature) or, for the street office's
steps, the office. ``financeTodo`` shows it with each item, so that a
request nobody can move (no vice-chair in office to sign) is visible as
such instead of waiting silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.models import User
from core.org.models import OrgUnit
from core.people.models import Resident
from core.posts import service as posts
from plugins.finance import duties
from plugins.finance import service as books
from plugins.finance.models import (
    APPROVED,
    PAID,
    PENDING,
    REFUSED,
    SIGN_HANDLER,
    SIGNATURE_NAMES,
    STEP_CHAIR,
    STEP_FILING,
    STEP_NAMES,
    STEP_STREET,
    ExpenseRequest,
)

# What each pending act is, in Chinese.
ACT_NAMES = {
    "approve": "审批",
    "record_resolution": "登记会议决定",
    "sign": "签字",
    "add_documents": "补交原始凭证",
    "pay": "支付",
    "book": "记账",
    "review_refusal": "处理拒付反映",
}


@dataclass
class PendingAct:
    """One thing still owed on a request: ``action`` (a code of ``ACT_NAMES``),
    ``capacity`` (the step kind or the signing capacity, when there is one),
    its Chinese ``name``, the people who may do it and, when nobody named
    can, why."""

    action: str
    name: str
    capacity: str | None = None
    people: list[str] = field(default_factory=list)
    note: str | None = None


def _names_holding(
    session: Session, unit: OrgUnit, post: str, *, excluding: set[int | None] | None = None
) -> list[str]:
    """Names of the residents holding ``post`` at ``unit`` today, minus the
    people of the user accounts ``excluding``."""
    others = [u for u in (excluding or set()) if u is not None]
    ids = [
        a.resident_id
        for a in posts.holders(session, unit, post)
        if not any(duties.is_person_of(session, a, user_id) for user_id in others)
    ]
    if not ids:
        return []
    names = {
        row.id: row.name for row in session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids)))
    }
    return [names[i] for i in dict.fromkeys(ids) if i in names]


def _user_name(session: Session, user_id: int | None) -> str | None:
    return session.scalar(select(User.display_name).where(User.id == user_id)) if user_id is not None else None


def pending_acts(session: Session, request: ExpenseRequest) -> list[PendingAct]:
    """What is still owed on ``request`` and who may do it (empty once booked,
    rejected, cancelled, or refused unless the refusal awaits the street's answer)."""
    unit = books.unit_of(session, request)
    handler: set[int | None] = {request.requested_by_id}
    acts: list[PendingAct] = []
    if request.status == PENDING:
        step = books.current_step(session, request)
        if step is not None:
            name = STEP_NAMES.get(step.kind, step.kind)
            if step.kind == STEP_CHAIR:
                people = _names_holding(session, unit, duties.CHAIR, excluding=handler)
                acts.append(
                    PendingAct(
                        "approve", name, step.kind, people, None if people else "本社区（村）没有可审批的在任主任。"
                    )
                )
            elif step.kind in (STEP_STREET, STEP_FILING):
                acts.append(PendingAct("approve", name, step.kind, note="由上级街道办事处（乡镇）办理。"))
            else:
                acts.append(
                    PendingAct(
                        "record_resolution", name, step.kind, note="会议作出决定后登记会议日期、文号和表决情况。"
                    )
                )
    if request.status in (PENDING, APPROVED):
        signers: set[int | None] = {s.signed_by_id for s in books.signatures_of(session, request)}
        for role in books.missing_signatures(session, request):
            name = f"{SIGNATURE_NAMES.get(role, role)}签字"
            if role == SIGN_HANDLER:
                who = _user_name(session, request.requested_by_id)
                acts.append(PendingAct("sign", name, role, [who] if who else []))
                continue
            people = _names_holding(session, unit, books.SIGNING_POSTS[role], excluding=handler | signers)
            note = (
                None
                if people
                else f"本社区（村）没有经办人以外、尚未签字的在任{SIGNATURE_NAMES.get(role, role)}，无人能签。"
            )
            acts.append(PendingAct("sign", name, role, people, note))
        if not request.documents:
            who = _user_name(session, request.requested_by_id)
            acts.append(PendingAct("add_documents", "经办人补交发票、收据", None, [who] if who else []))
    if request.status == APPROVED and request.documents and not books.missing_signatures(session, request):
        acts.append(PendingAct("pay", "出纳支付", None, _names_holding(session, unit, duties.CASHIER)))
    if request.status == REFUSED and request.refusal_reported_at is not None and request.refusal_reviewed_at is None:
        acts.append(
            PendingAct(
                "review_refusal", "街道办事处处理拒付反映", None, note="由上级街道办事处（乡镇）或区有关部门办理。"
            )
        )
    if request.status == PAID:
        acts.append(
            PendingAct(
                "book",
                "会计记账",
                None,
                _names_holding(session, unit, duties.ACCOUNTANT, excluding={request.paid_by_id}),
            )
        )
    return acts
