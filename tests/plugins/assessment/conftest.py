"""Fixtures of the assessment tests: core with ``assessment`` and

青岛市 → 市南区 → 八大关街道 → 社区01 … 社区10 (社区01 has two households, the others one).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.app import Deployment
from core.org import service as org_service
from core.people.models import Household
from tests.conftest import plugin_deployment


@pytest.fixture
def deployment(plugin_database_url: Any) -> Iterator[Deployment]:
    yield from plugin_deployment(plugin_database_url, "assessment")


@pytest.fixture
def world(deployment: Deployment, root_unit: int) -> dict[str, Any]:
    with deployment.session_factory() as session, session.begin():
        district = org_service.create_unit(
            session, deployment.settings, name="市南区", level="district", parent_id=root_unit
        )
        street = org_service.create_unit(
            session, deployment.settings, name="八大关街道", level="street", parent_id=district.id
        )
        communities = []
        for number in range(1, 11):
            unit = org_service.create_unit(
                session, deployment.settings, name=f"社区{number:02d}", level="community", parent_id=street.id
            )
            communities.append(unit.id)
            for _ in range(2 if number == 1 else 1):
                session.add(Household(org_unit_id=unit.id, org_path=unit.path))
        return {"district": district.id, "street": street.id, "communities": communities}
