"""Citizen ID numbers (GB 11643-1999) and mobile phone numbers.

An ID number is 6 digits of division code (GB/T 2260), 8 of birth date,
3 of sequence (odd for men, even for women) and a check digit computed with
ISO 7064 MOD 11-2. Sex and birth date are derived from it, never typed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.api.errors import ErrorDetail

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# First two digits: provinces, autonomous regions, municipalities, Taiwan, Hong Kong, Macao.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
MOBILE_PHONE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_PHONE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdNumberFacts:
    id_number: str
    area_code: str
    birth_date: date
    sex: str  # "male" / "female"


def normalize_id_number(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def parse_id_number(raw: str, *, field: str = "idNumber", today: date | None = None) -> IdNumberFacts | ErrorDetail:
    """The facts inside a valid ID number, or the reason it is invalid."""
    value = normalize_id_number(raw)
    if not _ID_SHAPE.match(value):
        return ErrorDetail("INVALID_ID_NUMBER", "身份证号码应为 18 位，前 17 位是数字，最后一位是数字或 X。", field)
    if value[:2] not in PROVINCE_CODES or value[2:4] == "00":
        return ErrorDetail("INVALID_ID_NUMBER", f"身份证号码的地区代码 {value[:6]} 无效。", field)
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return ErrorDetail("INVALID_ID_NUMBER", f"身份证号码中的出生日期 {value[6:14]} 不存在。", field)
    if birth.year < 1890 or birth > (today or date.today()):
        return ErrorDetail("INVALID_ID_NUMBER", f"身份证号码中的出生日期 {birth.isoformat()} 不合理。", field)
    if check_digit(value[:17]) != value[17]:
        return ErrorDetail("INVALID_ID_NUMBER", "身份证号码校验位不正确，请核对是否输错。", field)
    sex = "male" if int(value[16]) % 2 == 1 else "female"
    return IdNumberFacts(id_number=value, area_code=value[:6], birth_date=birth, sex=sex)


def normalize_phone(raw: str) -> str:
    value = raw.strip().replace(" ", "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def check_phone(raw: str, *, field: str = "phone") -> str | ErrorDetail:
    value = normalize_phone(raw)
    if MOBILE_PHONE.match(value) or LANDLINE_PHONE.match(value):
        return value
    return ErrorDetail("INVALID_PHONE", "电话号码格式不正确：手机号为 11 位，固定电话如 0532-12345678。", field)


def mask_id_number(value: str | None) -> str | None:
    """``110101********1234``: the area code and the last four stay visible."""
    if not value:
        return value
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_phone(value: str | None) -> str | None:
    """``138****5678``."""
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def make_id_number(area_code: str, birth: date, sequence: int) -> str:
    """A valid ID number for synthetic data (demo and benchmarks)."""
    first17 = f"{area_code}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)
