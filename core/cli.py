"""The ``jiceng`` command line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from core import __version__
from core.app import Deployment, build_deployment, create_app, freeze_startup_objects
from core.demo import load_demo
from core.demo.progress import Progress
from core.plugin_host import (
    PluginError,
    describe_contributions,
    discover_plugins,
    load_plugin_host,
)
from core.settings import Settings, SettingsError, load_settings

DEFAULT_SDL_PATH = Path("graphql") / "schema.graphql"


def deployment_from_args(args: argparse.Namespace) -> Deployment:
    settings = load_settings(args.config, database_url=getattr(args, "database_url", None))
    return build_deployment(settings)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from core.api.observability import configure_json_logging

    configure_json_logging()
    deployment = deployment_from_args(args)
    if args.demo and not _has_schema(deployment):
        print("数据库为空，正在创建演示数据……", file=sys.stderr)
        _make_demo(deployment, Progress())
    mode = "production" if deployment.settings.production else "development (GraphiQL at /graphql)"
    workers = max(1, args.workers)
    print(
        f"Jiceng {__version__}: http://{args.host}:{args.port}/graphql — {mode}, {workers} worker(s)", file=sys.stderr
    )
    # No Server banner; client addresses are read by core.api.client_address,
    # which trusts X-Forwarded-For only from the proxies the settings list.
    # Logs are JSON lines (core.api.observability), one "request" line per request with its id.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "log_config": None,
        "access_log": args.access_log,
        "server_header": False,
        "proxy_headers": False,
    }
    if workers == 1:
        app = create_app(deployment=deployment)
        freeze_startup_objects()
        uvicorn.run(app, **options)
        return 0
    # Each worker process builds its own app from the same settings (core.app.app_from_environment).
    deployment.dispose()
    if args.config:
        os.environ["JICENG_CONFIG"] = str(Path(args.config).resolve())
    if args.database_url:
        os.environ["JICENG_DATABASE_URL"] = args.database_url
    uvicorn.run("core.app:app_from_environment", factory=True, workers=workers, **options)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from core.migrate import upgrade

    deployment = deployment_from_args(args)
    print(
        f"迁移数据库 {make_url(deployment.settings.database_url).render_as_string(hide_password=True)}", file=sys.stderr
    )
    heads = upgrade(deployment)
    print(f"完成，当前版本：{', '.join(heads)}", file=sys.stderr)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    deployment = deployment_from_args(args)
    url = make_url(deployment.settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        if path.exists():
            if not args.force:
                print(f"{path} 已存在；加 --force 重新创建。", file=sys.stderr)
                return 1
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    _make_demo(deployment, Progress())
    print(f"演示数据库已创建：{url.render_as_string(hide_password=True)}", file=sys.stderr)
    return 0


def _make_demo(deployment: Deployment, progress: Progress) -> None:
    from core.migrate import upgrade

    progress.note("1/2 创建数据表")
    upgrade(deployment)
    progress.note("2/2 写入演示数据")
    with deployment.session_factory() as session, session.begin():
        load_demo(session, deployment.settings, deployment.host, progress)


def _has_schema(deployment: Deployment) -> bool:
    return inspect(deployment.engine).has_table("org_unit")


def builtin_plugin_names() -> tuple[str, ...]:
    """Plugins shipped in the ``jiceng`` distribution itself."""
    return tuple(sorted(name for name, p in discover_plugins().items() if p.distribution == "jiceng"))


def schema_plugins(settings: Settings) -> tuple[str, ...]:
    """The plugins ``export-schema`` writes by default: every built-in plugin
    and every installed plugin the settings enable (third-party ones too)."""
    installed = discover_plugins()
    enabled = sorted(installed) if settings.plugins == "*" else [name for name in settings.plugins if name in installed]
    return tuple(sorted({*builtin_plugin_names(), *enabled}))


def cmd_export_schema(args: argparse.Namespace) -> int:
    if args.enabled_only:
        deployment = deployment_from_args(args)
    else:
        # The product's schema: core, every built-in plugin and the enabled third-party ones.
        settings = load_settings(args.config)
        deployment = build_deployment(settings.with_overrides(plugins=schema_plugins(settings)))
    sdl = deployment.schema.as_sdl()
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl, encoding="utf-8")
        print(f"已写入 {args.output}", file=sys.stderr)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from core.backup import BackupError, backup

    deployment = deployment_from_args(args)
    try:
        written = backup(deployment, Path(args.file))
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()
    print(f"已备份到 {written}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from core.backup import BackupError, restore

    deployment = deployment_from_args(args)
    try:
        restore(deployment, Path(args.file), force=args.force)
    except BackupError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    finally:
        deployment.dispose()
    print(f"已从 {args.file} 恢复；如版本较旧，请再运行 jiceng migrate。", file=sys.stderr)
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    settings = load_settings(args.config)
    installed = discover_plugins()
    enabled = set(sorted(installed) if settings.plugins == "*" else settings.plugins)
    if not installed:
        print("没有安装任何插件（entry point 组 jiceng.plugins）。")
        return 0
    inspection = load_plugin_host("*")
    for name, plugin in sorted(installed.items()):
        state = "enabled" if name in enabled else "installed"
        print(f"{name} {plugin.version} [{state}] ({plugin.distribution})")
        for what, items in describe_contributions(inspection.manager.get_plugin(name)).items():
            if items:
                print(f"    {what}: {', '.join(items)}")
    return 0


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jiceng", description="基层治理平台 Jiceng")
    parser.add_argument("--version", action="version", version=f"jiceng {__version__}")
    parser.add_argument("--config", help="TOML 配置文件（默认 config/jiceng.toml 或 $JICENG_CONFIG）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="启动 HTTP 服务（GraphQL 在 /graphql）")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    serve.add_argument("--demo", action="store_true", help="数据库为空时先创建演示城市")
    serve.add_argument("--workers", type=int, default=1, help="工作进程数（每个进程一个应用实例，共用数据库）")
    serve.add_argument("--access-log", action="store_true", help="逐条记录请求（默认不记录，负载均衡器通常已有）")
    serve.set_defaults(handler=cmd_serve)

    migrate = sub.add_parser("migrate", help="把核心和已启用插件的数据表升级到最新")
    migrate.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    migrate.set_defaults(handler=cmd_migrate)

    demo = sub.add_parser("demo", help="创建带演示城市（青岛市）的 SQLite 数据库")
    demo.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    demo.add_argument("--force", action="store_true", help="删除已有的演示数据库后重建")
    demo.set_defaults(handler=cmd_demo)

    export = sub.add_parser("export-schema", help="导出 GraphQL SDL（默认包含全部内置插件和已启用的第三方插件）")
    export.add_argument("--output", "-o", default=str(DEFAULT_SDL_PATH), help="输出文件，- 为标准输出")
    export.add_argument("--enabled-only", action="store_true", help="只导出本部署已启用插件的 SDL")
    export.set_defaults(handler=cmd_export_schema)

    backup = sub.add_parser("backup", help="把数据库备份到一个文件（SQLite 备份接口 / pg_dump）")
    backup.add_argument("file", help="备份文件")
    backup.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    backup.set_defaults(handler=cmd_backup)

    restore = sub.add_parser("restore", help="从备份文件恢复数据库（目标须为空，除非 --force）")
    restore.add_argument("file", help="jiceng backup 写出的备份文件")
    restore.add_argument("--database-url", help="覆盖 JICENG_DATABASE_URL")
    restore.add_argument("--force", action="store_true", help="目标数据库已有数据表时用备份替换")
    restore.set_defaults(handler=cmd_restore)

    plugins = sub.add_parser("plugins", help="列出已安装和已启用的插件及其贡献")
    plugins.set_defaults(handler=cmd_plugins)

    if settings is not None:
        try:
            load_plugin_host(settings.plugins).hook.register_commands(subparsers=sub)
        except PluginError as exc:
            print(f"警告：{exc}", file=sys.stderr)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        named = _config_arg(argv)
        if named is not None and not Path(named).is_file():
            print(f"警告：--config 指定的 {named} 不存在，使用默认设置和 JICENG_* 变量。", file=sys.stderr)
        settings = load_settings(named)
        parser = build_parser(settings)
        args = parser.parse_args(argv)
        if not getattr(args, "handler", None):
            parser.print_help()
            return 2
        return int(args.handler(args) or 0)
    except (SettingsError, PluginError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2


def _config_arg(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--config="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":
    raise SystemExit(main())
