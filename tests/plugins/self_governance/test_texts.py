"""The residents' convention and charter: versioned texts, discussed by
residents, adopted by a quorate, adopted resolution of the community's
representatives' assembly (core meetings) and drafted for the board."""

from __future__ import annotations

from typing import Any

from tests.plugins.self_governance.conftest import Env, codes, gid
from tests.plugins.self_governance.meetings_helper import (
    add_representatives,
    assembly_meeting,
    resolved_meeting,
)

DRAFT = """
mutation($input: DraftSelfGovernanceTextInput!) {
  draftSelfGovernanceText(input: $input) { version { id number status } userErrors { field code message } }
}"""
ADOPT = """
mutation($input: AdoptSelfGovernanceTextInput!) {
  adoptSelfGovernanceText(input: $input) {
    version { status adoptedOn adoptedBy adoptionResolutionId noticeId } userErrors { field code message }
  }
}"""
TEXTS = """
query($under: ID!) {
  selfGovernanceTexts(under: $under) {
    nodes { kindName title currentVersion { number } versions { number statusName } }
  }
}"""


def _draft(env: Env, who: Any, body: str, discussion: str | None = "各居民小组讨论") -> dict[str, Any]:
    return who(
        DRAFT,
        {
            "input": {
                "orgUnitId": env.community_id,
                "kind": "convention",
                "title": "宁安路社区居民公约",
                "body": body,
                "discussion": discussion,
            }
        },
    )["draftSelfGovernanceText"]


def test_versions_are_adopted_by_an_assembly_resolution(env: Env) -> None:
    add_representatives(env)
    worker = env.call("community_worker")
    first = _draft(env, worker, "一、爱护公共设施。")["version"]
    assert first["number"] == 1 and first["status"] == "draft"
    assert codes(_draft(env, worker, "二稿")) == ["DRAFT_PENDING"]
    _, resolution = resolved_meeting(env)
    adopted = worker(ADOPT, {"input": {"versionId": first["id"], "resolutionId": gid("MeetingResolution", resolution)}})
    version = adopted["adoptSelfGovernanceText"]["version"]
    assert version["status"] == "adopted" and version["adoptedBy"] == "社区成员代表大会"
    assert version["adoptionResolutionId"] == gid("MeetingResolution", resolution) and version["noticeId"] is not None
    assert env.sql("SELECT subject_type FROM meeting_resolution_link") == [("SelfGovernanceTextVersion",)]
    assert env.sql("SELECT status, source_plugin FROM notice") == [("draft", "self_governance")]
    second = _draft(env, worker, "一、爱护公共设施。二、文明养犬。")["version"]
    assert second["number"] == 2
    _, again = resolved_meeting(env)
    worker(ADOPT, {"input": {"versionId": second["id"], "resolutionId": gid("MeetingResolution", again)}})
    node = worker(TEXTS, {"under": env.community_id})["selfGovernanceTexts"]["nodes"][0]
    assert node["kindName"] == "居民公约" and node["currentVersion"] == {"number": 2}
    assert node["versions"] == [{"number": 2, "statusName": "现行"}, {"number": 1, "statusName": "已被修订"}]
    redo = worker(ADOPT, {"input": {"versionId": first["id"], "resolutionId": gid("MeetingResolution", again)}})
    assert codes(redo["adoptSelfGovernanceText"]) == ["NOT_A_DRAFT"]


def test_adoption_needs_discussion_and_a_quorate_resolution(env: Env) -> None:
    add_representatives(env)
    worker = env.call("community_worker")
    undiscussed = _draft(env, worker, "正文", discussion=None)["version"]["id"]
    _, resolution = resolved_meeting(env)
    refused = worker(ADOPT, {"input": {"versionId": undiscussed, "resolutionId": gid("MeetingResolution", resolution)}})
    assert codes(refused["adoptSelfGovernanceText"]) == ["NOT_DISCUSSED"]
    env.sql("UPDATE selfgov_text_version SET discussion = '已讨论'")
    # A meeting below quorum resolves nothing (core refuses); a quorate meeting's rejected resolution is refused here.
    _, none = assembly_meeting(env, present=3)
    assert none is None
    _, lost = _failed_resolution(env)
    failed = worker(ADOPT, {"input": {"versionId": undiscussed, "resolutionId": gid("MeetingResolution", lost)}})
    assert codes(failed["adoptSelfGovernanceText"]) == ["RESOLUTION_NOT_ADOPTED"]
    other_street = env.call("community_worker", env.tree.other_community)
    hidden = other_street(
        ADOPT, {"input": {"versionId": undiscussed, "resolutionId": gid("MeetingResolution", resolution)}}
    )
    assert codes(hidden["adoptSelfGovernanceText"]) == ["NOT_FOUND"]


def _failed_resolution(env: Env) -> tuple[int, int]:
    from core.meetings import service as meetings

    meeting_id, _ = assembly_meeting(env, present=4, resolved=False)
    with env.deployment.session_factory() as session, session.begin():
        meeting = session.get_one(meetings.Meeting, meeting_id)
        resolution = meetings.resolve(session, meeting, text="通过居民公约", votes_for=1, votes_against=3)
        return meeting_id, resolution.id
