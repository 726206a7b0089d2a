"""``jiceng reporting``: create the instances owed (run daily from cron), list
the declared obligation types and keep the holiday table."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import inspect

from core.audit.service import record
from core.policy.cli import parse_date
from core.policy.service import local_today
from core.reporting.models import ObligationInstance
from core.reporting.obligations import registry_for


def add_commands(subparsers: argparse._SubParsersAction) -> None:
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

    holiday = actions.add_parser("holiday", help="节假日和调休：截止日遇非工作日时按策略移动")
    holiday_actions = holiday.add_subparsers(dest="holiday_command", metavar="ACTION")
    holiday.set_defaults(handler=lambda _args: (holiday.print_help(), 2)[1])
    add = holiday_actions.add_parser("add", help="登记一个节假日（或用 --workday 登记调休上班日）")
    add.add_argument("day", type=parse_date, help="日期 YYYY-MM-DD")
    add.add_argument("name", help="名称，如 春节、国庆节调休")
    add.add_argument("--workday", action="store_true", help="调休：此日（通常是周末）为工作日")
    add.add_argument("--unit", help="只适用于此单位及其下级（区划代码或全局 ID），默认全部")
    add.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    add.set_defaults(handler=cmd_holiday_add)
    listing = holiday_actions.add_parser("list", help="列出某年的节假日和调休")
    listing.add_argument("--year", type=int, help="年份，默认今年")
    listing.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    listing.set_defaults(handler=cmd_holiday_list)

    holidays = subparsers.add_parser("holidays", help="全国节假日表：载入随软件发布的年度节假日和调休安排")
    holidays_actions = holidays.add_subparsers(dest="holidays_command", metavar="ACTION")
    holidays.set_defaults(handler=lambda _args: (holidays.print_help(), 2)[1])
    load = holidays_actions.add_parser(
        "load", help="把节假日文件载入节假日表（可重复运行；默认载入随软件发布的全部年份）"
    )
    load.add_argument("--year", type=int, action="append", help="只载入此年份（可多次指定）")
    load.add_argument("--file", help="载入此 TOML 文件（格式同 core/reporting/holidays/2026.toml）")
    load.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    load.set_defaults(handler=cmd_holidays_load)


# Changes made from the command line are audited with this actor.
CLI_ACTOR = "cli"


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
            record(
                session,
                action="cli:reporting.materialize",
                actor_label=CLI_ACTOR,
                detail={
                    "on": (args.on or local_today()).isoformat(),
                    "created": result.created,
                    "markedMissing": result.marked_missing,
                    "locked": result.locked,
                },
            )
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


def cmd_holiday_add(args: argparse.Namespace) -> int:
    from core.api.errors import UserInputError
    from core.cli import deployment_from_args
    from core.policy.cli import CommandError, find_unit
    from core.reporting.calendar import add_holiday

    deployment = deployment_from_args(args)
    try:
        with deployment.session_factory() as session, session.begin():
            unit = find_unit(session, args.unit) if args.unit else None
            row = add_holiday(session, args.day, args.name, is_workday=args.workday, org_unit=unit)
            record(
                session,
                action="cli:reporting.holiday_add",
                actor_label=CLI_ACTOR,
                object_type="Holiday",
                object_id=row.id,
                org_unit_id=row.org_unit_id,
                detail={"day": row.day.isoformat(), "name": row.name, "isWorkday": row.is_workday},
            )
        what = "调休上班日" if args.workday else "节假日"
        where = f"（适用于{unit.name}及其下级）" if unit else ""
        print(f"已登记{what}：{args.day} {args.name.strip()}{where}。已生成的截止日不变。")
        return 0
    except (CommandError, UserInputError) as exc:
        message = exc.errors[0].message if isinstance(exc, UserInputError) else str(exc)
        print(f"错误：{message}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()


def cmd_holidays_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from core.cli import deployment_from_args
    from core.reporting.holidays import (
        HolidayFileError,
        bundled_years,
        load_year,
        read_year,
    )

    try:
        files = [read_year(path=Path(args.file))] if args.file else None
    except (HolidayFileError, OSError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    deployment = deployment_from_args(args)
    try:
        years = files or [read_year(year) for year in (args.year or bundled_years())]
        with deployment.session_factory() as session, session.begin():
            for holidays in years:
                result = load_year(session, holidays)
                record(
                    session,
                    action="cli:reporting.holidays_load",
                    actor_label=CLI_ACTOR,
                    object_type="Holiday",
                    object_id=None,
                    detail={
                        "year": result.year,
                        "added": result.added,
                        "updated": result.updated,
                        "source": holidays.source,
                    },
                )
                note = "（暂定：国务院办公厅公布全年安排后请更新文件并重新载入）" if result.provisional else ""
                print(
                    f"{result.year} 年：新增 {result.added} 天，更新 {result.updated} 天，未变 {result.unchanged} 天{note}"
                )
        return 0
    except HolidayFileError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()


def cmd_holiday_list(args: argparse.Namespace) -> int:
    from datetime import date

    from sqlalchemy import select

    from core.cli import deployment_from_args
    from core.policy.service import local_today
    from core.reporting.models import Holiday

    deployment = deployment_from_args(args)
    year = args.year or local_today().year
    try:
        with deployment.session_factory() as session:
            rows = session.scalars(
                select(Holiday)
                .where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
                .order_by(Holiday.day, Holiday.id)
            )
            for row in rows:
                kind = "调休上班" if row.is_workday else "放假"
                scope = row.org_path or "全部"
                print(f"{row.day}\t{kind}\t{row.name}\t{scope}")
        return 0
    finally:
        deployment.dispose()
