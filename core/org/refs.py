"""How people name an org unit outside GraphQL: one rule for the board page,
downloads and the command line.

A unit is named by its opaque GraphQL ID (as the API shows it) or, where it
has one, its division code (6, 9 or 12 digits). Raw database keys are not a
public identifier: ``42`` names nothing (a number that is not a division code
is refused as such).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.api.relay import MAX_INTEGER_PK, decode_pk, encode_global_id
from core.org.models import OrgUnit
from core.org.service import DIVISION_CODE

# Units listed when a division code names more than one (a code reused after a merger).
MAX_AMBIGUOUS = 5


class UnitRefError(ValueError):
    """The reference names no unit (``code`` NOT_FOUND), is not a reference
    at all (INVALID_ID) or is a division code of several units
    (AMBIGUOUS_DIVISION_CODE); the message is Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def is_division_code(ref: str) -> bool:
    return bool(DIVISION_CODE.match(ref.strip()))


def find_unit_by_ref(session: Session, ref: str) -> OrgUnit:
    """The unit ``ref`` names: a division code, else an ``OrgUnit`` global ID.
    Raises ``UnitRefError`` when it names none or, for a code, several."""
    ref = ref.strip()
    if DIVISION_CODE.match(ref):
        units = list(
            session.scalars(
                select(OrgUnit).where(OrgUnit.division_code == ref).order_by(OrgUnit.id).limit(MAX_AMBIGUOUS)
            )
        )
        if not units:
            raise UnitRefError("NOT_FOUND", f"没有区划代码为 {ref} 的单位。")
        if len(units) > 1:
            listed = "；".join(f"{unit.name}（{encode_global_id('OrgUnit', unit.id)}）" for unit in units)
            raise UnitRefError("AMBIGUOUS_DIVISION_CODE", f"区划代码 {ref} 对应多个单位：{listed}。请改用全局 ID。")
        return units[0]
    if ref.isascii() and ref.isdigit():
        raise UnitRefError(
            "INVALID_ID", f"“{ref}”不是区划代码（6、9 或 12 位数字）；请给出区划代码或组织单位的全局 ID。"
        )
    try:
        pk = decode_pk(ref, "OrgUnit", field="unit")
    except UserInputError:
        raise UnitRefError("INVALID_ID", f"“{ref[:40]}”既不是区划代码，也不是组织单位的全局 ID。") from None
    unit = session.get(OrgUnit, pk) if 0 < pk <= MAX_INTEGER_PK else None
    if unit is None:
        raise UnitRefError("NOT_FOUND", "没有这个组织单位。")
    return unit
