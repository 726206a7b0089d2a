"""Committee elections: election committee and 递补, the voter register from
the registry, candidate eligibility, publicity, validity and election rules
as policy, the elected as post holders, recall and by-election, and the
records readable only with the election permission."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from core.policy.service import local_today
from tests.plugins.self_governance.conftest import Env, codes, gid

CREATE = """
mutation($input: CreateCommitteeElectionInput!) {
  createCommitteeElection(input: $input) { election { id status kindName } userErrors { field code message } }
}"""
MEMBER = """
mutation($input: AddElectionCommitteeMemberInput!) {
  addElectionCommitteeMember(input: $input) {
    election { committee { residentName serving leftReason } } userErrors { field code message }
  }
}"""
REGISTER = """
mutation($input: BuildVoterRegisterInput!) { buildVoterRegister(input: $input) { voterCount userErrors { code } } }"""
NOMINATE = """
mutation($input: NominateCandidateInput!) {
  nominateCandidate(input: $input) { candidate { id residentName status } userErrors { field code message } }
}"""
PUBLISH = """
mutation($input: PublishCandidatesInput!) {
  publishCandidates(input: $input) { election { status publicityFrom publicityUntil } userErrors { code message } }
}"""
RESULT = """
mutation($input: RecordElectionResultInput!) {
  recordElectionResult(input: $input) {
    election {
      status invalidReason registeredVoters
      candidates { residentName status votes postAssignmentId }
    }
    userErrors { field code message }
  }
}"""
RECALL = """
mutation($input: RecallCommitteeMemberInput!) {
  recallCommitteeMember(input: $input) { recall { id passed residentName } userErrors { field code message } }
}"""
LIST = "query($under: ID!) { committeeElections(under: $under) { totalCount nodes { title candidates { residentName } } } }"


def _election(env: Env, chair: Any, *, seats: int = 2, day_offset: int = 0) -> str:
    day = (local_today() + timedelta(days=day_offset)).isoformat()
    result = chair(
        CREATE,
        {
            "input": {
                "orgUnitId": env.community_id,
                "title": "第十一届居委会换届选举",
                "kind": "general",
                "seats": seats,
                "electionDay": day,
                "termStart": day,
            }
        },
    )["createCommitteeElection"]
    assert result["userErrors"] == []
    return str(result["election"]["id"])


def _nominate(env: Env, chair: Any, election: str, key: str, post: str = "member") -> dict[str, Any]:
    return chair(
        NOMINATE,
        {"input": {"electionId": election, "residentId": env.rid(key), "postCode": post, "nomination": "group"}},
    )["nominateCandidate"]


def _ready(env: Env, chair: Any, keys: list[str], seats: int = 2) -> tuple[str, list[str]]:
    """An election whose candidates were published long enough ago."""
    election = _election(env, chair, seats=seats, day_offset=-20)
    assert chair(REGISTER, {"input": {"electionId": election}})["buildVoterRegister"]["userErrors"] == []
    ids = [_nominate(env, chair, election, key)["candidate"]["id"] for key in keys]
    assert chair(PUBLISH, {"input": {"electionId": election}})["publishCandidates"]["userErrors"] == []
    past = (local_today() - timedelta(days=30)).isoformat()
    env.sql("UPDATE selfgov_election SET publicity_from = :d, publicity_until = :d", d=past)
    return election, ids


def test_register_is_built_from_the_registry_and_follows_the_floating_policy(env: Env) -> None:
    chair = env.call("committee_chair")
    election = _election(env, chair)
    # a1…a6 and newcomer: adults, registered, not moved out; not the minor, the floating resident or the one gone.
    assert chair(REGISTER, {"input": {"electionId": election}})["buildVoterRegister"]["voterCount"] == 7
    env.set_policy("self_governance.floating_residents_take_part", True)
    assert chair(REGISTER, {"input": {"electionId": election}})["buildVoterRegister"]["voterCount"] == 8


def test_candidates_are_checked_against_age_residence_and_community(env: Env) -> None:
    chair = env.call("committee_chair")
    election = _election(env, chair)
    assert codes(_nominate(env, chair, election, "minor")) == ["NOT_ADULT"]
    assert codes(_nominate(env, chair, election, "gone")) == ["MOVED_OUT"]
    assert codes(_nominate(env, chair, election, "floating")) == ["FLOATING_NOT_INCLUDED"]
    refused = _nominate(env, chair, election, "newcomer")
    assert codes(refused) == ["RESIDENCE_TOO_SHORT"] and "1 年" in refused["userErrors"][0]["message"]
    # Policy: no residence requirement.
    env.set_policy("self_governance.candidate.residence_years", 0)
    assert _nominate(env, chair, election, "newcomer")["userErrors"] == []
    assert codes(_nominate(env, chair, election, "newcomer")) == ["DUPLICATE"]
    # Someone of another street: not found for the community's chair ...
    assert codes(_nominate(env, chair, election, "far")) == ["NOT_FOUND"]
    # ... and not of the community for the district, who may name them.
    district = env.call("admin", env.tree.street - 1)
    assert codes(_nominate(env, district, election, "far")) == ["NOT_OF_COMMUNITY"]
    assert codes(_nominate(env, chair, election, "a1", post="secretary")) == ["UNKNOWN_POST"]


def test_a_committee_member_who_stands_leaves_and_the_reserve_fills_in(env: Env) -> None:
    chair = env.call("committee_chair")
    election = _election(env, chair)
    for key, votes, serving in (("a1", 30, True), ("a2", 25, True), ("a3", 20, False), ("a4", 10, False)):
        result = chair(
            MEMBER,
            {
                "input": {
                    "electionId": election,
                    "residentId": env.rid(key),
                    "role": "member",
                    "voteCount": votes,
                    "serving": serving,
                }
            },
        )["addElectionCommitteeMember"]
        assert result["userErrors"] == []
    assert _nominate(env, chair, election, "a2")["userErrors"] == []
    committee = chair(
        "query($id: ID!) { node(id: $id) { ... on CommitteeElection { committee { residentName serving leftReason } } } }",
        {"id": election},
    )["node"]["committee"]
    state = {m["residentName"]: m["serving"] for m in committee}
    # a2 left; a3 (20 votes) fills in before a4 (10 votes).
    assert state == {"居民a1": True, "居民a2": False, "居民a3": True, "居民a4": False}
    # A candidate cannot join the committee.
    again = chair(
        MEMBER, {"input": {"electionId": election, "residentId": env.rid("a2"), "role": "member", "voteCount": 1}}
    )
    assert codes(again["addElectionCommitteeMember"]) == ["IS_CANDIDATE"]


def test_voting_waits_for_the_publicity_period(env: Env) -> None:
    chair = env.call("committee_chair")
    election = _election(env, chair, day_offset=-1)
    chair(REGISTER, {"input": {"electionId": election}})
    candidate = _nominate(env, chair, election, "a1")["candidate"]["id"]
    published = chair(PUBLISH, {"input": {"electionId": election}})["publishCandidates"]["election"]
    # Seven days by default, counting today.
    assert published["publicityUntil"] == (local_today() + timedelta(days=6)).isoformat()
    early = chair(
        RESULT,
        {
            "input": {
                "electionId": election,
                "heldOn": local_today().isoformat(),
                "ballotsIssued": 7,
                "ballotsReturned": 7,
                "invalidBallots": 0,
                "votes": [{"candidateId": candidate, "votes": 7}],
            }
        },
    )
    assert "PUBLICITY_NOT_OVER" in codes(early["recordElectionResult"])


def _result(
    env: Env, chair: Any, election: str, ids: list[str], votes: list[int], *, returned: int, invalid: int = 0
) -> dict[str, Any]:
    return chair(
        RESULT,
        {
            "input": {
                "electionId": election,
                "heldOn": local_today().isoformat(),
                "ballotsIssued": 7,
                "ballotsReturned": returned,
                "invalidBallots": invalid,
                "votes": [{"candidateId": c, "votes": v} for c, v in zip(ids, votes, strict=False)],
            }
        },
    )["recordElectionResult"]


def test_the_elected_hold_their_posts_and_ties_and_minorities_are_not_elected(env: Env) -> None:
    chair = env.call("committee_chair")
    election, ids = _ready(env, chair, ["a1", "a2", "a3", "a4"], seats=2)
    # 7 registered, 6 returned, 1 invalid: 5 valid; more than half is 3.
    result = _result(env, chair, election, ids, [5, 3, 3, 2], returned=6, invalid=1)
    assert result["userErrors"] == []
    election_row = result["election"]
    assert election_row["status"] == "closed" and election_row["registeredVoters"] == 7
    status = {c["residentName"]: c["status"] for c in election_row["candidates"]}
    # a1 elected; a2 and a3 tie for the last seat, so neither; a4 short of a majority.
    assert status == {"居民a1": "elected", "居民a2": "not_elected", "居民a3": "not_elected", "居民a4": "not_elected"}
    holders = env.sql(
        "SELECT r.name, p.post_code, p.term_start FROM post_assignment p JOIN resident r ON r.id = p.resident_id "
        "JOIN body b ON b.id = p.body_id WHERE b.kind = 'residents_committee'"
    )
    assert [(h[0], h[1]) for h in holders] == [("居民a1", "member")]
    assert election_row["candidates"][0]["postAssignmentId"] is not None


def test_an_election_below_the_turnout_share_is_invalid(env: Env) -> None:
    chair = env.call("committee_chair")
    election, ids = _ready(env, chair, ["a1", "a2"])
    result = _result(env, chair, election, ids, [3, 3], returned=3)
    assert result["election"]["status"] == "invalid" and "选举无效" in result["election"]["invalidReason"]
    assert env.sql("SELECT count(*) FROM post_assignment")[0][0] == 0


def test_the_turnout_share_is_policy(env: Env) -> None:
    env.set_policy("self_governance.election.turnout_share", "1/3")
    chair = env.call("committee_chair")
    election, ids = _ready(env, chair, ["a1", "a2"])
    assert _result(env, chair, election, ids, [3, 1], returned=3)["election"]["status"] == "closed"


def test_bad_counts_are_refused(env: Env) -> None:
    chair = env.call("committee_chair")
    election, ids = _ready(env, chair, ["a1", "a2"])
    bad = chair(
        RESULT,
        {
            "input": {
                "electionId": election,
                "heldOn": local_today().isoformat(),
                "ballotsIssued": 9,
                "ballotsReturned": 5,
                "invalidBallots": 6,
                "votes": [{"candidateId": ids[0], "votes": 9}],
            }
        },
    )
    assert set(codes(bad["recordElectionResult"])) == {"TOO_MANY_BALLOTS", "INVALID_VALUE", "VOTES_INCOMPLETE"}


def test_recall_needs_a_quorum_ends_the_post_and_calls_a_by_election(env: Env) -> None:
    chair = env.call("committee_chair")
    election, ids = _ready(env, chair, ["a1"], seats=1)
    assignment = _result(env, chair, election, ids, [6], returned=6)["election"]["candidates"][0]["postAssignmentId"]
    today = local_today().isoformat()
    base = {"assignmentId": assignment, "decidedOn": today, "eligible": 30, "reason": "长期不履行职责"}
    no_quorum = chair(RECALL, {"input": {**base, "votesCast": 15, "votesFor": 15}})["recallCommitteeMember"]
    assert codes(no_quorum) == ["NO_QUORUM"]
    failed = chair(RECALL, {"input": {**base, "votesCast": 16, "votesFor": 8}})["recallCommitteeMember"]
    assert failed["recall"]["passed"] is False
    assert env.sql("SELECT ended_on FROM post_assignment")[0][0] is None
    passed = chair(RECALL, {"input": {**base, "votesCast": 16, "votesFor": 9}})["recallCommitteeMember"]
    assert passed["recall"]["passed"] is True and passed["recall"]["residentName"] == "居民a1"
    assert env.sql("SELECT end_reason FROM post_assignment")[0][0] == "经成员代表大会罢免"
    again = chair(RECALL, {"input": {**base, "votesCast": 16, "votesFor": 9}})["recallCommitteeMember"]
    assert codes(again) == ["NOT_HOLDING"]
    day = local_today().isoformat()
    by = {
        "orgUnitId": env.community_id,
        "title": "委员补选",
        "kind": "by_election",
        "seats": 1,
        "electionDay": day,
        "termStart": day,
    }
    assert codes(chair(CREATE, {"input": by})["createCommitteeElection"]) == ["RECALL_REQUIRED"]
    refused = chair(CREATE, {"input": {**by, "recallId": failed["recall"]["id"]}})["createCommitteeElection"]
    assert codes(refused) == ["RECALL_NOT_PASSED"]
    created = chair(CREATE, {"input": {**by, "recallId": passed["recall"]["id"]}})["createCommitteeElection"]
    assert created["userErrors"] == [] and created["election"]["kindName"] == "补选"


def test_election_records_need_their_own_permission(env: Env) -> None:
    chair = env.call("committee_chair")
    election = _election(env, chair)
    _nominate(env, chair, election, "a1")
    assert chair(LIST, {"under": env.community_id})["committeeElections"]["totalCount"] == 1
    worker = env.call("community_worker")  # self-governance, but not the election archives
    denied = worker(LIST, {"under": env.community_id}, expect_errors=True)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert worker("query($id: ID!) { node(id: $id) { id } }", {"id": election})["node"] is None
    refused = worker(
        NOMINATE,
        {"input": {"electionId": election, "residentId": env.rid("a2"), "postCode": "member", "nomination": "self"}},
    )
    assert codes(refused["nominateCandidate"]) == ["NOT_FOUND"]
    other = env.call("committee_chair", env.tree.other_community)
    assert other(LIST, {"under": gid("OrgUnit", env.tree.street)})["committeeElections"]["totalCount"] == 0
