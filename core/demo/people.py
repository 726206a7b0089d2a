"""Synthetic people for the demo city, and one demo account per built-in role.

Residents
    Every grid of the demo tree gets a few households. Registered residents
    carry ID numbers whose area code is their district's GB/T 2260 code
    (370202 for 市南区 …); floating residents carry their home county's code.
    Birth dates, sex and ID numbers agree (GB 11643), and ages are counted
    from ``REFERENCE_DATE`` so that the data is the same on every run
    (seeded). Households are plausible: a head, usually a spouse of the
    other sex and a similar age, children 20–40 years younger than both
    parents, sometimes an elderly parent; relationships use GB/T 4761 codes.
    Urban grids have rooms in their buildings, some of them rental housing
    let to floating families or groups of workers; villages have houses.
    A few residents are placed in each core resident category.

Demo accounts
    Outside production, one account per built-in role, each granted at a
    sensible unit of 市南区 (see ``DEMO_USER_UNITS``). They all share the
    password ``DEMO_PASSWORD`` (``jiceng-demo-2026``): a demo database must
    never be used as a real one. Usernames are the role codes (``admin``,
    ``grid_worker``, ``street_staff`` …). The ``resident`` account is linked
    to the head of the first household of that community with at least two
    members (``demo_resident``): signed in as ``resident``, the people lists
    show that household and its members only.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.demo.progress import Progress
from core.org.models import OrgUnit
from core.org.service import in_subtree
from core.people.categories import CORE_CATEGORIES
from core.people.identity import make_id_number
from core.people.models import Household, HouseholdMember, Place, Resident, ResidentCategory
from core.settings import Settings

SEED = 20260102
# Ages and dates are counted from this day, so that every run makes the same people.
REFERENCE_DATE = date(2026, 1, 1)
DEMO_PASSWORD = "jiceng-demo-2026"
CITY_NAME = "青岛市"
# The built-in role whose demo account is linked to a demo resident.
RESIDENT_ROLE = "resident"

SURNAMES = (
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "赵",
    "黄",
    "周",
    "吴",
    "徐",
    "孙",
    "胡",
    "朱",
    "高",
    "林",
    "郭",
    "马",
    "于",
    "姜",
    "宋",
    "曲",
    "臧",
    "逄",
    "隋",
    "董",
    "薛",
    "纪",
    "毛",
    "崔",
)
MALE_NAMES = (
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "明",
    "超",
    "刚",
    "建国",
    "志强",
    "海涛",
    "文博",
    "浩然",
    "子轩",
    "宇航",
    "俊杰",
    "德胜",
    "国庆",
    "振华",
    "立新",
    "家豪",
    "晨阳",
)
FEMALE_NAMES = (
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "艳",
    "娟",
    "霞",
    "秀英",
    "桂兰",
    "玉兰",
    "淑珍",
    "欣怡",
    "梓涵",
    "雨桐",
    "思琪",
    "佳怡",
    "晓燕",
    "海燕",
    "丽华",
    "春梅",
    "红霞",
    "诗涵",
    "若曦",
)
ETHNICITIES = ("汉族",) * 46 + ("回族", "满族", "朝鲜族", "蒙古族")
MOBILE_PREFIXES = (
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "158",
    "159",
    "177",
    "180",
    "181",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
)
QINGDAO_AREA_PHONE = "0532"
# Home counties of floating residents (GB/T 2260).
ORIGINS = (
    ("371302", "临沂市兰山区"),
    ("370781", "青州市"),
    ("371102", "日照市东港区"),
    ("370683", "莱州市"),
    ("410102", "郑州市中原区"),
    ("230103", "哈尔滨市南岗区"),
    ("220102", "长春市南关区"),
    ("340102", "合肥市瑶海区"),
    ("320382", "邳州市"),
    ("130102", "石家庄市长安区"),
)
CATEGORY_COUNTS = {
    "subsistence_allowance": 40,
    "disabled": 30,
    "entitled_group": 15,
    "community_correction": 6,
    "released_prisoner": 6,
    "drug_rehabilitation": 4,
    "key_person": 6,
    "petitioner": 8,
    "youth_at_risk": 6,
}
# Where each built-in role's demo account is granted (the rest: the community).
DEMO_USER_UNITS = {
    "admin": "city",
    "district_supervisor": "district",
    "district_staff": "district",
    "auditor": "district",
    "street_leader": "street",
    "street_staff": "street",
    "grid_worker": "grid",
    "building_head": "building",
}


@dataclass
class _Person:
    name: str
    sex: str
    birth: date
    area_code: str
    relationship: str
    residence_type: str
    phone: str | None = None
    ethnicity: str = "汉族"


@dataclass
class _Family:
    unit: OrgUnit
    district_code: str
    place: Place
    residence_type: str
    household_type: str
    address: str
    people: list[_Person] = field(default_factory=list)
    moved_in_on: date | None = None


class _People:
    """Deterministic names, birth dates, ID numbers and phone numbers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used_sequences: set[tuple[str, date, int]] = set()

    def birth(self, age: int) -> date:
        """A birth date of someone ``age`` years old on ``REFERENCE_DATE``."""
        latest = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
        return latest - timedelta(days=self.rng.randint(0, 364))

    def id_number(self, area_code: str, birth: date, sex: str) -> str:
        while True:
            sequence = self.rng.randint(0, 499) * 2 + (1 if sex == "male" else 0)
            key = (area_code, birth, sequence)
            if key not in self.used_sequences:
                self.used_sequences.add(key)
                return make_id_number(area_code, birth, sequence)

    def given_name(self, sex: str) -> str:
        return self.rng.choice(MALE_NAMES if sex == "male" else FEMALE_NAMES)

    def phone(self, age: int) -> str | None:
        if age < 14:
            return None
        if age >= 70 and self.rng.random() < 0.5:
            return f"{QINGDAO_AREA_PHONE}-8{self.rng.randint(0, 9999999):07d}"
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randint(0, 99999999):08d}"

    def person(self, surname: str, sex: str, age: int, area: str, relationship: str, residence: str) -> _Person:
        return _Person(
            name=surname + self.given_name(sex),
            sex=sex,
            birth=self.birth(age),
            area_code=area,
            relationship=relationship,
            residence_type=residence,
            phone=self.phone(age),
            ethnicity=self.rng.choice(ETHNICITIES),
        )


