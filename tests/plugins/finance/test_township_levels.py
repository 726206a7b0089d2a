"""A county whose levels are township and village runs the finance rules as a
city of streets and communities does: the village keeps the books and owes
the disclosures, the township takes the street office's approval step."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from core.api.errors import UserInputError
from core.app import Deployment
from core.reporting import service as reporting
from core.reporting.models import ObligationInstance
from plugins.finance import service
from plugins.finance.models import APPROVED
from tests.conftest import TOWNSHIP_LEVELS, plugin_deployment
from tests.plugins.finance.conftest import TODAY, World


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "finance", org_levels=TOWNSHIP_LEVELS)


@pytest.fixture
def level_codes() -> tuple[str, str, str, str]:
    return ("city", "county", "township", "village")


def test_the_township_takes_the_street_step_of_a_village_expense(world: World) -> None:
    request_id = world.request("300.00")
    with world.deployment.session_factory() as session:
        assert service.get_request(session, request_id).chain["steps"] == ["chair", "street"]
    world.act("chair", service.approve_step, request_id)
    local = world.extra_user("street_leader", world.community)
    with pytest.raises(UserInputError) as refused:
        world.act(str(local.user_id), service.approve_step, request_id)
    assert refused.value.errors[0].code == "NOT_STREET_OFFICIAL"
    world.act("street_leader", service.approve_step, request_id)
    with world.deployment.session_factory() as session:
        assert service.get_request(session, request_id).status == APPROVED


def test_villages_owe_the_finance_disclosures(world: World) -> None:
    with world.deployment.session_factory() as session, session.begin():
        reporting.materialize(session, world.deployment.host, TODAY)
    with world.deployment.session_factory() as session:
        owing = set(
            session.execute(
                select(ObligationInstance.type_code, ObligationInstance.org_unit_id).where(
                    ObligationInstance.type_code.like("finance.%")
                )
            ).all()
        )
    assert ("finance.disclosure", world.community) in owing
    assert ("finance.disclosure", world.other_community) in owing
    assert not any(unit in (world.street, world.district) for _, unit in owing)
