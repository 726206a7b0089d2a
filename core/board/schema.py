"""GraphQL for the public board.

``publicBoard`` is public: anyone, signed in or not, reads the published and
unexpired notices of one unit's board (``PublicNotice``: no user accounts,
no drafts). Staff read every notice of the units where they hold
``board.view`` with ``notices`` (drafts included) and move notices through
their life with the mutations, each checked by ``core.board.service``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from sqlalchemy import select

from core.api.choices import optional_code
from core.api.context import RequestContext
from core.api.errors import UserError, UserInputError
from core.api.ids import object_for, object_in_scope
from core.api.loaders import related
from core.api.mutations import atomic
from core.api.relay import Connection, Node, decode_pk, encode_global_id, model_type, paginate
from core.api.rows import required_row_as, row_as, rows_as
from core.auth.permissions import (
    PermissionRegistry,
    registry_for_context,
    require_somewhere,
    scope_condition,
)
from core.board import service
from core.board.attachments import NOTICE_ATTACHMENT
from core.board.categories import NoticeCategoryRegistry, categories_for_context
from core.board.enums import NoticeStatus
from core.board.models import EXPIRED, PUBLISHED, STATUS_NAMES, STORED_STATUSES, Notice
from core.documents.models import DISPOSED, Document
from core.documents.web import PUBLIC_PREFIX
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.plugin_host import host_of
from core.policy.service import local_today
from core.reporting.models import ObligationInstance


def _categories(info: strawberry.Info) -> NoticeCategoryRegistry:
    return categories_for_context(info.context)


def _permissions(context: RequestContext) -> PermissionRegistry:
    return registry_for_context(context)


def _unit(context: RequestContext, global_id: str, field: str) -> OrgUnit:
    return org_service.get_unit(context.session, decode_pk(global_id, "OrgUnit", field=field), field=field)


def load_notices(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for notices of units where the caller holds ``board.view``."""
    if not pks:
        return {}
    rows = context.session.scalars(
        select(Notice).where(Notice.id.in_(pks), scope_condition(context, service.BOARD_VIEW, Notice.org_path))
    )
    return {row.id: row for row in rows}


@strawberry.type(name="NoticeCategory", description="公开类别（核心或插件声明）。")
class NoticeCategoryType:
    code: str = strawberry.field(description="类别代码，如 finance。")
    name: str = strawberry.field(description="中文名称。")
    plugin: str = strawberry.field(description="声明此类别的模块：core 或插件名称。")


@strawberry.type(name="NoticeFields")
class _NoticeFields:
    title: str = strawberry.field(description="标题。")
    body: str = strawberry.field(description="正文。")
    category: str = strawberry.field(description="公开类别代码，见 noticeCategories。")
    period_start: date | None = strawberry.field(description="公开内容所属期间的开始日期。")
    period_end: date | None = strawberry.field(description="公开内容所属期间的结束日期。")
    publisher_label: str = strawberry.field(description="发布单位，如“文庙社区居民委员会”。")
    published_at: datetime | None = strawberry.field(description="公开时间。")
    expires_on: date | None = strawberry.field(description="下架日期（含当日）；为空时直到撤回。")
    personal_data_rule: str | None = strawberry.field(
        description="公告含个人姓名等个人信息时，要求公开这些信息的规定；不含时为空。"
    )

    @strawberry.field(description="公开类别的中文名称。")
    def category_name(self, info: strawberry.Info) -> str:
        return _categories(info).name(self.category)

    @strawberry.field(description="所属公开栏的组织单位。")
    def org_unit(self, root: Notice, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))


@model_type(
    Document, name="PublicAttachment", description="公告的公开附件（已检查不含身份证号、手机号）。公开，无需登录。"
)
class PublicAttachmentType:
    filename: str = strawberry.field(description="文件名。")
    content_type: str = strawberry.field(description="按内容判定的文件类型（MIME）。")
    size_bytes: int = strawberry.field(description="大小（字节）。")
    sha256: str = strawberry.field(description="文件内容的 SHA-256。")

    @strawberry.field(description="下载地址（GET，无需登录；公告下架后不再提供）。")
    def download_path(self, root: Document) -> str:
        return PUBLIC_PREFIX + encode_global_id("Document", root.id)


