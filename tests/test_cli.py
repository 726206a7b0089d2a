"""The ``jiceng`` command line: ``demo`` and ``migrate``.

Commands run through ``core.cli.main`` with a configuration file that does
not exist and no ``JICENG_*`` variables, so the developer's own settings
never reach them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, insert, inspect, select
from sqlalchemy.engine import Engine

from core.cli import main
from core.demo.org_tree import DISTRICTS
from core.org.models import OrgUnit
from tests.conftest import DatabaseFactory

DEMO_DISTRICT_CODES = {"370202", "370203", "370212", "370213", "370214"}


@pytest.fixture
def config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A configuration path that does not exist, no ``JICENG_*`` variables and
    a working directory without ``config/``; alembic's logger is left as found."""
    for name in list(os.environ):
        if name.startswith("JICENG_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    # ``migrate`` adds a progress handler on the stderr of the moment (pytest's
    # capture here) unless one exists: start without, and put back what was there.
    alembic_logger = logging.getLogger("alembic.runtime.migration")
    handlers, level = list(alembic_logger.handlers), alembic_logger.level
    for handler in handlers:
        alembic_logger.removeHandler(handler)
    yield str(tmp_path / "no-such-config.toml")
    for handler in alembic_logger.handlers[:]:
        alembic_logger.removeHandler(handler)
    for handler in handlers:
        alembic_logger.addHandler(handler)
    alembic_logger.setLevel(level)


def engine_for(url: str) -> Engine:
    return create_engine(url)


def level_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(OrgUnit.level, func.count()).group_by(OrgUnit.level))
        return dict(rows.all())


def test_demo_creates_qingdao_and_refuses_to_overwrite(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "demo.sqlite3"
    url = f"sqlite:///{database}"
    assert main(["--config", config, "demo", "--database-url", url]) == 0
    assert "演示数据库已创建" in capsys.readouterr().err

    engine = engine_for(url)
    try:
        with engine.connect() as connection:
            city = connection.execute(select(OrgUnit.name, OrgUnit.division_code).where(OrgUnit.level == "city")).all()
            districts = dict(
                connection.execute(select(OrgUnit.division_code, OrgUnit.name).where(OrgUnit.level == "district")).all()
            )
            communities = connection.scalars(select(OrgUnit.name).where(OrgUnit.level == "community")).all()
            depths = dict(
                connection.execute(select(OrgUnit.level, func.max(OrgUnit.depth)).group_by(OrgUnit.level)).all()
            )
        assert city == [("青岛市", "370200")]
        assert set(districts) == DEMO_DISTRICT_CODES
        assert districts["370202"] == "市南区"
        counts = level_counts(engine)
        assert counts["street"] == sum(len(d.streets) for d in DISTRICTS)
        assert counts["grid"] > counts["community"] > counts["street"]
        assert counts.get("building", 0) > 0
        # Urban streets have 社区, streets with villages have 村.
        assert any(name.endswith("社区") for name in communities)
        assert any(name.endswith("村") for name in communities)
        assert depths == {"city": 0, "district": 1, "street": 2, "community": 3, "grid": 4, "building": 5}
        before = counts
    finally:
        engine.dispose()

    # An existing database is left alone without --force.
    assert main(["--config", config, "demo", "--database-url", url]) == 1
    assert "--force" in capsys.readouterr().err
    engine = engine_for(url)
    try:
        assert level_counts(engine) == before
    finally:
        engine.dispose()

    # With --force it is made afresh: the same city, not a second copy.
    assert main(["--config", config, "demo", "--database-url", url, "--force"]) == 0
    engine = engine_for(url)
    try:
        assert level_counts(engine) == before
    finally:
        engine.dispose()


@pytest.fixture
def empty_database_url(backend: str, database_factory: DatabaseFactory) -> str:
    return database_factory.create(backend)


def test_migrate_is_idempotent(config: str, empty_database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", config, "migrate", "--database-url", empty_database_url]) == 0
    first = capsys.readouterr().err
    engine = engine_for(empty_database_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"org_unit", "org_unit_move", "alembic_version"} <= tables
        with engine.begin() as connection:
            connection.execute(
                insert(OrgUnit).values(id=1, level="city", name="青岛市", path="/1/", depth=0, created_at=func.now())
            )
    finally:
        engine.dispose()

    assert main(["--config", config, "migrate", "--database-url", empty_database_url]) == 0
    second = capsys.readouterr().err
    # The same heads are reported both times; the second run applied nothing.
    assert "Running upgrade" in first and "Running upgrade" not in second
    assert first.strip().splitlines()[-1] == second.strip().splitlines()[-1]
    engine = engine_for(empty_database_url)
    try:
        assert set(inspect(engine).get_table_names()) == tables
        assert level_counts(engine) == {"city": 1}
    finally:
        engine.dispose()


def test_a_served_app_has_its_startup_objects_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``jiceng serve`` and the worker factory put start-up's objects out of
    the cyclic collector's reach once the app is built (core.app.freeze_startup_objects)."""
    import gc

    import uvicorn

    from core import app as app_module

    served: list[int] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_args, **_kwargs: served.append(gc.get_freeze_count()))
    monkeypatch.setenv("JICENG_DATABASE_URL", f"sqlite:///{tmp_path / 'frozen.sqlite3'}")
    try:
        gc.unfreeze()
        assert main(["serve", "--database-url", f"sqlite:///{tmp_path / 'frozen.sqlite3'}"]) == 0
        assert served and served[0] > 0
        gc.unfreeze()
        app_module.app_from_environment()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
