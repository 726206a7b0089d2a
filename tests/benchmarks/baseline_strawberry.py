"""Baseline (b) of ``bench_baselines.py``: stock strawberry (its ASGI app,
``ParserCache`` and ``ValidationCache``) over the same hand-written SQL and
async driver as ``baseline_bare.py``. Imports nothing from ``core`` or
``plugins``.

    BENCH_DATABASE_URL=sqlite:////tmp/jiceng-bench/bench-10000.sqlite3 python baseline_strawberry.py 18612
"""

from __future__ import annotations

import os
import sys
from typing import Any

import strawberry
import uvicorn
from baseline_sql import (
    PAGE,
    Database,
    cursor,
    decode_unit,
    global_id,
    iso,
    mask_id_number,
    mask_phone,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache


@strawberry.type
class Resident:
    id: strawberry.ID
    name: str
    sex: str | None
    birth_date: str | None
    id_number: str | None
    phone: str | None
    residence_type: str
    ethnicity: str | None
    moved_in_on: str | None
    moved_out_on: str | None


def resident(row: Any) -> Resident:
    return Resident(
        id=strawberry.ID(global_id("Resident", row[0])),
        name=row[1],
        sex=row[2],
        birth_date=iso(row[3]),
        id_number=mask_id_number(row[4]),
        phone=mask_phone(row[5]),
        residence_type=row[6],
        ethnicity=row[7],
        moved_in_on=iso(row[8]),
        moved_out_on=iso(row[9]),
    )


@strawberry.type
class ResidentEdge:
    cursor: str
    node: Resident


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class ResidentConnection:
    edges: list[ResidentEdge]
    page_info: PageInfo


def make_app(url: str) -> Starlette:
    database = Database(url)

    @strawberry.type
    class Query:
        @strawberry.field
        async def residents(self, info: strawberry.Info, under: strawberry.ID, first: int = PAGE) -> ResidentConnection:
            request: Request = info.context["request"]
            scope = await database.scope(request.headers.get("authorization"))
            rows = await database.page(decode_unit(under), scope)
            edges = [ResidentEdge(cursor=cursor(r[10], r[0]), node=resident(r)) for r in rows[:first]]
            return ResidentConnection(
                edges=edges,
                page_info=PageInfo(has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None),
            )

    schema = strawberry.Schema(query=Query, extensions=[ParserCache, ValidationCache])
    return Starlette(routes=[Route("/graphql", GraphQL(schema, graphql_ide=None))], lifespan=database.lifespan)


if __name__ == "__main__":
    uvicorn.run(
        make_app(os.environ["BENCH_DATABASE_URL"]),
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
        access_log=False,
    )
