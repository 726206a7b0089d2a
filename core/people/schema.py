"""GraphQL for the people registry: residents, households, members, places
and resident categories.

Who sees what
    Every list is filtered in SQL to the caller's ``people.view`` scope
    within ``under`` (``service.under_unit_within``: one index range per
    granted subtree, intersected with the unit's) before it is paged, so a
    page never holds rows the caller may not see and cursors stay correct.
    ``node(id:)`` uses ``scope_condition(info.context, "people.view",
    <row>.org_path)`` and answers null outside the caller's scope; a related object (a resident's household, a place's
    owner) outside the scope is null too. Not signed in: lists and
    ``residentCategories`` raise FORBIDDEN, mutations return
    ``userErrors`` FORBIDDEN.

Residents' own household
    A caller holding ``people.view_own`` whose account is linked to a
    resident also sees, wherever they lack ``people.view``, the current
    members of their own household, that household and its current
    memberships (``service.own_residents`` …, OR-ed into the same SQL
    filters; former members stay hidden) — or only themself when they have
    no household. Places are not shown that way. Sensitive fields stay
    masked; ``revealSensitiveField`` shows them their own ID number and
    phone number (``core.people.sensitive``), no one else's.

Sensitive data
    ``idNumber`` and ``phone`` are always masked (``core.people.sensitive``);
    the clear value comes from ``revealSensitiveField``. Sensitive resident
    categories (``CategoryDeclaration.sensitive``) are shown only where the
    caller holds ``people.view_sensitive``, and filtering a list by one
    narrows the list to that scope.

Batching
    Nested objects of a page (org unit, household, place, members,
    categories) are loaded for the whole page at once: a page of residents
    with their org units and households is three statements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

import strawberry
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import object_session

from core.api.choices import optional_code, required_code
from core.api.context import RequestContext
from core.api.errors import NotFoundError, UserError, UserInputError
from core.api.ids import object_for
from core.api.loaders import children, related
from core.api.mutations import atomic
from core.api.relay import Connection, Node, NodeLoader, decode_pk, integer_bound, lean_row_class, model_type, paginate
from core.api.rows import required_row_as, row_as
from core.auth.permissions import (
    can,
    principal_of,
    registry_for_context,
    require,
    require_signed_in,
    scope_condition,
)
from core.org.models import OrgUnit
from core.org.schema import OrgUnitType
from core.people import service
from core.people.categories import CategoryDeclaration, categories_for_context
from core.people.enums import HouseholdKind, PlaceKind, ResidenceType, Sex
from core.people.models import (
    HOUSEHOLD_TYPES,
    PLACE_KINDS,
    RESIDENCE_TYPES,
    Household,
    HouseholdMember,
    Place,
    Resident,
    ResidentCategory,
)
from core.people.relationships import RELATIONSHIPS, relationship_name
from core.people.sensitive import RESIDENT_ID_NUMBER, RESIDENT_PHONE
from core.privacy.schema import forbidden_as_user_error

PEOPLE_VIEW = "people.view"
PEOPLE_MANAGE = "people.manage"
PEOPLE_VIEW_SENSITIVE = "people.view_sensitive"
MAX_AGE = 150


# --- scope --------------------------------------------------------------------------


_OWN_HOUSEHOLD = "people.own_household"


def _own_household(context: RequestContext) -> tuple[int, int | None] | None:
    """(the caller's own resident id, that resident's current household id
    or None), read once per request; None for a caller who may not see
    their own household (``service.own_resident_id``)."""
    resident_id = service.own_resident_id(context)
    if resident_id is None:
        return None
    if _OWN_HOUSEHOLD not in context.cache:
        context.cache[_OWN_HOUSEHOLD] = context.session.scalar(
            select(Resident.household_id).where(Resident.id == resident_id)
        )
    return resident_id, context.cache[_OWN_HOUSEHOLD]


def _is_own(context: RequestContext, row: Any) -> bool:
    """Whether ``row`` belongs to the caller's own household: the caller
    themself, a current member, the household, a current membership."""
    own = _own_household(context)
    if own is None:
        return False
    resident_id, household_id = own
    # ORM object or a lean list row (a named tuple with the same attribute names)
    is_resident = isinstance(row, (Resident, lean_row_class(Resident)))
    if is_resident:
        return row.id == resident_id or (household_id is not None and row.household_id == household_id)
    if household_id is None:
        return False
    if isinstance(row, Household):
        return row.id == household_id
    if isinstance(row, HouseholdMember):
        return row.household_id == household_id and row.left_on is None
    return False


def may_see(context: RequestContext, row: Any) -> bool:
    """Whether the caller may see ``row`` (a resident, household or place):
    within their ``people.view`` scope, or part of their own household."""
    return row is not None and (can(context, PEOPLE_VIEW, row.org_path) or _is_own(context, row))


VisibleRow = TypeVar("VisibleRow", Resident, Household, Place)


def _visible(context: RequestContext, row: VisibleRow | None) -> VisibleRow | None:
    """``row`` (a resident, household or place) if the caller may see it, else None."""
    return row if may_see(context, row) else None


def _visible_members(context: RequestContext, household: Any, members: list[Any]) -> list[Any]:
    """The members of a visible household the caller may see: all of them
    within the ``people.view`` scope; else (their own household) the current ones."""
    if can(context, PEOPLE_VIEW, household.org_path):
        return members
    return [member for member in members if _is_own(context, member)]


def _or_own(condition: ColumnElement[bool], own: ColumnElement[bool], context: RequestContext) -> ColumnElement[bool]:
    """``condition OR own``; just ``condition`` for a caller who has no own household to see."""
    return or_(condition, own) if service.own_resident_id(context) is not None else condition


def _require(context: RequestContext, code: str, path: str, field: str | None) -> None:
    """``require`` for a mutation: a refusal becomes ``userErrors`` FORBIDDEN."""
    with forbidden_as_user_error(field):
        require(context, code, path, registry=registry_for_context(context))


def _scoped_loader(model: Any, own: Callable[[Any], ColumnElement[bool]] | None = None) -> NodeLoader:
    """``node(id:)`` for a placed model: only rows within the caller's
    ``people.view`` scope, or (``own``) part of their own household."""
    max_pk = integer_bound(model.id.type)

    def load(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
        wanted = [pk for pk in pks if 0 <= pk <= max_pk]
        if not wanted or principal_of(context) is None:
            return {}
        condition = scope_condition(context, PEOPLE_VIEW, model.org_path)
        if own is not None:
            condition = _or_own(condition, own(context), context)
        rows = context.session.scalars(select(model).where(model.id.in_(wanted), condition))
        return {row.id: row for row in rows}

    return load


load_residents = _scoped_loader(Resident, service.own_residents)
load_households = _scoped_loader(Household, service.own_households)
load_places = _scoped_loader(Place)


def load_members(context: RequestContext, pks: Sequence[int]) -> Mapping[int, object]:
    """``node(id:)`` for household members: within the scope of their
    household, or current members of the caller's own household."""
    max_pk = integer_bound(HouseholdMember.id.type)
    wanted = [pk for pk in pks if 0 <= pk <= max_pk]
    if not wanted or principal_of(context) is None:
        return {}
    condition = _or_own(
        scope_condition(context, PEOPLE_VIEW, Household.org_path), service.own_memberships(context), context
    )
    rows = context.session.scalars(
        select(HouseholdMember)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(HouseholdMember.id.in_(wanted), condition)
    )
    return {row.id: row for row in rows}


