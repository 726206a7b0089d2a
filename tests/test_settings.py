"""Settings: defaults, then the TOML file, then JICENG_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import DEFAULT_ORG_LEVELS, SettingsError, load_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_environment(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "missing.toml", environ={})
    assert settings.database_url == "sqlite:///jiceng.sqlite3"
    assert settings.plugins == ()
    assert settings.production is False
    assert settings.org_levels == DEFAULT_ORG_LEVELS


def test_toml_file_is_read(tmp_path: Path) -> None:
    config = write(
        tmp_path / "jiceng.toml",
        """
production = true
[database]
url = "postgresql+psycopg://jiceng@db/jiceng"
[plugins]
enabled = ["mediation", "finance"]
[plugins.finance]
currency_unit = "fen"
[graphql]
max_query_depth = 8
[org]
levels = [{ code = "county", name = "县" }, { code = "township", name = "乡镇" }, { code = "village", name = "村" }]
""",
    )
    settings = load_settings(config, environ={})
    assert settings.production is True
    assert settings.database_url == "postgresql+psycopg://jiceng@db/jiceng"
    assert settings.plugins == ("mediation", "finance")
    assert settings.max_query_depth == 8
    assert [level.code for level in settings.org_levels] == ["county", "township", "village"]
    assert settings.level_rank("village") == 2
    assert settings.plugin_config("finance") == {"currency_unit": "fen"}
    assert settings.plugin_config("mediation") == {}


def test_environment_overrides_file(tmp_path: Path) -> None:
    config = write(tmp_path / "jiceng.toml", '[database]\nurl = "sqlite:///from-file.sqlite3"\n')
    settings = load_settings(
        config,
        environ={
            "JICENG_DATABASE_URL": "sqlite:///from-env.sqlite3",
            "JICENG_PLUGINS": "mediation, finance",
            "JICENG_PRODUCTION": "yes",
            "JICENG_MAX_PAGE_SIZE": "50",
        },
    )
    assert settings.database_url == "sqlite:///from-env.sqlite3"
    assert settings.plugins == ("mediation", "finance")
    assert settings.production is True
    assert settings.max_page_size == 50


def test_config_file_named_by_environment(tmp_path: Path) -> None:
    config = write(tmp_path / "other.toml", '[plugins]\nenabled = "*"\n')
    settings = load_settings(environ={"JICENG_CONFIG": str(config)})
    assert settings.plugins == "*"


def test_secrets_file_beside_config_is_read(tmp_path: Path) -> None:
    config = write(tmp_path / "jiceng.toml", "production = false\n")
    write(tmp_path / "secrets.toml", 'secret_key = "s3cret"\n')
    assert load_settings(config, environ={}).secret_key == "s3cret"


def test_bad_values_are_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="max_query_depth"):
        load_settings(tmp_path / "missing.toml", environ={"JICENG_MAX_QUERY_DEPTH": "deep"})
    config = write(
        tmp_path / "jiceng.toml", '[org]\nlevels = [{ code = "a", name = "A" }, { code = "a", name = "B" }]\n'
    )
    with pytest.raises(SettingsError, match="org_levels"):
        load_settings(config, environ={})


def test_level_roles_come_from_the_code_or_the_configuration(tmp_path: Path) -> None:
    config = write(
        tmp_path / "jiceng.toml",
        '[org]\nlevels = [{ code = "county", name = "旗" }, { code = "sumu_x", name = "苏木", role = "subdistrict" },'
        ' { code = "gacha", name = "嘎查" }]\n',
    )
    settings = load_settings(config, environ={})
    assert settings.level_codes(("subdistrict", "grassroots")) == ("sumu_x", "gacha")
    assert settings.role_of("county") == "county"
    # A role the tree skips stands for the nearest level above it.
    assert settings.rank_of("city") == -1 and settings.rank_of("grid") == 2
    bad = write(tmp_path / "bad.toml", '[org]\nlevels = [{ code = "a", name = "A", role = "province" }]\n')
    with pytest.raises(SettingsError, match="roles"):
        load_settings(bad, environ={})


def test_request_limits_from_the_file_and_the_environment(tmp_path: Path) -> None:
    config = write(
        tmp_path / "jiceng.toml",
        '[graphql]\nmax_query_cost = 900\n[http]\nrate_limit_requests = 50\ntrusted_proxies = ["10.0.0.0/8", "::1"]\n',
    )
    settings = load_settings(config, environ={"JICENG_DOCUMENT_CACHE_BYTES": "1048576"})
    assert (settings.max_query_cost, settings.requests_per_window) == (900, 50)
    assert settings.trusted_proxies == ("10.0.0.0/8", "::1")
    assert settings.document_cache_bytes == 1_048_576
    with pytest.raises(SettingsError, match="trusted_proxies"):
        load_settings(config, environ={"JICENG_TRUSTED_PROXIES": "10.0.0.1, not-an-address"})


def test_database_pool_settings(tmp_path: Path) -> None:
    config = write(
        tmp_path / "jiceng.toml", '[database]\nurl = "sqlite:///x.sqlite3"\npool_size = 30\nmax_overflow = 5\n'
    )
    settings = load_settings(config, environ={})
    assert (settings.database_pool_size, settings.database_max_overflow) == (30, 5)
    settings = load_settings(config, environ={"JICENG_DATABASE_POOL_SIZE": "40"})
    assert settings.database_pool_size == 40
    with pytest.raises(SettingsError, match="database_pool_size"):
        load_settings(config, environ={"JICENG_DATABASE_POOL_SIZE": "0"})


def test_engine_pool_follows_settings() -> None:
    from core.app import build_deployment
    from core.settings import Settings

    deployment = build_deployment(
        Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", database_pool_size=33)
    )
    pool = deployment.engine.pool
    assert pool.size() == 33  # type: ignore[attr-defined]
