"""Answers for a database that cannot be reached.

When the database is down, dropped, unreadable or out of connections, every
request gets status 503 with a JSON body in the GraphQL error shape (code
``DATABASE_UNAVAILABLE``, a Chinese message) and the log gets one line per
failed request: the same traceback a thousand times would hide what matters.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import exc as sa_exc
from starlette.requests import Request
from starlette.responses import Response

from core.db import database_unavailable
from graphql import GraphQLError

log = logging.getLogger("jiceng.api")

DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
DATABASE_UNAVAILABLE_MESSAGE = "数据库暂时无法访问，请稍后重试；如持续出现请联系管理员。"
RETRY_AFTER_SECONDS = "5"
# Exception classes the app-wide handler is registered for; it answers only
# those ``database_unavailable`` accepts and lets the rest through.
HANDLED = (sa_exc.DBAPIError, sa_exc.DisconnectionError, sa_exc.TimeoutError)


def log_unavailable(error: BaseException, where: str) -> None:
    """The one log line of a request refused because the database is out of reach."""
    cause = getattr(error, "orig", None) or error
    text = " ".join(str(cause).split())[:300]
    log.error("database unavailable (%s): %s: %s", where, type(cause).__name__, text)


def unavailable_error() -> GraphQLError:
    return GraphQLError(DATABASE_UNAVAILABLE_MESSAGE, extensions={"code": DATABASE_UNAVAILABLE})


def unavailable_headers() -> dict[str, str]:
    return {"Retry-After": RETRY_AFTER_SECONDS}


async def database_unavailable_handler(request: Request, error: Exception) -> Response:
    """Starlette exception handler for routes other than ``/graphql`` (the
    public board, downloads, plugin routes)."""
    if not database_unavailable(error):
        raise error
    log_unavailable(error, f"{request.method} {request.url.path}")
    body = {"errors": [unavailable_error().formatted]}
    return Response(
        json.dumps(body, ensure_ascii=False).encode("utf-8"),
        status_code=503,
        media_type="application/json; charset=utf-8",
        headers=unavailable_headers(),
    )
