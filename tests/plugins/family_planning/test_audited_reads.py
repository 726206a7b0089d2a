"""Reads of family-planning records: only the family-planning role in scope
reads them, always with a stated purpose, and every read is in the audit
trail; nobody else learns that they exist; the woman a record is about sees
it and every read of it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from core.audit.models import AuditPending, AuditRecord
from tests.plugins.family_planning.conftest import (
    PURPOSE,
    Env,
    error_codes,
    ok,
    record_profile,
)

WOMEN = """query($under: ID!, $purpose: String!) { childbearingWomen(under: $under, purpose: $purpose, first: 20) {
  totalCount nodes { name age profile { id maritalStatus contraception } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on FamilyPlanningProfile { contraception } } }"
AUDITED_NODE = "query($id: ID!, $p: String!) { auditedNode(id: $id, purpose: $p) { id ... on FamilyPlanningProfile { contraception residentName } } }"
LISTS = {
    "familyPlanningBirths": "nodes { id }",
    "familyPlanningCertificates": "nodes { id }",
    "familyPlanningFollowUps": "nodes { id }",
    "familyPlanningBenefits": "nodes { id }",
    "familyPlanningAgreements": "nodes { id }",
    "childbearingWomen": "nodes { name }",
}


def audit_rows(env: Env, action: str) -> list[Any]:
    """Chained and pending audit records of ``action`` (PostgreSQL chains after commit)."""
    with env.session() as session:
        rows: list[Any] = list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)))
        rows += list(session.scalars(select(AuditPending).where(AuditPending.action == action)))
        return rows


@pytest.fixture
def profile_id(env: Env) -> str:
    return ok(record_profile(env.worker(), env.rid("wife30")))["profile"]["id"]


def test_the_register_is_a_view_of_the_registry_within_the_age_range_and_every_list_read_is_audited(
    env: Env, profile_id: str
) -> None:
    worker = env.worker()
    data = worker(WOMEN, {"under": env.unit(), "purpose": PURPOSE})["childbearingWomen"]
    assert [n["name"] for n in data["nodes"]] == ["居民wife30"]  # 14 and 50 are outside 15—49; men never
    assert data["nodes"][0]["profile"]["contraception"] == "iud"
    records = audit_rows(env, "read:FamilyPlanningProfile")
    assert len(records) == 1
    assert records[0].purpose == PURPOSE and records[0].actor_user_id == worker.user_id
    assert json.loads(records[0].detail)["kind"] == "list"
    reads = env.reads()
    assert [(r.subject_resident_id, r.purpose, r.kind, r.reader_user_id) for r in reads] == [
        (env.tree.people["wife30"], PURPOSE, "list", worker.user_id)
    ]


def test_the_age_range_is_locality_policy(env: Env) -> None:
    from tests.plugins.family_planning.conftest import set_policy

    set_policy(env.deployment, env.tree.community, "family_planning.childbearing_age.max", 55)
    names = [
        n["name"] for n in env.worker()(WOMEN, {"under": env.unit(), "purpose": PURPOSE})["childbearingWomen"]["nodes"]
    ]
    assert names == ["居民wife30", "居民woman50"]


def test_a_list_page_costs_one_audit_record_naming_every_id(env: Env) -> None:
    worker = env.worker()
    for key in ("wife30", "woman50", "girl14"):
        ok(record_profile(worker, env.rid(key), maritalStatus="unmarried", children=0, contraception=None))
    env.worker()(WOMEN, {"under": env.unit(), "purpose": PURPOSE})
    data = worker(
        "query($u: ID!, $p: String!) { familyPlanningBenefits(under: $u, purpose: $p) { nodes { id } } }",
        {"u": env.unit(), "p": PURPOSE},
    )
    assert data["familyPlanningBenefits"]["nodes"] == []
    records = audit_rows(env, "read:FamilyPlanningProfile")
    assert len(records) == 1  # one page: one record, even for several women
    # An empty list writes nothing: no record was read.
    assert audit_rows(env, "read:FamilyPlanningBenefit") == []


@pytest.mark.parametrize("purpose", ["", "   "])
def test_no_purpose_no_read(env: Env, profile_id: str, purpose: str) -> None:
    body = env.worker()(WOMEN, {"under": env.unit(), "purpose": purpose}, expect_errors=True)
    assert error_codes(body) == ["PURPOSE_REQUIRED"]
    assert body["data"] is None
    assert env.reads() == []


def test_node_needs_a_purpose_and_audited_node_logs_the_read(env: Env, profile_id: str) -> None:
    worker = env.worker()
    body = worker(NODE, {"id": profile_id}, expect_errors=True)
    assert error_codes(body) == ["PURPOSE_REQUIRED"]
    assert env.reads() == []
    node = worker(AUDITED_NODE, {"id": profile_id, "p": "核对孕检预约"})["auditedNode"]
    assert node["contraception"] == "iud" and node["residentName"] == "居民wife30"
    records = audit_rows(env, "read:FamilyPlanningProfile")
    assert len(records) == 1 and records[0].purpose == "核对孕检预约"
    assert json.loads(records[0].detail)["kind"] == "node"
    assert [r.kind for r in env.reads()] == ["node"]


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("grid_worker", "grid"),
        ("street_leader", "street"),
        ("community_worker", "community"),
        ("committee_chair", "community"),
        ("admin", "street"),
    ],
)
def test_others_cannot_read_any_record_nor_learn_that_it_exists(
    env: Env, profile_id: str, role: str, unit: str
) -> None:
    caller = env.call(role, getattr(env.tree, unit))
    assert caller(NODE, {"id": profile_id})["node"] is None
    assert caller(AUDITED_NODE, {"id": profile_id, "p": PURPOSE})["auditedNode"] is None
    for field, selection in LISTS.items():
        body = caller(
            f'query($u: ID!) {{ {field}(under: $u, purpose: "{PURPOSE}") {{ {selection} }} }}',
            {"u": env.unit()},
            expect_errors=True,
        )
        assert error_codes(body) == ["FORBIDDEN"], field
    assert env.reads() == []