def member_paths(member: HouseholdMember) -> tuple[str, ...]:
    """A household member belongs where the household is registered."""
    session = object_session(member)
    assert session is not None
    household = session.get(Household, member.household_id)
    return (household.org_path,) if household is not None else ()


# --- page-wide batches of child rows -------------------------------------------------


def _page_batch(
    context: RequestContext, row: Any, name: str, load: Callable[[list[int]], Mapping[int, list[Any]]]
) -> list[Any]:
    return children(context, row, f"people.{name}", load)


def _grouped(rows: Any, key: str) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(getattr(row, key), []).append(row)
    return grouped


def _current_memberships(context: RequestContext) -> Callable[[list[int]], Mapping[int, list[Any]]]:
    def load(resident_ids: list[int]) -> Mapping[int, list[Any]]:
        rows = context.session.scalars(
            select(HouseholdMember)
            .where(HouseholdMember.resident_id.in_(resident_ids), HouseholdMember.left_on.is_(None))
            .order_by(HouseholdMember.id)
        )
        return _grouped(rows, "resident_id")

    return load


def _members(context: RequestContext, include_former: bool) -> Callable[[list[int]], Mapping[int, list[Any]]]:
    def load(household_ids: list[int]) -> Mapping[int, list[Any]]:
        return service.household_members(context.session, household_ids, current_only=not include_former)

    return load


def _categories(context: RequestContext, include_ended: bool) -> Callable[[list[int]], Mapping[int, list[Any]]]:
    def load(resident_ids: list[int]) -> Mapping[int, list[Any]]:
        statement = select(ResidentCategory).where(ResidentCategory.resident_id.in_(resident_ids))
        if not include_ended:
            statement = statement.where(or_(ResidentCategory.until.is_(None), ResidentCategory.until >= date.today()))
        return _grouped(context.session.scalars(statement.order_by(ResidentCategory.id)), "resident_id")

    return load


def _households_at(context: RequestContext) -> Callable[[list[int]], Mapping[int, list[Any]]]:
    def load(place_ids: list[int]) -> Mapping[int, list[Any]]:
        rows = context.session.scalars(
            select(Household)
            .where(Household.place_id.in_(place_ids), scope_condition(context, PEOPLE_VIEW, Household.org_path))
            .order_by(Household.id)
        )
        return _grouped(rows, "place_id")

    return load


# --- categories ----------------------------------------------------------------------


def _declaration(context: RequestContext, code: str) -> CategoryDeclaration:
    """The declaration of a category code; a code no enabled module declares
    (its plugin was disabled) is shown by its code and treated as sensitive."""
    found = categories_for_context(context).get(code)
    return found or CategoryDeclaration(code, code, sensitive=True, plugin="unknown")


def _may_see_category(context: RequestContext, declaration: CategoryDeclaration, org_path: str) -> bool:
    return not declaration.sensitive or can(context, PEOPLE_VIEW_SENSITIVE, org_path)


@strawberry.type(
    name="ResidentCategory", description="居民类别（低保对象、残疾人、社区矫正人员……），由核心或插件声明。"
)
class ResidentCategoryType:
    code: str = strawberry.field(description="类别代码；插件的类别以插件名开头，如 elderly.living_alone。")
    name: str = strawberry.field(description="中文名称。")
    sensitive: bool = strawberry.field(description="是否为敏感类别：只有拥有“查看敏感人群标记”权限的人能看到。")
    plugin: str = strawberry.field(description="声明此类别的模块：core 或插件名称。")

    @classmethod
    def of(cls, declaration: CategoryDeclaration) -> ResidentCategoryType:
        return cls(
            code=declaration.code, name=declaration.name, sensitive=declaration.sensitive, plugin=declaration.plugin
        )


