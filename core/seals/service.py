"""Registering seals, applying for and approving their use, and recording
each stamp in the use log (DOMAIN 3.4: every use in the seal-use register;
a named custodian; a major matter only on a collective decision)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.auth.models import User
from core.auth.permissions import (
    Permission,
    PermissionRegistry,
    require,
    require_different_people,
)
from core.db import utcnow
from core.meetings import service as meetings
from core.meetings.kinds import kinds_for_session
from core.meetings.models import MeetingResolution
from core.org.models import OrgUnit
from core.posts import service as posts
from core.seals.models import (
    APPLIED,
    APPROVED,
    DECISION_REFERENCE_LENGTH,
    STAMPED,
    USE_STATUS_NAMES,
    Seal,
    SealUse,
)

VIEW = Permission(
    "seals.view",
    "查看印章及用章登记簿",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
    ),
)
MANAGE = Permission("seals.manage", "登记印章及其保管岗位", default_roles=("committee_chair", "street_staff"))
APPLY = Permission("seals.apply", "申请用印", default_roles=("community_worker", "committee_chair", "party_secretary"))
APPROVE = Permission("seals.approve", "审批用印申请", default_roles=("committee_chair", "party_secretary"))
PERMISSIONS = (VIEW, MANAGE, APPLY, APPROVE)
MAX_COPIES = 1000


def _text(value: str | None, field: str, label: str, limit: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise UserInputError("REQUIRED", f"请填写{label}。", field)
    if limit is not None and len(text) > limit:
        raise UserInputError("TOO_LONG", f"{label}不能超过 {limit} 字。", field)
    return text


def register_seal(
    session: Session,
    who: Any,
    unit: OrgUnit,
    *,
    name: str,
    custodian_post: str,
    registry: PermissionRegistry | None = None,
) -> Seal:
    require(who, MANAGE.code, unit, registry=registry)
    kinds = posts.kinds_of(session)
    if custodian_post not in kinds.post_kinds:
        raise UserInputError("UNKNOWN_POST", f"没有“{custodian_post}”这种岗位。", "custodianPost")
    seal = Seal(
        org_unit_id=unit.id,
        org_path=unit.path,
        name=_text(name, "name", "印章名称", 100),
        custodian_post=custodian_post,
    )
    session.add(seal)
    session.flush()
    return seal


MAJOR_DECISION_WHAT = "集体决策会议（两委联席会议、居民代表会议等）"


def apply_use(
    session: Session,
    who: Any,
    seal: Seal,
    *,
    purpose: str,
    document_title: str,
    copies: int,
    registry: PermissionRegistry | None = None,
    major: bool = False,
    resolution: MeetingResolution | None = None,
) -> SealUse:
    """Apply to use ``seal``. A major use (``major``) cites the collective
    decision behind it: an adopted resolution of a quorate core meeting held
    at the seal's unit or above (``resolution``, loaded within the caller's
    scope); it is refused without one."""
    principal = require(who, APPLY.code, seal.org_path, registry=registry)
    if not 1 <= copies <= MAX_COPIES:
        raise UserInputError("INVALID_VALUE", f"用印份数应在 1 到 {MAX_COPIES} 之间。", "copies")
    decided = None
    if major:
        if resolution is None:
            raise UserInputError(
                "DECISION_REQUIRED",
                "重大事项用印须经集体研究决定：请选择会议通过的决议（resolutionId）。",
                "resolutionId",
            )
        decided = meetings.check_decision(
            session,
            resolution,
            kind_codes=list(kinds_for_session(session)),
            unit_path=seal.org_path,
            field="resolutionId",
            what=MAJOR_DECISION_WHAT,
        )
    use = SealUse(
        seal_id=seal.id,
        org_path=seal.org_path,
        purpose=_text(purpose, "purpose", "用印事由", 2000),
        document_title=_text(document_title, "documentTitle", "用印文件名称", 200),
        copies=copies,
        status=APPLIED,
        applied_by_id=principal.id,
        major=major,
    )
    session.add(use)
    session.flush()
    if decided is not None:
        meeting, adopted = decided
        use.decision_reference = f"{meeting.title}（{meeting.held_on}）决议：{adopted.text}"[:DECISION_REFERENCE_LENGTH]
        use.decided_on = meeting.held_on
        use.decision_source, use.decision_key = "meetings", f"resolution:{adopted.id}"
        meetings.link_subject(session, adopted, "SealUse", use.id)
        session.flush()
    return use


def approve_use(session: Session, who: Any, use: SealUse, *, registry: PermissionRegistry | None = None) -> SealUse:
    principal = require(who, APPROVE.code, use.org_path, registry=registry)
    if use.status != APPLIED:
        raise UserInputError("INVALID_STATUS", f"该用印申请当前为“{USE_STATUS_NAMES[use.status]}”。", "id")
    require_different_people(use.applied_by_id, principal.id, field="id", requester="用印申请人", request="申请用印")
    use.status = APPROVED
    use.approved_by_id = principal.id
    use.approved_at = utcnow()
    session.flush()
    return use


def record_stamp(session: Session, who: Any, use: SealUse, *, registry: PermissionRegistry | None = None) -> SealUse:
    """The custodian stamps an approved application and the use log records it."""
    principal = require(who, VIEW.code, use.org_path, registry=registry)
    if use.status != APPROVED:
        raise UserInputError(
            "NOT_APPROVED", f"用印申请当前为“{USE_STATUS_NAMES[use.status]}”，未经批准不得用印。", "id"
        )
    seal = session.get(Seal, use.seal_id)
    assert seal is not None
    resident_id = session.scalar(select(User.resident_id).where(User.id == principal.id))
    holds = resident_id is not None and any(
        a.post_code == seal.custodian_post
        for a in posts.holders(session, seal.org_unit_id, seal.custodian_post)
        if a.resident_id == resident_id
    )
    if not holds:
        post = posts.kinds_of(session).post_kinds[seal.custodian_post].name
        raise UserInputError("NOT_CUSTODIAN", f"“{seal.name}”由在任{post}保管，须由其本人用印并登记。", "id")
    use.status = STAMPED
    use.stamped_by_id = principal.id
    use.stamped_at = utcnow()
    session.flush()
    return use
