"""``jiceng backup`` and ``jiceng restore``: the database to one file and back.

SQLite is copied with its online backup API (a consistent copy while the
server runs); PostgreSQL with ``pg_dump --format=custom`` and restored with
``pg_restore`` (the client tools of the server's major version or newer must
be on ``PATH``). A restore goes into an empty database only, unless
``force`` is given: then the target's tables are replaced by the backup's.
Attached files kept in a directory (``[documents] path``) are not in the
database: back that directory up beside the database file.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from core.app import Deployment


class BackupError(RuntimeError):
    """A backup or restore cannot be made; the message says why."""


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("内存数据库无法备份或恢复。")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """The SQLAlchemy URL as libpq (pg_dump, pg_restore) reads it."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(tool: str, *arguments: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"找不到 {tool}：请安装 PostgreSQL 客户端工具（与服务器同一大版本或更新）。")
    done = subprocess.run([tool, *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} 失败（退出码 {done.returncode}）：{done.stderr.strip()[:500]}")


def backup(deployment: Deployment, target: Path) -> Path:
    """Write the deployment's database to ``target``; returns it."""
    url = make_url(deployment.settings.database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if url.get_backend_name() == "postgresql":
        _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _libpq_url(url))
        return target
    raise BackupError(f"不支持的数据库：{url.get_backend_name()}")


def restore(deployment: Deployment, source: Path, *, force: bool = False) -> None:
    """Replace the deployment's (empty, unless ``force``) database with the backup in ``source``."""
    if not source.is_file():
        raise BackupError(f"备份文件不存在：{source}")
    url = make_url(deployment.settings.database_url)
    tables = inspect(deployment.engine).get_table_names()
    deployment.engine.dispose()
    if tables and not force:
        raise BackupError(f"目标数据库已有 {len(tables)} 张数据表；恢复到空数据库，或加 --force 用备份替换它们。")
    if url.get_backend_name() == "sqlite":
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if backup_file.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{source} 不是完好的 SQLite 备份。")
            target = sqlite3.connect(_sqlite_path(url))
            try:
                backup_file.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} 不是 SQLite 备份：{exc}") from exc
        finally:
            backup_file.close()
        return
    if url.get_backend_name() == "postgresql":
        options = ["--clean", "--if-exists"] if force else []
        _run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            *options,
            f"--dbname={_libpq_url(url)}",
            str(source),
        )
        return
    raise BackupError(f"不支持的数据库：{url.get_backend_name()}")
