"""The plugin contract, proved with a third-party plugin installed as its own
distribution (``jiceng-volunteer``, see ``tests/example_plugin``).

Every test that touches a database creates a fresh one and runs on SQLite
and PostgreSQL. Its root unit is created as the command line creates it;
the tests act through GraphQL as signed-in users (``sign_in_as``).
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import EntryPoint
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import inspect, text
from starlette.testclient import TestClient

from core import plugin_host
from core.api.relay import decode_pk, encode_global_id
from core.app import Deployment, build_deployment, create_app
from core.cli import main
from core.hookspecs import ENTRY_POINT_GROUP, hookimpl
from core.migrate import branch_heads, current_heads, upgrade
from core.plugin_host import InstalledPlugin, PluginError, load_plugin_host
from core.testing import plugin_module
from tests.conftest import (
    DatabaseFactory,
    GraphQLCall,
    SignedIn,
    graphql_caller,
    make_root_unit,
    make_settings,
    migrated_deployment,
    sign_in_as,
)
from tests.plugin_contract.conftest import DISTRIBUTION, PLUGIN, applied_revisions, installation

ENABLED = (PLUGIN,)

CREATE_UNIT = """
mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id } userErrors { code } }
}
"""

REGISTER = """
mutation($input: RegisterVolunteerInput!) {
  registerVolunteer(input: $input) {
    volunteer { id name phone skills registeredOn orgUnit { id name } }
    userErrors { field code message }
  }
}
"""

VOLUNTEERS = """
query($unit: ID, $first: Int, $after: String) {
  volunteers(orgUnitId: $unit, first: $first, after: $after) {
    totalCount
    edges { cursor node { id name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


@contextmanager
def graphql(deployment: Deployment) -> Iterator[TestClient]:
    with TestClient(create_app(deployment=deployment)) as client:
        yield client


def city_admin(deployment: Deployment, client: TestClient) -> SignedIn:
    """The administrator of the database's root unit (created here when there is none yet)."""
    with deployment.session_factory() as session:
        root = session.scalar(text("SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY id"))
    return sign_in_as(deployment, client, "admin", root if root is not None else make_root_unit(deployment))


def create_unit(gql: GraphQLCall, name: str, parent: str | None = None) -> str:
    """A community under ``parent`` (by default the root unit)."""
    if parent is None:
        parent = gql('{ orgUnits(level: "city", first: 1) { nodes { id } } }')["orgUnits"]["nodes"][0]["id"]
    payload = gql(CREATE_UNIT, {"input": {"name": name, "level": "community", "parentId": parent}})["createOrgUnit"]
    assert payload["userErrors"] == []
    return str(payload["orgUnit"]["id"])


def register(gql: GraphQLCall, **fields: Any) -> dict[str, Any]:
    return dict(gql(REGISTER, {"input": fields})["registerVolunteer"])


def volunteer_rows(deployment: Deployment) -> list[tuple[Any, ...]]:
    with deployment.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text("SELECT name, phone FROM volunteer ORDER BY id"))]


def table_names(deployment: Deployment) -> set[str]:
    return set(inspect(deployment.engine).get_table_names())


def table_fingerprint(deployment: Deployment, tables: set[str]) -> dict[str, Any]:
    """What would change if a migration altered or rebuilt these tables:
    their reflected structure and their identity in the catalogue."""
    inspector = inspect(deployment.engine)
    shape = {
        name: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)],
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(name)),
            sorted(
                (fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"])
                for fk in inspector.get_foreign_keys(name)
            ),
            inspector.get_pk_constraint(name)["constrained_columns"],
        )
        for name in sorted(tables)
    }
    with deployment.engine.connect() as connection:
        if deployment.engine.dialect.name == "sqlite":
            # A rebuilt table (batch migration) gets a new root page.
            query = text("SELECT name, rootpage, sql FROM sqlite_master WHERE type = 'table'")
        else:
            query = text("SELECT relname, oid::text, relfilenode::text FROM pg_class WHERE relkind = 'r'")
        identity = {row[0]: tuple(row[1:]) for row in connection.execute(query) if row[0] in tables}
    return {"shape": shape, "identity": identity}


# --- (a) installed but disabled: nothing ------------------------------------------------


