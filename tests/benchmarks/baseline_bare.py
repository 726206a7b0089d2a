"""Baseline (a) of ``bench_baselines.py``: a bare Starlette route on an
async driver with hand-written SQL and ``json.dumps`` — no ORM, no GraphQL,
no Jiceng code (it imports nothing from ``core`` or ``plugins``).

    BENCH_DATABASE_URL=sqlite:////tmp/jiceng-bench/bench-10000.sqlite3 python baseline_bare.py 18611
"""

from __future__ import annotations

import json
import os
import sys

import uvicorn
from baseline_sql import PAGE, Database, Unauthorized, cursor, decode_unit, node
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def make_app(url: str) -> Starlette:
    database = Database(url)

    async def residents(request: Request) -> Response:
        body = json.loads(await request.body())
        try:
            scope = await database.scope(request.headers.get("authorization"))
        except Unauthorized:
            return Response(
                b'{"errors":[{"message":"unauthenticated"}]}', status_code=401, media_type="application/json"
            )
        rows = await database.page(decode_unit(body["variables"]["under"]), scope)
        edges = [{"cursor": cursor(r[10], r[0]), "node": node(r)} for r in rows[:PAGE]]
        data = {
            "data": {
                "residents": {
                    "edges": edges,
                    "pageInfo": {"hasNextPage": len(rows) > PAGE, "endCursor": edges[-1]["cursor"] if edges else None},
                }
            }
        }
        content = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
        return Response(content, media_type="application/json; charset=utf-8")

    return Starlette(routes=[Route("/graphql", residents, methods=["POST"])], lifespan=database.lifespan)


if __name__ == "__main__":
    uvicorn.run(
        make_app(os.environ["BENCH_DATABASE_URL"]),
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
    )
