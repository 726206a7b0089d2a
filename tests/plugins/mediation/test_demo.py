"""The demo locality with the mediation plugin: the demo community has cases
at every stage, an emergency at the street, screenings, appeals and grid events;
the demo accounts see them through GraphQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from core.app import Deployment, create_app
from core.demo import load_demo
from core.demo.people import DEMO_PASSWORD
from core.demo.progress import Progress
from plugins.mediation.models import Appeal, DisputeCase, GridEvent, Screening
from tests.conftest import DatabaseFactory, graphql_caller, migrated_deployment

LOGIN = """mutation($input: LoginInput!) { login(input: $input) { token userErrors { code } } }"""


@pytest.fixture(scope="module")
def demo(backend: str, database_factory: DatabaseFactory) -> Iterator[Deployment]:
    deployment = migrated_deployment(database_factory.create(backend), plugins=("mediation",))
    with deployment.session_factory() as session, session.begin():
        load_demo(session, deployment.settings, deployment.host, Progress(quiet=True))
    yield deployment
    deployment.dispose()


def test_demo_records(demo: Deployment) -> None:
    with demo.session_factory() as session:
        cases = session.scalars(select(DisputeCase).order_by(DisputeCase.id)).all()
        # The last one was opened by the grid worker's "instability" event.
        assert [c.status for c in cases] == ["closed", "mediating", "accepted", "escalated", "registered", "registered"]
        assert cases[-1].source == "grid_report"
        assert cases[3].emergency == "mass_petition"
        assert session.scalars(select(Screening)).all()
        assert len(session.scalars(select(Appeal)).all()) >= 4
        events = {e.event_type: e.routing_status for e in session.scalars(select(GridEvent))}
        assert events["new_pregnancy"] == "not_routed"


def test_demo_accounts_see_the_demo(demo: Deployment) -> None:
    with TestClient(create_app(deployment=demo)) as client:
        anonymous = graphql_caller(client)
        login = anonymous(LOGIN, {"input": {"username": "street_leader", "password": DEMO_PASSWORD}})["login"]
        assert login["userErrors"] == [], login
        leader = graphql_caller(client, login["token"])
        emergencies = leader("{ emergencies { title orgUnit { level } } }")["emergencies"]
        assert [e["title"] for e in emergencies] == ["物业费上调引发业主聚集"]
        assert emergencies[0]["orgUnit"]["level"] == "street"
        listed = leader("{ disputeCases(first: 10) { totalCount } }")["disputeCases"]
        assert listed["totalCount"] == 6
