"""Deployment settings: defaults, then a TOML file, then ``JICENG_*`` variables.

The TOML file is the one named explicitly (``--config`` or ``JICENG_CONFIG``;
a named file that does not exist is reported in the log, then the defaults
and variables apply), else the ``config/jiceng.toml``
shipped beside the installed package — never one that happens to lie in the
working directory. Secrets (``secret_key``) are read from the environment or
from an uncommitted ``secrets.toml`` beside the TOML file; they are never
written to the checked-in file.

``JICENG_PLUGINS`` replaces the configured list of plugins (``mediation,finance``
or ``*``); written with a leading ``+`` (``+volunteer``) it adds to it.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

log = logging.getLogger("jiceng.settings")

ENV_PREFIX = "JICENG_"
# The configuration shipped with the package (the source tree's config/), found
# from the installed package, not from the working directory.
DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
DEFAULT_CONFIG_PATH = DEFAULT_CONFIG_DIR / "jiceng.toml"


# The roles a level plays in the tree, top to bottom (DOMAIN.md section 1). Rules name
# levels by role, never by code, so that a deployment whose levels are "township" and
# "village" works like one with "street" and "community".
ROLE_CITY = "city"
ROLE_COUNTY = "county"
ROLE_SUBDISTRICT = "subdistrict"
ROLE_GRASSROOTS = "grassroots"
ROLE_GRID = "grid"
LEVEL_ROLES: dict[str, str] = {
    ROLE_CITY: "市",
    ROLE_COUNTY: "区/县",
    ROLE_SUBDISTRICT: "街道/乡镇",
    ROLE_GRASSROOTS: "社区/村",
    ROLE_GRID: "网格",
}
_ROLE_ORDER = {role: index for index, role in enumerate(LEVEL_ROLES)}
# The role of a level whose configuration names none, by its code.
WELL_KNOWN_ROLES: dict[str, str] = {
    "city": ROLE_CITY,
    "district": ROLE_COUNTY,
    "county": ROLE_COUNTY,
    "banner": ROLE_COUNTY,
    "street": ROLE_SUBDISTRICT,
    "township": ROLE_SUBDISTRICT,
    "town": ROLE_SUBDISTRICT,
    "sumu": ROLE_SUBDISTRICT,
    "community": ROLE_GRASSROOTS,
    "village": ROLE_GRASSROOTS,
    "gacha": ROLE_GRASSROOTS,
    "grid": ROLE_GRID,
}


@dataclass(frozen=True)
class OrgLevel:
    code: str
    name: str
    # One of LEVEL_ROLES, or None for a level no rule names (a residents' group, a building).
    role: str | None = None


DEFAULT_ORG_LEVELS: tuple[OrgLevel, ...] = (
    OrgLevel("city", "市", ROLE_CITY),
    OrgLevel("district", "区/县", ROLE_COUNTY),
    OrgLevel("street", "街道/乡镇", ROLE_SUBDISTRICT),
    OrgLevel("community", "社区/村", ROLE_GRASSROOTS),
    OrgLevel("grid", "网格", ROLE_GRID),
    OrgLevel("resident_group", "居民小组"),
    OrgLevel("building", "楼栋"),
)


# A production secret key is at least this long (e.g. `python -c "import secrets; print(secrets.token_urlsafe(32))"`).
MIN_SECRET_KEY_LENGTH = 32

# Requests per client address per window when production leaves rate_limit_requests unset.
PRODUCTION_RATE_LIMIT = 600

_INTEGER_SETTINGS = {
    "database_pool_size",
    "database_max_overflow",
    "max_query_depth",
    "max_aliases",
    "max_tokens",
    "max_page_size",
    "max_request_bytes",
    "max_json_depth",
    "max_query_cost",
    "document_cache_bytes",
    "max_cached_document_bytes",
    "rate_limit_window_seconds",
    "documents_max_request_bytes",
    "download_link_seconds",
}
# Settings of ``[documents]`` in the TOML file, flattened with this prefix.
_DOCUMENT_SETTINGS_PREFIX = "documents_"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///jiceng.sqlite3"
    # PostgreSQL connections each server process keeps open, and how many more it may open
    # for a burst (closed again when returned). Keep the pool at least as large as the
    # requests a process serves at once: a connection opened and closed per request costs
    # the server a new backend process each time (README, Performance).
    database_pool_size: int = 20
    database_max_overflow: int = 10
    # Names of installed plugins to load, or "*" for every installed plugin.
    plugins: tuple[str, ...] | str = ()
    production: bool = False
    secret_key: str = ""
    # In production /metrics answers only with "Authorization: Bearer <metrics_token>"
    # or, when this is empty, to a client on the same machine.
    metrics_token: str = ""
    # How long a signed download link (core.api.signed_links) stays valid, in seconds.
    download_link_seconds: int = 300
    org_levels: tuple[OrgLevel, ...] = DEFAULT_ORG_LEVELS
    # GraphQL request limits (core.api.limits, core.api.http).
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    max_page_size: int = 100
    max_request_bytes: int = 1_000_000
    # Containers nested in a JSON request body (variables); GraphQL inputs need a handful.
    max_json_depth: int = 32
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
    # Queries run on the server's event loop (true) or in a worker thread as mutations
    # always are (false); unset: on the loop with SQLite, in a thread with PostgreSQL
    # (core.api.http.queries_inline explains the choice).
    queries_on_event_loop: bool | None = None
    # Proxies (addresses or networks) whose X-Forwarded-For names the client.
    trusted_proxies: tuple[str, ...] = ()
    # Attached documents (core.documents.storage): "local" (a directory) or "s3".
    documents_storage: str = "local"
    documents_path: str = "var/documents"
    documents_s3_bucket: str = ""
    documents_s3_endpoint_url: str = ""
    documents_s3_region: str = ""
    documents_s3_prefix: str = ""
    # Credentials: from the environment or config/secrets.toml; empty: boto3's own chain.
    documents_s3_access_key_id: str = ""
    documents_s3_secret_access_key: str = ""
    # A multipart upload request (files included) is refused above this size.
    documents_max_request_bytes: int = 25_000_000
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
        """The configured name of a level code, or of a role's level (a
        role without a configured level: the role's own name)."""
        for level in self.org_levels:
            if level.code == code:
                return level.name
        if code in LEVEL_ROLES:
            named = [level.name for level in self.org_levels if self.role_of(level.code) == code]
            return "、".join(named) if named else LEVEL_ROLES[code]
        return code

    def role_of(self, code: str) -> str | None:
        """The role of level ``code`` in this deployment's tree."""
        for level in self.org_levels:
            if level.code == code:
                return level.role or WELL_KNOWN_ROLES.get(code)
        return WELL_KNOWN_ROLES.get(code)

    def level_codes(self, names: Iterable[str]) -> tuple[str, ...]:
        """Level codes for names that are roles (every configured level of
        that role) or level codes (kept as they are)."""
        found: list[str] = []
        for name in names:
            if name in LEVEL_ROLES:
                found.extend(level.code for level in self.org_levels if self.role_of(level.code) == name)
            else:
                found.append(name)
        return tuple(dict.fromkeys(found))

    def rank_of(self, name: str) -> int:
        """The rank (0 at the top) a role or level code stands for in
        "at this level or above" rules. A role the tree skips stands for the
        nearest configured level above it; an unknown code sorts below every level."""
        if name not in LEVEL_ROLES:
            found = self.level_rank(name)
            return found if found is not None else len(self.org_levels)
        wanted = _ROLE_ORDER[name]
        ranks = [
            rank
            for rank, level in enumerate(self.org_levels)
            if (role := self.role_of(level.code)) is not None and _ROLE_ORDER[role] <= wanted
        ]
        return max(ranks) if ranks else -1

    def plugin_config(self, plugin_name: str) -> Mapping[str, Any]:
        """The ``[plugins.<name>]`` table of the TOML file: one accessor for
        every plugin's own settings."""
        tables = self.extra.get("plugin_config", {})
        return tables.get(plugin_name, {})

    def check_secret_key(self) -> None:
        """Production needs a secret key: it signs the browser links of
        downloads (core.api.signed_links). Refuses to start without one."""
        if self.production and len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise SettingsError(
                f"production = true needs secret_key of at least {MIN_SECRET_KEY_LENGTH} characters "
                "(JICENG_SECRET_KEY or secrets.toml beside the config file); it signs download links"
            )

    def with_overrides(self, **changes: Any) -> Settings:
        return replace(self, **changes)


