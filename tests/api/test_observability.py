"""Liveness and readiness, request ids in JSON logs, Prometheus metrics, and
the secret key production cannot start without."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from core.api.observability import JsonFormatter
from core.app import build_deployment, create_app
from core.settings import SettingsError
from tests.conftest import make_settings


def test_liveness_and_readiness_on_a_migrated_database(client: TestClient) -> None:
    live = client.get("/healthz")
    assert live.status_code == 200 and live.json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    # Development shows the enabled plugins (none here).
    assert ready.json()["plugins"] == []


def test_readiness_refuses_without_schema_or_database(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(f"sqlite:///{tmp_path / 'empty.sqlite3'}"))) as empty:
        answer = empty.get("/readyz")
        assert answer.status_code == 503 and answer.json()["code"] == "SCHEMA_MISSING"
        assert answer.headers["retry-after"]
        # Liveness does not look at the database.
        assert empty.get("/healthz").status_code == 200
    with TestClient(create_app(make_settings(f"sqlite:///{tmp_path / 'missing' / 'no.sqlite3'}"))) as gone:
        answer = gone.get("/readyz")
        assert answer.status_code == 503 and answer.json()["code"] == "DATABASE_UNAVAILABLE"


def test_production_lists_no_plugins_to_anonymous_callers(core_database_url: str) -> None:
    settings = make_settings(core_database_url, production=True, rate_limit_requests=0, plugins=("mediation",))
    with TestClient(create_app(settings)) as production:
        for path in ("/healthz", "/readyz"):
            body = production.get(path).json()
            assert "plugins" not in body and "mediation" not in json.dumps(body)


def test_production_refuses_to_start_without_a_secret_key(core_database_url: str) -> None:
    with pytest.raises(SettingsError, match="secret_key"):
        build_deployment(make_settings(core_database_url, production=True, secret_key=""))
    with pytest.raises(SettingsError, match="secret_key"):
        build_deployment(make_settings(core_database_url, production=True, secret_key="short"))
    # Development runs without one.
    build_deployment(make_settings(core_database_url, secret_key="")).dispose()


def test_request_ids_are_sent_back_and_logged_as_json(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="jiceng.access"):
        mine = client.post(
            "/graphql", json={"query": "query Levels { orgLevels { code } }"}, headers={"X-Request-ID": "proxy-id-1234"}
        )
        fresh = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert mine.headers["x-request-id"] == "proxy-id-1234"
    assert fresh.headers["x-request-id"] != "bad id\twith spaces" and len(fresh.headers["x-request-id"]) == 16
    lines = [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name == "jiceng.access"]
    graphql_line = next(line for line in lines if line["path"] == "/graphql")
    assert graphql_line["request_id"] == "proxy-id-1234"
    assert graphql_line["operation"] == "Levels" and graphql_line["status"] == 200
    assert graphql_line["message"] == "request" and graphql_line["level"] == "info"
    assert {line["request_id"] for line in lines if line["path"] == "/healthz"} == {fresh.headers["x-request-id"]}


def test_metrics_count_requests_latency_and_errors_per_operation(client: TestClient) -> None:
    client.post("/graphql", json={"query": "query Levels { orgLevels { code } }"})
    client.post("/graphql", json={"query": "query Levels { orgLevels { code } }"})
    client.post("/graphql", json={"query": "query Broken { noSuchField }"})
    unit = "T3JnVW5pdDox"  # OrgUnit:1
    mine = client.post(
        "/graphql", json={"query": f'query Mine {{ residents(under: "{unit}", first: 1) {{ totalCount }} }}'}
    )
    assert mine.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    text = client.get("/metrics").text
    assert 'jiceng_graphql_operations_total{operation="Levels"} 2.0' in text
    assert 'jiceng_graphql_operation_duration_seconds_count{operation="Levels"} 2.0' in text
    assert 'jiceng_graphql_operation_errors_total{code="GRAPHQL_VALIDATION_FAILED",operation="Broken"} 1.0' in text
    assert 'jiceng_graphql_operation_errors_total{code="UNAUTHENTICATED",operation="Mine"}' in text
    assert 'operation="Levels"' in text and "jiceng_graphql_operation_errors_total{code" in text
    assert 'jiceng_http_requests_total{method="POST",route="/graphql",status="200"}' in text


def test_metrics_keep_only_plain_operation_names() -> None:
    from core.api.observability import MAX_OPERATION_NAMES, Metrics

    metrics = Metrics()
    assert metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label("x" * 100) == "other"
    assert metrics.operation_label('a"b') == "other"
    for number in range(MAX_OPERATION_NAMES):
        assert metrics.operation_label(f"Op{number}") == f"Op{number}"
    assert metrics.operation_label("OneTooMany") == "other"
    assert metrics.operation_label("Op1") == "Op1"


def test_production_metrics_need_the_token(core_database_url: str) -> None:
    token = "metrics-token-0123456789"
    settings = make_settings(core_database_url, production=True, rate_limit_requests=0, metrics_token=token)
    with TestClient(create_app(settings)) as production:
        refused = production.get("/metrics")
        assert refused.status_code == 403 and refused.json()["code"] == "FORBIDDEN"
        assert production.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        allowed = production.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert allowed.status_code == 200 and "jiceng_http_requests_total" in allowed.text
    # Without a token, only a client on this machine (the test client is not one).
    with TestClient(create_app(make_settings(core_database_url, production=True, rate_limit_requests=0))) as local:
        assert local.get("/metrics").status_code == 403
