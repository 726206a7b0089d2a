"""The audit trail: one record per mutation in the mutation's transaction,
refusals and errors recorded after the rollback, the hash chain, its
verification, concurrent writers and the ``auditRecords`` query with its
scope. Every test runs on SQLite and PostgreSQL.

``gql`` is the system administrator of the root unit 青岛市 (``root_unit``,
created without an audit record, as the command line creates it); signing
in writes no audit record either, so the first mutation of a test is record 1.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from core import cli
from core.api.context import RequestContext
from core.api.errors import UserInputError
from core.api.relay import decode_pk, encode_global_id
from core.api.rows import row_as
from core.api.schema import ApiRegistry
from core.app import Deployment
from core.audit import service
from core.audit.models import GENESIS_HASH, AuditChainHead, AuditPending, AuditRecord
from core.auth import service as auth_service
from core.auth.config import AuthConfig
from core.auth.permissions import registry_for
from core.auth.roles import ensure_default_roles
from core.org import service as org_service
from core.org.models import OrgUnit, OrgUnitMove
from tests.conftest import TEST_PASSWORD, GraphQLCall, SignedIn, SignIn, graphql_caller

CREATE = """
mutation($input: CreateOrgUnitInput!) {
  createOrgUnit(input: $input) { orgUnit { id } userErrors { field code message } }
}
"""
UPDATE = """
mutation($input: UpdateOrgUnitInput!) {
  updateOrgUnit(input: $input) { orgUnit { id name } userErrors { field code message } }
}
"""
MOVE = """
mutation($input: MoveOrgUnitInput!) {
  moveOrgUnit(input: $input) { orgUnit { id } userErrors { field code message } }
}
"""
AUDIT_RECORDS = """
query($orgUnitId: ID, $action: String, $objectType: String, $objectId: ID, $first: Int, $after: String,
      $last: Int, $before: String) {
  auditRecords(orgUnitId: $orgUnitId, action: $action, objectType: $objectType, objectId: $objectId,
               first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { seq action outcome objectType objectId actorLabel actorUserId orgUnit { name } hash prevHash } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@pytest.fixture
def gql(admin_gql: SignedIn) -> GraphQLCall:
    """The administrator of 青岛市 (username ``admin``)."""
    return admin_gql


def create(gql: Any, name: str, level: str, parent_id: str | None = None) -> str:
    payload = gql(CREATE, {"input": {"name": name, "level": level, "parentId": parent_id}})["createOrgUnit"]
    assert payload["userErrors"] == []
    return str(payload["orgUnit"]["id"])


def gid(unit_id: int) -> str:
    return encode_global_id("OrgUnit", unit_id)


def pk(global_id: str) -> int:
    return decode_pk(global_id, "OrgUnit")


def all_records(deployment: Deployment) -> list[AuditRecord]:
    with deployment.session_factory() as session:
        return list(session.scalars(select(AuditRecord).order_by(AuditRecord.seq)))


def verify(deployment: Deployment, **kwargs: Any) -> service.VerifyResult:
    with deployment.session_factory() as session:
        return service.verify(session, **kwargs)


def tamper(deployment: Deployment, sql: str, **params: Any) -> None:
    with deployment.engine.begin() as connection:
        connection.execute(text(sql), params)


def append(deployment: Deployment, count: int, **fields: Any) -> None:
    for i in range(count):
        with deployment.session_factory() as session, session.begin():
            service.record(session, action="test:append", object_type="Thing", object_id=i, **fields)


# --- one record per mutation ----------------------------------------------------


def test_mutation_writes_one_record_with_its_subject(gql: Any, deployment: Deployment, root_unit: int) -> None:
    city = gid(root_unit)
    district = create(gql, "市南区", "district", city)
    (entry,) = all_records(deployment)
    with deployment.session_factory() as session:
        unit = session.get(OrgUnit, pk(district))
        assert unit is not None
        district_path = unit.path
    assert entry.seq == 1
    assert entry.action == "mutation:createOrgUnit"
    assert entry.outcome == "success"
    assert (entry.object_type, entry.object_id) == ("OrgUnit", str(pk(district)))
    assert (entry.org_unit_id, entry.org_unit_path) == (pk(district), district_path)
    assert (entry.actor_user_id, entry.actor_label) == (gql.user_id, "admin")
    assert entry.purpose is None and entry.detail is None
    assert entry.prev_hash == GENESIS_HASH
    assert entry.hash == service.compute_hash(entry.__dict__)
    assert entry.occurred_at is not None

    street = create(gql, "八大关街道", "street", district)
    other = create(gql, "崂山区", "district", city)
    data = gql(
        MOVE,
        {"input": {"id": street, "newParentId": other, "reason": "青政字〔2026〕1号", "effectiveOn": "2026-12-01"}},
    )
    assert data["moveOrgUnit"]["userErrors"] == []
    records = all_records(deployment)
    assert [r.seq for r in records] == [1, 2, 3, 4]
    move = records[-1]
    assert move.action == "mutation:moveOrgUnit"
    assert (move.object_type, move.object_id, move.org_unit_id) == ("OrgUnit", str(pk(street)), pk(street))
    # The path as it is after the move: the record sits in the new subtree.
    assert move.org_unit_path == f"/{pk(city)}/{pk(other)}/{pk(street)}/"
    assert [r.prev_hash for r in records[1:]] == [r.hash for r in records[:-1]]
    with deployment.session_factory() as session:
        head = session.get(AuditChainHead, 1)
        assert head is not None and (head.seq, head.hash) == (4, move.hash)


def test_record_is_written_in_the_mutations_transaction(
    gql: Any, deployment: Deployment, monkeypatch: pytest.MonkeyPatch, root_unit: int
) -> None:
    city = gid(root_unit)

    def no_audit(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("audit store unavailable")

    # When the audit record cannot be written, the change is not kept either.
    monkeypatch.setattr(service, "_append", no_audit)
    monkeypatch.setattr(service, "_append_pending", no_audit)
    body = gql(UPDATE, {"input": {"id": city, "name": "青岛"}}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    monkeypatch.undo()
    with deployment.session_factory() as session:
        assert session.get_one(OrgUnit, pk(city)).name == "青岛市"
    assert all_records(deployment) == []


def test_unexpected_failure_keeps_nothing_of_the_change(
    gql: Any, deployment: Deployment, monkeypatch: pytest.MonkeyPatch, root_unit: int
) -> None:
    city = gid(root_unit)
    original = org_service.create_unit

    def create_then_fail(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)  # the unit is flushed ...
        raise RuntimeError("disk full")  # ... and then something breaks

    monkeypatch.setattr(org_service, "create_unit", create_then_fail)
    body = gql(CREATE, {"input": {"name": "市南区", "level": "district", "parentId": city}}, expect_errors=True)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OrgUnit)) == 1
    records = all_records(deployment)
    assert [(r.action, r.outcome) for r in records] == [("mutation:createOrgUnit", "error")]
    failed = records[-1]
    # The failed attempt is recorded against the parent it was made under, with no object.
    assert (failed.object_type, failed.object_id, failed.org_unit_id) == ("OrgUnit", None, pk(city))
    assert failed.detail == '{"error":"RuntimeError"}'
    assert verify(deployment).ok


def test_refused_mutation_writes_a_refused_record_and_no_data(gql: Any, deployment: Deployment, root_unit: int) -> None:
    city = gid(root_unit)
    district = create(gql, "市南区", "district", city)
    street = create(gql, "八大关街道", "street", district)
    data = gql(MOVE, {"input": {"id": district, "newParentId": street, "reason": "测试", "effectiveOn": "2026-12-01"}})
    assert [e["code"] for e in data["moveOrgUnit"]["userErrors"]] == ["MOVE_INTO_OWN_SUBTREE"]
    refused = all_records(deployment)[-1]
    assert (refused.seq, refused.action, refused.outcome) == (3, "mutation:moveOrgUnit", "refused")
    assert (refused.object_type, refused.object_id, refused.org_unit_id) == ("OrgUnit", str(pk(district)), pk(district))
    assert refused.org_unit_path == f"/{pk(city)}/{pk(district)}/"
    assert refused.detail == '{"codes":["MOVE_INTO_OWN_SUBTREE"]}'
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(OrgUnitMove)) == 0

    # Unknown level: refused before anything exists; the record names the parent's unit.
    data = gql(CREATE, {"input": {"name": "X", "level": "galaxy", "parentId": city}})
    assert [e["code"] for e in data["createOrgUnit"]["userErrors"]] == ["UNKNOWN_LEVEL"]
    refused = all_records(deployment)[-1]
    assert (refused.outcome, refused.object_id, refused.org_unit_id) == ("refused", None, pk(city))
    assert verify(deployment).ok


def test_refused_change_already_flushed_is_rolled_back(
    gql: Any, deployment: Deployment, monkeypatch: pytest.MonkeyPatch, root_unit: int
) -> None:
    city = gid(root_unit)
    original = org_service.update_unit

    def update_then_refuse(*args: Any, **kwargs: Any) -> Any:
        original(*args, **kwargs)  # the new name is flushed ...
        raise UserInputError("QUOTA", "本月调整次数已满。")  # ... then a rule refuses

    monkeypatch.setattr(org_service, "update_unit", update_then_refuse)
    data = gql(UPDATE, {"input": {"id": city, "name": "青岛"}})
    assert [e["code"] for e in data["updateOrgUnit"]["userErrors"]] == ["QUOTA"]
    with deployment.session_factory() as session:
        assert session.get_one(OrgUnit, pk(city)).name == "青岛市"
    assert [(r.action, r.outcome, r.object_id) for r in all_records(deployment)] == [
        ("mutation:updateOrgUnit", "refused", str(pk(city))),
    ]


def test_every_mutation_of_a_document_gets_its_own_record(gql: Any, deployment: Deployment, root_unit: int) -> None:
    city = gid(root_unit)
    data = gql(
        """mutation($a: UpdateOrgUnitInput!, $b: UpdateOrgUnitInput!) {
             first: updateOrgUnit(input: $a) { userErrors { code } }
             second: updateOrgUnit(input: $b) { userErrors { code } }
           }""",
        {"a": {"id": city, "name": "青岛"}, "b": {"id": city, "name": " "}},
    )
    assert data == {"first": {"userErrors": []}, "second": {"userErrors": [{"code": "REQUIRED"}]}}
    assert [r.outcome for r in all_records(deployment)] == ["success", "refused"]


def test_payload_node_is_the_subject_when_nothing_was_noted() -> None:
    from core.org.schema import CreateOrgUnitPayload, OrgUnitType

    unit = OrgUnit(id=7, name="X", level="city", path="/7/", depth=0)
    subject = service.subject_from_payload(CreateOrgUnitPayload(org_unit=row_as(OrgUnitType, unit)))
    assert subject is not None and (subject.object_type, subject.object_id, subject.org_unit_id) == ("OrgUnit", 7, 7)
    assert service.subject_from_payload(CreateOrgUnitPayload(org_unit=None)) is None


# --- sensitive reads ------------------------------------------------------------------


def test_sensitive_read_outside_a_mutation_is_committed_at_once(deployment: Deployment) -> None:
    with deployment.session_factory() as session:
        context = RequestContext(session=session, settings=deployment.settings, registry=ApiRegistry())
        service.record_read(
            context,
            action="reveal:resident.id_number",
            object_type="Resident",
            object_id=42,
            org_unit_id=None,
            purpose="核对低保申请",
        )
        session.rollback()  # what the HTTP layer does after every query
        for purpose in (None, "  ", "长" * 501):
            with pytest.raises(UserInputError):
                service.record_read(
                    context,
                    action="reveal:resident.id_number",
                    object_type="Resident",
                    object_id=42,
                    org_unit_id=None,
                    purpose=purpose,
                )
    (entry,) = all_records(deployment)
    assert (entry.action, entry.object_id, entry.purpose, entry.actor_label) == (
        "reveal:resident.id_number",
        "42",
        "核对低保申请",
        "anonymous",
    )


# --- verify -------------------------------------------------------------------------


def test_verify_intact_chain(deployment: Deployment) -> None:
    assert verify(deployment).ok and verify(deployment).count == 0
    append(deployment, 25, detail={"说明": "中文与 JSON"}, purpose="核对")
    result = verify(deployment, batch_size=7)  # several batches
    assert result.ok, result.problems
    assert result.count == 25


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("actor_label", "someone else"),
        ("object_id", "999"),
        ("org_unit_path", "/1/"),
        ("outcome", "refused"),
        ("detail", '{"x":1}'),
        ("occurred_at", "2020-01-01 00:00:00"),
    ],
)
def test_verify_names_a_modified_record(deployment: Deployment, column: str, value: str) -> None:
    append(deployment, 5)
    if column == "occurred_at" and deployment.engine.dialect.name == "postgresql":
        value = "2020-01-01 00:00:00+00"
    tamper(deployment, f"UPDATE audit_record SET {column} = :value WHERE seq = 3", value=value)
    result = verify(deployment, batch_size=2)
    assert [(p.kind, p.seq) for p in result.problems] == [("modified", 3)]
    assert "第 3 条" in result.problems[0].message