@strawberry.type(name="HouseholdRelationship", description="与户主关系（GB/T 4761-2008《家庭关系代码》）。")
class HouseholdRelationshipType:
    code: str = strawberry.field(description="两位数字代码，如 02 户主、10 配偶、20 子。")
    name: str = strawberry.field(description="中文名称。")


@model_type(ResidentCategory, name="ResidentCategoryAssignment", description="居民属于某个类别：从何时起、到何时止。")
class ResidentCategoryAssignmentType:
    since: date | None = strawberry.field(description="起始日期。")
    until: date | None = strawberry.field(description="结束日期；仍属于此类别时为空。")
    note: str | None = strawberry.field(description="备注。")

    @strawberry.field(description="类别。")
    def category(self, root: ResidentCategory, info: strawberry.Info) -> ResidentCategoryType:
        return ResidentCategoryType.of(_declaration(info.context, root.category))


# --- types ---------------------------------------------------------------------------


@model_type(Resident, name="Resident", description="居民（实有人口）：户籍人口或流动人口。身份证号和电话号码脱敏显示。")
class ResidentType(Node):
    name: str = strawberry.field(description="姓名。")
    sex: str | None = strawberry.field(
        description="性别：male 或 female；有身份证号时由其得出。", deprecation_reason="改用 gender（枚举）。"
    )

    @strawberry.field(description="性别；有身份证号时由其得出。")
    def gender(self) -> Sex | None:
        return None if self.sex is None else Sex(self.sex)

    birth_date: date | None = strawberry.field(description="出生日期；有身份证号时由其得出。")
    ethnicity: str | None = strawberry.field(description="民族。")
    residence_type: str = strawberry.field(
        description="人口类型：registered（户籍）或 floating（流动）。",
        deprecation_reason="改用 populationType（枚举）。",
    )

    @strawberry.field(description="人口类型。")
    def population_type(self) -> ResidenceType:
        return ResidenceType(self.residence_type)

    moved_in_on: date | None = strawberry.field(description="迁入（来本地）日期。")
    moved_out_on: date | None = strawberry.field(description="迁出日期；仍在本地时为空。")
    created_at: datetime = strawberry.field(description="登记时间。")

    @strawberry.field(description="身份证号（脱敏，如 370202********1234）。完整号码用 revealSensitiveField 查看。")
    def id_number(self, root: Resident) -> str | None:
        return RESIDENT_ID_NUMBER.masked(root.id_number)

    @strawberry.field(description="电话号码（脱敏，如 138****8000）。完整号码用 revealSensitiveField 查看。")
    def phone(self, root: Resident) -> str | None:
        return RESIDENT_PHONE.masked(root.phone)

    @strawberry.field(description="今天的周岁年龄；出生日期不详时为空。")
    def age(self) -> int | None:
        birth: date | None = self.birth_date
        return service.age_on(birth, date.today()) if birth else None

    @strawberry.field(description="居住地所在的组织单位（网格、楼栋……）。")
    def org_unit(self, root: Resident, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="当前所在的户；不在查看范围内时为空。")
    def household(self, root: Resident, info: strawberry.Info) -> HouseholdType | None:
        return row_as(HouseholdType, _visible(info.context, related(info.context, root, "household_id", Household)))

    @strawberry.field(description="居住的房屋或场所；不在查看范围内时为空。")
    def place(self, root: Resident, info: strawberry.Info) -> PlaceType | None:
        return row_as(PlaceType, _visible(info.context, related(info.context, root, "place_id", Place)))

    @strawberry.field(description="在当前所在户中的成员身份（与户主关系，GB/T 4761）。")
    def membership(self, info: strawberry.Info) -> HouseholdMemberType | None:
        found = _page_batch(info.context, self, "memberships", _current_memberships(info.context))
        return found[0] if found else None

    @strawberry.field(description="所属类别；敏感类别只在有“查看敏感人群标记”权限时列出。")
    def categories(
        self, root: Resident, info: strawberry.Info, include_ended: bool = False
    ) -> list[ResidentCategoryAssignmentType]:
        context: RequestContext = info.context
        rows = _page_batch(context, root, f"categories.{include_ended}", _categories(context, include_ended))
        path = root.org_path
        return [row for row in rows if _may_see_category(context, _declaration(context, row.category), path)]


@model_type(
    HouseholdMember, name="HouseholdMember", description="户成员：某居民在某户中，及其与户主的关系（GB/T 4761）。"
)
class HouseholdMemberType(Node):
    relationship_code: str = strawberry.field(
        description="与户主关系代码（GB/T 4761-2008，见 householdRelationships），如 02 户主、12 妻、20 子。"
    )
    is_head: bool = strawberry.field(description="是否为户主。")
    joined_on: date | None = strawberry.field(description="入户日期。")
    left_on: date | None = strawberry.field(description="离户日期；仍在户中时为空。")

    @strawberry.field(description="与户主关系的名称，如 户主、妻、子。")
    def relationship_name(self) -> str:
        return relationship_name(self.relationship_code)

    @strawberry.field(description="成员本人；不在查看范围内时为空。")
    def resident(self, root: HouseholdMember, info: strawberry.Info) -> ResidentType | None:
        return row_as(ResidentType, _visible(info.context, related(info.context, root, "resident_id", Resident)))

    @strawberry.field(description="所在的户；不在查看范围内时为空。")
    def household(self, root: HouseholdMember, info: strawberry.Info) -> HouseholdType | None:
        return row_as(HouseholdType, _visible(info.context, related(info.context, root, "household_id", Household)))