def _other(sex: str) -> str:
    return "female" if sex == "male" else "male"


def _family_members(people: _People, area: str, residence: str, *, young: bool = False) -> list[_Person]:
    """A head of household and, usually, a spouse, children and sometimes an elderly parent."""
    rng = people.rng
    surname = rng.choice(SURNAMES)
    head_age = rng.randint(22, 40) if young else rng.randint(25, 82)
    head_sex = "male" if rng.random() < 0.7 else "female"
    head = people.person(surname, head_sex, head_age, area, "02", residence)
    members = [head]
    if rng.random() < 0.12 and not young:
        return members  # living alone
    spouse_sex = _other(head_sex)
    # Legal marriage age: 22 for men, 20 for women.
    spouse_age = max(22 if spouse_sex == "male" else 20, head_age + rng.randint(-5, 5))
    members.append(
        people.person(
            rng.choice(SURNAMES), spouse_sex, spouse_age, area, "12" if spouse_sex == "female" else "11", residence
        )
    )
    # Children are 20–40 years younger than both parents; grown-up ones may have moved out.
    low, high = max(head_age, spouse_age) - 40, min(head_age, spouse_age) - 20
    if high >= 0:
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
            child_age = rng.randint(max(0, low), high)
            if child_age > 35:
                continue
            sex = rng.choice(("male", "female"))
            child_surname = surname if head_sex == "male" else rng.choice((surname, members[1].name[0]))
            members.append(
                people.person(child_surname, sex, child_age, area, "20" if sex == "male" else "30", residence)
            )
    if not young and 35 <= head_age <= 65 and rng.random() < 0.15:
        parent_age = min(95, head_age + rng.randint(22, 38))
        sex = rng.choice(("male", "female"))
        parent_surname = surname if sex == "male" else rng.choice(SURNAMES)
        members.append(people.person(parent_surname, sex, parent_age, area, "51" if sex == "male" else "52", residence))
    return members


