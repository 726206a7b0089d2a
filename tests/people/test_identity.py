"""ID numbers (GB 11643) and phone numbers: validation, derived facts, masking."""

from __future__ import annotations

from datetime import date

import pytest

from core.api.errors import ErrorDetail
from core.people.identity import (
    IdNumberFacts,
    check_digit,
    check_phone,
    make_id_number,
    mask_id_number,
    mask_phone,
    parse_id_number,
)

# The check digit of this well-known sample is X.
SAMPLE_WITH_X = "11010519491231002X"


def test_check_digit_of_published_sample() -> None:
    assert check_digit(SAMPLE_WITH_X[:17]) == "X"


def test_valid_number_gives_birth_date_sex_and_area() -> None:
    facts = parse_id_number(SAMPLE_WITH_X.lower())
    assert isinstance(facts, IdNumberFacts)
    assert facts.id_number == SAMPLE_WITH_X  # normalized to upper case
    assert facts.birth_date == date(1949, 12, 31)
    assert facts.sex == "female"  # sequence 002 is even
    assert facts.area_code == "110105"


def test_generated_numbers_round_trip() -> None:
    number = make_id_number("370202", date(1985, 2, 28), 137)
    facts = parse_id_number(number)
    assert isinstance(facts, IdNumberFacts)
    assert (facts.area_code, facts.birth_date, facts.sex) == ("370202", date(1985, 2, 28), "male")


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("11010519491231002", "18 位"),
        ("1101051949123100AX", "18 位"),
        ("99010519491231002X", "地区代码"),
        ("11000019491231002X", "地区代码"),
        ("110105194902300021", "出生日期"),
        ("110105219912310021", "不合理"),
        ("110105194912310021", "校验位"),
    ],
)
def test_invalid_numbers_say_why(raw: str, fragment: str) -> None:
    problem = parse_id_number(raw, today=date(2026, 11, 23))
    assert isinstance(problem, ErrorDetail)
    assert problem.code == "INVALID_ID_NUMBER"
    assert problem.field == "idNumber"
    assert fragment in problem.message


def test_phone_numbers() -> None:
    assert check_phone("+86 138 0013 8000") == "13800138000"
    assert check_phone("0532-88886666") == "0532-88886666"
    for bad in ("12800138000", "1380013800", "phone"):
        problem = check_phone(bad)
        assert isinstance(problem, ErrorDetail) and problem.code == "INVALID_PHONE"


def test_masks_keep_only_what_identifies_the_region() -> None:
    assert mask_id_number("110101199003071234") == "110101********1234"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_id_number(None) is None
