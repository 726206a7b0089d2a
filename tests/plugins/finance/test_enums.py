"""The GraphQL enums list exactly the codes the service stores: a code added to the
service without its enum value fails here."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import pytest

from plugins.finance import models as m
from plugins.finance import service as s
from plugins.finance.enums import (
    FinanceAccountKind,
    FinanceApprovalProcedure,
    FinanceApprovalStepKind,
    FinanceApprovalStepStatus,
    FinanceApprovalTier,
    FinanceAuditKind,
    FinanceAuditStatus,
    FinanceDirection,
    FinanceDocumentKind,
    FinanceExpenseRequestStatus,
    FinanceSignatureRole,
)

CODE_SETS: list[tuple[type[Enum], Iterable[str]]] = [
    (FinanceAccountKind, m.ACCOUNT_KINDS),
    (FinanceApprovalStepKind, m.STEP_NAMES),
    (FinanceApprovalStepStatus, m.STEP_STATUSES),
    (FinanceAuditKind, m.AUDIT_KINDS),
    (FinanceAuditStatus, m.AUDIT_STATUSES),
    (FinanceDirection, m.DIRECTIONS),
    (FinanceApprovalTier, s.BAND_NAMES),
    (FinanceApprovalProcedure, (s.PROCEDURE_COMMUNITY, s.PROCEDURE_VILLAGE)),
    (FinanceExpenseRequestStatus, m.REQUEST_STATUSES),
    (FinanceDocumentKind, s.DOCUMENT_KINDS),
    (FinanceSignatureRole, m.SIGNATURE_NAMES),
]


@pytest.mark.parametrize(("enum", "codes"), CODE_SETS, ids=[enum.__name__ for enum, _ in CODE_SETS])
def test_the_enum_lists_the_stored_codes(enum: type[Enum], codes: Iterable[str]) -> None:
    assert {member.value for member in enum} == set(codes)
    assert all(member.name == member.value.upper() for member in enum)