@model_type(Notice, name="PublicNotice", description="公开栏上的公告：已公开、未过期、未撤回。公开，无需登录。")
class PublicNoticeType(_NoticeFields):
    @strawberry.field(description="公开附件。")
    def attachments(self, root: Notice, info: strawberry.Info) -> list[PublicAttachmentType]:
        context: RequestContext = info.context
        rows = context.session.scalars(
            select(Document)
            .where(
                Document.owner_type == "Notice",
                Document.owner_id == root.id,
                Document.document_class == NOTICE_ATTACHMENT.code,
                Document.status != DISPOSED,
            )
            .order_by(Document.id)
        )
        return rows_as(PublicAttachmentType, list(rows))


@model_type(
    Notice, name="Notice", description="公开栏公告的全部信息（含草稿和审核记录）；须在其单位拥有 board.view 权限。"
)
class NoticeType(_NoticeFields, Node):
    source_plugin: str | None = strawberry.field(description="起草此公告的插件。")
    source_key: str | None = strawberry.field(description="插件内的来源记录标识。")
    names_persons: bool = strawberry.field(description="公告是否含有个人姓名等个人信息。")
    submitted_at: datetime | None = strawberry.field(description="提交党组织审核的时间。")
    approved_at: datetime | None = strawberry.field(description="党组织审核通过的时间。")
    decision_reference: str | None = strawberry.field(
        description="审核所依据的党组织集体决定：委员会议及其决议（启用党建模块时），或审核人填写的会议。"
    )
    decision_on: date | None = strawberry.field(description="作出该决定的会议日期。")
    rejected_at: datetime | None = strawberry.field(description="党组织最近一次退回修改的时间。")
    rejection_reason: str | None = strawberry.field(description="最近一次退回的原因。")
    withdrawn_at: datetime | None = strawberry.field(description="撤回时间。")
    withdrawal_reason: str | None = strawberry.field(description="撤回原因。")
    created_at: datetime = strawberry.field(description="起草时间。")

    @strawberry.field(
        description="状态：draft、pending_approval、approved、published、withdrawn 或 expired（已公开且过了下架日期）。",
        deprecation_reason="改用 noticeStatus（枚举）。",
    )
    def status(self, root: Notice) -> str:
        return root.status_on(local_today())

    @strawberry.field(description="状态（已公开且过了下架日期的为 EXPIRED）。")
    def notice_status(self, root: Notice) -> NoticeStatus:
        return NoticeStatus(root.status_on(local_today()))

    @strawberry.field(description="状态的中文名称。")
    def status_name(self, root: Notice) -> str:
        return STATUS_NAMES[root.status_on(local_today())]

    @strawberry.field(description="起草人的用户 ID。")
    def drafted_by(self, root: Notice) -> strawberry.ID | None:
        pk = root.drafted_by_id
        return strawberry.ID(encode_global_id("User", pk)) if pk else None

    @strawberry.field(description="公开后即履行的报送事项（如半年财务公开）的 ID；可用 node 查询。")
    def obligation_instance_id(self, root: Notice) -> strawberry.ID | None:
        pk = root.obligation_instance_id
        return strawberry.ID(encode_global_id("ObligationInstance", pk)) if pk else None

    @strawberry.field(description="审核人（党组织）的用户 ID。")
    def approved_by(self, root: Notice) -> strawberry.ID | None:
        pk = root.approved_by_id
        return strawberry.ID(encode_global_id("User", pk)) if pk else None


def _page_newest_first(
    context: RequestContext, statement: Any, *, first: int | None, after: str | None
) -> Connection[Any]:
    """One page of board notices, newest first (keyset on published_at, id)."""
    return paginate(context, statement, service.BOARD_ORDER, first=first, after=after, descending=True)


