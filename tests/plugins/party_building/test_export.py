"""The 三会一课 ledger as Excel: the same figures as partyMeetingCompliance,
sign-in and party_building.view required, scope respected, audited."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from starlette.testclient import TestClient

from core.app import Deployment
from core.audit.models import AuditRecord
from core.policy.service import local_today
from tests.conftest import SignIn
from tests.plugins.party_building.conftest import World
from tests.plugins.party_building.test_graphql import (
    RECORD_MEETING,
    admit,
    create_branch,
    gid,
    residents,
)

EXPORT = "/party_building/export/meeting-compliance.xlsx"


def _sheet(content: bytes) -> Worksheet:
    """The active sheet of a downloaded workbook."""
    sheet = load_workbook(BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return sheet


def test_compliance_export(deployment: Deployment, world: World, sign_in: SignIn, client: TestClient) -> None:
    secretary = sign_in("party_secretary", world.community)
    org_id = create_branch(secretary, world)["organization"]["id"]
    ids = [admit(secretary, org_id, r)["member"]["id"] for r in residents(deployment, world.grid, 3)]
    today = local_today()
    secretary(
        RECORD_MEETING,
        {
            "input": {
                "organizationId": org_id,
                "meetingType": "members_meeting",
                "heldOn": str(today),
                "topic": "党员大会",
                "presentMemberIds": ids,
            }
        },
    )
    api = secretary(
        "query($o: ID!) { partyMeetingCompliance(organizationId: $o) { meetingTypeName held status } }", {"o": org_id}
    )
    street = sign_in("street_leader", world.street)
    params = {"unit": gid("OrgUnit", world.street), "year": str(today.year)}

    assert client.get(EXPORT, params=params).status_code == 401
    neighbour = sign_in("community_worker", world.neighbour)
    assert client.get(EXPORT, params=params, headers={"Authorization": f"Bearer {neighbour.token}"}).status_code == 403
    response = client.get(EXPORT, params=params, headers={"Authorization": f"Bearer {street.token}"})
    assert response.status_code == 200, response.text
    sheet = _sheet(response.content)
    assert sheet["A1"].value == f"宁夏路街道{today.year}年“三会一课”及民主生活会落实情况"
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
    status = {"done": "已开", "due": "本期待开", "overdue": "期满未开"}
    assert all(isinstance(r[5], datetime) and isinstance(r[6], datetime) for r in rows)  # period bounds are date cells
    assert sheet.print_title_rows == "$1:$3" and sheet.page_setup.fitToWidth == 1
    assert [(r[4], r[7], r[8]) for r in rows] == [
        (i["meetingTypeName"], i["held"], status[i["status"]]) for i in api["partyMeetingCompliance"]
    ]
    # A neighbour community's worker sees none of it, even when asking for their own unit.
    own = client.get(
        EXPORT, params={"unit": gid("OrgUnit", world.neighbour)}, headers={"Authorization": f"Bearer {neighbour.token}"}
    )
    assert [r for r in _sheet(own.content).iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)] == []
    with deployment.session_factory() as session:
        assert session.scalars(
            select(AuditRecord.action).where(AuditRecord.action == "export:party_building.meeting_compliance")
        ).all()