SETTINGS_INFO_KEY = "jiceng.settings"


def settings_of(session: Any) -> Settings:
    """The settings of the deployment whose session factory made
    ``session`` (``Session.info``); the defaults for a session made
    otherwise. Lets rules that take only a session read the configured levels."""
    found = session.info.get(SETTINGS_INFO_KEY)
    return found if isinstance(found, Settings) else Settings()


def _coerce(name: str, value: Any) -> Any:
    if name == "plugins":
        if value == "*" or value == ["*"]:
            return "*"
        if isinstance(value, str):
            return tuple(p.strip() for p in value.split(",") if p.strip())
        return tuple(value)
    if name == "queries_on_event_loop" and (value is None or value == ""):
        return None
    if name in ("production", "queries_on_event_loop"):
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
        if number < 0 or (
            number == 0 and name in ("rate_limit_window_seconds", "download_link_seconds", "database_pool_size")
        ):
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
    if name == "documents_storage":
        if value not in ("local", "s3"):
            raise SettingsError(f"documents.storage must be 'local' or 's3', got {value!r}")
        return value
    if name == "org_levels":
        levels = tuple(
            OrgLevel(str(item["code"]), str(item["name"]), str(item["role"]) if item.get("role") else None)
            if isinstance(item, Mapping)
            else item
            for item in value
        )
        codes = [level.code for level in levels]
        if len(set(codes)) != len(codes) or not codes:
            raise SettingsError("org_levels must be a non-empty list of unique codes")
        unknown = sorted({level.role for level in levels if level.role and level.role not in LEVEL_ROLES})
        if unknown:
            raise SettingsError(f"org level roles must be among {list(LEVEL_ROLES)}, got {unknown}")
        return levels
    return value


