"""Rules of the people registry: registering residents, households, members,
places and categories, and the list statements every module filters.

Residents' own household (self-service)
    A caller holding ``people.view_own`` (at any unit) whose account is
    linked to a resident (``Principal.resident_id``) sees the current
    members of that resident's household, the household and its current
    memberships; a resident without a household sees only themself.
    ``own_residents`` / ``own_households`` / ``own_memberships`` are these
    sets as SQL conditions (the household is read by a subquery inside the
    statement), to be OR-ed with the ``people.view`` scope.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    SQLColumnExpression,
    String,
    and_,
    case,
    false,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from core.api.errors import ErrorDetail, NotFoundError, UserInputError
from core.auth.permissions import minimal_paths, principal_of
from core.org.models import OrgUnit
from core.org.service import in_subtree, subtree_bounds
from core.people.categories import CategoryDeclaration
from core.people.identity import IdNumberFacts, check_phone, parse_id_number
from core.people.models import (
    HOUSEHOLD_TYPES,
    PLACE_KINDS,
    RESIDENCE_TYPES,
    SEXES,
    Household,
    HouseholdMember,
    Place,
    Resident,
    ResidentCategory,
)
from core.people.relationships import HEAD_CODES, RELATIONSHIPS

MAX_NAME_LENGTH = 50
PEOPLE_VIEW_OWN = "people.view_own"


def _unit(session: Session, org_unit_id: int, field: str = "orgUnitId") -> OrgUnit:
    unit = session.get(OrgUnit, org_unit_id)
    if unit is None:
        raise NotFoundError("组织单位", field)
    if unit.dissolved_on is not None:
        raise UserInputError("ORG_UNIT_DISSOLVED", f"“{unit.name}”已撤销，不能再登记。", field)
    return unit


def _check_name(name: str | None, problems: list[ErrorDetail]) -> None:
    if name is None:
        return
    if not name.strip():
        problems.append(ErrorDetail("REQUIRED", "姓名不能为空。", "name"))
    elif len(name.strip()) > MAX_NAME_LENGTH:
        problems.append(ErrorDetail("TOO_LONG", f"姓名不能超过 {MAX_NAME_LENGTH} 个字。", "name"))


def _check_choice(
    value: str | None, allowed: Sequence[str], field: str, label: str, problems: list[ErrorDetail]
) -> None:
    if value is not None and value not in allowed:
        problems.append(ErrorDetail("INVALID_VALUE", f"{label}只能是：{'、'.join(allowed)}。", field))


def _id_facts(
    session: Session,
    id_number: str | None,
    problems: list[ErrorDetail],
    *,
    exclude_resident_id: int | None = None,
) -> IdNumberFacts | None:
    if not id_number:
        return None
    parsed = parse_id_number(id_number)
    if isinstance(parsed, ErrorDetail):
        problems.append(parsed)
        return None
    clash = select(Resident.id).where(Resident.id_number == parsed.id_number)
    if exclude_resident_id is not None:
        clash = clash.where(Resident.id != exclude_resident_id)
    if session.scalar(clash.limit(1)) is not None:
        problems.append(ErrorDetail("DUPLICATE_ID_NUMBER", "该身份证号码已登记，请查找已有居民记录。", "idNumber"))
        return None
    return parsed


def register_resident(
    session: Session,
    *,
    name: str,
    org_unit_id: int,
    id_number: str | None = None,
    phone: str | None = None,
    residence_type: str = "registered",
    birth_date: date | None = None,
    sex: str | None = None,
    ethnicity: str | None = None,
    moved_in_on: date | None = None,
    place_id: int | None = None,
) -> Resident:
    problems: list[ErrorDetail] = []
    _check_name(name, problems)
    _check_choice(residence_type, RESIDENCE_TYPES, "residenceType", "人口类型", problems)
    _check_choice(sex, SEXES, "sex", "性别", problems)
    facts = _id_facts(session, id_number, problems)
    if facts is not None:
        if birth_date is not None and birth_date != facts.birth_date:
            problems.append(ErrorDetail("ID_NUMBER_MISMATCH", "出生日期与身份证号码不一致。", "birthDate"))
        if sex is not None and sex != facts.sex:
            problems.append(ErrorDetail("ID_NUMBER_MISMATCH", "性别与身份证号码不一致。", "sex"))
    checked_phone = check_phone(phone) if phone else None
    if isinstance(checked_phone, ErrorDetail):
        problems.append(checked_phone)
    if problems:
        raise UserInputError(errors=problems)
    unit = _unit(session, org_unit_id)
    resident = Resident(
        name=name.strip(),
        id_number=facts.id_number if facts else None,
        sex=facts.sex if facts else sex,
        birth_date=facts.birth_date if facts else birth_date,
        phone=checked_phone if isinstance(checked_phone, str) else None,
        ethnicity=ethnicity,
        residence_type=residence_type,
        org_unit_id=unit.id,
        org_path=unit.path,
        moved_in_on=moved_in_on,
        place_id=_place(session, place_id).id if place_id is not None else None,
    )
    session.add(resident)
    session.flush()
    return resident


def update_resident(
    session: Session,
    resident: Resident,
    *,
    name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    residence_type: str | None = None,
    org_unit_id: int | None = None,
    ethnicity: str | None = None,
    place_id: int | None = None,
    moved_in_on: date | None = None,
    moved_out_on: date | None = None,
) -> Resident:
    """Change the given fields; ``None`` leaves a field as it is. A new ID
    number replaces sex and birth date with what it says."""
    problems: list[ErrorDetail] = []
    _check_name(name, problems)
    _check_choice(residence_type, RESIDENCE_TYPES, "residenceType", "人口类型", problems)
    facts = _id_facts(session, id_number, problems, exclude_resident_id=resident.id)
    checked_phone = check_phone(phone) if phone else None
    if isinstance(checked_phone, ErrorDetail):
        problems.append(checked_phone)
    if problems:
        raise UserInputError(errors=problems)
    if name is not None:
        resident.name = name.strip()
    if facts is not None:
        resident.id_number, resident.sex, resident.birth_date = facts.id_number, facts.sex, facts.birth_date
    if isinstance(checked_phone, str):
        resident.phone = checked_phone
    if residence_type is not None:
        resident.residence_type = residence_type
    if org_unit_id is not None:
        unit = _unit(session, org_unit_id)
        resident.org_unit_id, resident.org_path = unit.id, unit.path
    if ethnicity is not None:
        resident.ethnicity = ethnicity.strip() or None
    if place_id is not None:
        resident.place_id = _place(session, place_id).id
    if moved_in_on is not None:
        resident.moved_in_on = moved_in_on
    if moved_out_on is not None:
        resident.moved_out_on = moved_out_on
    if resident.moved_in_on and resident.moved_out_on and resident.moved_out_on < resident.moved_in_on:
        raise UserInputError("INVALID_DATE_RANGE", "迁出日期不能早于迁入日期。", "movedOutOn")
    session.flush()
    return resident


def _place(session: Session, place_id: int) -> Place:
    place = session.get(Place, place_id)
    if place is None:
        raise NotFoundError("场所", "placeId")
    return place


def register_place(
    session: Session,
    *,
    kind: str,
    name: str,
    org_unit_id: int,
    address: str | None = None,
    parent_place_id: int | None = None,
    is_rental: bool = False,
    owner_resident_id: int | None = None,
) -> Place:
    problems: list[ErrorDetail] = []
    _check_choice(kind, PLACE_KINDS, "kind", "场所类型", problems)
    if not name.strip():
        problems.append(ErrorDetail("REQUIRED", "场所名称不能为空。", "name"))
    if problems:
        raise UserInputError(errors=problems)
    unit = _unit(session, org_unit_id)
    parent = _place(session, parent_place_id) if parent_place_id is not None else None
    if owner_resident_id is not None and session.get(Resident, owner_resident_id) is None:
        raise NotFoundError("居民", "ownerResidentId")
    place = Place(
        kind=kind,
        name=name.strip(),
        address=address,
        org_unit_id=unit.id,
        org_path=unit.path,
        parent_place_id=parent.id if parent else None,
        is_rental=is_rental or kind == "rental_housing",
        owner_resident_id=owner_resident_id,
    )
    session.add(place)
    session.flush()
    return place


def register_household(
    session: Session,
    *,
    org_unit_id: int,
    household_number: str | None = None,
    household_type: str = "family",
    residence_type: str = "registered",
    address: str | None = None,
    place_id: int | None = None,
) -> Household:
    problems: list[ErrorDetail] = []
    _check_choice(household_type, HOUSEHOLD_TYPES, "householdType", "户别", problems)
    _check_choice(residence_type, RESIDENCE_TYPES, "residenceType", "人口类型", problems)
    if problems:
        raise UserInputError(errors=problems)
    unit = _unit(session, org_unit_id)
    household = Household(
        household_number=household_number,
        household_type=household_type,
        residence_type=residence_type,
        org_unit_id=unit.id,
        org_path=unit.path,
        address=address,
        place_id=_place(session, place_id).id if place_id is not None else None,
    )
    session.add(household)
    session.flush()
    return household


def add_household_member(
    session: Session,
    household: Household,
    resident: Resident,
    *,
    relationship_code: str,
    joined_on: date | None = None,
) -> HouseholdMember:
    if relationship_code not in RELATIONSHIPS:
        raise UserInputError("INVALID_RELATIONSHIP", "与户主关系代码不在 GB/T 4761 中。", "relationshipCode")
    current = session.scalar(
        select(HouseholdMember).where(HouseholdMember.resident_id == resident.id, HouseholdMember.left_on.is_(None))
    )
    if current is not None:
        raise UserInputError("RESIDENT_IN_OTHER_HOUSEHOLD", "该居民已在另一户中，请先办理迁出该户。", "residentId")
    is_head = relationship_code in HEAD_CODES
    if is_head and session.scalar(
        select(HouseholdMember.id).where(
            HouseholdMember.household_id == household.id,
            HouseholdMember.is_head.is_(True),
            HouseholdMember.left_on.is_(None),
        )
    ):
        raise UserInputError("HEAD_ALREADY_SET", "该户已有户主。", "relationshipCode")
    member = HouseholdMember(
        household_id=household.id,
        resident_id=resident.id,
        relationship_code=relationship_code,
        is_head=is_head,
        joined_on=joined_on,
    )
    resident.household_id = household.id
    session.add(member)
    session.flush()
    return member


def remove_household_member(session: Session, member: HouseholdMember, *, left_on: date) -> HouseholdMember:
    if member.left_on is not None:
        raise UserInputError("ALREADY_LEFT", "该成员已迁出此户。", "id")
    if member.joined_on is not None and left_on < member.joined_on:
        raise UserInputError("INVALID_DATE_RANGE", "迁出日期不能早于迁入日期。", "leftOn")
    member.left_on = left_on
    resident = session.get(Resident, member.resident_id)
    if resident is not None and resident.household_id == member.household_id:
        resident.household_id = None
    session.flush()
    return member


def attach_category(
    session: Session,
    resident: Resident,
    declaration: CategoryDeclaration,
    *,
    since: date | None = None,
    until: date | None = None,
    note: str | None = None,
) -> ResidentCategory:
    if since and until and until < since:
        raise UserInputError("INVALID_DATE_RANGE", "结束日期不能早于开始日期。", "until")
    if until is None or until >= date.today():
        open_row = session.scalar(
            select(ResidentCategory.id).where(
                ResidentCategory.resident_id == resident.id,
                ResidentCategory.category == declaration.code,
                or_(ResidentCategory.until.is_(None), ResidentCategory.until >= date.today()),
            )
        )
        if open_row is not None:
            raise UserInputError("ALREADY_ATTACHED", f"该居民已标记为“{declaration.name}”。", "category")
    row = ResidentCategory(resident_id=resident.id, category=declaration.code, since=since, until=until, note=note)
    session.add(row)
    session.flush()
    return row


def age_on(birth: date, on: date) -> int:
    """Whole years of age on ``on``."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _unit_bounds(unit_id: int) -> tuple[ColumnElement[str], ColumnElement[str]]:
    """The subtree range of unit ``unit_id`` as SQL expressions: its path,
    read by a subquery inside the statement (no separate lookup), and the
    path's upper bound (NULL when the unit does not exist)."""
    low = select(OrgUnit.path).where(OrgUnit.id == unit_id).scalar_subquery()
    high = func.substr(low, 1, func.length(low) - 1, type_=String) + literal("0", String)
    return low, high