@model_type(Household, name="Household", description="户：户籍户或流动人口的住户。")
class HouseholdType(Node):
    household_number: str | None = strawberry.field(description="户号。")
    household_type: str = strawberry.field(
        description="户别：family（家庭户）或 collective（集体户）。", deprecation_reason="改用 householdKind（枚举）。"
    )

    @strawberry.field(description="户别。")
    def household_kind(self) -> HouseholdKind:
        return HouseholdKind(self.household_type)

    residence_type: str = strawberry.field(
        description="registered（户籍）或 floating（流动）。", deprecation_reason="改用 populationType（枚举）。"
    )

    @strawberry.field(description="人口类型。")
    def population_type(self) -> ResidenceType:
        return ResidenceType(self.residence_type)

    address: str | None = strawberry.field(description="住址。")
    created_at: datetime = strawberry.field(description="登记时间。")

    @strawberry.field(description="所在的组织单位。")
    def org_unit(self, root: Household, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="所住的房屋；不在查看范围内时为空。")
    def place(self, root: Household, info: strawberry.Info) -> PlaceType | None:
        return row_as(PlaceType, _visible(info.context, related(info.context, root, "place_id", Place)))

    @strawberry.field(
        description="户成员，按入户顺序；includeFormer 为真时包括已离户的（居民查看本户时只有当前成员）。"
    )
    def members(self, info: strawberry.Info, include_former: bool = False) -> list[HouseholdMemberType]:
        found = _page_batch(info.context, self, f"members.{include_former}", _members(info.context, include_former))
        return _visible_members(info.context, self, found)

    @strawberry.field(description="户主；尚未登记户主时为空。")
    def head(self, root: Household, info: strawberry.Info) -> ResidentType | None:
        members = _page_batch(info.context, root, "members.False", _members(info.context, False))
        head = next((m for m in members if m.is_head), None)
        return row_as(
            ResidentType, _visible(info.context, related(info.context, head, "resident_id", Resident)) if head else None
        )


@model_type(Place, name="Place", description="房屋或场所：楼栋、房间、出租房屋、商铺等。")
class PlaceType(Node):
    kind: str = strawberry.field(
        description="类型：building、room、rental_housing、shop、other。", deprecation_reason="改用 placeKind（枚举）。"
    )

    @strawberry.field(description="场所类型。")
    def place_kind(self) -> PlaceKind:
        return PlaceKind(self.kind)

    name: str = strawberry.field(description="名称，如 12号楼1单元502室。")
    address: str | None = strawberry.field(description="地址。")
    is_rental: bool = strawberry.field(description="是否为出租房屋。")
    created_at: datetime = strawberry.field(description="登记时间。")

    @strawberry.field(description="所在的组织单位。")
    def org_unit(self, root: Place, info: strawberry.Info) -> OrgUnitType:
        return required_row_as(OrgUnitType, related(info.context, root, "org_unit_id", OrgUnit))

    @strawberry.field(description="所属的上级场所（如房间所在的楼栋）；不在查看范围内时为空。")
    def parent_place(self, root: Place, info: strawberry.Info) -> PlaceType | None:
        return row_as(PlaceType, _visible(info.context, related(info.context, root, "parent_place_id", Place)))

    @strawberry.field(description="房主（出租房屋的出租人）；不在查看范围内时为空。")
    def owner(self, root: Place, info: strawberry.Info) -> ResidentType | None:
        return row_as(ResidentType, _visible(info.context, related(info.context, root, "owner_resident_id", Resident)))

    @strawberry.field(description="住在这里的户（在查看范围内的）。")
    def households(self, info: strawberry.Info) -> list[HouseholdType]:
        return _page_batch(info.context, self, "households", _households_at(info.context))


# --- queries -------------------------------------------------------------------------


def _check_choice(value: str | None, allowed: Sequence[str], field: str) -> None:
    if value is not None and value not in allowed:
        raise UserInputError("INVALID_VALUE", f"只能是：{'、'.join(allowed)}。", field)


def _unit_exists_or_raise(context: RequestContext, connection: Connection[Any], unit_id: int) -> Connection[Any]:
    """An empty page may mean a wrong ``under``: say so (one query, empty pages only)."""
    if not connection.edges and context.session.get(OrgUnit, unit_id) is None:
        raise NotFoundError("组织单位", "under")
    return connection


