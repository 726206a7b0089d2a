"""Entries are added where the caller holds the permission and listed only
within the caller's scope; bad input is a Chinese user error, nothing written.
Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from core.api.relay import encode_global_id
from core.testing import make_root_unit

ADD = """
mutation Add($unit: ID!, $title: String!) {
  add{{ cookiecutter.type_prefix }}Entry(input: { orgUnitId: $unit, title: $title }) {
    entry { id title orgUnit { name } }
    userErrors { field code message }
  }
}
"""
LIST = "{ {{ cookiecutter.field_prefix }}Entries(first: 10) { totalCount edges { node { title } } } }"
FIELD = "{{ cookiecutter.field_prefix }}Entries"
ADD_FIELD = "add{{ cookiecutter.type_prefix }}Entry"


def test_add_and_list_within_scope(jiceng_deployment, jiceng_sign_in, jiceng_root_unit) -> None:
    unit = encode_global_id("OrgUnit", jiceng_root_unit)
    worker = jiceng_sign_in("community_worker", jiceng_root_unit)
    added = worker(ADD, {"unit": unit, "title": "入户走访记录"})[ADD_FIELD]
    assert added["userErrors"] == [] and added["entry"]["title"] == "入户走访记录"
    assert added["entry"]["orgUnit"]["name"] == "青岛市"
    assert worker(LIST)[FIELD]["totalCount"] == 1

    # Someone whose scope is another city sees nothing here and cannot add here.
    other = make_root_unit(jiceng_deployment, name="烟台市", division_code="370600")
    outsider = jiceng_sign_in("community_worker", other)
    assert outsider(LIST)[FIELD]["totalCount"] == 0
    refused = outsider(ADD, {"unit": unit, "title": "越权登记"})[ADD_FIELD]
    assert refused["entry"] is None and refused["userErrors"][0]["code"] == "FORBIDDEN"
    assert worker(LIST)[FIELD]["totalCount"] == 1


def test_bad_input_is_a_chinese_user_error(jiceng_sign_in, jiceng_root_unit) -> None:
    worker = jiceng_sign_in("community_worker", jiceng_root_unit)
    refused = worker(ADD, {"unit": encode_global_id("OrgUnit", jiceng_root_unit), "title": "  "})[ADD_FIELD]
    assert refused["userErrors"] == [{"field": "title", "code": "TITLE_REQUIRED", "message": "请填写标题。"}]
    assert worker(LIST)[FIELD]["totalCount"] == 0


def test_signing_in_is_required(jiceng_gql) -> None:
    answer = jiceng_gql(LIST, expect_errors=True)
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