def under_unit(path_column: SQLColumnExpression[str | None], unit_id: int) -> ColumnElement[bool]:
    """SQL: ``path_column`` lies in the subtree of unit ``unit_id``; no rows
    when the unit does not exist."""
    low, high = _unit_bounds(unit_id)
    return and_(path_column >= low, path_column < high)


def scope_paths(who: Any, *permission_codes: str) -> tuple[str, ...]:
    """The org unit paths whose subtrees together are where ``who`` holds
    every one of ``permission_codes`` (the intersection of their scopes)."""
    principal = principal_of(who)
    if principal is None or not permission_codes:
        return ()
    paths: tuple[str, ...] = principal.paths(permission_codes[0])
    for code in permission_codes[1:]:
        overlaps = []
        for a in paths:
            for b in principal.paths(code):
                # Two subtrees overlap only when one contains the other; the overlap is the inner one.
                if a.startswith(b):
                    overlaps.append(a)
                elif b.startswith(a):
                    overlaps.append(b)
        paths = minimal_paths(overlaps)
    return paths


def own_resident_id(who: Any) -> int | None:
    """The caller's own resident record, if they may see their own
    household: ``people.view_own`` held somewhere and an account linked to
    a resident. None otherwise."""
    principal = principal_of(who)
    if principal is None or principal.resident_id is None or not principal.holds_anywhere(PEOPLE_VIEW_OWN):
        return None
    return principal.resident_id


