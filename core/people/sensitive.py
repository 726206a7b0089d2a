"""The sensitive fields of residents, declared through
``register_sensitive_fields``: the GraphQL fields return the masked value,
``revealSensitiveField`` the clear one (with the permission, audited).

A resident whose account is linked to their record (``people.view_own``)
may reveal their own ID number and phone number, and no one else's."""

from __future__ import annotations

from core.auth.permissions import Principal
from core.people.identity import mask_id_number, mask_phone
from core.people.models import Resident
from core.privacy import SensitiveField, column_loader

PEOPLE_VIEW_OWN = "people.view_own"


def is_own_record(principal: Principal, resident_id: int) -> bool:
    """Whether resident ``resident_id`` is the caller's own record."""
    return principal.resident_id is not None and principal.resident_id == resident_id


RESIDENT_ID_NUMBER = SensitiveField(
    type_name="Resident",
    field="idNumber",
    label="身份证号",
    permission="people.reveal_id_number",
    mask=mask_id_number,
    load=column_loader(Resident, "id_number"),
    own_record=is_own_record,
    own_permission=PEOPLE_VIEW_OWN,
)
RESIDENT_PHONE = SensitiveField(
    type_name="Resident",
    field="phone",
    label="电话号码",
    permission="people.reveal_phone",
    mask=mask_phone,
    load=column_loader(Resident, "phone"),
    own_record=is_own_record,
    own_permission=PEOPLE_VIEW_OWN,
)

PEOPLE_SENSITIVE_FIELDS: tuple[SensitiveField, ...] = (RESIDENT_ID_NUMBER, RESIDENT_PHONE)
