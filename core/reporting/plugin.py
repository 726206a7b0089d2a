"""Registers the reporting calendar through the same hooks plugins use.

Domain plugins declare obligation types (``register_obligation_types``);
core's only ones are the public board's monthly disclosures
(``core.board.obligations``)."""

from __future__ import annotations

import argparse
from typing import Any

from core.api.relay import NodeType
from core.auth.permissions import Permission
from core.hookspecs import hookimpl
from core.reporting.models import Holiday, ObligationInstance
from core.reporting.policy_keys import REPORTING_POLICY_KEYS

REPORTING_VIEW = Permission(
    "reporting.view",
    "查看报送日历：应报事项、报送情况和完成率",
    default_roles=(
        "community_worker",
        "committee_chair",
        "party_secretary",
        "supervisor",
        "street_staff",
        "street_leader",
        "district_supervisor",
        "auditor",
    ),
)
REPORTING_SUBMIT = Permission(
    "reporting.submit",
    "报送本单位的报表、会议记录等应报事项（含零报告）",
    default_roles=("community_worker", "committee_chair", "party_secretary"),
)
REPORTING_REOPEN = Permission(
    "reporting.reopen",
    "重新开放已锁定或已报送的一期报送事项（记入审计）",
    default_roles=("street_leader", "district_supervisor"),
)
REPORTING_MANAGE_HOLIDAYS = Permission(
    "reporting.manage_holidays",
    "维护节假日和调休上班日（影响截止日的顺延）",
    default_roles=("street_leader", "district_supervisor"),
)


@hookimpl
def register_models() -> list[type]:
    return [ObligationInstance, Holiday]


@hookimpl
def register_permissions() -> list[Any]:
    return [REPORTING_VIEW, REPORTING_SUBMIT, REPORTING_REOPEN, REPORTING_MANAGE_HOLIDAYS]


@hookimpl
def register_policy_keys() -> list[Any]:
    return list(REPORTING_POLICY_KEYS)


@hookimpl
def register_query_fields() -> list[type]:
    from core.reporting.holidays_schema import HolidayQuery
    from core.reporting.schema import ReportingQuery

    return [ReportingQuery, HolidayQuery]


@hookimpl
def register_mutation_fields() -> list[type]:
    from core.reporting.holidays_schema import HolidayMutation
    from core.reporting.schema import ReportingMutation

    return [ReportingMutation, HolidayMutation]


@hookimpl
def register_node_types() -> list[Any]:
    from core.reporting.schema import load_instances

    return [NodeType("ObligationInstance", load_instances)]


@hookimpl
def register_commands(subparsers: argparse._SubParsersAction) -> None:
    from core.reporting.cli import add_commands

    add_commands(subparsers)
