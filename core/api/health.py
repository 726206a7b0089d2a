"""Liveness (``/healthz``) and readiness (``/readyz``).

``/healthz`` answers 200 while the process serves requests, touching nothing
else: a supervisor restarts the process when it stops answering.
``/readyz`` answers 200 only when the database answers and holds the schema
(``jiceng migrate`` has run), else 503 with a code: a load balancer sends
traffic only to a ready process. Neither lists the enabled plugins to an
anonymous caller in production; in development both do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from core.api.faults import DATABASE_UNAVAILABLE, unavailable_headers

if TYPE_CHECKING:
    from core.app import Deployment

SCHEMA_MISSING = "SCHEMA_MISSING"


def _details(deployment: Deployment) -> dict[str, Any]:
    return {} if deployment.settings.production else {"plugins": list(deployment.host.enabled)}


def liveness(deployment: Deployment) -> Any:
    async def endpoint(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", **_details(deployment)})

    return endpoint


def database_problem(deployment: Deployment) -> str | None:
    """None when the database answers and has core's tables, else a code."""
    try:
        with deployment.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            if not inspect(connection).has_table("alembic_version"):
                return SCHEMA_MISSING
    except (SQLAlchemyError, OSError):  # any failure to reach or read the database: not ready
        return DATABASE_UNAVAILABLE
    return None


def readiness(deployment: Deployment) -> Any:
    async def endpoint(_request: Request) -> JSONResponse:
        problem = await run_in_threadpool(database_problem, deployment)
        if problem is not None:
            return JSONResponse(
                {"status": "unavailable", "code": problem, **_details(deployment)},
                status_code=503,
                headers=unavailable_headers(),
            )
        return JSONResponse({"status": "ready", **_details(deployment)})

    return endpoint
