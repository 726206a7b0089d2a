"""GraphQL: the entries of the caller's units, and adding one.

Listing needs ``{{ cookiecutter.plugin_name }}.view`` and shows only entries of
units where the caller holds it (filtered in SQL by the unit's path); adding
needs ``{{ cookiecutter.plugin_name }}.edit`` at the unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import strawberry
from sqlalchemy import Select, select

from core.plugin_api import (
    Connection,
    ErrorDetail,
    Node,
    OrgUnit,
    OrgUnitType,
    RequestContext,
    UserError,
    UserInputError,
    atomic,
    audit_subject,
    model_type,
    object_for,
    paginate,
    registry_for_context,
    related,
    require_somewhere,
    scope_condition,
)
from {{ cookiecutter.package }}.declarations import EDIT, VIEW
from {{ cookiecutter.package }}.models import TITLE_LENGTH, Entry


def visible_entries(who: Any) -> Select[tuple[Entry]]:
    return select(Entry).join(OrgUnit, OrgUnit.id == Entry.org_unit_id).where(scope_condition(who, VIEW.code, OrgUnit.path))


def load_entries(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)``: only the entries the caller may see."""
    rows = context.session.scalars(visible_entries(context).where(Entry.id.in_(list(pks))))
    return {row.id: row for row in rows}


@model_type(Entry, name="{{ cookiecutter.type_prefix }}Entry", description="{{ cookiecutter.title }}的一条记录。")
class EntryType(Node):
    title: str = strawberry.field(description="标题。")

    @strawberry.field(description="所属组织单位。")
    def org_unit(self, info: strawberry.Info) -> OrgUnitType:
        return cast(OrgUnitType, related(info.context, self, "org_unit_id", OrgUnit))


@strawberry.type
class Query:
    @strawberry.field(description="{{ cookiecutter.title }}：权限范围内单位的记录，按登记先后分页。")
    def {{ cookiecutter.plugin_name }}_entries(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> Connection[EntryType]:
        context: RequestContext = info.context
        require_somewhere(context, VIEW.code, registry=registry_for_context(context))
        return paginate(context, visible_entries(context), (Entry.id,), first=first, after=after)


@strawberry.input(description="登记一条{{ cookiecutter.title }}。")
class AddEntryInput:
    org_unit_id: strawberry.ID = strawberry.field(description="所属组织单位。")
    title: str = strawberry.field(description="标题。")


@strawberry.type
class AddEntryPayload:
    entry: EntryType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="登记一条{{ cookiecutter.title }}：需要在该单位拥有 {{ cookiecutter.plugin_name }}.edit 权限。")
    @atomic
    def add_{{ cookiecutter.plugin_name }}_entry(self, info: strawberry.Info, input: AddEntryInput) -> AddEntryPayload:
        context: RequestContext = info.context
        unit = object_for(context, input.org_unit_id, "OrgUnit", EDIT.code, field="orgUnitId")
        title = input.title.strip()
        if not title:
            raise UserInputError(errors=[ErrorDetail("TITLE_REQUIRED", "请填写标题。", "title")])
        if len(title) > TITLE_LENGTH:
            raise UserInputError(errors=[ErrorDetail("TITLE_TOO_LONG", f"标题不能超过 {TITLE_LENGTH} 个字。", "title")])
        entry = Entry(org_unit_id=unit.id, title=title)
        context.session.add(entry)
        context.session.flush()
        audit_subject(context, "{{ cookiecutter.type_prefix }}Entry", entry.id, unit.id)
        return AddEntryPayload(entry=cast(EntryType, entry))
