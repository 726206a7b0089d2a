"""Demo seal of the demo community, with one approved use and one waiting."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.auth.service import principal_for_user
from core.demo.accounts import demo_account
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
    return 2
