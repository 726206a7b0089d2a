"""Party-building queries refuse where the plugin is not active (policy
``plugin.party_building.active``), as its mutations do."""

from __future__ import annotations

from datetime import date

from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from core.policy import service as policy
from core.policy.registry import registry_for
from tests.conftest import SignIn
from tests.plugins.party_building.conftest import World

ORGS = "query($under: ID) { partyOrganizations(under: $under) { totalCount } }"
SUMMARY = "query($under: ID!) { partyBuildingSummary(under: $under) { __typename } }"


def test_queries_refuse_under_an_inactive_unit(deployment: Deployment, world: World, sign_in: SignIn) -> None:
    admin = sign_in("admin", world.city)
    street = encode_global_id("OrgUnit", world.street)
    assert admin(ORGS, {"under": street})["partyOrganizations"]["totalCount"] == 0
    with deployment.session_factory() as session, session.begin():
        policy.set_value(
            session,
            org_service.get_unit(session, world.street),
            "plugin.party_building.active",
            False,
            effective_from=date(2000, 1, 1),
            set_by="测试",
            reason="本街道不用党建模块",
            registry=registry_for(deployment.host),
        )
    for query in (ORGS, SUMMARY):
        body = admin(query, {"under": street}, expect_errors=True)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["PLUGIN_NOT_ACTIVE"], body
    assert admin(ORGS, {"under": encode_global_id("OrgUnit", world.district)})["partyOrganizations"]["totalCount"] == 0
