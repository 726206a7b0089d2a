"""The residents' convention (居民公约) and self-governance charter (自治章程)
as versioned texts (DOMAIN 2.7; seeds 000, 003, 004).

Made and amended by the assembly after residents' discussion; a version
takes effect on adoption (000), the one in force before it is superseded,
and the adopted text is drafted for the public board. Adoption cites a
resolution of the community's representatives' assembly (core meetings),
quorate and adopted, which is linked to the version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.api.errors import UserInputError
from core.board import service as board
from core.meetings import service as meetings
from core.meetings.builtin import REPRESENTATIVES_ASSEMBLY
from core.meetings.models import MeetingResolution
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
    session: Session,
    community: OrgUnit,
    *,
    kind: str,
    title: str,
    body: str,
    discussion: str | None,
    today: date,
    user_id: int | None,
) -> SelfgovTextVersion:
    """A new draft: the first version of the community's text of this kind,
    or an amendment of it. One draft at a time."""
    if kind not in TEXT_KINDS:
        raise UserInputError(
            "UNKNOWN_KIND", "文本类型须为 convention（居民公约）或 charter（社区居民自治章程）。", "kind"
        )
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
    number = (
        int(
            session.scalar(
                select(func.coalesce(func.max(SelfgovTextVersion.number), 0)).where(
                    SelfgovTextVersion.text_id == text.id
                )
            )
            or 0
        )
        + 1
    )
    text.title = clean_title or text.title
    version = SelfgovTextVersion(
        text_id=text.id,
        org_path=text.org_path,
        number=number,
        body=clean_body or "",
        status=DRAFT,
        drafted_on=today,
        discussion=(discussion or "").strip() or None,
        created_by_id=user_id,
    )
    session.add(version)
    session.flush()
    return version


def adopt(
    session: Session,
    who: Any,
    version: SelfgovTextVersion,
    resolution: MeetingResolution | None,
    *,
    today: date,
    categories: Any,
) -> SelfgovTextVersion:
    """The assembly adopted the draft by ``resolution`` (a quorate, adopted
    resolution of the community's representatives' assembly, core meetings):
    it is in force from the meeting's day, the previous version is superseded
    and the text is drafted for the board."""
    if version.status != DRAFT:
        raise UserInputError("NOT_A_DRAFT", "只有草案可以通过。", "versionId")
    if version.discussion is None:
        raise UserInputError(
            "NOT_DISCUSSED", "居民公约和自治章程须经居民讨论后提交通过；请在草案中记录讨论情况。", "versionId"
        )
    text = session.get(SelfgovText, version.text_id, with_for_update=True)
    assert text is not None
    meeting, resolution = meetings.check_decision(
        session,
        resolution,
        kind_codes=(REPRESENTATIVES_ASSEMBLY,),
        unit_path=text.org_path,
        field="resolutionId",
        what="社区成员代表大会（居民会议）",
    )
    if meeting.held_on < version.drafted_on or meeting.held_on > today:
        raise UserInputError(
            "INVALID_DATE", f"通过该草案的会议须在起草日（{version.drafted_on}）之后召开。", "resolutionId"
        )
    adopted_on, body_name = meeting.held_on, meeting.title
    for current in session.scalars(
        select(SelfgovTextVersion).where(SelfgovTextVersion.text_id == text.id, SelfgovTextVersion.status == ADOPTED)
    ):
        current.status = SUPERSEDED
    version.status = ADOPTED
    version.adopted_on = adopted_on
    version.adopted_by = body_name
    version.adoption_resolution_id = resolution.id
    meetings.link_subject(session, resolution, "SelfGovernanceTextVersion", version.id)
    notice = board.draft_notice(
        session,
        who,
        org_unit=text.org_unit_id,
        title=f"{text.title}（第{version.number}版）"[:TITLE_LENGTH],
        body=version.body,
        category="community_affairs",
        publisher_label="社区居民委员会",
        source_plugin=PLUGIN,
        source_key=f"text_version:{version.id}",
        categories=categories,
    )
    version.notice_id = notice.id
    session.flush()
    return version
