"""Demo seal of the demo community, with one approved use and one waiting,
and an approved major use citing the resolution of the community's
representatives' assembly (the core meetings demo)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
from core.meetings.builtin import REPRESENTATIVES_ASSEMBLY
from core.meetings.models import Meeting, MeetingResolution
from core.seals import service


def load_demo_seals(session: Session) -> int:
    worker = demo_account(session, "community_worker")
    chair = demo_account(session, "committee_chair")
    if worker is None or chair is None or worker[1].id != chair[1].id:
        return 0
    applicant = principal_for_user(session, worker[0].id)
    approver = principal_for_user(session, chair[0].id)
    unit = worker[1]
    seal = service.register_seal(session, approver, unit, name=f"{unit.name}居民委员会", custodian_post="chair")
    first = service.apply_use(
        session, applicant, seal, purpose="为困难家庭出具居住证明", document_title="居住证明", copies=1
    )
    service.approve_use(session, approver, first)
    service.apply_use(session, applicant, seal, purpose="报送年度工作总结", document_title="年度工作总结", copies=2)
    resolution = session.scalars(
        select(MeetingResolution)
        .join(Meeting, Meeting.id == MeetingResolution.meeting_id)
        .where(
            Meeting.org_unit_id == unit.id,
            Meeting.kind == REPRESENTATIVES_ASSEMBLY,
            Meeting.quorate.is_(True),
            MeetingResolution.adopted.is_(True),
        )
        .order_by(MeetingResolution.id)
    ).first()
    if resolution is None:
        return 2
    major = service.apply_use(
        session,
        applicant,
        seal,
        purpose="按成员代表大会决议签订合同",
        document_title="社区公共事务合同",
        copies=2,
        major=True,
        resolution=resolution,
    )
    service.approve_use(session, approver, major)
    return 3
