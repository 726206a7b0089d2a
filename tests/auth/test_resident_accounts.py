"""Residents' self-service accounts: a street leader (who manages the
records) grants the resident role without holding ``people.view_own``
but still cannot grant more than they hold; an existing account is linked
to, and unlinked from, its holder's resident record within scope."""

from __future__ import annotations

import pytest

from core.api.errors import PermissionDeniedError
from core.api.relay import encode_global_id
from core.app import Deployment
from core.auth import service
from core.auth.permissions import Permission, PermissionRegistry
from core.people import service as people
from tests.auth.conftest import MakeUser, Tree, ok, principal, run

LINK = """
mutation ($input: LinkUserResidentInput!) {
  linkUserResident(input: $input) { user { username resident { name } } userErrors { field code } }
}"""


def _resident(deployment: Deployment, unit: int, name: str) -> int:
    with deployment.session_factory() as session, session.begin():
        return people.register_resident(session, name=name, org_unit_id=unit).id


def test_a_street_leader_grants_the_resident_role_but_nothing_beyond(
    deployment: Deployment, registry: PermissionRegistry, make_user: MakeUser, tree: Tree
) -> None:
    leader = principal(deployment, make_user("leader.res", ("street_leader", tree.street)))
    assert not leader.reaches("people.view_own", "/")
    target = make_user("wang.resident")
    with deployment.session_factory() as session, session.begin():
        grant = service.grant_role(
            session, registry, leader, user_id=target, role_code="resident", org_unit_id=tree.grid
        )
        assert grant.granted_by_id == leader.id
    # grantable_by covers only the self-service permission: admin stays out of reach.
    with deployment.session_factory() as session, pytest.raises(PermissionDeniedError, match="超出本人权限"):
        service.grant_role(session, registry, leader, user_id=target, role_code="admin", org_unit_id=tree.grid)
    # A community worker manages no users: no resident accounts either.
    worker = principal(deployment, make_user("worker.res", ("community_worker", tree.community)))
    with deployment.session_factory() as session, pytest.raises(PermissionDeniedError):
        service.grant_role(session, registry, worker, user_id=target, role_code="resident", org_unit_id=tree.grid)


def test_grantable_by_must_name_declared_permissions() -> None:
    from core.auth.permissions import PermissionDeclarationError, build_registry
    from core.plugin_host import PluginHost, load_plugin_host
    from core.testing import plugin_module

    module = plugin_module(
        "selfservice",
        register_permissions=lambda: [Permission("selfservice.own", "本人记录", grantable_by=("selfservice.nope",))],
    )
    base = load_plugin_host(())
    base.manager.register(module, name="selfservice")
    host = PluginHost(manager=base.manager, enabled=("selfservice",), installed={})
    with pytest.raises(PermissionDeclarationError, match="selfservice.nope"):
        build_registry(host)


def test_an_existing_account_is_linked_to_its_holder_within_scope(
    deployment: Deployment, make_user: MakeUser, tree: Tree
) -> None:
    leader = principal(deployment, make_user("leader.link", ("street_leader", tree.street)))
    outsider = principal(deployment, make_user("leader.other", ("street_leader", tree.sibling_street)))
    account = make_user("li.account", ("resident", tree.grid))
    li = _resident(deployment, tree.community, "李明")
    zhou = _resident(deployment, tree.community, "周红")
    far = _resident(deployment, tree.sibling_community, "远方")
    user_gid, li_gid = encode_global_id("User", account), encode_global_id("Resident", li)

    # Another street can neither see the account's grant unit nor the resident.
    refused = ok(run(deployment, LINK, {"input": {"userId": user_gid, "residentId": li_gid}}, user=outsider))
    assert refused["linkUserResident"]["userErrors"] == [{"field": "userId", "code": "NOT_FOUND"}]
    linked = ok(run(deployment, LINK, {"input": {"userId": user_gid, "residentId": li_gid}}, user=leader))[
        "linkUserResident"
    ]
    assert linked == {"user": {"username": "li.account", "resident": {"name": "李明"}}, "userErrors": []}
    # One account per resident, one resident per account; relinking needs an unlink first.
    other = make_user("second.account", ("resident", tree.grid))
    taken = ok(
        run(deployment, LINK, {"input": {"userId": encode_global_id("User", other), "residentId": li_gid}}, user=leader)
    )
    assert [e["code"] for e in taken["linkUserResident"]["userErrors"]] == ["RESIDENT_ALREADY_LINKED"]
    relink = ok(
        run(
            deployment,
            LINK,
            {"input": {"userId": user_gid, "residentId": encode_global_id("Resident", zhou)}},
            user=leader,
        )
    )
    assert relink["linkUserResident"]["userErrors"] == [{"field": "userId", "code": "ALREADY_LINKED"}]
    # A resident outside the linker's scope is not found.
    unlinked = ok(run(deployment, LINK, {"input": {"userId": user_gid}}, user=leader))["linkUserResident"]
    assert unlinked == {"user": {"username": "li.account", "resident": None}, "userErrors": []}
    hidden = ok(
        run(
            deployment,
            LINK,
            {"input": {"userId": user_gid, "residentId": encode_global_id("Resident", far)}},
            user=leader,
        )
    )
    assert hidden["linkUserResident"]["userErrors"] == [{"field": "residentId", "code": "NOT_FOUND"}]
    again = ok(run(deployment, LINK, {"input": {"userId": user_gid}}, user=leader))["linkUserResident"]
    assert again["userErrors"] == [{"field": "userId", "code": "NOT_LINKED"}]
