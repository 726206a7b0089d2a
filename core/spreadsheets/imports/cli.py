"""``jiceng import <kind> <file> --unit <id> [--dry-run]``: the same checks
and the same all-or-nothing import as the API, from the command line, with
progress; audited with the actor ``cli``. ``--errors out.xlsx`` writes the
error workbook; ``jiceng import template <kind> --unit <id> -o out.xlsx``
writes the empty template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.spreadsheets.imports.kinds import KINDS

CLI_ACTOR = "cli"


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser(
        "import", help="从 Excel 表格导入组织单位、居民、住户或场所（先检查，全部成功或一条不写）"
    )
    command.add_argument(
        "kind",
        choices=[*KINDS, "template"],
        help="导入种类：" + "、".join(f"{k}（{v.name}）" for k, v in KINDS.items()) + "；template 输出模板",
    )
    command.add_argument("file", nargs="?", help="要导入的 .xlsx 文件（template 时为种类）")
    command.add_argument("--unit", required=True, help="导入到此单位（区划代码或全局 ID）；表中的单位须是它或它的下级")
    command.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    command.add_argument("--errors", help="有错误时把错误表写到此文件")
    command.add_argument("-o", "--output", help="template：模板写到此文件")
    command.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    command.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from core.api.errors import UserInputError
    from core.cli import deployment_from_args
    from core.policy.cli import CommandError, find_unit
    from core.spreadsheets.imports import jobs, service
    from core.spreadsheets.imports.models import QUEUED, SUCCEEDED, ImportJob
    from core.spreadsheets.layout import workbook_bytes

    if args.kind == "template":
        if args.file not in KINDS or not args.output:
            print(f"错误：用法 jiceng import template <{'|'.join(KINDS)}> --unit <单位> -o 模板.xlsx", file=sys.stderr)
            return 2
    elif not args.file:
        print("错误：请给出要导入的 .xlsx 文件。", file=sys.stderr)
        return 2
    deployment = deployment_from_args(args)
    try:
        if args.kind == "template":
            with deployment.session_factory() as session:
                unit = find_unit(session, args.unit)
                Path(args.output).write_bytes(workbook_bytes(service.template(KINDS[args.file], unit, None)))
            print(f"已写入模板 {args.output}")
            return 0
        data = Path(args.file).read_bytes()
        kind = KINDS[args.kind]
        with deployment.session_factory() as session:
            unit = find_unit(session, args.unit)
            result = service.check_rows(session, deployment.settings, unit, kind, data)
        print(f"{kind.name}：共 {result.total} 行，{len(result.errors)} 处错误。")
        for error in result.errors[:50]:
            print(f"  第 {error.row} 行 {error.column or '整行'}：{error.message}")
        if result.errors:
            if args.errors:
                Path(args.errors).write_bytes(service.error_workbook(data, result))
                print(f"错误表已写入 {args.errors}（出错的单元格标红并批注原因）。")
            print("未导入任何记录。")
            return 1
        if args.dry_run:
            print("检查通过（--dry-run，未写入）。")
            return 0
        with deployment.write_session_factory() as session, session.begin():
            job = ImportJob(
                kind=kind.code,
                org_unit_id=unit.id,
                org_path=unit.path,
                created_by_id=None,
                file_name=Path(args.file).name[:255],
                file_sha256=service.sha256(data),
                status=QUEUED,
                total=result.total,
                processed=0,
                created=0,
                updated=0,
                unchanged=0,
            )
            session.add(job)
            session.flush()
            job_id = job.id

        def progress(done: int, total: int) -> None:
            if done == total or done % 200 == 0:
                print(f"\r已处理 {done}/{total} 行", end="" if done < total else "\n", flush=True)

        finished = jobs.execute(
            deployment.write_session_factory,
            deployment.settings,
            job_id,
            data,
            actor_user_id=None,
            actor_label=CLI_ACTOR,
            on_progress=progress,
        )
        if finished is None or finished.status != SUCCEEDED:
            print(f"错误：{finished.message if finished else '导入任务丢失'}", file=sys.stderr)
            return 1
        print(f"完成：新建 {finished.created}，更新 {finished.updated}，未变 {finished.unchanged}。")
        return 0
    except (CommandError, UserInputError, OSError) as exc:
        message = exc.errors[0].message if isinstance(exc, UserInputError) else str(exc)
        print(f"错误：{message}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()
