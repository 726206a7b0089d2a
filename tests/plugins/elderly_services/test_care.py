"""Home-based care: providers with their services, residents enrolled in a
service with a provider, service records and day-care attendance, counts."""

from __future__ import annotations

from datetime import timedelta

from core.policy.service import local_today
from tests.plugins.elderly_services.conftest import Env, gid

PROVIDER = """
mutation($input: AddCareProviderInput!) {
  addCareProvider(input: $input) { provider { id name services serviceNames } userErrors { field code message } }
}
"""
ENROL = """
mutation($input: EnrolInCareInput!) {
  enrolInCare(input: $input) {
    enrolment { id service serviceName residentName provider { name } }
    userErrors { field code message }
  }
}
"""
RECORD = """
mutation($input: RecordCareServiceInput!) {
  recordCareService(input: $input) { record { id servedOn note } userErrors { field code message } }
}
"""
COUNTS = """
query($under: ID!, $start: Date!, $end: Date!) {
  careServiceCounts(under: $under, start: $start, end: $end) { service serviceName enrolled delivered }
  careEnrolments(under: $under) { totalCount nodes { residentName serviceName records { totalCount } } }
}
"""


def _codes(result: dict, field: str) -> list[str]:
    return [e["code"] for e in result[field]["userErrors"]]


def _provider(env: Env, worker) -> str:
    result = worker(
        PROVIDER,
        {
            "input": {
                "orgUnitId": gid("OrgUnit", env.tree.community),
                "name": "宁安路助餐点",
                "services": ["meals", "day_care"],
            }
        },
    )
    assert result["addCareProvider"]["userErrors"] == []
    assert result["addCareProvider"]["provider"]["serviceNames"] == ["助餐", "日间照料（托老）"]
    return result["addCareProvider"]["provider"]["id"]


def test_enrol_record_and_count_services(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    provider = _provider(env, worker)
    since = (local_today() - timedelta(days=10)).isoformat()
    meals = worker(
        ENROL,
        {
            "input": {
                "residentId": env.rid("alone85"),
                "providerId": provider,
                "service": "meals",
                "enrolledFrom": since,
            }
        },
    )
    assert meals["enrolInCare"]["enrolment"]["provider"]["name"] == "宁安路助餐点"
    day = worker(
        ENROL,
        {
            "input": {
                "residentId": env.rid("pair70"),
                "providerId": provider,
                "service": "day_care",
                "enrolledFrom": since,
            }
        },
    )
    day_id = day["enrolInCare"]["enrolment"]["id"]
    meal_id = meals["enrolInCare"]["enrolment"]["id"]
    yesterday = (local_today() - timedelta(days=1)).isoformat()
    for enrolment, on in ((meal_id, yesterday), (meal_id, yesterday), (day_id, yesterday)):
        assert (
            worker(RECORD, {"input": {"enrolmentId": enrolment, "servedOn": on}})["recordCareService"]["userErrors"]
            == []
        )
    # Day care is attendance: once a day.
    again = worker(RECORD, {"input": {"enrolmentId": day_id, "servedOn": yesterday}})
    assert _codes(again, "recordCareService") == ["ALREADY_RECORDED"]
    staff = env.call("street_staff", env.tree.street)
    data = staff(COUNTS, {"under": gid("OrgUnit", env.tree.street), "start": since, "end": local_today().isoformat()})
    counts = {c["service"]: (c["enrolled"], c["delivered"]) for c in data["careServiceCounts"]}
    assert counts == {"meals": (1, 2), "cleaning": (0, 0), "escort": (0, 0), "day_care": (1, 1)}
    assert data["careEnrolments"]["totalCount"] == 2


def test_care_rules_refuse_bad_input(env: Env) -> None:
    worker = env.call("community_worker", env.tree.community)
    bad = worker(
        PROVIDER, {"input": {"orgUnitId": gid("OrgUnit", env.tree.community), "name": " ", "services": ["massage"]}}
    )
    assert set(_codes(bad, "addCareProvider")) == {"NAME_REQUIRED", "UNKNOWN_SERVICE"}
    provider = _provider(env, worker)
    today = local_today()
    base = {"providerId": provider, "enrolledFrom": today.isoformat()}
    assert _codes(
        worker(ENROL, {"input": {**base, "residentId": env.rid("alone85"), "service": "cleaning"}}), "enrolInCare"
    ) == ["PROVIDER_DOES_NOT_OFFER"]
    assert _codes(
        worker(ENROL, {"input": {**base, "residentId": env.rid("alone40"), "service": "meals"}}), "enrolInCare"
    ) == ["NOT_ELDERLY"]
    assert _codes(
        worker(ENROL, {"input": {**base, "residentId": env.rid("far80"), "service": "meals"}}), "enrolInCare"
    ) == ["NOT_FOUND"]
    first = worker(ENROL, {"input": {**base, "residentId": env.rid("alone85"), "service": "meals"}})["enrolInCare"][
        "enrolment"
    ]["id"]
    assert _codes(
        worker(ENROL, {"input": {**base, "residentId": env.rid("alone85"), "service": "meals"}}), "enrolInCare"
    ) == ["ALREADY_ENROLLED"]
    before = (today - timedelta(days=3)).isoformat()
    assert _codes(worker(RECORD, {"input": {"enrolmentId": first, "servedOn": before}}), "recordCareService") == [
        "OUTSIDE_ENROLMENT"
    ]
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert "SERVED_IN_FUTURE" in _codes(
        worker(RECORD, {"input": {"enrolmentId": first, "servedOn": tomorrow}}), "recordCareService"
    )
    # Another street's worker cannot use this street's provider or enrolment.
    other = env.call("community_worker", env.tree.other_community)
    far = other(ENROL, {"input": {**base, "residentId": env.rid("far80"), "service": "meals"}})
    assert _codes(far, "enrolInCare") == ["NOT_FOUND"]
    assert _codes(
        other(RECORD, {"input": {"enrolmentId": first, "servedOn": today.isoformat()}}), "recordCareService"
    ) == ["NOT_FOUND"]
