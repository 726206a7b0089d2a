"""The GraphiQL page served in development mode only."""

from __future__ import annotations

from functools import cache

from strawberry.http.ides import get_graphql_ide_html


@cache
def graphiql_html() -> str:
    return get_graphql_ide_html(graphql_ide="graphiql").replace("Strawberry GraphiQL", "Jiceng GraphiQL", 1)