def test_an_anonymous_caller_reads_nothing(env: Env, gql: Any, profile_id: str) -> None:
    assert gql(NODE, {"id": profile_id})["node"] is None
    assert gql(AUDITED_NODE, {"id": profile_id, "p": PURPOSE})["auditedNode"] is None
    for field, selection in LISTS.items():
        body = gql(
            f'query($u: ID!) {{ {field}(under: $u, purpose: "{PURPOSE}") {{ {selection} }} }}',
            {"u": env.unit()},
            expect_errors=True,
        )
        assert error_codes(body) == ["UNAUTHENTICATED"], field
    assert env.reads() == []


def test_the_family_planning_worker_of_another_street_reads_nothing_here(env: Env, profile_id: str) -> None:
    other = env.call("family_planning_worker", env.tree.other_community)
    assert other(AUDITED_NODE, {"id": profile_id, "p": PURPOSE})["auditedNode"] is None
    data = other(WOMEN, {"under": env.unit(), "purpose": PURPOSE})["childbearingWomen"]
    assert data["nodes"] == [] and data["totalCount"] == 0
    assert env.reads() == []


def test_a_mutation_naming_a_record_out_of_scope_gets_not_found(env: Env) -> None:
    worker = env.worker()
    ok(record_profile(worker, env.rid("wife30")))
    other = env.call("family_planning_worker", env.tree.other_community)
    payload = record_profile(other, env.rid("wife30"))
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]


MINE = "{ myAuditedRecords { id ... on FamilyPlanningProfile { maritalStatus contraception } } }"
MY_READS = "{ myRecordReads(first: 10) { totalCount nodes { readerLabel purpose kind kindLabel recordType recordTypeLabel readAt } } }"


def test_a_resident_sees_her_own_records_and_who_read_them(env: Env, profile_id: str) -> None:
    worker = env.worker()
    worker(AUDITED_NODE, {"id": profile_id, "p": "核对孕检预约"})
    wife = env.resident_account("wife30")
    mine = wife(MINE)["myAuditedRecords"]
    assert [(r["id"], r["contraception"]) for r in mine] == [(profile_id, "iud")]
    reads = wife(MY_READS)["myRecordReads"]
    # Newest first: her own look, then the worker's read with its purpose.
    assert [(n["kind"], n["purpose"]) for n in reads["nodes"]] == [
        ("own", "本人查阅（个人信息查阅权）"),
        ("node", "核对孕检预约"),
    ]
    assert reads["nodes"][1]["readerLabel"] == worker.username
    assert reads["nodes"][1]["recordTypeLabel"] == "婚育信息"
    # Her husband's account sees none of it: the records and reads are about her.
    husband = env.resident_account("husband32")
    assert husband(MINE)["myAuditedRecords"] == []
    assert husband(MY_READS)["myRecordReads"]["totalCount"] == 0


def test_own_records_need_a_linked_resident_account(env: Env, gql: Any) -> None:
    assert error_codes(gql(MY_READS, expect_errors=True)) == ["UNAUTHENTICATED"]
    worker = env.worker()
    assert error_codes(worker(MY_READS, expect_errors=True)) == ["FORBIDDEN"]


def test_the_audited_types_are_listed(env: Env) -> None:
    types = env.worker()("{ auditedRecordTypes { typeName label permission } }")["auditedRecordTypes"]
    assert {t["typeName"] for t in types} >= {
        "FamilyPlanningProfile",
        "FamilyPlanningBirth",
        "FamilyPlanningCertificate",
    }
    assert {t["permission"] for t in types} == {
        "family_planning.read",
        "family_planning.serve",
    }  # service visits: serve


def test_logging_a_page_costs_the_same_statements_whatever_its_size(env: Env) -> None:
    from sqlalchemy import event

    worker = env.worker()
    for key in ("wife30", "woman50", "girl14"):
        ok(record_profile(worker, env.rid(key), maritalStatus="unmarried", children=0, contraception=None))
    from tests.plugins.family_planning.conftest import set_policy

    set_policy(env.deployment, env.tree.community, "family_planning.childbearing_age.min", 10)
    set_policy(env.deployment, env.tree.community, "family_planning.childbearing_age.max", 60)
    query = 'query($u: ID!, $n: Int!) { childbearingWomen(under: $u, purpose: "测量", first: $n) { nodes { profile { id } } } }'
    counts = []
    for size in (1, 3):
        statements: list[str] = []

        def seen(*args: Any, log: list[str] = statements) -> None:
            log.append(args[2])

        event.listen(env.deployment.engine, "before_cursor_execute", seen)
        try:
            assert len(worker(query, {"u": env.unit(), "n": size})["childbearingWomen"]["nodes"]) == size
        finally:
            event.remove(env.deployment.engine, "before_cursor_execute", seen)
        counts.append(len([s for s in statements if "audited_read" in s or "audit_" in s]))
    assert counts[0] == counts[1]
    assert [len(json.loads(r.detail)["ids"]) for r in audit_rows(env, "read:FamilyPlanningProfile")] == [1, 3]
