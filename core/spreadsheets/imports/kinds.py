"""What can be imported: org units, residents, households and places, each
with its columns (the headers offices already use), its natural key (so a
second run of the same file changes nothing) and how one row is checked and
written. Every row must name a unit inside the importing unit's subtree."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.api.errors import ErrorDetail
from core.org import service as org_service
from core.org.models import OrgUnit
from core.org.service import DIVISION_CODE, in_subtree
from core.people import service as people_service
from core.people.identity import check_phone, parse_id_number
from core.people.models import Household, HouseholdMember, Place, Resident
from core.people.relationships import HEAD_CODES, RELATIONSHIPS
from core.settings import Settings
from core.spreadsheets.imports.cells import (
    BadCell,
    Field,
    choice,
    day,
    id_number_text,
    text,
    yes_no,
)

SEXES = {"male": "男", "female": "女"}
RESIDENCE = {"registered": "户籍", "floating": "流动"}
HOUSEHOLD_TYPES = {"family": "家庭户", "collective": "集体户"}
PLACE_KINDS = {"building": "楼栋", "room": "房屋", "rental_housing": "出租房屋", "shop": "商铺", "other": "其他"}
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RowErrors(Exception):
    """The reasons a row cannot be imported: (field key or None, Chinese message)."""

    def __init__(self, errors: list[tuple[str | None, str]]) -> None:
        super().__init__("; ".join(m for _k, m in errors))
        self.errors = errors


@dataclass
class ImportContext:
    """The importing unit's subtree and what earlier rows of the file claimed."""

    session: Session
    settings: Settings
    unit: OrgUnit
    units: list[OrgUnit]
    claimed: dict[tuple[str, str], int] = field(default_factory=dict)  # natural key -> first row
    pending_units: dict[str, str] = field(default_factory=dict)  # name or code -> level, from earlier rows

    @classmethod
    def of(cls, session: Session, settings: Settings, unit: OrgUnit) -> ImportContext:
        return cls(session, settings, unit, _subtree(session, unit))

    def claim(self, kind: str, key: str, row: int, label: str) -> str | None:
        first = self.claimed.setdefault((kind, key), row)
        return None if first == row else f"{label}与第 {first} 行重复。"

    def find_unit(self, ref: str, *, field: str = "unit", pending_ok: bool = False) -> OrgUnit | None:
        """A unit of the subtree by division code or by name; None only for
        a unit created by an earlier row (``pending_ok``)."""
        if DIVISION_CODE.match(ref):
            found = [u for u in self.units if u.division_code == ref]
        else:
            found = [u for u in self.units if u.name == ref]
        found = [u for u in found if u.dissolved_on is None]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise RowErrors([(field, f"本单位下有多个“{ref}”，请改填区划代码。")])
        if pending_ok and ref in self.pending_units:
            return None
        raise RowErrors([(field, f"“{ref}”不是{self.unit.name}下属的单位（或已撤销）：只能导入到本单位及其下级。")])

    def refresh(self) -> None:
        self.units = _subtree(self.session, self.unit)


def _subtree(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).where(in_subtree(OrgUnit.path, unit.path)).order_by(OrgUnit.path)))


Check = Callable[[ImportContext, int, dict[str, Any]], dict[str, Any]]
Apply = Callable[[ImportContext, dict[str, Any]], str]


@dataclass(frozen=True)
class ImportKind:
    code: str
    name: str
    permission: str
    fields: tuple[Field, ...]
    check: Check
    apply: Apply

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


def _read(errors: list[tuple[str | None, str]], key: str, reader: Callable[[], Any]) -> Any:
    try:
        return reader()
    except BadCell as bad:
        errors.append((key, str(bad)))
        return None


def _required(errors: list[tuple[str | None, str]], values: dict[str, Any], kind_fields: Sequence[Field]) -> None:
    for f in kind_fields:
        if f.required and values.get(f.key) is None:
            errors.append((f.key, f"“{f.header}”不能为空。"))


def _unit_of(ctx: ImportContext, errors: list[tuple[str | None, str]], ref: str | None) -> OrgUnit | None:
    if ref is None:
        return None
    try:
        return ctx.find_unit(ref)
    except RowErrors as bad:
        errors.extend(bad.errors)
        return None


def _done(errors: list[tuple[str | None, str]], plan: dict[str, Any]) -> dict[str, Any]:
    if errors:
        raise RowErrors(errors)
    return plan


# --- org units ------------------------------------------------------------------------------


