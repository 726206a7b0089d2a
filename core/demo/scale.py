"""A synthetic city of any size for benchmarks: the demo's real districts
and streets, with as many communities and grids as the household count
needs (about 300 households a grid, 10 grids a community), households of 1–5
members and residents with valid ID numbers of their district.

Rows are written in bulk (PostgreSQL: COPY; SQLite: executemany in one
transaction) so that a million households take minutes, not hours.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from core.db import Base
from core.demo.org_tree import CITY, DISTRICTS
from core.demo.progress import Progress
from core.org import service
from core.org.models import OrgUnit
from core.people.identity import make_id_number
from core.people.models import Household, HouseholdMember, Resident
from core.settings import Settings

HOUSEHOLDS_PER_GRID = 300
GRIDS_PER_COMMUNITY = 10
BATCH = 20_000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建红波宁欣怡浩然子涵梓轩雨涵"


@dataclass(frozen=True)
class ScaleReport:
    households: int
    residents: int
    grids: int
    communities: int


def build_city(
    engine: Engine, session: Session, settings: Settings, households: int, progress: Progress, seed: int = 7
) -> ScaleReport:
    """Create the tree in ``session`` (committed), then bulk-load people."""
    rng = random.Random(seed)
    grids_needed = max(1, math.ceil(households / HOUSEHOLDS_PER_GRID))
    communities_needed = max(1, math.ceil(grids_needed / GRIDS_PER_COMMUNITY))
    streets = [(district, street) for district in DISTRICTS for street in district.streets]

    city = service.create_unit(session, settings, name=CITY[0], level="city", parent_id=None, division_code=CITY[1])
    district_units = {
        d.code: service.create_unit(
            session, settings, name=d.name, level="district", parent_id=city.id, division_code=d.code
        )
        for d in DISTRICTS
    }
    street_units: dict[str, OrgUnit] = {}
    grids: list[tuple[OrgUnit, str]] = []  # (grid, district code)
    communities = 0
    for index in range(communities_needed):
        district, street_name = streets[index % len(streets)]
        if street_name not in street_units:
            street_units[street_name] = service.create_unit(
                session, settings, name=street_name, level="street", parent_id=district_units[district.code].id
            )
        street = street_units[street_name]
        community = service.create_unit(
            session, settings, name=f"第{index + 1}社区", level="community", parent_id=street.id
        )
        communities += 1
        for g in range(min(GRIDS_PER_COMMUNITY, grids_needed - len(grids))):
            grid = service.create_unit(session, settings, name=f"第{g + 1}网格", level="grid", parent_id=community.id)
            grids.append((grid, district.code))
        progress.step("组织树（社区）", communities, communities_needed)
    session.commit()

    residents = _load_people(engine, grids, households, rng, progress)
    return ScaleReport(households=households, residents=residents, grids=len(grids), communities=communities)


def _people(
    grids: Sequence[tuple[OrgUnit, str]], households: int, rng: random.Random
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]:
    """Households with their residents and memberships, ids assigned here."""
    now = datetime.now(UTC)
    today = date.today()
    used: set[str] = set()
    resident_id = 0
    sequence = 0
    for household_id in range(1, households + 1):
        grid, area = grids[(household_id - 1) // HOUSEHOLDS_PER_GRID % len(grids)]
        household = {
            "id": household_id,
            "household_number": f"{area}{household_id:09d}",
            "household_type": "family",
            "residence_type": "floating" if rng.random() < 0.2 else "registered",
            "org_unit_id": grid.id,
            "org_path": grid.path,
            "place_id": None,
            "address": f"{grid.name}{rng.randint(1, 60)}号楼{rng.randint(1, 6)}单元{rng.randint(101, 1802)}室",
            "created_at": now,
        }
        size = rng.choices((1, 2, 3, 4, 5), weights=(20, 35, 25, 12, 8))[0]  # about 2.5 a household
        head_birth = today - timedelta(days=rng.randint(25 * 365, 80 * 365))
        surname = rng.choice(SURNAMES)
        members: list[tuple[date, str]] = [(head_birth, "02")]
        if size >= 2:
            members.append((head_birth + timedelta(days=rng.randint(-1500, 1500)), "10"))
        # Children are born 20-38 years after the head, and not in the future.
        latest_child = min(38 * 365, (today - head_birth).days - 180)
        for _ in range(max(0, size - 2)):
            if latest_child <= 20 * 365:
                break
            child = head_birth + timedelta(days=rng.randint(20 * 365, latest_child))
            members.append((child, "20" if rng.random() < 0.5 else "30"))
        residents: list[dict[str, Any]] = []
        memberships: list[dict[str, Any]] = []
        head_male = rng.random() < 0.6
        for index, (birth, relation) in enumerate(members):
            resident_id += 1
            male = head_male if index == 0 else (not head_male if relation == "10" else relation == "20")
            while True:
                sequence += 1
                digits = sequence % 500 * 2 + (1 if male else 0)
                number = make_id_number(area, birth, digits)
                if number not in used:
                    used.add(number)
                    break
            residents.append(
                {
                    "id": resident_id,
                    "name": surname + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                    "id_number": number,
                    "sex": "male" if male else "female",
                    "birth_date": birth,
                    "phone": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
                    "ethnicity": "汉族",
                    "residence_type": household["residence_type"],
                    "org_unit_id": grid.id,
                    "org_path": grid.path,
                    "household_id": household_id,
                    "place_id": None,
                    "moved_in_on": None,
                    "moved_out_on": None,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            memberships.append(
                {
                    "id": resident_id,
                    "household_id": household_id,
                    "resident_id": resident_id,
                    "relationship_code": relation,
                    "is_head": relation == "02",
                    "joined_on": None,
                    "left_on": None,
                }
            )
        yield household, residents, memberships


def _table(model: type[Base]) -> Table:
    """The table ``model`` is mapped to (declarative typing only promises a FromClause)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _load_people(
    engine: Engine, grids: Sequence[tuple[OrgUnit, str]], households: int, rng: random.Random, progress: Progress
) -> int:
    tables = (_table(Household), _table(Resident), _table(HouseholdMember))
    buffers: dict[str, list[dict[str, Any]]] = {t.name: [] for t in tables}
    total = 0
    done = 0
    with engine.begin() as connection:
        for household, residents, memberships in _people(grids, households, rng):
            buffers["household"].append(household)
            buffers["resident"].extend(residents)
            buffers["household_member"].extend(memberships)
            total += len(residents)
            done += 1
            if len(buffers["resident"]) >= BATCH:
                _flush(connection, tables, buffers)
                progress.step("住户", done, households)
        _flush(connection, tables, buffers)
        progress.step("住户", done, households, force=True)
        if connection.dialect.name == "postgresql":
            for table in tables:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
                )
            for table in tables:
                connection.exec_driver_sql(f"ANALYZE {table.name}")
        else:
            connection.exec_driver_sql("ANALYZE")
    return total


def _flush(connection: Any, tables: Sequence[Table], buffers: dict[str, list[dict[str, Any]]]) -> None:
    for table in tables:
        rows = buffers[table.name]
        if not rows:
            continue
        if connection.dialect.name == "postgresql":
            _copy(connection, table, rows)
        else:
            connection.execute(insert(table), rows)
        rows.clear()


def _copy(connection: Any, table: Table, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
