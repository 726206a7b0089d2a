"""``jiceng audit ...`` commands."""

from __future__ import annotations

import argparse
import sys


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    audit = subparsers.add_parser("audit", help="审计记录：校验审计链")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="AUDIT_COMMAND")
    audit.set_defaults(handler=lambda _args: _usage(audit))

    verify = audit_sub.add_parser("verify", help="校验审计链：逐条重算哈希并检查序号与链接，指出被修改或删除的记录")
    verify.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    verify.add_argument("--batch-size", type=int, default=1000, help="每批读取的记录数（默认 1000）")
    verify.set_defaults(handler=cmd_verify)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def cmd_verify(args: argparse.Namespace) -> int:
    """Prints ``OK: N records`` and returns 0, or prints every problem found
    (the first one first) and returns 1."""
    from core.audit.service import MAX_REPORTED_PROBLEMS, verify
    from core.cli import deployment_from_args

    if args.batch_size < 1:
        print("错误：--batch-size 必须为正整数。", file=sys.stderr)
        return 2
    deployment = deployment_from_args(args)
    try:
        with deployment.session_factory() as session:
            result = verify(session, batch_size=args.batch_size)
            session.rollback()
    finally:
        deployment.dispose()
    if result.ok:
        print(f"OK: {result.count} records")
        return 0
    print(f"FAILED: {len(result.problems)} problem(s) in {result.count} records checked")
    for problem in result.problems:
        where = ("pending" if problem.kind == "unchained" else "head") if problem.seq is None else f"seq {problem.seq}"
        if problem.last_seq is not None:
            where = f"seq {problem.seq}-{problem.last_seq}"
        print(f"  {problem.kind}: {where}: {problem.message}")
    if result.truncated:
        print(f"  ... only the first {MAX_REPORTED_PROBLEMS} problems are listed")
    return 1