ORG_FIELDS = (
    Field("名称", "name", required=True, example="幸福社区"),
    Field("层级", "level", required=True, example="社区", note="如 社区、村、网格（见本部署的层级设置）"),
    Field("上级单位", "parent", required=True, example="（本单位或下属单位的名称或区划代码）", aliases=("上级",)),
    Field("区划代码", "division_code", note="12 位统计用区划代码，可空；已有此代码的单位按本行更新"),
    Field("成立日期", "established_on", example=date(2020, 1, 1)),
)


def _level(settings: Settings, raw: str) -> str | None:
    for level in settings.org_levels:
        # "社区/村" is typed as 社区 or 村.
        if raw in (level.code, level.name, *level.name.split("/")):
            return level.code
    return None


def check_org_unit(ctx: ImportContext, row: int, values: dict[str, Any]) -> dict[str, Any]:
    errors: list[tuple[str | None, str]] = []
    _required(errors, values, ORG_FIELDS)
    name, parent_ref, code = text(values.get("name")), text(values.get("parent")), text(values.get("division_code"))
    established = _read(errors, "established_on", lambda: day(values.get("established_on")))
    level = _level(ctx.settings, text(values.get("level")) or "") if values.get("level") is not None else None
    if values.get("level") is not None and level is None:
        known = "、".join(lv.name for lv in ctx.settings.org_levels)
        errors.append(("level", f"层级“{text(values.get('level'))}”不在本部署的层级中：{known}。"))
    if code and not DIVISION_CODE.match(code):
        errors.append(("division_code", "区划代码须为 6 位、9 位或 12 位数字。"))
    parent: OrgUnit | None = None
    if parent_ref:
        try:
            parent = ctx.find_unit(parent_ref, field="parent", pending_ok=True)
        except RowErrors as bad:
            errors.extend(bad.errors)
    if parent is not None and level is not None:
        parent_rank, own_rank = ctx.settings.level_rank(parent.level), ctx.settings.level_rank(level)
        if parent_rank is not None and own_rank is not None and own_rank <= parent_rank:
            errors.append(
                ("level", f"“{ctx.settings.level_name(level)}”不能设在“{ctx.settings.level_name(parent.level)}”之下。")
            )
    if name and parent_ref:
        duplicate = ctx.claim("org", code or f"{parent_ref}/{name}", row, "该单位")
        if duplicate:
            errors.append(("division_code" if code else "name", duplicate))
    if code and not errors:
        elsewhere = ctx.session.scalar(select(OrgUnit).where(OrgUnit.division_code == code).limit(1))
        if elsewhere is not None and not elsewhere.path.startswith(ctx.unit.path):
            errors.append(("division_code", "该区划代码已被本单位以外的单位使用。"))
    if name and level:
        ctx.pending_units[name] = level
        if code:
            ctx.pending_units[code] = level
    return _done(
        errors, {"name": name, "level": level, "parent": parent_ref, "code": code, "established_on": established}
    )


def apply_org_unit(ctx: ImportContext, plan: dict[str, Any]) -> str:
    parent = ctx.find_unit(plan["parent"], field="parent")
    assert parent is not None
    existing = None
    if plan["code"]:
        existing = ctx.session.scalar(select(OrgUnit).where(OrgUnit.division_code == plan["code"]).limit(1))
    if existing is None:
        existing = ctx.session.scalar(
            select(OrgUnit).where(OrgUnit.parent_id == parent.id, OrgUnit.name == plan["name"]).limit(1)
        )
    if existing is None:
        org_service.create_unit(
            ctx.session,
            ctx.settings,
            name=plan["name"],
            level=plan["level"],
            parent_id=parent.id,
            division_code=plan["code"],
            established_on=plan["established_on"],
        )
        ctx.refresh()
        return CREATED
    changes = {
        "name": plan["name"] if plan["name"] != existing.name else None,
        "division_code": plan["code"] if plan["code"] and plan["code"] != existing.division_code else None,
        "established_on": plan["established_on"]
        if plan["established_on"] and plan["established_on"] != existing.established_on
        else None,
    }
    if not any(v is not None for v in changes.values()):
        return UNCHANGED
    org_service.update_unit(ctx.session, ctx.settings, existing, **changes)
    ctx.refresh()
    return UPDATED


# --- households -----------------------------------------------------------------------------


HOUSEHOLD_FIELDS = (
    Field("户号", "household_number", required=True, example="370202000123"),
    Field("户别", "household_type", example="家庭户", note="家庭户 或 集体户，空为家庭户"),
    Field("人口类型", "residence_type", example="户籍", note="户籍 或 流动，空为户籍"),
    Field("住址", "address", example="宁夏路 1 号 2 单元 301 户", aliases=("地址", "家庭住址")),
    Field("所属网格", "unit", required=True, example="（本单位或下属单位的名称或区划代码）", aliases=("所属单位",)),
)


