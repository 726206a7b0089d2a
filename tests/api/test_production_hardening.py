"""What production answers reveal and allow: no schema suggestions, security
headers on API responses and pages, a GraphiQL policy that fits the page,
no Server banner."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from core.api.ide import graphiql_csp, graphiql_html
from core.api.security_headers import DEFAULT_HEADERS
from core.app import create_app
from core.board.web import STYLE
from core.cli import main
from tests.conftest import make_settings

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TYPO_FIELD = "{ orgUnit { id } }"  # the field is orgUnits
TYPO_INPUT = "mutation($i: LoginInput!) { login(input: $i) { token } }"
TYPO_VARIABLES = {"i": {"usernme": "a", "password": "b"}}  # the field is username


def app_for(directory: Path, **overrides: Any) -> TestClient:
    return TestClient(create_app(make_settings(f"sqlite:///{directory / 'jiceng.sqlite3'}", **overrides)))


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with app_for(tmp_path_factory.mktemp("production"), production=True, rate_limit_requests=0) as client:
        yield client


@pytest.fixture(scope="module")
def development(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with app_for(tmp_path_factory.mktemp("development")) as client:
        yield client


def messages(response: Any) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


def test_production_errors_suggest_no_names(production: TestClient, development: TestClient) -> None:
    assert "Did you mean" in messages(development.post("/graphql", json={"query": TYPO_FIELD}))
    refused = production.post("/graphql", json={"query": TYPO_FIELD})
    assert "orgUnit" in messages(refused) and "Did you mean" not in messages(refused)
    assert "orgUnits" not in messages(refused)
    body = {"query": TYPO_INPUT, "variables": TYPO_VARIABLES}
    assert "Did you mean" in messages(development.post("/graphql", json=body))
    assert "Did you mean" not in messages(production.post("/graphql", json=body))


def assert_hardened(response: Any) -> None:
    for name in ("Cache-Control", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert response.headers[name] == DEFAULT_HEADERS[name], name
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "server" not in response.headers


def test_api_responses_carry_the_security_headers(production: TestClient) -> None:
    for response in (
        production.post("/graphql", json={"query": "{ __typename }"}),
        production.post(
            "/graphql", json={"query": "{ nope }"}, headers={"accept": "application/graphql-response+json"}
        ),
        production.get("/graphql", headers={"accept": "text/html"}),  # 406
        production.get("/healthz"),
    ):
        assert_hardened(response)
        assert response.headers["Content-Security-Policy"] == DEFAULT_HEADERS["Content-Security-Policy"]


def test_board_pages_allow_only_their_own_style(production: TestClient) -> None:
    page = production.get("/board/nope")  # names no unit: the 404 page, without a table
    assert page.status_code == 404
    assert_hardened(page)
    policy = page.headers["Content-Security-Policy"]
    assert "script-src" not in policy and "default-src 'none'" in policy
    digest = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy
    assert f"<style>{STYLE}</style>" in page.text


def test_graphiql_policy_allows_exactly_what_the_page_loads(development: TestClient) -> None:
    page = development.get("/graphql", headers={"accept": BROWSER_ACCEPT})
    assert page.status_code == 200
    assert_hardened(page)
    policy = page.headers["Content-Security-Policy"]
    assert policy == graphiql_csp()
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    html = graphiql_html()
    # The page's scripts and stylesheets come from this origin (tests/api/test_graphiql_offline.py).
    assert re.findall(r'<script[^>]*\bsrc="/', html) and "'self'" in directives["script-src"]
    assert (
        re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="/', html, re.DOTALL) and "'self'" in directives["style-src"]
    )
    inline = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert inline and len([s for s in directives["script-src"] if s.startswith("'sha256-")]) == len(inline)
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["connect-src"] == ["'self'"]


def test_serve_sends_no_server_banner_and_reads_no_forwarded_headers_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append(kwargs))
    monkeypatch.setenv("JICENG_DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    monkeypatch.setenv("JICENG_PLUGINS", "")
    assert main(["--config", str(tmp_path / "none.toml"), "serve"]) == 0
    [kwargs] = calls
    assert kwargs["server_header"] is False
    assert kwargs["proxy_headers"] is False
