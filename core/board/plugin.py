"""Registers the public board through the same hooks plugins use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.api.relay import NodeType
from core.auth.permissions import Permission
from core.board.categories import CORE_CATEGORIES
from core.board.models import Notice
from core.hookspecs import hookimpl

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from core.demo.progress import Progress
    from core.settings import Settings

BOARD_VIEW = Permission(
    "board.view",
    "查看公开栏公告（含草稿、待审核和已撤回的）",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
    ),
)
BOARD_DRAFT = Permission(
    "board.draft",
    "起草公开栏公告并提交党组织审核",
    default_roles=("community_worker", "committee_chair", "party_secretary", "street_staff", "street_leader"),
)
BOARD_APPROVE = Permission(
    "board.approve",
    "审核公开栏公告（党组织，先党内后党外）",
    default_roles=("party_secretary",),
)
BOARD_PUBLISH = Permission(
    "board.publish",
    "在公开栏公开或撤回已审核的公告",
    default_roles=("community_worker", "committee_chair", "party_secretary", "street_staff", "street_leader"),
)


@hookimpl
def register_models() -> list[type]:
    return [Notice]


@hookimpl
def register_permissions() -> list[Any]:
    return [BOARD_VIEW, BOARD_DRAFT, BOARD_APPROVE, BOARD_PUBLISH]


@hookimpl
def register_policy_keys() -> list[Any]:
    from core.board.attachments import ATTACHMENT_YEARS
    from core.board.obligations import DISCLOSURE_DUE_DAY

    return [DISCLOSURE_DUE_DAY, ATTACHMENT_YEARS]


@hookimpl
def register_document_classes() -> list[Any]:
    from core.board.attachments import NOTICE_ATTACHMENT

    return [NOTICE_ATTACHMENT]


@hookimpl
def register_obligation_types() -> list[Any]:
    from core.board.obligations import DISCLOSURE_OBLIGATIONS

    return list(DISCLOSURE_OBLIGATIONS.values())


@hookimpl
def register_notice_categories() -> list[Any]:
    return list(CORE_CATEGORIES)


@hookimpl
def register_query_fields() -> list[type]:
    from core.board.schema import BoardQuery

    return [BoardQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.board.schema import BoardMutation

    return [BoardMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.board.schema import load_notices

    return [NodeType("Notice", load_notices)]


@hookimpl
def register_routes() -> list[Any]:
    from core.board.web import ROUTES

    return list(ROUTES)


# Before the plugins' demos: a plugin that keeps the committee's meetings
# approves these notices with one of its resolutions.
@hookimpl(tryfirst=True)
def load_demo_data(session: Session, settings: Settings, progress: Progress) -> None:
    from core.board.demo import load_demo_notices
    from core.plugin_host import host_for_plugins

    load_demo_notices(session, host_for_plugins(settings.plugins), progress)