def check_household(ctx: ImportContext, row: int, values: dict[str, Any]) -> dict[str, Any]:
    errors: list[tuple[str | None, str]] = []
    _required(errors, values, HOUSEHOLD_FIELDS)
    number = text(values.get("household_number"))
    household_type = _read(
        errors, "household_type", lambda: choice(values.get("household_type"), HOUSEHOLD_TYPES, "户别")
    )
    residence = _read(errors, "residence_type", lambda: choice(values.get("residence_type"), RESIDENCE, "人口类型"))
    unit = _unit_of(ctx, errors, text(values.get("unit")))
    if number:
        duplicate = ctx.claim("household", number, row, "户号")
        if duplicate:
            errors.append(("household_number", duplicate))
        existing = ctx.session.scalar(select(Household).where(Household.household_number == number).limit(1))
        if existing is not None and not existing.org_path.startswith(ctx.unit.path):
            errors.append(("household_number", "该户号已在本单位以外登记。"))
    return _done(
        errors,
        {
            "household_number": number,
            "household_type": household_type or "family",
            "residence_type": residence or "registered",
            "address": text(values.get("address")),
            "unit": unit,
        },
    )


def apply_household(ctx: ImportContext, plan: dict[str, Any]) -> str:
    unit: OrgUnit = plan["unit"]
    existing = ctx.session.scalar(
        select(Household).where(Household.household_number == plan["household_number"]).limit(1)
    )
    if existing is None:
        people_service.register_household(
            ctx.session,
            org_unit_id=unit.id,
            household_number=plan["household_number"],
            household_type=plan["household_type"],
            residence_type=plan["residence_type"],
            address=plan["address"],
        )
        return CREATED
    wanted = (plan["household_type"], plan["residence_type"], plan["address"] or existing.address, unit.id)
    if (existing.household_type, existing.residence_type, existing.address, existing.org_unit_id) == wanted:
        return UNCHANGED
    existing.household_type, existing.residence_type, existing.address = wanted[:3]
    existing.org_unit_id, existing.org_path = unit.id, unit.path
    ctx.session.flush()
    return UPDATED


# --- places ---------------------------------------------------------------------------------


PLACE_FIELDS = (
    Field("场所名称", "name", required=True, example="1 号楼", aliases=("名称", "房屋名称")),
    Field("类型", "kind", required=True, example="楼栋", note="楼栋、房屋、出租房屋、商铺 或 其他"),
    Field("地址", "address", example="宁夏路 1 号"),
    Field("所属楼栋", "building", example="", note="房屋所在楼栋的名称（同一单位内），可空"),
    Field("是否出租", "is_rental", example="否"),
    Field("所属网格", "unit", required=True, example="（本单位或下属单位的名称或区划代码）", aliases=("所属单位",)),
)


def check_place(ctx: ImportContext, row: int, values: dict[str, Any]) -> dict[str, Any]:
    errors: list[tuple[str | None, str]] = []
    _required(errors, values, PLACE_FIELDS)
    kind = _read(errors, "kind", lambda: choice(values.get("kind"), PLACE_KINDS, "类型"))
    rental = _read(errors, "is_rental", lambda: yes_no(values.get("is_rental"), "是否出租"))
    unit = _unit_of(ctx, errors, text(values.get("unit")))
    name, parent = text(values.get("name")), text(values.get("building"))
    if name and kind and unit:
        key = f"{unit.id}/{kind}/{parent or ''}/{name}"
        duplicate = ctx.claim("place", key, row, "该场所")
        if duplicate:
            errors.append(("name", duplicate))
        ctx.claimed.setdefault(("place-name", f"{unit.id}/{name}"), row)
    if (
        parent
        and unit
        and ("place-name", f"{unit.id}/{parent}") not in ctx.claimed
        and _place(ctx, unit, parent) is None
    ):
        errors.append(("building", f"“{unit.name}”没有名为“{parent}”的场所（可在本文件中先列出该楼栋）。"))
    return _done(
        errors,
        {
            "name": name,
            "kind": kind,
            "address": text(values.get("address")),
            "parent": parent,
            "is_rental": bool(rental),
            "unit": unit,
        },
    )


def _place(
    ctx: ImportContext, unit: OrgUnit, name: str, kind: str | None = None, parent_id: int | None = None
) -> Place | None:
    query = select(Place).where(Place.org_unit_id == unit.id, Place.name == name)
    if kind is not None:
        query = query.where(
            Place.kind == kind,
            Place.parent_place_id.is_(None) if parent_id is None else Place.parent_place_id == parent_id,
        )
    return ctx.session.scalars(query.order_by(Place.id).limit(1)).first()


