"""The GraphiQL page served in development mode only. Its scripts and styles
ship inside this package (``static/graphiql``, pinned versions fetched from
the npm registry) and are served by this app, so that the page works on an
intranet without internet access. The content security policy lets exactly
this page work: scripts from this origin and its own inline script by hash,
queries to this origin only, no other host."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

# Where the page finds its assets. Each package sits in a folder named with its
# version, so a file at one path never changes and browsers may keep it for good.
# They are the browser builds (UMD, minified) of the npm packages graphiql,
# react, react-dom and @graphiql/plugin-explorer, taken from ``npm pack`` with
# each LICENSE. GraphiQL 4 marks its browser build deprecated and 5 has none;
# 3.8.3 is the last 3.x. To change a version, add the new folder, change it
# here and remove the old folder.
ASSET_PATH = "/graphiql"
ASSET_VERSIONS: dict[str, str] = {"graphiql": "3.8.3", "react": "18.3.1", "explorer": "1.0.2"}
ASSET_DIRECTORY = Path(__file__).parent / "static" / "graphiql"
IMMUTABLE = "public, max-age=31536000, immutable"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


@cache
def graphiql_html() -> str:
    page = (Path(__file__).parent / "graphiql.html").read_text(encoding="utf-8")
    page = page.replace("{assets}", ASSET_PATH)
    for name, version in ASSET_VERSIONS.items():
        page = page.replace("{" + name + "}", version)
    return page


def _sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def graphiql_csp() -> str:
    inline = " ".join(_sha256_source(script) for script in _INLINE_SCRIPT.findall(graphiql_html()))
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' {inline}",
            # GraphiQL sets style attributes from script: inline styles stay allowed.
            "style-src 'self' 'unsafe-inline'",
            # The stylesheet embeds its fonts as data: URLs.
            "font-src data:",
            "img-src 'self' data:",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


class GraphiQLAssets(StaticFiles):
    """The page's scripts, styles and their licenses, cached by browsers for a
    year: a new version of an asset comes under a new path."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers["Cache-Control"] = IMMUTABLE
        return response


def graphiql_assets() -> GraphiQLAssets:
    return GraphiQLAssets(directory=ASSET_DIRECTORY)