def test_verify_reports_a_field_edited_into_the_wrong_type(deployment: Deployment, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("only SQLite stores text in an INTEGER or DATETIME column")
    append(deployment, 3)
    tamper(deployment, "UPDATE audit_record SET occurred_at = 'yesterday', actor_user_id = 'x' WHERE seq = 2")
    assert [(p.kind, p.seq) for p in verify(deployment).problems] == [("modified", 2)]


def test_verify_names_a_deleted_record(deployment: Deployment) -> None:
    append(deployment, 6)
    tamper(deployment, "DELETE FROM audit_record WHERE seq = 3")
    result = verify(deployment)
    assert [(p.kind, p.seq, p.last_seq) for p in result.problems] == [("missing", 3, None)]
    assert result.count == 5
    tamper(deployment, "DELETE FROM audit_record WHERE seq IN (4, 5)")
    assert [(p.kind, p.seq, p.last_seq) for p in verify(deployment).problems] == [("missing", 3, 5)]


def test_verify_names_a_deleted_first_and_last_record(deployment: Deployment) -> None:
    append(deployment, 4)
    tamper(deployment, "DELETE FROM audit_record WHERE seq IN (1, 4)")
    assert [(p.kind, p.seq) for p in verify(deployment).problems] == [("missing", 1), ("missing", 4)]


def test_verify_names_where_a_rehashed_record_breaks_the_link(deployment: Deployment) -> None:
    append(deployment, 4)
    with deployment.session_factory() as session:
        row = session.execute(select(*service._COLUMNS).where(AuditRecord.seq == 2)).one()._mapping
        forged = {**row, "actor_label": "forger"}
        new_hash = service.compute_hash(forged)
    tamper(deployment, "UPDATE audit_record SET actor_label = 'forger', hash = :h WHERE seq = 2", h=new_hash)
    problems = verify(deployment).problems
    assert [(p.kind, p.seq) for p in problems] == [("broken_link", 3)]
    assert "第 2 条" in problems[0].message


def test_verify_checks_the_head(deployment: Deployment, backend: str) -> None:
    append(deployment, 3)
    tamper(deployment, "UPDATE audit_chain_head SET hash = :h", h="f" * 64)
    assert [(p.kind, p.seq) for p in verify(deployment).problems] == [("head", 3)]
    with deployment.session_factory() as session:
        second = session.scalar(select(AuditRecord.hash).where(AuditRecord.seq == 2))
    tamper(deployment, "UPDATE audit_chain_head SET seq = 2, hash = :h", h=second)
    assert [(p.kind, p.seq) for p in verify(deployment).problems] == [("head", 3)]
    tamper(deployment, "DELETE FROM audit_chain_head")
    assert [(p.kind, p.seq) for p in verify(deployment).problems] == [("head", None)]
    # The chain is not continued from a guess. On PostgreSQL the record is
    # kept pending (committed with its change) and waits for the head.
    if backend == "sqlite":
        with pytest.raises(service.AuditChainError):
            append(deployment, 1)
        return
    append(deployment, 1)
    with deployment.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(AuditPending)) == 1
        assert session.scalar(select(func.max(AuditRecord.seq))) == 3