@strawberry.type
class PeopleQuery:
    @strawberry.field(
        description="某单位（含全部下级）的居民，按单位和登记顺序分页；只列出本人“查看居民”权限范围内的"
        "（居民本人：本户的当前成员）。"
        "可按类别、年龄段、户、人口类型筛选；默认不含已迁出的。需要登录。"
    )
    def residents(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        category: Annotated[
            str | None, strawberry.argument(description="只列属于此类别的居民（类别代码，见 residentCategories）。")
        ] = None,
        age_min: int | None = None,
        age_max: int | None = None,
        household_id: strawberry.ID | None = None,
        residence_type: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 populationType（枚举）。")
        ] = None,
        population_type: Annotated[
            ResidenceType | None, strawberry.argument(description="只列此人口类型的居民。")
        ] = None,
        include_moved_out: bool = False,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ResidentType]:
        residence_type = optional_code(
            residence_type, population_type, legacy_field="residenceType", field="populationType"
        )
        context: RequestContext = info.context
        require_signed_in(context)
        unit_id = decode_pk(under, "OrgUnit", field="under")
        for name, value in (("ageMin", age_min), ("ageMax", age_max)):
            if value is not None and not 0 <= value <= MAX_AGE:
                raise UserInputError("INVALID_VALUE", f"年龄须在 0 到 {MAX_AGE} 之间。", name)
        if age_min is not None and age_max is not None and age_min > age_max:
            raise UserInputError("INVALID_VALUE", "最小年龄不能大于最大年龄。", "ageMax")
        _check_choice(residence_type, RESIDENCE_TYPES, "residenceType")
        declaration = None
        if category is not None:
            declaration = categories_for_context(context).get(category)
            if declaration is None:
                raise UserInputError("UNKNOWN_CATEGORY", f"没有代码为“{category}”的居民类别。", "category")
        sensitive = declaration is not None and declaration.sensitive
        # Membership of a sensitive category is itself sensitive: such a list
        # is narrowed to where the caller may also see those (their own
        # household gives no such right).
        scope = (PEOPLE_VIEW, PEOPLE_VIEW_SENSITIVE) if sensitive else (PEOPLE_VIEW,)
        paths = service.scope_paths(context, *scope)
        own_id = None if sensitive else service.own_resident_id(context)
        household_pk = decode_pk(household_id, "Household", field="householdId") if household_id is not None else None
        today = date.today() if age_min is not None or age_max is not None else None

        def build() -> Select[Any]:
            visible = service.under_unit_within(paths, Resident.org_path, unit_id)
            if own_id is not None:
                visible = or_(
                    visible, and_(service.under_unit(Resident.org_path, unit_id), service.own_residents(context))
                )
            return service.residents_statement(
                category=category,
                age_min=age_min,
                age_max=age_max,
                household_id=household_pk,
                residence_type=residence_type,
                include_moved_out=include_moved_out,
                on=today,
            ).where(visible)

        # Everything the statement depends on: the same key, the same statement.
        key = (
            "residents",
            unit_id,
            paths,
            own_id,
            category,
            age_min,
            age_max,
            household_pk,
            residence_type,
            include_moved_out,
            today,
        )
        connection = paginate(
            context,
            build,
            (Resident.org_path, Resident.id),
            first=first,
            after=after,
            last=last,
            before=before,
            lean=Resident,
            memo_key=key,
        )
        return _unit_exists_or_raise(context, connection, unit_id)

    @strawberry.field(
        description="某单位（含全部下级）的户，按单位和登记顺序分页；只列出查看权限范围内的（居民本人：本户）。需要登录。"
    )
    def households(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        residence_type: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 populationType（枚举）。")
        ] = None,
        population_type: Annotated[
            ResidenceType | None, strawberry.argument(description="只列此人口类型的住户。")
        ] = None,
        household_type: Annotated[
            str | None, strawberry.argument(deprecation_reason="改用 householdKind（枚举）。")
        ] = None,
        household_kind: Annotated[HouseholdKind | None, strawberry.argument(description="只列此户别的住户。")] = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[HouseholdType]:
        household_type = optional_code(
            household_type, household_kind, legacy_field="householdType", field="householdKind"
        )
        residence_type = optional_code(
            residence_type, population_type, legacy_field="residenceType", field="populationType"
        )
        context: RequestContext = info.context
        require_signed_in(context)
        unit_id = decode_pk(under, "OrgUnit", field="under")
        _check_choice(residence_type, RESIDENCE_TYPES, "residenceType")
        _check_choice(household_type, HOUSEHOLD_TYPES, "householdType")
        statement = select(Household).where(
            _or_own(
                service.under_unit_within(service.scope_paths(context, PEOPLE_VIEW), Household.org_path, unit_id),
                and_(service.under_unit(Household.org_path, unit_id), service.own_households(context)),
                context,
            )
        )
        if residence_type is not None:
            statement = statement.where(Household.residence_type == residence_type)
        if household_type is not None:
            statement = statement.where(Household.household_type == household_type)
        connection = paginate(
            context, statement, (Household.org_path, Household.id), first=first, after=after, last=last, before=before
        )
        return _unit_exists_or_raise(context, connection, unit_id)

    @strawberry.field(
        description="某单位（含全部下级）的房屋和场所，按单位和登记顺序分页；只列出查看权限范围内的。需要登录。"
    )
    def places(
        self,
        info: strawberry.Info,
        under: strawberry.ID,
        kind: Annotated[str | None, strawberry.argument(deprecation_reason="改用 placeKind（枚举）。")] = None,
        place_kind: Annotated[PlaceKind | None, strawberry.argument(description="只列此类型的场所。")] = None,
        is_rental: bool | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[PlaceType]:
        kind = optional_code(kind, place_kind, legacy_field="kind", field="placeKind")
        context: RequestContext = info.context
        require_signed_in(context)
        unit_id = decode_pk(under, "OrgUnit", field="under")
        _check_choice(kind, PLACE_KINDS, "kind")
        statement = select(Place).where(
            service.under_unit_within(service.scope_paths(context, PEOPLE_VIEW), Place.org_path, unit_id)
        )
        if kind is not None:
            statement = statement.where(Place.kind == kind)
        if is_rental is not None:
            statement = statement.where(Place.is_rental.is_(is_rental))
        connection = paginate(
            context, statement, (Place.org_path, Place.id), first=first, after=after, last=last, before=before
        )
        return _unit_exists_or_raise(context, connection, unit_id)

    @strawberry.field(
        description="本部署的居民类别（核心与已启用插件声明的）；敏感类别只列给在某处拥有“查看敏感人群标记”权限的人。需要登录。"
    )
    def resident_categories(self, info: strawberry.Info) -> list[ResidentCategoryType]:
        principal = require_signed_in(info.context)
        sees_sensitive = principal.holds_anywhere(PEOPLE_VIEW_SENSITIVE)
        return [
            ResidentCategoryType.of(c)
            for c in categories_for_context(info.context).all()
            if sees_sensitive or not c.sensitive
        ]

    @strawberry.field(
        description="与户主关系的全部代码（GB/T 4761-2008），即 relationshipCode 可取的值，按代码排列。无需登录。"
    )
    def household_relationships(self) -> list[HouseholdRelationshipType]:
        return [HouseholdRelationshipType(code=code, name=name) for code, name in sorted(RELATIONSHIPS.items())]


# --- mutations -----------------------------------------------------------------------


def _unit_for(context: RequestContext, global_id: strawberry.ID, field: str) -> OrgUnit:
    unit = context.session.get(OrgUnit, decode_pk(global_id, "OrgUnit", field=field))
    if unit is None:
        raise NotFoundError("组织单位", field)
    return unit


def _row(context: RequestContext, model: Any, type_name: str, global_id: strawberry.ID, field: str, what: str) -> Any:
    """A row a mutation acts on, if the caller may see it (else NOT_FOUND,
    as for a missing one); the caller then checks ``people.manage``."""
    return object_for(context, global_id, type_name, None, field=field, what=what)


def _visible_row(
    context: RequestContext, model: Any, type_name: str, global_id: strawberry.ID, field: str, what: str
) -> Any:
    """A row the caller refers to (a place, an owner): it must lie within
    the caller's ``people.view`` scope, else it is "not found" (one's own
    household gives no right to refer to it in registrations)."""
    row = _row(context, model, type_name, global_id, field, what)
    if not can(context, PEOPLE_VIEW, row.org_path):
        raise NotFoundError(what, field)
    return row


_FIELD_NAMES = (
    ("name", "name"),
    ("idNumber", "id_number"),
    ("phone", "phone"),
    ("residenceType", "residence_type"),
    ("populationType", "population_type"),
    ("orgUnitId", "org_unit_id"),
    ("ethnicity", "ethnicity"),
    ("placeId", "place_id"),
    ("movedInOn", "moved_in_on"),
    ("movedOutOn", "moved_out_on"),
)


def _given(input: object) -> list[str]:
    """The names of the input fields that were given, for the audit record
    (never their values: an ID number must not be copied into the trail)."""
    return [name for name, attribute in _FIELD_NAMES if getattr(input, attribute, None) is not None]


@strawberry.input(description="登记居民。有身份证号时，性别和出生日期由其得出（另行填写须一致）。")
class RegisterResidentInput:
    org_unit_id: strawberry.ID = strawberry.field(description="居住地所在的组织单位（网格、楼栋……）。")
    name: str
    id_number: str | None = strawberry.field(default=None, description="18 位公民身份号码（GB 11643）。")
    phone: str | None = strawberry.field(default=None, description="手机号或固定电话。")
    residence_type: str | None = strawberry.field(
        default=None,
        description="registered（户籍）或 floating（流动）。",
        deprecation_reason="改用 populationType（枚举）。",
    )
    population_type: ResidenceType | None = strawberry.field(default=None, description="人口类型；默认户籍。")
    birth_date: date | None = None
    sex: str | None = strawberry.field(
        default=None, description="male 或 female。", deprecation_reason="改用 gender（枚举）。"
    )
    gender: Sex | None = strawberry.field(default=None, description="性别；有身份证号时可不填（由其得出）。")
    ethnicity: str | None = None
    moved_in_on: date | None = None
    place_id: strawberry.ID | None = strawberry.field(default=None, description="居住的房屋。")


@strawberry.type
class RegisterResidentPayload:
    resident: ResidentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="修改居民信息；未给出的字段保持不变。")
