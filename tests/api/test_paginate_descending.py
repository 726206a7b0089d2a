"""Newest-first connections: the same keyset paging, in descending order."""

from __future__ import annotations

from sqlalchemy import select

from core.api.context import RequestContext
from core.api.relay import paginate
from core.app import Deployment
from core.org import service
from core.org.models import OrgUnit


def test_descending_pages_forward_and_back(deployment: Deployment) -> None:
    with deployment.session_factory() as session:
        city = service.create_unit(session, deployment.settings, name="青岛市", level="city", parent_id=None)
        ids = [
            service.create_unit(session, deployment.settings, name=f"区{i}", level="district", parent_id=city.id).id
            for i in range(7)
        ]
        session.commit()
        context = RequestContext(session=session, settings=deployment.settings, registry=deployment.schema.registry)
        statement = select(OrgUnit).where(OrgUnit.parent_id == city.id)
        newest = list(reversed(ids))

        first = paginate(context, statement, (OrgUnit.id,), first=3, descending=True)
        assert [e.node.id for e in first.edges] == newest[:3]
        assert first.page_info.has_next_page is True
        second = paginate(context, statement, (OrgUnit.id,), first=3, after=first.page_info.end_cursor, descending=True)
        assert [e.node.id for e in second.edges] == newest[3:6]
        back = paginate(
            context, statement, (OrgUnit.id,), last=2, before=second.page_info.start_cursor, descending=True
        )
        assert [e.node.id for e in back.edges] == newest[1:3]
        assert back.page_info.has_previous_page is True
