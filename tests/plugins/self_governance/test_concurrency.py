"""Two members of one household signing an initiative at the same moment:
the initiative row is locked while a signature is checked, so the household
counts once (PostgreSQL: concurrent writers)."""

from __future__ import annotations

import threading

import pytest

from core.api.errors import UserInputError
from core.org import service as org_service
from core.people.models import Resident
from core.policy.service import local_today
from plugins.self_governance import initiatives
from plugins.self_governance.models import SelfgovInitiative
from tests.plugins.self_governance.conftest import Env


@pytest.mark.postgresql_only
def test_one_household_counts_once_when_two_sign_at_once(env: Env) -> None:
    host = env.deployment.host
    with env.deployment.session_factory() as session, session.begin():
        community = org_service.get_unit(session, env.tree.community)
        initiative_id = initiatives.open_initiative(
            session, community, title="提议", purpose="理由", basis="households", today=local_today(), user_id=None
        ).id
    locked = threading.Event()
    outcomes: dict[str, str] = {}

    def sign(key: str, first: bool) -> None:
        with env.deployment.session_factory() as session:
            try:
                with session.begin():
                    if not first:
                        locked.wait(5)
                    initiative = session.get(SelfgovInitiative, initiative_id, with_for_update=True)
                    assert initiative is not None
                    if first:
                        locked.set()
                        threading.Event().wait(0.3)  # the other signer is now waiting for the lock
                    resident = session.get(Resident, env.tree.people[key])
                    assert resident is not None
                    initiatives.sign(session, host, initiative, resident, today=local_today())
                outcomes[key] = "signed"
            except UserInputError as refused:
                outcomes[key] = refused.errors[0].code

    threads = [threading.Thread(target=sign, args=("a1", True)), threading.Thread(target=sign, args=("a2", False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcomes == {"a1": "signed", "a2": "HOUSEHOLD_ALREADY_SIGNED"}
    assert env.sql("SELECT count(*) FROM selfgov_initiative_signature")[0][0] == 1