class UpdateResidentInput:
    id: strawberry.ID
    name: str | None = None
    id_number: str | None = strawberry.field(default=None, description="新的身份证号；性别和出生日期随之更新。")
    phone: str | None = None
    residence_type: str | None = strawberry.field(default=None, deprecation_reason="改用 populationType（枚举）。")
    population_type: ResidenceType | None = strawberry.field(default=None, description="新的人口类型；不填即不变。")
    org_unit_id: strawberry.ID | None = strawberry.field(
        default=None, description="迁到另一个单位（须在两处都有管理权限）。"
    )
    ethnicity: str | None = None
    place_id: strawberry.ID | None = None
    moved_in_on: date | None = None
    moved_out_on: date | None = strawberry.field(default=None, description="迁出日期。")


@strawberry.type
class UpdateResidentPayload:
    resident: ResidentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记一户。")
class RegisterHouseholdInput:
    org_unit_id: strawberry.ID
    household_number: str | None = strawberry.field(default=None, description="户号。")
    household_type: str | None = strawberry.field(
        default=None,
        description="family（家庭户）或 collective（集体户）。",
        deprecation_reason="改用 householdKind（枚举）。",
    )
    household_kind: HouseholdKind | None = strawberry.field(default=None, description="户别；默认家庭户。")
    residence_type: str | None = strawberry.field(
        default=None,
        description="registered（户籍）或 floating（流动）。",
        deprecation_reason="改用 populationType（枚举）。",
    )
    population_type: ResidenceType | None = strawberry.field(default=None, description="人口类型；默认户籍。")
    address: str | None = None
    place_id: strawberry.ID | None = strawberry.field(default=None, description="所住的房屋。")


@strawberry.type
class RegisterHouseholdPayload:
    household: HouseholdType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="把居民加入一户。一个居民同时只能在一户中；一户只有一个户主。")
