"""Public attachments of a notice: added to a draft only (approved with the
notice), checked for ID and phone numbers like the notice text, shown on the
public board and downloadable without sign-in only while the notice is on it."""

from __future__ import annotations

from starlette.testclient import TestClient

from core.documents.samples import pdf_with_text, png
from tests.board.test_board import Staff, Tree, drafted, errors, gid, published, step
from tests.conftest import GraphQLCall, SignIn
from tests.documents.test_documents import attached, refused

BOARD_WITH_FILES = """
query($unit: ID!) {
  publicBoard(orgUnitId: $unit) { nodes { title attachments { filename contentType sha256 downloadPath } } }
}
"""


def test_attachment_on_a_draft_shown_once_published(
    client: TestClient, gql: GraphQLCall, staff: Staff, tree: Tree
) -> None:
    notice_id = drafted(staff, tree, "社区环境整治公示")
    data = pdf_with_text("Clean-up of staircases: week 3, all buildings")
    document = attached(client, staff.worker, notice_id, "board.attachment", "公示.pdf", data)
    public_path = "/documents/public/" + document["id"]
    # Not yet on the board: not public.
    assert client.get(public_path).status_code == 404
    assert errors(step(staff.worker, "submitNoticeForApproval", notice_id)) == []
    # Under approval: no more files.
    assert refused(client, staff.worker, notice_id, "board.attachment", "b.png", png()) == ["INVALID_STATUS"]
    assert errors(step(staff.secretary, "approveNotice", notice_id)) == []
    assert errors(step(staff.worker, "publishNotice", notice_id)) == []
    board = gql(BOARD_WITH_FILES, {"unit": gid("OrgUnit", tree.community)})["publicBoard"]["nodes"]
    files = next(n for n in board if n["title"] == "社区环境整治公示")["attachments"]
    assert files == [
        {
            "filename": "公示.pdf",
            "contentType": "application/pdf",
            "sha256": document["sha256"],
            "downloadPath": public_path,
        }
    ]
    download = client.get(public_path)
    assert download.status_code == 200 and download.content == data
    assert errors(step(staff.worker, "withdrawNotice", notice_id, reason="活动结束")) == []
    assert client.get(public_path).status_code == 404


def test_attachment_holding_personal_data_is_refused(client: TestClient, staff: Staff, tree: Tree) -> None:
    notice_id = drafted(staff, tree, "困难家庭补助公示")
    in_pdf = pdf_with_text("Zhang San 11010519491231002X")
    in_text = "联系人 13812345678".encode()
    assert refused(client, staff.worker, notice_id, "board.attachment", "名单.pdf", in_pdf) == [
        "PERSONAL_DATA_IN_NOTICE"
    ]
    assert refused(client, staff.worker, notice_id, "board.attachment", "名单.txt", in_text) == [
        "PERSONAL_DATA_IN_NOTICE"
    ]
    # An image is not read; it is accepted as a photo of the announcement.
    attached(client, staff.worker, notice_id, "board.attachment", "照片.png", png())


def test_another_communitys_staff_cannot_attach(client: TestClient, staff: Staff, tree: Tree, sign_in: SignIn) -> None:
    notice_id = published(staff, tree, "楼道清理通知")
    outsider = sign_in("community_worker", tree.other_community)
    assert refused(client, outsider, notice_id, "board.attachment", "a.pdf", pdf_with_text("x")) == ["NOT_FOUND"]
