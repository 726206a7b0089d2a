"""Requests per client address, and who the client is behind a proxy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.api.client_address import client_key
from core.api.rate_limit import RateLimiter
from core.app import create_app
from core.settings import PRODUCTION_RATE_LIMIT, SettingsError
from tests.conftest import make_settings

QUERY = {"query": "{ __typename }"}


def scope(peer: str, forwarded: str | None = None) -> dict[str, Any]:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded is not None else []
    return {"type": "http", "client": (peer, 50000), "headers": headers}


def test_forwarded_for_is_read_only_from_trusted_proxies() -> None:
    # No trusted proxy: the header is anyone's to forge.
    assert client_key(scope("198.51.100.4", "203.0.113.7")) == "198.51.100.4"
    trusted = ("10.0.0.0/8",)
    assert client_key(scope("10.1.2.3", "203.0.113.7"), trusted) == "203.0.113.7"
    # Read from the right past every trusted hop; a forged entry on the left is never reached.
    assert client_key(scope("10.1.2.3", "1.1.1.1, 203.0.113.7, 10.9.9.9"), trusted) == "203.0.113.7"
    # An untrusted peer's header is ignored even if it names a trusted address.
    assert client_key(scope("198.51.100.4", "10.1.1.1"), trusted) == "198.51.100.4"
    # A malformed hop stops the walk at the last address read.
    assert client_key(scope("10.1.2.3", "203.0.113.7, junk"), trusted) == "10.1.2.3"
    # IPv6 clients count by /64; IPv4-mapped addresses as IPv4.
    assert client_key(scope("2001:db8:1:2:aaaa::1")) == "2001:db8:1:2::/64"
    assert client_key(scope("2001:db8:1:2:bbbb::9")) == "2001:db8:1:2::/64"
    assert client_key(scope("::ffff:192.0.2.1")) == "192.0.2.1"


def test_the_limiter_counts_fixed_windows_per_client() -> None:
    now = [1000.0]
    limiter = RateLimiter(3, 60, clock=lambda: now[0])
    assert [limiter.hit("a") for _ in range(3)] == [None, None, None]
    assert limiter.hit("a") == 60
    assert limiter.hit("b") is None  # another client has its own count
    now[0] += 45.5
    assert limiter.hit("a") == 15
    now[0] += 15
    assert limiter.hit("a") is None  # a new window


def test_the_limiter_forgets_the_oldest_clients_first() -> None:
    limiter = RateLimiter(1, 60, max_clients=100, clock=lambda: 0.0)
    for index in range(1000):
        limiter.hit(f"client-{index}")
    assert len(limiter.windows) == 100 and "client-999" in limiter.windows


def test_over_the_limit_is_429_with_a_code_and_retry_after(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", rate_limit_requests=3, rate_limit_window_seconds=30)
    with TestClient(create_app(settings)) as client:
        assert [client.post("/graphql", json=QUERY).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.post("/graphql", json=QUERY)
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 30
        assert refused.headers["content-type"] == "application/json; charset=utf-8"
        assert refused.headers["cache-control"] == "no-store"
        [error] = refused.json()["errors"]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": int(refused.headers["retry-after"])}
        assert "请求过于频繁" in error["message"]
        assert client.get("/board/nope").status_code == 429  # every page counts ...
        assert client.get("/healthz").status_code == 200  # ... but the health check


def test_clients_behind_a_trusted_proxy_are_counted_apart(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 'x.sqlite3'}", rate_limit_requests=2, trusted_proxies="127.0.0.1")
    assert settings.trusted_proxies == ("127.0.0.1",)
    with pytest.raises(SettingsError, match="trusted_proxies"):
        make_settings("sqlite://", trusted_proxies="10.0.0.0/8, proxy.internal")
    with TestClient(create_app(settings), client=("127.0.0.1", 1234)) as client:
        for address in ("203.0.113.1", "203.0.113.2"):
            headers = {"x-forwarded-for": address}
            assert [client.post("/graphql", json=QUERY, headers=headers).status_code for _ in range(3)] == [
                200,
                200,
                429,
            ]


def test_defaults_limit_production_only(tmp_path: Path) -> None:
    assert make_settings("sqlite://").requests_per_window == 0
    assert make_settings("sqlite://", production=True).requests_per_window == PRODUCTION_RATE_LIMIT
    assert make_settings("sqlite://", production=True, rate_limit_requests=0).requests_per_window == 0
    with pytest.raises(SettingsError):
        make_settings("sqlite://", rate_limit_requests=-1)
