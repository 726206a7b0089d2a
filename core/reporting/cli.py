"""``jiceng reporting``: create the instances owed (run daily from cron)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import inspect

from core.policy.cli import parse_date
from core.reporting.models import ObligationInstance
from core.reporting.obligations import registry_for


def add_commands(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    reporting = subparsers.add_parser("reporting", help="报送日历：生成各单位应报事项")
    actions = reporting.add_subparsers(dest="reporting_command", metavar="ACTION")
    reporting.set_defaults(handler=lambda _args: (reporting.print_help(), 2)[1])

    materialize = actions.add_parser(
        "materialize", help="为各应报单位生成本期和上期的报送事项（可重复运行，可由 cron 每日运行）"
    )
    materialize.add_argument("--on", type=parse_date, help="按此日期计算期间，YYYY-MM-DD，默认今天")
    materialize.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    materialize.add_argument("--quiet", action="store_true", help="只在出错时输出")
    materialize.set_defaults(handler=cmd_materialize)

    types = actions.add_parser("types", help="列出本部署声明的报送事项类型")
    types.set_defaults(handler=cmd_types)


def cmd_materialize(args: argparse.Namespace) -> int:
    from core.cli import deployment_from_args
    from core.reporting.service import materialize

    deployment = deployment_from_args(args)
    try:
        if not inspect(deployment.engine).has_table(ObligationInstance.__tablename__):
            print("数据库中还没有报送事项表，请先运行 jiceng migrate。", file=sys.stderr)
            return 1
        say = (lambda _m: None) if args.quiet else (lambda message: print(message, flush=True))
        with deployment.session_factory() as session, session.begin():
            result = materialize(session, deployment.host, args.on, progress=say)
        if not args.quiet:
            print(f"完成：新建 {result.created} 条，已有 {result.existing} 条。")
        return 0
    finally:
        deployment.dispose()


def cmd_types(args: argparse.Namespace) -> int:
    from core.cli import deployment_from_args

    deployment = deployment_from_args(args)
    try:
        kinds = registry_for(deployment.host).all()
        if not kinds:
            print("本部署没有声明报送事项（由启用的插件声明）。")
        for kind in kinds:
            print(f"{kind.code}\t{kind.name}\t{kind.kind}\t{kind.recurrence}\t{','.join(kind.levels)}")
        return 0
    finally:
        deployment.dispose()
