"""Deployment settings: defaults, then a TOML file, then ``JICENG_*`` variables.

The TOML file is ``config/jiceng.toml`` unless ``JICENG_CONFIG`` names another.
Secrets (``secret_key``) are read from the environment or from an uncommitted
``config/secrets.toml``; they are never written to the checked-in file.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "JICENG_"
DEFAULT_CONFIG_DIR = Path("config")


@dataclass(frozen=True)
class OrgLevel:
    code: str
    name: str


DEFAULT_ORG_LEVELS: tuple[OrgLevel, ...] = (
    OrgLevel("city", "市"),
    OrgLevel("district", "区/县"),
    OrgLevel("street", "街道/乡镇"),
    OrgLevel("community", "社区/村"),
    OrgLevel("grid", "网格"),
    OrgLevel("resident_group", "居民小组"),
    OrgLevel("building", "楼栋"),
)


# Requests per client address per window when production leaves rate_limit_requests unset.
PRODUCTION_RATE_LIMIT = 600

_INTEGER_SETTINGS = {
    "max_query_depth",
    "max_aliases",
    "max_tokens",
    "max_page_size",
    "max_request_bytes",
    "max_query_cost",
    "document_cache_bytes",
    "max_cached_document_bytes",
    "rate_limit_window_seconds",
}


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///jiceng.sqlite3"
    # Names of installed plugins to load, or "*" for every installed plugin.
    plugins: tuple[str, ...] | str = ()
    production: bool = False
    secret_key: str = ""
    org_levels: tuple[OrgLevel, ...] = DEFAULT_ORG_LEVELS
    # GraphQL request limits (core.api.limits, core.api.http).
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_page_size: int = 100
    max_request_bytes: int = 1_000_000
    # Fields an operation may resolve, each list counted at its page size.
    max_query_cost: int = 50_000
    # Parsed and validated documents kept per server process, estimated in bytes;
    # a document longer than max_cached_document_bytes is never kept.
    document_cache_bytes: int = 32 * 1024 * 1024
    max_cached_document_bytes: int = 64 * 1024
    # Requests per client address per window (core.api.rate_limit). None: 600 per
    # minute in production, no limit in development; 0: no limit.
    rate_limit_requests: int | None = None
    rate_limit_window_seconds: int = 60
    # Proxies (addresses or networks) whose X-Forwarded-For names the client.
    trusted_proxies: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def requests_per_window(self) -> int:
        """The rate limit in force: 0 when there is none."""
        if self.rate_limit_requests is None:
            return PRODUCTION_RATE_LIMIT if self.production else 0
        return self.rate_limit_requests

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def level_rank(self, code: str) -> int | None:
        for rank, level in enumerate(self.org_levels):
            if level.code == code:
                return rank
        return None

    def level_name(self, code: str) -> str:
        for level in self.org_levels:
            if level.code == code:
                return level.name
        return code

    def plugin_config(self, plugin_name: str) -> Mapping[str, Any]:
        """The ``[plugins.<name>]`` table of the TOML file: one accessor for
        every plugin's own settings."""
        tables = self.extra.get("plugin_config", {})
        return tables.get(plugin_name, {})

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


def _coerce(name: str, value: Any) -> Any:
    if name == "plugins":
        if value == "*" or value == ["*"]:
            return "*"
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return tuple(value)
    if name == "production":
        if isinstance(value, str):
            return value.strip().lower() in {"1", "true", "yes", "on"}
        return bool(value)
    if name in _INTEGER_SETTINGS or name == "rate_limit_requests":
        if name == "rate_limit_requests" and (value is None or value == ""):
            return None
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise SettingsError(f"{name} must be an integer, got {value!r}") from exc
        if number < 0 or (number == 0 and name == "rate_limit_window_seconds"):
            raise SettingsError(f"{name} must be positive, got {value!r}")
        return number
    if name == "trusted_proxies":
        items = value.split(",") if isinstance(value, str) else list(value)
        proxies = tuple(str(item).strip() for item in items if str(item).strip())
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError as exc:
                raise SettingsError(f"trusted_proxies: {proxy!r} is not an address or network") from exc
        return proxies
    if name == "org_levels":
        levels = tuple(
            OrgLevel(str(item["code"]), str(item["name"])) if isinstance(item, Mapping) else item
            for item in value
        )
        codes = [level.code for level in levels]
        if len(set(codes)) != len(codes) or not codes:
            raise SettingsError("org_levels must be a non-empty list of unique codes")
        return levels
    return value


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = Path(config_path or environ.get(f"{ENV_PREFIX}CONFIG") or DEFAULT_CONFIG_DIR / "jiceng.toml")
    for candidate in (path, path.with_name("secrets.toml")):
        if candidate.is_file():
            values.update(_read_toml(candidate))
    known = {f.name for f in fields(Settings)} - {"extra"}
    for name in known:
        env_value = environ.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = env_value
    values.update({k: v for k, v in overrides.items() if v is not None})
    extra = {k: v for k, v in values.items() if k not in known}
    chosen = {name: _coerce(name, values[name]) for name in known if name in values}
    return Settings(**chosen, extra=extra)


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    flat: dict[str, Any] = {}
    database = data.pop("database", {})
    if "url" in database:
        flat["database_url"] = database["url"]
    graphql = data.pop("graphql", {})
    flat.update({k: v for k, v in graphql.items()})
    http = data.pop("http", {})
    flat.update({k: v for k, v in http.items()})
    org = data.pop("org", {})
    if "levels" in org:
        flat["org_levels"] = org["levels"]
    plugins = data.pop("plugins", {})
    if isinstance(plugins, Mapping):
        if "enabled" in plugins:
            flat["plugins"] = plugins["enabled"]
        flat["plugin_config"] = {k: v for k, v in plugins.items() if isinstance(v, Mapping)}
    flat.update(data)
    return flat
