"""A mutation cannot read a record's ID without the scope check.

``decode_pk`` refuses, while a mutation runs, any type but the public ones
(org units, holidays): the record must be looked up through
``core.api.ids``, which checks the caller's scope. A plugin that forgets
fails loudly in its own tests rather than reading another street's record.
"""

from __future__ import annotations

import pytest

from core.api.relay import (
    MUTATION_RUNNING,
    UncheckedInputIdError,
    decode_pk,
    encode_global_id,
)


def test_a_mutation_cannot_decode_a_record_id_unchecked() -> None:
    resident = encode_global_id("Resident", 7)
    assert decode_pk(resident, "Resident") == 7  # queries filter by scope themselves
    token = MUTATION_RUNNING.set(True)
    try:
        with pytest.raises(UncheckedInputIdError):
            decode_pk(resident, "Resident")
        assert decode_pk(encode_global_id("OrgUnit", 3), "OrgUnit") == 3
    finally:
        MUTATION_RUNNING.reset(token)
