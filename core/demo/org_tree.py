"""The demo locality: Qingdao (青岛市).

The city, its districts (with their GB/T 2260 codes) and the streets under
them are the real ones. Communities, villages, grids and buildings below the
streets are synthetic: plausible names, deterministic, different per street.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.demo.progress import Progress
from core.org import service
from core.org.models import OrgUnit
from core.settings import Settings

CITY = ("青岛市", "370200")


@dataclass(frozen=True)
class District:
    name: str
    code: str
    streets: tuple[str, ...]
    # Streets whose communities are villages (涉农街道).
    rural_streets: tuple[str, ...] = ()


DISTRICTS: tuple[District, ...] = (
    District(
        "市南区",
        "370202",
        (
            "八大峡街道",
            "云南路街道",
            "中山路街道",
            "江苏路街道",
            "八大关街道",
            "湛山街道",
            "香港中路街道",
            "八大湖街道",
            "金门路街道",
            "珠海路街道",
        ),
    ),
    District(
        "市北区",
        "370203",
        (
            "辽宁路街道",
            "延安路街道",
            "登州路街道",
            "宁夏路街道",
            "敦化路街道",
            "合肥路街道",
            "台东街道",
            "镇江路街道",
            "浮山新区街道",
            "双山街道",
            "水清沟街道",
            "洛阳路街道",
            "兴隆路街道",
            "海伦路街道",
        ),
    ),
    District(
        "崂山区",
        "370212",
        ("中韩街道", "沙子口街道", "王哥庄街道", "北宅街道", "金家岭街道"),
        rural_streets=("沙子口街道", "王哥庄街道", "北宅街道"),
    ),
    District(
        "李沧区",
        "370213",
        (
            "振华路街道",
            "永清路街道",
            "永安路街道",
            "兴华路街道",
            "浮山路街道",
            "李村街道",
            "虎山路街道",
            "九水街道",
            "湘潭路街道",
            "楼山街道",
            "世园街道",
        ),
    ),
    District(
        "城阳区",
        "370214",
        ("城阳街道", "流亭街道", "夏庄街道", "惜福镇街道", "棘洪滩街道", "上马街道", "河套街道", "红岛街道"),
        rural_streets=("夏庄街道", "惜福镇街道", "棘洪滩街道", "上马街道", "河套街道", "红岛街道"),
    ),
)

COMMUNITY_WORDS = (
    "和平",
    "幸福",
    "阳光",
    "东山",
    "西岭",
    "南苑",
    "北苑",
    "金港",
    "海湾",
    "翠湖",
    "春和",
    "锦绣",
    "康宁",
    "福海",
    "安居",
    "明珠",
    "新华",
    "兴隆",
    "观海",
    "望海",
    "青峰",
    "丽园",
    "馨苑",
    "桃源",
)
VILLAGE_WORDS = (
    "东庄",
    "西庄",
    "南河",
    "北岭",
    "前埠",
    "后埠",
    "王家",
    "李家",
    "石沟",
    "河头",
    "山后",
    "岔河",
    "大村",
    "小村",
    "孙家",
    "刘家",
    "于家",
    "宋家",
    "臧家",
    "姜家",
    "张家",
    "曲家",
    "峪夼",
    "双埠",
)
GRID_NUMERALS = ("一", "二", "三", "四", "五", "六")


@dataclass(frozen=True)
class DemoShape:
    """How many units to make under each street; small by default."""

    communities_per_street: tuple[int, int] = (3, 5)
    grids_per_community: tuple[int, int] = (3, 5)
    buildings_per_grid: int = 2


def build_demo_tree(session: Session, settings: Settings, progress: Progress, shape: DemoShape | None = None) -> None:
    shape = shape or DemoShape()
    if session.scalar(select(OrgUnit.id).limit(1)) is not None:
        raise RuntimeError("数据库中已有组织单位；演示数据只能写入空数据库。")
    levels = {level.code for level in settings.org_levels}
    rng = random.Random(20260101)
    units: list[OrgUnit] = []

    def add(parent: OrgUnit | None, name: str, level: str, code: str | None = None) -> OrgUnit:
        unit = service.create_unit(
            session, settings, name=name, level=level, parent_id=parent.id if parent else None, division_code=code
        )
        units.append(unit)
        return unit

    city = add(None, CITY[0], "city", CITY[1])
    total_streets = sum(len(d.streets) for d in DISTRICTS)
    done = 0
    for district in DISTRICTS:
        district_unit = add(city, district.name, "district", district.code)
        for street in district.streets:
            street_unit = add(district_unit, street, "street")
            rural = street in district.rural_streets
            words = rng.sample(VILLAGE_WORDS if rural else COMMUNITY_WORDS, rng.randint(*shape.communities_per_street))
            for word in words:
                community = add(street_unit, f"{word}{'村' if rural else '社区'}", "community")
                for g in range(rng.randint(*shape.grids_per_community)):
                    grid = add(community, f"第{GRID_NUMERALS[g]}网格", "grid")
                    if "building" in levels and not rural:
                        for b in range(shape.buildings_per_grid):
                            add(grid, f"{rng.randint(1, 40)}号楼{b + 1}单元", "building")
            done += 1
            progress.step("组织树（街道）", done, total_streets)
    session.flush()
    progress.note(f"组织树：{len(units)} 个组织单位")
