"""Finding personal data in free text meant for the public: citizen ID
numbers (GB 11643, 18 digits with their check digit, and the 15-digit
numbers issued before 1999) and mainland mobile numbers.

Public outputs (the board's notices; attachments and exports later) call
``personal_data_problems`` with their text fields and refuse what it finds,
naming the field and showing what was found masked, never in full.

An 18-digit run counts only when its area code, birth date and check digit
are valid, and a 15-digit run only when its area code and birth date are, so
that order numbers, account numbers and the like pass.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from core.api.errors import ErrorDetail
from core.people.identity import (
    PROVINCE_CODES,
    mask_id_number,
    mask_phone,
    parse_id_number,
)

ID_NUMBER = "id_number"
MOBILE_PHONE = "mobile_phone"
KIND_LABELS = {ID_NUMBER: "身份证号", MOBILE_PHONE: "手机号"}

# Full-width digits and letters typed with a Chinese input method read as ASCII (one for one).
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID_15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
# 13812345678, 138 1234 5678, 138-1234-5678, +86 138…
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])")


@dataclass(frozen=True)
class PersonalDataFinding:
    """One piece of personal data found in a text: what it is and where."""

    kind: str
    masked: str
    start: int
    end: int

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _valid_legacy_id(value: str) -> bool:
    """A 15-digit ID number: area code and birth date (19YYMMDD) are plausible."""
    if value[:2] not in PROVINCE_CODES or value[2:4] == "00":
        return False
    try:
        date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    except ValueError:
        return False
    return True


def find_personal_data(text: str | None, *, today: date | None = None) -> list[PersonalDataFinding]:
    """ID numbers and mobile numbers in ``text``, in order of position."""
    if not text:
        return []
    plain = text.translate(_FULL_WIDTH)
    found: list[PersonalDataFinding] = []
    for match in _ID_18.finditer(plain):
        value = match.group().upper()
        if not isinstance(parse_id_number(value, today=today), ErrorDetail):
            found.append(PersonalDataFinding(ID_NUMBER, mask_id_number(value) or "", match.start(), match.end()))
    for match in _ID_15.finditer(plain):
        if _valid_legacy_id(match.group()):
            found.append(
                PersonalDataFinding(ID_NUMBER, mask_id_number(match.group()) or "", match.start(), match.end())
            )
    for match in _MOBILE.finditer(plain):
        number = "".join(match.groups())
        found.append(PersonalDataFinding(MOBILE_PHONE, mask_phone(number) or "", match.start(), match.end()))
    return sorted(found, key=lambda f: f.start)


def personal_data_problems(
    fields: Mapping[str, str | None],
    *,
    code: str,
    field_names: Mapping[str, str],
    where: str,
    today: date | None = None,
) -> list[ErrorDetail]:
    """One error per field of ``fields`` (camelCase input name -> text) that
    holds personal data, with ``code`` and a Chinese message naming the field
    (``field_names``: its Chinese name), what was found (masked) and why it
    may not be in ``where`` (e.g. 公开栏)."""
    problems: list[ErrorDetail] = []
    for name, text in fields.items():
        findings = find_personal_data(text, today=today)
        if not findings:
            continue
        shown = "、".join(f"{f.label} {f.masked}" for f in findings[:3])
        more = f"等 {len(findings)} 处" if len(findings) > 3 else ""
        problems.append(
            ErrorDetail(
                code,
                f"{field_names.get(name, name)}中含有个人信息（{shown}{more}）：{where}面向公众，"
                "不得公开身份证号、手机号，请删除后再提交。",
                name,
            )
        )
    return problems
