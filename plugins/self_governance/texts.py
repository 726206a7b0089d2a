"""The residents' convention (居民公约) and self-governance charter (自治章程)
as versioned texts (DOMAIN 2.7; seeds 000, 003, 004).

Made and amended by the assembly after residents' discussion; a version
takes effect on adoption (000), the one in force before it is superseded,
and the adopted text is drafted for the public board. The adopting body is
recorded; ``adoption_resolution_id`` is where the assembly resolution of
core meetings is linked once a deployment has them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.board import service as board
from core.org.models import OrgUnit
from plugins.self_governance.common import clean_text
from plugins.self_governance.declarations import PLUGIN
from plugins.self_governance.models import (
    ADOPTED,
    DRAFT,
    SUPERSEDED,
    TEXT_KINDS,
    TITLE_LENGTH,
    SelfgovText,
    SelfgovTextVersion,
)

BODY_LIMIT = 20000


def draft_version(
    session: Session, community: OrgUnit, *, kind: str, title: str, body: str, discussion: str | None, today: date, user_id: int | None
) -> SelfgovTextVersion:
    """A new draft: the first version of the community's text of this kind,
    or an amendment of it. One draft at a time."""
    if kind not in TEXT_KINDS:
        raise UserInputError("UNKNOWN_KIND", "文本类型须为 convention（居民公约）或 charter（社区居民自治章程）。", "kind")
    clean_title = clean_text(title, field="title", what="标题", limit=TITLE_LENGTH)
    clean_body = clean_text(body, field="body", what="正文", limit=BODY_LIMIT)
    text = session.scalars(
        select(SelfgovText).where(SelfgovText.org_unit_id == community.id, SelfgovText.kind == kind).with_for_update()
    ).first()
    if text is None:
        text = SelfgovText(org_unit_id=community.id, org_path=community.path, kind=kind, title=clean_title or "")
        session.add(text)
        session.flush()
    elif session.scalar(
        select(SelfgovTextVersion.id).where(SelfgovTextVersion.text_id == text.id, SelfgovTextVersion.status == DRAFT)
    ):
        raise UserInputError("DRAFT_PENDING", f"{TEXT_KINDS[kind]}已有一份待通过的草案，请先通过或修改该草案。", "kind")
    number = int(session.scalar(select(func.coalesce(func.max(SelfgovTextVersion.number), 0)).where(SelfgovTextVersion.text_id == text.id)) or 0) + 1
    text.title = clean_title or text.title
    version = SelfgovTextVersion(
        text_id=text.id, org_path=text.org_path, number=number, body=clean_body or "", status=DRAFT, drafted_on=today,
        discussion=(discussion or "").strip() or None, created_by_id=user_id,
    )
    session.add(version)
    session.flush()
    return version


def adopt(
    session: Session,
    who: Any,
    version: SelfgovTextVersion,
    *,
    adopted_on: date,
    adopted_by: str,
    today: date,
    categories: Any,
) -> SelfgovTextVersion:
    """The assembly adopted the draft: it is in force from ``adopted_on``,
    the previous version is superseded and the text is drafted for the board."""
    if version.status != DRAFT:
        raise UserInputError("NOT_A_DRAFT", "只有草案可以通过。", "versionId")
    if adopted_on > today or adopted_on < version.drafted_on:
        raise UserInputError("INVALID_DATE", f"通过日期须在起草日（{version.drafted_on}）和今天之间。", "adoptedOn")
    if version.discussion is None:
        raise UserInputError("NOT_DISCUSSED", "居民公约和自治章程须经居民讨论后提交通过；请在草案中记录讨论情况。", "versionId")
    body_name = clean_text(adopted_by, field="adoptedBy", what="通过的会议（如第三届社区成员代表大会第二次会议）", limit=TITLE_LENGTH)
    text = session.get(SelfgovText, version.text_id, with_for_update=True)
    assert text is not None
    for current in session.scalars(
        select(SelfgovTextVersion).where(SelfgovTextVersion.text_id == text.id, SelfgovTextVersion.status == ADOPTED)
    ):
        current.status = SUPERSEDED
    version.status = ADOPTED
    version.adopted_on = adopted_on
    version.adopted_by = body_name
    notice = board.draft_notice(
        session, who, org_unit=text.org_unit_id, title=f"{text.title}（第{version.number}版）"[:TITLE_LENGTH], body=version.body,
        category="community_affairs", publisher_label="社区居民委员会", source_plugin=PLUGIN,
        source_key=f"text_version:{version.id}", categories=categories,
    )
    version.notice_id = notice.id
    session.flush()
    return version