def _own_household_id(resident_id: int) -> Any:
    """SQL: the current household of resident ``resident_id`` (NULL when none).
    An alias, so that it never correlates with a ``resident`` of the outer statement."""
    own = aliased(Resident, name="own_resident")
    return select(own.household_id).where(own.id == resident_id).scalar_subquery()


def own_residents(who: Any) -> ColumnElement[bool]:
    """SQL on ``Resident``: the caller themself and the current members of
    their household; ``false()`` for a caller without ``own_resident_id``."""
    resident_id = own_resident_id(who)
    if resident_id is None:
        return false()
    return or_(Resident.id == resident_id, Resident.household_id == _own_household_id(resident_id))


def own_households(who: Any) -> ColumnElement[bool]:
    """SQL on ``Household``: the caller's own household, if any."""
    resident_id = own_resident_id(who)
    if resident_id is None:
        return false()
    return Household.id == _own_household_id(resident_id)


def own_memberships(who: Any) -> ColumnElement[bool]:
    """SQL on ``HouseholdMember``: the current memberships of the caller's own household."""
    resident_id = own_resident_id(who)
    if resident_id is None:
        return false()
    return and_(HouseholdMember.household_id == _own_household_id(resident_id), HouseholdMember.left_on.is_(None))


def under_unit_within(
    paths: Sequence[str], path_column: SQLColumnExpression[str | None], unit_id: int
) -> ColumnElement[bool]:
    """SQL: ``path_column`` lies in the subtree of unit ``unit_id`` and in one
    of the subtrees at ``paths`` (a caller's scope, ``scope_paths``).

    Written as one index range per scope subtree, the intersection of that
    subtree's range with the unit's (the database takes the larger lower and
    the smaller upper bound). ``under_unit(...) AND scope_condition(...)``
    selects the same rows, but with two ranges on one column SQLite walks
    only one of them: a grid worker listing "under the city" would read the
    whole city to find their grid."""
    if not paths:
        return false()
    unit_low, unit_high = _unit_bounds(unit_id)
    terms = []
    for path in paths:
        low, high = (literal(bound, String) for bound in subtree_bounds(path))
        # No such unit: a NULL lower bound matches nothing.
        start = case((unit_low.is_(None), null()), (unit_low > low, unit_low), else_=low)
        end = case((unit_high < high, unit_high), else_=high)
        terms.append(and_(path_column >= start, path_column < end))
    return or_(*terms)


