"""Runs alembic for core and every enabled plugin.

Core's revisions live in ``migrations/versions`` (branch ``core``); each
plugin contributes its own version directory through
``register_migration_locations``, as a branch labelled with the plugin name
whose root revision depends on a core revision. ``upgrade heads`` brings
every branch up to date, so enabling a plugin later creates only its tables
and disabling one leaves its tables and data alone.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

if TYPE_CHECKING:
    from core.app import Deployment

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
CORE_VERSIONS_DIR = MIGRATIONS_DIR / "versions"


def alembic_config(deployment: Deployment, connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    locations = [str(CORE_VERSIONS_DIR), *map(str, deployment.host.collect("register_migration_locations"))]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    config.attributes["metadata"] = deployment.metadata
    config.attributes["connection"] = connection
    return config


def upgrade(deployment: Deployment, *, verbose: bool = True) -> list[str]:
    """Upgrade every enabled branch to its head; returns the heads now applied."""
    if verbose:
        _show_alembic_progress()
    with deployment.engine.begin() as connection:
        command.upgrade(alembic_config(deployment, connection), "heads")
    return current_heads(deployment)


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
