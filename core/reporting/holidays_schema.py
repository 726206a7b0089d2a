"""GraphQL for the holiday table (节假日和调休) that moves deadlines.

Reading needs only a sign-in: holidays are public facts. A row for the
whole deployment needs ``reporting.manage_holidays`` at the root; a row
for one subtree (a local holiday, a locality's own make-up day) needs it at
that unit. Rows already used by materialized deadlines do not move them.
"""

from __future__ import annotations

from datetime import date

import strawberry

from core.api.context import RequestContext
from core.api.errors import NotFoundError, UserError, UserInputError
from core.api.mutations import atomic
from core.api.relay import decode_pk, encode_global_id
from core.auth.permissions import (
    registry_for_context,
    require,
    require_at_root,
    require_signed_in,
)
from core.org import service as org_service
from core.reporting.calendar import add_holiday, holidays_applying
from core.reporting.models import Holiday

MANAGE_HOLIDAYS = "reporting.manage_holidays"
MIN_YEAR, MAX_YEAR = 2000, 2100


@strawberry.type(name="Holiday", description="节假日（截止日遇到时按本地策略移动）或调休上班日。")
class HolidayType:
    id: strawberry.ID
    day: date
    name: str = strawberry.field(description="名称，如“国庆节”“国庆调休上班”。")
    is_workday: bool = strawberry.field(description="是否为调休上班日（周末上班）。")
    org_unit_id: strawberry.ID | None = strawberry.field(description="只适用于该单位及其下级；为空时全部适用。")

    @staticmethod
    def of(row: Holiday) -> HolidayType:
        return HolidayType(
            id=strawberry.ID(encode_global_id("Holiday", row.id)),
            day=row.day,
            name=row.name,
            is_workday=row.is_workday,
            org_unit_id=strawberry.ID(encode_global_id("OrgUnit", row.org_unit_id)) if row.org_unit_id else None,
        )


@strawberry.type
class HolidayQuery:
    @strawberry.field(description="某年的节假日和调休上班日；给出 orgUnitId 时包括适用于该单位的地方节假日。须登录。")
    def holidays(self, info: strawberry.Info, year: int, org_unit_id: strawberry.ID | None = None) -> list[HolidayType]:
        context: RequestContext = info.context
        require_signed_in(context)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise UserInputError("INVALID_VALUE", f"年份须在 {MIN_YEAR} 到 {MAX_YEAR} 之间。", "year")
        path = None
        if org_unit_id is not None:
            path = org_service.get_unit(context.session, decode_pk(org_unit_id, "OrgUnit", field="orgUnitId")).path
        rows = holidays_applying(context.session, date(year, 1, 1), date(year, 12, 31), path)
        return [HolidayType.of(row) for row in rows]


@strawberry.input(description="登记一个节假日或调休上班日。")
class AddHolidayInput:
    day: date
    name: str
    is_workday: bool = strawberry.field(default=False, description="调休上班日（周末上班）时为 true。")
    org_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="只适用于该单位及其下级；为空时全部适用（须在根单位有权限）。"
    )


@strawberry.input(description="删除一条节假日记录。")
class RemoveHolidayInput:
    id: strawberry.ID


@strawberry.type
class HolidayPayload:
    holiday: HolidayType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class HolidayMutation:
    @strawberry.mutation(
        description="登记节假日或调休上班日：须有 reporting.manage_holidays 权限（全局记录须在根单位）；已生成的截止日不变。"
    )
    @atomic
    def add_holiday(self, info: strawberry.Info, input: AddHolidayInput) -> HolidayPayload:
        context: RequestContext = info.context
        registry = registry_for_context(context)
        unit = None
        if input.org_unit_id is not None:
            unit = org_service.get_unit(context.session, decode_pk(input.org_unit_id, "OrgUnit", field="orgUnitId"))
            context.audit_subject("Holiday", None, unit.id)
            require(context, MANAGE_HOLIDAYS, unit, registry=registry)
        else:
            context.audit_subject("Holiday", None, None)
            require_at_root(context, MANAGE_HOLIDAYS, registry=registry)
        row = add_holiday(context.session, input.day, input.name, is_workday=input.is_workday, org_unit=unit)
        context.audit_subject("Holiday", row.id, row.org_unit_id, detail={"day": row.day.isoformat(), "name": row.name})
        return HolidayPayload(holiday=HolidayType.of(row))

    @strawberry.mutation(description="删除一条节假日记录：权限同登记；已生成的截止日不变。")
    @atomic
    def remove_holiday(self, info: strawberry.Info, input: RemoveHolidayInput) -> HolidayPayload:
        context: RequestContext = info.context
        row = context.session.get(Holiday, decode_pk(input.id, "Holiday", field="id"))
        if row is None:
            raise NotFoundError("节假日记录", "id")
        context.audit_subject("Holiday", row.id, row.org_unit_id, detail={"day": row.day.isoformat(), "name": row.name})
        registry = registry_for_context(context)
        if row.org_path is not None:
            require(context, MANAGE_HOLIDAYS, row.org_path, registry=registry)
        else:
            require_at_root(context, MANAGE_HOLIDAYS, registry=registry)
        removed = HolidayType.of(row)
        context.session.delete(row)
        context.session.flush()
        return HolidayPayload(holiday=removed)
