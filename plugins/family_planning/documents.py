"""Application materials of a certificate (申请材料、证明扫描件) kept through core
documents; they share the certificate's scope and are read only with
``family_planning.read``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.documents.classes import DocumentClass
from core.documents.content import JPEG, PDF, PNG
from core.org.models import OrgUnit
from plugins.family_planning import declarations as d

CERTIFICATE_DOCUMENT = "family_planning.certificate_document"


def _unit_of(session: Session, certificate: Any) -> OrgUnit | None:
    return session.get(OrgUnit, certificate.org_unit_id)


DOCUMENT_CLASSES = (
    DocumentClass(
        code=CERTIFICATE_DOCUMENT,
        name="计划生育证明申请材料",
        owner_type=d.CERTIFICATE.type_name,
        attach_permission=d.SERVE.code,
        read_permission=d.READ.code,
        unit_of=_unit_of,
        retention=d.DOCUMENT_YEARS,
        content_types=(PDF, JPEG, PNG),
        max_count=10,
    ),
)
