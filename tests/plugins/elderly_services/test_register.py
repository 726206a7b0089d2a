"""The elderly register: a view of the registry with age bands and
categories; 特困 and 孤寡 listed and filtered only with people.view_sensitive."""

from __future__ import annotations

from datetime import timedelta

from core.policy.service import local_today
from tests.plugins.elderly_services.conftest import Env, gid, set_policy
from tests.plugins.elderly_services.test_visits import ENROL, PROGRAMME

REGISTER = """
query($under: ID!, $band: String, $category: String, $first: Int, $after: String) {
  elderlyRegister(under: $under, ageBand: $band, category: $category, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { residentName age ageBand livingArrangement categories { code name } }
  }
}
"""


def _people(caller, env: Env, **variables) -> dict[str, dict]:
    data = caller(REGISTER, {"under": gid("OrgUnit", env.tree.street), "first": 50, **variables})["elderlyRegister"]
    return {n["residentName"]: n for n in data["nodes"]}


def _enrol(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    worker(
        ENROL,
        {
            "input": {
                "programme": PROGRAMME,
                "residentId": env.rid("with_child65"),
                "category": "extreme_poverty",
                "reason": "民政认定",
                "enrolledFrom": (local_today() - timedelta(days=3)).isoformat(),
            }
        },
    )


def test_register_lists_the_elderly_with_bands_and_categories(env: Env) -> None:
    _enrol(env)
    chair = env.call("committee_chair", env.tree.community)
    people = _people(chair, env)
    assert {"居民alone85", "居民pair70", "居民pair68", "居民with_child65", "居民old85", "居民recent60"} <= set(people)
    assert "居民alone40" not in people and "居民son35" not in people and "居民far80" not in people
    alone = people["居民alone85"]
    assert (alone["age"], alone["ageBand"], alone["livingArrangement"]) == (85, "80—89岁", "living_alone")
    assert {c["code"] for c in alone["categories"]} == {"very_old", "living_alone"}
    assert people["居民pair70"]["livingArrangement"] == "empty_nest"
    assert people["居民old85"]["livingArrangement"] == "with_family"
    assert [c["name"] for c in people["居民with_child65"]["categories"]] == ["特困老人"]
    assert set(_people(chair, env, category="extreme_poverty")) == {"居民with_child65"}
    assert set(_people(chair, env, band="80—89岁")) == {"居民alone85", "居民old85"}


def test_sensitive_categories_need_the_permission(env: Env) -> None:
    _enrol(env)
    grid_worker = env.call("grid_worker", env.tree.grid)
    assert _people(grid_worker, env)["居民with_child65"]["categories"] == []
    assert _people(grid_worker, env, category="extreme_poverty") == {}


def test_register_follows_the_elderly_age_and_refuses_unknown_filters(env: Env) -> None:
    set_policy(env.deployment, env.tree.street, "elderly_services.elderly_age", 65)
    chair = env.call("committee_chair", env.tree.community)
    people = _people(chair, env)
    assert "居民recent60" not in people and "居民with_child65" in people
    assert people["居民pair68"]["ageBand"] == "65—74岁"
    errors = chair(REGISTER, {"under": gid("OrgUnit", env.tree.street), "band": "1—2岁"}, expect_errors=True)["errors"]
    assert errors[0]["extensions"]["code"] == "UNKNOWN_AGE_BAND"
