"""Approval thresholds have declared bounds: a huge value (1e308) is refused
as a user error naming the key, instead of being stored and breaking every
expense request in the subtree."""

from __future__ import annotations

from core.api.relay import encode_global_id
from tests.plugins.finance.conftest import World

SET = """
mutation($input: SetPolicyValueInput!) {
  setPolicyValue(input: $input) { record { value } userErrors { field code message } }
}
"""


def test_an_approval_threshold_of_1e308_is_refused_and_requests_still_work(world: World) -> None:
    admin = world.sign_in("admin", world.city)
    for value in (1e308, "1e308", 100_000_001):
        variables = {
            "input": {
                "orgUnitId": encode_global_id("OrgUnit", world.street),
                "key": "finance.approval.chair_max_yuan",
                "value": value,
                "reason": "测试",
            }
        }
        payload = admin(SET, variables)["setPolicyValue"]
        assert payload["record"] is None, value
        (error,) = payload["userErrors"]
        assert (error["field"], error["code"]) == ("value", "OUT_OF_RANGE")
        assert "居（村）委会主任可单独审批的开支上限" in error["message"]  # the key by its Chinese description
    # The subtree's expense requests still follow the default thresholds.
    assert world.request("50") > 0