def load_settings(
    config_path: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from the defaults, the TOML file, ``JICENG_*`` variables and
    ``overrides``, in that order. A named file that is missing leaves the
    defaults (a file named by ``JICENG_CONFIG`` is reported in the log)."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    named = environ.get(f"{ENV_PREFIX}CONFIG")
    if config_path is None and named and not Path(named).is_file():
        log.warning("JICENG_CONFIG names %s, which is not a file: defaults and JICENG_* variables apply", named)
    path = Path(config_path or named or DEFAULT_CONFIG_PATH)
    for candidate in (path, path.with_name("secrets.toml")):
        if candidate.is_file():
            values.update(_read_toml(candidate))
    known = {f.name for f in fields(Settings)} - {"extra"}
    for name in known:
        env_value = environ.get(ENV_PREFIX + name.upper())
        if env_value is not None:
            values[name] = env_value
    added = values.get("plugins")
    if isinstance(added, str) and added.strip().startswith("+"):
        values["plugins"] = _added_plugins(path, added)
    values.update({k: v for k, v in overrides.items() if v is not None})
    extra = {k: v for k, v in values.items() if k not in known}
    chosen = {name: _coerce(name, values[name]) for name in known if name in values}
    return Settings(**chosen, extra=extra)


def _added_plugins(path: Path, added: str) -> tuple[str, ...] | str:
    """``JICENG_PLUGINS=+a,b``: the TOML file's list with ``a`` and ``b`` added."""
    configured: Any = _read_toml(path).get("plugins", ()) if path.is_file() else ()
    base = _coerce("plugins", configured)
    if base == "*":
        return "*"
    extra = _coerce("plugins", ",".join(name.strip().removeprefix("+") for name in added.split(",")))
    return tuple(dict.fromkeys((*base, *extra)))


def _read_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    flat: dict[str, Any] = {}
    database = data.pop("database", {})
    if "url" in database:
        flat["database_url"] = database["url"]
    for name in ("pool_size", "max_overflow"):
        if name in database:
            flat[f"database_{name}"] = database[name]
    graphql = data.pop("graphql", {})
    flat.update(dict(graphql.items()))
    http = data.pop("http", {})
    flat.update(dict(http.items()))
    documents = data.pop("documents", {})
    flat.update({_DOCUMENT_SETTINGS_PREFIX + k: v for k, v in documents.items()})
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
