"""The demo locality shows party building: organizations with a branch per
grid, meetings (one month missed), a candidate notice on the community's
public board, in-service members and a big committee with a unit still
lacking a committee member."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from core.api.relay import encode_global_id
from core.app import Deployment, create_app
from core.auth.models import RoleGrant, User
from core.board.models import PUBLISHED, Notice
from core.demo import load_demo
from core.demo.progress import Progress
from core.meetings.models import Meeting
from plugins.party_building.models import DevelopmentCase, PartyOrganization
from tests.conftest import DatabaseFactory, graphql_caller, migrated_deployment


@pytest.fixture(scope="module")
def demo(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    deployment = migrated_deployment(database_factory.create(backend), plugins=("party_building",))
    with deployment.session_factory() as session, session.begin():
        load_demo(session, deployment.settings, deployment.host, Progress(quiet=True))
    yield deployment
    deployment.dispose()


def test_demo_party_building(demo: Deployment) -> None:
    with demo.session_factory() as session:
        types = sorted(session.scalars(select(PartyOrganization.org_type)))
        assert types.count("branch") >= 2 and "committee" in types and "big_committee" in types
        assert (
            session.scalar(select(func.count()).select_from(Meeting).where(Meeting.kind.like("party_building.%"))) or 0
        ) > 0
        case = session.scalars(select(DevelopmentCase).where(DevelopmentCase.notice_id.is_not(None))).one()
        notice = session.get(Notice, case.notice_id)
        assert notice is not None and notice.status == PUBLISHED


def test_demo_graphql_operations(demo: Deployment) -> None:
    with TestClient(create_app(deployment=demo)) as client:
        login = graphql_caller(client)(
            'mutation { login(input: {username: "party_secretary", password: "jiceng-demo-2026"}) { token userErrors { code } } }'
        )["login"]
        call = graphql_caller(client, login["token"])
        orgs = call(
            "{ partyOrganizations(first: 10) { nodes { id name orgType memberCount warnings { code message } } } }"
        )
        nodes = orgs["partyOrganizations"]["nodes"]
        big = next(n for n in nodes if n["orgType"] == "big_committee")
        assert any(w["code"] == "MEMBER_UNIT_WITHOUT_REPRESENTATIVE" for w in big["warnings"])
        branch = next(n for n in nodes if n["orgType"] == "committee")
        compliance = call(
            "query($o: ID!) { partyMeetingCompliance(organizationId: $o, onlyProblems: true) { organization { name } meetingType status } }",
            {"o": branch["id"]},
        )["partyMeetingCompliance"]
        assert compliance and all(i["status"] == "overdue" for i in compliance)


def test_demo_summary_for_the_street(demo: Deployment) -> None:
    with TestClient(create_app(deployment=demo)) as client:
        login = graphql_caller(client)(
            'mutation { login(input: {username: "street_leader", password: "jiceng-demo-2026"}) { token } }'
        )["login"]
        call = graphql_caller(client, login["token"])
        with demo.session_factory() as session:
            street = session.scalar(
                select(RoleGrant.org_unit_id)
                .join(User, User.id == RoleGrant.user_id)
                .where(User.username == "street_leader")
            )
        data = call(
            "query($u: ID!) { partyBuildingSummary(under: $u) { organizations { code count } fullMembers "
            "overdueMeetingPeriods developmentStages { code count } inServiceRegistrations householdAssignments "
            "organizationsWithWarnings } }",
            {"u": encode_global_id("OrgUnit", street)},
        )["partyBuildingSummary"]
        assert {c["code"] for c in data["organizations"]} == {"branch", "committee", "big_committee"}
        assert data["fullMembers"] > 0 and data["overdueMeetingPeriods"] > 0
        assert {c["code"] for c in data["developmentStages"]} == {"notice_drafted", "evaluated"}
        assert data["inServiceRegistrations"] == 2 and data["householdAssignments"] > 0
        assert data["organizationsWithWarnings"] >= 1
