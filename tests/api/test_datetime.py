"""Every ``DateTime`` the API returns carries a UTC offset: the fields are
found in the assembled schema (core and every built-in plugin), each is
resolved from a source holding stored (naive UTC) timestamps, and real
values read back from either database come with their offset too."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any

import pytest

from core.api.scalars import parse_datetime, serialize_datetime
from core.api.schema import build_schema
from core.plugin_host import load_plugin_host
from graphql import GraphQLError, GraphQLObjectType, get_named_type
from tests.conftest import GraphQLCall, SignIn

BUILT_IN_PLUGINS = ("mediation", "finance", "party_building")
# A time as SQLite hands it back: UTC, without its zone.
STORED = datetime(2026, 3, 5, 1, 30)
WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


class Stored:
    """A row as loaded: every ``*_at`` attribute is a stored timestamp, any
    other attribute a nested object of the same kind (``self.principal.…``)."""

    def __getattr__(self, name: str) -> Any:
        return STORED if name == "at" or name.endswith("_at") else Stored()


def datetime_fields() -> list[tuple[str, str, Any, Any]]:
    schema = build_schema(load_plugin_host(BUILT_IN_PLUGINS)).graphql_schema
    scalar = schema.type_map["DateTime"]
    found = []
    for type_name, graphql_type in sorted(schema.type_map.items()):
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            if get_named_type(field.type) is scalar:
                found.append((type_name, field_name, field, graphql_type))
    return found


FIELDS = datetime_fields()


def test_the_schema_has_one_datetime_scalar_and_every_timestamp_uses_it() -> None:
    assert len(FIELDS) > 20
    schema = build_schema(load_plugin_host(BUILT_IN_PLUGINS)).graphql_schema
    # No timestamp hides in another type: a field named like one is a DateTime.
    for type_name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__"):
            for field_name, field in graphql_type.fields.items():
                if field_name.endswith("At"):
                    assert get_named_type(field.type).name == "DateTime", f"{type_name}.{field_name}"


@pytest.mark.parametrize(
    ("type_name", "field_name", "field", "parent"), FIELDS, ids=[f"{t}.{f}" for t, f, _, _ in FIELDS]
)
def test_every_datetime_field_serializes_with_an_offset(
    type_name: str, field_name: str, field: Any, parent: Any
) -> None:
    info = SimpleNamespace(
        context=None,
        field_name=field_name,
        parent_type=parent,
        return_type=field.type,
        path=None,
        schema=None,
        operation=None,
        variable_values={},
        field_nodes=[],
    )
    value = field.resolve(Stored(), info) if field.resolve else getattr(Stored(), field_name)
    shown = get_named_type(field.type).serialize(value)
    assert WITH_OFFSET.match(shown), f"{type_name}.{field_name}: {shown}"
    assert datetime.fromisoformat(shown) == STORED.replace(tzinfo=UTC)


def test_values_are_written_in_utc_and_read_only_with_an_offset() -> None:
    beijing = timezone(timedelta(hours=8))
    assert serialize_datetime(datetime(2026, 3, 5, 9, 30, tzinfo=beijing)) == "2026-03-05T01:30:00+00:00"
    assert serialize_datetime(STORED) == "2026-03-05T01:30:00+00:00"
    assert parse_datetime("2026-03-05T09:30:00+08:00") == datetime(2026, 3, 5, 1, 30, tzinfo=UTC)
    with pytest.raises(GraphQLError, match="须带时区偏移"):
        parse_datetime("2026-03-05T09:30:00")


def test_timestamps_read_back_from_the_database_carry_an_offset(
    sign_in: SignIn, root_unit: int, gql: GraphQLCall
) -> None:
    admin = sign_in("admin", root_unit)
    data = admin(
        """{ me { sessionExpiresAt user { createdAt lastLoginAt grants { grantedAt } } }
             auditRecords(first: 3) { nodes { occurredAt } } }"""
    )
    me = data["me"]
    shown = [me["sessionExpiresAt"], me["user"]["createdAt"], *[g["grantedAt"] for g in me["user"]["grants"]]]
    shown += [node["occurredAt"] for node in data["auditRecords"]["nodes"]]
    assert shown and all(WITH_OFFSET.match(value) for value in shown), shown
