"""The two servers the throughput benchmark compares, one per process.

``BENCH_MODE=graphql`` serves the real app; ``BENCH_MODE=bare`` serves one
Starlette route that signs the caller in, runs the same SQL for the first
page of residents on the same driver and returns the same JSON, with no
GraphQL in between: the floor any API layer adds to.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy import Select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.api.relay import _encode_cursor, decode_pk, encode_global_id
from core.app import build_deployment, create_app
from core.auth.service import principal_from_authorization
from core.people import service
from core.people.identity import mask_id_number, mask_phone
from core.people.models import Resident
from core.settings import load_settings


def _edge(r: Resident) -> dict[str, Any]:
    return {
        "cursor": _encode_cursor([r.org_path, r.id]),
        "node": {
            "id": encode_global_id("Resident", r.id),
            "name": r.name,
            "sex": r.sex,
            "birthDate": r.birth_date.isoformat() if r.birth_date else None,
            "idNumber": mask_id_number(r.id_number),
            "phone": mask_phone(r.phone),
            "residenceType": r.residence_type,
        },
    }


def bare_app() -> Starlette:
    settings = load_settings("/nonexistent/jiceng.toml", environ={}, database_url=os.environ["JICENG_DATABASE_URL"])
    deployment = build_deployment(settings)
    sessions = deployment.read_session_factory  # as the endpoint uses for queries

    def page(authorization: str | None, body: bytes) -> bytes:
        request = json.loads(body)
        under = decode_pk(request["variables"]["under"], "OrgUnit", field="under")
        with sessions() as session:
            user = principal_from_authorization(session, authorization)
            # The statement the residents resolver builds for these arguments.
            statement: Select[Any] = service.residents_statement().where(
                service.under_unit_within(service.scope_paths(user, "people.view"), Resident.org_path, under)
            )
            rows = list(session.scalars(statement.order_by(Resident.org_path, Resident.id).limit(21)))
            edges = [_edge(r) for r in rows[:20]]
            session.rollback()
        data = {
            "data": {
                "residents": {
                    "edges": edges,
                    "pageInfo": {"hasNextPage": len(rows) > 20, "endCursor": edges[-1]["cursor"] if edges else None},
                }
            }
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()

    async def residents(request: Request) -> Response:
        body = await request.body()
        content = await run_in_threadpool(page, request.headers.get("authorization"), body)
        return Response(content, media_type="application/json; charset=utf-8")

    return Starlette(routes=[Route("/bare/residents", residents, methods=["POST"])])


def main() -> None:
    mode = os.environ["BENCH_MODE"]
    port = int(os.environ["BENCH_PORT"])
    if mode == "graphql":
        settings = load_settings("/nonexistent/jiceng.toml", environ={}, database_url=os.environ["JICENG_DATABASE_URL"])
        app = create_app(settings)
    else:
        app = bare_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