def age_bounds(on: date, age_min: int | None, age_max: int | None) -> tuple[date | None, date | None]:
    """Birth-date bounds for ages in [age_min, age_max] on ``on``."""
    latest = _years_before(on, age_min) if age_min is not None else None
    earliest = None
    if age_max is not None:
        earliest = _years_before(on, age_max + 1)
        earliest = date.fromordinal(earliest.toordinal() + 1)
    return earliest, latest


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def residents_statement(
    *,
    under_path: str | None = None,
    under_unit_id: int | None = None,
    category: str | None = None,
    age_min: int | None = None,
    age_max: int | None = None,
    household_id: int | None = None,
    residence_type: str | None = None,
    on: date | None = None,
    include_moved_out: bool = False,
) -> Select[Resident]:
    """Residents matching the filters; page it by (org_path, id)."""
    statement = select(Resident)
    if under_path is not None:
        statement = statement.where(in_subtree(Resident.org_path, under_path))
    if under_unit_id is not None:
        statement = statement.where(under_unit(Resident.org_path, under_unit_id))
    if household_id is not None:
        statement = statement.where(Resident.household_id == household_id)
    if residence_type is not None:
        statement = statement.where(Resident.residence_type == residence_type)
    if not include_moved_out:
        statement = statement.where(Resident.moved_out_on.is_(None))
    if age_min is not None or age_max is not None:
        earliest, latest = age_bounds(on or date.today(), age_min, age_max)
        if latest is not None:
            statement = statement.where(Resident.birth_date <= latest)
        if earliest is not None:
            statement = statement.where(Resident.birth_date >= earliest)
    if category is not None:
        today = on or date.today()
        statement = statement.where(
            select(ResidentCategory.id)
            .where(
                ResidentCategory.resident_id == Resident.id,
                ResidentCategory.category == category,
                or_(ResidentCategory.since.is_(None), ResidentCategory.since <= today),
                or_(ResidentCategory.until.is_(None), ResidentCategory.until >= today),
            )
            .exists()
        )
    return statement


def household_members(
    session: Session, household_ids: Sequence[int], *, current_only: bool = True
) -> dict[int, list[HouseholdMember]]:
    """Members of many households in one query."""
    statement = select(HouseholdMember).where(HouseholdMember.household_id.in_(household_ids))
    if current_only:
        statement = statement.where(HouseholdMember.left_on.is_(None))
    grouped: dict[int, list[HouseholdMember]] = {hid: [] for hid in household_ids}
    for member in session.scalars(statement.order_by(HouseholdMember.household_id, HouseholdMember.id)):
        grouped[member.household_id].append(member)
    return grouped