def test_records_appended_during_verify_are_not_reported(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    append(deployment, 3)
    with deployment.session_factory() as reader:
        head = reader.execute(select(AuditChainHead.seq)).scalar_one()
        assert head == 3
        original_batches = service._batches

        def batches_with_a_concurrent_append(*args: Any, **kwargs: Any) -> Iterator[Any]:
            for batch in original_batches(*args, **kwargs):
                append(deployment, 2)  # another writer commits meanwhile
                yield batch

        monkeypatch.setattr(service, "_batches", batches_with_a_concurrent_append)
        result = service.verify(reader, batch_size=1)
    assert result.ok, result.problems
    assert verify(deployment).ok


# --- concurrency --------------------------------------------------------------------


def test_concurrent_writers_never_fork_the_chain(deployment: Deployment, backend: str) -> None:
    writers, appends = 16, 25
    barrier = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(appends):
                with deployment.session_factory() as session, session.begin():
                    service.record(session, action="test:concurrent", object_type="Worker", object_id=f"{worker}-{i}")
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    print(f"\n{backend}: {writers} writers x {appends} appends in {elapsed:.2f}s")
    assert not failures, failures
    result = verify(deployment)
    assert result.ok, result.problems
    assert result.count == writers * appends
    with deployment.session_factory() as session:
        seqs = list(session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)))
        labels = set(session.scalars(select(AuditRecord.object_id)))
    assert seqs == list(range(1, writers * appends + 1))
    assert len(labels) == writers * appends


