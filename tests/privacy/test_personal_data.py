"""The detector of personal data in public text: GB 11643 ID numbers (with
their check digit), 15-digit legacy ID numbers and mainland mobile numbers."""

from __future__ import annotations

from datetime import date

from core.people.identity import make_id_number
from core.privacy.personal_data import (
    ID_NUMBER,
    MOBILE_PHONE,
    find_personal_data,
    personal_data_problems,
)

VALID = make_id_number("110101", date(1990, 3, 7), 2)  # ends in X
ORDINARY = "370202198005171233"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.masked) for f in find_personal_data(text, today=date(2026, 12, 5))]


def test_id_numbers_count_only_with_a_valid_check_digit() -> None:
    assert VALID.endswith("X")
    assert kinds(f"身份证：{VALID}") == [(ID_NUMBER, "110101********002X")]
    assert kinds(f"身份证：{VALID.lower()}") == [(ID_NUMBER, "110101********002X")]
    assert kinds(f"身份证号{ORDINARY}。") == [(ID_NUMBER, "370202********1233")]
    # Any other last digit, an impossible birth date or area code: not an ID number.
    assert kinds(ORDINARY[:-1] + "4") == []
    assert kinds("370202198013171233") == []
    assert kinds("000202198005171233") == []
    # Part of a longer run of digits (an account number) is not one either.
    assert kinds(f"账号 6{ORDINARY}") == []


def test_legacy_fifteen_digit_numbers_and_full_width_digits() -> None:
    legacy = ORDINARY[:6] + ORDINARY[8:17]
    assert kinds(f"旧身份证{legacy}") == [(ID_NUMBER, "370202*****7123")]
    assert kinds("发票号码123456789012345") == []
    full_width = ORDINARY.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert kinds(full_width) == [(ID_NUMBER, "370202********1233")]


def test_mobile_numbers_in_the_usual_spellings() -> None:
    for text in ("13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678", "电话：8613812345678。"):
        assert kinds(text) == [(MOBILE_PHONE, "138****5678")], text
    # Landlines, numbers not starting 13–19 and longer runs are not mobile numbers.
    assert kinds("0532-82861234 12812345678 138123456789") == []


def test_problems_name_the_field_and_mask_what_was_found() -> None:
    problems = personal_data_problems(
        {"title": "公示", "body": f"{ORDINARY}，13912345678"},
        code="PERSONAL_DATA_IN_NOTICE",
        field_names={"title": "标题", "body": "正文"},
        where="公开栏",
    )
    assert [(p.code, p.field) for p in problems] == [("PERSONAL_DATA_IN_NOTICE", "body")]
    assert "正文" in problems[0].message and "身份证号 370202********1233" in problems[0].message
    assert "手机号 139****5678" in problems[0].message and ORDINARY not in problems[0].message
