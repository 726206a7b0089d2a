"""``jiceng visits refresh``: rebuild the visit schedules from the registry,
the enrolments and the policy in force (run daily from cron: people turn
60, move and leave; a locality changes an interval)."""

from __future__ import annotations

import argparse

from core.audit.service import record
from core.policy.cli import parse_date
from core.policy.service import local_today

CLI_ACTOR = "cli"


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    visits = subparsers.add_parser("visits", help="走访：按人口库和地方政策重建走访计划")
    actions = visits.add_subparsers(dest="visits_command", metavar="ACTION")
    visits.set_defaults(handler=lambda _args: (visits.print_help(), 2)[1])
    refresh = actions.add_parser("refresh", help="重建各走访项目的走访计划（可重复运行，可由 cron 每日运行）")
    refresh.add_argument("--on", type=parse_date, help="按此日期计算，YYYY-MM-DD，默认今天")
    refresh.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    refresh.set_defaults(handler=cmd_refresh)


def cmd_refresh(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from core.cli import deployment_from_args
    from core.org.models import OrgUnit
    from core.policy.registry import registry_for
    from core.visits.programmes import programmes_for
    from core.visits.service import refresh_schedule

    deployment = deployment_from_args(args)
    today = args.on or local_today()
    try:
        with deployment.session_factory() as session, session.begin():
            roots = list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id.is_(None))))
            counts = {}
            for programme in programmes_for(deployment.host).values():
                counts[programme.code] = sum(
                    refresh_schedule(session, programme, root, today=today, registry=registry_for(deployment.host))
                    for root in roots
                )
                print(f"{programme.code}\t{programme.name}\t{counts[programme.code]} 人")
            record(
                session,
                action="cli:visits.refresh",
                actor_label=CLI_ACTOR,
                detail={"on": today.isoformat(), "scheduled": counts},
            )
        return 0
    finally:
        deployment.dispose()