def test_installed_plugin_is_discovered_from_its_own_distribution(
    volunteer_distribution: importlib.metadata.Distribution,
) -> None:
    installed = plugin_host.discover_plugins()[PLUGIN]
    assert installed.distribution == DISTRIBUTION
    assert installed.version == volunteer_distribution.version
    assert installed.entry_point.value == "jiceng_volunteer.plugin"
    # Not part of the jiceng distribution, not under plugins/.
    module_file = Path(installed.entry_point.load().__file__ or "").resolve()
    assert not module_file.is_relative_to(Path(plugin_host.__file__).resolve().parent.parent / "plugins")
    if installation.target is not None:
        # Installed by the test session: only in its temporary directory, never in the environment.
        assert module_file.is_relative_to(installation.target.resolve())
        assert not module_file.is_relative_to(Path(sys.prefix).resolve())


def test_disabled_plugin_adds_no_table_and_nothing_to_the_schema(
    backend: str, database_factory: DatabaseFactory
) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=())
    try:
        assert PLUGIN in plugin_host.discover_plugins()
        assert "volunteer" not in table_names(deployment)
        assert "volunteer_0001" not in branch_heads(deployment)
        sdl = deployment.schema.as_sdl()
        for absent in ("type Volunteer", "Volunteer!", "volunteers(", "registerVolunteer", "RegisterVolunteerInput"):
            assert absent not in sdl
        assert deployment.schema.graphql_schema.get_type("Volunteer") is None
        declared = deployment.host.collect("register_permissions") + deployment.host.collect("register_policy_keys")
        names = [str(getattr(item, "code", getattr(item, "key", ""))) for item in declared]
        assert not [name for name in names if name.startswith("volunteer.")]
    finally:
        deployment.dispose()


# --- (b) enabled: table, query, mutation, node ------------------------------------------


def test_enabled_plugin_works_through_the_graphql_endpoint(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=ENABLED)
    try:
        assert "volunteer" in table_names(deployment)
        with graphql(deployment) as client:
            gql = city_admin(deployment, client)
            unit = create_unit(gql, "八大关社区")
            other = create_unit(gql, "湛山社区")
            first = register(
                gql,
                orgUnitId=unit,
                name=" 王秀兰 ",
                phone="13800000001",
                skills=["医疗救护", "医疗救护", "心理疏导"],
                registeredOn="2025-03-05",
            )
            assert first["userErrors"] == []
            volunteer = first["volunteer"]
            assert volunteer["name"] == "王秀兰"
            assert volunteer["skills"] == ["医疗救护", "心理疏导"]
            assert volunteer["registeredOn"] == "2025-03-05"
            assert volunteer["orgUnit"] == {"id": unit, "name": "八大关社区"}
            for name in ("李建国", "张伟"):
                assert register(gql, orgUnitId=unit, name=name)["userErrors"] == []
            assert register(gql, orgUnitId=other, name="赵敏", phone="0532-82861234")["userErrors"] == []

            # Keyset pages of one unit's volunteers, in registration order.
            page = gql(VOLUNTEERS, {"unit": unit, "first": 2})["volunteers"]
            assert [e["node"]["name"] for e in page["edges"]] == ["王秀兰", "李建国"]
            assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"] is True
            rest = gql(VOLUNTEERS, {"unit": unit, "first": 2, "after": page["pageInfo"]["endCursor"]})["volunteers"]
            assert [e["node"]["name"] for e in rest["edges"]] == ["张伟"]
            assert rest["pageInfo"]["hasNextPage"] is False
            assert gql(VOLUNTEERS, {})["volunteers"]["totalCount"] == 4

            # node(id:) resolves the plugin's type.
            node = gql(
                "query($id: ID!) { node(id: $id) { __typename id ... on Volunteer { name phone orgUnit { name } } } }",
                {"id": volunteer["id"]},
            )["node"]
            assert node == {
                "__typename": "Volunteer",
                "id": volunteer["id"],
                "name": "王秀兰",
                "phone": "13800000001",
                "orgUnit": {"name": "八大关社区"},
            }
            missing = encode_global_id("Volunteer", 99999)
            assert gql("query($id: ID!) { node(id: $id) { id } }", {"id": missing})["node"] is None
            # The ID of another type is a query error with a stable code.
            bad = gql(VOLUNTEERS, {"unit": volunteer["id"]}, expect_errors=True)
            assert bad["errors"][0]["extensions"]["code"] == "INVALID_ID"
        assert len(volunteer_rows(deployment)) == 4
    finally:
        deployment.dispose()


