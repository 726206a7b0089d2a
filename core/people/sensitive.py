"""The sensitive fields of residents, declared through
``register_sensitive_fields``: the GraphQL fields return the masked value,
``revealSensitiveField`` the clear one (with the permission, audited)."""

from __future__ import annotations

from core.people.identity import mask_id_number, mask_phone
from core.people.models import Resident
from core.privacy import SensitiveField, column_loader

RESIDENT_ID_NUMBER = SensitiveField(
    type_name="Resident",
    field="idNumber",
    label="身份证号",
    permission="people.reveal_id_number",
    mask=mask_id_number,
    load=column_loader(Resident, "id_number"),
)
RESIDENT_PHONE = SensitiveField(
    type_name="Resident",
    field="phone",
    label="电话号码",
    permission="people.reveal_phone",
    mask=mask_phone,
    load=column_loader(Resident, "phone"),
)

PEOPLE_SENSITIVE_FIELDS: tuple[SensitiveField, ...] = (RESIDENT_ID_NUMBER, RESIDENT_PHONE)
