"""Requests per client address: ``rate_limit_requests`` per
``rate_limit_window_seconds`` (settings), counted in fixed windows per
server process. A client over the limit gets 429 with a JSON error (code
``RATE_LIMITED``) and ``Retry-After``. The client is ``core.api.client_address``'s
key, so that behind a proxy listed in ``trusted_proxies`` each real client
is counted on its own. ``/healthz`` is not counted (load balancers poll it).
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from starlette.types import ASGIApp, Receive, Scope, Send

from core.api.client_address import client_key
from core.settings import Settings

# Clients tracked at once; beyond it the oldest windows are forgotten first.
MAX_TRACKED_CLIENTS = 100_000
EXEMPT_PATHS = frozenset({"/healthz"})


class RateLimiter:
    """Fixed windows per key: at most ``requests`` per ``window`` seconds."""

    def __init__(
        self,
        requests: int,
        window: float,
        *,
        max_clients: int = MAX_TRACKED_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.requests = requests
        self.window = window
        self.max_clients = max_clients
        self.clock = clock
        # key -> (start of its window, requests in it); oldest window first.
        self.windows: OrderedDict[str, tuple[float, int]] = OrderedDict()
        self.lock = Lock()

    def hit(self, key: str) -> int | None:
        """Count a request of ``key``: None when allowed, else the whole
        seconds until its window ends."""
        now = self.clock()
        with self.lock:
            start, count = self.windows.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.requests:
                return max(1, math.ceil(start + self.window - now))
            if count == 0:
                self.windows.pop(key, None)  # a new window goes to the end
            self.windows[key] = (start, count + 1)
            while len(self.windows) > self.max_clients:
                self.windows.popitem(last=False)
            return None


def _too_many(retry_after: int) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = {
        "errors": [
            {
                "message": f"请求过于频繁，请在 {retry_after} 秒后重试。",
                "extensions": {"code": "RATE_LIMITED", "retryAfter": retry_after},
            }
        ]
    }
    content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(content)).encode("ascii")),
        (b"retry-after", str(retry_after).encode("ascii")),
    ]
    return content, headers


class RateLimitMiddleware:
    """Refuses a client's requests beyond the rate limit of ``settings``
    (nothing is refused when the limit in force is 0)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.trusted_proxies = settings.trusted_proxies
        requests = settings.requests_per_window
        self.limiter = RateLimiter(requests, settings.rate_limit_window_seconds) if requests > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.limiter is None or scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        retry_after = self.limiter.hit(client_key(scope, self.trusted_proxies))
        if retry_after is None:
            await self.app(scope, receive, send)
            return
        content, headers = _too_many(retry_after)
        await send({"type": "http.response.start", "status": 429, "headers": headers})
        await send({"type": "http.response.body", "body": content})
