"""四公开 from the records: aggregates only (names only where a rule the
locality names requires them), approved by the party organization before
the anonymous board shows it; no reproductive detail reaches the board."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.policy.service import local_today
from tests.plugins.family_planning.conftest import (
    Env,
    codes,
    ok,
    record_profile,
    set_policy,
)

DRAFT = """mutation($input: DraftDisclosureInput!) { draftFamilyPlanningDisclosure(input: $input) {
  notice { id title body status } userErrors { field code message } } }"""
SUBMIT = "mutation($id: ID!) { submitNoticeForApproval(input: {id: $id}) { userErrors { code } } }"
APPROVE = """mutation($id: ID!, $on: Date!) { approveNotice(input: {id: $id, meetingReference: "党组织委员会会议：研究计划生育四公开", meetingOn: $on}) {
  userErrors { code } } }"""
PUBLISH = "mutation($id: ID!) { publishNotice(input: {id: $id}) { userErrors { code } } }"
BOARD = "query($u: ID!) { publicBoard(orgUnitId: $u, first: 20) { nodes { title body category } } }"
BIRTH = "mutation($input: RecordBirthInput!) { recordFamilyPlanningBirth(input: $input) { userErrors { code } } }"
GRANT = """mutation($input: GrantBenefitInput!) { grantFamilyPlanningBenefit(input: $input) {
  benefit { amount kindLabel recipientName } userErrors { field code message } } }"""


def seed_records(env: Env) -> None:
    worker = env.worker()
    ok(record_profile(worker, env.rid("wife30"), pregnant=True, contraception="iud"))
    assert (
        worker(BIRTH, {"input": {"motherId": env.rid("wife30"), "bornOn": str(local_today() - timedelta(days=2))}})[
            "recordFamilyPlanningBirth"
        ]["userErrors"]
        == []
    )
    granted = worker(
        GRANT,
        {
            "input": {
                "residentId": env.rid("wife30"),
                "kind": "only_child_reward",
                "amount": "960.00",
                "grantedOn": str(local_today()),
                "decisionRef": "居民代表会议决议第3号",
            }
        },
    )["grantFamilyPlanningBenefit"]
    assert ok(granted)["benefit"] == {
        "amount": "960.00",
        "kindLabel": "独生子女父母奖励",
        "recipientName": "居民wife30",
    }


def publish(env: Env, kind: str) -> dict[str, Any]:
    chair = env.call("committee_chair")
    notice = ok(
        chair(DRAFT, {"input": {"orgUnitId": env.unit(), "kind": kind, "year": local_today().year}})[
            "draftFamilyPlanningDisclosure"
        ]
    )["notice"]
    assert notice["status"] == "draft"
    # Not before the party organization approves it (先党内后党外).
    assert codes(chair(PUBLISH, {"id": notice["id"]})["publishNotice"]) == ["NOT_APPROVED"]
    assert chair(SUBMIT, {"id": notice["id"]})["submitNoticeForApproval"]["userErrors"] == []
    secretary = env.call("party_secretary")
    assert secretary(APPROVE, {"id": notice["id"], "on": str(local_today())})["approveNotice"]["userErrors"] == []
    assert chair(PUBLISH, {"id": notice["id"]})["publishNotice"]["userErrors"] == []
    return notice


def test_no_reproductive_detail_reaches_the_anonymous_board(env: Env, gql: Any) -> None:
    seed_records(env)
    for kind in ("policies", "births", "benefits", "participation"):
        publish(env, kind)
    notices = gql(BOARD, {"u": env.unit()})["publicBoard"]["nodes"]
    assert len(notices) == 4 and {n["category"] for n in notices} == {"family_planning.four_publics"}
    births = next(n for n in notices if "生育和证明" in n["title"])
    assert "出生 1 人" in births["body"]
    benefits = next(n for n in notices if "奖励" in n["title"])
    assert "独生子女父母奖励：1 人次，共 960.00 元" in benefits["body"]
    text = " ".join(n["title"] + n["body"] for n in notices)
    for detail in ("居民wife30", "wife30", "宫内节育器", "iud", "怀孕", "现孕", "预产期", "避孕药"):
        assert detail not in text, detail


def test_names_appear_only_under_a_rule_the_locality_names(env: Env) -> None:
    seed_records(env)
    chair = env.call("committee_chair")
    year = local_today().year
    plain = ok(
        chair(DRAFT, {"input": {"orgUnitId": env.unit(), "kind": "benefits", "year": year}})[
            "draftFamilyPlanningDisclosure"
        ]
    )
    assert "居民wife30" not in plain["notice"]["body"]
    set_policy(
        env.deployment,
        env.tree.community,
        "family_planning.disclosure.benefit_names_rule",
        ["《某市独生子女父母奖励办法》第八条"],
    )
    named = ok(
        chair(DRAFT, {"input": {"orgUnitId": env.unit(), "kind": "benefits", "year": year}})[
            "draftFamilyPlanningDisclosure"
        ]
    )
    assert "居民wife30 960.00 元" in named["notice"]["body"] and "第八条" in named["notice"]["body"]
    # Even then, nothing about marriage, pregnancy or contraception.
    assert "宫内节育器" not in named["notice"]["body"]


def test_only_who_may_govern_and_draft_drafts(env: Env) -> None:
    year = local_today().year
    for role in ("grid_worker", "family_planning_worker"):
        payload = env.call(role, env.tree.community)(
            DRAFT, {"input": {"orgUnitId": env.unit(), "kind": "births", "year": year}}
        )
        assert codes(payload["draftFamilyPlanningDisclosure"]) in (["FORBIDDEN"], ["NOT_FOUND"])
    bad = env.call("committee_chair")(DRAFT, {"input": {"orgUnitId": env.unit(), "kind": "fees", "year": year}})
    assert codes(bad["draftFamilyPlanningDisclosure"]) == ["UNKNOWN_CHOICE"]


def test_benefits_follow_the_locality_policy(env: Env) -> None:
    worker = env.worker()
    values = {
        "residentId": env.rid("wife30"),
        "kind": "rural_reward_support",
        "amount": "80.00",
        "grantedOn": str(local_today()),
        "decisionRef": "上级文件",
    }
    assert codes(worker(GRANT, {"input": values})["grantFamilyPlanningBenefit"]) == ["BENEFIT_NOT_IN_USE"]
    values.update(kind="only_child_reward", amount="-1")
    assert codes(worker(GRANT, {"input": values})["grantFamilyPlanningBenefit"]) == ["INVALID_AMOUNT"]
