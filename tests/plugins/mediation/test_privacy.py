"""Parties' identities, appellants' phones and case facts are masked; the
clear value comes from core's revealSensitiveField, with the plugin's
permission at the case's unit, and every reveal (and refusal) is audited."""

from __future__ import annotations

from sqlalchemy import select

from core.audit.models import AuditRecord
from tests.plugins.mediation.conftest import REGISTER, Env, case_input, gid, ok

REVEAL = """mutation($input: RevealSensitiveFieldInput!) { revealSensitiveField(input: $input) {
  value label userErrors { field code } } }"""
FIELDS = "{ sensitiveFields { typeName field permission } }"


def _case(env: Env) -> dict:
    worker = env.call("community_worker", env.tree.community)
    return ok(
        worker(
            REGISTER,
            {
                "input": case_input(
                    env.tree.community,
                    parties=[
                        {"role": "applicant", "residentId": gid("Resident", env.tree.residents[0])},
                        {
                            "role": "respondent",
                            "name": "刘建国",
                            "idNumber": "370203198005124513",
                            "phone": "13905321234",
                        },
                    ],
                )
            },
        ),
        "registerDisputeCase",
    )["disputeCase"]


def test_declared_sensitive_fields(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    declared = {(f["typeName"], f["field"]): f["permission"] for f in worker(FIELDS)["sensitiveFields"]}
    assert declared[("DisputeParty", "idNumber")] == "mediation.reveal_party"
    assert declared[("DisputeParty", "phone")] == "mediation.reveal_party"
    assert declared[("DisputeCase", "facts")] == "mediation.reveal_facts"
    assert declared[("DisputeCase", "agreement")] == "mediation.reveal_facts"
    assert declared[("ResidentAppeal", "phone")] == "mediation.reveal_party"


def test_reveal_party_identity_with_permission_and_audit(env: Env) -> None:
    case = _case(env)
    resident_party, outsider = case["parties"]
    chair = env.call("committee_chair", env.tree.community)
    shown = ok(
        chair(
            REVEAL, {"input": {"objectId": outsider["id"], "field": "idNumber", "purpose": "核对调解协议当事人身份"}}
        ),
        "revealSensitiveField",
    )
    assert shown["value"] == "370203198005124513" and shown["label"] == "当事人身份证号"
    # A registered resident's number is read from the registry.
    phone = ok(
        chair(REVEAL, {"input": {"objectId": resident_party["id"], "field": "phone", "purpose": "电话通知调解时间"}}),
        "revealSensitiveField",
    )
    assert phone["value"] == "13800001111"
    # A community worker mediates but does not see identity numbers.
    worker = env.call("community_worker", env.tree.community)
    refused = worker(REVEAL, {"input": {"objectId": outsider["id"], "field": "idNumber", "purpose": "好奇"}})[
        "revealSensitiveField"
    ]
    assert refused["value"] is None and [e["code"] for e in refused["userErrors"]] == ["FORBIDDEN"]
    # Nor does a chair of another community: to them the party does not exist.
    other = env.call("committee_chair", env.tree.other_community)
    elsewhere = other(REVEAL, {"input": {"objectId": outsider["id"], "field": "idNumber", "purpose": "核对"}})[
        "revealSensitiveField"
    ]
    assert [e["code"] for e in elsewhere["userErrors"]] == ["NOT_FOUND"]
    with env.session() as session:
        reads = session.scalars(
            select(AuditRecord).where(AuditRecord.action.like("reveal:DisputeParty.%")).order_by(AuditRecord.seq)
        ).all()
        assert [(r.action, r.purpose, r.actor_user_id) for r in reads] == [
            ("reveal:DisputeParty.idNumber", "核对调解协议当事人身份", chair.user_id),
            ("reveal:DisputeParty.phone", "电话通知调解时间", chair.user_id),
        ]
        refusals = session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "mutation:revealSensitiveField", AuditRecord.outcome == "refused"
            )
        ).all()
        assert len(refusals) == 2


def test_reveal_case_facts(env: Env) -> None:
    case = _case(env)
    assert "漏水" not in case["facts"]
    worker = env.call("community_worker", env.tree.community)
    shown = ok(
        worker(REVEAL, {"input": {"objectId": case["id"], "field": "facts", "purpose": "准备调解"}}),
        "revealSensitiveField",
    )
    assert "漏水" in shown["value"]
    grid_worker = env.call("grid_worker", env.tree.grid)
    refused = grid_worker(REVEAL, {"input": {"objectId": case["id"], "field": "facts", "purpose": "了解情况"}})[
        "revealSensitiveField"
    ]
    # A grid worker does not see cases at all: as if it did not exist.
    assert refused["value"] is None and [e["code"] for e in refused["userErrors"]] == ["NOT_FOUND"]
    no_purpose = worker(REVEAL, {"input": {"objectId": case["id"], "field": "facts", "purpose": " "}})[
        "revealSensitiveField"
    ]
    assert [e["code"] for e in no_purpose["userErrors"]] == ["PURPOSE_REQUIRED"]
    with env.session() as session:
        assert session.scalars(
            select(AuditRecord.action).where(AuditRecord.action == "reveal:DisputeCase.facts")
        ).all() == ["reveal:DisputeCase.facts"]
