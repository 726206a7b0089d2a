"""Every custom scalar of the schema names its specification (@specifiedBy),
so code generators and frontend developers know how to read it; Date and
Decimal give Chinese errors on bad input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.api.scalars import (
    parse_date,
    parse_decimal,
    serialize_date,
    serialize_decimal,
)
from graphql import GraphQLError, GraphQLScalarType, specified_scalar_types


def _schema():
    from core.app import build_deployment
    from core.cli import builtin_plugin_names
    from tests.conftest import make_settings

    return build_deployment(make_settings("sqlite://", plugins=builtin_plugin_names())).schema


def test_every_custom_scalar_names_its_specification() -> None:
    schema = _schema().graphql_schema
    custom = [
        t
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLScalarType) and name not in specified_scalar_types and name != "Upload"
    ]
    assert {t.name for t in custom} >= {"Date", "DateTime", "Decimal", "JSON"}
    assert [t.name for t in custom if not t.specified_by_url] == []


def test_dates_and_decimals_round_trip() -> None:
    assert parse_date("2026-03-05") == date(2026, 3, 5) and serialize_date(date(2026, 3, 5)) == "2026-03-05"
    assert parse_decimal("86.50") == Decimal("86.50") and serialize_decimal(Decimal("86.50")) == "86.50"
    assert parse_decimal(12) == Decimal(12)


@pytest.mark.parametrize("value", ["2026-13-01", "05/03/2026", 20260305])
def test_a_bad_date_is_refused_in_chinese(value: object) -> None:
    with pytest.raises(GraphQLError, match="日期"):
        parse_date(value)


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", True, None])
def test_a_bad_decimal_is_refused_in_chinese(value: object) -> None:
    with pytest.raises(GraphQLError, match="十进制|字符串"):
        parse_decimal(value)
