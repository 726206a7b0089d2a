"""Scans of a voucher's invoices and receipts: attached to the expense
request through core's documents; where policy requires them, the cashier
may not pay without one."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from core.api.errors import UserInputError
from core.documents.samples import pdf_with_text, png
from core.policy.service import set_value
from plugins.finance import declarations as d
from plugins.finance import service
from tests.documents.test_documents import attached, refused
from tests.plugins.finance.conftest import World, gid


def _require_scans(world: World) -> None:
    with world.deployment.session_factory() as session, session.begin():
        set_value(session, world.unit(session), d.SCANS_REQUIRED, True, set_by="test", reason="支付前须上传发票扫描件")


def _payable(world: World) -> int:
    request_id = world.request("80")
    world.approve_all(request_id)
    world.sign_all(request_id)
    return request_id


def test_payment_refused_without_scans_where_policy_requires(world: World, client: TestClient) -> None:
    _require_scans(world)
    request_id = _payable(world)
    with pytest.raises(UserInputError) as caught:
        world.act("cashier", service.pay, request_id)
    assert [e.code for e in caught.value.errors] == ["SCANS_MISSING"]
    owner = gid("FinanceExpenseRequest", request_id)
    document = attached(client, world.users["worker"], owner, "finance.voucher_scan", "发票.png", png())
    assert document["contentType"] == "image/png"
    world.act("cashier", service.pay, request_id)


def test_scans_not_required_by_default(world: World) -> None:
    world.act("cashier", service.pay, _payable(world))


def test_scans_follow_the_request_scope(world: World, client: TestClient) -> None:
    request_id = world.request("80")
    owner = gid("FinanceExpenseRequest", request_id)
    outsider = world.sign_in("community_worker", world.other_community)
    assert refused(client, outsider, owner, "finance.voucher_scan", "a.pdf", pdf_with_text("x")) == ["NOT_FOUND"]
    # Plain text is not a scan.
    assert refused(client, world.users["worker"], owner, "finance.voucher_scan", "a.txt", b"plain text") == [
        "UNSUPPORTED_FILE_TYPE"
    ]
    # Archive classes belong to org units, not to expense requests.
    assert refused(client, world.users["worker"], owner, "archive.culture", "a.pdf", pdf_with_text("x")) == [
        "UNKNOWN_DOCUMENT_CLASS"
    ]