@strawberry.type
class BoardQuery:
    @strawberry.field(description="本部署声明的公开类别。公开，无需登录。")
    def notice_categories(self, info: strawberry.Info) -> list[NoticeCategoryType]:
        return [NoticeCategoryType(code=c.code, name=c.name, plugin=c.plugin) for c in _categories(info).all()]

    @strawberry.field(
        description="某单位公开栏上的公告：已公开、未过期、未撤回，最新的在前；可按类别筛选。公开，无需登录。"
    )
    def public_board(
        self,
        info: strawberry.Info,
        org_unit_id: strawberry.ID,
        category: Annotated[
            str | None, strawberry.argument(description="只列此公开类别的公告（见 noticeCategories）。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PublicNoticeType]:
        context: RequestContext = info.context
        unit = _unit(context, org_unit_id, "orgUnitId")
        return _page_newest_first(
            context, service.published_statement(unit, category=category), first=first, after=after
        )

    @strawberry.field(
        description="某单位及其全部下级的公告（含草稿、待审核和已撤回），按单位（树的先序）和起草先后排列；只列有 board.view 权限的范围。"
        "status 可为 draft、pending_approval、approved、published、withdrawn 或 expired。"
    )
    def notices(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        status: Annotated[str | None, strawberry.argument(deprecation_reason="改用 noticeStatus（枚举）。")] = None,
        notice_status: Annotated[NoticeStatus | None, strawberry.argument(description="只列此状态的公告。")] = None,
        category: Annotated[
            str | None, strawberry.argument(description="只列此公开类别的公告（见 noticeCategories）。")
        ] = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[NoticeType]:
        status = optional_code(status, notice_status, legacy_field="status", field="noticeStatus")
        context: RequestContext = info.context
        require_somewhere(context, service.BOARD_VIEW, registry=_permissions(context))
        root = _unit(context, under, "under")
        statement = select(Notice).where(
            org_service.in_subtree(Notice.org_path, root.path),
            scope_condition(context, service.BOARD_VIEW, Notice.org_path),
        )
        today = local_today()
        if status == EXPIRED:
            statement = statement.where(Notice.status == PUBLISHED, Notice.expires_on < today)
        elif status == PUBLISHED:
            statement = statement.where(
                Notice.status == PUBLISHED, (Notice.expires_on.is_(None)) | (Notice.expires_on >= today)
            )
        elif status is not None:
            if status not in STORED_STATUSES:
                raise UserInputError("UNKNOWN_STATUS", f"未知的状态“{status}”。", "status")
            statement = statement.where(Notice.status == status)
        if category is not None:
            statement = statement.where(Notice.category == category)
        return paginate(
            context, statement, (Notice.org_path, Notice.id), first=first, after=after, last=last, before=before
        )


REPORTING_VIEW = "reporting.view"


# --- mutations ------------------------------------------------------------------------------


@strawberry.input(description="起草公告。公告由发布单位署名，正文不得含个人信息。")
class DraftNoticeInput:
    org_unit_id: strawberry.ID = strawberry.field(description="公开栏所属单位（社区、村或其他单位）。")
    title: str
    body: str
    category: str = strawberry.field(description="公开类别代码，见 noticeCategories。")
    publisher_label: str = strawberry.field(description="发布单位，如“文庙社区居民委员会”。")
    period_start: date | None = None
    period_end: date | None = None
    expires_on: date | None = strawberry.field(default=None, description="下架日期（含当日）；为空时直到撤回。")
    obligation_instance_id: strawberry.ID | None = strawberry.field(
        default=None, description="本公告公开后即履行的本单位报送事项（如半年财务公开），见 dueSoon。"
    )


@strawberry.input(description="修改草稿（被退回后修改，再提交审核）；未给出的项不变。")
class UpdateNoticeDraftInput:
    id: strawberry.ID
    title: str | None = None
    body: str | None = None
    expires_on: date | None = None


@strawberry.input(description="党组织退回公告，起草人修改后再提交。")
class RejectNoticeInput:
    id: strawberry.ID
    reason: str = strawberry.field(description="退回原因，起草人据此修改。")


@strawberry.input(description="对一条公告办理一步（提交审核、公开）。")
class NoticeActionInput:
    id: strawberry.ID


@strawberry.input(
    description="党组织审核公告：须经社区党组织委员会集体研究决定。启用党建模块的单位选择委员会议通过的决议（resolutionId）；"
    "未启用的填写作出决定的会议（meetingReference、meetingOn）。"
)
class ApproveNoticeInput:
    id: strawberry.ID
    resolution_id: strawberry.ID | None = strawberry.field(
        default=None, description="党组织委员会议通过的决议（MeetingResolution 的 ID），须到会人数达到规定。"
    )
    meeting_reference: str | None = strawberry.field(
        default=None, description="未启用党建模块时：作出决定的会议名称和议题。"
    )
    meeting_on: date | None = strawberry.field(default=None, description="未启用党建模块时：该会议的日期。")


@strawberry.input(description="撤回公告。")
class WithdrawNoticeInput:
    id: strawberry.ID
    reason: str = strawberry.field(description="撤回原因。")


@strawberry.type
class NoticePayload:
    notice: NoticeType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _notice(context: RequestContext, global_id: str) -> Notice:
    """A notice the caller may see (board.view; else NOT_FOUND, as for a
    missing one); the service checks the operation's permission."""
    notice: Notice = object_for(context, global_id, "Notice", None, field="id", what="公告")
    context.audit_subject("Notice", notice.id, notice.org_unit_id)
    return notice


@strawberry.type
class BoardMutation:
    @strawberry.mutation(description="起草公告：须在该单位拥有 board.draft 权限。")
    @atomic
    def draft_notice(self, info: strawberry.Info, input: DraftNoticeInput) -> NoticePayload:
        context: RequestContext = info.context
        unit = _unit(context, input.org_unit_id, "orgUnitId")
        context.audit_subject("Notice", None, unit.id)
        notice = service.draft_notice(
            context.session,
            context,
            org_unit=unit,
            title=input.title,
            body=input.body,
            category=input.category,
            publisher_label=input.publisher_label,
            period_start=input.period_start,
            period_end=input.period_end,
            expires_on=input.expires_on,
            obligation_instance_id=(
                None
                if input.obligation_instance_id is None
                else object_in_scope(
                    context,
                    input.obligation_instance_id,
                    ObligationInstance,
                    "ObligationInstance",
                    (service.BOARD_DRAFT, REPORTING_VIEW),
                    field="obligationInstanceId",
                    what="报送事项",
                ).id
            ),
            categories=_categories(info),
            registry=_permissions(context),
        )
        context.audit_subject("Notice", notice.id, unit.id, detail={"category": notice.category})
        return NoticePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(description="提交党组织审核：须有 board.draft 权限。")
    @atomic
    def submit_notice_for_approval(self, info: strawberry.Info, input: NoticeActionInput) -> NoticePayload:
        context: RequestContext = info.context
        notice = _notice(context, input.id)
        service.submit_for_approval(context.session, context, notice, registry=_permissions(context))
        return NoticePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(
        description="党组织审核通过（先党内后党外）：须有 board.approve 权限，审核人不能是起草人或提交人，"
        "并记录党组织委员会的集体决定。"
    )
    @atomic
    def approve_notice(self, info: strawberry.Info, input: ApproveNoticeInput) -> NoticePayload:
        context: RequestContext = info.context
        notice = _notice(context, input.id)
        service.approve(
            context.session,
            context,
            notice,
            host=host_of(context),
            resolution_id=input.resolution_id,
            meeting_reference=input.meeting_reference,
            meeting_on=input.meeting_on,
            registry=_permissions(context),
        )
        return NoticePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(
        description="党组织退回公告（回到草稿）：须有 board.approve 权限，退回人不能是起草人，须写明原因。"
    )
    @atomic
    def reject_notice(self, info: strawberry.Info, input: RejectNoticeInput) -> NoticePayload:
        context: RequestContext = info.context
        notice = _notice(context, input.id)
        service.reject(context.session, context, notice, reason=input.reason, registry=_permissions(context))
        return NoticePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(description="修改公告草稿：须有 board.draft 权限；只有草稿可以修改。")
    @atomic
    def update_notice_draft(self, info: strawberry.Info, input: UpdateNoticeDraftInput) -> NoticePayload:
        context: RequestContext = info.context
        notice = _notice(context, input.id)
        service.update_draft(
            context.session,
            context,
            notice,
            title=input.title,
            body=input.body,
            expires_on=input.expires_on,
            registry=_permissions(context),
        )
        return NoticePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(
        description="在公开栏公开已审核的公告：须有 board.publish 权限；公告关联报送事项的，同时完成该期报送。"
    )
    @atomic
    def publish_notice(self, info: strawberry.Info, input: NoticeActionInput) -> NoticePayload:
        context: RequestContext = info.context
        notice = _notice(context, input.id)
        service.publish(context.session, context, notice, host=host_of(context), registry=_permissions(context))
        return NoticePayload(notice=row_as(NoticeType, notice))

    @strawberry.mutation(description="撤回公告（待审核、已审核或已公开的）：须有 board.publish 权限；记录与原因保留。")
    @atomic
    def withdraw_notice(self, info: strawberry.Info, input: WithdrawNoticeInput) -> NoticePayload:
        context: RequestContext = info.context
        notice = _notice(context, input.id)
        service.withdraw(context.session, context, notice, reason=input.reason, registry=_permissions(context))
        return NoticePayload(notice=row_as(NoticeType, notice))
