"""A notice that fulfils an obligation: publishing it submits the instance
(on time or late, refused while locked); a notice sent back to draft by the
party organization is corrected and goes through approval again."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.api.errors import UserInputError
from core.api.relay import encode_global_id
from core.auth.permissions import Principal
from core.board import service as board
from core.board.models import APPROVED, DRAFT, PUBLISHED, Notice
from core.policy.service import local_today
from core.reporting import service as reporting
from core.reporting.models import LATE, OPEN, SUBMITTED, ObligationInstance
from tests.reporting.conftest import REPORT, Env

NOTICE = "id status rejectionReason obligationInstanceId"
DRAFT_NOTICE = f"""
mutation($input: DraftNoticeInput!) {{
  draftNotice(input: $input) {{ notice {{ {NOTICE} }} userErrors {{ field code message }} }}
}}"""


def step(name: str, input_type: str = "NoticeActionInput") -> str:
    return f"""
mutation($input: {input_type}!) {{
  {name}(input: $input) {{ notice {{ {NOTICE} title }} userErrors {{ field code message }} }}
}}"""


# The committee meeting that decided the disclosure (no party-building plugin here).
DECISION = {"meetingReference": "宁安路社区党委委员会议：研究财务公开", "meetingOn": "2026-01-05"}

INSTANCE = """
query($id: ID!) { node(id: $id) { ... on ObligationInstance { status submittedOn note } } }
"""


def _instance(env: Env, unit_id: int, on: date) -> ObligationInstance:
    with env.session() as session, session.begin():
        reporting.materialize(session, env.host, on)
    with env.session() as session:
        found = session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.type_code == REPORT,
                ObligationInstance.org_unit_id == unit_id,
                ObligationInstance.period_start <= on,
                ObligationInstance.period_end >= on,
            )
        ).one()
        session.expunge(found)
        return found


def _draft_input(env: Env, instance_id: int | None, unit: int | None = None) -> dict[str, object]:
    return {
        "input": {
            "orgUnitId": encode_global_id("OrgUnit", unit or env.tree.community),
            "title": "2026年财务收支公开",
            "body": "收入 12,000 元，支出 9,500 元。",
            "category": "finance",
            "publisherLabel": "宁安路社区居民委员会",
            **({"obligationInstanceId": encode_global_id("ObligationInstance", instance_id)} if instance_id else {}),
        }
    }


def test_publishing_the_notice_submits_its_obligation(env: Env) -> None:
    today = local_today()
    instance = _instance(env, env.tree.community, today)
    assert instance.status == OPEN
    worker = env.sign_in("community_worker", env.tree.community)
    secretary = env.sign_in("party_secretary", env.tree.community)
    drafted = worker(DRAFT_NOTICE, _draft_input(env, instance.id))["draftNotice"]
    assert drafted["userErrors"] == []
    notice_id = drafted["notice"]["id"]
    assert drafted["notice"]["obligationInstanceId"] == encode_global_id("ObligationInstance", instance.id)
    instance_gid = encode_global_id("ObligationInstance", instance.id)

    assert (
        worker(step("submitNoticeForApproval"), {"input": {"id": notice_id}})["submitNoticeForApproval"]["userErrors"]
        == []
    )
    assert (
        secretary(step("approveNotice", "ApproveNoticeInput"), {"input": {"id": notice_id, **DECISION}})[
            "approveNotice"
        ]["userErrors"]
        == []
    )
    # Approval alone fulfils nothing: the obligation is met by the publication.
    assert secretary(INSTANCE, {"id": instance_gid})["node"]["status"] == OPEN
    published = worker(step("publishNotice"), {"input": {"id": notice_id}})["publishNotice"]
    assert published["userErrors"] == [] and published["notice"]["status"] == PUBLISHED
    fulfilled = secretary(INSTANCE, {"id": instance_gid})["node"]
    assert fulfilled["status"] == SUBMITTED
    assert fulfilled["submittedOn"] == today.isoformat()
    assert "2026年财务收支公开" in fulfilled["note"]

    # The same period cannot be fulfilled twice.
    again = worker(DRAFT_NOTICE, _draft_input(env, instance.id))["draftNotice"]
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_SUBMITTED"]


def test_only_the_boards_own_obligation_can_be_linked(env: Env) -> None:
    today = local_today()
    neighbours = _instance(env, env.tree.neighbour, today)
    worker = env.sign_in("community_worker", env.tree.community)
    refused = worker(DRAFT_NOTICE, _draft_input(env, neighbours.id))["draftNotice"]
    # A neighbour's obligation answers as one that does not exist.
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [("obligationInstanceId", "NOT_FOUND")]
    missing = worker(DRAFT_NOTICE, _draft_input(env, 987654))["draftNotice"]
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]


def _principal(env: Env, role: str) -> Principal:
    signed = env.sign_in(role, env.tree.community)
    from core.auth.service import principal_from_authorization

    with env.session() as session:
        principal = principal_from_authorization(session, f"Bearer {signed.token}")
    assert principal is not None
    return principal


def test_a_late_publication_is_late_and_a_locked_period_refuses_it(env: Env) -> None:
    worker, secretary = _principal(env, "community_worker"), _principal(env, "party_secretary")
    february = _instance(env, env.tree.community, date(2026, 2, 10))
    assert february.due_on == date(2026, 3, 5)

    def approved_notice() -> int:
        with env.session() as session, session.begin():
            notice = board.draft_notice(
                session,
                worker,
                org_unit=env.tree.community,
                title="二月财务公开",
                body="收支明细见附表。",
                category="finance",
                publisher_label="宁安路社区居民委员会",
                obligation_instance_id=february.id,
            )
            board.submit_for_approval(session, worker, notice)
            board.approve(
                session,
                secretary,
                notice,
                host=env.host,
                meeting_reference=DECISION["meetingReference"],
                meeting_on=date(2026, 1, 5),
            )
            return notice.id

    # Past the lock date (deadline + reporting.lock_after_days): refused, nothing written.
    locked_notice = approved_notice()
    with env.session() as session, session.begin():
        notice = session.get(Notice, locked_notice)
        assert notice is not None
        with pytest.raises(UserInputError) as caught:
            board.publish(session, worker, notice, on=date(2026, 3, 20), host=env.host)
        assert caught.value.errors[0].code == "LOCKED"
        session.rollback()
    with env.session() as session:
        assert session.get(Notice, locked_notice).status == APPROVED

    # After the deadline but before the lock: published, and the obligation is late.
    with env.session() as session, session.begin():
        notice = session.get(Notice, locked_notice)
        board.publish(session, worker, notice, on=date(2026, 3, 9), host=env.host)
    with env.session() as session:
        instance = session.get(ObligationInstance, february.id)
        assert instance is not None and instance.status == LATE and instance.submitted_on == date(2026, 3, 9)


def test_the_party_organization_sends_a_notice_back_for_correction(env: Env) -> None:
    worker = env.sign_in("community_worker", env.tree.community)
    secretary = env.sign_in("party_secretary", env.tree.community)
    notice_id = worker(DRAFT_NOTICE, _draft_input(env, None))["draftNotice"]["notice"]["id"]
    reject = step("rejectNotice", "RejectNoticeInput")

    # Only a notice awaiting approval can be sent back.
    early = secretary(reject, {"input": {"id": notice_id, "reason": "数字有误"}})["rejectNotice"]
    assert [e["code"] for e in early["userErrors"]] == ["INVALID_STATUS"]
    worker(step("submitNoticeForApproval"), {"input": {"id": notice_id}})
    # The drafter holds no board.approve; a reason is required.
    assert [
        e["code"]
        for e in worker(reject, {"input": {"id": notice_id, "reason": "自己退回"}})["rejectNotice"]["userErrors"]
    ] == ["FORBIDDEN"]
    blank = secretary(reject, {"input": {"id": notice_id, "reason": "  "}})["rejectNotice"]
    assert [(e["field"], e["code"]) for e in blank["userErrors"]] == [("reason", "REQUIRED")]
    rejected = secretary(reject, {"input": {"id": notice_id, "reason": "支出合计与明细不符"}})["rejectNotice"]
    assert rejected["userErrors"] == []
    assert rejected["notice"]["status"] == DRAFT and rejected["notice"]["rejectionReason"] == "支出合计与明细不符"

    # A rejected notice cannot be published; it is corrected and approved again.
    refused = worker(step("publishNotice"), {"input": {"id": notice_id}})["publishNotice"]
    assert [e["code"] for e in refused["userErrors"]] == ["NOT_APPROVED"]
    update = step("updateNoticeDraft", "UpdateNoticeDraftInput")
    corrected = worker(update, {"input": {"id": notice_id, "body": "收入 12,000 元，支出 9,800 元。"}})[
        "updateNoticeDraft"
    ]
    assert corrected["userErrors"] == []
    emptied = worker(update, {"input": {"id": notice_id, "title": " "}})["updateNoticeDraft"]
    assert [(e["field"], e["code"]) for e in emptied["userErrors"]] == [("title", "REQUIRED")]
    worker(step("submitNoticeForApproval"), {"input": {"id": notice_id}})
    assert (
        secretary(step("approveNotice", "ApproveNoticeInput"), {"input": {"id": notice_id, **DECISION}})[
            "approveNotice"
        ]["userErrors"]
        == []
    )
    # Approved notices no longer change.
    frozen = worker(update, {"input": {"id": notice_id, "title": "改个标题"}})["updateNoticeDraft"]
    assert [e["code"] for e in frozen["userErrors"]] == ["INVALID_STATUS"]
    done = worker(step("publishNotice"), {"input": {"id": notice_id}})["publishNotice"]
    assert done["notice"]["status"] == PUBLISHED and done["notice"]["title"] == "2026年财务收支公开"


def test_government_and_community_affairs_are_owed_monthly_and_met_by_a_notice(env: Env) -> None:
    today = local_today()
    with env.session() as session, session.begin():
        reporting.materialize(session, env.host, today)
    with env.session() as session:
        owed = session.scalars(
            select(ObligationInstance).where(
                ObligationInstance.org_unit_id == env.tree.community,
                ObligationInstance.type_code.in_(("board.government_affairs", "board.community_affairs")),
                ObligationInstance.period_start <= today,
                ObligationInstance.period_end >= today,
            )
        ).all()
        # 政务、事务一般每月公开一次: both owed this month, due by the month's end (policy day).
        assert sorted(i.type_code for i in owed) == ["board.community_affairs", "board.government_affairs"]
        assert all(i.status == OPEN and i.period_start.day == 1 for i in owed)
        ids = {i.type_code: i.id for i in owed}
    worker = env.sign_in("community_worker", env.tree.community)
    secretary = env.sign_in("party_secretary", env.tree.community)
    drafted = worker(
        DRAFT_NOTICE,
        {
            "input": {
                "orgUnitId": encode_global_id("OrgUnit", env.tree.community),
                "title": "本月居务公开",
                "body": "本月办理的居务事项。",
                "category": "community_affairs",
                "publisherLabel": "宁安路社区居民委员会",
            }
        },
    )["draftNotice"]
    notice_id = drafted["notice"]["id"]
    assert (
        worker(step("submitNoticeForApproval"), {"input": {"id": notice_id}})["submitNoticeForApproval"]["userErrors"]
        == []
    )
    assert (
        secretary(step("approveNotice", "ApproveNoticeInput"), {"input": {"id": notice_id, **DECISION}})[
            "approveNotice"
        ]["userErrors"]
        == []
    )
    published = worker(step("publishNotice"), {"input": {"id": notice_id}})["publishNotice"]
    assert published["notice"]["obligationInstanceId"] == encode_global_id(
        "ObligationInstance", ids["board.community_affairs"]
    )
    community = secretary(INSTANCE, {"id": encode_global_id("ObligationInstance", ids["board.community_affairs"])})[
        "node"
    ]
    government = secretary(INSTANCE, {"id": encode_global_id("ObligationInstance", ids["board.government_affairs"])})[
        "node"
    ]
    assert (community["status"], government["status"]) == (SUBMITTED, OPEN)
