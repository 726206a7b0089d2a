"""The GraphiQL page served in development mode only, with a content
security policy that lets exactly this page work: its scripts and styles
from unpkg.com (pinned by integrity hashes in the page), its own inline
script by hash, queries to this origin only."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache

from strawberry.http.ides import get_graphql_ide_html

ASSET_ORIGIN = "https://unpkg.com"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@cache
def graphiql_html() -> str:
    return get_graphql_ide_html(graphql_ide="graphiql").replace("Strawberry GraphiQL", "Jiceng GraphiQL", 1)


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def graphiql_csp() -> str:
    inline = " ".join(_sha256_source(script) for script in _INLINE_SCRIPT.findall(graphiql_html()))
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src {ASSET_ORIGIN} {inline}",
            # GraphiQL sets style attributes from script: inline styles stay allowed.
            f"style-src {ASSET_ORIGIN} 'unsafe-inline'",
            f"font-src {ASSET_ORIGIN} data:",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