def _workers(people: _People, residence: str) -> list[_Person]:
    """Two to four unrelated young workers sharing a rented flat (a collective household)."""
    rng = people.rng
    members: list[_Person] = []
    for i in range(rng.randint(2, 4)):
        area = rng.choice(ORIGINS)[0]
        sex = rng.choice(("male", "female")) if i == 0 else members[0].sex
        members.append(
            people.person(rng.choice(SURNAMES), sex, rng.randint(19, 35), area, "02" if i == 0 else "99", residence)
        )
    return members


@dataclass(frozen=True)
class DemoPeopleShape:
    """How many households each building (urban) or grid (village) gets."""

    households_per_building: Sequence[int] = (0, 1, 1, 2)
    households_per_village_grid: Sequence[int] = (1, 2)
    rental_share: float = 0.15


def build_demo_people(
    session: Session, settings: Settings, progress: Progress, shape: DemoPeopleShape | None = None
) -> None:
    """Places, households, residents and categories under the demo tree."""
    shape = shape or DemoPeopleShape()
    rng = random.Random(SEED)
    people = _People(rng)
    units = list(session.scalars(select(OrgUnit).order_by(OrgUnit.path)))
    if not units:
        raise RuntimeError("演示居民需要先创建组织树。")
    by_id = {unit.id: unit for unit in units}
    children: dict[int, list[OrgUnit]] = {}
    for unit in units:
        if unit.parent_id is not None:
            children.setdefault(unit.parent_id, []).append(unit)

    def ancestor(unit: OrgUnit, level: str) -> OrgUnit | None:
        return next((by_id[i] for i in unit.ancestor_ids if by_id[i].level == level), None)

    places: list[Place] = []
    # (room, its building): the building's id is known only after the first flush.
    rooms: list[tuple[Place, Place]] = []
    families: list[_Family] = []
    house_numbers: dict[int, int] = {}
    used_addresses: set[str] = set()
    grids = [unit for unit in units if unit.level == "grid"]
    for done, grid in enumerate(grids, start=1):
        district, street, community = ancestor(grid, "district"), ancestor(grid, "street"), ancestor(grid, "community")
        if district is None or street is None or community is None or not district.division_code:
            continue
        district_code = district.division_code[:6]
        prefix = f"{CITY_NAME}{district.name}{street.name}{community.name}"
        buildings = [u for u in children.get(grid.id, []) if u.level == "building"]
        if buildings:
            for building in buildings:
                building_place = Place(
                    kind="building",
                    name=building.name,
                    org_unit_id=building.id,
                    org_path=building.path,
                    address=prefix + building.name,
                    is_rental=False,
                )
                places.append(building_place)
                count = rng.choice(shape.households_per_building)
                # Floors 1–18, doors 1–4 (502室: floor 5, door 2); a room address is
                # used once even where two buildings of a community share a name.
                all_rooms = (f"{floor}0{door}室" for floor in range(1, 19) for door in range(1, 5))
                free = [room for room in all_rooms if prefix + building.name + room not in used_addresses]
                for room in rng.sample(free, count):
                    used_addresses.add(prefix + building.name + room)
                    rental = rng.random() < shape.rental_share
                    place = Place(
                        kind="rental_housing" if rental else "room",
                        name=f"{building.name}{room}",
                        org_unit_id=building.id,
                        org_path=building.path,
                        address=f"{prefix}{building.name}{room}",
                        is_rental=rental,
                    )
                    rooms.append((place, building_place))
                    places.append(place)
                    make_family = _rental_family if rental else _registered_family
                    families.append(make_family(people, building, district_code, place))
        else:
            for _ in range(rng.choice(shape.households_per_village_grid)):
                # House numbers run on through the village's grids.
                house_numbers[community.id] = house_numbers.get(community.id, 0) + rng.randint(1, 12)
                house = f"{community.name}{house_numbers[community.id]}号"
                place = Place(
                    kind="building",
                    name=house,
                    org_unit_id=grid.id,
                    org_path=grid.path,
                    address=f"{prefix}{grid.name}{house.removeprefix(community.name)}",
                    is_rental=False,
                )
                places.append(place)
                families.append(_registered_family(people, grid, district_code, place))
        progress.step("演示居民（网格）", done, len(grids))

    session.add_all(places)
    session.flush()
    for room_place, building_place in rooms:
        room_place.parent_place_id = building_place.id

    households: list[Household] = []
    for serial, family in enumerate(families, start=1):
        households.append(
            Household(
                household_number=f"{family.district_code}{serial:06d}"
                if family.residence_type == "registered"
                else None,
                household_type=family.household_type,
                residence_type=family.residence_type,
                org_unit_id=family.unit.id,
                org_path=family.unit.path,
                place_id=family.place.id,
                address=family.address,
            )
        )
    session.add_all(households)
    session.flush()

    residents: list[Resident] = []
    for family, household in zip(families, households, strict=True):
        for person in family.people:
            residents.append(
                Resident(
                    name=person.name,
                    id_number=people.id_number(person.area_code, person.birth, person.sex),
                    sex=person.sex,
                    birth_date=person.birth,
                    phone=person.phone,
                    ethnicity=person.ethnicity,
                    residence_type=person.residence_type,
                    org_unit_id=family.unit.id,
                    org_path=family.unit.path,
                    household_id=household.id,
                    place_id=family.place.id,
                    moved_in_on=family.moved_in_on,
                )
            )
    session.add_all(residents)
    session.flush()

    members: list[HouseholdMember] = []
    owners_by_community: dict[str, list[Resident]] = {}
    index = 0
    for family, household in zip(families, households, strict=True):
        for person in family.people:
            resident = residents[index]
            index += 1
            # Registered children joined at birth; everyone else when the family moved in (unknown for old households).
            born_here = family.residence_type == "registered" and person.relationship in ("20", "30")
            members.append(
                HouseholdMember(
                    household_id=household.id,
                    resident_id=resident.id,
                    relationship_code=person.relationship,
                    is_head=person.relationship == "02",
                    joined_on=person.birth if born_here else family.moved_in_on,
                )
            )
            if person.relationship == "02" and family.residence_type == "registered":
                family.place.owner_resident_id = resident.id
                community_path = "/".join(family.unit.path.split("/")[:5]) + "/"
                owners_by_community.setdefault(community_path, []).append(resident)
    # Rental housing belongs to a registered head of household of the same community.
    for family in families:
        if family.place.is_rental:
            community_path = "/".join(family.unit.path.split("/")[:5]) + "/"
            candidates = owners_by_community.get(community_path)
            if candidates:
                family.place.owner_resident_id = rng.choice(candidates).id
    session.add_all(members)
    session.add_all(_demo_categories(rng, residents))
    session.flush()
    progress.note(f"演示居民：{len(residents)} 人，{len(households)} 户，{len(places)} 处房屋")