def test_bad_input_returns_user_errors_and_writes_nothing(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=ENABLED)
    try:
        with graphql(deployment) as client:
            gql = city_admin(deployment, client)
            unit = create_unit(gql, "八大关社区")
            several = register(gql, orgUnitId=unit, name="  ", phone="123", registeredOn="2999-01-01")
            assert several["volunteer"] is None
            assert {(e["field"], e["code"]) for e in several["userErrors"]} == {
                ("name", "NAME_REQUIRED"),
                ("phone", "INVALID_PHONE"),
                ("registeredOn", "REGISTERED_IN_FUTURE"),
            }
            assert all(e["message"] and not e["message"].isascii() for e in several["userErrors"])

            missing_unit = register(gql, orgUnitId=encode_global_id("OrgUnit", 99999), name="王秀兰")
            assert missing_unit["volunteer"] is None
            assert [(e["field"], e["code"]) for e in missing_unit["userErrors"]] == [("orgUnitId", "NOT_FOUND")]
            assert "组织单位" in missing_unit["userErrors"][0]["message"]

            wrong_type = register(gql, orgUnitId=encode_global_id("Volunteer", 1), name="王秀兰")
            assert [(e["field"], e["code"]) for e in wrong_type["userErrors"]] == [("orgUnitId", "INVALID_ID")]
        assert volunteer_rows(deployment) == []
    finally:
        deployment.dispose()


def test_the_plugins_permissions_are_declared_and_carried_by_default_roles(
    backend: str, database_factory: DatabaseFactory
) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=ENABLED)
    try:
        with graphql(deployment) as client:
            gql = city_admin(deployment, client)
            data = gql("{ permissions { code owner } roles { code permissions { code } } }")
        declared = {p["code"]: p["owner"] for p in data["permissions"]}
        assert {code: owner for code, owner in declared.items() if code.startswith("volunteer.")} == {
            "volunteer.view": PLUGIN,
            "volunteer.register": PLUGIN,
        }
        carried = {r["code"]: {p["code"] for p in r["permissions"]} for r in data["roles"]}
        assert {"volunteer.view", "volunteer.register"} <= carried["community_worker"]
        assert {"volunteer.view", "volunteer.register"} <= carried["street_leader"]
        assert {"volunteer.view", "volunteer.register"} <= carried["admin"]
        assert "volunteer.view" in carried["district_supervisor"]
        assert "volunteer.register" not in carried["district_supervisor"]
        assert not {"volunteer.view", "volunteer.register"} & carried["grid_worker"]
    finally:
        deployment.dispose()


