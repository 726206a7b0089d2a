"""``jiceng policy``: show effective policy, list keys and presets, apply a locality preset."""

from __future__ import annotations

import argparse
import getpass
import re
import sys
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.demo.progress import Progress
from core.org.models import OrgUnit
from core.org.refs import UnitRefError, find_unit_by_ref
from core.policy import presets as preset_files
from core.policy import service
from core.policy.models import PolicyValue
from core.policy.registry import PolicyRegistry, registry_for

if TYPE_CHECKING:
    from core.app import Deployment

DIVISION_CODE = re.compile(r"^(\d{6}|\d{9}|\d{12})$")

_STATUS_LABELS = {"set": "设置", "unchanged": "未变", "skipped": "跳过", "error": "错误"}


class CommandError(Exception):
    """Stops a command with a message for the operator (exit status 1)."""


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期须为 YYYY-MM-DD：{text!r}") from exc


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    policy = subparsers.add_parser("policy", help="地方策略：查看生效值，应用地方预设")
    actions = policy.add_subparsers(dest="policy_command", metavar="ACTION")
    policy.set_defaults(handler=lambda _args: _print_help(policy))

    apply = actions.add_parser("apply", help="把地方预设应用到某单位（及其下级）")
    apply.add_argument("preset", help="预设名称（如 jilin，见 jiceng policy presets）或 .toml 文件路径")
    apply.add_argument("--unit", required=True, help="单位的区划代码或全局 ID")
    apply.add_argument("--effective-from", type=parse_date, help="生效日期 YYYY-MM-DD，默认今天")
    apply.add_argument("--reason", help="设定原因，默认写明所用预设")
    apply.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")
    apply.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    apply.set_defaults(handler=cmd_apply)

    show = actions.add_parser("show", help="列出某单位在某日生效的策略值及其来源")
    show.add_argument("--unit", required=True, help="单位的区划代码或全局 ID")
    show.add_argument("--on", type=parse_date, help="日期 YYYY-MM-DD，默认今天")
    show.add_argument("--key", action="append", dest="keys", metavar="KEY", help="只列出此项（可重复）")
    show.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    show.set_defaults(handler=cmd_show)

    keys = actions.add_parser("keys", help="列出本部署声明的策略项")
    keys.set_defaults(handler=cmd_keys)

    presets = actions.add_parser("presets", help="列出可用的地方预设")
    presets.set_defaults(handler=cmd_presets)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _deployment(args: argparse.Namespace) -> Deployment:
    from core.cli import deployment_from_args

    deployment = deployment_from_args(args)
    if not inspect(deployment.engine).has_table(PolicyValue.__tablename__):
        deployment.dispose()
        raise CommandError("数据库中还没有策略表，请先运行 jiceng migrate。")
    return deployment


def find_unit(session: Session, ref: str) -> OrgUnit:
    """A unit by division code or GraphQL ID (``core.org.refs``)."""
    try:
        return find_unit_by_ref(session, ref)
    except UnitRefError as exc:
        raise CommandError(f"--unit {ref.strip()[:40]}：{exc.message}") from None


def _describe_unit(unit: OrgUnit) -> str:
    return f"{unit.name}（{unit.division_code}）" if unit.division_code else unit.name