def apply_place(ctx: ImportContext, plan: dict[str, Any]) -> str:
    unit: OrgUnit = plan["unit"]
    parent = _place(ctx, unit, plan["parent"]) if plan["parent"] else None
    existing = _place(ctx, unit, plan["name"], plan["kind"], parent.id if parent else None)
    if existing is None:
        people_service.register_place(
            ctx.session,
            kind=plan["kind"],
            name=plan["name"],
            org_unit_id=unit.id,
            address=plan["address"],
            parent_place_id=parent.id if parent else None,
            is_rental=plan["is_rental"],
        )
        return CREATED
    rental = plan["is_rental"] or plan["kind"] == "rental_housing"
    if (existing.address, existing.is_rental) == (plan["address"] or existing.address, rental):
        return UNCHANGED
    existing.address, existing.is_rental = plan["address"] or existing.address, rental
    ctx.session.flush()
    return UPDATED


# --- residents ------------------------------------------------------------------------------


RESIDENT_FIELDS = (
    Field("姓名", "name", required=True, example="张伟"),
    Field(
        "公民身份号码",
        "id_number",
        required=True,
        example="370203198005124513",
        note="18 位，须设为文本格式",
        aliases=("身份证号码", "身份证号"),
    ),
    Field("性别", "sex", example="男", note="可空，从身份证号码得出"),
    Field("出生日期", "birth_date", example=date(1980, 5, 12), note="可空，从身份证号码得出"),
    Field("民族", "ethnicity", example="汉族"),
    Field("联系电话", "phone", example="13800000000", aliases=("电话", "手机号码")),
    Field("人口类型", "residence_type", example="户籍", note="户籍 或 流动，空为户籍"),
    Field("户号", "household_number", example="370202000123", note="可空；户不存在时按本行住址新建"),
    Field("与户主关系", "relationship", example="户主", note="GB/T 4761 名称或代码，如 户主、配偶、子、女"),
    Field("住址", "address", example="宁夏路 1 号 2 单元 301 户", aliases=("地址", "现住址")),
    Field("迁入日期", "moved_in_on", example=date(2010, 3, 1)),
    Field("所属网格", "unit", required=True, example="（本单位或下属单位的名称或区划代码）", aliases=("所属单位",)),
)
_RELATIONSHIP_CODES = {name: code for code, name in RELATIONSHIPS.items()}


def check_resident(ctx: ImportContext, row: int, values: dict[str, Any]) -> dict[str, Any]:
    errors: list[tuple[str | None, str]] = []
    _required(errors, values, RESIDENT_FIELDS)
    name = text(values.get("name"))
    if name and len(name) > people_service.MAX_NAME_LENGTH:
        errors.append(("name", f"姓名不能超过 {people_service.MAX_NAME_LENGTH} 个字。"))
    raw_id = _read(errors, "id_number", lambda: id_number_text(values.get("id_number")))
    facts = None
    if raw_id:
        parsed = parse_id_number(raw_id)
        if isinstance(parsed, ErrorDetail):
            errors.append(("id_number", parsed.message))
        else:
            facts = parsed
    sex = _read(errors, "sex", lambda: choice(values.get("sex"), SEXES, "性别"))
    birth = _read(errors, "birth_date", lambda: day(values.get("birth_date")))
    moved_in = _read(errors, "moved_in_on", lambda: day(values.get("moved_in_on")))
    residence = _read(errors, "residence_type", lambda: choice(values.get("residence_type"), RESIDENCE, "人口类型"))
    phone = text(values.get("phone"))
    if phone:
        checked = check_phone(phone)
        if isinstance(checked, ErrorDetail):
            errors.append(("phone", checked.message))
        else:
            phone = checked
    if facts is not None:
        if sex and sex != facts.sex:
            errors.append(("sex", "性别与身份证号码不一致。"))
        if birth and birth != facts.birth_date:
            errors.append(("birth_date", "出生日期与身份证号码不一致。"))
        duplicate = ctx.claim("resident", facts.id_number, row, "公民身份号码")
        if duplicate:
            errors.append(("id_number", duplicate))
        existing = ctx.session.scalar(select(Resident).where(Resident.id_number == facts.id_number).limit(1))
        if existing is not None and not existing.org_path.startswith(ctx.unit.path):
            errors.append(("id_number", "该公民身份号码已在本单位以外登记，请联系其所在单位办理迁入。"))
        elif existing is not None and text(values.get("household_number")):
            current = ctx.session.scalar(
                select(Household.household_number)
                .join(HouseholdMember, HouseholdMember.household_id == Household.id)
                .where(HouseholdMember.resident_id == existing.id, HouseholdMember.left_on.is_(None))
            )
            if current is not None and current != text(values.get("household_number")):
                errors.append(("household_number", "该居民已在另一户中，请先在系统中办理迁出该户。"))
    unit = _unit_of(ctx, errors, text(values.get("unit")))
    number, relation = text(values.get("household_number")), text(values.get("relationship"))
    code = None
    if relation:
        code = relation if relation in RELATIONSHIPS else _RELATIONSHIP_CODES.get(relation)
        if code is None:
            errors.append(
                ("relationship", f"与户主关系“{relation}”不在 GB/T 4761 中（如 户主、配偶、子、女、父亲、母亲）。")
            )
    if number and not relation:
        errors.append(("relationship", "填写了户号时须填写与户主关系。"))
    if number:
        household = ctx.session.scalar(select(Household).where(Household.household_number == number).limit(1))
        if household is not None and not household.org_path.startswith(ctx.unit.path):
            errors.append(("household_number", "该户号已在本单位以外登记。"))
        if code in HEAD_CODES:
            duplicate = ctx.claim("head", number, row, "户主")
            if duplicate:
                errors.append(("relationship", f"户号 {number} 的{duplicate}"))
    return _done(
        errors,
        {
            "name": name,
            "facts": facts,
            "phone": phone,
            "ethnicity": text(values.get("ethnicity")),
            "moved_in_on": moved_in,
            "residence_type": residence or "registered",
            "unit": unit,
            "household_number": number,
            "relationship": code,
            "address": text(values.get("address")),
        },
    )


