"""The demo community's public board has published notices and a pending one."""

from __future__ import annotations

from sqlalchemy import select

from core.app import Deployment
from core.auth.models import RoleGrant, User
from core.board import service
from core.board.models import PENDING_APPROVAL, Notice


def test_demo_board(demo_deployment: Deployment) -> None:
    with demo_deployment.session_factory() as session:
        unit_id = session.scalar(
            select(RoleGrant.org_unit_id)
            .join(User, User.id == RoleGrant.user_id)
            .where(User.username == "community_worker")
        )
        assert unit_id is not None
        shown = service.published_notices(session, unit_id)
        # Core's own demo notices; the demo plugins add theirs (their tests check them).
        core_notices = [n for n in shown if n.source_plugin is None]
        assert [n.category for n in core_notices] == ["community_affairs", "finance"]
        assert all(n.approved_by_id is not None and n.approved_by_id != n.drafted_by_id for n in shown)
        pending = session.scalars(
            select(Notice).where(Notice.status == PENDING_APPROVAL, Notice.source_plugin.is_(None))
        ).all()
        assert [n.category for n in pending] == ["party_affairs"]