class AddHouseholdMemberInput:
    household_id: strawberry.ID
    resident_id: strawberry.ID
    relationship_code: str = strawberry.field(
        description="与户主关系代码（GB/T 4761-2008，见 householdRelationships）：01 本人、02 户主、10 配偶、20 子、30 女……"
    )
    joined_on: date | None = None


@strawberry.type
class AddHouseholdMemberPayload:
    member: HouseholdMemberType | None = None
    household: HouseholdType | None = None
    resident: ResidentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="居民离开一户（迁出、分户、死亡……），成员记录保留为历史。")
class RemoveHouseholdMemberInput:
    member_id: strawberry.ID
    left_on: date | None = strawberry.field(default=None, description="离户日期，默认今天。")


@strawberry.type
class RemoveHouseholdMemberPayload:
    member: HouseholdMemberType | None = None
    household: HouseholdType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="登记房屋或场所。")
class RegisterPlaceInput:
    org_unit_id: strawberry.ID
    kind: str | None = strawberry.field(
        default=None,
        description="building、room、rental_housing、shop 或 other。",
        deprecation_reason="改用 placeKind（枚举）。",
    )
    place_kind: PlaceKind | None = strawberry.field(default=None, description="场所类型。")
    name: str
    address: str | None = None
    parent_place_id: strawberry.ID | None = strawberry.field(default=None, description="上级场所（如房间所在的楼栋）。")
    is_rental: bool = strawberry.field(default=False, description="是否出租；rental_housing 总是出租。")
    owner_resident_id: strawberry.ID | None = strawberry.field(default=None, description="房主（居民）。")


@strawberry.type
class RegisterPlacePayload:
    place: PlaceType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="把居民标记为某个类别。敏感类别还需要“查看敏感人群标记”权限。")
class AttachResidentCategoryInput:
    resident_id: strawberry.ID
    category: str = strawberry.field(description="类别代码，见 residentCategories。")
    since: date | None = None
    until: date | None = None
    note: str | None = None