def _run(args: argparse.Namespace, work: Any) -> int:
    try:
        return int(work(args))
    except (CommandError, preset_files.PresetError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1


def cmd_apply(args: argparse.Namespace) -> int:
    return _run(args, _apply)


def _apply(args: argparse.Namespace) -> int:
    progress = Progress()
    progress.note("1/3 读取预设")
    preset = preset_files.load_preset(preset_files.find_preset(args.preset, args.config))
    deployment = _deployment(args)
    try:
        registry = registry_for(deployment.host)
        effective_from = args.effective_from or service.local_today()
        with deployment.session_factory() as session, session.begin():
            unit = find_unit(session, args.unit)
            progress.note(f"2/3 检查并写入：{preset.title} → {_describe_unit(unit)}，自 {effective_from} 起生效")
            report = preset_files.apply_preset(
                session,
                registry,
                preset,
                unit,
                effective_from=effective_from,
                set_by=_operator(),
                reason=args.reason,
                dry_run=args.dry_run,
                progress=progress,
            )
            if report.ok and not report.dry_run:
                from core.audit.service import record

                record(
                    session,
                    action="cli:policy.apply_preset",
                    actor_label=_operator(),
                    object_type="OrgUnit",
                    object_id=unit.id,
                    org_unit_id=unit.id,
                    detail={
                        "preset": preset.name,
                        "effectiveFrom": effective_from.isoformat(),
                        "set": report.count("set"),
                        "reason": args.reason,
                    },
                )
        progress.note("3/3 完成")
    finally:
        deployment.dispose()
    _print_report(report)
    return 0 if report.ok else 1


def _operator() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in this environment (no passwd entry, no variable)
        return "cli"


def _print_report(report: preset_files.ApplyReport) -> None:
    head = "（试运行，未写入）" if report.dry_run else ""
    print(
        f"地方预设“{report.preset.title}”（{report.preset.name}）→ {_describe_unit(report.unit)}，自 {report.effective_from} 起{head}"
    )
    for item in report.items:
        shown = "" if item.status == "error" and not item.key else f" {item.key}"
        value = f" = {item.value}" if item.status in ("set", "unchanged") else ""
        note = f"：{item.message}" if item.message else ""
        print(f"  {_STATUS_LABELS[item.status]}{shown}{value}{note}")
    if report.ok:
        verb = "将设置" if report.dry_run else "设置"
        print(
            f"{verb} {report.count('set')} 项，未变 {report.count('unchanged')} 项，"
            f"跳过 {report.count('skipped')} 项（所属插件未启用或未安装）。"
        )
    else:
        print(f"有 {report.count('error')} 项错误，未写入任何策略值。")


def cmd_show(args: argparse.Namespace) -> int:
    return _run(args, _show)


def _show(args: argparse.Namespace) -> int:
    deployment = _deployment(args)
    try:
        registry = registry_for(deployment.host)
        on = args.on or service.local_today()
        with deployment.session_factory() as session:
            unit = find_unit(session, args.unit)
            try:
                declarations = registry.all() if not args.keys else [registry.require(k) for k in args.keys]
            except UserInputError as exc:
                raise CommandError(exc.errors[0].message) from exc
            resolved = service.resolve_many(session, unit, declarations, on)
            names: dict[int | None, str] = {
                u.id: u.name
                for u in session.scalars(select(OrgUnit).where(OrgUnit.id.in_([*unit.ancestor_ids, unit.id])))
            }
            print(f"{_describe_unit(unit)} 在 {on} 生效的地方策略：")
            width = max((len(d.key) for d in declarations), default=0)
            for d in declarations:
                r = resolved[d.key]
                if r.is_default:
                    source = "默认值"
                elif r.source_unit_id == unit.id:
                    source = f"本单位设定，自 {r.effective_from}"
                else:
                    source = f"继承自 {names.get(r.source_unit_id, r.source_unit_id)}，自 {r.effective_from}"
                print(f"  {d.key.ljust(width)}  {d.show(r.value)}  〔{source}〕")
    finally:
        deployment.dispose()
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from core.cli import deployment_from_args

    registry: PolicyRegistry = registry_for(deployment_from_args(args).host)
    for key in registry.all():
        bounds = ""
        if key.min is not None or key.max is not None:
            bounds = f" [{key.to_plain(key.min) if key.min is not None else ''}–{key.to_plain(key.max) if key.max is not None else ''}]"
        print(f"{key.key}  ({key.type.value}{bounds}, 默认 {key.show(key.default)}, {key.plugin})  {key.description}")
    return 0


def cmd_presets(args: argparse.Namespace) -> int:
    presets = preset_files.available_presets(args.config)
    if not presets:
        print("没有找到地方预设。")
        return 0
    for name, path in presets.items():
        try:
            preset = preset_files.load_preset(path)
        except preset_files.PresetError as exc:
            print(f"{name}  （无法读取：{exc}）")
            continue
        print(f"{name}  {preset.title}：{len(preset.entries)} 项  {path}")
    return 0