def test_concurrent_mutations_on_postgresql(deployment: Deployment, backend: str) -> None:
    """Mutations lock their own rows first and the chain head last: 16
    concurrent writers, successes and refusals mixed, leave one intact chain."""
    if backend != "postgresql":
        pytest.skip("SQLite allows one writer at a time; concurrent mutations are a PostgreSQL matter")
    writers, rounds = 16, 10
    schema = deployment.schema
    registry = registry_for(deployment.host)
    with deployment.session_factory() as session, session.begin():
        city = org_service.create_unit(session, deployment.settings, name="青岛市", level="city", parent_id=None)
        units = [
            org_service.create_unit(session, deployment.settings, name=f"区{i}", level="district", parent_id=city.id).id
            for i in range(writers)
        ]
        ensure_default_roles(session, registry)
        user = auth_service.create_user(
            session, AuthConfig(), username="admin", display_name="管理员", password=TEST_PASSWORD
        )
        auth_service.grant_role(session, registry, None, user_id=user.id, role_code="admin", org_unit_id=city.id)
    with deployment.session_factory() as session:
        admin = auth_service.principal_for_user(session, user.id)
    barrier = threading.Barrier(writers)
    failures: list[Any] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(rounds):
                # Every third change is refused (blank name), the rest succeed.
                name = " " if i % 3 == 2 else f"区{worker}-{i}"
                with deployment.session_factory() as session:
                    context = RequestContext(
                        session=session, settings=deployment.settings, registry=schema.registry, user=admin
                    )
                    result = schema.strawberry_schema.execute_sync(
                        UPDATE,
                        variable_values={"input": {"id": gid(units[worker]), "name": name}},
                        context_value=context,
                    )
                    if result.errors:
                        failures.append(result.errors)
        except BaseException as exc:  # reported below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"\n{backend}: {writers} writers x {rounds} mutations in {time.perf_counter() - started:.2f}s")
    assert not failures, failures
    result = verify(deployment)
    assert result.ok, result.problems
    assert result.count == writers * rounds
    records = all_records(deployment)
    assert [r.seq for r in records] == list(range(1, writers * rounds + 1))
    refused = sum(1 for i in range(rounds) if i % 3 == 2) * writers
    assert sum(r.outcome == "refused" for r in records) == refused
    with deployment.session_factory() as session:
        names = {
            row.id: row.name for row in session.execute(select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(units)))
        }
    assert names == {
        unit: f"区{w}-{rounds - 1 if (rounds - 1) % 3 != 2 else rounds - 2}" for w, unit in enumerate(units)
    }


