"""``jiceng admission apply-preset``: record a locality preset's requirements
and report forms for a unit's subtree (audited)."""

from __future__ import annotations

import argparse
import sys

from core.policy.cli import CommandError, find_unit, parse_date
from core.policy.presets import PresetError


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    admission = subparsers.add_parser("admission", help="社区工作准入：准入事项和报表（一表通）")
    actions = admission.add_subparsers(dest="admission_command", metavar="ACTION")
    admission.set_defaults(handler=lambda _args: _print_help(admission))
    apply = actions.add_parser("apply-preset", help="按地方预设登记准入事项（视为已批准）并定义其报表")
    apply.add_argument("preset", help="预设名称（config/localities/<名称>.toml）或文件路径")
    apply.add_argument("--unit", required=True, help="事项涉及的单位（区划代码或全局 ID）")
    apply.add_argument("--valid-from", type=parse_date, help="有效期起，YYYY-MM-DD，默认今天")
    apply.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    apply.set_defaults(handler=cmd_apply_preset)


def cmd_apply_preset(args: argparse.Namespace) -> int:
    from core.admission.presets import apply_admission_preset
    from core.audit.service import record
    from core.cli import deployment_from_args
    from core.policy.service import local_today

    deployment = deployment_from_args(args)
    try:
        with deployment.session_factory() as session, session.begin():
            unit = find_unit(session, args.unit)
            result = apply_admission_preset(
                session, deployment.host, unit, args.preset, local_today(), valid_from=args.valid_from
            )
            record(
                session,
                action="cli:admission.apply_preset",
                actor_label="cli",
                object_type="OrgUnit",
                object_id=unit.id,
                org_unit_id=unit.id,
                detail={"preset": args.preset, "requirements": result.requirements, "forms": result.forms},
            )
        print(f"完成：登记准入事项 {result.requirements} 项，定义报表 {result.forms} 张。")
        for line in result.skipped:
            print(f"  跳过：{line}")
        return 0
    except (CommandError, PresetError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2