def test_volunteers_are_limited_to_the_callers_scope(backend: str, database_factory: DatabaseFactory) -> None:
    deployment = migrated_deployment(database_factory.create(backend), plugins=ENABLED)
    try:
        with graphql(deployment) as client:
            admin = city_admin(deployment, client)
            community = create_unit(admin, "八大关社区")
            other = create_unit(admin, "湛山社区")
            assert register(admin, orgUnitId=other, name="赵敏")["userErrors"] == []
            outsider_id = admin(VOLUNTEERS, {"unit": other})["volunteers"]["edges"][0]["node"]["id"]

            worker = sign_in_as(deployment, client, "community_worker", decode_pk(community, "OrgUnit"))
            mine = register(worker, orgUnitId=community, name="王秀兰")
            assert mine["userErrors"] == [] and mine["volunteer"]["orgUnit"]["name"] == "八大关社区"

            # Registering in another community: refused, nothing written.
            refused = register(worker, orgUnitId=other, name="李建国")
            assert refused["volunteer"] is None
            assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(None, "FORBIDDEN")]
            assert "登记志愿者" in refused["userErrors"][0]["message"]
            assert volunteer_rows(deployment) == [("赵敏", None), ("王秀兰", None)]

            # Another community's volunteers are invisible: in the list, by unit and by id.
            listed = worker(VOLUNTEERS, {})["volunteers"]
            assert [e["node"]["name"] for e in listed["edges"]] == ["王秀兰"] and listed["totalCount"] == 1
            assert worker(VOLUNTEERS, {"unit": other})["volunteers"]["totalCount"] == 0
            node = "query($id: ID!) { node(id: $id) { id } }"
            assert worker(node, {"id": outsider_id})["node"] is None
            assert worker(node, {"id": mine["volunteer"]["id"]})["node"] == {"id": mine["volunteer"]["id"]}
            # The city's administrator sees both.
            assert admin(VOLUNTEERS, {})["volunteers"]["totalCount"] == 2

            # Without volunteer.view anywhere, or not signed in: refused.
            grid_worker = sign_in_as(deployment, client, "grid_worker", decode_pk(community, "OrgUnit"))
            anonymous = graphql_caller(client)
            for caller, message, code in (
                (grid_worker, "查看志愿者名册", "FORBIDDEN"),
                (anonymous, "请先登录", "UNAUTHENTICATED"),
            ):
                body = caller(VOLUNTEERS, {}, expect_errors=True)
                assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code
                assert message in body["errors"][0]["message"]
                assert caller(node, {"id": mine["volunteer"]["id"]})["node"] is None
            refused = register(anonymous, orgUnitId=community, name="张伟")
            assert [(e["code"], e["message"]) for e in refused["userErrors"]] == [("UNAUTHENTICATED", "请先登录。")]
        assert len(volunteer_rows(deployment)) == 2
    finally:
        deployment.dispose()


# --- (c) enabling later ----------------------------------------------------------------


def test_enabling_later_adds_only_the_plugin_table(backend: str, database_factory: DatabaseFactory) -> None:
    url = database_factory.create(backend)
    core_only = migrated_deployment(url, plugins=())
    with graphql(core_only) as client:
        unit = create_unit(city_admin(core_only, client), "八大关社区")
    core_tables = table_names(core_only)
    before = table_fingerprint(core_only, core_tables)
    core_heads = branch_heads(core_only)
    core_only.dispose()

    enabled = migrated_deployment(url, plugins=ENABLED)
    try:
        assert table_names(enabled) == core_tables | {"volunteer"}
        assert table_fingerprint(enabled, core_tables) == before
        heads = branch_heads(enabled)
        assert heads == sorted([*core_heads, "volunteer_0001"])
        assert set(heads) <= applied_revisions(enabled)
        with graphql(enabled) as client:
            # Signing in brings the built-in roles up to date, as jiceng user sync-roles does.
            assert register(city_admin(enabled, client), orgUnitId=unit, name="王秀兰")["userErrors"] == []
        # Migrating again changes nothing.
        again = table_fingerprint(enabled, core_tables | {"volunteer"})
        recorded = current_heads(enabled)
        assert upgrade(enabled, verbose=False) == recorded
        assert table_fingerprint(enabled, core_tables | {"volunteer"}) == again
    finally:
        enabled.dispose()


# --- (d) disabling again ---------------------------------------------------------------


def test_disabling_keeps_the_table_and_its_rows(backend: str, database_factory: DatabaseFactory) -> None:
    url = database_factory.create(backend)
    enabled = migrated_deployment(url, plugins=ENABLED)
    with graphql(enabled) as client:
        gql = city_admin(enabled, client)
        unit = create_unit(gql, "八大关社区")
        registered = register(gql, orgUnitId=unit, name="王秀兰", phone="13800000001")["volunteer"]
    all_tables = table_names(enabled)
    fingerprint = table_fingerprint(enabled, all_tables)
    enabled.dispose()

    # Core alone migrates cleanly and leaves the plugin's table and rows alone.
    disabled = migrated_deployment(url, plugins=())
    try:
        assert table_fingerprint(disabled, all_tables) == fingerprint
        assert volunteer_rows(disabled) == [("王秀兰", "13800000001")]
        assert "volunteers" not in disabled.schema.as_sdl()
        assert "volunteer_0001" in current_heads(disabled)
    finally:
        disabled.dispose()

    # Enabled again, the same rows are back in the API.
    again = migrated_deployment(url, plugins=ENABLED)
    try:
        with graphql(again) as client:
            page = city_admin(again, client)(VOLUNTEERS, {"unit": unit})["volunteers"]
            assert [e["node"]["id"] for e in page["edges"]] == [registered["id"]]
    finally:
        again.dispose()


