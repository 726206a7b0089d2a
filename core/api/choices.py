"""Inputs that name a code of a closed set twice: the enum-typed field and
its deprecated ``String`` twin, kept until the next release removes it.

A mutation reads the stored code from whichever of the two the client gave;
both given and different is ``CONFLICTING_VALUES``, a required code given by
neither is ``REQUIRED`` (naming the enum field, the one to use).
"""

from __future__ import annotations

from enum import Enum

from core.api.errors import UserInputError


def optional_code(legacy: str | None, chosen: Enum | None, *, legacy_field: str, field: str) -> str | None:
    """The code of ``chosen`` (the enum field) or else ``legacy`` (its
    deprecated string twin); ``None`` when neither is given. ``field`` and
    ``legacy_field`` are the inputs' camelCase paths."""
    if chosen is None:
        return legacy
    code = str(chosen.value)
    if legacy is not None and legacy != code:
        raise UserInputError(
            "CONFLICTING_VALUES",
            f"{field} 与已停用的 {legacy_field} 取值不一致；请只填写 {field}。",
            field,
        )
    return code


def required_code(legacy: str | None, chosen: Enum | None, *, legacy_field: str, field: str) -> str:
    """Like ``optional_code``, but one of the two must be given."""
    code = optional_code(legacy, chosen, legacy_field=legacy_field, field=field)
    if code is None:
        raise UserInputError("REQUIRED", f"请填写 {field}。", field)
    return code
