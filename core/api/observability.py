"""Request ids, structured logs and Prometheus metrics.

Every request gets an id: the caller's ``X-Request-ID`` when it is a short
token (a proxy's), else a new one; it is sent back in ``X-Request-ID`` and
carried by every log line written while the request runs. ``jiceng serve``
writes logs as one JSON object a line (``configure_json_logging``), and one
``request`` line per request with method, path, status, duration and the
GraphQL operation.

``/metrics`` serves, in the Prometheus text format, per process:
``jiceng_http_requests_total`` and ``jiceng_http_request_duration_seconds``
by route (the first path segment; 404s as ``unmatched``), and per GraphQL
operation name ``jiceng_graphql_operations_total``,
``jiceng_graphql_operation_duration_seconds`` and
``jiceng_graphql_operation_errors_total`` (by error code). Operation names are
the client's: only plain names are kept, at most ``MAX_OPERATION_NAMES``
distinct ones, the rest count as ``other``. In production ``/metrics``
answers only with ``Authorization: Bearer <metrics_token>`` or, without a
token configured, to a client on this machine (a scraper beside the server).
"""

from __future__ import annotations

import contextvars
import ipaddress
import logging
import re
import secrets
import threading
import time
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.api.json_out import json_text
from core.settings import Settings

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_OPERATION_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_OPERATION_NAMES = 500
# Request state keys the GraphQL endpoint fills in (core.api.http).
OPERATION_STATE = "graphql_operation"
ERROR_STATE = "graphql_error_codes"

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("jiceng_request_id", default=None)
access_log = logging.getLogger("jiceng.access")


def current_request_id() -> str | None:
    """The id of the request being served in this context, if any."""
    return request_id_var.get()


class JsonFormatter(logging.Formatter):
    """One JSON object per log record: time, level, logger, message, the
    request id when there is one, the exception text, and ``extra`` fields
    passed as ``extra={"fields": {...}}``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json_text(entry)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send every logger (uvicorn's included) to standard error as JSON lines."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True


class Metrics:
    """The Prometheus metrics of one app (its own registry)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "jiceng_http_requests",
            "HTTP requests by route, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "jiceng_http_request_duration_seconds", "HTTP request duration by route", ["route"], registry=self.registry
        )
        self.operations = Counter(
            "jiceng_graphql_operations", "GraphQL operations by operation name", ["operation"], registry=self.registry
        )
        self.operation_latency = Histogram(
            "jiceng_graphql_operation_duration_seconds",
            "GraphQL operation duration by operation name",
            ["operation"],
            registry=self.registry,
        )
        self.operation_errors = Counter(
            "jiceng_graphql_operation_errors",
            "GraphQL operations answered with errors, by operation name and code",
            ["operation", "code"],
            registry=self.registry,
        )
        self._names: set[str] = set()
        self._lock = threading.Lock()

    def operation_label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not _OPERATION_NAME.match(name):
            return "other"
        with self._lock:
            if name in self._names:
                return name
            if len(self._names) >= MAX_OPERATION_NAMES:
                return "other"
            self._names.add(name)
            return name

    def observe(self, *, route: str, method: str, status: int, seconds: float, state: dict[str, Any]) -> str | None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)
        if OPERATION_STATE not in state:
            return None
        operation = self.operation_label(state[OPERATION_STATE])
        self.operations.labels(operation).inc()
        self.operation_latency.labels(operation).observe(seconds)
        for code in state.get(ERROR_STATE) or ():
            self.operation_errors.labels(operation, code).inc()
        return operation

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


def _route_label(path: str, status: int) -> str:
    if status == 404:
        return "unmatched"
    first = path.strip("/").split("/", 1)[0]
    return "/" + first[:40]


class ObservabilityMiddleware:
    """Gives each request its id, logs it as one line and counts it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"x-request-id"), "")
        request_id = offered if _REQUEST_ID.match(offered) else secrets.token_hex(8)
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            path = scope.get("path", "")
            operation = self.metrics.observe(
                route=_route_label(path, status),
                method=scope.get("method", ""),
                status=status,
                seconds=seconds,
                state=scope["state"],
            )
            fields: dict[str, Any] = {
                "method": scope.get("method"),
                "path": path,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            }
            if operation is not None:
                fields["operation"] = operation
                if scope["state"].get(ERROR_STATE):
                    fields["error_codes"] = sorted(set(scope["state"][ERROR_STATE]))
            access_log.info("request", extra={"fields": fields, "request_id": request_id})
            request_id_var.reset(token)


def _is_local(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def metrics_endpoint(metrics: Metrics, settings: Settings) -> Any:
    """The ``/metrics`` route: open in development; in production only with
    the metrics token, or (no token configured) to a client on this machine."""

    async def endpoint(request: Request) -> Response:
        if settings.production:
            authorization = request.headers.get("authorization", "")
            if settings.metrics_token:
                allowed = secrets.compare_digest(authorization, f"Bearer {settings.metrics_token}")
            else:
                allowed = _is_local(request.client.host if request.client else None)
            if not allowed:
                return JSONResponse({"code": "FORBIDDEN", "message": "无权读取运行指标。"}, status_code=403)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return endpoint
