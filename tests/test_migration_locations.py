"""A plugin whose migration location holds no revisions, or whose revisions
lie outside it, stops ``jiceng migrate`` with a clear error before anything
is written."""

from __future__ import annotations

import importlib
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect

from core.app import Deployment
from core.migrate import MigrationLocationError, upgrade
from core.plugin_host import PluginHost, _new_manager
from tests.conftest import make_settings

REVISION = '''"""{name}"""
revision = "{rev}"
down_revision = None
branch_labels = ("{branch}",)
depends_on = "core_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''

PLUGIN = """from pathlib import Path

from core.hookspecs import hookimpl

HERE = Path(__file__).parent


@hookimpl
def register_migration_locations():
    return {locations}
"""

PLUGIN_WITH_MODELS = (
    PLUGIN
    + """

@hookimpl
def register_models():
    from sqlalchemy import Column, Integer
    from core.db import Base

    class Thing(Base):
        __tablename__ = "thing_{suffix}"
        id = Column(Integer, primary_key=True)

    return [Thing]
"""
)


def plugin_deployment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    locations: str,
    *,
    template: str = PLUGIN,
    revisions: tuple[str, ...] = (),
) -> Deployment:
    """A deployment with one plugin package written to ``tmp_path``."""
    package = f"broken_{uuid.uuid4().hex[:8]}"
    root = tmp_path / package
    root.mkdir()
    (root / "__init__.py").write_text("", encoding="utf-8")
    (root / "plugin.py").write_text(template.format(locations=locations, suffix=package), encoding="utf-8")
    for relative in revisions:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(REVISION.format(name=relative, rev=f"{package}_0001", branch=package), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module(f"{package}.plugin")
    manager = _new_manager()
    manager.register(module, name=package)
    host = PluginHost(manager=manager, enabled=(package,))
    monkeypatch.setitem(sys.modules, f"{package}.plugin", module)
    return Deployment(settings=make_settings(f"sqlite:///{tmp_path / 'db.sqlite3'}", plugins=()), host=host)


def assert_refused(deployment: Deployment, match: str) -> None:
    with pytest.raises(MigrationLocationError, match=match):
        upgrade(deployment, verbose=False)
    # Nothing was created.
    assert inspect(deployment.engine).get_table_names() == []
    deployment.dispose()


def test_a_location_without_revisions_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    deployment = plugin_deployment(tmp_path, monkeypatch, f'["{tmp_path / "empty"}"]')
    assert_refused(deployment, "holds no revisions")


def test_the_parent_of_the_versions_directory_is_refused_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The common slip: registering migrations/ while the revisions are in migrations/versions/.
    deployment = plugin_deployment(
        tmp_path, monkeypatch, '[str(HERE / "migrations")]', revisions=("migrations/versions/x_0001.py",)
    )
    (tmp_path / "unused").mkdir()
    assert_refused(deployment, r"holds no revisions; revisions were found in .*migrations/versions")


def test_revisions_outside_the_location_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment = plugin_deployment(
        tmp_path,
        monkeypatch,
        '[str(HERE / "migrations" / "versions")]',
        revisions=("migrations/versions/x_0001.py", "old_migrations/x_0002.py"),
    )
    assert_refused(deployment, r"outside its migration location.*old_migrations")


def test_a_missing_location_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment = plugin_deployment(tmp_path, monkeypatch, '[str(HERE / "nowhere")]')
    assert_refused(deployment, "is not a directory")


def test_tables_without_a_location_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deployment = plugin_deployment(tmp_path, monkeypatch, "[]", template=PLUGIN_WITH_MODELS)
    assert_refused(deployment, "declares tables but no migration location")
