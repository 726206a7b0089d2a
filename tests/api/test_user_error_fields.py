"""``userErrors.field`` in core's mutations: the camelCase path of the input
field at fault, or null only for an error about the whole input (a refusal,
a sign-in). Every core mutation is called, as found in the schema, with
inputs built from its input type that are wrong in several ways; each user
error it returns must name a field the input has, and an error about one
value (REQUIRED, TOO_LONG, INVALID_ID, ...) must name it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment
from core.org import service as org_service
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
)
from tests.conftest import SignIn

# Codes that are about one value, never the whole input.
FIELD_CODES = {
    "REQUIRED",
    "TOO_LONG",
    "INVALID_ID",
    "INVALID_VALUE",
    "INVALID_DATE_RANGE",
    "WRONG_TYPE",
    "OUT_OF_RANGE",
    "UNKNOWN_LEVEL",
    "UNKNOWN_KEY",
    "UNKNOWN_ROLE",
    "UNKNOWN_PERMISSION",
    "UNKNOWN_CATEGORY",
    "INVALID_USERNAME",
    "INVALID_ROLE_CODE",
    "INVALID_NAME",
    "INVALID_DIVISION_CODE",
    "INVALID_ID_NUMBER",
    "INVALID_PHONE",
}


def _unwrap(graphql_type: Any) -> Any:
    while isinstance(graphql_type, (GraphQLNonNull, GraphQLList)):
        graphql_type = graphql_type.of_type
    return graphql_type


def field_paths(input_type: GraphQLInputObjectType, prefix: str = "") -> set[str]:
    """Every camelCase path into ``input_type`` (list items as ``name.N``)."""
    paths: set[str] = set()
    for name, field in input_type.fields.items():
        path = f"{prefix}{name}"
        paths.add(path)
        inner = _unwrap(field.type)
        if isinstance(inner, GraphQLInputObjectType):
            paths |= field_paths(inner, f"{path}.")
    return paths


def normalize(path: str) -> str:
    """``members.2.name`` -> ``members.name``: list indexes are any number."""
    return ".".join(part for part in path.split(".") if not part.isdigit())


Fill = Callable[[str, GraphQLScalarType], Any]


def build_input(input_type: GraphQLInputObjectType, fill: Fill, depth: int = 0) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for name, field in input_type.fields.items():
        outer = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        inner = _unwrap(field.type)
        if isinstance(inner, GraphQLInputObjectType):
            item: Any = build_input(inner, fill, depth + 1) if depth < 3 else None
        elif isinstance(inner, GraphQLEnumType):
            item = next(iter(inner.values))
        else:
            item = fill(name, inner)
        if item is None and not isinstance(field.type, GraphQLNonNull):
            continue
        value[name] = [item] if isinstance(outer, GraphQLList) else item
    return value


def variants(units: dict[str, str], user: str) -> list[Fill]:
    """Inputs wrong in different ways: malformed IDs, real units with blank
    text, and real units with overlong text and impossible numbers."""

    def unit_id(name: str) -> str | None:
        if name in ("orgUnitId", "parentId", "newParentId", "under"):
            return units["community"] if name != "newParentId" else units["street"]
        if name == "userId":
            return user
        return None

    def malformed(name: str, scalar: GraphQLScalarType) -> Any:
        return {"ID": "不是ID", "String": "x", "Int": -1, "Boolean": False, "Date": "1900-01-01"}.get(scalar.name, "x")

    def blank(name: str, scalar: GraphQLScalarType) -> Any:
        if scalar.name == "ID":
            return unit_id(name) or encode_global_id("Nothing", 1)
        return {"String": "  ", "Int": 0, "Boolean": True, "Date": "2100-01-01", "JSON": ""}.get(scalar.name, "")

    def overlong(name: str, scalar: GraphQLScalarType) -> Any:
        if scalar.name == "ID":
            return unit_id(name) or encode_global_id("OrgUnit", 2_000_000_000)
        return {"String": "长" * 5000, "Int": 10**9, "Boolean": True, "Date": "1900-01-01", "JSON": "x" * 5000}.get(
            scalar.name, "x"
        )

    return [malformed, blank, overlong]


def core_mutations(schema: GraphQLSchema) -> list[tuple[str, GraphQLInputObjectType]]:
    mutation = schema.mutation_type
    assert mutation is not None
    found = []
    for name, field in mutation.fields.items():
        arg = field.args.get("input")
        if arg is not None:
            found.append((name, _unwrap(arg.type)))
    return found


def test_every_core_mutation_names_the_field_at_fault(
    deployment: Deployment, client: TestClient, sign_in: SignIn, root_unit: int
) -> None:
    with deployment.session_factory() as session, session.begin():

        def add(name: str, level: str, parent: int) -> int:
            return org_service.create_unit(session, deployment.settings, name=name, level=level, parent_id=parent).id

        street = add("八大关街道", "street", add("市南区", "district", root_unit))
        community = add("八大关社区", "community", street)
    units = {"street": encode_global_id("OrgUnit", street), "community": encode_global_id("OrgUnit", community)}
    mutations = core_mutations(deployment.schema.graphql_schema)
    assert len(mutations) > 30
    wrong: list[str] = []
    checked = 0
    for name, input_type in mutations:
        # A fresh administrator each time: logout ends the session, changePassword all of them.
        admin = sign_in("admin", root_unit)
        paths = {normalize(p) for p in field_paths(input_type)}
        for fill in variants(units, encode_global_id("User", admin.user_id)):
            document = f"mutation($input: {input_type.name}!) {{ {name}(input: $input) {{ userErrors {{ field code message }} }} }}"
            body = client.post(
                "/graphql",
                json={"query": document, "variables": {"input": build_input(input_type, fill)}},
                headers={"Authorization": f"Bearer {admin.token}"},
            ).json()
            if "errors" in body:
                # The input was refused before the mutation ran (a scalar's own parsing).
                assert all(e.get("extensions", {}).get("code") != "INTERNAL_SERVER_ERROR" for e in body["errors"]), body
                continue
            for error in body["data"][name]["userErrors"]:
                checked += 1
                field = error["field"]
                if field is not None and normalize(field) not in paths:
                    wrong.append(
                        f"{name} ({fill.__name__}): {error['code']} names “{field}”, not a field of {input_type.name}"
                    )
                if field is None and error["code"] in FIELD_CODES:
                    wrong.append(f"{name} ({fill.__name__}): {error['code']} names no field: {error['message']}")
    assert checked > 60
    assert wrong == []