@strawberry.type
class AttachResidentCategoryPayload:
    resident: ResidentType | None = None
    assignment: ResidentCategoryAssignmentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class PeopleMutation:
    @strawberry.mutation(description="登记居民：需要在该单位有“登记和修改居民”权限。")
    @atomic
    def register_resident(self, info: strawberry.Info, input: RegisterResidentInput) -> RegisterResidentPayload:
        context: RequestContext = info.context
        context.audit_subject("Resident", None, None)
        unit = _unit_for(context, input.org_unit_id, "orgUnitId")
        context.audit_subject("Resident", None, unit.id)
        _require(context, PEOPLE_MANAGE, unit.path, "orgUnitId")
        place = _visible_row(context, Place, "Place", input.place_id, "placeId", "场所") if input.place_id else None
        resident = service.register_resident(
            context.session,
            name=input.name,
            org_unit_id=unit.id,
            id_number=input.id_number,
            phone=input.phone,
            residence_type=(
                optional_code(
                    input.residence_type, input.population_type, legacy_field="residenceType", field="populationType"
                )
                or "registered"
            ),
            birth_date=input.birth_date,
            sex=optional_code(input.sex, input.gender, legacy_field="sex", field="gender"),
            ethnicity=input.ethnicity,
            moved_in_on=input.moved_in_on,
            place_id=place.id if place else None,
        )
        context.audit_subject("Resident", resident.id, resident.org_unit_id)
        return RegisterResidentPayload(resident=row_as(ResidentType, resident))

    @strawberry.mutation(description="修改居民信息：需要在居民所在单位（迁往另一单位时两处都）有“登记和修改居民”权限。")
    @atomic
    def update_resident(self, info: strawberry.Info, input: UpdateResidentInput) -> UpdateResidentPayload:
        context: RequestContext = info.context
        changed = _given(input)
        context.audit_subject("Resident", None, None, detail={"fields": changed})
        resident: Resident = _row(context, Resident, "Resident", input.id, "id", "居民")
        context.audit_subject("Resident", resident.id, resident.org_unit_id, detail={"fields": changed})
        _require(context, PEOPLE_MANAGE, resident.org_path, "id")
        new_unit = _unit_for(context, input.org_unit_id, "orgUnitId") if input.org_unit_id else None
        if new_unit is not None:
            _require(context, PEOPLE_MANAGE, new_unit.path, "orgUnitId")
        place = _visible_row(context, Place, "Place", input.place_id, "placeId", "场所") if input.place_id else None
        service.update_resident(
            context.session,
            resident,
            name=input.name,
            id_number=input.id_number,
            phone=input.phone,
            residence_type=optional_code(
                input.residence_type, input.population_type, legacy_field="residenceType", field="populationType"
            ),
            org_unit_id=new_unit.id if new_unit else None,
            ethnicity=input.ethnicity,
            place_id=place.id if place else None,
            moved_in_on=input.moved_in_on,
            moved_out_on=input.moved_out_on,
        )
        return UpdateResidentPayload(resident=row_as(ResidentType, resident))

    @strawberry.mutation(description="登记一户：需要在该单位有“登记和修改居民”权限。")
    @atomic
    def register_household(self, info: strawberry.Info, input: RegisterHouseholdInput) -> RegisterHouseholdPayload:
        context: RequestContext = info.context
        context.audit_subject("Household", None, None)
        unit = _unit_for(context, input.org_unit_id, "orgUnitId")
        context.audit_subject("Household", None, unit.id)
        _require(context, PEOPLE_MANAGE, unit.path, "orgUnitId")
        place = _visible_row(context, Place, "Place", input.place_id, "placeId", "场所") if input.place_id else None
        household = service.register_household(
            context.session,
            org_unit_id=unit.id,
            household_number=input.household_number,
            household_type=(
                optional_code(
                    input.household_type, input.household_kind, legacy_field="householdType", field="householdKind"
                )
                or "family"
            ),
            residence_type=(
                optional_code(
                    input.residence_type, input.population_type, legacy_field="residenceType", field="populationType"
                )
                or "registered"
            ),
            address=input.address,
            place_id=place.id if place else None,
        )
        context.audit_subject("Household", household.id, household.org_unit_id)
        return RegisterHouseholdPayload(household=row_as(HouseholdType, household))

    @strawberry.mutation(description="把居民加入一户：需要在户和居民所在单位都有“登记和修改居民”权限。")
    @atomic
    def add_household_member(self, info: strawberry.Info, input: AddHouseholdMemberInput) -> AddHouseholdMemberPayload:
        context: RequestContext = info.context
        context.audit_subject("Household", None, None)
        household: Household = _row(context, Household, "Household", input.household_id, "householdId", "户")
        resident: Resident = _row(context, Resident, "Resident", input.resident_id, "residentId", "居民")
        detail = {"residentId": resident.id, "relationshipCode": input.relationship_code}
        context.audit_subject("Household", household.id, household.org_unit_id, detail=detail)
        _require(context, PEOPLE_MANAGE, household.org_path, "householdId")
        _require(context, PEOPLE_MANAGE, resident.org_path, "residentId")
        member = service.add_household_member(
            context.session, household, resident, relationship_code=input.relationship_code, joined_on=input.joined_on
        )
        return AddHouseholdMemberPayload(
            member=row_as(HouseholdMemberType, member),
            household=row_as(HouseholdType, household),
            resident=row_as(ResidentType, resident),
        )

    @strawberry.mutation(description="居民离开一户：需要在该户所在单位有“登记和修改居民”权限。")
    @atomic
    def remove_household_member(
        self, info: strawberry.Info, input: RemoveHouseholdMemberInput
    ) -> RemoveHouseholdMemberPayload:
        context: RequestContext = info.context
        context.audit_subject("Household", None, None)
        member: HouseholdMember = _row(
            context, HouseholdMember, "HouseholdMember", input.member_id, "memberId", "户成员"
        )
        household = context.session.get(Household, member.household_id)
        assert household is not None  # household_member.household_id is a cascading foreign key
        context.audit_subject(
            "Household", household.id, household.org_unit_id, detail={"residentId": member.resident_id}
        )
        _require(context, PEOPLE_MANAGE, household.org_path, "memberId")
        service.remove_household_member(context.session, member, left_on=input.left_on or date.today())
        return RemoveHouseholdMemberPayload(
            member=row_as(HouseholdMemberType, member), household=row_as(HouseholdType, household)
        )

    @strawberry.mutation(description="登记房屋或场所：需要在该单位有“登记和修改居民”权限。")
    @atomic
    def register_place(self, info: strawberry.Info, input: RegisterPlaceInput) -> RegisterPlacePayload:
        context: RequestContext = info.context
        context.audit_subject("Place", None, None)
        unit = _unit_for(context, input.org_unit_id, "orgUnitId")
        context.audit_subject("Place", None, unit.id)
        _require(context, PEOPLE_MANAGE, unit.path, "orgUnitId")
        parent = (
            _visible_row(context, Place, "Place", input.parent_place_id, "parentPlaceId", "上级场所")
            if input.parent_place_id
            else None
        )
        owner = (
            _visible_row(context, Resident, "Resident", input.owner_resident_id, "ownerResidentId", "居民")
            if input.owner_resident_id
            else None
        )
        place = service.register_place(
            context.session,
            kind=required_code(input.kind, input.place_kind, legacy_field="kind", field="placeKind"),
            name=input.name,
            org_unit_id=unit.id,
            address=input.address,
            parent_place_id=parent.id if parent else None,
            is_rental=input.is_rental,
            owner_resident_id=owner.id if owner else None,
        )
        context.audit_subject("Place", place.id, place.org_unit_id)
        return RegisterPlacePayload(place=row_as(PlaceType, place))

    @strawberry.mutation(
        description="把居民标记为某个类别：需要在居民所在单位有“登记和修改居民”权限，敏感类别还需要“查看敏感人群标记”权限。"
    )
    @atomic
    def attach_resident_category(
        self, info: strawberry.Info, input: AttachResidentCategoryInput
    ) -> AttachResidentCategoryPayload:
        context: RequestContext = info.context
        context.audit_subject("Resident", None, None, detail={"category": input.category[:64]})
        resident: Resident = _row(context, Resident, "Resident", input.resident_id, "residentId", "居民")
        context.audit_subject("Resident", resident.id, resident.org_unit_id, detail={"category": input.category[:64]})
        _require(context, PEOPLE_MANAGE, resident.org_path, "residentId")
        declaration = categories_for_context(context).get(input.category)
        if declaration is None:
            raise UserInputError("UNKNOWN_CATEGORY", f"没有代码为“{input.category}”的居民类别。", "category")
        if declaration.sensitive:
            _require(context, PEOPLE_VIEW_SENSITIVE, resident.org_path, "category")
        assignment = service.attach_category(
            context.session, resident, declaration, since=input.since, until=input.until, note=input.note
        )
        return AttachResidentCategoryPayload(
            resident=row_as(ResidentType, resident), assignment=row_as(ResidentCategoryAssignmentType, assignment)
        )
