"""Scans of the invoices and receipts behind an expense request (凭证),
attached through core's documents (``attachDocument``); a payment without
them is refused where ``finance.payment.scans_required`` says so."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.documents.classes import DocumentClass
from core.documents.content import JPEG, PDF, PNG
from core.documents.models import DISPOSED, Document
from core.org.models import OrgUnit
from plugins.finance import declarations as d
from plugins.finance.models import ExpenseRequest

OWNER_TYPE = "FinanceExpenseRequest"
VOUCHER_SCAN = "finance.voucher_scan"


def _unit_of(session: Session, request: ExpenseRequest) -> OrgUnit:
    unit = session.get(OrgUnit, request.org_unit_id)
    assert unit is not None  # a restricting foreign key
    return unit


DOCUMENT_CLASSES = (
    DocumentClass(
        code=VOUCHER_SCAN,
        name="发票、收据扫描件",
        owner_type=OWNER_TYPE,
        attach_permission=d.REQUEST.code,
        read_permission=d.VIEW.code,
        unit_of=_unit_of,
        retention=d.VOUCHER_SCAN_YEARS,
        content_types=(PDF, JPEG, PNG),
        max_count=20,
        max_bytes=10 * 1024 * 1024,
    ),
)


def scan_count(session: Session, request_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Document)
            .where(
                Document.owner_type == OWNER_TYPE,
                Document.owner_id == request_id,
                Document.document_class == VOUCHER_SCAN,
                Document.status != DISPOSED,
            )
        )
        or 0
    )