def apply_resident(ctx: ImportContext, plan: dict[str, Any]) -> str:
    unit: OrgUnit = plan["unit"]
    facts = plan["facts"]
    resident = ctx.session.scalar(select(Resident).where(Resident.id_number == facts.id_number).limit(1))
    outcome = UNCHANGED
    if resident is None:
        resident = people_service.register_resident(
            ctx.session,
            name=plan["name"],
            org_unit_id=unit.id,
            id_number=facts.id_number,
            phone=plan["phone"],
            residence_type=plan["residence_type"],
            ethnicity=plan["ethnicity"],
            moved_in_on=plan["moved_in_on"],
        )
        outcome = CREATED
    else:
        current = (
            resident.name,
            resident.phone,
            resident.ethnicity,
            resident.residence_type,
            resident.org_unit_id,
            resident.moved_in_on,
        )
        wanted = (
            plan["name"],
            plan["phone"] or resident.phone,
            plan["ethnicity"] or resident.ethnicity,
            plan["residence_type"],
            unit.id,
            plan["moved_in_on"] or resident.moved_in_on,
        )
        if current != wanted:
            people_service.update_resident(
                ctx.session,
                resident,
                name=plan["name"],
                phone=plan["phone"],
                ethnicity=plan["ethnicity"],
                residence_type=plan["residence_type"],
                org_unit_id=unit.id,
                moved_in_on=plan["moved_in_on"],
            )
            outcome = UPDATED
    if plan["household_number"]:
        household = ctx.session.scalar(
            select(Household).where(Household.household_number == plan["household_number"]).limit(1)
        )
        if household is None:
            household = people_service.register_household(
                ctx.session,
                org_unit_id=unit.id,
                household_number=plan["household_number"],
                residence_type=plan["residence_type"],
                address=plan["address"],
            )
        member = ctx.session.scalar(
            select(HouseholdMember).where(HouseholdMember.resident_id == resident.id, HouseholdMember.left_on.is_(None))
        )
        if member is None:
            people_service.add_household_member(
                ctx.session, household, resident, relationship_code=plan["relationship"]
            )
            outcome = UPDATED if outcome == UNCHANGED else outcome
        elif member.household_id != household.id:
            raise RowErrors([("household_number", "该居民已在另一户中，请先在系统中办理迁出该户。")])
    return outcome


KINDS: dict[str, ImportKind] = {
    "org_units": ImportKind("org_units", "组织单位", "org.unit.manage", ORG_FIELDS, check_org_unit, apply_org_unit),
    "residents": ImportKind("residents", "居民", "people.manage", RESIDENT_FIELDS, check_resident, apply_resident),
    "households": ImportKind("households", "住户", "people.manage", HOUSEHOLD_FIELDS, check_household, apply_household),
    "places": ImportKind("places", "场所（楼栋、房屋）", "people.manage", PLACE_FIELDS, check_place, apply_place),
}