def _registered_family(people: _People, unit: OrgUnit, district_code: str, place: Place) -> _Family:
    family = _Family(
        unit=unit,
        district_code=district_code,
        place=place,
        residence_type="registered",
        household_type="family",
        address=place.address or "",
    )
    family.people = _family_members(people, district_code, "registered")
    return family


def _rental_family(people: _People, unit: OrgUnit, district_code: str, place: Place) -> _Family:
    rng = people.rng
    collective = rng.random() < 0.4
    family = _Family(
        unit=unit,
        district_code=district_code,
        place=place,
        residence_type="floating",
        household_type="collective" if collective else "family",
        address=place.address or "",
        moved_in_on=REFERENCE_DATE - timedelta(days=rng.randint(30, 1100)),
    )
    family.people = (
        _workers(people, "floating")
        if collective
        else _family_members(people, rng.choice(ORIGINS)[0], "floating", young=True)
    )
    return family


def _age(resident: Resident) -> int:
    birth = resident.birth_date
    assert birth is not None  # every demo resident has one
    on = REFERENCE_DATE
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _demo_categories(rng: random.Random, residents: list[Resident]) -> list[ResidentCategory]:
    """A few residents in each core category, chosen among those it fits."""
    rows: list[ResidentCategory] = []
    taken: set[tuple[int, str]] = set()
    for declaration in CORE_CATEGORIES:
        count = CATEGORY_COUNTS.get(declaration.code, 3)
        if declaration.code == "youth_at_risk":
            fits = [r for r in residents if 14 <= _age(r) <= 25]
        elif declaration.code == "subsistence_allowance":
            fits = [r for r in residents if r.residence_type == "registered" and _age(r) >= 18]
        elif declaration.code == "entitled_group":
            fits = [r for r in residents if _age(r) >= 40]
        elif declaration.code == "disabled":
            fits = list(residents)
        else:
            fits = [r for r in residents if 23 <= _age(r) <= 70]
        for resident in rng.sample(fits, min(count, len(fits))):
            if (resident.id, declaration.code) in taken:
                continue
            taken.add((resident.id, declaration.code))
            since = REFERENCE_DATE - timedelta(
                days=rng.randint(30, 1500 if declaration.code != "youth_at_risk" else 300)
            )
            until = (
                REFERENCE_DATE + timedelta(days=rng.randint(60, 700))
                if declaration.code == "community_correction"
                else None
            )
            rows.append(ResidentCategory(resident_id=resident.id, category=declaration.code, since=since, until=until))
    return rows


