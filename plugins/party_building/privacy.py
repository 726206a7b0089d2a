"""Party membership is sensitive personal information (political opinion,
PIPL art. 28): the political status of a member (中共党员 / 中共预备党员 and
the organization) is masked in GraphQL and revealed only through core's
``revealSensitiveField`` to holders of ``party_building.reveal_membership``
at the member's unit, audited with the stated purpose."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.relay import MAX_INTEGER_PK
from core.privacy import SensitiveField, SensitiveValue
from plugins.party_building.declarations import REVEAL_MEMBERSHIP
from plugins.party_building.models import PartyMember, PartyOrganization

MASKED = "****"


POLITICAL_STATUS_LABELS = {"full": "中共党员", "probationary": "中共预备党员"}


def political_status(status: str, organization_name: str, left: bool) -> str:
    """``中共党员（宁安路社区党支部）``: the clear value of the sensitive field."""
    label = POLITICAL_STATUS_LABELS.get(status, status)
    return f"{label}（{organization_name}）" + ("，组织关系已转出" if left else "")


def mask_status(value: str | None) -> str | None:
    return None if value is None else MASKED


def load_political_status(session: Session, pk: int) -> SensitiveValue | None:
    if not 0 <= pk <= MAX_INTEGER_PK:
        return None
    row = session.execute(
        select(
            PartyMember.status,
            PartyMember.left_on,
            PartyOrganization.name,
            PartyMember.org_unit_id,
            PartyMember.org_path,
        )
        .join(PartyOrganization, PartyOrganization.id == PartyMember.organization_id)
        .where(PartyMember.id == pk)
    ).first()
    if row is None:
        return None
    status, left_on, org_name, unit_id, path = row
    return SensitiveValue(
        value=political_status(status, org_name, left_on is not None), org_unit_id=unit_id, org_path=path
    )


POLITICAL_STATUS = SensitiveField(
    type_name="PartyMember",
    field="politicalStatus",
    label="政治面貌（党员身份和所在党组织）",
    permission=REVEAL_MEMBERSHIP.code,
    mask=mask_status,
    load=load_political_status,
)

SENSITIVE_FIELDS = (POLITICAL_STATUS,)
