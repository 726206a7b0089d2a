"""婚育信息, births and certificates: the rules of each record."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from core.policy.service import local_today
from plugins.family_planning.models import Birth, Profile
from tests.plugins.family_planning.conftest import (
    PURPOSE,
    Env,
    codes,
    ok,
    record_profile,
    set_policy,
)

BIRTH = """mutation($input: RecordBirthInput!) { recordFamilyPlanningBirth(input: $input) {
  birth { id birthOrder bornOn motherName } userErrors { field code message } } }"""
APPLY = """mutation($input: ApplyCertificateInput!) { applyFamilyPlanningCertificate(input: $input) {
  certificate { id kind kindLabel status } userErrors { field code message } } }"""
DECIDE = """mutation($input: DecideCertificateInput!) { decideFamilyPlanningCertificate(input: $input) {
  certificate { id status statusLabel certificateNumber decidedOn } userErrors { field code message } } }"""


def test_profile_rules(env: Env) -> None:
    worker = env.worker()
    assert codes(record_profile(worker, env.rid("husband32"))) == ["NOT_A_WOMAN"]
    assert codes(record_profile(worker, env.rid("wife30"), maritalStatus="engaged")) == ["UNKNOWN_CHOICE"]
    assert codes(record_profile(worker, env.rid("wife30"), maritalStatus="unmarried", marriedOn="2020-01-01")) == [
        "INCONSISTENT"
    ]
    assert codes(record_profile(worker, env.rid("wife30"), expectedOn=str(local_today() + timedelta(days=90)))) == [
        "INCONSISTENT"
    ]
    first = ok(
        record_profile(worker, env.rid("wife30"), pregnant=True, expectedOn=str(local_today() + timedelta(days=90)))
    )
    again = ok(record_profile(worker, env.rid("wife30"), contraception="none"))
    assert first["profile"]["id"] == again["profile"]["id"]  # one record per woman, updated
    with env.session() as session:
        assert len(session.scalars(select(Profile)).all()) == 1


def test_only_the_family_planning_role_records(env: Env) -> None:
    for role, unit in (("grid_worker", env.tree.grid), ("street_leader", env.tree.street)):
        assert codes(record_profile(env.call(role, unit), env.rid("wife30"))) in (["NOT_FOUND"], ["FORBIDDEN"])
    with env.session() as session:
        assert session.scalars(select(Profile)).all() == []


def test_births_count_their_order_and_end_the_pregnancy(env: Env) -> None:
    worker = env.worker()
    ok(record_profile(worker, env.rid("wife30"), children=0, pregnant=True))
    born = str(local_today() - timedelta(days=3))
    first = ok(worker(BIRTH, {"input": {"motherId": env.rid("wife30"), "bornOn": born}})["recordFamilyPlanningBirth"])
    assert first["birth"]["birthOrder"] == 1 and first["birth"]["motherName"] == "居民wife30"
    second = ok(worker(BIRTH, {"input": {"motherId": env.rid("wife30"), "bornOn": born}})["recordFamilyPlanningBirth"])
    assert second["birth"]["birthOrder"] == 2
    with env.session() as session:
        profile = session.scalars(select(Profile)).one()
        assert profile.children == 2 and profile.pregnant is False
        assert len(session.scalars(select(Birth)).all()) == 2
    future = worker(BIRTH, {"input": {"motherId": env.rid("wife30"), "bornOn": str(local_today() + timedelta(days=1))}})
    assert codes(future["recordFamilyPlanningBirth"]) == ["IN_FUTURE"]
    father = worker(BIRTH, {"input": {"motherId": env.rid("husband32"), "bornOn": born}})
    assert codes(father["recordFamilyPlanningBirth"]) == ["NOT_A_WOMAN"]


def apply(call: Any, env: Env, kind: str, applied_on: date | None = None) -> dict[str, Any]:
    return call(
        APPLY, {"input": {"residentId": env.rid("wife30"), "kind": kind, "appliedOn": str(applied_on or local_today())}}
    )["applyFamilyPlanningCertificate"]


def test_certificates_in_use_are_locality_policy_with_effective_dates(env: Env) -> None:
    worker = env.worker()
    assert ok(apply(worker, env, "second_birth_certificate"))["certificate"]["kindLabel"] == "再生育证明"
    assert codes(apply(worker, env, "disabled_child_assessment")) == ["CERTIFICATE_NOT_IN_USE"]
    # The locality stops issuing 再生育证明 from a date: applications before it still count.
    change = local_today() - timedelta(days=10)
    set_policy(
        env.deployment,
        env.tree.community,
        "family_planning.certificate_kinds",
        ["birth_registration"],
        effective_from=change,
    )
    assert codes(apply(worker, env, "second_birth_certificate")) == ["CERTIFICATE_NOT_IN_USE"]
    assert (
        ok(apply(worker, env, "second_birth_certificate", change - timedelta(days=1)))["certificate"]["status"]
        == "applied"
    )
    assert codes(apply(worker, env, "social_maintenance_fee")) == ["CERTIFICATE_NOT_IN_USE"]


def test_issuing_needs_a_number_refusing_needs_a_reason_and_decisions_are_final(env: Env) -> None:
    worker = env.worker()
    certificate = ok(apply(worker, env, "birth_registration"))["certificate"]["id"]
    assert codes(
        worker(DECIDE, {"input": {"id": certificate, "decision": "issued"}})["decideFamilyPlanningCertificate"]
    ) == ["REQUIRED"]
    assert codes(
        worker(DECIDE, {"input": {"id": certificate, "decision": "refused"}})["decideFamilyPlanningCertificate"]
    ) == ["REQUIRED"]
    done = ok(
        worker(DECIDE, {"input": {"id": certificate, "decision": "issued", "certificateNumber": "SY2026-001"}})[
            "decideFamilyPlanningCertificate"
        ]
    )
    assert done["certificate"]["status"] == "issued" and done["certificate"]["statusLabel"] == "已办结发证"
    again = worker(DECIDE, {"input": {"id": certificate, "decision": "withdrawn"}})["decideFamilyPlanningCertificate"]
    assert codes(again) == ["INVALID_STATUS"]
    listed = worker(
        'query($u: ID!, $p: String!) { familyPlanningCertificates(under: $u, purpose: $p, status: "issued") { nodes { certificateNumber applicantName } } }',
        {"u": env.unit(), "p": PURPOSE},
    )["familyPlanningCertificates"]["nodes"]
    assert listed == [{"certificateNumber": "SY2026-001", "applicantName": "居民wife30"}]


def test_no_coercive_measure_exists(env: Env) -> None:
    from plugins.family_planning import declarations as d

    catalogues = [
        d.CERTIFICATE_KINDS,
        d.BENEFIT_KINDS,
        d.FOLLOW_UP_REASONS,
        d.FOLLOW_UP_STATUSES,
        d.CERTIFICATE_STATUSES,
        d.BREACH_PARTIES,
    ]
    words = " ".join(f"{k} {v}" for c in catalogues for k, v in c.items())
    for forbidden in ("社会抚养费", "补救", "fee", "remedial", "罚", "sanction"):
        assert forbidden not in words
    schema = env.worker()("{ __schema { types { name } } }")["__schema"]["types"]
    assert not [t["name"] for t in schema if "Fee" in t["name"] or "Remedial" in t["name"]]