def create_demo_users(session: Session, settings: Settings, progress: Progress) -> None:
    """One account per built-in role, password ``DEMO_PASSWORD``; none in production."""
    if settings.production:
        progress.note("生产环境：不创建演示账号。")
        return
    from core.auth import service
    from core.auth.config import AuthConfig
    from core.auth.passwords import hash_password
    from core.auth.permissions import registry_for_plugins
    from core.auth.roles import DEFAULT_ROLES, ensure_default_roles

    registry = registry_for_plugins(settings.plugins)
    ensure_default_roles(session, registry)
    units = _demo_user_units(session)
    config = AuthConfig.from_settings(settings)
    own = demo_resident(session, units["community"])
    # One password for every demo account: hashed once.
    demo_hash = hash_password(DEMO_PASSWORD)
    for role in DEFAULT_ROLES:
        unit = units[DEMO_USER_UNITS.get(role.code, "community")]
        user = service.create_user(
            session,
            config,
            username=role.code,
            display_name=f"演示{role.name}",
            password=DEMO_PASSWORD,
            resident_id=own.id if role.code == RESIDENT_ROLE and own else None,
            password_hash=demo_hash,
        )
        service.grant_role(session, registry, None, user_id=user.id, role_code=role.code, org_unit_id=unit.id)
    session.flush()
    progress.note(
        f"演示账号：{len(DEFAULT_ROLES)} 个，用户名为角色代码（admin、grid_worker、street_staff……），密码 {DEMO_PASSWORD}"
    )
    if own is not None:
        progress.note(f"居民账号 {RESIDENT_ROLE} 关联居民“{own.name}”，可查看其本户成员")


def demo_resident(session: Session, community: OrgUnit) -> Resident | None:
    """The head of the first household in ``community`` (by id) with at
    least two current members, for the ``resident`` demo account."""
    household_id = session.scalar(
        select(HouseholdMember.household_id)
        .join(Household, Household.id == HouseholdMember.household_id)
        .where(in_subtree(Household.org_path, community.path), HouseholdMember.left_on.is_(None))
        .group_by(HouseholdMember.household_id)
        .having(func.count() >= 2)
        .order_by(HouseholdMember.household_id)
        .limit(1)
    )
    if household_id is None:
        return None
    return session.scalar(
        select(Resident)
        .join(HouseholdMember, HouseholdMember.resident_id == Resident.id)
        .where(
            HouseholdMember.household_id == household_id,
            HouseholdMember.is_head.is_(True),
            HouseholdMember.left_on.is_(None),
        )
    )


def _demo_user_units(session: Session) -> dict[str, OrgUnit]:
    """The city, 市南区, its first street, that street's first community, grid and building."""
    city = session.scalars(select(OrgUnit).where(OrgUnit.level == "city").order_by(OrgUnit.id)).first()
    district = session.scalars(select(OrgUnit).where(OrgUnit.division_code == "370202").order_by(OrgUnit.id)).first()
    if city is None or district is None:
        raise RuntimeError("演示账号需要先创建演示组织树。")
    found = {"city": city, "district": district}
    parent = district
    for level in ("street", "community", "grid", "building"):
        child = session.scalars(
            select(OrgUnit).where(OrgUnit.parent_id == parent.id, OrgUnit.level == level).order_by(OrgUnit.id)
        ).first()
        found[level] = child if child is not None else parent
        parent = found[level]
    return found
