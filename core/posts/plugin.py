"""Registers bodies, posts and terms through the same hooks plugins use."""

from __future__ import annotations

from typing import Any

from core.api.relay import NodeType
from core.auth.permissions import Permission
from core.hookspecs import hookimpl
from core.posts.kinds import CORE_DECLARATIONS
from core.posts.models import Body, PostAssignment
from core.posts.policy_keys import POSTS_POLICY_KEYS

POSTS_VIEW = Permission(
    "posts.view",
    "查看机构及其人员任职（职务、任期和历史）",
    default_roles=(
        "grid_worker",
        "community_worker",
        "committee_chair",
        "party_secretary",
        "accountant",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
        "auditor",
    ),
)
POSTS_MANAGE = Permission(
    "posts.manage",
    "设立机构，办理任职、离任和职务移交",
    default_roles=("street_staff", "street_leader"),
)


@hookimpl
def register_models() -> list[type]:
    return [Body, PostAssignment]


@hookimpl
def register_permissions() -> list[Any]:
    return [POSTS_VIEW, POSTS_MANAGE]


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(POSTS_POLICY_KEYS)


@hookimpl
def register_post_kinds() -> list[Any]:
    return list(CORE_DECLARATIONS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.posts.schema import PostsQuery

    return [PostsQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.posts.schema import PostsMutation

    return [PostsMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.posts.schema import assignment_paths, load_assignments, load_bodies

    return [NodeType("Body", load_bodies), NodeType("PostAssignment", load_assignments, assignment_paths)]
