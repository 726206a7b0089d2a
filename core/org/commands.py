"""``jiceng org ...`` commands.

A new database gets its first root unit here: through GraphQL a root unit
needs ``org.unit.manage`` at an existing root unit, which a new database does
not have yet. Then ``jiceng user create --role admin --org-unit <code>``
gives it an administrator, who builds the rest of the tree through the API.
"""

from __future__ import annotations

import argparse
import sys

CLI_ACTOR = "cli"


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    org = subparsers.add_parser("org", help="组织树：新建根单位")
    org_sub = org.add_subparsers(dest="org_command", metavar="ORG_COMMAND")
    org.set_defaults(handler=lambda _args: _usage(org))

    add_root = org_sub.add_parser(
        "add-root", help="新建根单位（如市）；之后用 jiceng user create --role admin 在该单位设管理员"
    )
    add_root.add_argument("--name", required=True, help="名称，如 青岛市")
    add_root.add_argument("--level", required=True, help="层级代码，如 city")
    add_root.add_argument("--division-code", help="区划代码（6 位 GB/T 2260，或 9/12 位统计用区划代码）")
    add_root.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    add_root.set_defaults(handler=cmd_add_root)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def cmd_add_root(args: argparse.Namespace) -> int:
    """Creates the root unit (audited as done by the command line) and prints its id."""
    from core.api.errors import UserInputError
    from core.audit.service import record
    from core.cli import deployment_from_args
    from core.org import service

    deployment = deployment_from_args(args)
    try:
        with deployment.session_factory() as session, session.begin():
            unit = service.create_unit(
                session,
                deployment.settings,
                name=args.name,
                level=args.level,
                parent_id=None,
                division_code=args.division_code,
            )
            record(
                session,
                action="cli:org.add_root",
                actor_label=CLI_ACTOR,
                object_type="OrgUnit",
                object_id=unit.id,
                org_unit_id=unit.id,
                detail={"name": unit.name, "level": unit.level, "divisionCode": unit.division_code},
            )
            message = f"已创建根单位“{unit.name}”（id {unit.id}）。"
    except UserInputError as error:
        for item in error.errors:
            print(f"错误：{item.message}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()
    print(message)
    return 0
