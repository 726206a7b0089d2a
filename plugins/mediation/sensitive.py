"""Sensitive fields of the mediation plugin (PIPL; DOMAIN.md section 4).

Parties' ID numbers and phones, appellants' phones, and the facts and
agreement of a case (they tell about family, debts, health, petitions) are
masked in every GraphQL field; ``revealSensitiveField`` returns the clear
value to a holder of the reveal permission at the case's (appeal's) unit and
audits the read. A party who is a registered resident has no copy here: the
value is read from the people registry, and revealing it needs the reveal
permission at the resident's own unit (a case may name a resident of another
street; that street's record stays masked for the case's unit).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.relay import MAX_INTEGER_PK
from core.people.identity import mask_id_number, mask_phone
from core.people.models import Resident
from core.privacy import SensitiveField, column_loader
from core.privacy.fields import SensitiveValue
from plugins.mediation.declarations import REVEAL_FACTS, REVEAL_PARTY
from plugins.mediation.models import (
    Appeal,
    DisputeCase,
    DisputeParty,
    GridEvent,
    Incident,
)


def mask_text(value: str | None) -> str | None:
    """Nothing of the text, only how long it is: a first line can name people."""
    if not value:
        return value
    return f"（已脱敏，共 {len(value)} 字；查看全文须申请并记入审计）"


def party_value(session: Session, party: DisputeParty, column: str) -> str | None:
    if party.resident_id is None:
        return getattr(party, column)
    return session.scalar(select(getattr(Resident, column)).where(Resident.id == party.resident_id))


def _party_loader(column: str) -> Callable[[Session, int], SensitiveValue | None]:
    def load(session: Session, pk: int) -> SensitiveValue | None:
        if not 0 <= pk <= MAX_INTEGER_PK:
            return None
        row = session.execute(
            select(DisputeParty, DisputeCase.org_unit_id, DisputeCase.org_path)
            .join(DisputeCase, DisputeCase.id == DisputeParty.case_id)
            .where(DisputeParty.id == pk)
        ).first()
        if row is None:
            return None
        party = row[0]
        if party.resident_id is not None:
            # A registered resident's identity belongs to the unit where they
            # are registered, not to the case: a case held in one street that
            # names a resident of another never lets the first street read it.
            resident = session.execute(
                select(Resident.id_number, Resident.phone, Resident.org_unit_id, Resident.org_path).where(
                    Resident.id == party.resident_id
                )
            ).first()
            if resident is None:
                return None
            value = resident.id_number if column == "id_number" else resident.phone
            return SensitiveValue(value=value, org_unit_id=resident.org_unit_id, org_path=resident.org_path)
        return SensitiveValue(value=party_value(session, party, column), org_unit_id=row[1], org_path=row[2])

    return load


PARTY_ID_NUMBER = SensitiveField(
    type_name="DisputeParty",
    field="idNumber",
    label="当事人身份证号",
    permission=REVEAL_PARTY.code,
    mask=mask_id_number,
    load=_party_loader("id_number"),
)
PARTY_PHONE = SensitiveField(
    type_name="DisputeParty",
    field="phone",
    label="当事人电话",
    permission=REVEAL_PARTY.code,
    mask=mask_phone,
    load=_party_loader("phone"),
)
CASE_FACTS = SensitiveField(
    type_name="DisputeCase",
    field="facts",
    label="纠纷事实经过",
    permission=REVEAL_FACTS.code,
    mask=mask_text,
    load=column_loader(DisputeCase, "facts"),
)
CASE_AGREEMENT = SensitiveField(
    type_name="DisputeCase",
    field="agreement",
    label="调解协议内容",
    permission=REVEAL_FACTS.code,
    mask=mask_text,
    load=column_loader(DisputeCase, "agreement"),
)
APPEAL_PHONE = SensitiveField(
    type_name="ResidentAppeal",
    field="phone",
    label="诉求人电话",
    permission=REVEAL_PARTY.code,
    mask=mask_phone,
    load=column_loader(Appeal, "phone"),
)

# Health and reproductive data (a new pregnancy, a hospital stay): the
# description of those grid events is masked; other types stay readable.
HEALTH_EVENT_TYPES = ("new_pregnancy", "hospitalized")
EVENT_DESCRIPTION = SensitiveField(
    type_name="GridEvent",
    field="description",
    label="网格事件描述（健康、生育信息）",
    permission=REVEAL_FACTS.code,
    mask=mask_text,
    load=column_loader(GridEvent, "description"),
)

# Incidents tell of criminal cases and cult activity (criminal history, religious data).
INCIDENT_SUMMARY = SensitiveField(
    type_name="MediationIncident",
    field="summary",
    label="治安事件简要情况",
    permission=REVEAL_FACTS.code,
    mask=mask_text,
    load=column_loader(Incident, "summary"),
)

SENSITIVE_FIELDS = (
    PARTY_ID_NUMBER,
    PARTY_PHONE,
    CASE_FACTS,
    CASE_AGREEMENT,
    APPEAL_PHONE,
    EVENT_DESCRIPTION,
    INCIDENT_SUMMARY,
)
