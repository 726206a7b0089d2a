"""Runs alembic for core and every enabled plugin.

Core's revisions live in ``migrations/versions`` (branch ``core``); each
plugin contributes its own version directory through
``register_migration_locations``, as a branch labelled with the plugin name
whose root revision depends on a core revision. ``upgrade`` brings core and
every enabled branch up to date, so enabling a plugin later creates only its
tables and disabling one leaves its tables and data alone.

A plugin branch that was enabled once stays recorded in the version table
after the plugin is disabled, and its row may stand for core revisions too
(alembic folds a ``depends_on`` revision into its dependent's row). Its
revisions are then read from the installed plugin so that alembic can make
sense of the table, but only core and the enabled branches are upgraded.

On SQLite, migrations run with foreign key enforcement off, as SQLite's
procedure for table changes ``ALTER TABLE`` cannot make requires: alembic's
batch mode rebuilds such a table (new table, copy, drop, rename), and
dropping a table other tables refer to would otherwise delete or refuse the
referring rows. ``PRAGMA foreign_key_check`` must find nothing before the
migration commits.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import Connection

from core.plugin_host import PluginError, disabled_plugin_migration_locations

if TYPE_CHECKING:
    from core.app import Deployment

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
CORE_VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def alembic_config(deployment: Deployment, connection: Any = None, *, extra_locations: Sequence[str] = ()) -> Config:
    """Alembic configuration for core and the enabled plugins' branches.

    ``extra_locations`` adds version directories whose revisions alembic may
    read but ``upgrade`` never applies (branches of disabled plugins).
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    locations = [str(CORE_VERSIONS_DIR), *map(str, deployment.host.collect("register_migration_locations"))]
    locations += [str(location) for location in extra_locations if str(location) not in locations]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    config.attributes["metadata"] = deployment.metadata
    config.attributes["connection"] = connection
    return config


class MigrationLocationError(PluginError):
    """A plugin's migration location cannot be what it registered: it stops
    ``jiceng migrate`` before anything is written."""


_REVISION_LINE = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]", re.MULTILINE)


def _revision_files(directory: Path, *, below: bool = False) -> list[Path]:
    """Python files in ``directory`` (and its subdirectories when ``below``)
    that declare an alembic revision. Alembic reads a version location
    without its subdirectories."""
    found = []
    for path in sorted(directory.rglob("*.py") if below else directory.glob("*.py")):
        if "__pycache__" in path.parts:
            continue
        try:
            if _REVISION_LINE.search(path.read_text(encoding="utf-8")):
                found.append(path)
        except (OSError, UnicodeDecodeError):
            continue
    return found


def _package_dir(plugin: object) -> Path | None:
    """The directory of the package the plugin module belongs to (None for a
    top-level module or an object that is not a module)."""
    package_name = getattr(plugin, "__package__", None)
    if not package_name:
        return None
    package = sys.modules.get(package_name)
    package_file = getattr(package, "__file__", None)
    return Path(package_file).resolve().parent if package_file else None


def check_migration_locations(deployment: Deployment) -> None:
    """Each enabled plugin's migration locations exist and hold its
    revisions, and none of its revisions lie outside them; a plugin with
    tables registers a location. Otherwise ``MigrationLocationError`` names
    the plugin, the location and what was found."""
    host = deployment.host
    for name in host.enabled:
        plugin = host.manager.get_plugin(name)
        register = getattr(plugin, "register_migration_locations", None)
        locations = [Path(str(location)).resolve() for location in (register() if register else None) or ()]
        models = getattr(plugin, "register_models", None)
        package = _package_dir(plugin)
        outside = [
            path
            for path in (_revision_files(package, below=True) if package is not None else [])
            if path.parent not in locations
        ]
        if not locations:
            if models is not None and (models() or []):
                raise MigrationLocationError(
                    f"plugin {name!r} declares tables but no migration location (register_migration_locations): "
                    "its tables would never be created"
                )
            continue
        for location in locations:
            if not location.is_dir():
                raise MigrationLocationError(f"plugin {name!r}: migration location {location} is not a directory")
            if not _revision_files(location):
                hint = f"; revisions were found in {outside[0].parent}" if outside else ""
                raise MigrationLocationError(
                    f"plugin {name!r}: migration location {location} holds no revisions{hint} "
                    "(register the directory that holds the revision files)"
                )
        if outside:
            listed = ", ".join(str(path) for path in outside[:3])
            raise MigrationLocationError(
                f"plugin {name!r}: revision file(s) outside its migration location(s) "
                f"{', '.join(map(str, locations))}: {listed}; move them there or register their directory"
            )


def upgrade(deployment: Deployment, *, verbose: bool = True) -> list[str]:
    """Upgrade every enabled branch to its head; returns the heads now applied.
    Bad migration locations of enabled plugins stop it first
    (``check_migration_locations``)."""
    check_migration_locations(deployment)
    if verbose:
        _show_alembic_progress()
    with migration_connection(deployment) as connection:
        config = alembic_config(deployment, connection)
        targets = ScriptDirectory.from_config(config).get_heads()
        dormant = _unknown_revisions(config, connection)
        if dormant:
            readable = disabled_plugin_migration_locations(deployment.host)
            config = alembic_config(deployment, connection, extra_locations=readable)
            missing = _unknown_revisions(config, connection)
            if missing:
                raise PluginError(
                    f"the database records revision(s) {', '.join(missing)} of a plugin branch that is not installed; "
                    "install that plugin again (it need not be enabled) before migrating"
                )
        # Upgrading "heads" would also upgrade the branches of disabled plugins.
        for target in sorted(targets):
            command.upgrade(config, target)
    return current_heads(deployment)


class ForeignKeyViolation(RuntimeError):
    """A migration left rows that refer to missing rows; it is rolled back."""


@contextmanager
def migration_connection(deployment: Deployment) -> Iterator[Connection]:
    """A connection in a transaction for running migrations; committed at
    the end unless an exception escapes. On SQLite, foreign key enforcement
    is off meanwhile (see the module docstring) and the foreign keys are
    checked before commit."""
    engine = deployment.engine
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            yield connection
        return
    with engine.connect() as connection:
        # The pragma is a no-op inside a transaction: set it on the driver's
        # connection before SQLAlchemy begins one.
        raw = connection.connection.driver_connection
        assert raw is not None  # a checked-out connection holds its driver's connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    tables = sorted({str(row[0]) for row in broken})
                    raise ForeignKeyViolation(
                        f"the migration left {len(broken)} row(s) referring to missing rows in: {', '.join(tables)}"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def _unknown_revisions(config: Config, connection: Any) -> list[str]:
    """Revisions in the version table that none of the configured version
    directories hold."""
    script = ScriptDirectory.from_config(config)
    recorded = MigrationContext.configure(connection).get_current_heads()
    return sorted(rev for rev in recorded if not _is_known(script, rev))


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def current_heads(deployment: Deployment) -> list[str]:
    with deployment.engine.connect() as connection:
        return sorted(MigrationContext.configure(connection).get_current_heads())


def branch_heads(deployment: Deployment) -> list[str]:
    return sorted(ScriptDirectory.from_config(alembic_config(deployment)).get_heads())


def _show_alembic_progress() -> None:
    logger = logging.getLogger("alembic.runtime.migration")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
