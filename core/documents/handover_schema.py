"""GraphQL for archive handovers (档案交接)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

import strawberry
from sqlalchemy import select

from core.api.choices import required_code
from core.api.context import RequestContext
from core.api.errors import UserError
from core.api.ids import object_for, optional_object_for
from core.api.mutations import atomic
from core.api.relay import MAX_INTEGER_PK, Node, decode_pk_for_scope_check, model_type
from core.api.rows import row_as, rows_as
from core.auth.models import User
from core.auth.permissions import scope_condition
from core.documents import handover as service
from core.documents.archives import ARCHIVE_FILE, ARCHIVE_VIEW
from core.documents.books import catalogue_for
from core.documents.enums import ArchiveHandoverItemKind, ArchiveHandoverStatus
from core.documents.handover_models import (
    HANDOVER_STATUS_NAMES,
    ITEM_KINDS,
    ArchiveHandover,
)
from core.plugin_host import host_of
from core.policy.service import local_today


def load_handovers(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    wanted = [pk for pk in pks if 0 <= pk <= MAX_INTEGER_PK]
    if not wanted:
        return {}
    rows = context.session.scalars(
        select(ArchiveHandover).where(
            ArchiveHandover.id.in_(wanted), scope_condition(context, ARCHIVE_VIEW.code, ArchiveHandover.org_path)
        )
    )
    return {row.id: row for row in rows}


@strawberry.type(name="ArchiveHandoverItem", description="移交的一项：档案、登记簿、印章或其他。")
class HandoverItemType:
    kind: str = strawberry.field(
        description="archive_file（档案）、book（登记簿）、seal（印章）或 other。",
        deprecation_reason="改用 itemKind（枚举）。",
    )

    @strawberry.field(description="物品种类。")
    def item_kind(self) -> ArchiveHandoverItemKind:
        return ArchiveHandoverItemKind(self.kind)

    kind_name: str = strawberry.field(description="类别的中文名称。")
    code: str | None = strawberry.field(
        description="档案类别代码（见 documentClasses）或登记簿代码（见 archiveBooks）。"
    )
    title: str = strawberry.field(description="名称。")
    quantity: int = strawberry.field(description="数量（卷、册、枚）。")


def _name(context: RequestContext, user_id: int) -> str:
    user = context.session.get(User, user_id)
    return user.display_name if user else ""


@model_type(
    ArchiveHandover,
    name="ArchiveHandover",
    description="档案交接记录：移交人、接收人、日期、移交清单，双方确认。须有 documents.archive_view 权限。",
)
class ArchiveHandoverType(Node):
    handed_over_on: date = strawberry.field(description="交接日期。")
    note: str | None = strawberry.field(description="备注。")
    status: str = strawberry.field(
        description="pending（待双方确认）或 confirmed（已交接）。", deprecation_reason="改用 handoverStatus（枚举）。"
    )

    @strawberry.field(description="交接状态。")
    def handover_status(self) -> ArchiveHandoverStatus:
        return ArchiveHandoverStatus(self.status)

    from_confirmed_at: datetime | None = strawberry.field(description="移交人确认时间。")
    to_confirmed_at: datetime | None = strawberry.field(description="接收人确认时间。")

    @strawberry.field(description="状态的中文名称。")
    def status_name(self, root: ArchiveHandover) -> str:
        return HANDOVER_STATUS_NAMES[root.status]

    @strawberry.field(description="移交人姓名。")
    def from_name(self, root: ArchiveHandover, info: strawberry.Info) -> str:
        return _name(info.context, root.from_user_id)

    @strawberry.field(description="接收人姓名。")
    def to_name(self, root: ArchiveHandover, info: strawberry.Info) -> str:
        return _name(info.context, root.to_user_id)

    @strawberry.field(description="移交清单。")
    def items(self, root: ArchiveHandover) -> list[HandoverItemType]:
        return [
            HandoverItemType(
                kind=i["kind"],
                kind_name=ITEM_KINDS[i["kind"]],
                code=i.get("code"),
                title=i["title"],
                quantity=i["quantity"],
            )
            for i in root.items
        ]


@strawberry.input(description="移交的一项。")
class HandoverItemInput:
    kind: str | None = strawberry.field(
        default=None,
        description="archive_file（十档之一，code 为档案类别代码）、book（六簿之一，code 为登记簿代码）、seal（sealId）或 other。",
        deprecation_reason="改用 itemKind（枚举）。",
    )
    item_kind: ArchiveHandoverItemKind | None = strawberry.field(
        default=None,
        description="物品种类：ARCHIVE_FILE（十档之一，code 为档案类别代码）、BOOK（六簿之一，code 为登记簿代码）、SEAL（sealId）或 OTHER。",
    )
    title: str | None = strawberry.field(default=None, description="名称；档案、登记簿和印章可不填，取其名称。")
    quantity: int = strawberry.field(default=1, description="数量（卷、册、枚）。")
    code: str | None = strawberry.field(
        default=None, description="档案类别代码（见 documentClasses）或登记簿代码（见 archiveBooks）。"
    )
    seal_id: strawberry.ID | None = None


@strawberry.input(description="档案交接：管理人员变动时，移交人向接收人移交档案、登记簿和印章。")
class RecordArchiveHandoverInput:
    org_unit_id: strawberry.ID
    from_user_id: strawberry.ID = strawberry.field(description="移交人账号：须能查看该单位档案。")
    to_user_id: strawberry.ID = strawberry.field(description="接收人账号：须能查看该单位档案。")
    handed_over_on: date
    items: list[HandoverItemInput]
    note: str | None = None


@strawberry.input
class ConfirmArchiveHandoverInput:
    id: strawberry.ID


@strawberry.type
class ArchiveHandoverPayload:
    handover: ArchiveHandoverType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HandoverQuery:
    @strawberry.field(description="一个单位的档案交接记录，最近的在前（须在该单位有 documents.archive_view 权限）。")
    def archive_handovers(self, info: strawberry.Info, org_unit_id: strawberry.ID) -> list[ArchiveHandoverType]:
        context: RequestContext = info.context
        unit = object_for(context, org_unit_id, "OrgUnit", ARCHIVE_VIEW.code, field="orgUnitId")
        rows = context.session.scalars(
            select(ArchiveHandover)
            .where(ArchiveHandover.org_unit_id == unit.id)
            .order_by(ArchiveHandover.handed_over_on.desc(), ArchiveHandover.id.desc())
        )
        return rows_as(ArchiveHandoverType, list(rows))


@strawberry.type
class HandoverMutation:
    @strawberry.mutation(description="登记档案交接（须有 documents.archive_file 权限）；双方各自确认后完成。")
    @atomic
    def record_archive_handover(
        self, info: strawberry.Info, input: RecordArchiveHandoverInput
    ) -> ArchiveHandoverPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", ARCHIVE_FILE.code, field="orgUnitId")
        # Custodians are checked by the service (each must read the unit's
        # archive); any other account answers alike, revealing nothing.
        giver = decode_pk_for_scope_check(input.from_user_id, "User", field="fromUserId")
        taker = decode_pk_for_scope_check(input.to_user_id, "User", field="toUserId")
        items = []
        for index, item in enumerate(input.items):
            seal = optional_object_for(context, item.seal_id, "Seal", None, field=f"items.{index}.sealId", what="印章")
            items.append(
                service.HandoverItem(
                    kind=required_code(
                        item.kind, item.item_kind, legacy_field=f"items.{index}.kind", field=f"items.{index}.itemKind"
                    ),
                    title=item.title or "",
                    quantity=item.quantity,
                    code=item.code,
                    seal_id=seal.id if seal else None,
                )
            )
        context.audit_subject("ArchiveHandover", None, unit.id)
        handover = service.record_handover(
            context.session,
            context,
            unit,
            from_user_id=giver,
            to_user_id=taker,
            handed_over_on=input.handed_over_on,
            items=items,
            note=input.note,
            books=catalogue_for(host_of(context)),
            today=local_today(),
        )
        context.audit_subject("ArchiveHandover", handover.id, unit.id)
        return ArchiveHandoverPayload(handover=row_as(ArchiveHandoverType, handover))

    @strawberry.mutation(description="移交人或接收人本人确认交接；双方都确认后交接完成。")
    @atomic
    def confirm_archive_handover(
        self, info: strawberry.Info, input: ConfirmArchiveHandoverInput
    ) -> ArchiveHandoverPayload:
        context: RequestContext = info.context
        handover = object_for(context, input.id, "ArchiveHandover", None, field="id", lock=True, what="交接记录")
        service.confirm_handover(context.session, context, handover)
        return ArchiveHandoverPayload(handover=handover)