def test_uninstalled_plugin_branch_stops_migration_without_touching_data(
    backend: str, database_factory: DatabaseFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_factory.create(backend)
    enabled = migrated_deployment(url, plugins=ENABLED)
    with graphql(enabled) as client:
        gql = city_admin(enabled, client)
        register(gql, orgUnitId=create_unit(gql, "八大关社区"), name="王秀兰")
    enabled.dispose()

    # The distribution is gone: the version table names a revision nobody has.
    monkeypatch.setattr(plugin_host, "discover_plugins", dict)
    deployment = build_deployment(make_settings(url, plugins=()))
    try:
        with pytest.raises(PluginError, match="volunteer_0001.*install that plugin again"):
            upgrade(deployment, verbose=False)
        assert volunteer_rows(deployment) == [("王秀兰", None)]
        assert "volunteer_0001" in current_heads(deployment)
    finally:
        deployment.dispose()


# --- (e) the host refuses what does not fit -------------------------------------------


def _fake_plugin(monkeypatch: pytest.MonkeyPatch, name: str, module: ModuleType) -> None:
    """Make ``module`` look installed under the entry-point name ``name``."""
    monkeypatch.setitem(sys.modules, module.__name__, module)
    real = plugin_host.discover_plugins
    entry_point = EntryPoint(name=name, value=module.__name__, group=ENTRY_POINT_GROUP)
    fake = InstalledPlugin(name=name, version="0.0.1", distribution=f"{name}-dist", entry_point=entry_point)
    monkeypatch.setattr(plugin_host, "discover_plugins", lambda: {**real(), name: fake})


def test_plugin_implementing_an_unknown_hook_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    @hookimpl
    def register_modles() -> list[type]:  # misspelt register_models
        return []

    module = plugin_module("jiceng_typo_plugin", register_modles=register_modles)
    _fake_plugin(monkeypatch, "typo", module)
    with pytest.raises(PluginError, match="'typo'.*register_modles"):
        load_plugin_host(("volunteer", "typo"))
    # Installed but not enabled, it is never loaded.
    assert load_plugin_host(ENABLED).enabled == ENABLED


def test_enabled_but_not_installed_plugin_is_named() -> None:
    with pytest.raises(PluginError, match="not installed: no_such_plugin") as excinfo:
        load_plugin_host(("volunteer", "no_such_plugin"))
    assert "installed:" in str(excinfo.value) and PLUGIN in str(excinfo.value).split("installed:")[-1]
    with pytest.raises(PluginError, match="no_such_plugin"):
        build_deployment(make_settings("sqlite://", plugins=("no_such_plugin",)))


# --- (f) the command line ----------------------------------------------------------------


def _isolated_cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, plugins: str) -> None:
    for variable in ("JICENG_DATABASE_URL", "JICENG_PRODUCTION"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("JICENG_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("JICENG_PLUGINS", plugins)


def _block(output: str, first_word: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.split(" ", 1)[0] == first_word)
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        block.append(line.strip())
    return block


def test_cli_lists_the_plugin_and_what_it_contributes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _isolated_cli_env(monkeypatch, tmp_path, PLUGIN)
    assert main(["plugins"]) == 0
    header, *contributions = _block(capsys.readouterr().out, PLUGIN)
    assert header == f"volunteer {importlib.metadata.version(DISTRIBUTION)} [enabled] ({DISTRIBUTION})"
    listed = dict(line.split(": ", 1) for line in contributions)
    assert listed["models"] == "volunteer"
    # Types by name, query and mutation classes by the fields they add.
    assert listed["graphql_types"] == "Volunteer"
    assert listed["query_fields"] == "volunteers"
    assert listed["mutation_fields"] == "registerVolunteer"
    assert listed["permissions"] == "volunteer.view, volunteer.register"
    assert listed["policy_keys"] == "volunteer.min_registration_ratio, volunteer.min_activities_per_year"
    assert listed["migration_locations"].endswith("versions")

    _isolated_cli_env(monkeypatch, tmp_path, "")
    assert main(["plugins"]) == 0
    assert _block(capsys.readouterr().out, PLUGIN)[0].endswith(f"[installed] ({DISTRIBUTION})")