def test_rolled_back_append_leaves_no_gap(deployment: Deployment) -> None:
    append(deployment, 2)
    with deployment.session_factory() as session:
        service.record(session, action="test:rolled_back")
        session.rollback()
    append(deployment, 1)
    assert [r.seq for r in all_records(deployment)] == [1, 2, 3]
    assert verify(deployment).ok


# --- the command line ----------------------------------------------------------------


def test_cli_verify_exit_codes(
    deployment: Deployment, core_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JICENG_DATABASE_URL", core_database_url)
    append(deployment, 4)
    assert cli.main(["--config", "/nonexistent.toml", "audit", "verify"]) == 0
    assert capsys.readouterr().out.strip() == "OK: 4 records"

    tamper(deployment, "UPDATE audit_record SET action = 'test:other' WHERE seq = 2")
    tamper(deployment, "DELETE FROM audit_record WHERE seq = 4")
    assert cli.main(["--config", "/nonexistent.toml", "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "modified: seq 2:" in out
    assert "missing: seq 4:" in out
    assert out.index("seq 2") < out.index("seq 4")

    assert cli.main(["--config", "/nonexistent.toml", "audit"]) == 2


# --- GraphQL ------------------------------------------------------------------------


def test_audit_records_of_a_subtree_newest_first(gql: Any, deployment: Deployment, root_unit: int) -> None:
    city = gid(root_unit)
    district = create(gql, "市南区", "district", city)  # 1
    street_a = create(gql, "八大关街道", "street", district)  # 2
    street_b = create(gql, "香港中路街道", "street", district)  # 3
    community = create(gql, "太平角社区", "community", street_a)  # 4
    gql(UPDATE, {"input": {"id": street_a, "name": " "}})  # 5, refused
    gql(UPDATE, {"input": {"id": street_b, "name": "香港中路"}})  # 6

    connection = gql(AUDIT_RECORDS, {"orgUnitId": street_a})["auditRecords"]
    nodes = [edge["node"] for edge in connection["edges"]]
    assert [n["seq"] for n in nodes] == ["5", "4", "2"]
    assert connection["totalCount"] == 3
    assert nodes[0]["outcome"] == "REFUSED" and nodes[1]["outcome"] == "SUCCESS"
    assert nodes[1]["orgUnit"] == {"name": "太平角社区"} and nodes[1]["objectId"] == community
    assert nodes[1]["actorLabel"] == "admin" and nodes[1]["actorUserId"] == gql.user_id

    everything = gql(AUDIT_RECORDS, {"first": 3})["auditRecords"]
    assert [e["node"]["seq"] for e in everything["edges"]] == ["6", "5", "4"]
    assert everything["pageInfo"]["hasNextPage"] is True
    after = gql(AUDIT_RECORDS, {"first": 3, "after": everything["pageInfo"]["endCursor"]})["auditRecords"]
    assert [e["node"]["seq"] for e in after["edges"]] == ["3", "2", "1"]
    assert after["pageInfo"]["hasPreviousPage"] is True
    before = gql(AUDIT_RECORDS, {"last": 2, "before": after["pageInfo"]["startCursor"]})["auditRecords"]
    assert [e["node"]["seq"] for e in before["edges"]] == ["5", "4"]

    refused = gql(AUDIT_RECORDS, {"orgUnitId": district, "action": "mutation:updateOrgUnit"})["auditRecords"]
    assert [e["node"]["seq"] for e in refused["edges"]] == ["6", "5"]
    by_object = gql(AUDIT_RECORDS, {"objectId": street_b})["auditRecords"]
    assert [e["node"]["seq"] for e in by_object["edges"]] == ["6", "3"]

    body = gql(AUDIT_RECORDS, {"after": "bm90LWEtY3Vyc29y"}, expect_errors=True)
    assert body["errors"][0]["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}


def test_org_units_of_a_page_load_in_one_query(gql: Any, deployment: Deployment, root_unit: int) -> None:
    city = gid(root_unit)
    for i in range(7):
        create(gql, f"区{i}", "district", city)
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM org_unit" in statement:
            statements.append(statement)

    event.listen(deployment.engine, "before_cursor_execute", note)
    try:
        connection = gql(AUDIT_RECORDS, {"first": 7})["auditRecords"]
    finally:
        event.remove(deployment.engine, "before_cursor_execute", note)
    assert sorted(e["node"]["orgUnit"]["name"] for e in connection["edges"]) == sorted(f"区{i}" for i in range(7))
    assert len(statements) == 1, statements


def test_audit_records_follow_the_unit_path_at_the_time(gql: Any, deployment: Deployment, root_unit: int) -> None:
    city = gid(root_unit)
    old = create(gql, "市南区", "district", city)  # 1
    new = create(gql, "崂山区", "district", city)  # 2
    street = create(gql, "八大关街道", "street", old)  # 3, under the old district
    gql(MOVE, {"input": {"id": street, "newParentId": new, "reason": "区划调整", "effectiveOn": "2026-12-01"}})  # 4
    assert [e["node"]["seq"] for e in gql(AUDIT_RECORDS, {"orgUnitId": old})["auditRecords"]["edges"]] == ["3", "1"]
    assert [e["node"]["seq"] for e in gql(AUDIT_RECORDS, {"orgUnitId": new})["auditRecords"]["edges"]] == ["4", "2"]


def seqs(gql: Any, **variables: Any) -> tuple[list[str], int]:
    connection = gql(AUDIT_RECORDS, variables)["auditRecords"]
    return [e["node"]["seq"] for e in connection["edges"]], connection["totalCount"]


def test_audit_records_are_limited_to_the_readers_scope(
    gql: Any, sign_in: SignIn, client: Any, deployment: Deployment, root_unit: int
) -> None:
    city = gid(root_unit)
    district = create(gql, "市南区", "district", city)  # 1
    street_a = create(gql, "八大关街道", "street", district)  # 2
    street_b = create(gql, "香港中路街道", "street", district)  # 3
    create(gql, "太平角社区", "community", street_a)  # 4
    create(gql, "中山路社区", "community", street_b)  # 5
    append(deployment, 1)  # 6: a record of no org unit (a sign-in, say)
    create(gql, "崂山区", "district", city)  # 7

    # A street leader reads the records of their street only: another
    # street's are invisible, listed or asked for by unit or object.
    leader = sign_in("street_leader", pk(street_a))
    assert seqs(leader) == (["4", "2"], 2)
    assert seqs(leader, orgUnitId=street_b) == ([], 0)
    assert seqs(leader, objectId=street_b) == ([], 0)
    assert seqs(leader, orgUnitId=district) == (["4", "2"], 2)
    # A district auditor reads the district's, not what belongs to no unit.
    auditor = sign_in("auditor", pk(district))
    assert seqs(auditor) == (["5", "4", "3", "2", "1"], 5)
    # Only audit.view at a root unit shows the records of no unit.
    assert seqs(gql) == (["7", "6", "5", "4", "3", "2", "1"], 7)
    assert seqs(sign_in("auditor", root_unit), first=2) == (["7", "6"], 7)

    # Not signed in (UNAUTHENTICATED), or no audit.view anywhere (FORBIDDEN): refused.
    for reader, message, code in (
        (graphql_caller(client), "请先登录。", "UNAUTHENTICATED"),
        (sign_in("street_staff", pk(street_a)), None, "FORBIDDEN"),
    ):
        body = reader(AUDIT_RECORDS, {}, expect_errors=True)
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == code
        assert message is None or body["errors"][0]["message"] == message


# --- schema ---------------------------------------------------------------------------


def test_model_matches_migration(deployment: Deployment) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with deployment.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diffs = compare_metadata(context, deployment.metadata)
    assert [d for d in diffs if "audit_" in repr(d)] == []


def test_actor_of_a_user() -> None:
    assert service.actor_of(None) == service.Actor(None, "anonymous")
    assert service.actor_of(type("U", (), {"id": 3, "username": "zhang"})()) == service.Actor(3, "zhang")
