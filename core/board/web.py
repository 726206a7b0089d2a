"""The public board as a plain web page: ``GET /board/{unit}``.

``unit`` is an org unit's GraphQL ID or its division code (6, 9 or 12
digits), as ``core.org.refs`` reads them; a database key names nothing. No sign-in; the page lists what
``core.board.service.published_notices`` returns, in one query, and escapes
everything it shows.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from core.board import service
from core.board.categories import NoticeCategoryRegistry, categories_for
from core.board.models import Notice
from core.org.models import OrgUnit
from core.org.refs import UnitRefError, find_unit_by_ref
from core.policy.service import CHINA_STANDARD_TIME, local_today

# The most notices one page lists.
PAGE_LIMIT = 200

STYLE = """
body{font-family:-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f6f6f6;color:#222;line-height:1.7}
header{background:#b71c1c;color:#fff;padding:1rem}
header h1{margin:0;font-size:1.4rem}
main{max-width:46rem;margin:0 auto;padding:1rem}
article{background:#fff;border-radius:6px;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(0,0,0,.08)}
article h2{margin:0 0 .3rem;font-size:1.15rem}
.meta{color:#666;font-size:.9rem}
.body{white-space:pre-wrap;word-wrap:break-word;margin-top:.5rem}
.empty{color:#666}
"""


# The page's only active content is its inline style, allowed by hash; no
# scripts, no framing (the security headers middleware adds the rest).
PAGE_CSP = (
    "default-src 'none'; style-src 'sha256-"
    + base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
    + "'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
PAGE_HEADERS = {"Content-Security-Policy": PAGE_CSP}


def find_unit(session: Session, ref: str) -> OrgUnit | None:
    """The unit a board address names (``core.org.refs``), or None."""
    try:
        return find_unit_by_ref(session, ref)
    except UnitRefError:
        return None


def _page(title: str, content: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{content}</body></html>\n"
    )


def _notice_html(notice: Notice, categories: NoticeCategoryRegistry) -> str:
    meta = [escape(categories.name(notice.category)), escape(notice.publisher_label)]
    if notice.period_start or notice.period_end:
        start = notice.period_start.isoformat() if notice.period_start else ""
        end = notice.period_end.isoformat() if notice.period_end else ""
        meta.append(f"期间 {escape(start)} 至 {escape(end)}")
    if notice.published_at is not None:
        meta.append("公开于 " + escape(notice.published_at.astimezone(CHINA_STANDARD_TIME).strftime("%Y-%m-%d")))
    if notice.expires_on is not None:
        meta.append("公开至 " + escape(notice.expires_on.isoformat()))
    basis = (
        f'<div class="meta">公开个人信息的依据：{escape(notice.personal_data_rule)}</div>'
        if notice.names_persons and notice.personal_data_rule
        else ""
    )
    return (
        f"<article><h2>{escape(notice.title)}</h2>"
        f'<div class="meta">{" · ".join(meta)}</div>'
        f'<div class="body">{escape(notice.body)}</div>{basis}</article>'
    )


def board_page(request: Request) -> HTMLResponse:
    deployment = request.app.state.deployment
    ref = request.path_params["unit"]
    categories = categories_for(deployment.host)
    with deployment.session_factory() as session:
        unit = find_unit(session, ref)
        if unit is None:
            content = '<header><h1>公开栏</h1></header><main><p class="empty">没有找到这个单位的公开栏。</p></main>'
            return HTMLResponse(_page("未找到公开栏", content), status_code=404, headers=PAGE_HEADERS)
        notices = service.published_notices(session, unit, on=local_today(), limit=PAGE_LIMIT)
        title = f"{unit.name}公开栏"
        items = "".join(_notice_html(n, categories) for n in notices) or '<p class="empty">目前没有公开的内容。</p>'
        content = f"<header><h1>{escape(title)}</h1></header><main>{items}</main>"
    return HTMLResponse(_page(title, content), headers=PAGE_HEADERS)


ROUTES = [Route("/board/{unit}", board_page, methods=["GET"])]
